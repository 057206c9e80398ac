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
import type { Queryable } from "../../store/db.ts";
import { canonicalJson } from "@datacoop/protocol/canonical";
import { memberCommitment, type GatewayKeys } from "../auth/keys.ts";

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

/** The members an entry concerns, as the log records them: how many, and the hash of their commitments. */
export interface MemberSet {
  count: number;
  /** sha256 of the sorted commitments joined by newlines. */
  hash: string;
  /** The sorted commitments (read only when the set is stored for the first time). */
  commitments: () => readonly string[];
}

/** The member set of `members` (addresses). */
export function memberSetOf(keys: GatewayKeys, members: readonly (Address | string)[]): MemberSet {
  const commitments = [...new Set(members.map((m) => memberCommitment(keys, m)))].sort();
  return {
    count: commitments.length,
    hash: sha256(commitments.join("\n")),
    commitments: () => commitments,
  };
}

/** Appends one entry about `members` (whose data the decision concerns); call inside the decision's transaction. */
export async function appendEntry(
  tx: Queryable,
  keys: GatewayKeys,
  body: EntryBody,
  members: readonly (Address | string)[],
  at: Date = new Date(),
): Promise<StoredEntry> {
  const [entry] = await appendEntries(tx, [{ body, members: memberSetOf(keys, members) }], at);
  return entry!;
}

/**
 * Appends entries in order, in the caller's transaction (several decisions committed together): one
 * lock, one read of the chain's head, one insert of the new member sets and one of the entries.
 */
export async function appendEntries(
  tx: Queryable,
  items: readonly { body: EntryBody; members: MemberSet }[],
  at: Date = new Date(),
  /** Member sets known to be stored already (by committed transactions): not written again. */
  storedSets?: ReadonlySet<string>,
): Promise<StoredEntry[]> {
  if (items.length === 0) return [];
  // Serialises appends (held until this transaction ends), so the chain never forks.
  await tx.query("SELECT pg_advisory_xact_lock($1)", [LOG_LOCK]);
  const { rows } = await tx.query<{ seq: string; hash: string }>(
    "SELECT seq, hash FROM gateway_access_log ORDER BY seq DESC LIMIT 1",
  );
  let seq = rows.length ? Number(rows[0]!.seq) : 0;
  let prevHash = rows.length ? rows[0]!.hash : GENESIS_HASH;
  const stored: StoredEntry[] = [];
  const texts: string[] = [];
  const sets = new Map<string, MemberSet>();
  for (const item of items) {
    const entry: LoggedEntry = {
      seq: ++seq,
      at: at.toISOString(),
      members: item.members.count,
      membersHash: item.members.hash,
      body: item.body,
    };
    const text = canonicalJson(entry);
    const hash = entryHash(prevHash, text);
    stored.push({ ...entry, prevHash, hash });
    texts.push(text);
    prevHash = hash;
    if (item.members.count > 0 && !storedSets?.has(item.members.hash)) {
      sets.set(item.members.hash, item.members);
    }
  }
  if (sets.size > 0) {
    // A set already stored (the same cohort answered before) is not written again.
    const { rows: inserted } = await tx.query<{ members_hash: string }>(
      `INSERT INTO gateway_member_sets (members_hash, size)
       SELECT h, n FROM unnest($1::text[], $2::int[]) AS t(h, n)
       ON CONFLICT (members_hash) DO NOTHING RETURNING members_hash`,
      [[...sets.keys()], [...sets.values()].map((m) => m.count)],
    );
    if (inserted.length > 0) {
      const commitments: string[] = [];
      const hashes: string[] = [];
      for (const { members_hash } of inserted) {
        for (const c of sets.get(members_hash)!.commitments()) {
          commitments.push(c);
          hashes.push(members_hash);
        }
      }
      await tx.query(
        `INSERT INTO gateway_member_set_members (commitment, members_hash)
         SELECT c, h FROM unnest($1::text[], $2::text[]) AS t(c, h)`,
        [commitments, hashes],
      );
    }
  }
  await tx.query(
    `INSERT INTO gateway_access_log (seq, entry, prev_hash, hash, members_hash)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      stored.map((e) => e.seq),
      texts,
      stored.map((e) => e.prevHash),
      stored.map((e) => e.hash),
      stored.map((e) => e.membersHash),
    ],
  );
  return stored;
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
