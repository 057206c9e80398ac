/**
 * The per-member privacy ledger. Every differentially private answer charges its ε to each member whose
 * data it may include — every contributor of the dataset whose consent covers the grant, whatever their
 * records, so that who is charged depends on consent and history, never on the data — per member and
 * dataset, across every grant, partner and query, within the period of the co-op's on-chain cap. A member
 * whose charge would take them past the cap is left out of the answer (and charged nothing) until the
 * period renews, so no combination of grants, partners or queries takes anyone past it.
 *
 * In the store: one row per answer (`gateway_privacy_charges`: the ε in millionths, the period, the grant,
 * the access-log entry and its member set's hash) and each distinct charged set once
 * (`gateway_privacy_sets`: a bitmap of member numbers) — not one row per member. In memory, per dataset:
 * each member's total in the current period, brought up to date from the store's tail under the dataset's
 * guard (guards.ts) at the start of each transaction, so several gateway processes on one store never
 * overspend. Amounts are exact integers (millionths of ε).
 */
import type { Queryable } from "../../store/db.ts";
import type { Guard } from "./guards.ts";
import type { PrivacyCap } from "./chainView.ts";

/** Start of the period that `now` falls in. */
export function periodStartOf(cap: PrivacyCap, now: bigint): bigint {
  if (now <= cap.since || cap.periodSeconds <= 0n) return cap.since;
  return cap.since + ((now - cap.since) / cap.periodSeconds) * cap.periodSeconds;
}

/** A dataset's ledger as of `seq`, for one period. */
export class DatasetLedger {
  seq: bigint;
  period: bigint;
  /** Millionths of ε spent in the period, by member number (exact: integers far below 2^53). */
  spent: Float64Array;
  /** Charged sets known to be stored (committed). */
  readonly storedSets = new Set<string>();

  constructor(seq: bigint, period: bigint) {
    this.seq = seq;
    this.period = period;
    this.spent = new Float64Array(0);
  }

  /** Bumped whenever a total changes, so `include` can answer again for the same totals. */
  private version = 0;
  private lastInclude: {
    covered: Uint8Array;
    millionths: number;
    cap: number;
    version: number;
    result: { scope: Uint8Array; charged: Int32Array };
  } | null = null;

  private grow(bound: number) {
    if (this.spent.length >= bound) return;
    const next = new Float64Array(Math.max(bound, this.spent.length * 2));
    next.set(this.spent);
    this.spent = next;
  }

  add(members: Iterable<number>, millionths: number): void {
    this.version++;
    for (const m of members) {
      this.grow(m + 1);
      this.spent[m] = this.spent[m] + millionths;
    }
  }

  addBitmap(bitmap: Uint8Array, millionths: number): void {
    this.version++;
    this.grow(bitmap.length * 8);
    for (let i = 0; i < bitmap.length; i++) {
      const byte = bitmap[i];
      if (byte === 0) continue;
      for (let b = 0; b < 8; b++) if (byte & (1 << b)) this.spent[i * 8 + b] += millionths;
    }
  }

  /**
   * Who a query of `millionths` may read: the covered members whose total stays within the cap. Returns
   * the scope to compute with and the member numbers to charge (neither may be modified: the same result
   * is returned again while the totals, `covered` — a grant's covered members, never changed in place —
   * the amount and the cap stay the same).
   */
  include(
    covered: Uint8Array,
    millionths: number,
    cap: number,
  ): { scope: Uint8Array; charged: Int32Array } {
    const last = this.lastInclude;
    if (
      last &&
      last.covered === covered &&
      last.millionths === millionths &&
      last.cap === cap &&
      last.version === this.version
    ) {
      return last.result;
    }
    const scope = new Uint8Array(covered.length);
    const charged = new Int32Array(covered.length);
    let n = 0;
    const spent = this.spent;
    for (let m = 0; m < covered.length; m++) {
      if (covered[m] !== 1) continue;
      if ((m < spent.length ? spent[m] : 0) + millionths > cap) continue;
      scope[m] = 1;
      charged[n++] = m;
    }
    const result = { scope, charged: charged.slice(0, n) };
    this.lastInclude = { covered, millionths, cap, version: this.version, result };
    return result;
  }

  spentBy(member: number): number {
    return member < this.spent.length ? this.spent[member] : 0;
  }
}

/** A set of member numbers as a bitmap (bit m of byte m >> 3). */
export function bitmapOf(members: Int32Array, bound: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(bound / 8));
  for (const m of members) bits[m >> 3] |= 1 << (m & 7);
  return bits;
}

