/** The pieces of the OpenAPI description the route groups share: refusal lists, parameters, bodies. */
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { ERROR_CODES, type ErrorCode } from "@datacoop/protocol/errors";
import type { Refusal } from "../../../http/errors.ts";

/** The sub-app every route group registers on. */
export type GatewayApp = OpenAPIHono<Env>;

export const BODY: Refusal[] = [
  "invalid_request",
  "body_invalid",
  "body_too_deep",
  "body_too_large",
];
export const SESSION: Refusal[] = ["session_missing", "session_invalid", "rate_limited"];
export const SIGNED: Refusal[] = [
  "bad_signature",
  "signature_high_s",
  "deadline_passed",
  "deadline_too_far",
  "nonce_reused",
];
/** Every decision of the policy on a query: logged, the entry in the body's details. */
export const DECISIONS = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
  (code) => (ERROR_CODES[code] as { logged?: boolean }).logged,
);

export const datasetParams = z.object({
  datasetId: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, "a dataset id")
    .openapi({ description: "The dataset's on-chain id, a decimal integer from 1.", example: "1" }),
});
export const grantParams = z.object({
  grantId: z.string().regex(/^(0|[1-9]\d{0,77})$/, "a grant id"),
});
export const bearer = [{ session: [] }];

export function json(schema: z.ZodType, description: string) {
  return { description, content: { "application/json": { schema } } };
}
