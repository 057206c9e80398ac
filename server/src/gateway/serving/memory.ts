/**
 * What the gateway keeps in memory between partners' queries, per store — each piece tagged with the store
 * state it was derived from, and used only while the deciding transaction reads that same state:
 *
 * - a dataset's snapshot (its schema, its records as engine columns, its contributors and their keyed
 *   hashes) as of the dataset's revision (bumped by every contribution, erasure and refill, in the same
 *   transaction);
 * - a grant's facts and the members its consent scope covers, as of the indexed chain head (block number
 *   and hash: a new block or a reorg moves it) and the dataset's revision;
 * - answers that may be served again, by the state they were computed from (serve.ts says which).
 *
 * The store stays the record of truth; nothing here is ever written back, and a change the store has not
 * committed is never kept. The privacy ledger (ledger.ts) and the exact mode's differencing memory
 * (exactMemory.ts) are brought up to date from the store in every transaction that uses them.
 */
import { createHash, createHmac } from "node:crypto";
import type { Queryable } from "../../store/db.ts";
import type { MemberSet } from "./accessLog.ts";
import type { ChainView } from "./chainView.ts";
import type { RecordsChange } from "../records/changes.ts";
import {
  buildColumns,
  inverse,
  keyedRanks,
  valueAt,
  type DatasetColumns,
  type RawValue,
} from "../query/engine.ts";
import { memberCommitment, type GatewayKeys } from "../auth/keys.ts";
import { includesMember, type GrantFacts } from "../query/policy.ts";
import { dataTable, loadDataset } from "../records/records.ts";
import type { DatasetSchema } from "@datacoop/protocol/datasetSchema";

export interface DatasetSnapshot {
  revision: string;
  schema: DatasetSchema;
  /** Null when the dataset has no typed table yet. */
  data: DatasetColumns | null;
  /** Every contributor (erased records included): address by member number. */
  addressOf: Map<number, string>;
  contributors: string[];
  numbers: number[];
  /** One more than the highest member number. */
  bound: number;
  derived: Map<string, unknown>;
}

interface Scope {
  head: string;
  revision: string;
  covered: Uint8Array;
}

const MAX_GRANTS = 4096;
const MAX_RANKS = 64;
const MAX_SETS = 4096;
const MAX_ANSWERS = 4096;

export class GatewayMemory {
  private datasets = new Map<string, DatasetSnapshot>();
  private grants = new Map<string, { head: string; facts: GrantFacts | null }>();
  private scopes = new Map<string, Scope>();
  private loading = new Map<string, Promise<DatasetSnapshot | null>>();
  private answers = new Map<string, unknown>();

  /** An outcome kept by {@link keepAnswer} (see serve.ts for when that is allowed). */
  answerFor<T>(key: string): T | undefined {
    return this.answers.get(key) as T | undefined;
  }

  keepAnswer(key: string, outcome: unknown): void {
    if (this.answers.size >= MAX_ANSWERS) this.answers.clear();
    this.answers.set(key, outcome);
  }

  /** Member sets known to be in the log's set table (committed). */
  readonly storedSets = new Set<string>();

  /** Notes member sets whose rows a committed transaction wrote (or found). */
  setsStored(hashes: Iterable<string>): void {
    if (this.storedSets.size > 100_000) this.storedSets.clear();
    for (const h of hashes) this.storedSets.add(h);
  }

  /** Revisions of the datasets, read in the deciding transaction. */
  async revisions(q: Queryable, datasetIds: readonly bigint[]): Promise<Map<string, string>> {
    const { rows } = await q.query<{ dataset_id: string; revision: string }>(
      "SELECT dataset_id::text AS dataset_id, revision FROM gateway_datasets WHERE dataset_id = ANY($1::numeric[])",
      [[...new Set(datasetIds.map(String))]],
    );
    return new Map(rows.map((r) => [r.dataset_id, String(r.revision)]));
  }

  /** The dataset as of `revision` (read in the same transaction), null when no schema is accepted. */
  async dataset(
    q: Queryable,
    datasetId: bigint,
    revision: string | undefined,
  ): Promise<DatasetSnapshot | null> {
    if (revision === undefined) return null;
    const key = datasetId.toString();
    const cached = this.datasets.get(key);
    if (cached && cached.revision === revision) return cached;
    const loadKey = `${key}@${revision}`;
    let pending = this.loading.get(loadKey);
    if (!pending) {
      pending = loadSnapshot(q, datasetId, revision);
      this.loading.set(loadKey, pending);
    }
    try {
      const snapshot = await pending;
      if (snapshot) this.datasets.set(key, snapshot);
      return snapshot;
    } finally {
      this.loading.delete(loadKey);
    }
  }

  /**
   * Brings a dataset's copy up to date with a change this process committed, when the copy is exactly
   * one revision behind; otherwise leaves it, to be read again at the next query.
   */
  apply(change: RecordsChange): void {
    const key = change.datasetId.toString();
    const old = this.datasets.get(key);
    if (!old?.data || BigInt(old.revision) + 1n !== change.revision) return;
    this.datasets.set(key, applyChange(old, change));
  }