/** A charge made in an open transaction, written with the batch's log entries. */
export interface PendingCharge {
  datasetId: bigint;
  grantId: bigint;
  period: bigint;
  millionths: bigint;
  membersHash: string;
  charged: Int32Array;
  bound: number;
  /** Index of the answer's access-log entry in the batch. */
  entry: number;
}

/** Every dataset's ledger this gateway keeps in memory. */
export class PrivacyLedger {
  private datasets = new Map<string, DatasetLedger>();

  /**
   * The dataset's ledger for `period`, up to date with the store (the guard must be locked): the tail of
   * charges after what memory holds, or the whole period when memory holds another one.
   */
  async sync(tx: Queryable, guard: Guard, period: bigint): Promise<DatasetLedger> {
    const key = guard.datasetId.toString();
    let ledger = this.datasets.get(key);
    if (!ledger || ledger.period !== period || ledger.seq > guard.ledgerSeq) {
      ledger = new DatasetLedger(0n, period);
      this.datasets.set(key, ledger);
    }
    if (ledger.seq === guard.ledgerSeq) return ledger;
    const { rows } = await tx.query<{ bitmap: Uint8Array; millionths: string; hash: string }>(
      `SELECT s.bitmap, sum(c.epsilon_millionths)::text AS millionths, c.members_hash AS hash
       FROM gateway_privacy_charges c
       JOIN gateway_privacy_sets s ON s.dataset_id = c.dataset_id AND s.members_hash = c.members_hash
       WHERE c.dataset_id = $1 AND c.seq > $2 AND c.seq <= $3 AND c.period_start = $4
       GROUP BY c.members_hash, s.bitmap`,
      [key, ledger.seq.toString(), guard.ledgerSeq.toString(), period.toString()],
    );
    for (const r of rows) {
      ledger.addBitmap(new Uint8Array(r.bitmap), Number(r.millionths));
      ledger.storedSets.add(r.hash);
    }
    ledger.seq = guard.ledgerSeq;
    return ledger;
  }

  /** Forgets a dataset's ledger (its transaction rolled back: memory may hold charges never stored). */
  forget(datasetId: bigint): void {
    this.datasets.delete(datasetId.toString());
  }

  /** The in-memory ledger of a dataset, if any (tests, and the member figure when current). */
  peek(datasetId: bigint): DatasetLedger | undefined {
    return this.datasets.get(datasetId.toString());
  }
}

/**
 * Stores the batch's charges in order after `guard.ledgerSeq` (and each new set once), moving the guard;
 * `logSeqs` are the batch's access-log sequence numbers by entry index.
 */
export async function storeCharges(
  tx: Queryable,
  ledger: DatasetLedger,
  guard: Guard,
  charges: readonly PendingCharge[],
  logSeqs: readonly number[],
): Promise<void> {
  if (charges.length === 0) return;
  const sets = new Map<string, PendingCharge>();
  for (const c of charges) {
    if (!ledger.storedSets.has(c.membersHash)) sets.set(c.membersHash, c);
  }
  if (sets.size > 0) {
    await tx.query(
      `INSERT INTO gateway_privacy_sets (dataset_id, members_hash, bitmap)
       SELECT $1, h, b FROM unnest($2::text[], $3::bytea[]) AS t(h, b)
       ON CONFLICT DO NOTHING`,
      [
        guard.datasetId.toString(),
        [...sets.keys()],
        [...sets.values()].map((c) => bitmapOf(c.charged, c.bound)),
      ],
    );
  }
  const first = guard.ledgerSeq + 1n;
  await tx.query(
    `INSERT INTO gateway_privacy_charges
       (dataset_id, seq, period_start, grant_id, log_seq, epsilon_millionths, members_hash)
     SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::numeric[], $5::bigint[], $6::bigint[], $7::text[])`,
    [
      guard.datasetId.toString(),
      charges.map((_, i) => (first + BigInt(i)).toString()),
      charges.map((c) => c.period.toString()),
      charges.map((c) => c.grantId.toString()),
      charges.map((c) => logSeqs[c.entry]),
      charges.map((c) => c.millionths.toString()),
      charges.map((c) => c.membersHash),
    ],
  );
  guard.ledgerSeq += BigInt(charges.length);
  guard.periodStart = charges.reduce((p, c) => (c.period > p ? c.period : p), guard.periodStart);
}

