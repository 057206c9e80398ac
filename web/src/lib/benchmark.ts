/**
 * A member's benchmark: how their own figures (averages of their own records, computed here from what they
 * contributed) compare with the pool's, under the grant the co-op votes to its members for benchmarking.
 *
 * The pool's figures come from the gateway's members' queries (`POST /gateway/me/query`, the privacy
 * branch's route: the same policy, consent and differential privacy as a partner's query). The queries
 * are the same for every member — the averages, and a histogram of each figure over fixed bins taken from
 * the schema's bounds — never built from the member's own values: so the gateway learns nothing from them,
 * and identical questions can be answered once for everyone rather than each spending privacy again.
 * Where the member stands is then read here, off the pool's (noisy) histogram. Pure, unit-tested.
 */
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import type { ApiGrant } from "./indexerApi.ts";
import type { SchemaField } from "./schemaDoc.ts";

/** The benchmarking purpose's bit, from the generated purpose table. */
export const BENCHMARK_PURPOSE = PURPOSES.find((p) => p.key === "MEMBER_BENCHMARKING")!.bit;
/** Bins of each histogram: enough to place a member, few enough that each bin holds many. */
export const BINS = 10;

export type Figure = { mean: number; count: number };

/** The average of the member's own values of each number field, over their live records. */
export function ownAverages(
  fields: readonly SchemaField[],
  records: readonly { values: Record<string, unknown> }[],
): Map<string, Figure> {
  const out = new Map<string, Figure>();
  for (const f of fields) {
    if (f.type !== "number" && f.type !== "integer") continue;
    const xs = records
      .map((r) => r.values[f.name])
      .filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    if (xs.length > 0)
      out.set(f.name, { mean: xs.reduce((s, x) => s + x, 0) / xs.length, count: xs.length });
  }
  return out;
}

/**
 * The grant the co-op voted to its own members for benchmarking, on `datasetId`, active now. A members'
 * grant is flagged by the read API (`forMembers`, as the registry's `grantToMembers` records it, or
 * `toMembers`, the gateway's name), or held by the co-op itself (the timelock, its partner for a grant
 * to the members; or no one).
 */
export function membersGrant(
  grants: readonly (ApiGrant & { forMembers?: boolean; toMembers?: boolean })[],
  datasetId: string,
  treasury: string,
): ApiGrant | undefined {
  const coopHeld = (g: ApiGrant) =>
    g.partner.toLowerCase() === treasury.toLowerCase() || /^0x0{40}$/i.test(g.partner);
  return grants.find(
    (g) =>
      g.active &&
      g.datasetId === datasetId &&
      g.purpose === BENCHMARK_PURPOSE &&
      (g.forMembers === true || g.toMembers === true || coopHeld(g)),
  );
}

/** The number fields a benchmark compares: the grant's, not identifying. */
export function benchmarkFields(
  fields: readonly SchemaField[],
  grantFields: readonly string[],
): SchemaField[] {
  return fields.filter(
    (f) =>
      (f.type === "number" || f.type === "integer") &&
      !f.identifying &&
      grantFields.includes(f.name),
  );
}

/** Fixed bin edges of a field, from its schema bounds: null when the schema bounds it on neither side. */
export function binEdges(field: SchemaField): number[] | null {
  if (field.min === undefined || field.max === undefined || !(field.max > field.min)) return null;
  const step = (field.max - field.min) / BINS;
  const edges = Array.from({ length: BINS + 1 }, (_, i) => field.min! + i * step);
  // The top bin is half-open too: include the maximum itself.
  edges[BINS] = field.max + (field.type === "integer" ? 1 : step / 1e6);
  return edges.map((e) => Math.round(e * 1e9) / 1e9);
}

/** The query language's aggregate query (protocol/src/query.ts), as far as the dApp builds it. */
export type PoolQuery = {
  type: "aggregate";
  groupBy?: ({ field: string; bins: number[] } | string)[];
  measures: ({ fn: "count" } | { fn: "mean"; field: string })[];
};

/** The queries of a benchmark: every field's average in one, then one histogram per bounded field. */
export function poolQueries(fields: readonly SchemaField[]): {
  means: PoolQuery;
  histograms: { field: string; edges: number[]; query: PoolQuery }[];
} {
  return {
    means: {
      type: "aggregate",
      measures: [{ fn: "count" }, ...fields.map((f) => ({ fn: "mean" as const, field: f.name }))],
    },
    histograms: fields.flatMap((f) => {
      const edges = binEdges(f);
      return edges
        ? [
            {
              field: f.name,
              edges,
              query: {
                type: "aggregate" as const,
                groupBy: [{ field: f.name, bins: edges }],
                measures: [{ fn: "count" as const }],
              },
            },
          ]
        : [];
    }),
  };
}

