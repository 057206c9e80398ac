/**
 * The gateway's one error type: a stable machine-readable code, a message for people, and the HTTP status
 * the edge answers with. Everything a client can cause is a GatewayError; anything else is a bug (500).
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export class GatewayError extends Error {
  readonly code: string;
  readonly status: ErrorStatus;
  /** Extra machine-readable detail, e.g. per-row validation errors. */
  readonly details?: unknown;

  constructor(status: ErrorStatus, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "GatewayError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
