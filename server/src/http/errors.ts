/**
 * The server's one HTTP error module, used by every route (/api, /gateway, /relayer, /proofs and the
 * server's own): the error body and its OpenAPI schema, the validation hook (a request that does not fit
 * its route's zod schema is a 400 `invalid_request`), the body limit, the not-found answer and the error
 * handler that turns a CoopError into its status and body and anything else into a logged 500. The codes
 * themselves are listed once, in @datacoop/protocol/errors.
 */
import { z } from "@hono/zod-openapi";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  CoopError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorStatus,
} from "@datacoop/protocol/errors";

/** `{ error: { code, message, details? } }`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The error body as the OpenAPI document describes it (one component, "Error", for every route). */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z
        .enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]])
        .openapi({ description: "Stable: one list for every route (@datacoop/protocol/errors)" }),
      message: z.string().openapi({ description: "For people; may change" }),
      details: z.unknown().optional().openapi({ description: "Machine-readable detail, by code" }),
    }),
  })
  .openapi("Error");

type ErrorResponse = {
  description: string;
  content: { "application/json": { schema: typeof ErrorSchema } };
};

/** The OpenAPI responses of a route's refusals, for the given statuses. */
export function errorResponses<const S extends ErrorStatus>(
  statuses: readonly S[],
  description = "Refused",
): Record<S, ErrorResponse> {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description, content: { "application/json": { schema: ErrorSchema } } },
    ]),
  ) as Record<S, ErrorResponse>;
}

/** "field.path: problem; …" — one line naming each field a zod schema refused. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join(".") : "input"}: ${i.message}`)
    .join("; ");
}

/**
 * The apps' defaultHook: a request that does not fit its route's schema (body, path, query) is a 400
 * `invalid_request` naming the fields, before any handler runs.
 */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError },
  c: Context,
) {
  if (!result.success) {
    return c.json(errorBody("invalid_request", describeIssues(result.error)), 400);
  }
}

/** Refuses bodies over `maxBytes` with a 413 `body_too_large`. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      c.json(errorBody("body_too_large", `Bodies are at most ${maxBytes} bytes.`), 413),
  });
}

export const notFound: NotFoundHandler = (c) =>
  c.json(errorBody("not_found", `No route for ${c.req.method} ${c.req.path}.`), 404);

export interface ErrorHandlerOptions {
  /** Logs an error that is not the client's (answered with a 500). */
  log?: (event: { event: string; message: string; path: string }) => void;
  /** The 500's message, e.g. "The gateway failed to answer; nothing was served." */
  internalMessage?: string;
  /** Turns a part's own error into a CoopError (e.g. the operator's broken log), or returns undefined. */
  translate?: (error: Error) => CoopError | undefined;
}

/** The apps' onError: a CoopError is answered with its status and body; anything else is a logged 500. */
export function errorHandler(options: ErrorHandlerOptions = {}): ErrorHandler {
  return (error, c) => {
    const known = error instanceof CoopError ? error : options.translate?.(error);
    if (known) {
      const details = known.details as { retryAfterSeconds?: unknown } | undefined;
      if (typeof details?.retryAfterSeconds === "number") {
        c.header("Retry-After", String(details.retryAfterSeconds));
      }
      return c.json(
        errorBody(known.code, known.message, known.details),
        known.status as ContentfulStatusCode,
      );
    }
    // Hono's own refusals (a body that is not JSON, a wrong content type, a body over the limit).
    if (error instanceof HTTPException && error.status < 500) {
      const code: ErrorCode =
        error.status === 415
          ? "unsupported_media_type"
          : error.status === 413
            ? "body_too_large"
            : "invalid_request";
      return c.json(
        errorBody(code, error.message || "Bad request."),
        error.status as ContentfulStatusCode,
      );
    }
    options.log?.({ event: "request_failed", message: error.message, path: c.req.path });
    return c.json(errorBody("internal", options.internalMessage ?? "Internal error."), 500);
  };
}
