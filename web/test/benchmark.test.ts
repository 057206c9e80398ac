import { describe, expect, it } from "vitest";
import { parseQuery } from "@datacoop/protocol/query";
import {
  BENCHMARK_PURPOSE,
  benchmarkFields,
  binEdges,
  binOf,
  countMargin,
  membersGrant,
  ownAverages,
  poolQueries,
  readHistogram,
  readMeans,
  scale,
  shareBelow,
} from "../src/lib/benchmark.ts";
import type { ApiGrant } from "../src/lib/indexerApi.ts";
import type { SchemaField } from "../src/lib/schemaDoc.ts";
import { HARVESTS } from "../../scripts/demo.ts";

const fields = HARVESTS.fields as SchemaField[];
const yieldField = fields.find((f) => f.name === "yield_t_per_ha")!;
const treasury = "0x1000000000000000000000000000000000000001";

const grant = (over: Partial<ApiGrant & { toMembers: boolean; forMembers: boolean }>) =>
  ({
    grantId: "4",
    partner: treasury,
    datasetId: "1",
    purpose: BENCHMARK_PURPOSE,
    fieldMask: "56",
    active: true,
    ...over,
  }) as ApiGrant & { toMembers?: boolean; forMembers?: boolean };

describe("a member's benchmark", () => {
  it("averages the member's own numbers, field by field", () => {
    const own = ownAverages(fields, [
      { values: { yield_t_per_ha: 3, hectares: 2, farm: "x" } },
      { values: { yield_t_per_ha: 4 } },
      { values: { yield_t_per_ha: "n/a" } },
    ]);
    expect(own.get("yield_t_per_ha")).toEqual({ mean: 3.5, count: 2 });
    expect(own.get("hectares")).toEqual({ mean: 2, count: 1 });
    expect(own.has("farm")).toBe(false);
  });

  it("finds the co-op's benchmarking grant to its members, active, on the dataset, and nothing else", () => {
    expect(membersGrant([grant({})], "1", treasury)?.grantId).toBe("4");
    expect(
      membersGrant([grant({ partner: "0xab", toMembers: true })], "1", treasury)?.grantId,
    ).toBe("4");
    expect(
      membersGrant([grant({ partner: "0xab", forMembers: true })], "1", treasury)?.grantId,
    ).toBe("4");
    expect(membersGrant([grant({ partner: "0xab" })], "1", treasury)).toBeUndefined();
    expect(
      membersGrant([grant({ partner: "0xab", forMembers: false })], "1", treasury),
    ).toBeUndefined();
    expect(membersGrant([grant({ purpose: 0 })], "1", treasury)).toBeUndefined();
    expect(membersGrant([grant({ active: false })], "1", treasury)).toBeUndefined();
    expect(membersGrant([grant({ datasetId: "2" })], "1", treasury)).toBeUndefined();
  });

  it("compares only the grant's number fields that identify no one", () => {
    expect(
      benchmarkFields(fields, ["farm", "hectares", "yield_t_per_ha", "region"]).map((f) => f.name),
    ).toEqual(["hectares", "yield_t_per_ha"]);
  });

  it("asks the same questions of every member, in the gateway's own query language", () => {
    const numbers = benchmarkFields(fields, ["hectares", "yield_t_per_ha", "rainfall_mm"]);
    const q = poolQueries(numbers);
    expect(q.means).toEqual({
      type: "aggregate",
      measures: [
        { fn: "count" },
        { fn: "mean", field: "hectares" },
        { fn: "mean", field: "yield_t_per_ha" },
        { fn: "mean", field: "rainfall_mm" },
      ],
    });
    expect(parseQuery(q.means)).toEqual(q.means);
    expect(q.histograms.map((h) => h.field)).toEqual(["hectares", "yield_t_per_ha", "rainfall_mm"]);
    // Bins come from the schema's bounds, never from the member's own values.
    expect(binEdges(yieldField)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20.000002]);
    expect(q.histograms[1].query).toEqual({
      type: "aggregate",
      groupBy: [{ field: "yield_t_per_ha", bins: binEdges(yieldField) }],
      measures: [{ fn: "count" }],
    });
    expect(binEdges({ name: "x", type: "number", min: 0 })).toBeNull();
  });

  it("reads the pool's averages and histogram, noise and all", () => {
    const numbers = benchmarkFields(fields, ["yield_t_per_ha"]);
    expect(
      readMeans(
        {
          shape: "aggregate",
          groups: [{ key: {}, values: { count: 41.7, "mean:yield_t_per_ha": 3.2 } }],
          suppressedGroups: 0,
        },
        numbers,
      ),
    ).toEqual({ count: 42, means: new Map([["yield_t_per_ha", 3.2]]) });
    expect(readMeans({ shape: "aggregate", groups: [], suppressedGroups: 1 }, numbers)).toEqual({
      count: null,
      means: new Map(),
    });
    // The noise in words: nine times in ten a Laplace(b) count is within b·ln 10 of the truth.
    expect(countMargin({ noise: { epsilon: 0.1, scales: { count: 20 } } })).toBe(47);
    expect(countMargin({ noise: { epsilon: 1, scales: { count: 0.5 } } })).toBe(2);
    expect(countMargin({ noise: null })).toBeNull();
    expect(countMargin({})).toBeNull();
    const edges = binEdges(yieldField)!;
    const counts = readHistogram(
      {
        shape: "aggregate",
        groups: [
          { key: { yield_t_per_ha: 0 }, values: { count: 4 } },
          { key: { yield_t_per_ha: 2 }, values: { count: 10 } },
          { key: { yield_t_per_ha: "[4, 6)" }, values: { count: 6 } },
          { key: { yield_t_per_ha: 8 }, values: { count: -1.5 } },
          { key: { yield_t_per_ha: 99 }, values: { count: 100 } },
        ],
        suppressedGroups: 0,
      },
      "yield_t_per_ha",
      edges,
    );
    expect(counts).toEqual([4, 10, 6, 0, 0, 0, 0, 0, 0, 0]);
    expect(binOf({ from: 6 }, edges)).toBe(3);
    expect(binOf("no bin", edges)).toBe(-1);
  });

  it("reads the gateway's private histogram, each bin keyed [from, to) and a null group outside them", () => {
    const edges = [0, 2.5, 5, 7.5, 10];
    const counts = readHistogram(
      {
        shape: "aggregate",
        groups: [
          { key: { yield_t_per_ha: [0, 2.5] }, values: { count: 3.4 } },
          { key: { yield_t_per_ha: [2.5, 5] }, values: { count: 7 } },
          { key: { yield_t_per_ha: [5, 7.5] }, values: { count: -0.6 } },
          { key: { yield_t_per_ha: [7.5, 10] }, values: { count: 2 } },
          { key: { yield_t_per_ha: null }, values: { count: 50 } },
        ],
        suppressedGroups: 0,
      },
      "yield_t_per_ha",
      edges,
    );
    expect(counts).toEqual([3.4, 7, 0, 2]);
    // A pair is a bin's edges, never an index: [1, 2] names no bin of these edges.
    expect(binOf([1, 2], edges)).toBe(-1);
    expect(binOf([10, 12.5], edges)).toBe(-1);
  });

  it("places the member in the pool from the histogram, to the nearest 5 %", () => {
    const edges = [0, 2, 4, 6];
    expect(shareBelow(3, edges, [5, 10, 5])).toBe(0.5);
    expect(shareBelow(0, edges, [5, 10, 5])).toBe(0);
    expect(shareBelow(10, edges, [5, 10, 5])).toBe(1);
    expect(shareBelow(2, edges, [5, 10, 5])).toBe(0.25);
    expect(shareBelow(3, edges, [0, 0, 0])).toBeNull();
  });

  it("draws on the field's own bounds when it has them", () => {
    expect(scale([3], yieldField)).toEqual({ min: 0, max: 20 });
    expect(scale([10, 20])).toEqual({ min: 9, max: 21 });
    expect(scale([])).toEqual({ min: 0, max: 1 });
  });
});
