/**
 * The gateway's query engine: a dataset's live records held in memory as typed columns (numbers and dates
 * as float64, strings as dictionary codes, booleans as bytes), rows sorted by member, and one pass over
 * them per query that computes, together, everything the policy needs and the answer:
 *
 * - each cohort's distinct members (the rows of a row query, or each group of an aggregate);
 * - how many members each term of its predicate removes (each filter, then each group key against its
 *   marginal group), the input to the k rules in policy.ts;
 * - the measures (count / sum / mean / min / max / quantiles), exact (differentially private answers have
 *   their own pass, private.ts);
 * - the members of every group, and a digest of its records (for the exact mode's differencing defence);
 * - for row queries, the page in the grant's keyed order.
 *
 * It answers exactly what querySql.ts's statements answer over the typed table (a test runs both on random
 * data and compares), without a round trip to the store: the store stays the record of truth, and the
 * engine's columns are rebuilt from it whenever the dataset's revision changes.
 *
 * Nulls never match a filter term (as SQL's `coalesce(term, false)`), and member numbers are
 * `gateway_contributors.member_no`.
 */
import { createHash } from "node:crypto";
import {
  groupBins,
  groupField,
  type AggregateQuery,
  type Filter,
  type GroupSpec,
  type Measure,
  type Query,
  type RowQuery,
} from "@datacoop/protocol/query";
import type { DatasetSchema, FieldDef } from "@datacoop/protocol/datasetSchema";

/** One field's values, by row. */
export type Column =
  /** number, integer and date (days since 1970-01-01); NaN is null. */
  | { kind: "float"; values: Float64Array; groups?: GroupCodes; binned?: Map<string, GroupCodes> }
  /** string: index into `dict`, -1 for null. */
  | {
      kind: "code";
      codes: Int32Array;
      dict: string[];
      index: Map<string, number>;
      groups?: GroupCodes;
    }
  /** boolean: 0 false, 1 true, -1 null. */
  | { kind: "bool"; values: Int8Array; groups?: GroupCodes };

/** A column's values as small integers for grouping: 0 is null (or outside every bin), i > 0 is `values[i]`. */
export interface GroupCodes {
  codes: Int32Array;
  values: unknown[];
}

export interface DatasetColumns {
  datasetId: bigint;
  size: number;
  /** Member number of each row; rows are sorted by member, then record id. */
  member: Int32Array;
  recordId: string[];
  /** By field position in the schema. */
  columns: Column[];
  schema: DatasetSchema;
  /** Per-row work space of the filter pass (see termFailures). */
  scratch?: { fails: Uint8Array; failed: Uint8Array };
  /** What passes derive from the columns and keep with them (private.ts: each row's group). */
  derived?: Map<string, unknown>;
}

export type RawValue = number | string | boolean | null;

const DAY_MS = 86_400_000;

export function dateToDays(value: string): number {
  return Date.parse(`${value}T00:00:00Z`) / DAY_MS;
}

export function daysToDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Builds the columns from rows read from the typed table: `m`, `record_id`, then `f0…` with numbers as
 * numbers, dates as YYYY-MM-DD text, strings and booleans as such. Rows must come sorted by (m, record_id).
 */
export function buildColumns(
  schema: DatasetSchema,
  rows: readonly { m: number; record_id: string; values: readonly RawValue[] }[],
): DatasetColumns {
  const n = rows.length;
  const member = new Int32Array(n);
  const recordId = new Array<string>(n);
  const columns: Column[] = schema.fields.map((f) => emptyColumn(f, n));
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    member[i] = row.m;
    recordId[i] = row.record_id;
    if (i > 0 && member[i - 1] > row.m) throw new Error("rows must be sorted by member");
    for (let j = 0; j < columns.length; j++) setValue(columns[j], i, row.values[j] ?? null);
  }
  return { datasetId: schema.datasetId, size: n, member, recordId, columns, schema };
}

function emptyColumn(field: FieldDef, n: number): Column {
  switch (field.type) {
    case "string":
      return { kind: "code", codes: new Int32Array(n), dict: [], index: new Map() };
    case "boolean":
      return { kind: "bool", values: new Int8Array(n) };
    default:
      return { kind: "float", values: new Float64Array(n) };
  }
}

