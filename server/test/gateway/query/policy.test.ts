import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkCohort,
  decide,
  includesMember,
  type ConsentFacts,
  type PolicyInput,
} from "../../../src/gateway/query/policy.ts";
import type { Query } from "@datacoop/protocol/query";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import type { PrivatePlan } from "../../../src/gateway/query/privacy.ts";
import {
  ALL_FIELDS,
  OTHER_PARTNER,
  PARTNER,
  clock,
  datasetSchema,
  farmDocument,
  grant,
} from "../fixtures.ts";

const schema = datasetSchema();
const countByRegion: Query = {
  type: "aggregate",
  groupBy: ["region"],
  measures: [{ fn: "count" }],
};

function input(overrides: Partial<PolicyInput> = {}, query: Query = countByRegion): PolicyInput {
  return {
    grant: grant(),
    chain: clock(),
    now: 1_500n,
    request: { signer: PARTNER, grantId: 7n, datasetId: 1n, query },
    schema,
    ...overrides,
  };
}

function reason(i: PolicyInput): string {
  return decide(i).reason;
}

describe("policy: decide", () => {
  it("allows an aggregate within scope under an active, final grant: differentially private", () => {
    const d = decide(input());
    assert.equal(d.allow, true);
    assert.ok(d.allow);
    const { plan, ...rest } = d.obligations;
    assert.deepEqual(rest, { shape: "aggregate", mode: "private", k: 3, pseudonymise: false });
    // The default ε, one record per member, the region's four values as the groups.
    assert.equal(plan?.epsilonMillionths, 100_000n);
    assert.equal(plan?.recordsPerMember, 1);
    assert.deepEqual(plan?.dims[0]?.keys, ["north", "south", "east", "west"]);
  });

  it("denies an unknown grant", () => {
    const d = decide(input({ grant: null }));
    assert.equal(d.reason, "grant_unknown");
    assert.ok(!d.allow && d.status === 404);
  });

  it("denies a signer who is not the grantee (any case of the address)", () => {
    const other = input();
    other.request.signer = OTHER_PARTNER;
    assert.equal(reason(other), "not_grantee");
    const upper = input();
    upper.request.signer = PARTNER.toUpperCase().replace("0X", "0x") as typeof PARTNER;
    assert.equal(reason(upper), "allowed");
  });

  it("denies another dataset", () => {
    const i = input();
    i.request.datasetId = 2n;
    assert.equal(reason(i), "dataset_mismatch");
  });

  it("counts the approval only once its block is final: one block short is refused", () => {
    assert.equal(reason(input({ grant: grant({ approvedAtBlock: 16n }) })), "grant_not_final");
    assert.equal(reason(input({ grant: grant({ approvedAtBlock: 15n }) })), "allowed");
  });

  it("denies a request that was never approved", () => {
    const g = grant({ approvedAtBlock: null, start: null, end: null });
    assert.equal(reason(input({ grant: g })), "grant_not_approved");
  });

  it("counts a revocation as soon as it is seen, even in a block that is not final", () => {
    assert.equal(reason(input({ grant: grant({ revokedAtBlock: 20n }) })), "grant_revoked");
  });

  it("denies while the registry is paused", () => {
    assert.equal(reason(input({ chain: clock({ registryPaused: true }) })), "registry_paused");
  });

  it("expires a grant at its end: ended one second ago is refused, one second left is served", () => {
    assert.equal(reason(input({ now: 2_000n })), "grant_expired");
    assert.equal(reason(input({ now: 2_001n })), "grant_expired");
    assert.equal(reason(input({ now: 1_999n, chain: clock({ latestTime: 1_900n }) })), "allowed");
  });

  it("uses the later of the wall clock and the latest block's time", () => {
    // The wall clock is behind (a skewed server), but the chain already passed the end.
    assert.equal(
      reason(input({ now: 1_500n, chain: clock({ latestTime: 2_000n }) })),
      "grant_expired",
    );
  });

  it("denies before the start", () => {
    assert.equal(reason(input({ grant: grant({ start: 1_600n }) })), "grant_not_started");
  });

  it("denies when the gateway has no schema for the dataset", () => {
    assert.equal(reason(input({ schema: null })), "dataset_unknown");
  });

  it("denies every field outside the scope, in any part of the query", () => {
    const scope = { fields: ["region", "yield_kg"], rowLevel: true, k: 3 };
    const g = grant({ scope });
    const queries: Query[] = [
      { type: "aggregate", measures: [{ fn: "sum", field: "age" }] },
      { type: "aggregate", groupBy: ["crop"], measures: [{ fn: "count" }] },
      {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "age", op: "gt", value: 30 }],
      },
      { type: "rows", select: ["region", "age"] },
      { type: "rows", select: ["region"], orderBy: [{ field: "age" }] },
    ];
    for (const q of queries) assert.equal(reason(input({ grant: g }, q)), "field_not_in_scope");
    const ok: Query = {
      type: "rows",
      select: ["region", "yield_kg"],
      where: [{ field: "region", op: "eq", value: "north" }],
    };
    assert.equal(reason(input({ grant: g }, ok)), "allowed");
  });

  it("checks the grant before the fields: an unknown field under a revoked grant is a revocation", () => {
    const q: Query = { type: "rows", select: ["colour"] };
    assert.equal(reason(input({ grant: grant({ revokedAtBlock: 3n }) }, q)), "grant_revoked");
    const d = decide(
      input({ grant: grant({ scope: { fields: ALL_FIELDS, rowLevel: true, k: 3 } }) }, q),
    );
    assert.ok(!d.allow && d.reason === "field_unknown" && d.status === 400);
  });

  it("never serves a field that identifies a person, even when the scope names it", () => {
    const g = grant({ scope: { fields: ["name", ...ALL_FIELDS], rowLevel: true, k: 3 } });
    assert.equal(
      reason(input({ grant: g }, { type: "rows", select: ["name"] })),
      "field_identifying",
    );
  });

  it("allows rows only under a row-level grant, with pseudonyms", () => {
    const rows: Query = { type: "rows", select: ["region"] };
    assert.equal(reason(input({}, rows)), "rows_not_allowed");
    const d = decide(
      input({ grant: grant({ scope: { fields: ALL_FIELDS, rowLevel: true, k: 5 } }) }, rows),
    );
    assert.ok(d.allow);
    assert.deepEqual(d.obligations, {
      shape: "rows",
      mode: "rows",
      k: 5,
      pseudonymise: true,
      plan: null,
    });
  });

  describe("differential privacy (every aggregate, unless the grant chose the exact mode)", () => {
    const dp = datasetSchema({ ...farmDocument, privacy: { defaultEpsilon: 0.25 } });
    const sum: Query = { type: "aggregate", measures: [{ fn: "sum", field: "yield_kg" }] };
    const planOf = (i: PolicyInput): PrivatePlan => {
      const d = decide(i);
      assert.ok(d.allow && d.obligations.plan, d.reason);
      return d.obligations.plan;
    };

    it("spends the schema's default epsilon, or the query's, counted in millionths", () => {
      assert.equal(planOf(input({ schema: dp }, sum)).epsilonMillionths, 250_000n);
      assert.equal(
        planOf(input({ schema: dp }, { ...sum, epsilon: 0.5 })).epsilonMillionths,
        500_000n,
      );
    });

    it("derives the sensitivity from the query: records per member, the field's bounds", () => {
      // yield_kg is bounded by [0, 10000]: units of 10⁻³ (10⁷ ≤ 2²⁴).
      const one = planOf(input({}, { ...sum, groupBy: ["region"] }));
      assert.deepEqual(one.sensitivity, [1n, 10_000_000n]);
      const three = planOf(input({}, { ...sum, recordsPerMember: 3 }));
      assert.deepEqual(three.sensitivity, [3n, 30_000_000n]);
      // A mean of an optional field counts its present values apart.
      const mean = planOf(
        input({}, { type: "aggregate", measures: [{ fn: "mean", field: "hectares" }] }),
      );
      assert.deepEqual(
        mean.stats.map((st) => st.kind),
        ["count", "sum", "present"],
      );
    });

    it("groups only over a public domain: enums, booleans, bounded integers, declared bins", () => {
      const by = (groupBy: unknown[]) =>
        decide(input({}, { type: "aggregate", groupBy, measures: [{ fn: "count" }] } as Query));
      const cells = (groupBy: unknown[]) => {
        const d = by(groupBy);
        return d.allow ? d.obligations.plan!.cells : d.reason;
      };
      // organic is optional: false, true and missing.
      assert.equal(cells(["region", "organic"]), 4 * 3);
      assert.equal(cells(["age"]), 120 - 16 + 1);
      assert.equal(cells([{ field: "yield_kg", bins: [0, 100, 1000, 10_001] }]), 3 + 1);
      assert.equal(cells(["crop"]), "group_not_public");
      assert.equal(cells(["harvested"]), "group_not_public");
      assert.equal(cells(["age", "region", "organic"]), "groups_too_many");
    });

    it("refuses min, max and quantiles, and sums of unbounded fields", () => {
      for (const fn of ["min", "max"]) {
        const q = { type: "aggregate", measures: [{ fn, field: "yield_kg" }] } as Query;
        assert.equal(reason(input({ schema: dp }, q)), "measure_not_private");
      }
      const quantiles = {
        type: "aggregate",
        measures: [{ fn: "quantiles", field: "yield_kg", q: [0.5] }],
      } as Query;
      assert.equal(reason(input({}, quantiles)), "measure_not_private");
      const unbounded = datasetSchema({ fields: [{ name: "x", type: "number" }] });
      const g = grant({ scope: { fields: ["x"], rowLevel: false, k: 2 } });
      const q: Query = { type: "aggregate", measures: [{ fn: "mean", field: "x" }] };
      assert.equal(reason(input({ schema: unbounded, grant: g }, q)), "field_unbounded");
    });

    it("refuses values of the wrong type as query_invalid (400), decided and logged", () => {
      const q = {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "age", op: "lt", value: "old" }],
      } as Query;
      const d = decide(input({}, q));
      assert.ok(!d.allow && d.reason === "query_invalid" && d.status === 400);
    });
  });

  describe("the exact mode (voted for a grant, declared tabulations only)", () => {
    const document: TabulationsDocument = {
      tabulations: [
        {
          groupBy: ["region"],
          measures: [{ fn: "count" }, { fn: "sum", field: "yield_kg" }],
          filters: [{ field: "age", bins: [16, 40, 60, 121] }, { field: "organic" }],
        },
      ],
    };
    const exact = grant({
      scope: {
        fields: ALL_FIELDS,
        rowLevel: false,
        k: 3,
        exactTabulations: tabulationsHash(document),
      },
    });
    const byRegion = (extra: Record<string, unknown> = {}) =>
      ({
        type: "aggregate",
        groupBy: ["region"],
        measures: [{ fn: "count" }],
        ...extra,
      }) as Query;

    it("answers a declared tabulation exactly", () => {
      const d = decide(input({ grant: exact, tabulations: document }, byRegion()));
      assert.ok(d.allow);
      assert.equal(d.obligations.mode, "exact");
      const filtered = byRegion({
        where: [
          { field: "age", op: "gte", value: 40 },
          { field: "organic", op: "eq", value: true },
        ],
      });
      assert.equal(reason(input({ grant: exact, tabulations: document }, filtered)), "allowed");
    });

    it("refuses what is not declared: other groups, measures, filters, edges, operators", () => {
      const refusedAs = (q: Query) => reason(input({ grant: exact, tabulations: document }, q));
      assert.equal(
        refusedAs({ ...byRegion(), groupBy: ["organic"] } as Query),
        "tabulation_not_declared",
      );
      assert.equal(
        refusedAs(byRegion({ measures: [{ fn: "max", field: "yield_kg" }] })),
        "tabulation_not_declared",
      );
      assert.equal(
        refusedAs(byRegion({ where: [{ field: "crop", op: "eq", value: "maize" }] })),
        "tabulation_not_declared",
      );
      assert.equal(
        refusedAs(byRegion({ where: [{ field: "age", op: "gte", value: 41 }] })),
        "tabulation_not_declared",
      );
      assert.equal(
        refusedAs(byRegion({ where: [{ field: "age", op: "lte", value: 40 }] })),
        "tabulation_not_declared",
      );
      assert.equal(refusedAs(byRegion({ epsilon: 0.5 })), "tabulation_not_declared");
      // Unions of values, the lower side of an edge, two fields at edges: combinations that three or
      // more answers could subtract to a small set.
      for (const where of [
        [{ field: "organic", op: "in", values: [true, false] }],
        [{ field: "age", op: "lt", value: 40 }],
        [
          { field: "age", op: "gte", value: 40 },
          { field: "age", op: "gte", value: 60 },
        ],
      ]) {
        assert.equal(
          refusedAs(byRegion({ where })),
          "tabulation_not_declared",
          JSON.stringify(where),
        );
      }
    });

    it("refuses until the gateway holds the voted document", () => {
      assert.equal(reason(input({ grant: exact }, byRegion())), "tabulations_unknown");
    });
  });

  describe("grants to the co-op's members", () => {
    const benchmark = grant({ toMembers: true, grantee: OTHER_PARTNER });

    it("serves any current member, and nobody else", () => {
      assert.equal(reason(input({ grant: benchmark, signerIsMember: true })), "allowed");
      assert.equal(reason(input({ grant: benchmark, signerIsMember: false })), "not_grantee");
    });
  });
});

