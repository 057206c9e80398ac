/**
 * The exact mode's differencing memory: every cohort an exact answer released about a dataset — under any
 * grant, to any partner, at any time — with its members (a bitmap of the dataset's member numbers), its
 * record count and a digest of its records, and the cell it answered (the predicate: filters, group-by
 * terms and group key). A new cohort is released only if, against every remembered one:
 *
 * - their members differ by 0 or by at least k (the exact size of the symmetric difference, from the
 *   bitmaps: a member who joined, left, withdrew or was filtered out between two answers shows as a
 *   difference of one);
 * - with the same members, their record counts differ by 0 or by at least k (one member's extra record);
 * - for the same cell with the same members, the records are the same ones (a record added or replaced
 *   in the meantime by members already there would show its value, or its change of value).
 *
 * k is the larger of the two answers' grants' k. The memory lives in the store (`gateway_exact_cohorts`),
 * read to its end under the dataset's guard (guards.ts), so every gateway process checks against every
 * answer of every other. Member sets are stored once each (`gateway_exact_sets`), and in memory they are
 * indexed by size: only sets within k − 1 of a new cohort's size can be closer than k to it, and a set
 * answered by many cells is compared once.
 */
import { createHash } from "node:crypto";
import type { Queryable } from "../../store/db.ts";
import type { Guard } from "./guards.ts";

/** A cohort as remembered: its members as a set of member numbers (a bitmap, bit m of byte m >> 3). */
export interface ExactCohort {
  /** The cell's predicate (hex digest), or null for a cohort derived from an answer (a complement). */
  cell: string | null;
  members: number;
  records: number;
  bitmap: Uint8Array;
  /** SHA-256 of the bitmap without trailing zero bytes: the same members, the same hash. */
  setHash: string;
  /** XOR of the keyed hashes of its records (two 32-bit words, hex). */
  recordDigest: string;
  k: number;
}

export type ExactConflict = { with: "members" | "records" | "replaced" } | null;

const POPCOUNT = new Uint8Array(256).map((_, i) => {
  let n = 0;
  for (let x = i; x > 0; x >>= 1) n += x & 1;
  return n;
});

/** |A Δ B| for two member bitmaps. */
export function symmetricDifference(a: Uint8Array, b: Uint8Array): number {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let n = 0;
  for (let i = 0; i < short.length; i++) n += POPCOUNT[short[i] ^ long[i]];
  for (let i = short.length; i < long.length; i++) n += POPCOUNT[long[i]];
  return n;
}

/** A set of member numbers as a bitmap without trailing zero bytes, and its hash. */
export function memberSet(members: Iterable<number>): { bitmap: Uint8Array; setHash: string } {
  let top = -1;
  const list: number[] = [];
  for (const m of members) {
    list.push(m);
    if (m > top) top = m;
  }
  const bitmap = new Uint8Array(top < 0 ? 0 : (top >> 3) + 1);
  for (const m of list) bitmap[m >> 3] |= 1 << (m & 7);
  return { bitmap, setHash: createHash("sha256").update(bitmap).digest("hex") };
}

/** Why `cohort` may not be released next to `known`, or null. */
export function conflict(cohort: ExactCohort, known: ExactCohort): ExactConflict {
  const k = Math.max(cohort.k, known.k);
  const members =
    cohort.setHash === known.setHash ? 0 : symmetricDifference(cohort.bitmap, known.bitmap);
  if (members > 0 && members < k) return { with: "members" };
  if (members > 0) return null;
  const records = Math.abs(cohort.records - known.records);
  if (records > 0 && records < k) return { with: "records" };
  if (
    cohort.cell !== null &&
    cohort.cell === known.cell &&
    cohort.recordDigest !== known.recordDigest
  ) {
    return { with: "replaced" };
  }
  return null;
}

/** Everything remembered about one member set. */
interface RememberedSet {
  bitmap: Uint8Array;
  members: number;
  maxK: number;
  /** Record counts answered with these members, and the largest k of each. */
  records: Map<number, number>;
  /** Per cell: the record digests answered with these members. */
  cells: Map<string, Set<string>>;
  signatures: Set<string>;
}

/** One dataset's remembered cohorts, as of a sequence number of the store's table. */
export class DatasetCohorts {
  seq = 0n;
  /** The largest k remembered (how far apart in size two cohorts may conflict). */
  maxK = 0;
  private sets = new Map<string, RememberedSet>();
  private bySize = new Map<number, Set<string>>();
  /** Member sets known to be in the store. */
  readonly storedSets = new Set<string>();

  private static signature(c: ExactCohort): string {
    return `${c.cell}|${c.records}|${c.recordDigest}|${c.k}`;
  }

  /** Whether an identical cohort is already remembered (nothing new to store). */
  has(c: ExactCohort): boolean {
    return this.sets.get(c.setHash)?.signatures.has(DatasetCohorts.signature(c)) ?? false;
  }

  add(c: ExactCohort): void {
    let set = this.sets.get(c.setHash);
    if (!set) {
      set = {
        bitmap: c.bitmap,
        members: c.members,
        maxK: 0,
        records: new Map(),
        cells: new Map(),
        signatures: new Set(),
      };
      this.sets.set(c.setHash, set);
      const same = this.bySize.get(c.members) ?? new Set<string>();
      same.add(c.setHash);
      this.bySize.set(c.members, same);
    }
    const sig = DatasetCohorts.signature(c);
    if (set.signatures.has(sig)) return;
    set.signatures.add(sig);
    set.maxK = Math.max(set.maxK, c.k);
    this.maxK = Math.max(this.maxK, c.k);
    set.records.set(c.records, Math.max(set.records.get(c.records) ?? 0, c.k));
    if (c.cell !== null) {
      const digests = set.cells.get(c.cell) ?? new Set<string>();
      digests.add(c.recordDigest);
      set.cells.set(c.cell, digests);
    }
  }