function setValue(column: Column, i: number, v: RawValue): void {
  switch (column.kind) {
    case "code": {
      if (v === null) {
        column.codes[i] = -1;
        return;
      }
      const s = String(v);
      let code = column.index.get(s);
      if (code === undefined) {
        code = column.dict.length;
        column.dict.push(s);
        column.index.set(s, code);
      }
      column.codes[i] = code;
      return;
    }
    case "bool":
      column.values[i] = v === null ? -1 : v === true || v === "true" ? 1 : 0;
      return;
    case "float":
      column.values[i] =
        v === null ? NaN : typeof v === "string" && v.includes("-") ? dateToDays(v) : Number(v);
  }
}

/** The column's group codes (built once per column). */
function groupCodes(column: Column, field: FieldDef): GroupCodes {
  if (column.groups) return column.groups;
  if (column.kind === "code") {
    const codes = new Int32Array(column.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = column.codes[i] + 1;
    column.groups = { codes, values: [null, ...column.dict] };
    return column.groups;
  }
  if (column.kind === "bool") {
    const codes = new Int32Array(column.values.length);
    for (let i = 0; i < codes.length; i++) codes[i] = column.values[i] + 1;
    column.groups = { codes, values: [null, false, true] };
    return column.groups;
  }
  const values: unknown[] = [null];
  const seen = new Map<number, number>();
  const codes = new Int32Array(column.values.length);
  for (let i = 0; i < codes.length; i++) {
    const v = column.values[i];
    if (Number.isNaN(v)) continue;
    let code = seen.get(v);
    if (code === undefined) {
      code = values.length;
      values.push(field.type === "date" ? daysToDate(v) : v);
      seen.set(v, code);
    }
    codes[i] = code;
  }
  column.groups = { codes, values };
  return column.groups;
}

/** A number or date column's declared bins as group codes: bin i is code i + 1, keyed [from, to). */
function binCodes(column: Column, field: FieldDef, bins: readonly (number | string)[]): GroupCodes {
  if (column.kind !== "float") throw new Error(`unchecked query: bins of ${field.name}`);
  const key = JSON.stringify(bins);
  column.binned ??= new Map();
  const cached = column.binned.get(key);
  if (cached) return cached;
  const edges = bins.map((b) => (typeof b === "number" ? b : dateToDays(b)));
  const codes = new Int32Array(column.values.length);
  for (let r = 0; r < codes.length; r++) {
    const v = column.values[r];
    if (!(v >= edges[0]) || !(v < edges[edges.length - 1])) continue;
    let lo = 0;
    let hi = edges.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (v >= edges[mid]) lo = mid;
      else hi = mid;
    }
    codes[r] = lo + 1;
  }
  const values: unknown[] = [null];
  for (let i = 0; i + 1 < bins.length; i++) values.push([bins[i], bins[i + 1]]);
  const groups = { codes, values };
  if (column.binned.size >= 64) column.binned.clear();
  column.binned.set(key, groups);
  return groups;
}

/** The group codes of a group-by term. */
export function specCodes(data: DatasetColumns, spec: GroupSpec): GroupCodes {
  const j = fieldIndex(data.schema, groupField(spec));
  const bins = groupBins(spec);
  const column = data.columns[j];
  const field = data.schema.fields[j];
  return bins ? binCodes(column, field, bins) : groupCodes(column, field);
}

type RowTest = (row: number) => boolean;

function fieldIndex(schema: DatasetSchema, name: string): number {
  const i = schema.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`unchecked query: no field ${name}`);
  return i;
}

const NEVER: RowTest = () => false;

