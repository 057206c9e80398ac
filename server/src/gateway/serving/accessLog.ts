/**
 * The access log: every decision the gateway makes (a partner's query allowed or denied, a member's
 * erasure) is appended in the same transaction as the decision, so nothing is served without its entry.
 * Entries are hash-chained — hash = sha256(previous hash ‖ canonical entry) — so a rewritten or dropped
 * entry breaks every later hash (and anchored Merkle roots of the hashes make that visible on-chain).
 *
 * Entries are public (`/proofs/entries/{seq}`), so an entry carries only what anyone may know — who asked
 * what kind of question under which grant, when, and what was decided — and one hash, its seal
 * (@datacoop/protocol/accessLog/seal), for everything else: the answer, the members it concerned and every exact figure.
 * The openings of the seal are kept beside the entry; the partner who asked gets the answer half, a member
 * the halves' hashes, the co-op both. Members appear only as keyed commitments, grouped into sets stored
 * once (an entry's opening names its set by hash); a member finds the entries about them through their
 * own commitment.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "../../store/db.ts";
import type {
  AnswerOpening,
  FullOpening,
  MemberOpening,
  MembersOpening,
  RequesterOpening,
} from "@datacoop/protocol/accessLog/seal";
import {
  PUBLIC_REASONS as PUBLIC_REASON_LIST,
  WITHHELD,
  publicQueryBodySchema,
  type PublicErasureBody,
  type PublicQueryBody,
} from "@datacoop/protocol/accessLog/entry";
import { canonicalJson } from "@datacoop/protocol/canonical";
import { memberCommitment, type GatewayKeys } from "../auth/keys.ts";

export const GENESIS_HASH = "0".repeat(64);

/** The entry format: 2 seals every exact figure (entries without `v` are format 1, written before). */
export const LOG_FORMAT = 2;

/** A partner's query, allowed or denied, as the gateway decided it (the public entry shows part of it). */
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
  /** How an allowed query was answered: rows, differentially private, or exact (a voted exact mode). */
  mode?: "rows" | "private" | "exact";
  /**
   * Rows returned, or groups returned and suppressed (under differential privacy both follow from the
   * noisy counts, never from exact ones).
   */
  rows?: number;
  groups?: number;
  suppressedGroups?: number;
  /**
   * Differential privacy: the ε charged to each member of the entry's member set (the charged set) in the
   * privacy ledger; 0 for an answer served again.
   */
  epsilon?: number;
  /** The same noisy answer served again (nothing charged). */
  servedAgain?: boolean;
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

/**
 * The fields of a query decision anyone may read (the public entry's format, @datacoop/protocol/accessLog/entry).
 * Everything else of a `QueryEntry` — and any field added to it later — is sealed.
 */
export const PUBLIC_QUERY_FIELDS = Object.keys(publicQueryBodySchema.shape) as (keyof QueryEntry &
  keyof PublicQueryBody)[];

/** Reasons shown as they are; every other one (decided on the members' data) reads `withheld`. */
export const PUBLIC_REASONS: ReadonlySet<string> = new Set(PUBLIC_REASON_LIST);

export type PublicQueryEntry = PublicQueryBody;
export type PublicBody = PublicQueryBody | PublicErasureBody;

/** An entry as published and hashed (format 2). */
export interface LoggedEntry {
  v: typeof LOG_FORMAT;
  seq: number;
  at: string;
  body: PublicBody;
  /** SHA-256 (hex) sealing the answer, the members and the exact figures (@datacoop/protocol/accessLog/seal). */
  seal: string;
}

/** An entry of format 1 (before the seal): it published the member count and every figure. */
export interface LoggedEntryV1 {
  seq: number;
  at: string;
  members: number;
  membersHash: string;
  body: EntryBody;
}

