/**
 * Cross-query differencing defence. The per-query rules (groups of at least k, no filter or group key
 * separating fewer than k members) cannot see two different queries whose cohorts differ by exactly one
 * member — e.g. `age < 60` and `age < 61` — whose difference would be that member's value. So the gateway
 * remembers, per grant, a keyed digest of every cohort it answered: its size and the XOR of a keyed hash of
 * each member. A new cohort one member larger or smaller than a remembered one is that one member away
 * exactly when the XOR of the two digests is the hash of a member — checked against every member who
 * could be in either cohort. Such a cohort is suppressed. Digests are keyed, so they reveal nobody.
 */
import { createHmac } from "node:crypto";
import type { Queryable } from "../../store/db.ts";
import type { GatewayKeys } from "../auth/keys.ts";

const cache = new WeakMap<GatewayKeys, Map<string, bigint>>();

export function memberHash(keys: GatewayKeys, member: string): bigint {
  let byMember = cache.get(keys);
  if (!byMember) cache.set(keys, (byMember = new Map()));
  const m = member.toLowerCase();
  let h = byMember.get(m);
  if (h === undefined) {
    const hex = createHmac("sha256", keys.logKey).update(`cohort:${m}`).digest("hex");
    h = BigInt(`0x${hex.slice(0, 32)}`);
    if (byMember.size < 1_000_000) byMember.set(m, h);
  }
  return h;
}

export interface CohortDigest {
  n: number;
  digest: bigint;
}

export function cohortDigest(keys: GatewayKeys, members: readonly string[]): CohortDigest {
  let digest = 0n;
  for (const m of new Set(members.map((x) => x.toLowerCase()))) digest ^= memberHash(keys, m);
  return { n: new Set(members.map((x) => x.toLowerCase())).size, digest };
}

/**
 * For each cohort, whether it is exactly one member away from a cohort already answered under the grant
 * (or from another cohort of this same answer). `candidates` lists every member who could be the
 * difference: everyone who ever contributed to the dataset, consenting or not, erased or not.
 */
export async function oneAwayFromAnswered(
  tx: Queryable,
  keys: GatewayKeys,
  grantId: bigint,
  cohorts: readonly CohortDigest[],
  candidates: () => Promise<readonly string[]>,
): Promise<boolean[]> {
  if (cohorts.length === 0) return [];
  const sizes = [...new Set(cohorts.flatMap((c) => [c.n - 1, c.n + 1]))];
  const { rows } = await tx.query<{ n: number; digest: string }>(
    "SELECT n, digest FROM gateway_cohort_digests WHERE grant_id = $1 AND n = ANY($2::int[])",
    [grantId.toString(), sizes],
  );
  const known = new Map<number, bigint[]>();
  const remember = (n: number, d: bigint) => known.set(n, [...(known.get(n) ?? []), d]);
  for (const r of rows) remember(Number(r.n), BigInt(`0x${r.digest}`));
  for (const c of cohorts) remember(c.n, c.digest);
  if (![...known.keys()].some((n) => sizes.includes(n))) return cohorts.map(() => false);
  const hashes = new Set((await candidates()).map((m) => memberHash(keys, m)));
  return cohorts.map((c) =>
    [c.n - 1, c.n + 1].some((n) => (known.get(n) ?? []).some((d) => hashes.has(d ^ c.digest))),
  );
}

/** Remembers the cohorts just answered. */
export async function rememberCohorts(
  tx: Queryable,
  grantId: bigint,
  cohorts: readonly CohortDigest[],
): Promise<void> {
  if (cohorts.length === 0) return;
  await tx.query(
    `INSERT INTO gateway_cohort_digests (grant_id, n, digest)
     SELECT $1, n, d FROM unnest($2::int[], $3::text[]) AS t(n, d) ON CONFLICT DO NOTHING`,
    [
      grantId.toString(),
      cohorts.map((c) => c.n),
      cohorts.map((c) => c.digest.toString(16).padStart(32, "0")),
    ],
  );
}
