/**
 * Every error code the server's HTTP routes answer with (/api, /gateway, /relayer, /proofs and the
 * server's own), with its status and meaning: one list, so that the same bad request gets the same code
 * everywhere and a client can rely on it. Every error body is `{ error: { code, message, details? } }`.
 * The OpenAPI document lists, under each response, the codes it carries with these descriptions; a test
 * holds the list against the source (a code thrown and missing here, or with another status, fails it).
 *
 * `CoopError` is the error type a client can cause: a code from this list, a message for people and the
 * status the HTTP edge answers with. Each layer throws its own subclass (GatewayError here, the relayer's
 * RelayerError, the read API's ApiError, the operator's ProofError and AllocationError); the server's one
 * HTTP error module (server/src/http/errors.ts) answers them all. Anything else is a bug (500 `internal`).
 */

export type ErrorStatus = 400 | 401 | 402 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

export interface ErrorCodeEntry {
  /** The status it is answered with; where two parts answer it differently, the gateway's first. */
  status: ErrorStatus | readonly [ErrorStatus, ...ErrorStatus[]];
  description: string;
  /** A refusal the gateway logs as a decision (the body's details carry its access-log entry). */
  logged?: boolean;
}

/** A decision of the gateway's policy: logged, 403 unless said otherwise. */
function policy<const S extends ErrorStatus>(status: S, description: string) {
  return { status, description, logged: true } as const;
}

