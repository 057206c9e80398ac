/**
 * A member's benchmark: their own figures (the average of their own records, computed here from what
 * they contributed) set against the pool's (noisy aggregates the gateway answers under the members'
 * benchmarking grant), and where they stand: the share of the pool below them, read off the pool's
 * quantiles. Nobody's figures but the member's own and the pool's totals are ever read. Pure, unit-tested.
 */
import type { SchemaField } from "./schemaDoc.ts";

/** The pool's figures for one field, as the gateway answers them (noise included). */
export type PoolFigure = {
  field: string;
  mean?: number | null;
  /** Quantiles of the members' values, ascending in q: { q: 0.5, value: 2.9 } is the median. */
  quantiles?: { q: number; value: number }[];
  /** How many members the figures cover (rounded or noisy). */
  members?: number | null;
};

/** The average of the member's own values of each number field, over their live records. */
export function ownAverages(
  fields: readonly SchemaField[],
  records: readonly { values: Record<string, unknown> }[],
): Map<string, { mean: number; count: number }> {
  const out = new Map<string, { mean: number; count: number }>();
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
 * The share of the pool below `value`, from the pool's quantiles (linear between them, 0 or 1 beyond),
 * rounded to 5 %; null without quantiles. Quantiles are noisy: they are sorted first.
 */
export function shareBelow(value: number, quantiles: PoolFigure["quantiles"]): number | null {
  const qs = [...(quantiles ?? [])]
    .filter((q) => Number.isFinite(q.value) && q.q > 0 && q.q < 1)
    .sort((a, b) => a.q - b.q);
  if (qs.length === 0) return null;
  const values = qs.map((q) => q.value).sort((a, b) => a - b);
  let share: number;
  if (value <= values[0]!) share = value < values[0]! ? qs[0]!.q / 2 : qs[0]!.q;
  else if (value >= values[values.length - 1]!)
    share = value > values[values.length - 1]! ? (1 + qs[qs.length - 1]!.q) / 2 : qs[qs.length - 1]!.q;
  else {
    share = qs[qs.length - 1]!.q;
    for (let i = 1; i < values.length; i++) {
      if (value <= values[i]!) {
        const [lo, hi] = [values[i - 1]!, values[i]!];
        const t = hi > lo ? (value - lo) / (hi - lo) : 0;
        share = qs[i - 1]!.q + t * (qs[i]!.q - qs[i - 1]!.q);
        break;
      }
    }
  }
  return Math.round(share * 20) / 20;
}

/** The chart's scale for one field: from the lowest to the highest of the figures shown, with a margin. */
export function scale(values: readonly number[], field?: SchemaField): { min: number; max: number } {
  const xs = values.filter(Number.isFinite);
  let min = Math.min(...xs);
  let max = Math.max(...xs);
  if (!Number.isFinite(min)) return { min: field?.min ?? 0, max: field?.max ?? 1 };
  const pad = (max - min) * 0.1 || Math.abs(max) * 0.1 || 1;
  min -= pad;
  max += pad;
  if (field?.min !== undefined) min = Math.max(min, field.min);
  if (field?.max !== undefined) max = Math.min(max, field.max);
  return { min, max: max > min ? max : min + 1 };
}
