import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GatewayError } from "@datacoop/protocol/errors";
import { checkQuery, fieldsOf, parseQuery } from "@datacoop/protocol/query";
import {
  aggregateSql,
  cohortSql,
  cohortsByGroup,
  combinedAggregateSql,
  rowSql,
} from "../../support/querySql.ts";
import { datasetSchema } from "../fixtures.ts";

const schema = datasetSchema();
const scope = {
  datasetId: 1n,
  include: [1],
  exclude: [],
};
const INJECTION = "north'; DROP TABLE gateway_records; --";

function code(c: string) {
  return (e: unknown) => e instanceof GatewayError && e.code === c;
}

describe("query language", () => {
  it("parses the documented forms and lists the fields they read", () => {
    const q = parseQuery({
      type: "aggregate",
      groupBy: ["region"],
      measures: [{ fn: "count" }, { fn: "quantiles", field: "yield_kg", q: [0.25, 0.5] }],
      where: [{ field: "harvested", op: "between", low: "2026-01-01", high: "2026-12-31" }],
    });
    assert.deepEqual(fieldsOf(q), ["region", "yield_kg", "harvested"]);
    checkQuery(q, schema);
  });

  it("rejects unknown keys, wrong types, oversized lists and out-of-range numbers", () => {
    const bad: unknown[] = [
      null,
      [],
      "rows",
      { type: "rows" },
      { type: "rows", select: [] },
      { type: "rows", select: ["a"], extra: 1 },
      { type: "rows", select: ["a"], limit: 100_000 },
      { type: "rows", select: ["a"], limit: 1.5 },
      { type: "rows", select: Array(65).fill("a") },
      { type: "aggregate", measures: [] },
      { type: "aggregate", measures: [{ fn: "median", field: "a" }] },
      { type: "aggregate", measures: [{ fn: "quantiles", field: "a", q: [1] }] },
      {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "a", op: "in", values: Array(101).fill(1) }],
      },
      {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "a", op: "like", value: "%" }],
      },
      {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "a", op: "eq", value: { $gt: 1 } }],
      },
    ];
    for (const b of bad)
      assert.throws(() => parseQuery(b), code("query_invalid"), JSON.stringify(b));
  });

  it("checks fields and value types against the schema", () => {
    const check = (q: unknown) => () => checkQuery(parseQuery(q), schema);
    assert.throws(check({ type: "rows", select: ["colour"] }), code("field_unknown"));
    assert.throws(
      check({ type: "rows", select: ["region"], where: [{ field: "age", op: "eq", value: "40" }] }),
      code("query_invalid"),
    );
    assert.throws(
      check({
        type: "rows",
        select: ["region"],
        where: [{ field: "region", op: "lt", value: "n" }],
      }),
      code("query_invalid"),
    );
    assert.throws(
      check({
        type: "rows",
        select: ["region"],
        where: [{ field: "harvested", op: "gt", value: "2026-13-01" }],
      }),
      code("query_invalid"),
    );
    assert.throws(
      check({ type: "aggregate", measures: [{ fn: "sum", field: "region" }] }),
      code("query_invalid"),
    );
    assert.throws(
      check({ type: "aggregate", groupBy: ["region", "region"], measures: [{ fn: "count" }] }),
      code("query_invalid"),
    );
  });
});

describe("query compilation", () => {
  it("never puts a field name or a value into the SQL text", () => {
    const row = parseQuery({
      type: "rows",
      select: ["region", "crop"],
      where: [
        { field: "crop", op: "eq", value: INJECTION },
        { field: "region", op: "in", values: [INJECTION] },
      ],
      orderBy: [{ field: "age", desc: true }],
    });
    const agg = parseQuery({
      type: "aggregate",
      groupBy: ["crop"],
      measures: [{ fn: "mean", field: "yield_kg" }],
      where: [{ field: "crop", op: "ne", value: INJECTION }],
    });
    for (const sql of [
      rowSql(row as never, schema, scope, "salt"),
      cohortSql(row, schema, scope),
      cohortSql(agg, schema, scope),
      aggregateSql(agg as never, schema, scope),
      combinedAggregateSql(agg as never, schema, scope),
      combinedAggregateSql(agg as never, schema, {
        datasetId: 1n,
        include: null,
        exclude: [7],
      }),
    ]) {
      for (const word of ["DROP", "crop", "region", "yield_kg", "age", "north", "salt"]) {
        assert.ok(!sql.text.includes(word), `${word} in ${sql.text}`);
      }
      assert.ok(JSON.stringify(sql.values).includes("DROP TABLE"));
      assert.match(sql.text, /FROM gateway_data_1 r/);
    }
  });

  it("derives each group's removed members from its marginals", () => {
    const rows = [
      { key: ["south", "true"], grouping: 0, n: 4, removed: [] },
      { key: ["south", "false"], grouping: 0, n: 1, removed: [] },
      { key: ["north", "false"], grouping: 0, n: 6, removed: [] },
      // Marginals: leaving out region (bit 2 = first key), leaving out organic (bit 1).
      { key: [null, "true"], grouping: 2, n: 4, removed: [] },
      { key: [null, "false"], grouping: 2, n: 7, removed: [] },
      { key: ["south", null], grouping: 1, n: 5, removed: [] },
      { key: ["north", null], grouping: 1, n: 6, removed: [] },
    ];
    const cohorts = cohortsByGroup(rows, 2);
    assert.deepEqual(cohorts.get(JSON.stringify(["south", "true"])), {
      members: 4,
      removedBy: [0, 1],
    });
    assert.deepEqual(cohorts.get(JSON.stringify(["north", "false"])), {
      members: 6,
      removedBy: [1, 0],
    });
  });
});
