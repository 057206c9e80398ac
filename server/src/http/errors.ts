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
  statusesOf,
  type ErrorCode,
  type ErrorStatus,
} from "@datacoop/protocol/errors";
import { LogRef } from "../gateway/serving/answerDoc.ts";

/** `{ error: { code, message, details? } }`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** One problem with one record of a batch (records_invalid's details). */
const RowError = z
  .object({
    row: z
      .number()
      .int()
      .openapi({ description: "The record's index in the batch (for CSV, line = row + 2)." }),
    field: z.string().optional().openapi({ description: "The field at fault, when one is." }),
    message: z.string().openapi({ description: "What is wrong." }),
  })
  .openapi("RowError", { description: "One problem with one record of a batch." });

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** The error body of every route, as the OpenAPI document describes it (one component: "Error"). */
export const ErrorSchema = z
  .object({
    error: z
      .object({
        code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).openapi({
          description:
            "A stable code from the one list (@datacoop/protocol/errors); each response's description says which codes it carries.",
        }),
        message: z.string().openapi({ description: "For people; may change." }),
        details: z
          .union([
            z
              .array(RowError)
              .openapi({ description: "records_invalid: every row's problems (at most 1,000)." }),
            z
              .object({ log: LogRef })
              .openapi({ description: "A refusal the gateway logged: its access-log entry." }),
            z.record(z.string(), z.union([Scalar, z.array(Scalar)])).openapi({
              description:
                "The relayer's refusals: what was checked (retryAfterSeconds, currentNonce, the budget's spentWei and neededWei, a revert's error and args).",
            }),
          ])
          .optional()
          .openapi({ description: "Machine-readable detail, for the codes that have it." }),
      })
      .openapi({ description: "What was refused, and why." }),
  })
  .openapi("Error", {
    description: "Every refusal of every route: `{ error: { code, message, details? } }`.",
    example: { error: { code: "grant_expired", message: "Grant 7 ended at 1767225600." } },
  });

type ErrorResponse = {
  description: string;
  content: { "application/json": { schema: typeof ErrorSchema } };
};

/** A code a route answers with; `[code, status]` where the list gives it several and this part one. */
export type Refusal = ErrorCode | readonly [ErrorCode, ErrorStatus];

/** A route's error responses: each status with the codes it carries there, and what they mean. */
export function refusals(...codes: Refusal[]): Partial<Record<ErrorStatus, ErrorResponse>> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const refusal of codes) {
    const [code, status] =
      typeof refusal === "string" ? [refusal, statusesOf(refusal)[0]] : refusal;
    const list = byStatus.get(status) ?? [];
    if (!list.includes(code)) byStatus.set(status, [...list, code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      status,
      {
        description: list
          .map((code) => `\`${code}\`: ${ERROR_CODES[code].description}`)
          .join("\n\n"),
        content: { "application/json": { schema: ErrorSchema } },
      },
    ]),
  );
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
    // Annotated: `instanceof` on the generic class would narrow to CoopError<any>.
    const known: CoopError | undefined =
      error instanceof CoopError ? error : options.translate?.(error);
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
      return c.json(errorBody(code, error.message || "Bad request."), error.status);
    }
    options.log?.({ event: "request_failed", message: error.message, path: c.req.path });
    return c.json(errorBody("internal", options.internalMessage ?? "Internal error."), 500);
  };
}