export const ERROR_CODES = {
  // ─── The request itself, on any route (nothing logged, nothing stored) ───
  invalid_request: {
    status: 400,
    description:
      "The body, a path or query parameter, or the envelope does not fit its schema (the message names the fields).",
  },
  body_invalid: { status: 400, description: "A number in the body is out of range (e.g. 1e999)." },
  body_too_deep: {
    status: 400,
    description: "The body nests deeper than 16 levels (checked before parsing).",
  },
  body_too_large: {
    status: 413,
    description: "The body is larger than the route takes (the gateway: 1 MiB by default).",
  },
  unsupported_media_type: {
    status: 415,
    description: "The route takes another content type (text/csv).",
  },
  not_found: { status: 404, description: "No such route, or no such resource." },
  rate_limited: {
    status: 429,
    description:
      "Over a rate limit (per partner, per member, or for everyone: sign-in, schema publication; per member at the relayer). Try again later (Retry-After, when given).",
  },
  internal: {
    status: 500,
    description: "The server failed; nothing was served, stored or sent. A bug to report.",
  },
  store_unavailable: {
    status: 503,
    description:
      "The store (the database) cannot be reached, its connection was lost or its disk is full: nothing was half-written. Try again shortly.",
  },
  reader_only: {
    status: 503,
    description:
      "This server process reads the store another process writes (it follows no chain and sends nothing): send relays to the co-op's writer process.",
  },

  // ─── Signatures and sessions (gateway, relayer, the operator's command) ───
  bad_signature: {
    status: 401,
    description: "The signature is not the signer's for this message, chain and contract.",
  },
  signature_high_s: {
    status: 401,
    description:
      "The signature's s is above n/2: the malleable twin of a signature (EIP-2). Send the low-s form.",
  },
  deadline_passed: {
    status: [401, 422],
    description:
      "The signed message's deadline has passed (401 at the gateway; 422 at the relayer, also when it is too soon to be mined).",
  },
  deadline_too_far: { status: 401, description: "The deadline is more than an hour ahead." },
  deadline_invalid: {
    status: 401,
    description: "The operator's signed command has no valid deadline.",
  },
  nonce_reused: {
    status: 401,
    description: "This signed request (signer and nonce) was received before.",
  },
  siwe_invalid: {
    status: 400,
    description:
      "Not an EIP-4361 message with address, URI, chain id, nonce and issue time, or not a 65-byte signature.",
  },
  siwe_domain: { status: 401, description: "The sign-in message is for another domain." },
  siwe_uri: { status: 401, description: "The sign-in message is for another origin." },
  siwe_chain: { status: 401, description: "The sign-in message is for another chain." },
  siwe_expired: {
    status: 401,
    description: "The sign-in message has expired, is not valid yet, or was not issued just now.",
  },
  siwe_nonce: { status: 401, description: "The sign-in nonce is unknown, used or expired." },
  session_missing: {
    status: 401,
    description: "No session: sign in first (Authorization: Bearer <token>).",
  },
  session_invalid: { status: 401, description: "The session is unknown or has expired." },

  // ─── Standing (nothing logged, nothing stored) ───
  no_grant: {
    status: 403,
    description:
      "The signer holds no grant of this co-op (no access request of theirs was ever approved): its queries are neither decided nor logged.",
  },
  no_standing: {
    status: 403,
    description:
      "Sign-in is for members, grantees (partners who hold or held a grant), and former members who still hold records.",
  },
  not_member: {
    status: 403,
    description:
      "Only members may do this (contribute records, relay a vote or a consent); only members, or former members their own, erase.",
  },

  // ─── Gateway: records and schema documents ───
  batch_invalid: {
    status: 400,
    description: 'Not a batch of 1 to 1,000 records, or a key is "__proto__".',
  },
  batch_too_large: { status: 413, description: "More than 1,000 records in a batch." },
  csv_invalid: {
    status: 400,
    description: "The CSV has no record_id column, a column twice, or no records.",
  },
  records_invalid: {
    status: 422,
    description: "Some records do not fit the schema; details lists every row's problems.",
  },
  records_unknown: {
    status: 404,
    description: "None of the named records is the member's and live.",
  },
  schema_invalid: {
    status: 422,
    description: "The schema document does not fit the schema-document format.",
  },
  schema_hash_mismatch: {
    status: 422,
    description:
      "keccak256 of the document's canonical JSON is not the schemaHash the dataset was registered with.",
  },
  schema_fields_mismatch: {
    status: 422,
    description: "The document's fields are not the registered fields, in order.",
  },

  // ─── Gateway: the policy's decisions on a partner's query (logged) ───
  grant_unknown: policy(404, "No such grant (or access request)."),
  dataset_unknown: policy(
    404,
    "The dataset is not registered, or the gateway holds no schema document for it.",
  ),
  field_unknown: policy(400, "The query names a field the dataset does not have."),
  query_invalid: policy(
    400,
    "The query does not fit the query language (refused before its signature is checked, not logged), or a value or operator does not fit its field's type (a logged decision).",
  ),
  not_grantee: policy(403, "The grant was made to another partner."),
  dataset_mismatch: policy(403, "The grant is for another dataset."),
  grant_not_approved: policy(403, "The access request has not been approved."),
  grant_not_final: policy(403, "The approval's block is not final yet."),
  grant_not_started: policy(403, "The grant's term has not started."),
  grant_expired: policy(403, "The grant's term has ended."),
  grant_revoked: policy(403, "The grant was revoked by a vote."),
  registry_paused: policy(403, "The registry is paused: no grant is active."),
  field_not_in_scope: policy(403, "A field the query reads is not in the grant's scope."),
  field_identifying: policy(
    403,
    "A field the query reads identifies a person and is never served.",
  ),
  rows_not_allowed: policy(403, "The grant allows aggregates only."),
  measure_not_private: policy(
    403,
    "min, max and quantiles return one member's value: aggregates are answered with differential privacy (count, sum and mean), and the exact mode declares none of them.",
  ),
  field_unbounded: policy(
    403,
    "A summed or averaged field has no bounds to clamp to (differential privacy).",
  ),
  group_not_public: policy(
    403,
    "A differentially private group-by needs a public domain: an enum, a boolean, a bounded integer of at most 1,000 values, or declared bins.",
  ),
  groups_too_many: policy(
    403,
    "A differentially private answer has at most 1,000 groups (every one is noised).",
  ),
  tabulations_unknown: policy(
    403,
    "The grant chose the exact mode, and the gateway holds no document of its declared tabulations yet (publish it at /grants/{grantId}/tabulations).",
  ),
  tabulation_not_declared: policy(
    403,
    "The grant is in the exact mode, and the query is none of the tabulations its terms declare.",
  ),
  cohort_too_small: policy(
    403,
    "The exact answer (or the rows) would cover fewer than k members, or fewer than k records.",
  ),
  filter_isolates: policy(
    403,
    "A filter or group would set apart fewer than k members or records (exact answers, rows).",
  ),
  differencing: policy(
    403,
    "The exact answer would differ from an earlier exact answer about this dataset (any grant, any partner, any time) by fewer than k members or records.",
  ),

  // ─── Gateway: the exact mode's tabulations documents ───
  grant_not_exact: {
    status: 409,
    description: "The grant is answered with differential privacy; it declares no tabulations.",
  },
  tabulations_mismatch: {
    status: 409,
    description:
      "keccak256 of the document's canonical JSON is not the grant's exactTabulations term.",
  },
  tabulations_invalid: {
    status: 400,
    description:
      "The document does not fit the tabulations format, or a tabulation does not fit the dataset's schema (details: each problem).",
  },

  // ─── Relayer (nothing was sent) ───
  budget_exhausted: {
    status: 402,
    description: "The relayer's gas budget would be exceeded (details: what is spent and needed).",
  },
  busy: { status: 429, description: "The relayer is busy; try again in a minute." },
  already_relayed: { status: 409, description: "This signed message is being relayed already." },
  signature_outdated: {
    status: 409,
    description:
      "The signed consent change or grant choice is not later than the member's latest decision, or dates from before their current membership: a later decision stands (details: its time).",
  },
  nonce_not_current: {
    status: 409,
    description: "A ballot must be signed with nonce 0: the governor uses no nonces (details: it).",
  },
  nothing_to_claim: {
    status: 409,
    description:
      "The claim names a share the member is not owed: already collected, not a member when the fee came, or no such share (details: the grants).",
  },
  would_revert: {
    status: 422,
    description: "The call would revert on chain (details: the decoded custom error and args).",
  },
  too_expensive: {
    status: 422,
    description: "The call needs more gas than the relayer pays per transaction.",
  },
  relayer_underfunded: { status: 503, description: "The relayer's own account cannot pay gas." },
  chain_unavailable: { status: 503, description: "The chain's node does not answer." },

  // ─── Proofs and by-use revenue (the operator, under /proofs) ───
  invalid_range: {
    status: 400,
    description: "The batches asked for are out of order or out of range.",
  },
  not_anchored: { status: 409, description: "Nothing is anchored yet." },
  batch_not_found: { status: 404, description: "No such anchored batch." },
  entry_not_found: { status: 404, description: "No such access-log entry." },
  log_shorter_than_anchor: {
    status: 409,
    description: "The access log holds fewer entries than the anchor covers.",
  },
  log_broken: { status: 409, description: "The stored access log does not hash into its chain." },
  allocation_not_built: {
    status: 404,
    description: "No distribution is built for this grant yet.",
  },
  allocation_differs: {
    status: 409,
    description: "A different distribution is already posted for this grant.",
  },
  no_share: { status: 404, description: "The member has no share in this grant's distribution." },
  not_by_use: { status: 409, description: "The grant's fee is not split by use." },
  no_operator: { status: 409, description: "This server has no operator key." },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The status(es) a code is answered with. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"] extends infer S
  ? S extends readonly (infer T)[]
    ? T
    : S
  : never;

/** The codes answered with status `S`. */
export type CodeWithStatus<S extends ErrorStatus> = {
  [C in ErrorCode]: S extends StatusOf<C> ? C : never;
}[ErrorCode];

export function statusesOf(code: ErrorCode): readonly ErrorStatus[] {
  const status: ErrorCodeEntry["status"] = ERROR_CODES[code].status;
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
