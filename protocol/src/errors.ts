/**
 * Every error code the server's HTTP routes answer with (/api, /gateway, /relayer, /proofs and the
 * server's own), with its status and meaning: one list, so that the same bad request gets the same code
 * everywhere and a client can rely on it. Every error body is `{ error: { code, message, details? } }`.
 *
 * `CoopError` is the error type a client can cause: a code from this list, a message for people and the
 * status the HTTP edge answers with. Each layer throws its own subclass (GatewayError here, the relayer's
 * RelayerError, the read API's ApiError, the operator's ProofError and AllocationError); the server's one
 * HTTP error module (server/src/http/errors.ts) answers them all. Anything else is a bug (500 `internal`).
 */

/** [the status(es) it is answered with, what it means]. */
type Entry = readonly [status: ErrorStatus | readonly ErrorStatus[], meaning: string];

export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export const ERROR_CODES = {
  // ─── Any route ───
  invalid_request: [
    400,
    "The request's body, path or query string is malformed (the message names the field).",
  ],
  not_found: [404, "No such route, or no such resource."],
  body_too_large: [413, "The body is larger than the route accepts."],
  unsupported_media_type: [415, "The body's content type is not the one the route takes."],
  rate_limited: [429, "Too many requests from this client; try again later."],
  internal: [500, "The server failed; nothing was done."],

  // ─── Signatures (gateway, relayer, operator commands) ───
  bad_signature: [401, "The signature is not the signer's for this message, chain and contract."],
  deadline_passed: [
    [401, 422],
    "The signed message's deadline has passed (401 at the gateway, 422 at the relayer).",
  ],
  deadline_too_far: [401, "The signed message's deadline is further ahead than allowed."],
  deadline_invalid: [401, "The operator's signed command has no valid deadline."],
  nonce_reused: [401, "The gateway has already received a request with this nonce."],

  // ─── Gateway: members' sign-in and sessions ───
  siwe_invalid: [400, "The Sign-In with Ethereum message is malformed."],
  siwe_domain: [401, "The sign-in message is for another domain."],
  siwe_uri: [401, "The sign-in message is for another origin."],
  siwe_chain: [401, "The sign-in message is for another chain."],
  siwe_expired: [401, "The sign-in message has expired or was not issued just now."],
  siwe_nonce: [401, "The sign-in nonce is unknown, used or expired."],
  session_missing: [401, "No session: sign in first."],
  session_invalid: [401, "The session is unknown or has expired."],
  not_member: [403, "Only members may do this."],

  // ─── Gateway: datasets and records ───
  dataset_unknown: [404, "The gateway holds no schema for this dataset, or it is not registered."],
  schema_invalid: [422, "The dataset's schema document is not valid."],
  schema_hash_mismatch: [422, "The schema document does not hash to the dataset's on-chain hash."],
  schema_fields_mismatch: [
    422,
    "The schema document's fields are not the dataset's on-chain ones.",
  ],
  batch_invalid: [400, "The batch of records is malformed."],
  batch_too_large: [413, "The batch holds more records than allowed."],
  csv_invalid: [400, "The CSV text cannot be read."],
  records_invalid: [422, "Records do not fit the dataset's schema (details: each row's errors)."],
  records_unknown: [404, "No such records of this member."],

  // ─── Gateway: partners' queries (the policy's reasons for a refusal) ───
  query_invalid: [400, "The query is not in the query language."],
  field_unknown: [400, "The query names a field the dataset does not have."],
  grant_unknown: [404, "No such grant."],
  not_grantee: [403, "The grant was not made to the signer."],
  dataset_mismatch: [403, "The grant is for another dataset."],
  grant_not_approved: [403, "The grant's request was not approved."],
  grant_not_final: [403, "The grant's approval is not final yet (confirmations)."],
  grant_not_started: [403, "The grant has not started yet."],
  grant_expired: [403, "The grant has ended."],
  grant_revoked: [403, "The grant was revoked."],
  registry_paused: [403, "The data access registry is paused."],
  field_not_in_scope: [403, "The query uses a field outside the grant's scope."],
  field_identifying: [403, "The query asks for an identifying field."],
  rows_not_allowed: [403, "The grant allows aggregates only."],
  measure_not_private: [403, "The measure has no differentially private form here."],
  field_unbounded: [403, "The measured field has no declared bounds for noise."],
  budget_exhausted: [
    [402, 403],
    "A budget is spent: the grant's privacy budget (403, gateway) or the relayer's gas budget (402).",
  ],
  cohort_too_small: [403, "Fewer members than the grant's minimum cohort would be included."],
  filter_isolates: [403, "The filter would single out fewer members than the minimum cohort."],
  differencing: [403, "Together with earlier answers, this one would reveal a few members' data."],

  // ─── Relayer ───
  busy: [429, "The relayer is busy; try again in a minute."],
  already_relayed: [409, "This signed message was already relayed."],
  nonce_used: [409, "The signed message's nonce is already used on-chain."],
  nonce_not_current: [409, "The signed message's nonce is not the signer's current one."],
  would_revert: [422, "The call would revert (details: the decoded custom error)."],
  too_expensive: [422, "The call needs more gas than the relayer pays per transaction."],
  relayer_underfunded: [503, "The relayer's own account cannot pay for gas."],
  chain_unavailable: [503, "The chain's node does not answer."],

  // ─── Proofs and by-use revenue (the operator, /proofs) ───
  invalid_range: [400, "The batches asked for are out of order or out of range."],
  not_anchored: [409, "Nothing is anchored yet."],
  batch_not_found: [404, "No such anchored batch."],
  entry_not_found: [404, "No such access-log entry."],
  log_shorter_than_anchor: [409, "The access log holds fewer entries than the anchor covers."],
  log_broken: [409, "The stored access log does not hash into its chain."],
  allocation_not_built: [404, "No distribution is built for this grant yet."],
  allocation_differs: [409, "A different distribution is already posted for this grant."],
  no_share: [404, "The member has no share in this grant's distribution."],
  not_by_use: [409, "The grant's fee is not split by use."],
  no_operator: [409, "This server has no operator key."],
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The status(es) a code is answered with. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C][0] extends infer S
  ? S extends readonly (infer T)[]
    ? T
    : S
  : never;

/** The codes answered with status `S`. */
export type CodeWithStatus<S extends ErrorStatus> = {
  [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];

export function statusesOf(code: ErrorCode): readonly ErrorStatus[] {
  const status = ERROR_CODES[code][0];
  return typeof status === "number" ? [status] : status;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/** An error a client caused: a stable code from the list, a message for people, the HTTP status. */
export class CoopError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly status: StatusOf<C>;
  /** Extra machine-readable detail, e.g. per-row validation errors. */
  readonly details?: unknown;

  constructor(status: StatusOf<C>, code: C, message: string, details?: unknown) {
    super(message);
    this.name = "CoopError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The data gateway's errors. */
export class GatewayError<C extends ErrorCode = ErrorCode> extends CoopError<C> {
  override name = "GatewayError";
}