  /** The grant's facts as of the chain head (read through the view once per head). */
  async grant(
    q: Queryable,
    chain: ChainView,
    head: string | undefined,
    grantId: bigint,
  ): Promise<GrantFacts | null> {
    if (head === undefined) return chain.grant(q, grantId);
    const key = grantId.toString();
    const cached = this.grants.get(key);
    if (cached && cached.head === head) return cached.facts;
    const facts = await chain.grant(q, grantId);
    if (this.grants.size >= MAX_GRANTS) this.grants.clear();
    this.grants.set(key, { head, facts });
    return facts;
  }

  /** Which member numbers the grant may read: consent covering its purpose, not opted out, members now. */
  async covered(
    q: Queryable,
    chain: ChainView,
    head: string | undefined,
    grant: GrantFacts,
    snapshot: DatasetSnapshot,
  ): Promise<Uint8Array> {
    const key = grant.id.toString();
    const cached = this.scopes.get(key);
    if (
      head !== undefined &&
      cached &&
      cached.head === head &&
      cached.revision === snapshot.revision
    ) {
      return cached.covered;
    }
    const covered = new Uint8Array(snapshot.bound);
    if (snapshot.contributors.length > 0) {
      const facts = await chain.consentFacts(q, grant, snapshot.contributors);
      snapshot.contributors.forEach((m, i) => {
        const f = facts.get(m);
        if (f !== undefined && includesMember(f, grant.purpose)) covered[snapshot.numbers[i]] = 1;
      });
    }
    if (head !== undefined) {
      if (this.scopes.size >= MAX_GRANTS) this.scopes.clear();
      this.scopes.set(key, { head, revision: snapshot.revision, covered });
    }
    return covered;
  }
}

async function loadSnapshot(
  q: Queryable,
  datasetId: bigint,
  revision: string,
): Promise<DatasetSnapshot | null> {
  const schema = await loadDataset(q, datasetId);
  if (!schema) return null;
  // One row of arrays, a column each: far faster to read than 100,000 rows. Sorted by member here.
  const cols = schema.fields.map((f, i) =>
    f.type === "date"
      ? `array_agg(f${i}::text) AS f${i}`
      : f.type === "number" || f.type === "integer"
        ? `array_agg(f${i}::float8) AS f${i}`
        : `array_agg(f${i}) AS f${i}`,
  );
  const { rows: packed } = await q.query<Record<string, RawValue[] | null>>(
    `SELECT array_agg(m) AS m, array_agg(record_id) AS record_id, ${cols.join(", ")} FROM ${dataTable(datasetId)}`,
  );
  const arrays = packed[0];
  const members = ((arrays.m ?? []) as number[]).map(Number);
  const ids = (arrays.record_id ?? []) as string[];
  const order = members.map((_, i) => i);
  order.sort((x, y) => members[x] - members[y] || (ids[x] < ids[y] ? -1 : 1));
  const data = buildColumns(
    schema,
    order.map((i) => ({
      m: members[i],
      record_id: ids[i],
      values: schema.fields.map((_, j) => arrays[`f${j}`]?.[i] ?? null),
    })),
  );
  const { rows: people } = await q.query<{ member: string; member_no: number }>(
    "SELECT member, member_no FROM gateway_contributors WHERE dataset_id = $1 ORDER BY member_no",
    [datasetId.toString()],
  );
  const numbers = people.map((p) => Number(p.member_no));
  return {
    revision,
    schema,
    data,
    addressOf: new Map(people.map((p) => [Number(p.member_no), p.member])),
    contributors: people.map((p) => p.member),
    numbers,
    bound: Math.max(0, ...numbers, ...data.member.slice(-1)) + 1,
    derived: new Map(),
  };
}

/** A new snapshot: the old one's rows, minus the member's erased or replaced records, plus the stored ones. */
export function applyChange(old: DatasetSnapshot, change: RecordsChange): DatasetSnapshot {
  const data = old.data!;
  const fields = old.schema.fields;
  const replaced = new Set([
    ...change.stored.map((r) => r.recordId),
    ...(change.erased === "all" ? [] : change.erased),
  ]);
  const rows: { m: number; record_id: string; values: RawValue[] }[] = [];
  for (let r = 0; r < data.size; r++) {
    const m = data.member[r];
    const id = data.recordId[r];
    if (m === change.memberNo && (change.erased === "all" || replaced.has(id))) continue;
    rows.push({
      m,
      record_id: id,
      values: fields.map((f, j) => valueAt(data.columns[j], r, f.type === "date") as RawValue),
    });
  }
  for (const r of change.stored) {
    rows.push({ m: change.memberNo, record_id: r.recordId, values: r.values });
  }
  rows.sort(
    (a, b) => a.m - b.m || (a.record_id < b.record_id ? -1 : a.record_id > b.record_id ? 1 : 0),
  );
  const addressOf = new Map(old.addressOf);
  let { contributors, numbers } = old;
  if (!addressOf.has(change.memberNo)) {
    addressOf.set(change.memberNo, change.member);
    contributors = [...contributors, change.member];
    numbers = [...numbers, change.memberNo];
  }
  return {
    revision: change.revision.toString(),
    schema: old.schema,
    data: buildColumns(old.schema, rows),
    addressOf,
    contributors,
    numbers,
    bound: Math.max(old.bound, change.memberNo + 1),
    derived: new Map(),
  };
}

