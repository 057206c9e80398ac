/**
 * The in-memory engine against the SQL it replaces: random datasets in a real store's typed table, random
 * consent scopes and random checked queries, each answered by both (cohorts with their record counts,
 * measures, group members, the differentially private pass's exact sums over a public domain, row pages),
 * then unit tests at the k rules' boundaries.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  buildColumns,
  evaluateAggregate,
  keyedRanks,
  readRowPage,
  rowCohort,
  type DatasetColumns,
  type EngineGroup,
  type EngineScope,
  type RawValue,
} from "../../../src/gateway/query/engine.ts";
import {
  checkQuery,
  groupBins,
  groupField,
  parseQuery,
  type AggregateQuery,
  type Filter,
  type GroupSpec,
  type Measure,
  type Query,
  type RowQuery,
} from "@datacoop/protocol/query";
import {
  aggregateSql,
  cohortSql,
  cohortsByGroup,
  privateSumsSql,
  readCohortRows,
  rowSql,
  type Scope,
} from "../../support/querySql.ts";
import { evaluatePrivate } from "../../../src/gateway/query/private.ts";
import { privatePlan, type PrivatePlan } from "../../../src/gateway/query/privacy.ts";
import { checkCohort } from "../../../src/gateway/query/policy.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { dataTable, ensureDataTable } from "../../../src/gateway/records/records.ts";
import {
  schemaDocumentSchema,
  type DatasetSchema,
  type FieldDef,
} from "@datacoop/protocol/datasetSchema";
import type { Queryable } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { stores, suiteStores } from "../../support/stores.ts";

const SEED = Number(process.env.ENGINE_TEST_SEED ?? 20261130);
const DATASETS = 6;
const SCOPES_PER_DATASET = 3;
const AGGREGATES_PER_SCOPE = 20;
const ROW_QUERIES_PER_SCOPE = 12;

/** mulberry32: a small seeded generator, so a failure can be replayed with its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const chance = (p: number) => next() < p;
  const subset = <T>(xs: readonly T[], n: number): T[] => {
    const copy = [...xs];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  };
  return { next, int, pick, chance, subset };
}
type Rng = ReturnType<typeof prng>;

const DAY_MS = 86_400_000;
const dayText = (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10);
const ENUMS = [
  ["north", "south", "east", "west", "centre"],
  ["maize", "rice", "beans", "cassava"],
  ["a", "b", "ab", "ba", "abc", ""],
];

interface Dataset {
  schema: DatasetSchema;
  /** One row per record: member number, record id, values in field order. */
  records: { m: number; recordId: string; values: RawValue[] }[];
  members: number[];
  /** Values of each field present in the data (for filters that match something). */
  seen: RawValue[][];
}

