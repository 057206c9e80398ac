/**
 * Differential privacy for datasets that require it: Laplace noise drawn from the operating system's
 * cryptographic generator (never Math.random), and a privacy budget per grant kept in the store, spent in
 * the query's transaction so that concurrent queries cannot overspend it.
 */
import { getRandomValues } from "node:crypto";
import type { Queryable } from "../../store/db.ts";

/** A uniform double in [0, 1) with 53 random bits. */
export function uniform(): number {
  const [a, b] = getRandomValues(new Uint32Array(2)) as unknown as [number, number];
  return ((a >>> 5) * 67108864 + (b >>> 6)) / 9007199254740992;
}

/** A sample of Laplace(0, scale). */
export function laplace(scale: number): number {
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new RangeError("Laplace scale must be positive");
  for (;;) {
    const u = uniform() - 0.5;
    if (u === -0.5) continue; // log(0)
    return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  }
}

/** Epsilon already spent by a grant, locking its budget row until the transaction ends. */
export async function lockBudget(tx: Queryable, grantId: bigint): Promise<number> {
  await tx.query(
    "INSERT INTO gateway_privacy_budget (grant_id, epsilon_spent) VALUES ($1, 0) ON CONFLICT (grant_id) DO NOTHING",
    [grantId.toString()],
  );
  const { rows } = await tx.query<{ epsilon_spent: number }>(
    "SELECT epsilon_spent FROM gateway_privacy_budget WHERE grant_id = $1 FOR UPDATE",
    [grantId.toString()],
  );
  return Number(rows[0]!.epsilon_spent);
}

export async function spendBudget(tx: Queryable, grantId: bigint, epsilon: number): Promise<void> {
  await tx.query(
    "UPDATE gateway_privacy_budget SET epsilon_spent = epsilon_spent + $2 WHERE grant_id = $1",
    [grantId.toString(), epsilon],
  );
}

export interface PrivateGroup {
  /** Exact number of members in the group (never returned). */
  members: number;
  /** Per measure: the sum over members of their clamped per-member value (null for count). */
  sums: (number | null)[];
}

export interface MeasureBound {
  fn: "count" | "sum" | "mean";
  /** The field's clamping bounds (sum and mean). */
  min?: number;
  max?: number;
}

/**
 * Noisy answers for one group. The query's epsilon is split equally among its measures (sequential
 * composition; groups are disjoint per member summary); a mean spends half on its sum, half on its count.
 */
export function noisyMeasures(
  group: PrivateGroup,
  measures: readonly MeasureBound[],
  epsilon: number,
): number[] {
  const e = epsilon / measures.length;
  return measures.map((m, i) => {
    if (m.fn === "count") return Math.max(0, Math.round(group.members + laplace(1 / e)));
    const bound = Math.max(Math.abs(m.min ?? 0), Math.abs(m.max ?? 0)) || 1;
    const sum = group.sums[i] ?? 0;
    if (m.fn === "sum") return sum + laplace(bound / e);
    const noisySum = sum + laplace(bound / (e / 2));
    const noisyCount = Math.max(1, group.members + laplace(1 / (e / 2)));
    return Math.min(m.max ?? Infinity, Math.max(m.min ?? -Infinity, noisySum / noisyCount));
  });
}