/** An aggregate answer, as the gateway gives it (lib/gateway.ts `Answer`). */
export type AggregateAnswer = {
  shape: "aggregate";
  groups: { key: Record<string, unknown>; values: Record<string, unknown> }[];
  suppressedGroups: number;
  /** The noise a differentially private answer carries (null for an exact one). */
  noise?: { epsilon: number; scales: Record<string, number> } | null;
};

/**
 * How far the pool's record count may be off, nine times in ten, for the member to read: the count's noise is
 * Laplace with scale b (the answer's `noise.scales.count`), and P(|noise| > b·ln 10) = 1/10. Rounded up to a
 * whole record; null for an exact answer or one without a count.
 */
export function countMargin(answer: Pick<AggregateAnswer, "noise">): number | null {
  const b = answer.noise?.scales?.count;
  return typeof b === "number" && Number.isFinite(b) && b > 0 ? Math.ceil(b * Math.LN10) : null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The pool's averages from the means query's answer (nothing when it was suppressed as too small). */
export function readMeans(answer: AggregateAnswer, fields: readonly SchemaField[]) {
  const values = answer.groups[0]?.values ?? {};
  const count = num(values.count);
  const means = new Map<string, number>();
  for (const f of fields) {
    const v = num(values[`mean:${f.name}`]);
    if (v !== null) means.set(f.name, v);
  }
  return { count: count === null ? null : Math.max(0, Math.round(count)), means };
}

/**
 * Which bin a histogram group's key names: the pair [from, to) (the gateway's private answers key a
 * declared bin so), the bin's lower edge (a number), its index, or a label such as "[2.5, 5)"; -1 when it
 * names none (the null group of values outside every bin, too).
 */
export function binOf(key: unknown, edges: readonly number[]): number {
  const lower = Array.isArray(key)
    ? typeof key[0] === "number"
      ? key[0]
      : NaN
    : typeof key === "number"
      ? key
      : typeof key === "string"
        ? Number(/-?\d+(\.\d+)?/.exec(key)?.[0] ?? NaN)
        : typeof key === "object" && key !== null
          ? Number(
              (key as { from?: unknown; low?: unknown }).from ?? (key as { low?: unknown }).low,
            )
          : NaN;
  if (!Number.isFinite(lower)) return -1;
  const at = edges.findIndex((e) => Math.abs(e - lower) < 1e-9 * Math.max(1, Math.abs(e)));
  if (at >= 0 && at < edges.length - 1) return at;
  // A plain index, when the gateway numbers the bins.
  return !Array.isArray(key) &&
    Number.isInteger(lower) &&
    lower >= 0 &&
    lower < edges.length - 1 &&
    at < 0
    ? lower
    : -1;
}

/** The histogram's counts per bin from its answer: noise can make a count negative, read as 0. */
export function readHistogram(
  answer: AggregateAnswer,
  field: string,
  edges: readonly number[],
): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const g of answer.groups) {
    const bin = binOf(g.key[field], edges);
    const c = num(g.values.count);
    if (bin >= 0 && c !== null) counts[bin] += Math.max(0, c);
  }
  return counts;
}

/**
 * The share of the pool below `value`, read off the histogram (linearly within the member's bin), rounded
 * to 5 %: null when the histogram is empty.
 */
export function shareBelow(
  value: number,
  edges: readonly number[],
  counts: readonly number[],
): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return null;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const [lo, hi] = [edges[i], edges[i + 1]];
    if (value >= hi) below += counts[i];
    else if (value > lo) below += counts[i] * ((value - lo) / (hi - lo));
  }
  return Math.round(Math.min(1, Math.max(0, below / total)) * 20) / 20;
}

/** The chart's value axis: the field's bounds when the schema gives them, else around the values shown. */
export function scale(
  values: readonly number[],
  field?: SchemaField,
): { min: number; max: number } {
  if (field?.min !== undefined && field.max !== undefined && field.max > field.min)
    return { min: field.min, max: field.max };
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) return { min: field?.min ?? 0, max: field?.max ?? 1 };
  let min = Math.min(...xs);
  let max = Math.max(...xs);
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 1;
  min -= pad;
  max += pad;
  if (field?.min !== undefined) min = Math.max(min, field.min);
  if (field?.max !== undefined) max = Math.min(max, field.max);
  return { min, max: max > min ? max : min + 1 };
}