  /** The first conflict of `c` with a remembered cohort, or null (as `conflict` against each). */
  check(c: ExactCohort): ExactConflict {
    const reach = Math.max(c.k, this.maxK) - 1;
    for (let n = c.members - reach; n <= c.members + reach; n++) {
      for (const hash of this.bySize.get(n) ?? []) {
        const set = this.sets.get(hash)!;
        const members = hash === c.setHash ? 0 : symmetricDifference(c.bitmap, set.bitmap);
        if (members > 0) {
          if (members < Math.max(c.k, set.maxK)) return { with: "members" };
          continue;
        }
        for (const [records, k] of set.records) {
          const apart = Math.abs(records - c.records);
          if (apart > 0 && apart < Math.max(c.k, k)) return { with: "records" };
        }
        if (c.cell !== null) {
          const digests = set.cells.get(c.cell);
          if (digests && [...digests].some((d) => d !== c.recordDigest))
            return { with: "replaced" };
        }
      }
    }
    return null;
  }

  /** The bitmap of a remembered set (for storing it). */
  bitmapOf(hash: string): Uint8Array | undefined {
    return this.sets.get(hash)?.bitmap;
  }
}

/** Every dataset's remembered cohorts this gateway keeps in memory. */
export class ExactMemory {
  private datasets = new Map<string, DatasetCohorts>();

  /** The dataset's cohorts up to date with the store (its guard locked by the calling transaction). */
  async sync(tx: Queryable, guard: Guard): Promise<DatasetCohorts> {
    const key = guard.datasetId.toString();
    let known = this.datasets.get(key);
    if (!known || known.seq > guard.cohortSeq) {
      known = new DatasetCohorts();
      this.datasets.set(key, known);
    }
    if (known.seq === guard.cohortSeq) return known;
    const { rows } = await tx.query<{
      cell: string | null;
      members: number;
      records: number;
      set_hash: string;
      bitmap: Uint8Array;
      record_digest: string;
      k: number;
    }>(
      `SELECT c.cell, c.members, c.records, c.set_hash, s.bitmap, c.record_digest, c.k
       FROM gateway_exact_cohorts c
       JOIN gateway_exact_sets s ON s.dataset_id = c.dataset_id AND s.set_hash = c.set_hash
       WHERE c.dataset_id = $1 AND c.seq > $2 AND c.seq <= $3 ORDER BY c.seq`,
      [key, known.seq.toString(), guard.cohortSeq.toString()],
    );
    for (const r of rows) {
      known.add({
        cell: r.cell,
        members: Number(r.members),
        records: Number(r.records),
        bitmap: new Uint8Array(r.bitmap),
        setHash: r.set_hash,
        recordDigest: r.record_digest,
        k: Number(r.k),
      });
      known.storedSets.add(r.set_hash);
    }
    known.seq = guard.cohortSeq;
    return known;
  }

  /** After the commit that stored a dataset's new cohorts: memory is as of `seq`. */
  committed(datasetId: bigint, seq: bigint, sets: Iterable<string>): void {
    const known = this.datasets.get(datasetId.toString());
    if (!known) return;
    known.seq = seq;
    for (const h of sets) known.storedSets.add(h);
  }

  /** Forgets a dataset (its transaction rolled back: memory may hold cohorts never stored). */
  forget(datasetId: bigint): void {
    this.datasets.delete(datasetId.toString());
  }
}

/**
 * Stores the batch's new cohorts of one dataset after `guard.cohortSeq` (each member set not yet stored
 * once), moving the guard.
 */
export async function storeCohorts(
  tx: Queryable,
  guard: Guard,
  known: DatasetCohorts | undefined,
  cohorts: readonly ExactCohort[],
): Promise<void> {
  if (cohorts.length === 0) return;
  const sets = new Map<string, Uint8Array>();
  for (const c of cohorts) if (!known?.storedSets.has(c.setHash)) sets.set(c.setHash, c.bitmap);
  if (sets.size > 0) {
    await tx.query(
      `INSERT INTO gateway_exact_sets (dataset_id, set_hash, bitmap)
       SELECT $1, h, b FROM unnest($2::text[], $3::bytea[]) AS t(h, b) ON CONFLICT DO NOTHING`,
      [guard.datasetId.toString(), [...sets.keys()], [...sets.values()]],
    );
  }
  const first = guard.cohortSeq + 1n;
  await tx.query(
    `INSERT INTO gateway_exact_cohorts (dataset_id, seq, cell, members, records, set_hash, record_digest, k)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::int[], $6::text[], $7::text[], $8::int[])`,
    [
      guard.datasetId.toString(),
      cohorts.map((_, i) => (first + BigInt(i)).toString()),
      cohorts.map((c) => c.cell),
      cohorts.map((c) => c.members),
      cohorts.map((c) => c.records),
      cohorts.map((c) => c.setHash),
      cohorts.map((c) => c.recordDigest),
      cohorts.map((c) => c.k),
    ],
  );
  guard.cohortSeq += BigInt(cohorts.length);
}