/** One filter term as a test on a row (null never matches). */
function compileTerm(data: DatasetColumns, filter: Filter): RowTest {
  const j = fieldIndex(data.schema, filter.field);
  const field = data.schema.fields[j];
  const column = data.columns[j];
  const values =
    filter.op === "in" ? filter.values : filter.op === "between" ? [filter.low, filter.high] : [];
  if (column.kind === "code") {
    const codes = column.codes;
    const codeOf = (v: unknown) => column.index.get(String(v)) ?? -2;
    switch (filter.op) {
      case "eq": {
        const c = codeOf(filter.value);
        return c < 0 ? NEVER : (r) => codes[r] === c;
      }
      case "ne": {
        const c = codeOf(filter.value);
        return (r) => codes[r] >= 0 && codes[r] !== c;
      }
      case "in": {
        const set = new Set(values.map(codeOf).filter((c) => c >= 0));
        return (r) => set.has(codes[r]);
      }
      default: {
        // Ordering a string field is refused by checkQuery; compare as text for completeness.
        const dict = column.dict;
        const cmp = textComparison(filter);
        return (r) => codes[r] >= 0 && cmp(dict[codes[r]]);
      }
    }
  }
  if (column.kind === "bool") {
    const v = column.values;
    const b = (x: unknown): number => (x === true ? 1 : x === false ? 0 : -2);
    switch (filter.op) {
      case "eq": {
        const want = b(filter.value);
        return (r) => v[r] === want;
      }
      case "ne": {
        const want = b(filter.value);
        return (r) => v[r] >= 0 && v[r] !== want;
      }
      case "in": {
        const set = new Set(values.map(b));
        return (r) => v[r] >= 0 && set.has(v[r]);
      }
      default:
        return NEVER;
    }
  }
  const x = column.values;
  const num = (value: unknown) =>
    field.type === "date" ? dateToDays(String(value)) : Number(value);
  switch (filter.op) {
    case "eq": {
      const c = num(filter.value);
      return (r) => x[r] === c;
    }
    case "ne": {
      const c = num(filter.value);
      return (r) => x[r] === x[r] && x[r] !== c;
    }
    case "lt": {
      const c = num(filter.value);
      return (r) => x[r] < c;
    }
    case "lte": {
      const c = num(filter.value);
      return (r) => x[r] <= c;
    }
    case "gt": {
      const c = num(filter.value);
      return (r) => x[r] > c;
    }
    case "gte": {
      const c = num(filter.value);
      return (r) => x[r] >= c;
    }
    case "in": {
      const set = new Set(values.map(num));
      return (r) => set.has(x[r]);
    }
    case "between": {
      const lo = num(filter.low);
      const hi = num(filter.high);
      return (r) => x[r] >= lo && x[r] <= hi;
    }
  }
}

function textComparison(filter: Filter): (s: string) => boolean {
  const v = "value" in filter ? String(filter.value) : "";
  switch (filter.op) {
    case "lt":
      return (s) => s < v;
    case "lte":
      return (s) => s <= v;
    case "gt":
      return (s) => s > v;
    case "gte":
      return (s) => s >= v;
    case "between": {
      const lo = String(filter.low);
      const hi = String(filter.high);
      return (s) => s >= lo && s <= hi;
    }
    default:
      return () => false;
  }
}

/**
 * Every filter term over every row at once, one tight loop per term: how many terms each row fails (at
 * most 16) and, when exactly one, which.
 */
export function termFailures(
  data: DatasetColumns,
  filters: readonly Filter[],
): { fails: Uint8Array; failed: Uint8Array } {
  const n = data.size;
  // Reused between queries (a pass runs to its end without yielding, so no two share them at once).
  const scratch = (data.scratch ??= { fails: new Uint8Array(n), failed: new Uint8Array(n) });
  const { fails, failed } = scratch;
  fails.fill(0);
  filters.forEach((filter, i) => {
    const mark = (r: number) => {
      fails[r]++;
      failed[r] = i;
    };
    const j = fieldIndex(data.schema, filter.field);
    const column = data.columns[j];
    const date = data.schema.fields[j].type === "date";
    if (column.kind === "float" && filter.op !== "in" && filter.op !== "ne") {
      const x = column.values;
      const num = (v: unknown) => (date ? dateToDays(String(v)) : Number(v));
      if (filter.op === "between") {
        const lo = num(filter.low);
        const hi = num(filter.high);
        for (let r = 0; r < n; r++) {
          if (!(x[r] >= lo && x[r] <= hi)) {
            fails[r]++;
            failed[r] = i;
          }
        }
        return;
      }
      const c = num(filter.value);
      switch (filter.op) {
        case "eq":
          for (let r = 0; r < n; r++) {
            if (!(x[r] === c)) {
              fails[r]++;
              failed[r] = i;
            }
          }
          return;
        case "lt":
          for (let r = 0; r < n; r++) {
            if (!(x[r] < c)) {
              fails[r]++;
              failed[r] = i;
            }
          }
          return;
        case "lte":
          for (let r = 0; r < n; r++) {
            if (!(x[r] <= c)) {
              fails[r]++;
              failed[r] = i;
            }
          }
          return;
        case "gt":
          for (let r = 0; r < n; r++) {
            if (!(x[r] > c)) {
              fails[r]++;
              failed[r] = i;
            }
          }
          return;
        case "gte":
          for (let r = 0; r < n; r++) {
            if (!(x[r] >= c)) {
              fails[r]++;
              failed[r] = i;
            }
          }
          return;
      }
    }
    if (column.kind === "code" && filter.op === "eq") {
      const codes = column.codes;
      const c = column.index.get(String(filter.value)) ?? -2;
      for (let r = 0; r < n; r++) {
        if (codes[r] !== c) {
          fails[r]++;
          failed[r] = i;
        }
      }
      return;
    }
    const test = compileTerm(data, filter);
    for (let r = 0; r < n; r++) if (!test(r)) mark(r);
  });
  return { fails, failed };
}