describe("policy: checkCohort", () => {
  it("refuses a group of k−1 and accepts a group of k", () => {
    assert.deepEqual(checkCohort({ members: 4, records: 9, removedBy: [] }, 5), {
      ok: false,
      reason: "cohort_too_small",
      message: "The answer covers fewer than 5 members or fewer than 5 records.",
    });
    assert.deepEqual(checkCohort({ members: 5, records: 5, removedBy: [] }, 5), { ok: true });
  });

  it("refuses a filter that separates between 1 and k−1 members", () => {
    assert.equal(checkCohort({ members: 50, records: 50, removedBy: [0, 1] }, 5).ok, false);
    const v = checkCohort({ members: 50, records: 50, removedBy: [4] }, 5);
    assert.ok(!v.ok && v.reason === "filter_isolates");
    assert.deepEqual(checkCohort({ members: 50, records: 50, removedBy: [0, 5, 40] }, 5), {
      ok: true,
    });
  });

  it("refuses a term that separates between 1 and k−1 records", () => {
    const v = checkCohort({ members: 50, records: 80, removedBy: [0], removedRecordsBy: [2] }, 5);
    assert.ok(!v.ok && v.reason === "filter_isolates");
    assert.ok(
      checkCohort({ members: 50, records: 80, removedBy: [0], removedRecordsBy: [5] }, 5).ok,
    );
  });
});

