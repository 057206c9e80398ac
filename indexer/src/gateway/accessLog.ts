/**
 * The access log: every decision the gateway makes (a partner's query allowed or denied, a member's
 * erasure) is appended in the same transaction as the decision, so nothing is served without its entry.
 * Entries are hash-chained — hash = sha256(previous hash ‖ canonical entry) — so a rewritten or dropped
 * entry breaks every later hash (and anchored Merkle roots of the hashes make that visible on-chain).
 * Members appear only as keyed commitments, grouped into sets stored once (an entry names its set by
 * hash); a member finds the entries about them through their own commitment.
 */
import { createHash } from "node:crypto";
import type { Address } from "viem";
import type { Queryable } from "../store/db.ts";
import { canonicalJson } from "./canonical.ts";
import { memberCommitment, type GatewayKeys } from "./keys.ts";

export const GENESIS_HASH = "0".repeat(64);

/** A partner's query, allowed or denied. */
export interface QueryEntry {
  kind: "query";
  partner: string;
  grantId: string;
  datasetId: string;
  purpose: number | null;
  decision: "allow" | "deny";
  reason: string;
  message: string;
  queryHash: string;
  fields: string[];
  shape: "rows" | "aggregate" | null;
  /** Rows returned, or groups returned and suppressed. */
  rows?: number;
  groups?: number;
  suppressedGroups?: number;
  epsilon?: number;
  latestBlock: string;
  finalizedBlock: string;
}

/** A member erased records. */
export interface ErasureEntry {
  kind: "erasure";
  datasetId: string;
  records: number;
}

export type EntryBody = QueryEntry | ErasureEntry;

export interface LoggedEntry {
  seq: number;
  at: string;
  /** How many members the entry concerns, and a hash of their sorted commitments. */
  members: number;
  membersHash: string;
  body: EntryBody;
}

export interface StoredEntry extends LoggedEntry {
  prevHash: string;
  hash: string;
}

const LOG_LOCK = 7470202;

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function entryHash(prevHash: string, entryText: string): string {
  return sha256(`${prevHash}${entryText}`);
}

/** Appends one entry about `members` (whose data the decision concerns); call inside the decision's transaction. */
export async function appendEntry(
  tx: Queryable,
  keys: GatewayKeys,
  body: EntryBody,
  members: readonly (Address | string)[],
  at: Date = new Date(),
): Promise<StoredEntry> {
  const commitments = [...new Set(members.map((m) => memberCommitment(keys, m)))].sort();
  // Serialises appends (held until this transaction ends), so the chain never forks.
  await tx.query("SELECT pg_advisory_xact_lock($1)", [LOG_LOCK]);
  const { rows } = await tx.query<{ seq: string; hash: string }>(
    "SELECT seq, hash FROM gateway_access_log ORDER BY seq DESC LIMIT 1",
  );
  const seq = rows.length ? Number(rows[0]!.seq) + 1 : 1;
  const prevHash = rows.length ? rows[0]!.hash : GENESIS_HASH;
  const entry: LoggedEntry = {
    seq,
    at: at.toISOString(),
    members: commitments.length,
    membersHash: sha256(commitments.join("\n")),
    body,
  };
  const text = canonicalJson(entry);
  const hash = entryHash(prevHash, text);
  if (commitments.length > 0) {
    // A set already stored (the same cohort answered before) is not written again.
    const { rows: inserted } = await tx.query(
      `INSERT INTO gateway_member_sets (members_hash, size) VALUES ($1, $2)
       ON CONFLICT (members_hash) DO NOTHING RETURNING 1`,
      [entry.membersHash, commitments.length],
    );
    if (inserted.length > 0) {
      await tx.query(
        `INSERT INTO gateway_member_set_members (commitment, members_hash)
         SELECT c, $2 FROM unnest($1::text[]) AS c`,
        [commitments, entry.membersHash],
      );
    }
  }
  await tx.query(
    "INSERT INTO gateway_access_log (seq, entry, prev_hash, hash, members_hash) VALUES ($1, $2, $3, $4, $5)",
    [seq, text, prevHash, hash, entry.membersHash],
  );
  return { ...entry, prevHash, hash };
}

export interface LogVerification {
  ok: boolean;
  length: number;
  /** First entry whose hash or link does not hold. */
  brokenAt?: number;
  head: string;
}

/** Recomputes the whole chain, and each entry's member hash from the stored commitments. */
export async function verifyLog(db: Queryable): Promise<LogVerification> {
  const { rows } = await db.query<{
    seq: string;
    entry: string;
    prev_hash: string;
    hash: string;
    members_hash: string;
  }>("SELECT seq, entry, prev_hash, hash, members_hash FROM gateway_access_log ORDER BY seq");
  const { rows: setRows } = await db.query<{ members_hash: string; commitments: string[] }>(
    `SELECT members_hash, array_agg(commitment ORDER BY commitment) AS commitments
     FROM gateway_member_set_members GROUP BY members_hash`,
  );
  const sets = new Map(setRows.map((r) => [r.members_hash, r.commitments]));
  let prev = GENESIS_HASH;
  for (const [i, row] of rows.entries()) {
    const seq = Number(row.seq);
    const entry = JSON.parse(row.entry) as LoggedEntry;
    const commitments = sets.get(row.members_hash) ?? [];
    const intact =
      seq === i + 1 &&
      entry.seq === seq &&
      row.prev_hash === prev &&
      entryHash(prev, row.entry) === row.hash &&
      entry.membersHash === row.members_hash &&
      entry.members === commitments.length &&
      entry.membersHash === sha256(commitments.join("\n"));
    if (!intact) return { ok: false, length: rows.length, brokenAt: seq, head: prev };
    prev = row.hash;
  }
  return { ok: true, length: rows.length, head: prev };
}

/** A member's view of one access to their data. */
export interface MemberAccess {
  seq: number;
  at: string;
  partner: string;
  grantId: string;
  datasetId: string;
  purpose: number | null;
  fields: string[];
  shape: "rows" | "aggregate" | null;
  hash: string;
}

/** Every served query that included `member`'s data, newest first. */
export async function accessesOf(
  db: Queryable,
  keys: GatewayKeys,
  member: Address | string,
  options: { limit?: number; beforeSeq?: number } = {},
): Promise<MemberAccess[]> {
  const { rows } = await db.query<{ entry: string; hash: string }>(
    `SELECT l.entry, l.hash FROM gateway_member_set_members m
     JOIN gateway_access_log l ON l.members_hash = m.members_hash
     WHERE m.commitment = $1 AND ($2::bigint IS NULL OR l.seq < $2)
     ORDER BY l.seq DESC LIMIT $3`,
    [
      memberCommitment(keys, member),
      options.beforeSeq ?? null,
      Math.min(options.limit ?? 100, 1000),
    ],
  );
  const out: MemberAccess[] = [];
  for (const row of rows) {
    const e = JSON.parse(row.entry) as LoggedEntry;
    if (e.body.kind !== "query" || e.body.decision !== "allow") continue;
    out.push({
      seq: e.seq,
      at: e.at,
      partner: e.body.partner,
      grantId: e.body.grantId,
      datasetId: e.body.datasetId,
      purpose: e.body.purpose,
      fields: e.body.fields,
      shape: e.body.shape,
      hash: row.hash,
    });
  }
  return out;
}
