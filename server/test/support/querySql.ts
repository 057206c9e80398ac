/**
 * Compiles a checked query to parameterized SQL over the dataset's typed table (`gateway_data_<id>`, see
 * records.ts). Nothing from the request is ever spliced into the SQL text: fields become the columns of
 * their position in the schema (f0, f1…), values travel as parameters, and only fragments written here
 * (casts, operators, column aliases c0, g0, t0…) are concatenated.
 *
 * Each query compiles to two statements: a cohort statement, which counts the distinct members of every
 * cohort (the rows, or each group) and how many members each term of its predicate removes — the input to
 * the policy's k rules — and the data statement, which reads the answer.
 */
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
import { dataTable } from "../../src/gateway/records/records.ts";
import type { PrivatePlan } from "../../src/gateway/query/privacy.ts";
import type { DatasetSchema, FieldDef } from "@datacoop/protocol/datasetSchema";

export interface Sql {
  text: string;
  values: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

const CAST: Record<FieldDef["type"], string> = {
  number: "float8",
  integer: "float8",
  string: "text",
  boolean: "boolean",
  date: "date",
};

const OPS = { eq: "=", ne: "<>", lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

function fieldDef(schema: DatasetSchema, name: string): FieldDef {
  const f = schema.fields.find((x) => x.name === name);
  if (!f) throw new Error(`unchecked query: no field ${name}`);
  return f;
}

/** The column of field `name` in the dataset's typed table (named by the field's position). */
function column(schema: DatasetSchema, name: string): string {
  const i = schema.fields.findIndex((x) => x.name === name);
  if (i < 0) throw new Error(`unchecked query: no field ${name}`);
  return `r.f${i}`;
}

/** The typed value of field `name` in a record row `r`. */
function fieldExpr(_p: Params, schema: DatasetSchema, name: string): string {
  return column(schema, name);
}

/** A group key as text (as the JSON text of the value would read). */
function keyExpr(p: Params, schema: DatasetSchema, spec: GroupSpec): string {
  const name = groupField(spec);
  const bins = groupBins(spec);
  if (!bins) return `(${column(schema, name)})::text`;
  // A declared bin [from, to) as the JSON text of [from, to]; outside every bin, null.
  const cast = CAST[fieldDef(schema, name).type];
  const x = column(schema, name);
  const cases = bins.slice(1).map((to, i) => {
    const from = bins[i];
    return `WHEN ${x} >= ${p.add(from)}::${cast} AND ${x} < ${p.add(to)}::${cast} THEN ${p.add(JSON.stringify([from, to]))}::text`;
  });
  return `(CASE ${cases.join(" ")} ELSE NULL END)`;
}

/** A selected value as the answer carries it (dates as YYYY-MM-DD). */
function selectExpr(schema: DatasetSchema, name: string): string {
  return fieldDef(schema, name).type === "date"
    ? `(${column(schema, name)})::text`
    : column(schema, name);
}

function filterExpr(p: Params, schema: DatasetSchema, filter: Filter): string {
  const cast = CAST[fieldDef(schema, filter.field).type];
  const x = fieldExpr(p, schema, filter.field);
  switch (filter.op) {
    case "in":
      return `${x} = ANY(${p.add(filter.values)}::${cast}[])`;
    case "between":
      return `${x} BETWEEN ${p.add(filter.low)}::${cast} AND ${p.add(filter.high)}::${cast}`;
    default:
      return `${x} ${OPS[filter.op]} ${p.add(filter.value)}::${cast}`;
  }
}

/**
 * Who may be read: the dataset's live records of the members whose consent covers the grant — given as
 * the included members, or (when shorter) as the excluded ones, or not at all when everyone is included.
 */
export interface Scope {
  datasetId: bigint;
  /** Members' numbers in the dataset (`gateway_contributors.member_no`) to read, or null: all but `exclude`. */
  include: readonly number[] | null;
  exclude: readonly number[];
}

/** The dataset's typed table of live records (see records.ts). */
function source(datasetId: bigint): string {
  return `${dataTable(datasetId)} r`;
}

function baseWhere(p: Params, scope: Scope): string {
  // Array parameters are constants to the planner, which hashes = ANY / <> ALL over long arrays.
  if (scope.include) return `r.m = ANY(${p.add(scope.include)}::int[])`;
  if (scope.exclude.length) return `r.m <> ALL(${p.add(scope.exclude)}::int[])`;
  return "true";
}

/** The FROM clause with one boolean column per filter term (t0, t1…), nulls as false. */
function termsCte(
  p: Params,
  schema: DatasetSchema,
  scope: Scope,
  query: Query,
  extra: string[],
): string {
  const terms = (query.where ?? []).map(
    (f, i) => `coalesce(${filterExpr(p, schema, f)}, false) AS t${i}`,
  );
  const cols = ["r.m AS member", ...extra, ...terms].join(", ");
  return `WITH base AS (SELECT ${cols} FROM ${source(scope.datasetId)} WHERE ${baseWhere(p, scope)})`;
}

function all(n: number, except = -1): string {
  const parts = Array.from({ length: n }, (_, i) => i)
    .filter((i) => i !== except)
    .map((i) => `t${i}`);
  return parts.length ? parts.join(" AND ") : "true";
}

/**
 * Counts per cohort: n (members), nr (records), r0… (members removed by each filter term) and rr0…
 * (records removed by each filter term).
 */
function cohortColumns(nTerms: number): string[] {
  const cols = [
    `count(DISTINCT member) FILTER (WHERE ${all(nTerms)})::int AS n`,
    `count(*) FILTER (WHERE ${all(nTerms)})::int AS nr`,
  ];
  for (let i = 0; i < nTerms; i++) {
    cols.push(
      `count(DISTINCT member) FILTER (WHERE ${all(nTerms, i)} AND NOT t${i})::int AS r${i}`,
      `count(*) FILTER (WHERE ${all(nTerms, i)} AND NOT t${i})::int AS rr${i}`,
    );
  }
  return cols;
}

export interface CohortRow {
  /** Group key values as text (null when missing); [] for rows and ungrouped aggregates. */
  key: (string | null)[];
  /** Bitmask of GROUPING(): 0 for a full group, else the marginal leaving out the set bits. */
  grouping: number;
  n: number;
  records: number;
  removed: number[];
  removedRecords: number[];
}

/** The cohort statement: one row for a row query or an ungrouped aggregate, else one per group and marginal. */
export function cohortSql(query: Query, schema: DatasetSchema, scope: Scope): Sql {
  const p = new Params();
  const groups = query.type === "aggregate" ? (query.groupBy ?? []) : [];
  const gcols = groups.map((g, j) => `${keyExpr(p, schema, g)} AS g${j}`);
  const cte = termsCte(p, schema, scope, query, gcols);
  const nTerms = (query.where ?? []).length;
  const counts = cohortColumns(nTerms);
  if (groups.length === 0) {
    return { text: `${cte} SELECT ${counts.join(", ")} FROM base`, values: p.values };
  }
  const g = groups.map((_, j) => `g${j}`);
  const sets = [
    `(${g.join(", ")})`,
    ...g.map((_, j) => `(${g.filter((_, i) => i !== j).join(", ")})`),
  ];
  const text = `${cte} SELECT ${g.join(", ")}, GROUPING(${g.join(", ")})::int AS gs, ${counts.join(", ")}
    FROM base GROUP BY GROUPING SETS (${sets.join(", ")})`;
  return { text, values: p.values };
}

export function readCohortRows(query: Query, rows: Record<string, unknown>[]): CohortRow[] {
  const nGroups = query.type === "aggregate" ? (query.groupBy ?? []).length : 0;
  const nTerms = (query.where ?? []).length;
  return rows.map((row) => ({
    key: Array.from({ length: nGroups }, (_, j) => (row[`g${j}`] ?? null) as string | null),
    grouping: nGroups ? Number(row.gs) : 0,
    n: Number(row.n),
    records: Number(row.nr),
    removed: Array.from({ length: nTerms }, (_, i) => Number(row[`r${i}`])),
    removedRecords: Array.from({ length: nTerms }, (_, i) => Number(row[`rr${i}`])),
  }));
}

/**
 * Per full group: its members, and the members each term removes — each filter term, then each group key
 * (the key's marginal group minus this group, a lower bound of the members the key separates).
 */
export interface SqlCohort {
  members: number;
  records: number;
  removedBy: number[];
  removedRecordsBy: number[];
}

export function cohortsByGroup(rows: CohortRow[], nGroups: number): Map<string, SqlCohort> {
  const byKey = new Map<string, CohortRow>();
  for (const row of rows) byKey.set(`${row.grouping}:${JSON.stringify(row.key)}`, row);
  const out = new Map<string, SqlCohort>();
  for (const row of rows) {
    if (row.grouping !== 0) continue;
    const removedBy = [...row.removed];
    const removedRecordsBy = [...row.removedRecords];
    for (let j = 0; j < nGroups; j++) {
      const marginalKey = row.key.map((v, i) => (i === j ? null : v));
      const marginal = byKey.get(`${1 << (nGroups - 1 - j)}:${JSON.stringify(marginalKey)}`);
      removedBy.push(Math.max(0, (marginal?.n ?? row.n) - row.n));
      removedRecordsBy.push((marginal?.records ?? row.records) - row.records);
    }
    out.set(JSON.stringify(row.key), {
      members: row.n,
      records: row.records,
      removedBy,
      removedRecordsBy,
    });
  }
  return out;
}

/** The row statement: member, record id and the selected values, in a per-grant shuffled order. */
export function rowSql(
  query: RowQuery,
  schema: DatasetSchema,
  scope: Scope,
  orderSalt: string,
): Sql {
  const p = new Params();
  const cols = query.select.map((name, i) => `${selectExpr(schema, name)} AS c${i}`);
  const where = (query.where ?? []).map((f) => filterExpr(p, schema, f));
  const order = (query.orderBy ?? []).map(
    (o) => `${fieldExpr(p, schema, o.field)} ${o.desc ? "DESC" : "ASC"} NULLS LAST`,
  );
  // Ties (and queries without an order) follow a keyed hash, so the order links nothing across grants.
  order.push(`md5(${p.add(orderSalt)} || r.m || ':' || r.record_id)`);
  const text = `SELECT r.m AS member, ${cols.join(", ")} FROM ${source(scope.datasetId)}
    WHERE ${[baseWhere(p, scope), ...where].join(" AND ")}
    ORDER BY ${order.join(", ")} LIMIT ${p.add(query.limit ?? 100)} OFFSET ${p.add(query.offset ?? 0)}`;
  return { text, values: p.values };
}

export function measureLabel(m: Measure): string {
  return m.fn === "count" ? "count" : `${m.fn}:${m.field}`;
}

function measureExpr(p: Params, schema: DatasetSchema, m: Measure, i: number): string {
  if (m.fn === "count") return `count(*)::int AS m${i}`;
  const f = fieldDef(schema, m.field);
  const x = `x${i}`;
  switch (m.fn) {
    case "sum":
      return `sum(${x})::float8 AS m${i}`;
    case "mean":
      return `avg(${x})::float8 AS m${i}`;
    case "min":
    case "max":
      return f.type === "date" ? `${m.fn}(${x})::text AS m${i}` : `${m.fn}(${x})::float8 AS m${i}`;
    case "quantiles":
      return `percentile_cont(${p.add(m.q)}::float8[]) WITHIN GROUP (ORDER BY ${x}) AS m${i}`;
  }
}

/**
 * The aggregate statement: per group (g0…), every measure (m0…) over the records matching all filters,
 * and the members whose records it used (to log them).
 */
export function aggregateSql(query: AggregateQuery, schema: DatasetSchema, scope: Scope): Sql {
  const p = new Params();
  const groups = query.groupBy ?? [];
  const gcols = groups.map((g, j) => `${keyExpr(p, schema, g)} AS g${j}`);
  const xcols = query.measures.flatMap((m, i) =>
    m.fn === "count" ? [] : [`${fieldExpr(p, schema, m.field)} AS x${i}`],
  );
  const cte = termsCte(p, schema, scope, query, [...gcols, ...xcols]);
  const measures = query.measures.map((m, i) => measureExpr(p, schema, m, i));
  const g = groups.map((_, j) => `g${j}`);
  const text = `${cte} SELECT ${[...g, ...measures, "array_agg(DISTINCT member) AS members"].join(", ")}
    FROM base WHERE ${all((query.where ?? []).length)} ${g.length ? `GROUP BY ${g.join(", ")}` : ""}`;
  return { text, values: p.values };
}

/**
 * The differentially private pass's exact sums (query/private.ts), per group of the plan's public domain:
 * of each member's records that pass the filters and fall in the domain, the first R in record-id order
 * (byte order), then per group the record count and, per statistic, the sum of the values in fixed-point
 * units clamped to the bounds (s0…, as text: exact integers) or the count of present values. Groups with no
 * record do not appear.
 */
export function privateSumsSql(
  query: AggregateQuery,
  schema: DatasetSchema,
  scope: Scope,
  plan: PrivatePlan,
): Sql {
  const p = new Params();
  const groups = query.groupBy ?? [];
  const gcols = groups.map((g, j) => `${keyExpr(p, schema, g)} AS g${j}`);
  // Whether the record falls in the domain: a missing value only where the domain has a null group, an
  // integer only within the field's bounds.
  const inDomain = plan.dims.map((d) => {
    const x = `r.f${d.field}`;
    const nullOk = d.nullAt >= 0 ? "true" : "false";
    if (d.kind === "bins") return "true";
    if (d.kind === "integer") {
      const n = d.nullAt >= 0 ? d.keys.length - 1 : d.keys.length;
      return `((${x} IS NULL AND ${nullOk}) OR (${x} >= ${p.add(d.low!)}::float8 AND ${x} <= ${p.add(d.low! + n - 1)}::float8 AND ${x} = trunc(${x})))`;
    }
    return `(${x} IS NOT NULL OR ${nullOk})`;
  });
  const xcols = plan.stats.flatMap((s, i) =>
    s.kind === "count" ? [] : [`r.f${s.field} AS x${i}`],
  );
  const cte = termsCte(p, schema, scope, query, [
    ...gcols,
    ...xcols,
    "r.record_id AS record_id",
    `(${inDomain.length ? inDomain.join(" AND ") : "true"}) AS in_domain`,
  ]);
  const stats = plan.stats.flatMap((s, i) => {
    if (s.kind === "count") return [];
    if (s.kind === "present") return [`count(x${i})::int AS s${i}`];
    const e = s.fixed.exponent;
    const units =
      e < 0
        ? `floor(x${i} * ${p.add(10 ** -e)}::float8 + 0.5)`
        : `floor(x${i} / ${p.add(10 ** e)}::float8 + 0.5)`;
    // A missing value stays missing (greatest() ignores a null and would return the lower bound).
    const clamped = `CASE WHEN x${i} IS NULL THEN NULL ELSE least(greatest(${units}, ${p.add(s.fixed.lo)}::float8), ${p.add(s.fixed.hi)}::float8) END`;
    return [`coalesce(sum(${clamped}::numeric), 0)::text AS s${i}`];
  });
  const g = groups.map((_, j) => `g${j}`);
  const text = `${cte}, ranked AS (
      SELECT *, row_number() OVER (PARTITION BY member ORDER BY record_id COLLATE "C") AS rn
      FROM base WHERE ${all((query.where ?? []).length)} AND in_domain
    )
    SELECT ${[...g, "count(*)::int AS c", ...stats].join(", ")}
    FROM ranked WHERE rn <= ${p.add(plan.recordsPerMember)} ${g.length ? `GROUP BY ${g.join(", ")}` : ""}`;
  return { text, values: p.values };
}

/** Whether an aggregate can be answered by the one-pass statement (every measure decomposes per member). */
export function isDecomposable(query: AggregateQuery): boolean {
  return query.measures.every((m) => m.fn !== "quantiles");
}

/**
 * One pass for exact aggregates without quantiles: records are first summarised per (group, member) —
 * whether the member is in the cohort, whether each term removes them, and partial sums, counts, minima
 * and maxima — then per group and per marginal (GROUPING SETS). Marginals count a member once per full
 * group they appear in, which can only overstate how many members a group key removes: the k rules err
 * towards suppressing. Rows of kind 0 come back in the shape of `readCohortRows` plus the measures m0…;
 * rows of kind 1 list each full group's members, comma-separated.
 */
export function combinedAggregateSql(
  query: AggregateQuery,
  schema: DatasetSchema,
  scope: Scope,
): Sql {
  const p = new Params();
  const groups = query.groupBy ?? [];
  const nTerms = (query.where ?? []).length;
  const gcols = groups.map((g, j) => `${keyExpr(p, schema, g)} AS g${j}`);
  const xcols = query.measures.flatMap((m, i) =>
    m.fn === "count" ? [] : [`${fieldExpr(p, schema, m.field)} AS x${i}`],
  );
  const cte = termsCte(p, schema, scope, query, [...gcols, ...xcols]);
  const g = groups.map((_, j) => `g${j}`);
  const everything = all(nTerms);
  const perMember = [
    `bool_or(${everything}) AS a`,
    ...Array.from(
      { length: nTerms },
      (_, i) => `bool_or(${all(nTerms, i)} AND NOT t${i}) AS r${i}`,
    ),
    `count(*) FILTER (WHERE ${everything}) AS c`,
    ...query.measures.flatMap((m, i) => {
      if (m.fn === "count") return [];
      const f = `FILTER (WHERE ${everything})`;
      if (m.fn === "sum" || m.fn === "mean")
        return [`sum(x${i}) ${f} AS s${i}`, `count(x${i}) ${f} AS k${i}`];
      return [`${m.fn}(x${i}) ${f} AS v${i}`];
    }),
  ];
  const measures = query.measures.map((m, i) => {
    const date = m.fn !== "count" && fieldDef(schema, m.field).type === "date";
    switch (m.fn) {
      case "count":
        return `coalesce(sum(c), 0)::int AS m${i}`;
      case "sum":
        return `sum(s${i})::float8 AS m${i}`;
      case "mean":
        return `(sum(s${i}) / nullif(sum(k${i}), 0))::float8 AS m${i}`;
      default:
        return `${m.fn}(v${i})${date ? "::text" : "::float8"} AS m${i}`;
    }
  });
  const counts = [
    "count(*) FILTER (WHERE a)::int AS n",
    ...Array.from({ length: nTerms }, (_, i) => `count(*) FILTER (WHERE r${i})::int AS r${i}`),
  ];
  const pm = `pm AS (SELECT ${[...g, "member", ...perMember].join(", ")} FROM base GROUP BY ${[...g, "member"].join(", ")})`;
  // The members of each full group come back in the same statement (kind 1), so the records are read once.
  const nulls = (n: number) => Array.from({ length: n }, () => "NULL");
  // One row per group with its members joined by commas (addresses have none): far fewer rows to carry.
  const memberRows = `SELECT ${["1", ...g, ...nulls((g.length ? 1 : 0) + counts.length + measures.length), "string_agg(member::text, ',')"].join(", ")} FROM pm WHERE a${g.length ? ` GROUP BY ${g.join(", ")}` : ""}`;
  if (g.length === 0) {
    const text = `${cte}, ${pm}, agg AS (SELECT ${[...counts, ...measures].join(", ")} FROM pm)
      SELECT 0 AS kind, agg.*, NULL::text AS member FROM agg UNION ALL ${memberRows}`;
    return { text, values: p.values };
  }
  const sets = [
    `(${g.join(", ")})`,
    ...g.map((_, j) => `(${g.filter((_, i) => i !== j).join(", ")})`),
  ];
  const text = `${cte}, ${pm}, agg AS (
      SELECT ${[...g, `GROUPING(${g.join(", ")})::int AS gs`, ...counts, ...measures].join(", ")}
      FROM pm GROUP BY GROUPING SETS (${sets.join(", ")})
    )
    SELECT 0 AS kind, agg.*, NULL::text AS member FROM agg UNION ALL ${memberRows}`;
  return { text, values: p.values };
}

/**
 * The query as a database without the gateway would run it — no consent scope, no cohort counts, no
 * member lists: the benchmark's baseline. Aggregates only group and measure; rows only select.
 */
export function bareSql(query: Query, schema: DatasetSchema): Sql {
  const p = new Params();
  const where = ["true", ...(query.where ?? []).map((f) => filterExpr(p, schema, f))].join(" AND ");
  if (query.type === "rows") {
    const cols = query.select.map((name, i) => `${selectExpr(schema, name)} AS c${i}`);
    const order = (query.orderBy ?? []).map(
      (o) => `${fieldExpr(p, schema, o.field)} ${o.desc ? "DESC" : "ASC"} NULLS LAST`,
    );
    const text = `SELECT r.m AS member, ${cols.join(", ")} FROM ${source(schema.datasetId)} WHERE ${where}
      ${order.length ? `ORDER BY ${order.join(", ")}` : ""} LIMIT ${p.add(query.limit ?? 100)} OFFSET ${p.add(query.offset ?? 0)}`;
    return { text, values: p.values };
  }
  const groups = query.groupBy ?? [];
  const g = groups.map((name, j) => `${keyExpr(p, schema, name)} AS g${j}`);
  const measures = query.measures.map((m, i) => {
    if (m.fn === "count") return `count(*)::int AS m${i}`;
    const x = fieldExpr(p, schema, m.field);
    if (m.fn === "quantiles")
      return `percentile_cont(${p.add(m.q)}::float8[]) WITHIN GROUP (ORDER BY ${x}) AS m${i}`;
    return `${m.fn === "mean" ? "avg" : m.fn}(${x}) AS m${i}`;
  });
  const text = `SELECT ${[...g, ...measures].join(", ")} FROM ${source(schema.datasetId)} WHERE ${where}
    ${groups.length ? `GROUP BY ${groups.map((_, j) => `g${j}`).join(", ")}` : ""}`;
  return { text, values: p.values };
}
