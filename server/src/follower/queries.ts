/**
 * Typed reads of the chain data for the gateway and the read API: a grant's terms and standing, the
 * members whose consent covers it, a dataset's schema. Addresses are lowercase; big integers strings.
 */
import type { Queryable } from "../store/db.ts";

export interface GrantView {
  grantId: string;
  partner: string;
  datasetId: string;
  purpose: number;
  /** Bit i set: the dataset's field i may be read. */
  fieldMask: string;
  rowLevel: boolean;
  minCohort: number;
  start: string;
  /** Exclusive. */
  end: string;
  termsHash: string;
  approvedBlock: string;
  approvedAt: string;
  revokedBlock: string | null;
  revokedAt: string | null;
}

export interface DatasetView {
  datasetId: string;
  name: string;
  schemaUri: string;
  schemaHash: string;
  fields: string[];
  retired: boolean;
}

/** A grant (an approved request), or undefined if no request with that id was approved. */
export async function getGrant(
  q: Queryable,
  grantId: bigint | string,
): Promise<GrantView | undefined> {
  const { rows } = await q.query<GrantView & { minCohort: string }>(
    `SELECT grant_id::text AS "grantId", partner, dataset_id::text AS "datasetId", purpose,
       field_mask::text AS "fieldMask", row_level AS "rowLevel", min_cohort AS "minCohort",
       start_time::text AS start, end_time::text AS "end", terms_hash AS "termsHash",
       approved_block::text AS "approvedBlock", approved_at::text AS "approvedAt",
       revoked_block::text AS "revokedBlock", revoked_at::text AS "revokedAt"
     FROM grants WHERE grant_id = $1`,
    [grantId.toString()],
  );
  const row = rows[0];
  return row && { ...row, minCohort: Number(row.minCohort) };
}

/**
 * Whether grant `grantId` is active at unix time `time`, as the registry's isGrantActive would answer
 * in a block with that timestamp: approved, not revoked, `time` before its end, registry not paused.
 * With `finalBlock`, the approval must also be in a block at or below it (final), while a revocation or
 * pause counts as soon as it is indexed.
 */
export async function isGrantActiveAt(
  q: Queryable,
  grantId: bigint | string,
  time: bigint | string,
  options: { finalBlock?: bigint | string } = {},
): Promise<boolean> {
  const { rows } = await q.query<{ v: boolean }>(
    `SELECT grant_active_at($1, $2)
       AND ($3::bigint IS NULL OR (SELECT approved_block <= $3 FROM grants WHERE grant_id = $1)) AS v`,
    [grantId.toString(), time.toString(), options.finalBlock?.toString() ?? null],
  );
  return rows[0].v;
}

/** Whether the registry is paused after every indexed event (no grant is active while it is). */
export async function isRegistryPaused(q: Queryable): Promise<boolean> {
  const { rows } = await q.query<{ v: boolean }>(
    "SELECT coalesce((SELECT value = 'true' FROM settings WHERE contract = 'registry' AND setting = 'paused'), false) AS v",
  );
  return rows[0].v;
}

/** Members whose consent covers grant `grantId` after every indexed event. */
export async function coveredMembers(q: Queryable, grantId: bigint | string): Promise<string[]> {
  const { rows } = await q.query<{ member: string }>(
    "SELECT member FROM grant_covered_members($1) ORDER BY member",
    [grantId.toString()],
  );
  return rows.map((r) => r.member);
}

/** Whether `member`'s consent covered `grantId` after block `at.block`, or at unix time `at.time`. */
export async function isCovered(
  q: Queryable,
  member: string,
  grantId: bigint | string,
  at: { block: bigint | string } | { time: bigint | string },
): Promise<boolean> {
  const [fn, point] =
    "block" in at ? ["consent_covers_at_block", at.block] : ["consent_covers_at_time", at.time];
  const { rows } = await q.query<{ v: boolean }>(`SELECT ${fn}($1, $2, $3) AS v`, [
    member.toLowerCase(),
    grantId.toString(),
    point.toString(),
  ]);
  return rows[0].v;
}

/** Whether `account` is a member after every indexed event. */
export async function isMember(q: Queryable, account: string): Promise<boolean> {
  const { rows } = await q.query("SELECT 1 FROM members WHERE member = $1", [
    account.toLowerCase(),
  ]);
  return rows.length > 0;
}

/** A registered dataset with its fields in bit order. */
export async function getDataset(
  q: Queryable,
  datasetId: bigint | string,
): Promise<DatasetView | undefined> {
  const { rows } = await q.query<DatasetView>(
    `SELECT dataset_id::text AS "datasetId", name, schema_uri AS "schemaUri",
       schema_hash AS "schemaHash", fields, retired_at IS NOT NULL AS retired
     FROM dataset_status WHERE dataset_id = $1`,
    [datasetId.toString()],
  );
  return rows[0];
}
