/**
 * One row per dataset that every transaction answering an aggregate of it locks first (FOR UPDATE), so
 * that the privacy ledger and the exact mode's differencing memory are read to their end and extended by
 * one gateway process at a time, however many serve the store. The row holds where each of them ends
 * (sequence numbers) and the latest privacy period charged, so a process knows whether what it keeps in
 * memory is current without reading more.
 */
import type { Queryable } from "../../store/db.ts";

export interface Guard {
  datasetId: bigint;
  /** Sequence number of the dataset's last privacy charge. */
  ledgerSeq: bigint;
  /** Start of the latest period charged (unix seconds): periods never go back. */
  periodStart: bigint;
  /** Sequence number of the dataset's last remembered exact cohort. */
  cohortSeq: bigint;
}

/** Locks the datasets' guards (in id order, so two transactions never wait on each other in a cycle). */
export async function lockGuards(
  tx: Queryable,
  datasetIds: readonly bigint[],
): Promise<Map<string, Guard>> {
  const ids = [...new Set(datasetIds.map(String))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  const guards = new Map<string, Guard>();
  if (ids.length === 0) return guards;
  await tx.query(
    `INSERT INTO gateway_dataset_guards (dataset_id)
     SELECT unnest($1::numeric[]) ON CONFLICT (dataset_id) DO NOTHING`,
    [ids],
  );
  const { rows } = await tx.query<{
    dataset_id: string;
    ledger_seq: string;
    period_start: string;
    cohort_seq: string;
  }>(
    `SELECT dataset_id::text AS dataset_id, ledger_seq, period_start, cohort_seq
     FROM gateway_dataset_guards WHERE dataset_id = ANY($1::numeric[])
     ORDER BY dataset_id FOR UPDATE`,
    [ids],
  );
  for (const r of rows) {
    guards.set(r.dataset_id, {
      datasetId: BigInt(r.dataset_id),
      ledgerSeq: BigInt(r.ledger_seq),
      periodStart: BigInt(r.period_start),
      cohortSeq: BigInt(r.cohort_seq),
    });
  }
  return guards;
}

/** Writes a guard back (in the transaction that locked it). */
export async function saveGuard(tx: Queryable, guard: Guard): Promise<void> {
  await tx.query(
    `UPDATE gateway_dataset_guards SET ledger_seq = $2, period_start = $3, cohort_seq = $4
     WHERE dataset_id = $1`,
    [
      guard.datasetId.toString(),
      guard.ledgerSeq.toString(),
      guard.periodStart.toString(),
      guard.cohortSeq.toString(),
    ],
  );
}
