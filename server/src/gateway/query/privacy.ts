/**
 * Differentially private aggregates: the plan of a query (its public domain of groups, its noisy
 * statistics and their sensitivities, derived from the query and the schema) and the answer from the exact
 * per-cell sums (private.ts computes them) plus exact discrete Laplace noise (sampler.ts).
 *
 * The guarantee, member by member: adding or removing every record of one member changes the answer's
 * distribution by a factor of at most exp(ε), ε being the query's (pure ε-differential privacy,
 * member-level neighbouring). How:
 *
 * - **Contribution bounding.** Each member's records count at most `recordsPerMember` = R times in the
 *   whole answer (the first R of theirs that pass the filters and fall in a group, in record-id order);
 *   each value is clamped to the field's schema bounds, in fixed point.
 * - **Groups from a public domain.** The groups are every combination of the group-by terms' declared
 *   values — an enum's values, false / true, every integer of a bounded integer field (at most 1000), or
 *   declared bins — plus a null group for optional fields and bins. Which groups exist depends on the
 *   schema and the query, never on the data. At most {@link MAX_CELLS} groups.
 * - **Sensitivity from the query.** Each noisy statistic is a histogram over the groups. Removing one
 *   member removes at most R records from it in all, however they spread over the groups: L1 sensitivity
 *   R for the record count (and a field's count of values), R·B for a sum, B = the larger absolute bound
 *   of the field in fixed-point units.
 * - **Noise.** The query's ε is split equally among its statistics (sequential composition); each cell of
 *   a statistic of sensitivity Δ receives discrete Laplace noise of scale Δ/ε_stat, sampled exactly.
 *   The record count is always one of the statistics: it decides which groups are shown.
 * - **Post-processing only.** Counts below zero become zero; a sum is decoded from fixed point; a mean is
 *   the noisy sum over the noisy count, clamped to the bounds; a group whose noisy count is below the
 *   grant's k is suppressed. All of it is computed from the noisy values alone.
 */
import type { DatasetSchema, FieldDef } from "@datacoop/protocol/datasetSchema";
import { EPSILON, RECORDS_PER_MEMBER, epsilonMillionths } from "@datacoop/protocol/privacy";
import {
  groupBins,
  groupField,
  measureLabel,
  type AggregateQuery,
  type Measure,
} from "@datacoop/protocol/query";
import { cryptoRandom, discreteLaplace, type CryptoRandom } from "./sampler.ts";

/** Most groups a differentially private answer may have (every one is noised). */
export const MAX_CELLS = 1000;
/** Most values of an integer field grouped by value. */
export const MAX_INTEGER_VALUES = 1000;
/** Values clamp to bounds of at most 2^24 fixed-point units, far finer than any noise scale. */
const MAX_UNITS = 2 ** 24;

/** One group-by term over its public domain. */
export interface PrivateDim {
  /** The field's position in the schema. */
  field: number;
  kind: "enum" | "bool" | "integer" | "bins";
  /** The answer's key of each value of the domain, in order (null last, when the domain has it). */
  keys: unknown[];
  /** enum: the values; integer: the lowest; bins: the edges (dates as days). */
  values?: readonly string[];
  low?: number;
  edges?: readonly number[];
  /** Index of the null value in the domain, or -1 when none. */
  nullAt: number;
}

/** The fixed-point representation of a field: value ≈ units · 10^exponent. */
export interface FixedPoint {
  exponent: number;
  /** Clamping bounds, in units. */
  lo: number;
  hi: number;
}

export type PrivateStat =
  | { kind: "count" }
  | { kind: "sum"; field: number; fixed: FixedPoint }
  | { kind: "present"; field: number };

export interface PrivatePlan {
  epsilonMillionths: bigint;
  recordsPerMember: number;
  dims: PrivateDim[];
  cells: number;
  /** stats[0] is always the record count. */
  stats: PrivateStat[];
  /** Per statistic: its L1 sensitivity, in its units. */
  sensitivity: bigint[];
  /** Per measure of the query: the statistics it is computed from. */
  measures: { measure: Measure; sum?: number; count: number; field?: FieldDef }[];
  /** Groups whose noisy record count is below this are suppressed (the grant's k, at least 1). */
  threshold: number;
}

export type PlanRefusal = {
  reason: "measure_not_private" | "field_unbounded" | "group_not_public" | "groups_too_many";
  message: string;
};

