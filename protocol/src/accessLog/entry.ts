/**
 * The public access-log entry, format 2: what `/proofs/entries/{seq}` serves (as canonical JSON, RFC 8785)
 * and what the chain of hashes, the Merkle anchors and the proofs cover. It names who asked what kind of
 * question under which grant, when, and what was decided; everything about the answer — the answer itself,
 * the members it concerned, how many, the rows, the groups, the suppressed groups, a refusal decided on the
 * data — is behind its `seal` (seal.ts). The schemas are strict: a field the gateway would add to the public
 * entry fails the gateway's tests until it is described here.
 */
import { z } from "zod";

/**
 * Refusals decided from the request, the grant, the chain and the schema alone, before any member's data
 * is read: their code is public. Every other reason (the cohort rules, differencing, the privacy budget,
 * and any code added later) reads `withheld` in the public entry, since it tells something about the data.
 */
export const PUBLIC_REASONS = [
  "allowed",
  "grant_unknown",
  "dataset_unknown",
  "field_unknown",
  "not_grantee",
  "dataset_mismatch",
  "grant_not_approved",
  "grant_not_final",
  "grant_not_started",
  "grant_expired",
  "grant_revoked",
  "registry_paused",
  "field_not_in_scope",
  "field_identifying",
  "rows_not_allowed",
  "measure_not_private",
  "field_unbounded",
  "query_invalid",
] as const;

/** What a public entry says in place of a reason decided on the members' data. */
export const WITHHELD = "withheld";

const decimal = z.string().regex(/^(0|[1-9]\d*)$/);

export const publicQueryBodySchema = z
  .strictObject({
    kind: z.literal("query").describe("A partner's signed query, allowed or refused."),
    partner: z
      .string()
      .regex(/^0x[0-9a-f]{40}$/)
      .describe("The partner who signed it (address, lower case)."),
    grantId: decimal.describe("The grant it was asked under (decimal)."),
    datasetId: decimal.describe("The dataset (decimal)."),
    purpose: z
      .number()
      .int()
      .min(0)
      .max(255)
      .nullable()
      .describe("The grant's purpose bit; null when the grant is unknown."),
    decision: z.enum(["allow", "deny"]).describe("Whether it was answered."),
    reason: z
      .enum([...PUBLIC_REASONS, WITHHELD])
      .describe(
        "`allowed`, a refusal decided from the request, the grant, the chain or the schema alone, or `withheld` for a refusal decided on the members' data (its code is sealed).",
      ),
    queryHash: z
      .string()
      .regex(/^0x[0-9a-f]{64}$/)
      .describe("keccak256 of the query's canonical JSON, as the partner signed it."),
    fields: z.array(z.string()).describe("The fields the query reads."),
    shape: z.enum(["rows", "aggregate"]).nullable().describe("Rows or an aggregate."),
    epsilon: z
      .number()
      .optional()
      .describe("The privacy loss the query asked to spend (differentially private datasets)."),
    latestBlock: decimal.describe("The latest indexed block the decision was made at."),
    finalizedBlock: decimal.describe("The highest block then treated as final."),
  })
  .describe("A decision on a query, as anyone may read it.");

export const publicErasureBodySchema = z
  .strictObject({
    kind: z.literal("erasure").describe("A member erased records (how many is sealed)."),
    datasetId: decimal.describe("The dataset (decimal)."),
  })
  .describe("An erasure, as anyone may read it.");

export const publicEntrySchema = z
  .strictObject({
    v: z.literal(2).describe("The entry format (entries without `v` are format 1)."),
    seq: z
      .number()
      .int()
      .min(1)
      .describe("The entry's sequence number; its leaf index is seq − 1."),
    at: z.iso.datetime().describe("When it was decided (ISO 8601, UTC)."),
    body: z
      .discriminatedUnion("kind", [publicQueryBodySchema, publicErasureBodySchema])
      .describe("What was decided."),
    seal: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .describe(
        "SHA-256 (hex) of canonical { answer, members }: two salted commitments, one to the answer's hash and the exact reason and message, one to the member set, the member count and every exact figure (rows, groups, suppressed groups, records erased). The partner who asked receives the first opened; a member both as hashes.",
      ),
  })
  .describe(
    "A public access-log entry (format 2). Its hash is SHA-256(previous hash ‖ its canonical JSON); entries are the leaves of the anchored Merkle tree. Format 1 entries (`{ seq, at, members, membersHash, body }`, without `v` or `seal`) were written before and published the member count and every figure.",
  );

export type PublicEntry = z.infer<typeof publicEntrySchema>;
export type PublicQueryBody = z.infer<typeof publicQueryBodySchema>;
export type PublicErasureBody = z.infer<typeof publicErasureBodySchema>;
