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
 * answer of every other. In memory, cohorts are indexed by member count: only those within k − 1 of a new
 * cohort's size can be closer than k to it.
 */
import type { Queryable } from "../../store/db.ts";
import type { Guard } from "./guards.ts";

/** A cohort as remembered: members as a bitmap of member numbers (bit m of byte m >> 3). */
export interface ExactCohort {
  /** The cell's predicate (hex digest), or null for a cohort derived from an answer (a complement). */
  cell: string | null;
  members: number;
  records: number;
  bitmap: Uint8Array;
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
  for (let i = 0; i < short.length; i++) n += POPCOUNT[short[i]! ^ long[i]!]!;
  for (let i = short.length; i < long.length; i++) n += POPCOUNT[long[i]!]!;
  return n;
}

/** A bitmap of member numbers. */
export function memberBitmap(members: Iterable<number>, bound: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(bound / 8));
  for (const m of members) bits[m >> 3]! |= 1 << (m & 7);
  return bits;
}

/** Why `cohort` may not be released next to `known`, or null. */
export function conflict(cohort: ExactCohort, known: ExactCohort): ExactConflict {
  const k = Math.max(cohort.k, known.k);
  const members = symmetricDifference(cohort.bitmap, known.bitmap);
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

/** One dataset's remembered cohorts, as of a sequence number of the store's table. */
export class DatasetCohorts {
  seq = 0n;
  /** The largest k remembered (how far apart in size two cohorts may conflict). */
  maxK = 0;
  private bySize = new Map<number, ExactCohort[]>();
  private signatures = new Set<string>();

  private static signature(c: ExactCohort): string {
    let fp = 0;
    for (let i = 0; i < c.bitmap.length; i++) fp = (Math.imul(fp, 31) + c.bitmap[i]!) | 0;
    return `${c.cell}|${c.members}|${c.records}|${c.recordDigest}|${c.k}|${fp}`;
  }

  /** Whether an identical cohort is already remembered (nothing new to store). */
  has(c: ExactCohort): boolean {
    return this.signatures.has(DatasetCohorts.signature(c));
  }

  add(c: ExactCohort): void {
    const sig = DatasetCohorts.signature(c);
    if (this.signatures.has(sig)) return;
    this.signatures.add(sig);
    this.maxK = Math.max(this.maxK, c.k);
    const list = this.bySize.get(c.members) ?? [];
    list.push(c);
    this.bySize.set(c.members, list);
  }

  /** The first conflict of `c` with a remembered cohort, or null. */
  check(c: ExactCohort): ExactConflict {
    const reach = Math.max(c.k, this.maxK) - 1;
    for (let n = c.members - reach; n <= c.members + reach; n++) {
      for (const known of this.bySize.get(n) ?? []) {
        const found = conflict(c, known);
        if (found) return found;
      }
    }
    return null;
  }
}

/** A cohort to store at the end of the batch. */
export interface PendingCohort {
  datasetId: bigint;
  cohort: ExactCohort;
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
      bitmap: Uint8Array;
      record_digest: string;
      k: number;
    }>(
      `SELECT cell, members, records, bitmap, record_digest, k FROM gateway_exact_cohorts
       WHERE dataset_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
      [key, known.seq.toString(), guard.cohortSeq.toString()],
    );
    for (const r of rows) {
      const cohort: ExactCohort = {
        cell: r.cell,
        members: Number(r.members),
        records: Number(r.records),
        bitmap: new Uint8Array(r.bitmap),
        recordDigest: r.record_digest,
        k: Number(r.k),
      };
      known.add(cohort);
    }
    known.seq = guard.cohortSeq;
    return known;
  }

  /** After the commit that stored a dataset's new cohorts: memory is as of `seq`. */
  committed(datasetId: bigint, seq: bigint): void {
    const known = this.datasets.get(datasetId.toString());
    if (known) known.seq = seq;
  }

  /** Forgets a dataset (its transaction rolled back: memory may hold cohorts never stored). */
  forget(datasetId: bigint): void {
    this.datasets.delete(datasetId.toString());
  }
}

/** Stores the batch's new cohorts of one dataset after `guard.cohortSeq`, moving the guard. */
export async function storeCohorts(
  tx: Queryable,
  guard: Guard,
  cohorts: readonly ExactCohort[],
): Promise<void> {
  if (cohorts.length === 0) return;
  const first = guard.cohortSeq + 1n;
  await tx.query(
    `INSERT INTO gateway_exact_cohorts (dataset_id, seq, cell, members, records, bitmap, record_digest, k)
     SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::int[], $5::int[], $6::bytea[], $7::text[], $8::int[])`,
    [
      guard.datasetId.toString(),
      cohorts.map((_, i) => (first + BigInt(i)).toString()),
      cohorts.map((c) => c.cell),
      cohorts.map((c) => c.members),
      cohorts.map((c) => c.records),
      cohorts.map((c) => c.bitmap),
      cohorts.map((c) => c.recordDigest),
      cohorts.map((c) => c.k),
    ],
  );
  guard.cohortSeq += BigInt(cohorts.length);
}