/** The fixed point of a bounded number or integer field. */
export function fixedPointOf(field: FieldDef): FixedPoint | null {
  if (field.min === undefined || field.max === undefined) return null;
  const bound = Math.max(Math.abs(field.min), Math.abs(field.max));
  let exponent = field.type === "integer" ? 0 : -6;
  while (bound / 10 ** exponent > MAX_UNITS) exponent++;
  // Rounded, not floored: 0.1 · 1000 is 100.00000000000001 in binary. A bound rounded half a unit outward
  // only widens the clamp, and the sensitivity is computed from the rounded bounds.
  const scale = (x: number) => (exponent < 0 ? x * 10 ** -exponent : x / 10 ** exponent);
  return { exponent, lo: Math.round(scale(field.min)), hi: Math.round(scale(field.max)) };
}

/** A value in fixed-point units, clamped (deterministic: rounding data, not noise). */
export function toUnits(x: number, fixed: FixedPoint): number {
  const u = Math.round(fixed.exponent < 0 ? x * 10 ** -fixed.exponent : x / 10 ** fixed.exponent);
  return u < fixed.lo ? fixed.lo : u > fixed.hi ? fixed.hi : u;
}

/** Units back to a number: the nearest double to the decimal units·10^exponent. */
export function fromUnits(units: bigint, exponent: number): number {
  return Number(`${units}e${exponent}`);
}

const DAY_MS = 86_400_000;
const days = (v: number | string) =>
  typeof v === "number" ? v : Date.parse(`${v}T00:00:00Z`) / DAY_MS;

function dimOf(
  schema: DatasetSchema,
  spec: NonNullable<AggregateQuery["groupBy"]>[number],
): PrivateDim | PlanRefusal {
  const name = groupField(spec);
  const field = schema.fields.findIndex((f) => f.name === name);
  const def = schema.fields[field];
  const optional = def.required === false;
  const bins = groupBins(spec);
  if (bins) {
    const edges = bins.map(days);
    const keys: unknown[] = [];
    for (let i = 0; i + 1 < bins.length; i++) keys.push([bins[i], bins[i + 1]]);
    return { field, kind: "bins", keys: [...keys, null], edges, nullAt: keys.length };
  }
  const withNull = (keys: unknown[]) => (optional ? [...keys, null] : keys);
  if (def.type === "string" && def.enum) {
    const keys = withNull([...def.enum]);
    return { field, kind: "enum", keys, values: def.enum, nullAt: optional ? def.enum.length : -1 };
  }
  if (def.type === "boolean") {
    return { field, kind: "bool", keys: withNull([false, true]), nullAt: optional ? 2 : -1 };
  }
  if (def.type === "integer" && def.min !== undefined && def.max !== undefined) {
    const low = Math.ceil(def.min);
    const high = Math.floor(def.max);
    if (high - low + 1 <= MAX_INTEGER_VALUES) {
      const values = Array.from({ length: Math.max(0, high - low + 1) }, (_, i) => low + i);
      return {
        field,
        kind: "integer",
        keys: withNull(values),
        low,
        nullAt: optional ? values.length : -1,
      };
    }
  }
  return {
    reason: "group_not_public",
    message: `Differentially private groups come from a public domain: "${name}" has no enum, is not a boolean or a bounded integer of at most ${MAX_INTEGER_VALUES} values; group it by declared bins instead.`,
  };
}

/**
 * The plan of a differentially private aggregate, or why it cannot be one. `query` has passed checkQuery.
 */
export function privatePlan(
  query: AggregateQuery,
  schema: DatasetSchema,
  k: number,
): PrivatePlan | PlanRefusal {
  const dims: PrivateDim[] = [];
  let cells = 1;
  for (const spec of query.groupBy ?? []) {
    const dim = dimOf(schema, spec);
    if ("reason" in dim) return dim;
    dims.push(dim);
    cells *= dim.keys.length;
    if (cells > MAX_CELLS) {
      return {
        reason: "groups_too_many",
        message: `A differentially private answer has at most ${MAX_CELLS} groups; this one would have more.`,
      };
    }
  }
  const stats: PrivateStat[] = [{ kind: "count" }];
  const statIndex = new Map<string, number>([["count", 0]]);
  const stat = (key: string, make: () => PrivateStat) => {
    let i = statIndex.get(key);
    if (i === undefined) {
      i = stats.length;
      stats.push(make());
      statIndex.set(key, i);
    }
    return i;
  };
  const measures: PrivatePlan["measures"] = [];
  for (const m of query.measures) {
    if (m.fn === "count") {
      measures.push({ measure: m, count: 0 });
      continue;
    }
    if (m.fn !== "sum" && m.fn !== "mean") {
      return {
        reason: "measure_not_private",
        message: `"${m.fn}" returns one member's value: differentially private answers give count, sum and mean only (the exact mode refuses it too).`,
      };
    }
    const field = schema.fields.findIndex((f) => f.name === m.field);
    const def = schema.fields[field];
    const fixed = fixedPointOf(def);
    if (!fixed) {
      return {
        reason: "field_unbounded",
        message: `Field "${m.field}" has no bounds in the schema to clamp to.`,
      };
    }
    const sum = stat(`sum:${field}`, () => ({ kind: "sum", field, fixed }));
    const count =
      m.fn === "mean" && def.required === false
        ? stat(`present:${field}`, () => ({ kind: "present", field }))
        : 0;
    measures.push({ measure: m, sum, count, field: def });
  }
  const recordsPerMember =
    query.recordsPerMember ?? schema.privacy?.recordsPerMember ?? RECORDS_PER_MEMBER.default;
  const r = BigInt(recordsPerMember);
  const sensitivity = stats.map((s) => {
    if (s.kind !== "sum") return r;
    const b = BigInt(Math.max(Math.abs(s.fixed.lo), Math.abs(s.fixed.hi), 1));
    return r * b;
  });
  return {
    epsilonMillionths: epsilonMillionths(
      query.epsilon ?? schema.privacy?.defaultEpsilon ?? EPSILON.default,
    ),
    recordsPerMember,
    dims,
    cells,
    stats,
    sensitivity,
    measures,
    threshold: Math.max(1, k),
  };
}