/** Who may be read: member numbers whose records are in scope (a byte per member number). */
export interface EngineScope {
  covered: Uint8Array;
}

/** A cohort as the k rules see it (policy.ts `Cohort`). */
export interface CohortCounts {
  members: number;
  records: number;
  removedBy: number[];
  /** Per term (each filter, then each group key): the records it removes (see removedBy). */
  removedRecordsBy: number[];
}

export interface EngineGroup {
  /** Group key values, typed as the fields are (dates as YYYY-MM-DD); [] when ungrouped. */
  key: unknown[];
  cohort: CohortCounts;
  /** Member numbers with at least one record in the group's answer. */
  members: Int32Array;
  /** Exact measures, in the query's order (count as a number, quantiles as arrays, dates as text). */
  values: unknown[];
  /** The XOR of the keyed hashes of the group's records (two 32-bit words), when asked for. */
  recordDigest?: [number, number];
}

export interface AggregateResult {
  /** Groups with at least one member; exactly one (key []) when ungrouped. */
  groups: EngineGroup[];
}

interface GroupState {
  key: number[];
  /** Index of each marginal group (key j left out). */
  marginals: number[];
  n: number;
  removed: Int32Array;
  /** Records each term removes (filters: rows failing only that term; group keys: set after the pass). */
  removedRecords: Int32Array;
  members: number[];
  count: number;
  sum: Float64Array;
  nonNull: Int32Array;
  min: Float64Array;
  max: Float64Array;
  samples: number[][] | null;
  /** XOR of the keyed hashes of the group's records. */
  rd0: number;
  rd1: number;
  /** Per member in progress. */
  stamp: number;
  a: boolean;
  rmask: number;
}

/**
 * One pass over the rows in scope: cohorts, marginals, measures, members and record digests per group.
 * `recordHashes` holds two 32-bit words per row (keyed hashes of the records), when digests are wanted.
 */
