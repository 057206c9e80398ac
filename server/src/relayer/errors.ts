/**
 * The relayer's one error type: a stable code, a message for people, the HTTP status the edge answers with
 * and, for refusals the dApp shows in detail (a call that would revert, a rate limit), machine-readable
 * details. Every refusal is a RelayerError raised before anything is sent; anything else is a bug (500).
 */
export type RelayerErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

export class RelayerError extends Error {
  readonly status: RelayerErrorStatus;
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(
    status: RelayerErrorStatus,
    code: string,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "RelayerError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}