/** After the commit: the ledger in memory is as of the guard. */
export function committed(ledger: DatasetLedger, guard: Guard, charges: readonly PendingCharge[]) {
  ledger.seq = guard.ledgerSeq;
  for (const c of charges) ledger.storedSets.add(c.membersHash);
}

export interface MemberPrivacy {
  datasetId: string;
  /** Answers whose member set held the member (every kind: private, exact, rows), ever. */
  answers: number;
  /** Differentially private answers that charged the member, ever and in the current period. */
  privateAnswers: number;
  periodPrivateAnswers: number;
  /** Millionths of ε charged to the member in the current period, and the cap (decimal strings). */
  usedMillionths: string;
  capMillionths: string;
  /** The current period, unix seconds (end exclusive). */
  periodStart: string;
  periodEnd: string;
}

/** A member's own figures per dataset, from the store, by their access-log commitment. */
export async function memberPrivacy(
  q: Queryable,
  commitment: string,
  cap: PrivacyCap,
  now: bigint,
): Promise<MemberPrivacy[]> {
  const period = periodStartOf(cap, now);
  const { rows: charged } = await q.query<{
    dataset_id: string;
    answers: string;
    period_answers: string;
    used: string;
  }>(
    `SELECT c.dataset_id::text AS dataset_id, count(*)::text AS answers,
       count(*) FILTER (WHERE c.period_start = $2)::text AS period_answers,
       coalesce(sum(c.epsilon_millionths) FILTER (WHERE c.period_start = $2), 0)::text AS used
     FROM gateway_member_set_members m
     JOIN gateway_privacy_charges c ON c.members_hash = m.members_hash
     WHERE m.commitment = $1
     GROUP BY c.dataset_id`,
    [commitment, period.toString()],
  );
  const { rows: logged } = await q.query<{ dataset_id: string; answers: string }>(
    `SELECT e.body ->> 'datasetId' AS dataset_id, count(*)::text AS answers
     FROM gateway_member_set_members m
     JOIN gateway_access_log l ON l.members_hash = m.members_hash
     CROSS JOIN LATERAL (SELECT (l.entry::jsonb) -> 'body' AS body) e
     WHERE m.commitment = $1 AND e.body ->> 'kind' = 'query' AND e.body ->> 'decision' = 'allow'
     GROUP BY 1`,
    [commitment],
  );
  const ids = [...new Set([...charged, ...logged].map((r) => r.dataset_id))].sort((a, b) =>
    BigInt(a) < BigInt(b) ? -1 : 1,
  );
  return ids.map((id) => {
    const c = charged.find((r) => r.dataset_id === id);
    const l = logged.find((r) => r.dataset_id === id);
    return {
      datasetId: id,
      answers: Number(l?.answers ?? 0),
      privateAnswers: Number(c?.answers ?? 0),
      periodPrivateAnswers: Number(c?.period_answers ?? 0),
      usedMillionths: c?.used ?? "0",
      capMillionths: cap.epsilonMillionths.toString(),
      periodStart: period.toString(),
      periodEnd: (period + cap.periodSeconds).toString(),
    };
  });
}

export interface PrivacyTotals {
  /** Differentially private answers, and the ε each charged (summed), ever and in the current period. */
  answers: number;
  epsilonMillionths: string;
  periodAnswers: number;
  periodEpsilonMillionths: string;
}

/** Totals for auditors over a grant's or a dataset's charges (no per-member figure). */
export async function privacyTotals(
  q: Queryable,
  by: { grantId: bigint } | { datasetId: bigint },
  period: bigint,
): Promise<PrivacyTotals> {
  const [column, id] = "grantId" in by ? ["grant_id", by.grantId] : ["dataset_id", by.datasetId];
  const { rows } = await q.query<{ n: string; e: string; pn: string; pe: string }>(
    `SELECT count(*)::text AS n, coalesce(sum(epsilon_millionths), 0)::text AS e,
       count(*) FILTER (WHERE period_start = $2)::text AS pn,
       coalesce(sum(epsilon_millionths) FILTER (WHERE period_start = $2), 0)::text AS pe
     FROM gateway_privacy_charges WHERE ${column} = $1`,
    [id.toString(), period.toString()],
  );
  const r = rows[0];
  return {
    answers: Number(r.n),
    epsilonMillionths: r.e,
    periodAnswers: Number(r.pn),
    periodEpsilonMillionths: r.pe,
  };
}