function scan(
  data: DatasetColumns,
  query: Query,
  scope: EngineScope,
  options: {
    measures: readonly Measure[];
    groupBy: readonly GroupSpec[];
    recordHashes?: Uint32Array;
  },
): GroupState[] {
  const nTerms = (query.where ?? []).length;
  const { fails: failCount, failed: failedTerm } = termFailures(data, query.where ?? []);
  const nGroupBy = options.groupBy.length;
  const groupCols = options.groupBy.map((spec) => specCodes(data, spec));
  const hashes = options.recordHashes;
  const measures = options.measures;
  const nMeasures = measures.length;
  const measureCols = measures.map((m) => {
    if (m.fn === "count") return null;
    const j = fieldIndex(data.schema, m.field);
    const column = data.columns[j];
    if (column.kind !== "float") throw new Error(`unchecked query: ${m.fn} of ${m.field}`);
    return { values: column.values };
  });
  const wantSamples = measures.some((m) => m.fn === "quantiles");

  const groups: GroupState[] = [];
  const byKey = new Map<number | string, number>();
  const radix = groupCols.map((g) => g.values.length);
  // Group keys as one integer indexing a table when the key space is small, else as text in a map.
  const space = radix.reduce((a, b) => a * b, 1);
  const slots = space <= 1 << 20 ? new Int32Array(space) : null;
  let slotKey: number | string = 0;

  // Marginals (group key j left out): distinct members per marginal, for the group-key terms.
  const marginalIndex = new Map<string, number>();
  const marginalN: number[] = [];
  const marginalStamp: number[] = [];
  const marginalRecords: number[] = [];

  const marginalOf = (j: number, key: readonly number[]) => {
    const mk = `${j}:${key.map((c, i) => (i === j ? "" : c)).join(",")}`;
    let mi = marginalIndex.get(mk);
    if (mi === undefined) {
      mi = marginalN.length;
      marginalIndex.set(mk, mi);
      marginalN.push(0);
      marginalStamp.push(-1);
      marginalRecords.push(0);
    }
    return mi;
  };

  const touched: number[] = [];
  let current = -1;
  const { covered } = scope;
  const member = data.member;

  const flush = (m: number) => {
    for (const gi of touched) {
      const g = groups[gi];
      if (g.a) {
        g.n++;
        g.members.push(m);
        if (nGroupBy > 0) {
          for (let j = 0; j < nGroupBy; j++) {
            const mi = g.marginals[j];
            if (marginalStamp[mi] !== m) {
              marginalStamp[mi] = m;
              marginalN[mi]++;
            }
          }
        }
      }
      if (g.rmask) for (let i = 0; i < nTerms; i++) if (g.rmask & (1 << i)) g.removed[i]++;
    }
    touched.length = 0;
  };

  const keyCodes = new Array<number>(nGroupBy).fill(0);
  for (let r = 0; r < data.size; r++) {
    const m = member[r];
    if (covered[m] !== 1) continue;
    if (m !== current) {
      if (current >= 0) flush(current);
      current = m;
    }
    const fails = failCount[r];
    const failed = failedTerm[r];
    // The row's group.
    let gi: number | undefined;
    if (nGroupBy === 0) {
      gi = groups.length === 0 ? undefined : 0;
    } else if (slots) {
      let k = 0;
      for (let j = 0; j < nGroupBy; j++) k = k * radix[j] + groupCols[j].codes[r];
      gi = slots[k] - 1;
      if (gi < 0) {
        gi = undefined;
        slotKey = k;
      }
    } else {
      const k = groupCols.map((c) => c.codes[r]).join(",");
      gi = byKey.get(k);
      if (gi === undefined) slotKey = k;
    }
    if (gi === undefined) {
      gi = groups.length;
      for (let j = 0; j < nGroupBy; j++) keyCodes[j] = groupCols[j].codes[r]!;
      if (slots) slots[slotKey as number] = gi + 1;
      else byKey.set(slotKey, gi);
      const fresh = newGroup([...keyCodes], nTerms, nMeasures, wantSamples);
      for (let j = 0; j < nGroupBy; j++) fresh.marginals.push(marginalOf(j, fresh.key));
      groups.push(fresh);
    }
    const g = groups[gi];
    if (g.stamp !== m) {
      g.stamp = m;
      g.a = false;
      g.rmask = 0;
      touched.push(gi);
    }
    if (fails === 1) {
      g.rmask |= 1 << failed;
      g.removedRecords[failed]++;
    }
    if (fails !== 0) continue;
    g.a = true;
    g.count++;
    for (let j = 0; j < nGroupBy; j++) marginalRecords[g.marginals[j]]++;
    if (hashes) {
      g.rd0 ^= hashes[2 * r];
      g.rd1 ^= hashes[2 * r + 1];
    }
    for (let i = 0; i < nMeasures; i++) {
      const col = measureCols[i];
      if (!col) continue;
      const x = col.values[r];
      if (x !== x) continue;
      g.sum[i] = g.sum[i] + x;
      g.nonNull[i]++;
      if (x < g.min[i]) g.min[i] = x;
      if (x > g.max[i]) g.max[i] = x;
      if (g.samples) g.samples[i].push(x);
    }
  }
  if (current >= 0) flush(current);

  // Group-key terms: the members of the marginal group not in this group.
  if (nGroupBy > 0) {
    for (const g of groups) {
      const extra = new Int32Array(nTerms + nGroupBy);
      extra.set(g.removed);
      const extraRecords = new Int32Array(nTerms + nGroupBy);
      extraRecords.set(g.removedRecords);
      for (let j = 0; j < nGroupBy; j++) {
        extra[nTerms + j] = Math.max(0, marginalN[g.marginals[j]] - g.n);
        extraRecords[nTerms + j] = marginalRecords[g.marginals[j]] - g.count;
      }
      g.removed = extra;
      g.removedRecords = extraRecords;
    }
  }
  return groups;
}

function newGroup(key: number[], nTerms: number, nMeasures: number, samples: boolean): GroupState {
  return {
    key,
    marginals: [],
    n: 0,
    removed: new Int32Array(nTerms),
    removedRecords: new Int32Array(nTerms),
    members: [],
    count: 0,
    sum: new Float64Array(nMeasures),
    nonNull: new Int32Array(nMeasures),
    min: new Float64Array(nMeasures).fill(Infinity),
    max: new Float64Array(nMeasures).fill(-Infinity),
    samples: samples ? Array.from({ length: nMeasures }, () => []) : null,
    rd0: 0,
    rd1: 0,
    stamp: -1,
    a: false,
    rmask: 0,
  };
}

