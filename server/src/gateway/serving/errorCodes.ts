/**
 * Every error code the gateway answers with, its HTTP status and what it means: the list the OpenAPI
 * document gives clients (each response names its codes), and that a test holds against the source (a
 * code thrown anywhere in the gateway and missing here, or thrown with another status, fails it).
 */
export interface ErrorCode {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
  description: string;
  /** Whether the refusal is a logged decision (its body's details carry the access-log entry). */
  logged?: boolean;
}

const policy = (description: string, status: ErrorCode["status"] = 403): ErrorCode => ({
  status,
  description,
  logged: true,
});

export const ERROR_CODES = {
  // The request itself (nothing logged, nothing stored).
  request_invalid: {
    status: 400,
    description: "The body, a parameter or the envelope does not fit its schema.",
  },
  body_invalid: { status: 400, description: "A number in the body is out of range (e.g. 1e999)." },
  body_too_deep: {
    status: 400,
    description: "The body nests deeper than 16 levels (checked before parsing).",
  },
  body_too_large: {
    status: 413,
    description: "The body is larger than the gateway takes (1 MiB by default).",
  },
  unsupported_media_type: {
    status: 415,
    description: "The route takes another content type (text/csv).",
  },
  not_found: { status: 404, description: "No such route." },
  rate_limited: {
    status: 429,
    description:
      "Over a rate limit (per partner, per member, or for everyone: sign-in, schema publication); shared by every gateway process. Try again in a minute.",
  },
  internal: {
    status: 500,
    description: "The gateway failed; nothing was served or stored. A bug to report.",
  },
  // Signatures and sessions.
  bad_signature: {
    status: 401,
    description: "The signature is not the signer's for this message, chain and registry.",
  },
  signature_high_s: {
    status: 401,
    description:
      "The signature's s is above n/2: the malleable twin of a signature (EIP-2). Send the low-s form.",
  },
  deadline_passed: { status: 401, description: "The signed request's deadline has passed." },
  deadline_too_far: { status: 401, description: "The deadline is more than an hour ahead." },
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
  // Standing (nothing logged, nothing stored).
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
      "Only members contribute records; only members (or former members, their own) erase.",
  },
  // Records and schema documents.
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
  // The policy's decisions on a partner's query (logged).
  grant_unknown: policy("No such grant (or access request).", 404),
  dataset_unknown: policy(
    "The dataset is not registered, or the gateway holds no schema document for it.",
    404,
  ),
  field_unknown: policy("The query names a field the dataset does not have.", 400),
  query_invalid: policy(
    "The query does not fit the query language (refused before its signature is checked, not logged), or a value or operator does not fit its field's type (a logged decision).",
    400,
  ),
  not_grantee: policy("The grant was made to another partner."),
  dataset_mismatch: policy("The grant is for another dataset."),
  grant_not_approved: policy("The access request has not been approved."),
  grant_not_final: policy("The approval's block is not final yet."),
  grant_not_started: policy("The grant's term has not started."),
  grant_expired: policy("The grant's term has ended."),
  grant_revoked: policy("The grant was revoked by a vote."),
  registry_paused: policy("The registry is paused: no grant is active."),
  field_not_in_scope: policy("A field the query reads is not in the grant's scope."),
  field_identifying: policy("A field the query reads identifies a person and is never served."),
  rows_not_allowed: policy("The grant allows aggregates only."),
  measure_not_private: policy(
    "The dataset is answered with differential privacy: count, sum and mean only.",
  ),
  field_unbounded: policy(
    "A summed or averaged field has no bounds to clamp to (differential privacy).",
  ),
  budget_exhausted: policy("The privacy budget would be exceeded."),
  cohort_too_small: policy("The answer would cover fewer than k members."),
  filter_isolates: policy("A filter or group would set apart fewer than k members."),
  differencing: policy("The answer would differ from an earlier one by exactly one member."),
} as const satisfies Record<string, ErrorCode>;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** The codes answered with `status`, for a response's description. */
export function codesWithStatus(status: number): [string, ErrorCode][] {
  return Object.entries(ERROR_CODES).filter(([, e]) => e.status === status);
}
