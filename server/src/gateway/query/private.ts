/**
 * The pass of a differentially private aggregate over the engine's columns: every record of a member in
 * scope that passes the filters is placed in its group of the public domain (privacy.ts), at most
 * `recordsPerMember` of each member's records counted in all (the first ones in record-id order), values
 * clamped to the field's bounds in fixed point. Returns each statistic's exact integer sum per group, to
 * which privacy.ts adds the noise. Sums are exact: fixed-point units are integers below 2^24 and are
 * accumulated in two words (low 32 bits carried into a high word), so no rounding ever happens.
 */
import { termFailures, type DatasetColumns, type EngineScope } from "./engine.ts";
import {
  toUnits,
  type FixedPoint,
  type PrivateDim,
  type PrivatePlan,
  type PrivateSums,
} from "./privacy.ts";
import type { AggregateQuery } from "@datacoop/protocol/query";

const WORD = 2 ** 32;

/** Each row's index in the dimension's domain, or -1 when its value is in none. */
function domainIndex(data: DatasetColumns, dim: PrivateDim): Int32Array {
  const column = data.columns[dim.field];
  const out = new Int32Array(data.size).fill(-1);
  switch (dim.kind) {
    case "enum": {
      if (column.kind !== "code") throw new Error("an enum dimension needs a string column");
      const byCode = column.dict.map((v) => dim.values!.indexOf(v));
      for (let r = 0; r < data.size; r++) {
        const c = column.codes[r];
        out[r] = c < 0 ? dim.nullAt : byCode[c];
      }
      return out;
    }
    case "bool": {
      if (column.kind !== "bool") throw new Error("a boolean dimension needs a boolean column");
      for (let r = 0; r < data.size; r++) {
        const v = column.values[r];
        out[r] = v < 0 ? dim.nullAt : v;
      }
      return out;
    }
    case "integer": {
      if (column.kind !== "float") throw new Error("an integer dimension needs a number column");
      const n = dim.nullAt < 0 ? dim.keys.length : dim.nullAt;
      for (let r = 0; r < data.size; r++) {
        const v = column.values[r];
        if (v !== v) out[r] = dim.nullAt;
        else {
          const i = v - dim.low!;
          out[r] = Number.isInteger(i) && i >= 0 && i < n ? i : -1;
        }
      }
      return out;
    }
    case "bins": {
      if (column.kind !== "float") throw new Error("bins need a number or date column");
      const edges = dim.edges!;
      for (let r = 0; r < data.size; r++) {
        const v = column.values[r];
        if (!(v >= edges[0]) || !(v < edges[edges.length - 1])) {
          out[r] = dim.nullAt;
          continue;
        }
        let lo = 0;
        let hi = edges.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (v >= edges[mid]) lo = mid;
          else hi = mid;
        }
        out[r] = lo;
      }
      return out;
    }
  }
}

/** Each row's cell (the group of the domain it falls in), or -1; kept per dataset snapshot and domain. */
function cellsOf(data: DatasetColumns, plan: PrivatePlan): Int32Array {
  const key = JSON.stringify(plan.dims.map((d) => [d.field, d.kind, d.keys]));
  const cache = (data.derived ??= new Map());
  const known = cache.get(`cells:${key}`) as Int32Array | undefined;
  if (known) return known;
  const cell = new Int32Array(data.size);
  let stride = 1;
  for (let j = plan.dims.length - 1; j >= 0; j--) {
    const dim = plan.dims[j];
    const index = domainIndex(data, dim);
    for (let r = 0; r < data.size; r++) {
      if (cell[r] < 0) continue;
      const i = index[r];
      cell[r] = i < 0 ? -1 : cell[r] + i * stride;
    }
    stride *= dim.keys.length;
  }
  if (cache.size >= 64) cache.clear();
  cache.set(`cells:${key}`, cell);
  return cell;
}

/**
 * Each row's value of a bounded field in fixed-point units, clamped (NaN where the row has none); kept per
 * dataset snapshot, field and fixed point, so a pass adds integers instead of converting every value.
 */
function unitsOf(data: DatasetColumns, field: number, fixed: FixedPoint): Float64Array {
  const key = `units:${field}:${fixed.exponent}:${fixed.lo}:${fixed.hi}`;
  const cache = (data.derived ??= new Map());
  const known = cache.get(key) as Float64Array | undefined;
  if (known) return known;
  const column = data.columns[field];
  if (column.kind !== "float") throw new Error("a measure needs a number column");
  const values = column.values;
  const units = new Float64Array(data.size);
  for (let r = 0; r < data.size; r++) {
    const x = values[r];
    units[r] = x !== x ? NaN : toUnits(x, fixed);
  }
  if (cache.size >= 64) cache.clear();
  cache.set(key, units);
  return units;
}

/** One statistic's accumulators in a pass (one shape for all, so the row loop stays monomorphic). */
interface Acc {
  /** 0 count, 1 present, 2 sum */
  kind: number;
  /** present: the field's values (NaN when absent); sum: its units (unitsOf); count: unused. */
  values: Float64Array;
  lo: Float64Array;
  hi: Float64Array;
}

const NONE = new Float64Array(0);

/** The exact sums of every statistic of `plan` in every cell, members bounded as the plan says. */
export function evaluatePrivate(
  data: DatasetColumns,
  query: AggregateQuery,
  scope: EngineScope,
  plan: PrivatePlan,
): PrivateSums {
  const cells = plan.cells;
  const cellOf = cellsOf(data, plan);
  const { fails } = termFailures(data, query.where ?? []);
  const R = plan.recordsPerMember;
  const stats: Acc[] = plan.stats.map((s) => {
    if (s.kind === "count") return { kind: 0, values: NONE, lo: new Float64Array(cells), hi: NONE };
    const column = data.columns[s.field];
    if (column.kind !== "float") throw new Error("a measure needs a number column");
    return s.kind === "sum"
      ? {
          kind: 2,
          values: unitsOf(data, s.field, s.fixed),
          lo: new Float64Array(cells),
          hi: new Float64Array(cells),
        }
      : { kind: 1, values: column.values, lo: new Float64Array(cells), hi: NONE };
  });
  const count = stats[0].lo;
  const covered = scope.covered;
  const member = data.member;
  const nStats = stats.length;
  let current = -1;
  let taken = 0;
  for (let r = 0, n = data.size; r < n; r++) {
    const m = member[r];
    if (covered[m] !== 1) continue;
    if (m !== current) {
      current = m;
      taken = 0;
    }
    if (taken >= R || fails[r] !== 0) continue;
    const c = cellOf[r];
    if (c < 0) continue;
    taken++;
    count[c]++;
    for (let i = 1; i < nStats; i++) {
      const s = stats[i];
      const x = s.values[r];
      if (x !== x) continue;
      if (s.kind === 1) {
        s.lo[c]++;
        continue;
      }
      let lo = s.lo[c] + x;
      if (lo >= WORD || lo < 0) {
        const carry = Math.floor(lo / WORD);
        s.hi[c] = s.hi[c] + carry;
        lo -= carry * WORD;
      }
      s.lo[c] = lo;
    }
  }
  return {
    sums: stats.map((s) =>
      Array.from({ length: cells }, (_, c) =>
        s.kind === 2 ? BigInt(s.hi[c]) * BigInt(WORD) + BigInt(s.lo[c]) : BigInt(s.lo[c]),
      ),
    ),
  };
}