/**
 * The same pass as {@link scan} for the common shapes — at most one group-by field with few values, exact
 * measures without quantiles — with every per-group and per-(group, member) state in typed arrays indexed
 * by the group's code, and no closure in the loop.
 */
function scanFast(
  data: DatasetColumns,
  query: Query,
  scope: EngineScope,
  measures: readonly Measure[],
  groupBy: readonly GroupSpec[],
  hashes?: Uint32Array,
): GroupState[] | null {
  if (groupBy.length > 1 || measures.some((m) => m.fn === "quantiles")) return null;
  const group = groupBy.length ? specCodes(data, groupBy[0]) : null;
  const space = group ? group.values.length : 1;
  if (space > 65_536) return null;
  const nTerms = (query.where ?? []).length;
  const { fails, failed } = termFailures(data, query.where ?? []);
  const nM = measures.length;
  const cols: (Float64Array | null)[] = measures.map((m) => {
    if (m.fn === "count") return null;
    const column = data.columns[fieldIndex(data.schema, m.field)];
    if (column.kind !== "float") throw new Error(`unchecked query: ${m.fn} of ${m.field}`);
    return column.values;
  });
  const n = new Int32Array(space);
  const removed = new Int32Array(space * Math.max(1, nTerms));
  const removedRecords = new Int32Array(space * Math.max(1, nTerms));
  const count = new Int32Array(space);
  const sum = new Float64Array(space * nM);
  const nonNull = new Int32Array(space * nM);
  const min = new Float64Array(space * nM).fill(Infinity);
  const max = new Float64Array(space * nM).fill(-Infinity);
  const seen = new Uint8Array(space);
  const stamp = new Int32Array(space).fill(-1);
  const pmA = new Uint8Array(space);
  const pmR = new Int32Array(space);
  const members: number[][] = Array.from({ length: space }, () => []);
  const rd0 = new Int32Array(space);
  const rd1 = new Int32Array(space);
  const touched = new Int32Array(space);
  let nTouched = 0;
  let marginal = 0;
  const codes = group?.codes ?? null;
  const covered = scope.covered;
  const member = data.member;
  let current = -1;
  for (let r = 0, size = data.size; r <= size; r++) {
    const m = r < size ? member[r] : -2;
    if (m !== current) {
      if (current >= 0) {
        let any = 0;
        for (let t = 0; t < nTouched; t++) {
          const g = touched[t];
          if (pmA[g]) {
            n[g]++;
            members[g].push(current);
            any = 1;
          }
          const rm = pmR[g];
          if (rm) for (let i = 0; i < nTerms; i++) if (rm & (1 << i)) removed[g * nTerms + i]++;
        }
        marginal += any;
        nTouched = 0;
      }
      current = m;
      if (r === size) break;
    }
    if (covered[m] !== 1) continue;
    const g = codes ? codes[r] : 0;
    if (stamp[g] !== m) {
      stamp[g] = m;
      pmA[g] = 0;
      pmR[g] = 0;
      touched[nTouched++] = g;
      seen[g] = 1;
    }
    const f = fails[r];
    if (f !== 0) {
      if (f === 1) {
        const t = failed[r];
        pmR[g] = pmR[g] | (1 << t);
        removedRecords[g * nTerms + t]++;
      }
      continue;
    }
    pmA[g] = 1;
    count[g]++;
    if (hashes) {
      rd0[g] = rd0[g] ^ hashes[2 * r];
      rd1[g] = rd1[g] ^ hashes[2 * r + 1];
    }
    for (let i = 0; i < nM; i++) {
      const col = cols[i];
      if (col === null) continue;
      const x = col[r];
      if (x !== x) continue;
      const at = g * nM + i;
      sum[at] = sum[at] + x;
      nonNull[at]++;
      if (x < min[at]) min[at] = x;
      if (x > max[at]) max[at] = x;
    }
  }
  const out: GroupState[] = [];
  let marginalRecords = 0;
  for (let g = 0; g < space; g++) marginalRecords += count[g];
  for (let g = 0; g < space; g++) {
    if (!seen[g]) continue;
    const state = newGroup(group ? [g] : [], nTerms, nM, false);
    state.n = n[g]!;
    const rem = new Int32Array(nTerms + (group ? 1 : 0));
    const remRecords = new Int32Array(nTerms + (group ? 1 : 0));
    for (let i = 0; i < nTerms; i++) {
      rem[i] = removed[g * nTerms + i]!;
      remRecords[i] = removedRecords[g * nTerms + i]!;
    }
    if (group) {
      rem[nTerms] = Math.max(0, marginal - n[g]);
      remRecords[nTerms] = marginalRecords - count[g];
    }
    state.removed = rem;
    state.removedRecords = remRecords;
    state.members = members[g]!;
    state.count = count[g]!;
    state.rd0 = rd0[g] >>> 0;
    state.rd1 = rd1[g] >>> 0;
    for (let i = 0; i < nM; i++) {
      state.sum[i] = sum[g * nM + i]!;
      state.nonNull[i] = nonNull[g * nM + i]!;
      state.min[i] = min[g * nM + i]!;
      state.max[i] = max[g * nM + i]!;
    }
    out.push(state);
  }
  return out;
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo];
  return lo === hi ? a : a + (sorted[hi] - a) * (pos - lo);
}