describe("policy: includesMember", () => {
  const member: ConsentFacts = {
    isMember: true,
    memberSince: 5n,
    consentMask: 0b101n,
    consentSetAt: 6n,
    grantChoice: "default",
    grantChoiceAt: null,
  };

  it("includes a member whose standing consent covers the purpose, and no one else", () => {
    assert.equal(includesMember(member, 0), true);
    assert.equal(includesMember(member, 2), true);
    assert.equal(includesMember(member, 1), false);
  });

  it("excludes a member who withdrew consent in the latest block", () => {
    // The facts are as of the latest indexed block: the withdrawal (mask 0) set at that block.
    assert.equal(includesMember({ ...member, consentMask: 0n, consentSetAt: 20n }, 0), false);
  });

  it("excludes a member who opted out of the grant, whatever their standing consent", () => {
    assert.equal(includesMember({ ...member, grantChoice: "optOut", grantChoiceAt: 7n }, 0), false);
  });

  it("includes a member who opted in to the grant without standing consent", () => {
    const f = { ...member, consentMask: 0n, grantChoice: "optIn" as const, grantChoiceAt: 7n };
    assert.equal(includesMember(f, 1), true);
  });

  it("excludes a former member, and ignores choices made before the current membership", () => {
    assert.equal(includesMember({ ...member, isMember: false, memberSince: null }, 0), false);
    assert.equal(includesMember({ ...member, memberSince: 7n }, 0), false);
    const stale = {
      ...member,
      memberSince: 8n,
      consentSetAt: 9n,
      grantChoice: "optOut" as const,
      grantChoiceAt: 7n,
    };
    assert.equal(includesMember(stale, 0), true);
  });
});