function derive<T>(snapshot: DatasetSnapshot, key: string, make: () => T): T {
  if (!snapshot.derived.has(key)) snapshot.derived.set(key, make());
  return snapshot.derived.get(key) as T;
}

/** The grant's keyed order of the snapshot's rows (see engine.ts `keyedRanks`). */
export function ranksFor(
  snapshot: DatasetSnapshot,
  salt: string,
): { rank: Int32Array; order: Int32Array } {
  const ranks = derive(
    snapshot,
    "ranks",
    () => new Map<string, { rank: Int32Array; order: Int32Array }>(),
  );
  let keyed = ranks.get(salt);
  if (!keyed) {
    if (ranks.size >= MAX_RANKS) ranks.clear();
    const rank = keyedRanks(snapshot.data!, salt);
    keyed = { rank, order: inverse(rank) };
    ranks.set(salt, keyed);
  }
  return keyed;
}

interface KeyedMembers {
  /** Each member number's access-log commitment. */
  commitment: (string | undefined)[];
  /** Member numbers sorted by commitment. */
  byCommitment: number[];
  /** Each member number's commitment as four 32-bit words (for set fingerprints). */
  lanes: Uint32Array;
  sets: Map<string, string>;
}

function keyed(snapshot: DatasetSnapshot, keys: GatewayKeys): KeyedMembers {
  return derive(snapshot, "keyed", () => {
    const commitment = new Array<string | undefined>(snapshot.bound);
    for (const [n, address] of snapshot.addressOf) commitment[n] = memberCommitment(keys, address);
    const byCommitment = [...snapshot.addressOf.keys()].sort((a, b) =>
      commitment[a]! < commitment[b]! ? -1 : 1,
    );
    const lanes = new Uint32Array(snapshot.bound * 4);
    for (const n of snapshot.addressOf.keys()) {
      for (let w = 0; w < 4; w++) {
        lanes[n * 4 + w] = parseInt(commitment[n]!.slice(w * 8, w * 8 + 8), 16);
      }
    }
    return { commitment, byCommitment, lanes, sets: new Map<string, string>() };
  });
}

/** A 32-bit hash of a string from a seed (FNV-1a, then a final mix). */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Two 32-bit words per row: a keyed hash of the record (its member, id and values), for the exact mode's
 * record digests (exactMemory.ts). Collisions can only make the differencing check suppress more, never
 * less: it compares counts and member sets exactly, and digests only for equality.
 */
export function recordHashesOf(snapshot: DatasetSnapshot, keys: GatewayKeys): Uint32Array {
  return derive(snapshot, "recordHashes", () => {
    const data = snapshot.data!;
    const seedBytes = createHmac("sha256", keys.logKey).update("record-digest").digest();
    const s0 = seedBytes.readUInt32BE(0);
    const s1 = seedBytes.readUInt32BE(4);
    const fields = snapshot.schema.fields;
    const out = new Uint32Array(data.size * 2);
    for (let r = 0; r < data.size; r++) {
      let text = `${data.member[r]}|${data.recordId[r]}`;
      for (let j = 0; j < fields.length; j++) {
        text += `|${String(valueAt(data.columns[j], r, fields[j].type === "date"))}`;
      }
      out[2 * r] = hash32(text, s0);
      out[2 * r + 1] = hash32(text, s1);
    }
    return out;
  });
}

/**
 * The access log's member set of some member numbers (as accessLog.ts `memberSetOf` of their addresses):
 * the sorted commitments are hashed once per distinct set, found again by a fingerprint of the set.
 */
export function memberSetOfNumbers(
  snapshot: DatasetSnapshot,
  keys: GatewayKeys,
  lists: readonly (Int32Array | readonly number[])[],
): MemberSet {
  const k = keyed(snapshot, keys);
  const mark = new Uint8Array(snapshot.bound);
  let count = 0;
  // A fingerprint: the XOR of the members' commitments (keyed, 128 bits) and the count.
  let f0 = 0;
  let f1 = 0;
  let f2 = 0;
  let f3 = 0;
  const lanes = k.lanes;
  for (const list of lists) {
    for (const m of list) {
      if (mark[m]) continue;
      mark[m] = 1;
      count++;
      f0 ^= lanes[m * 4];
      f1 ^= lanes[m * 4 + 1];
      f2 ^= lanes[m * 4 + 2];
      f3 ^= lanes[m * 4 + 3];
    }
  }
  const fp = [f0, f1, f2, f3];
  const commitments = () => k.byCommitment.filter((n) => mark[n]).map((n) => k.commitment[n]!);
  const key = `${count}:${fp.join(":")}`;
  let hash = k.sets.get(key);
  if (hash === undefined) {
    hash = createHash("sha256").update(commitments().join("\n")).digest("hex");
    if (k.sets.size >= MAX_SETS) k.sets.clear();
    k.sets.set(key, hash);
  }
  return { count, hash, commitments };
}