/**
 * An exact aggregate query: every group with at least one member (one group when ungrouped). With
 * `recordHashes` (two 32-bit words per row), each group also carries the XOR of its records' hashes.
 */
export function evaluateAggregate(
  data: DatasetColumns,
  query: AggregateQuery,
  scope: EngineScope,
  options: { recordHashes?: Uint32Array } = {},
): AggregateResult {
  const groupBy = query.groupBy ?? [];
  const hashes = options.recordHashes;
  const states =
    scanFast(data, query, scope, query.measures, groupBy, hashes) ||
    scan(data, query, scope, { measures: query.measures, groupBy, recordHashes: hashes });
  const groupCols = groupBy.map((spec) => specCodes(data, spec));
  const dates = query.measures.map(
    (m) => m.fn !== "count" && data.schema.fields[fieldIndex(data.schema, m.field)].type === "date",
  );
  const out: EngineGroup[] = [];
  for (const g of states) {
    if (groupBy.length > 0 && g.n === 0) continue;
    const values = query.measures.map((m, i) => {
      switch (m.fn) {
        case "count":
          return g.count;
        case "sum":
          return g.nonNull[i] ? g.sum[i] : null;
        case "mean":
          return g.nonNull[i] ? g.sum[i] / g.nonNull[i] : null;
        case "min":
        case "max": {
          if (!g.nonNull[i]) return null;
          const v = m.fn === "min" ? g.min[i] : g.max[i];
          return dates[i] ? daysToDate(v) : v;
        }
        case "quantiles": {
          const xs = g.samples?.[i] ?? [];
          if (xs.length === 0) return null;
          xs.sort((a, b) => a - b);
          return m.q.map((q) => percentileCont(xs, q));
        }
      }
    });
    out.push({
      key: g.key.map((c, j) => groupCols[j].values[c] ?? null),
      cohort: {
        members: g.n,
        records: g.count,
        removedBy: [...g.removed],
        removedRecordsBy: [...g.removedRecords],
      },
      members: Int32Array.from(g.members),
      values,
      ...(hashes ? { recordDigest: [g.rd0 >>> 0, g.rd1 >>> 0] as [number, number] } : {}),
    });
  }
  if (groupBy.length === 0 && out.length === 0) {
    out.push({
      key: [],
      cohort: {
        members: 0,
        records: 0,
        removedBy: (query.where ?? []).map(() => 0),
        removedRecordsBy: (query.where ?? []).map(() => 0),
      },
      members: new Int32Array(0),
      values: query.measures.map((m) => (m.fn === "count" ? 0 : null)),
      ...(hashes ? { recordDigest: [0, 0] as [number, number] } : {}),
    });
  }
  return { groups: out };
}

/** The rows of a row query in scope that pass every filter, as row numbers, and the cohort. */
export function rowCohort(
  data: DatasetColumns,
  query: RowQuery,
  scope: EngineScope,
): CohortCounts & { rows: number } {
  const [g] =
    scanFast(data, query, scope, [], []) ?? scan(data, query, scope, { measures: [], groupBy: [] });
  return {
    members: g?.n ?? 0,
    records: g?.count ?? 0,
    removedBy: g ? [...g.removed] : (query.where ?? []).map(() => 0),
    removedRecordsBy: g ? [...g.removedRecords] : (query.where ?? []).map(() => 0),
    rows: g?.count ?? 0,
  };
}