export interface StoredEntry {
  seq: number;
  at: string;
  /** The entry's canonical JSON, as hashed and published. */
  text: string;
  prevHash: string;
  hash: string;
  /** How many members the entry concerns, and the hash of their sorted commitments (sealed). */
  members: number;
  membersHash: string;
  /** The decision as made (the public entry shows part of it). */
  body: EntryBody;
  /** What the requester may be given to check the entry against its answer. */
  opening: RequesterOpening;
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
export function memberSetOf(keys: GatewayKeys, members: readonly string[]): MemberSet {
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
  members: readonly string[],
  at: Date = new Date(),
  answer?: unknown,
): Promise<StoredEntry> {
  const [entry] = await appendEntries(
    tx,
    [{ body, members: memberSetOf(keys, members), answer }],
    at,
  );
  return entry;
}

/** The entry's public body, and what is sealed: the exact reason and message, and every other figure. */
function split(body: EntryBody): {
  visible: PublicBody;
  reason: string;
  message: string;
  detail: Record<string, unknown>;
} {
  if (body.kind === "erasure") {
    const { kind, datasetId, ...detail } = body;
    return { visible: { kind, datasetId }, reason: "erased", message: "", detail };
  }
  const visible: Record<string, unknown> = {};
  const detail: Record<string, unknown> = {};
  const shown = new Set<string>(PUBLIC_QUERY_FIELDS);
  for (const [key, value] of Object.entries(body)) {
    if (key === "message" || value === undefined) continue;
    if (shown.has(key)) visible[key] = value;
    else detail[key] = value;
  }
  visible.reason = PUBLIC_REASONS.has(body.reason) ? body.reason : WITHHELD;
  return {
    visible: visible as PublicQueryEntry,
    reason: body.reason,
    message: body.message,
    detail,
  };
}

/** SHA-256 (hex) of each answer's canonical JSON, kept while the answer object lives (answers served again). */
const answerHashes = new WeakMap<object, string>();

function answerHashOf(answer: unknown): string | null {
  if (answer === undefined || answer === null) return null;
  if (typeof answer !== "object") return sha256(canonicalJson(answer));
  let h = answerHashes.get(answer);
  if (h === undefined) answerHashes.set(answer, (h = sha256(canonicalJson(answer))));
  return h;
}

/** The seal of an opening (the formulas of @datacoop/protocol/accessLog/seal, with Node's SHA-256 for speed). */
export function sealOfOpening(opening: FullOpening): string {
  return sha256(
    canonicalJson({
      answer: answerHalf(opening.answer),
      members: membersHalf(opening.members),
    }),
  );
}

function answerHalf(o: AnswerOpening): string {
  return sha256(
    canonicalJson({ answer: o.answer, message: o.message, reason: o.reason, salt: o.salt }),
  );
}

function membersHalf(o: MembersOpening): string {
  return sha256(canonicalJson({ count: o.count, detail: o.detail, set: o.set, salt: o.salt }));
}

/**
 * Appends entries in order, in the caller's transaction (several decisions committed together): one
 * lock, one read of the chain's head, one insert of the new member sets and one of the entries.
 */
export async function appendEntries(
  tx: Queryable,
  items: readonly { body: EntryBody; members: MemberSet; answer?: unknown }[],
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
  let seq = rows.length ? Number(rows[0].seq) : 0;
  let prevHash = rows.length ? rows[0].hash : GENESIS_HASH;
  const stored: StoredEntry[] = [];
  const openings: string[] = [];
  const sets = new Map<string, MemberSet>();
  const salts = randomBytes(32 * items.length).toString("hex");
  for (const [i, item] of items.entries()) {
    const { visible, reason, message, detail } = split(item.body);
    const opening: FullOpening = {
      answer: {
        answer: answerHashOf(item.answer),
        reason,
        message,
        salt: salts.slice(i * 64, i * 64 + 32),
      },
      members: {
        count: item.members.count,
        set: item.members.hash,
        detail,
        salt: salts.slice(i * 64 + 32, i * 64 + 64),
      },
    };
    const members = membersHalf(opening.members);
    const entry: LoggedEntry = {
      v: LOG_FORMAT,
      seq: ++seq,
      at: at.toISOString(),
      body: visible,
      seal: sha256(canonicalJson({ answer: answerHalf(opening.answer), members })),
    };
    const text = canonicalJson(entry);
    const hash = entryHash(prevHash, text);
    stored.push({
      seq: entry.seq,
      at: entry.at,
      text,
      prevHash,
      hash,
      members: item.members.count,
      membersHash: item.members.hash,
      body: item.body,
      opening: { answer: opening.answer, members },
    });
    openings.push(canonicalJson(opening));
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
    `INSERT INTO gateway_access_log (seq, entry, prev_hash, hash, members_hash, opening)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
    [
      stored.map((e) => e.seq),
      stored.map((e) => e.text),
      stored.map((e) => e.prevHash),
      stored.map((e) => e.hash),
      stored.map((e) => e.membersHash),
      openings,
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

/**
 * Recomputes the whole chain; for each entry, its seal from the stored opening and the opening's member
 * set from the stored commitments (format 1: the member count and hash the entry published).
 */
export async function verifyLog(db: Queryable): Promise<LogVerification> {
  const { rows } = await db.query<{
    seq: string;
    entry: string;
    prev_hash: string;
    hash: string;
    members_hash: string;
    opening: string | null;
  }>(
    "SELECT seq, entry, prev_hash, hash, members_hash, opening FROM gateway_access_log ORDER BY seq",
  );
  const { rows: setRows } = await db.query<{ members_hash: string; commitments: string[] }>(
    `SELECT members_hash, array_agg(commitment ORDER BY commitment) AS commitments
     FROM gateway_member_set_members GROUP BY members_hash`,
  );
  const sets = new Map(setRows.map((r) => [r.members_hash, r.commitments]));
  let prev = GENESIS_HASH;
  for (const [i, row] of rows.entries()) {
    const seq = Number(row.seq);
    const commitments = sets.get(row.members_hash) ?? [];
    const linked =
      seq === i + 1 && row.prev_hash === prev && entryHash(prev, row.entry) === row.hash;
    if (!linked || !sealHolds(row, commitments)) {
      return { ok: false, length: rows.length, brokenAt: seq, head: prev };
    }
    prev = row.hash;
  }
  return { ok: true, length: rows.length, head: prev };
}

function sealHolds(
  row: { seq: string; entry: string; members_hash: string; opening: string | null },
  commitments: readonly string[],
): boolean {
  try {
    const entry = JSON.parse(row.entry) as LoggedEntry | LoggedEntryV1;
    const set = sha256(commitments.join("\n"));
    if (!("v" in entry)) {
      return (
        entry.seq === Number(row.seq) &&
        entry.membersHash === row.members_hash &&
        entry.members === commitments.length &&
        entry.membersHash === set
      );
    }
    if (row.opening === null) return false;
    const opening = JSON.parse(row.opening) as FullOpening;
    return (
      entry.v === LOG_FORMAT &&
      entry.seq === Number(row.seq) &&
      entry.seal === sealOfOpening(opening) &&
      opening.members.set === row.members_hash &&
      opening.members.set === set &&
      opening.members.count === commitments.length
    );
  } catch {
    return false;
  }
}

/** A member's view of one access to their data, with what they need to check it. */
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
  /** The entry's text as published (its hash is sha256(prevHash ‖ entry)). */
  entry: string;
  prevHash: string;
  /** The halves of the entry's seal (null for an entry of format 1, which has none). */
  opening: MemberOpening | null;
}

/** Every served query that included `member`'s data, newest first. */
export async function accessesOf(
  db: Queryable,
  keys: GatewayKeys,
  member: string,
  options: { limit?: number; beforeSeq?: number } = {},
): Promise<MemberAccess[]> {
  const { rows } = await db.query<{
    entry: string;
    hash: string;
    prev_hash: string;
    opening: string | null;
  }>(
    `SELECT l.entry, l.hash, l.prev_hash, l.opening FROM gateway_member_set_members m
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
    const e = JSON.parse(row.entry) as LoggedEntry | LoggedEntryV1;
    if (e.body.kind !== "query" || e.body.decision !== "allow") continue;
    const full = row.opening === null ? null : (JSON.parse(row.opening) as FullOpening);
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
      entry: row.entry,
      prevHash: row.prev_hash,
      opening: full && { answer: answerHalf(full.answer), members: membersHalf(full.members) },
    });
  }
  return out;
}