/** A random schema (every type at least once) and random records of 30–300 members. */
function randomDataset(rng: Rng, datasetId: bigint): Dataset {
  const fields: FieldDef[] = [];
  const gens: (() => RawValue)[] = [];
  const add = (type: FieldDef["type"]) => {
    const name = `${type}_${fields.length}`;
    switch (type) {
      case "number": {
        const lo = rng.int(-500, 100);
        const hi = lo + rng.int(10, 3000);
        // Bounds narrower than the data, so clamping matters for private sums.
        const min = lo + rng.int(0, 50);
        fields.push({ name, type, min, max: Math.max(min, hi - rng.int(0, 50)) });
        gens.push(() => Math.round((lo + rng.next() * (hi - lo)) * 100) / 100);
        return;
      }
      case "integer": {
        const hi = rng.int(3, 25);
        const min = rng.int(0, 2);
        fields.push({ name, type, min, max: Math.max(min, hi - rng.int(0, 2)) });
        gens.push(() => rng.int(0, hi));
        return;
      }
      case "string": {
        const values = rng.subset(rng.pick(ENUMS), rng.int(2, 4));
        // Every value is one of the enum's: the public domain of a private group by this field.
        fields.push({ name, type, enum: [...values].sort() });
        gens.push(() => rng.pick(values));
        return;
      }
      case "boolean":
        fields.push({ name, type });
        gens.push(() => rng.chance(0.5));
        return;
      case "date": {
        // Some ranges cross 1970-01-01 (negative day numbers).
        const start = rng.chance(0.3) ? rng.int(-60, 0) : rng.int(19_000, 20_500);
        const span = rng.int(5, 120);
        fields.push({ name, type });
        gens.push(() => dayText(start + rng.int(0, span)));
        return;
      }
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names the untyped reply's shape
  const types = rng.subset(
    ["number", "integer", "string", "boolean", "date"] as const,
    5,
  ) as FieldDef["type"][];
  for (const t of types) add(t);
  for (let extra = rng.int(0, 3); extra > 0; extra--)
    add(rng.pick(["number", "integer", "string", "boolean", "date"] as const));
  const nullRate = fields.map(() => 0.03 + rng.next() * 0.2);

  const nMembers = rng.int(30, 300);
  // Member numbers with gaps, as erased contributors leave.
  const members = rng
    .subset(
      Array.from({ length: Math.ceil(nMembers * 1.4) }, (_, i) => i + 1),
      nMembers,
    )
    .sort((a, b) => a - b);
  const records: Dataset["records"] = [];
  for (const m of members) {
    const ids = new Set<string>();
    for (let n = rng.int(1, 8); n > 0; n--) {
      ids.add(`${rng.pick(["r", "R", "x.", "id:", "z-"])}${rng.int(0, 99)}`);
    }
    for (const recordId of ids) {
      records.push({
        m,
        recordId,
        values: fields.map((_, j) => (rng.chance(nullRate[j]) ? null : gens[j]())),
      });
    }
  }
  // Some null in every column.
  fields.forEach((_, j) => (rng.pick(records).values[j] = null));
  const seen = fields.map((_, j) => [
    ...new Set(records.map((r) => r.values[j]).filter((v) => v !== null)),
  ]);
  // A schema document the gateway would accept.
  schemaDocumentSchema.parse({ fields });
  return {
    schema: { datasetId, schemaHash: "0x00", fields, privacy: null },
    records,
    members,
    seen,
  };
}

async function insertDataset(db: Queryable, data: Dataset): Promise<void> {
  await ensureDataTable(db, data.schema);
  const nCols = 2 + data.schema.fields.length;
  const cols = ["m", "record_id", ...data.schema.fields.map((_, i) => `f${i}`)].join(", ");
  for (let at = 0; at < data.records.length; at += 400) {
    const chunk = data.records.slice(at, at + 400);
    const params: unknown[] = [];
    const tuples = chunk.map((r, i) => {
      params.push(r.m, r.recordId, ...r.values);
      return `(${Array.from({ length: nCols }, (_, c) => `$${i * nCols + c + 1}`).join(", ")})`;
    });
    await db.query(
      `INSERT INTO ${dataTable(data.schema.datasetId)} (${cols}) VALUES ${tuples.join(", ")}`,
      params,
    );
  }
}

/** The test's own loader of the engine's columns from the typed table. */
async function loadColumnsForTest(db: Queryable, schema: DatasetSchema): Promise<DatasetColumns> {
  const exprs = schema.fields.map((f, i) =>
    f.type === "number" || f.type === "integer"
      ? `f${i}::float8 AS f${i}`
      : f.type === "date"
        ? `f${i}::text AS f${i}`
        : `f${i}`,
  );
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT m, record_id, ${exprs.join(", ")} FROM ${dataTable(schema.datasetId)} ORDER BY m, record_id COLLATE "C"`,
  );
  return buildColumns(
    schema,
    rows.map((r) => ({
      m: Number(r.m),
      record_id: String(r.record_id),
      values: schema.fields.map((_, i) => (r[`f${i}`] ?? null) as RawValue),
    })),
  );
}

interface TestScope {
  engine: EngineScope;
  sql: Scope;
  size: number;
}

/** The same members as the engine's bytes and as the SQL's include (or exclude) list. */
function makeScope(data: Dataset, included: readonly number[], asExclude: boolean): TestScope {
  const top = Math.max(0, ...data.members, ...included);
  const covered = new Uint8Array(top + 1);
  for (const m of included) covered[m] = 1;
  const set = new Set(included);
  const sql: Scope = asExclude
    ? {
        datasetId: data.schema.datasetId,
        include: null,
        exclude: data.members.filter((m) => !set.has(m)),
      }
    : { datasetId: data.schema.datasetId, include: [...included], exclude: [] };
  return { engine: { covered }, sql, size: included.length };
}

function randomScope(rng: Rng, data: Dataset, i: number): TestScope {
  if (i === 0) return makeScope(data, data.members, rng.chance(0.5));
  const share = rng.pick([0.1, 0.5, 0.8, 0.95]);
  const included = data.members.filter(() => rng.chance(share));
  // Numbers of no contributor (not in the table) change nothing.
  if (rng.chance(0.3)) included.push(Math.max(...data.members) + rng.int(1, 5));
  return makeScope(data, included, rng.chance(0.3));
}

// ---- random queries -------------------------------------------------------------------------------

const ORDERED = new Set(["number", "integer", "date"]);
const NUMERIC = new Set(["number", "integer"]);

function randomValue(rng: Rng, data: Dataset, j: number): RawValue {
  const f = data.schema.fields[j];
  if (data.seen[j].length && rng.chance(0.75)) return rng.pick(data.seen[j]);
  switch (f.type) {
    case "number":
      return Math.round((rng.next() * 4000 - 1000) * 100) / 100;
    case "integer":
      return rng.int(-2, 30);
    case "string":
      return rng.pick(["absent", "zz", "", "north", "a"]);
    case "boolean":
      return rng.chance(0.5);
    case "date":
      return dayText(rng.chance(0.5) ? rng.int(-100, 100) : rng.int(18_900, 20_700));
  }
}

function randomFilter(rng: Rng, data: Dataset): Filter {
  const j = rng.int(0, data.schema.fields.length - 1);
  const f = data.schema.fields[j];
  const ops = ORDERED.has(f.type)
    ? (["eq", "ne", "lt", "lte", "gt", "gte", "in", "between"] as const)
    : (["eq", "ne", "in"] as const);
  const op = rng.pick(ops);
  const v = () => randomValue(rng, data, j) as string | number | boolean;
  if (op === "in") return { field: f.name, op, values: Array.from({ length: rng.int(1, 5) }, v) };
  if (op === "between") {
    const [a, b] = [v(), v()];
    // Mostly low ≤ high; sometimes reversed (matches nothing in both).
    return a <= b || rng.chance(0.15)
      ? { field: f.name, op, low: a, high: b }
      : { field: f.name, op, low: b, high: a };
  }
  return { field: f.name, op, value: v() };
}

function randomWhere(rng: Rng, data: Dataset): Filter[] | undefined {
  const n = rng.pick([0, 1, 1, 2, 2, 3]);
  return n === 0 && rng.chance(0.5)
    ? undefined
    : Array.from({ length: n }, () => randomFilter(rng, data));
}

function randomMeasure(rng: Rng, data: Dataset, privateOnly: boolean): Measure {
  const fields = data.schema.fields;
  const numeric = fields.filter((f) => NUMERIC.has(f.type));
  const ordered = fields.filter((f) => ORDERED.has(f.type));
  const fn = privateOnly
    ? rng.pick(["count", "sum", "mean"] as const)
    : rng.pick(["count", "sum", "mean", "min", "max", "quantiles"] as const);
  switch (fn) {
    case "count":
      return { fn };
    case "sum":
    case "mean":
      return { fn, field: rng.pick(numeric).name };
    case "min":
    case "max":
      return { fn, field: rng.pick(ordered).name };
    case "quantiles":
      return {
        fn,
        field: rng.pick(numeric).name,
        q: Array.from({ length: rng.int(1, 4) }, () =>
          rng.pick([0.01, 0.25, 0.5, 0.75, 0.9, 0.99, Math.max(0.001, rng.next() * 0.999)]),
        ),
      };
  }
}

/** Increasing bin edges over the values of an ordered field seen in the data (sometimes past them). */
function randomBins(rng: Rng, data: Dataset, j: number): (number | string)[] {
  const f = data.schema.fields[j];
  const seen = data.seen[j] as (number | string)[];
  const asNumber = (v: number | string) => (typeof v === "number" ? v : Date.parse(v) / DAY_MS);
  const values = seen.map(asNumber);
  const lo = Math.min(...values) - rng.int(0, 3);
  const hi = Math.max(...values) + rng.int(-3, 3);
  const n = rng.int(1, 6);
  const edges = new Set<number>([lo]);
  for (let i = 0; i < n; i++) edges.add(Math.round(lo + rng.next() * (hi - lo)));
  edges.add(hi + 1);
  const sorted = [...edges].sort((a, b) => a - b);
  return f.type === "date" ? sorted.map((d) => dayText(d)) : sorted;
}

/** A group-by term: the field, or (numbers and dates, sometimes integers) declared bins of it. */
function randomGroupSpec(rng: Rng, data: Dataset, name: string): GroupSpec {
  const j = data.schema.fields.findIndex((f) => f.name === name);
  const type = data.schema.fields[j].type;
  const binned = type === "date" || type === "number" ? 0.6 : type === "integer" ? 0.2 : 0;
  return rng.chance(binned) ? { field: name, bins: randomBins(rng, data, j) } : name;
}

function randomAggregate(rng: Rng, data: Dataset, privateOnly = false): AggregateQuery {
  // Grouping by a continuous number makes a group per record; sometimes, not often.
  const names = data.schema.fields
    .filter((f) => f.type !== "number" || rng.chance(0.15))
    .map((f) => f.name);
  const groupBy = rng
    .subset(names, rng.pick([0, 0, 1, 1, 2, 2, 3]))
    .map((name) => randomGroupSpec(rng, data, name));
  const query = {
    type: "aggregate" as const,
    ...(groupBy.length || rng.chance(0.5) ? { groupBy } : {}),
    measures: Array.from({ length: rng.int(1, 4) }, () => randomMeasure(rng, data, privateOnly)),
    ...optional("where", randomWhere(rng, data)),
  };
  return checked(query, data.schema) as AggregateQuery;
}

/**
 * A differentially private aggregate the plan accepts: group-by terms from a public domain (enums,
 * booleans, bounded integers, declared bins of numbers and dates), count / sum / mean of bounded fields,
 * a random bound on each member's records.
 */
function randomPrivate(rng: Rng, data: Dataset): { query: AggregateQuery; plan: PrivatePlan } {
  for (;;) {
    const fields = data.schema.fields;
    const groupBy = rng
      .subset(fields, rng.pick([0, 1, 1, 2]))
      .map((f) =>
        f.type === "number" || f.type === "date"
          ? { field: f.name, bins: randomBins(rng, data, fields.indexOf(f)) }
          : f.name,
      );
    const query = checked(
      {
        type: "aggregate",
        ...(groupBy.length || rng.chance(0.5) ? { groupBy } : {}),
        measures: Array.from({ length: rng.int(1, 3) }, () => randomMeasure(rng, data, true)),
        ...optional("where", randomWhere(rng, data)),
        ...optional("recordsPerMember", rng.chance(0.3) ? undefined : rng.int(1, 4)),
      },
      data.schema,
    ) as AggregateQuery;
    const plan = privatePlan(query, data.schema, 3);
    if (!("reason" in plan)) return { query, plan };
  }
}

function randomRowQuery(rng: Rng, data: Dataset): RowQuery {
  const names = data.schema.fields.map((f) => f.name);
  const select = rng.subset(names, rng.int(1, names.length));
  const orderBy = rng
    .subset(names, rng.pick([0, 0, 1, 1, 2, 3]))
    .map((field) => (rng.chance(0.5) ? { field, desc: rng.chance(0.5) } : { field }));
  const query = {
    type: "rows" as const,
    select,
    ...(orderBy.length || rng.chance(0.3) ? { orderBy } : {}),
    ...optional("where", randomWhere(rng, data)),
    ...optional("limit", rng.chance(0.3) ? undefined : rng.pick([1, 2, 7, 25, 60, 1000])),
    ...optional("offset", rng.chance(0.4) ? undefined : rng.pick([0, 1, 5, 40, 200, 5000])),
  };
  return checked(query, data.schema) as RowQuery;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

/** Only queries the gateway would run: parsed and checked against the schema. */
function checked(query: unknown, schema: DatasetSchema): Query {
  const parsed = parseQuery(query);
  checkQuery(parsed, schema);
  return parsed;
}

// ---- comparisons ----------------------------------------------------------------------------------

function close(actual: unknown, expected: unknown, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, what);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: ${JSON.stringify(actual)} is not an array`);
    assert.equal(actual.length, expected.length, what);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${what}[${i}]`));
    return;
  }
  if (typeof expected === "number") {
    assert.equal(typeof actual, "number", `${what}: ${JSON.stringify(actual)}`);
    const a = actual as number;
    const tolerance = 1e-9 * Math.max(1, Math.abs(a), Math.abs(expected));
    assert.ok(Math.abs(a - expected) <= tolerance, `${what}: got ${a}, expected ${expected}`);
    return;
  }
  assert.deepEqual(actual, expected, what);
}

/**
 * The SQL's text group key as the engine types it (numbers, booleans; strings and dates as text; a
 * declared bin as its [from, to]).
 */
function typedKey(schema: DatasetSchema, groupBy: readonly GroupSpec[], key: readonly unknown[]) {
  return JSON.stringify(
    groupBy.map((spec, j) => {
      const v = key[j] ?? null;
      if (v === null) return null;
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
      if (groupBins(spec)) return JSON.parse(String(v)) as unknown;
      const type = schema.fields.find((f) => f.name === groupField(spec))!.type;
      return NUMERIC.has(type) ? Number(v) : type === "boolean" ? v === "true" : v;
    }),
  );
}

const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

async function rowsOf(db: Queryable, sql: { text: string; values: unknown[] }) {
  return (await db.query<Record<string, unknown>>(sql.text, sql.values)).rows;
}

/** Cohorts, measures and members of an exact aggregate, engine against SQL. */
async function compareAggregate(
  db: Queryable,
  columns: DatasetColumns,
  schema: DatasetSchema,
  query: AggregateQuery,
  scope: TestScope,
): Promise<number> {
  const what = JSON.stringify(query);
  const groupBy = query.groupBy ?? [];
  const engine = evaluateAggregate(columns, query, scope.engine);
  const byKey = new Map<string, EngineGroup>();
  for (const g of engine.groups) byKey.set(JSON.stringify(g.key), g);
  assert.equal(byKey.size, engine.groups.length, `distinct group keys: ${what}`);

  const cohortRows = readCohortRows(query, await rowsOf(db, cohortSql(query, schema, scope.sql)));
  if (groupBy.length === 0) {
    assert.equal(engine.groups.length, 1, what);
    const row = cohortRows[0];
    assert.deepEqual(
      engine.groups[0].cohort,
      {
        members: row.n,
        records: row.records,
        removedBy: row.removed,
        removedRecordsBy: row.removedRecords,
      },
      `cohort of ${what}`,
    );
  } else {
    const cohorts = new Map(
      [...cohortsByGroup(cohortRows, groupBy.length)]
        .filter(([, c]) => c.members > 0)
        .map(([k, c]) => [typedKey(schema, groupBy, JSON.parse(k) as unknown[]), c]),
    );
    assert.deepEqual(sorted0(byKey.keys()), sorted0(cohorts.keys()), `groups of ${what}`);
    for (const [key, cohort] of cohorts) {
      assert.deepEqual(byKey.get(key)!.cohort, cohort, `cohort ${key} of ${what}`);
    }
  }

  const answer = await rowsOf(db, aggregateSql(query, schema, scope.sql));
  const keyOf = (row: Record<string, unknown>) =>
    typedKey(
      schema,
      groupBy,
      groupBy.map((_, j) => row[`g${j}`]),
    );
  assert.equal(answer.length, engine.groups.length, `answer groups of ${what}`);
  for (const row of answer) {
    const key = keyOf(row);
    const g = byKey.get(key);
    assert.ok(g, `group ${key} of ${what}`);
    query.measures.forEach((m, i) => {
      const expected = row[`m${i}`] ?? null;
      close(g.values[i], m.fn === "count" ? Number(expected) : expected, `m${i} ${key} ${what}`);
    });
    assert.deepEqual(
      sorted(g.members),
      sorted((row.members as number[] | null) ?? []),
      `members ${key} of ${what}`,
    );
  }
  return engine.groups.length;
}

function sorted0(keys: Iterable<string>): string[] {
  return [...keys].sort();
}

/** The private pass's exact sums per group of the public domain, engine against SQL. */
async function comparePrivate(
  db: Queryable,
  columns: DatasetColumns,
  schema: DatasetSchema,
  query: AggregateQuery,
  plan: PrivatePlan,
  scope: TestScope,
): Promise<number> {
  const what = JSON.stringify(query);
  const groupBy = query.groupBy ?? [];
  const { sums } = evaluatePrivate(columns, query, scope.engine, plan);
  // The engine's cells by their key, as typedKey writes it.
  const strides = plan.dims.map((_, j) =>
    plan.dims.slice(j + 1).reduce((a, d) => a * d.keys.length, 1),
  );
  const keyOfCell = (c: number) =>
    JSON.stringify(
      plan.dims.map((d, j) => d.keys[Math.floor(c / strides[j]) % d.keys.length] ?? null),
    );
  const engine = new Map<string, bigint[]>();
  for (let c = 0; c < plan.cells; c++) {
    if (sums[0][c] > 0n)
      engine.set(
        keyOfCell(c),
        sums.map((stat) => stat[c]),
      );
  }
  const rows = (await rowsOf(db, privateSumsSql(query, schema, scope.sql, plan))).filter(
    (row) => Number(row.c) > 0,
  );
  assert.equal(rows.length, engine.size, `private groups of ${what}`);
  for (const row of rows) {
    const key = typedKey(
      schema,
      groupBy,
      groupBy.map((_, j) => row[`g${j}`]),
    );
    const got = engine.get(key);
    assert.ok(got, `private group ${key} of ${what}`);
    const want = plan.stats.map((st, i) => BigInt(i === 0 ? Number(row.c) : String(row[`s${i}`])));
    assert.deepEqual(got, want, `private sums ${key} of ${what} (${JSON.stringify(plan.stats)})`);
  }
  return rows.length;
}

/** A row query's cohort and page, engine against SQL (same rows, same order, same values). */
async function compareRows(
  db: Queryable,
  columns: DatasetColumns,
  schema: DatasetSchema,
  query: RowQuery,
  scope: TestScope,
  salt: string,
): Promise<number> {
  const what = JSON.stringify(query);
  const [cohort] = readCohortRows(query, await rowsOf(db, cohortSql(query, schema, scope.sql)));
  const engineCohort = rowCohort(columns, query, scope.engine);
  assert.deepEqual(
    {
      members: engineCohort.members,
      records: engineCohort.records,
      removedBy: engineCohort.removedBy,
      removedRecordsBy: engineCohort.removedRecordsBy,
    },
    {
      members: cohort.n,
      records: cohort.records,
      removedBy: cohort.removed,
      removedRecordsBy: cohort.removedRecords,
    },
    `row cohort of ${what}`,
  );
  const page = readRowPage(columns, query, scope.engine, keyedRanks(columns, salt));
  const expected = await rowsOf(db, rowSql(query, schema, scope.sql, salt));
  const got = page.rows.map((r, i) => [columns.member[r], ...page.values[i]]);
  const want = expected.map((row) => [
    Number(row.member),
    ...query.select.map((_, i) => row[`c${i}`] ?? null),
  ]);
  assert.deepEqual(got, want, `page of ${what} (salt ${salt})`);
  return page.rows.length;
}

// ---- a small fixed dataset for the boundaries ------------------------------------------------------

const REGIONS = ["east", "north", "south"];

/**
 * Member 1 has one record, every value missing; members 2…12 two records each, nothing missing:
 * num m·1.5 and m·1.5 + 0.25, int m mod 4, str by m mod 3 (north: 4, 7, 10), flag m even, day
 * 2026-01-m and 2026-02-m.
 */
function boundaryDataset(): Dataset {
  const fields: FieldDef[] = [
    { name: "num", type: "number", min: 1, max: 100 },
    { name: "int", type: "integer", min: 0, max: 3 },
    { name: "str", type: "string" },
    { name: "flag", type: "boolean" },
    { name: "day", type: "date" },
  ];
  const members = Array.from({ length: 12 }, (_, i) => i + 1);
  const records: Dataset["records"] = [{ m: 1, recordId: "a", values: fields.map(() => null) }];
  for (const m of members.slice(1)) {
    const dd = String(m).padStart(2, "0");
    for (const [recordId, extra, month] of [
      ["a", 0, "01"],
      ["b", 0.25, "02"],
    ] as const) {
      records.push({
        m,
        recordId,
        values: [m * 1.5 + extra, m % 4, REGIONS[m % 3], m % 2 === 0, `2026-${month}-${dd}`],
      });
    }
  }
  const seen = fields.map((_, j) => [
    ...new Set(records.map((r) => r.values[j]).filter((v) => v !== null)),
  ]);
  return {
    schema: { datasetId: 950n, schemaHash: "0x00", fields, privacy: null },
    records,
    members,
    seen,
  };
}

/** Filters that every present value of the field passes (so only a missing value can fail them). */
function everyPresentValue(data: Dataset, j: number): Filter[] {
  const f = data.schema.fields[j];
  const seen = data.seen[j] as (string | number | boolean)[];
  const absent = { number: -1e9, integer: -7, string: "absent", boolean: null, date: "1900-01-01" }[
    f.type
  ];
  const out: Filter[] = [{ field: f.name, op: "in", values: seen }];
  if (absent !== null) out.push({ field: f.name, op: "ne", value: absent });
  if (ORDERED.has(f.type)) {
    const [lo, hi] = f.type === "date" ? ["1900-01-01", "2100-01-01"] : [-1e9, 1e9];
    out.push(
      { field: f.name, op: "gt", value: lo },
      { field: f.name, op: "gte", value: lo },
      { field: f.name, op: "lt", value: hi },
      { field: f.name, op: "lte", value: hi },
      { field: f.name, op: "between", low: lo, high: hi },
    );
  }
  if (f.type === "boolean") {
    out.push(
      { field: f.name, op: "in", values: [true, false] },
      { field: f.name, op: "ne", value: true },
      { field: f.name, op: "eq", value: false },
    );
  }
  return out;
}

// ---- the suites -----------------------------------------------------------------------------------

for (const store of stores) {
  describe(`engine against SQL on ${store.name} (seed ${SEED})`, () => {
    const dbs = suiteStores(store, 1);
    before(async () => migrate(dbs[0], gatewayMigrations));

    it("answers random checked queries over random datasets and scopes as the SQL does", async (t) => {
      const db = dbs[0];
      const rng = prng(SEED);
      const tally = {
        aggregates: 0,
        privates: 0,
        privateGroups: 0,
        rowQueries: 0,
        groups: 0,
        rows: 0,
      };
      for (let d = 0; d < DATASETS; d++) {
        const data = randomDataset(rng, BigInt(900 + d));
        await insertDataset(db, data);
        const columns = await loadColumnsForTest(db, data.schema);
        assert.equal(columns.size, data.records.length);
        for (let s = 0; s < SCOPES_PER_DATASET; s++) {
          const scope = randomScope(rng, data, s);
          for (let q = 0; q < AGGREGATES_PER_SCOPE; q++) {
            tally.groups += await compareAggregate(
              db,
              columns,
              data.schema,
              randomAggregate(rng, data),
              scope,
            );
            tally.aggregates++;
            if (q % 2 === 0) {
              const { query, plan } = randomPrivate(rng, data);
              tally.privateGroups += await comparePrivate(
                db,
                columns,
                data.schema,
                query,
                plan,
                scope,
              );
              tally.privates++;
            }
          }
          const salt = Array.from({ length: 16 }, () => rng.int(0, 15).toString(16)).join("");
          for (let q = 0; q < ROW_QUERIES_PER_SCOPE; q++) {
            tally.rows += await compareRows(
              db,
              columns,
              data.schema,
              randomRowQuery(rng, data),
              scope,
              salt,
            );
            tally.rowQueries++;
          }
        }
      }
      t.diagnostic(JSON.stringify(tally));
      // The random queries do reach groups and rows (not only empty answers).
      assert.ok(tally.groups > tally.aggregates, JSON.stringify(tally));
      assert.ok(tally.privateGroups > tally.privates, JSON.stringify(tally));
      assert.ok(tally.rows > tally.rowQueries, JSON.stringify(tally));
    });

    describe("at the boundaries", () => {
      const data = boundaryDataset();
      const schema = data.schema;
      let columns: DatasetColumns;
      const everyone = makeScope(data, data.members, false);
      const salt = "0123456789abcdef";
      before(async () => {
        await insertDataset(dbs[0], data);
        columns = await loadColumnsForTest(dbs[0], schema);
      });

      /** The engine's cohort and page of a row query, after checking both against the SQL. */
      async function rows(where: Filter[], scope = everyone) {
        const query = checked({ type: "rows", select: ["num", "str"], where }, schema) as RowQuery;
        await compareRows(dbs[0], columns, schema, query, scope, salt);
        const page = readRowPage(columns, query, scope.engine, keyedRanks(columns, salt));
        return {
          ...rowCohort(columns, query, scope.engine),
          members: sorted(new Set(page.rows.map((r) => columns.member[r]))),
        };
      }

      async function aggregate(query: unknown, scope = everyone) {
        const q = checked(query, schema) as AggregateQuery;
        await compareAggregate(dbs[0], columns, schema, q, scope);
        return evaluateAggregate(columns, q, scope.engine);
      }

      it("never matches a missing value, whatever the operator (ne included)", async () => {
        let filters = 0;
        for (let j = 0; j < schema.fields.length; j++) {
          for (const filter of everyPresentValue(data, j)) {
            const f = schema.fields[j];
            const expectedRows = f.type === "boolean" ? undefined : 22;
            const got = await rows([filter]);
            const what = JSON.stringify(filter);
            assert.ok(!got.members.includes(1), what);
            if (expectedRows !== undefined) {
              // Every present value passes: only member 1, whose value is missing, is left out.
              assert.equal(got.rows, expectedRows, what);
              assert.deepEqual(
                { members: got.members.length, removedBy: got.removedBy },
                { members: 11, removedBy: [1] },
                what,
              );
            }
            filters++;
          }
        }
        assert.equal(filters, 27);
        // Booleans: eq false and ne true match exactly the odd members, not the missing one.
        const odd = await rows([{ field: "flag", op: "ne", value: true }]);
        assert.deepEqual(odd.members, [3, 5, 7, 9, 11]);
        assert.deepEqual(odd.removedBy, [7]);
      });

      it("includes both ends of between", async () => {
        // num 3, 3.25 (member 2) and 4.5, 4.75 (member 3).
        const num = await rows([{ field: "num", op: "between", low: 3, high: 4.75 }]);
        assert.deepEqual({ rows: num.rows, members: num.members }, { rows: 4, members: [2, 3] });
        const day = await rows([
          { field: "day", op: "between", low: "2026-01-02", high: "2026-01-03" },
        ]);
        assert.deepEqual({ rows: day.rows, members: day.members }, { rows: 2, members: [2, 3] });
        const int = await rows([{ field: "int", op: "between", low: 1, high: 1 }]);
        assert.deepEqual({ rows: int.rows, members: int.members }, { rows: 4, members: [5, 9] });
        const none = await rows([{ field: "num", op: "between", low: 4.75, high: 3 }]);
        assert.equal(none.rows, 0);
      });

      it("matches `in` only on the values present", async () => {
        const absent = await rows([{ field: "str", op: "in", values: ["absent", "west"] }]);
        assert.deepEqual(
          { rows: absent.rows, members: absent.members.length, removedBy: absent.removedBy },
          { rows: 0, members: 0, removedBy: [12] },
        );
        const north = await rows([{ field: "str", op: "in", values: ["absent", "north"] }]);
        assert.deepEqual(north.members, [4, 7, 10]);
        const num = await rows([{ field: "num", op: "in", values: [999, 3, -1] }]);
        assert.deepEqual({ rows: num.rows, members: num.members }, { rows: 1, members: [2] });
        const day = await rows([{ field: "day", op: "in", values: ["1999-01-01", "2026-02-05"] }]);
        assert.deepEqual({ rows: day.rows, members: day.members }, { rows: 1, members: [5] });
        const flag = await rows([{ field: "flag", op: "in", values: [true] }]);
        assert.deepEqual(flag.members, [2, 4, 6, 8, 10, 12]);
      });

      it("counts a group of k − 1 members as k − 1, which the k rule refuses", async () => {
        const k = 4;
        const result = await aggregate({
          type: "aggregate",
          groupBy: ["str"],
          measures: [{ fn: "count" }],
        });
        const byKey = new Map(result.groups.map((g) => [String(g.key[0]), g]));
        // 23 records in all: north's 3 members have 6, south's 4 have 8, the missing one 1.
        assert.deepEqual(byKey.get("north")!.cohort, {
          members: k - 1,
          records: 6,
          removedBy: [9],
          removedRecordsBy: [17],
        });
        assert.deepEqual(checkCohort(byKey.get("north")!.cohort, k), {
          ok: false,
          reason: "cohort_too_small",
          message: `The answer covers fewer than ${k} members or fewer than ${k} records.`,
        });
        assert.deepEqual(byKey.get("south")!.cohort, {
          members: k,
          records: 8,
          removedBy: [8],
          removedRecordsBy: [15],
        });
        assert.deepEqual(checkCohort(byKey.get("south")!.cohort, k), { ok: true });
        // k records are not enough without k members, nor k members without k records.
        assert.equal(checkCohort({ ...byKey.get("south")!.cohort, records: k - 1 }, k).ok, false);
        assert.deepEqual(byKey.get("null")!.cohort, {
          members: 1,
          records: 1,
          removedBy: [11],
          removedRecordsBy: [22],
        });
        assert.deepEqual(sorted(byKey.get("north")!.members), [4, 7, 10]);
      });

      it("counts one member removed by a filter that removes exactly one", async () => {
        const withoutMissing = makeScope(data, data.members.slice(1), true);
        // num ≥ 4 leaves out member 2 (3 and 3.25) only.
        const one = await rows([{ field: "num", op: "gte", value: 4 }], withoutMissing);
        assert.deepEqual(
          {
            members: one.members.length,
            removedBy: one.removedBy,
            removedRecordsBy: one.removedRecordsBy,
          },
          { members: 10, removedBy: [1], removedRecordsBy: [2] },
        );
        const verdict = checkCohort(
          { members: one.members.length, records: one.rows, removedBy: one.removedBy },
          2,
        );
        assert.equal(verdict.ok === false && verdict.reason, "filter_isolates");
        const result = await aggregate(
          {
            type: "aggregate",
            measures: [{ fn: "count" }],
            where: [
              { field: "num", op: "gte", value: 4 },
              { field: "int", op: "ne", value: 0 },
            ],
          },
          withoutMissing,
        );
        // int ≠ 0 leaves out members 4, 8 and 12; each term counts the members (and records) only it removes.
        assert.deepEqual(result.groups[0].cohort, {
          members: 7,
          records: 14,
          removedBy: [1, 3],
          removedRecordsBy: [2, 6],
        });
      });

      it("counts the records each term removes, filters and group keys", async () => {
        // num < 12.25 keeps member 8's first record (12) and drops its second (12.25), all of 9…12's
        // and member 1's (missing): 10 records.
        const cohort = (await rows([{ field: "num", op: "lt", value: 12.25 }])).removedRecordsBy;
        assert.deepEqual(cohort, [10]);
        const cut = await aggregate({
          type: "aggregate",
          measures: [{ fn: "count" }],
          where: [
            { field: "num", op: "lt", value: 12.25 },
            { field: "num", op: "lt", value: 100 },
          ],
        });
        // Records failing only the first term: 9 (member 1's fails both); "num < 100" alone removes none.
        assert.deepEqual(cut.groups[0].cohort.removedRecordsBy, [9, 0]);
        const near = await aggregate({
          type: "aggregate",
          measures: [{ fn: "sum", field: "num" }],
          where: [
            { field: "num", op: "lt", value: 100 },
            { field: "num", op: "ne", value: 12 },
          ],
        });
        // "num ≠ 12" removes one record (12) of member 8, who keeps the other (12.25): a term counts the
        // members with a record it alone removes, and those records.
        assert.deepEqual(
          [near.groups[0].cohort.removedBy[1], near.groups[0].cohort.removedRecordsBy[1]],
          [1, 1],
        );
        const verdict = checkCohort(near.groups[0].cohort, 3);
        assert.equal(verdict.ok === false && verdict.reason, "filter_isolates");
        // A group key: every member of 2…12 has one record in January and one in February, so the
        // January group leaves out no member of its marginal, but 11 records.
        const withoutMissing = makeScope(data, data.members.slice(1), false);
        const months = await aggregate(
          {
            type: "aggregate",
            groupBy: [{ field: "day", bins: ["2026-01-01", "2026-02-01", "2026-03-01"] }],
            measures: [{ fn: "count" }],
          },
          withoutMissing,
        );
        const january = months.groups.find(
          (g) => JSON.stringify(g.key) === '[["2026-01-01","2026-02-01"]]',
        );
        assert.deepEqual(january?.cohort, {
          members: 11,
          records: 11,
          removedBy: [0],
          removedRecordsBy: [11],
        });
      });

      it("answers an empty scope with one ungrouped group of no members", async () => {
        const empty = makeScope(data, [], false);
        const query = {
          type: "aggregate",
          measures: [{ fn: "count" }, { fn: "sum", field: "num" }, { fn: "max", field: "day" }],
          where: [{ field: "num", op: "gt", value: 0 }],
        };
        const result = await aggregate(query, empty);
        assert.equal(result.groups.length, 1);
        const [g] = result.groups;
        assert.deepEqual(
          { key: g.key, cohort: g.cohort, members: [...g.members], values: g.values },
          {
            key: [],
            cohort: { members: 0, records: 0, removedBy: [0], removedRecordsBy: [0] },
            members: [],
            values: [0, null, null],
          },
        );
        // Differentially private queries count, sum and average only.
        const dp = checked(
          {
            ...query,
            measures: [{ fn: "count" }, { fn: "sum", field: "num" }, { fn: "mean", field: "int" }],
          },
          schema,
        ) as AggregateQuery;
        const plan = privatePlan(dp, schema, 3) as PrivatePlan;
        await comparePrivate(dbs[0], columns, schema, dp, plan, empty);
        assert.deepEqual(evaluatePrivate(columns, dp, empty.engine, plan).sums, [[0n], [0n], [0n]]);
        const grouped = await aggregate({ ...query, groupBy: ["str"] }, empty);
        assert.equal(grouped.groups.length, 0);
        const none = await rows([], empty);
        assert.deepEqual(
          { rows: none.rows, members: none.members.length },
          { rows: 0, members: 0 },
        );
      });

      it("counts at most R records of each member, the first in record-id order, values in fixed point", async () => {
        const query = (recordsPerMember: number) =>
          checked(
            {
              type: "aggregate",
              measures: [{ fn: "count" }, { fn: "sum", field: "num" }],
              recordsPerMember,
            },
            schema,
          ) as AggregateQuery;
        // num is bounded by [1, 100]: units of 10⁻⁵ (100 · 10⁵ ≤ 2²⁴).
        const one = privatePlan(query(1), schema, 3) as PrivatePlan;
        assert.deepEqual(one.stats[1], {
          kind: "sum",
          field: 0,
          fixed: { exponent: -5, lo: 100_000, hi: 10_000_000 },
        });
        const first = evaluatePrivate(columns, query(1), everyone.engine, one).sums;
        // Member 1's one record (all missing) counts; members 2…12 count their record "a" (m · 1.5).
        assert.deepEqual(first, [[12n], [BigInt(77 * 150_000)]]);
        await comparePrivate(dbs[0], columns, schema, query(1), one, everyone);
        const two = privatePlan(query(2), schema, 3) as PrivatePlan;
        assert.deepEqual(evaluatePrivate(columns, query(2), everyone.engine, two).sums, [
          [23n],
          [BigInt(2 * 77 * 150_000 + 11 * 25_000)],
        ]);
        // The sensitivities follow: R for the count, R · 100 · 10⁵ units for the sum.
        assert.deepEqual(two.sensitivity, [2n, 20_000_000n]);
      });
    });
  });
}