/** The discrete Laplace scale t/s of a statistic: Δ / (ε / number of statistics), ε in millionths. */
export function noiseScale(plan: PrivatePlan, stat: number): { t: bigint; s: bigint } {
  return {
    t: plan.sensitivity[stat] * BigInt(plan.stats.length) * 1_000_000n,
    s: plan.epsilonMillionths,
  };
}

/** Exact sums of each statistic in each cell (cell-major within a statistic). */
export interface PrivateSums {
  /** sums[stat][cell]: records, present values, or fixed-point units. */
  sums: bigint[][];
}

export interface PrivateGroupAnswer {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

export interface PrivateAnswer {
  groups: PrivateGroupAnswer[];
  /** Groups of the domain whose noisy count is below the threshold (a function of noisy values). */
  suppressedGroups: number;
  noise: {
    mechanism: "discrete Laplace";
    epsilon: number;
    recordsPerMember: number;
    /** Groups with a noisy record count below this are not shown. */
    threshold: number;
    /** Each count's and sum's noise scale (b of Laplace(b), in the measure's units). */
    scales: Record<string, number>;
  };
}

/** The noisy answer: noise on every cell of every statistic, then post-processing of the noisy values only. */
export function privateAnswer(
  plan: PrivatePlan,
  schema: DatasetSchema,
  exact: PrivateSums,
  rng: CryptoRandom = cryptoRandom,
): PrivateAnswer {
  const noisy = exact.sums.map((cells, i) => {
    const { t, s } = noiseScale(plan, i);
    return cells.map((x) => x + discreteLaplace(t, s, rng));
  });
  const groups: PrivateGroupAnswer[] = [];
  let suppressed = 0;
  const strides = plan.dims.map((_, j) =>
    plan.dims.slice(j + 1).reduce((a, d) => a * d.keys.length, 1),
  );
  for (let c = 0; c < plan.cells; c++) {
    if (noisy[0][c] < BigInt(plan.threshold)) {
      suppressed++;
      continue;
    }
    const key: Record<string, unknown> = {};
    plan.dims.forEach((d, j) => {
      key[schema.fields[d.field].name] = d.keys[Math.floor(c / strides[j]) % d.keys.length];
    });
    const values: Record<string, unknown> = {};
    for (const m of plan.measures) {
      const count = noisy[m.count][c];
      const label = measureLabel(m.measure);
      if (m.measure.fn === "count") {
        values[label] = Number(count < 0n ? 0n : count);
        continue;
      }
      const stat = plan.stats[m.sum!] as Extract<PrivateStat, { kind: "sum" }>;
      const sum = fromUnits(noisy[m.sum!][c], stat.fixed.exponent);
      if (m.measure.fn === "sum") {
        values[label] = sum;
        continue;
      }
      const f = m.field!;
      values[label] = count < 1n ? null : Math.min(f.max!, Math.max(f.min!, sum / Number(count)));
    }
    groups.push({ key, values });
  }
  const scales: Record<string, number> = {};
  for (const m of plan.measures) {
    if (m.measure.fn === "mean") continue;
    const i = m.measure.fn === "count" ? 0 : m.sum!;
    const { t, s } = noiseScale(plan, i);
    const stat = plan.stats[i];
    const exponent = stat.kind === "sum" ? stat.fixed.exponent : 0;
    scales[measureLabel(m.measure)] = (Number(t) / Number(s)) * 10 ** exponent;
  }
  return {
    groups,
    suppressedGroups: suppressed,
    noise: {
      mechanism: "discrete Laplace",
      epsilon: Number(plan.epsilonMillionths) / 1e6,
      recordsPerMember: plan.recordsPerMember,
      threshold: plan.threshold,
      scales,
    },
  };
}