/**
 * A grant's keyed order of the rows: md5(salt ‖ member number ‖ ':' ‖ record id), as the SQL orders ties,
 * so the order is stable within a grant and unrelated across grants. Returned as each row's rank.
 */
export function keyedRanks(data: DatasetColumns, salt: string): Int32Array {
  const keys = new Array<string>(data.size);
  for (let r = 0; r < data.size; r++) {
    keys[r] = createHash("md5")
      .update(`${salt}${data.member[r]}:${data.recordId[r]}`)
      .digest("hex");
  }
  const order = Array.from({ length: data.size }, (_, r) => r);
  order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const rank = new Int32Array(data.size);
  order.forEach((r, i) => (rank[r] = i));
  return rank;
}

export interface RowPage {
  /** Row numbers of the page, in order. */
  rows: number[];
  /** The selected values of each row of the page (dates as YYYY-MM-DD). */
  values: unknown[][];
}

/** The page of a row query: rows in scope passing every filter, ordered by `orderBy` then the grant's keyed order. */
export function readRowPage(
  data: DatasetColumns,
  query: RowQuery,
  scope: EngineScope,
  rank: Int32Array,
  /** The rows in rank order (the inverse of `rank`), when already known. */
  order?: Int32Array,
): RowPage {
  const terms = (query.where ?? []).map((f) => compileTerm(data, f));
  const pass = (r: number) => {
    if (scope.covered[data.member[r]] !== 1) return false;
    for (const t of terms) if (!t(r)) return false;
    return true;
  };
  const limit = query.limit ?? 100;
  const offset = query.offset ?? 0;
  let rows: number[];
  const orderBy = query.orderBy ?? [];
  if (orderBy.length === 0) {
    // Walk the keyed order and stop at the page's end.
    const byRank = order ?? inverse(rank);
    rows = [];
    let seen = 0;
    for (let i = 0; i < data.size && rows.length < limit; i++) {
      const r = byRank[i];
      if (!pass(r)) continue;
      if (seen++ >= offset) rows.push(r);
    }
  } else {
    const keys = orderBy.map((o) => {
      const j = fieldIndex(data.schema, o.field);
      return { column: data.columns[j], desc: o.desc ?? false };
    });
    const candidates: number[] = [];
    for (let r = 0; r < data.size; r++) if (pass(r)) candidates.push(r);
    candidates.sort((a, b) => {
      for (const k of keys) {
        const c = compareValues(k.column, a, b, k.desc);
        if (c !== 0) return c;
      }
      return rank[a] - rank[b];
    });
    rows = candidates.slice(offset, offset + limit);
  }
  const select = query.select.map((name) => {
    const j = fieldIndex(data.schema, name);
    return { column: data.columns[j], date: data.schema.fields[j].type === "date" };
  });
  return {
    rows,
    values: rows.map((r) => select.map((s) => valueAt(s.column, r, s.date))),
  };
}

/** A row's value of a column as the answer carries it. */
export function valueAt(column: Column, r: number, date: boolean): unknown {
  switch (column.kind) {
    case "code":
      return column.codes[r] < 0 ? null : column.dict[column.codes[r]];
    case "bool":
      return column.values[r] < 0 ? null : column.values[r] === 1;
    case "float": {
      const v = column.values[r];
      if (v !== v) return null;
      return date ? daysToDate(v) : v;
    }
  }
}

/** The rows in rank order. */
export function inverse(rank: Int32Array): Int32Array {
  const order = new Int32Array(rank.length);
  for (let r = 0; r < rank.length; r++) order[rank[r]] = r;
  return order;
}

/** Compares two rows on a column, nulls last whatever the direction (as `NULLS LAST`). */
function compareValues(column: Column, a: number, b: number, desc: boolean): number {
  let x: number | string;
  let y: number | string;
  let xNull: boolean;
  let yNull: boolean;
  if (column.kind === "code") {
    xNull = column.codes[a] < 0;
    yNull = column.codes[b] < 0;
    x = xNull ? "" : column.dict[column.codes[a]];
    y = yNull ? "" : column.dict[column.codes[b]];
  } else {
    const values = column.values;
    x = values[a]!;
    y = values[b]!;
    xNull = column.kind === "bool" ? x < 0 : x !== x;
    yNull = column.kind === "bool" ? y < 0 : y !== y;
  }
  if (xNull || yNull) return xNull === yNull ? 0 : xNull ? 1 : -1;
  const c = x < y ? -1 : x > y ? 1 : 0;
  return desc ? -c : c;
}
