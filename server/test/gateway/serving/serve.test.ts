import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { getAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { accessesOf, verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { GatewayError } from "@datacoop/protocol/errors";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import type { ConsentFacts, GrantFacts } from "../../../src/gateway/query/policy.ts";
import { acceptDataset, eraseRecords, storeRecords } from "../../../src/gateway/records/records.ts";
import {
  serveSignedQuery,
  type GatewayContext,
  type Served,
} from "../../../src/gateway/serving/serve.ts";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import { stores } from "../../support/stores.ts";
import { ALL_FIELDS, datasetSchema, farmDocument } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";

const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const CHAIN_ID = 31337;
const partnerA = privateKeyToAccount(`0x${"a1".repeat(32)}` as Hex);
const partnerB = privateKeyToAccount(`0x${"b2".repeat(32)}` as Hex);
const member = (i: number) => getAddress(`0x${(0x1000 + i).toString(16).padStart(40, "0")}`);
const NOW = BigInt(Math.floor(Date.now() / 1000));

const dpDocument: SchemaDocument = {
  ...farmDocument,
  name: "Harvests (private)",
  privacy: { differentialPrivacy: true, epsilonBudget: 1, defaultEpsilon: 0.25 },
};

/** 6 consenting members in the north (member 0 is the only one over 60), 5 in the south, 1 in the east. */
function regionOf(i: number) {
  return i <= 5 || i === 12 || i === 13 ? "north" : i <= 10 ? "south" : "east";
}
function recordOf(i: number) {
  return {
    name: `Member ${i}`,
    region: regionOf(i),
    crop: "maize",
    yield_kg: 1000 + i * 10,
    organic: i >= 6 && i <= 9,
    harvested: "2026-05-01",
    age: i === 0 ? 70 : 30 + i,
  };
}

function consent(mask: bigint, isMember = true): ConsentFacts {
  return {
    isMember,
    memberSince: isMember ? 1n : null,
    consentMask: mask,
    consentSetAt: 2n,
    grantChoice: "default",
    grantChoiceAt: null,
  };
}

function grantFacts(id: bigint, overrides: Partial<GrantFacts> = {}): GrantFacts {
  return {
    id,
    grantee: partnerA.address,
    datasetId: 1n,
    purpose: 0,
    scope: { fields: ALL_FIELDS, rowLevel: false, k: 3 },
    start: NOW - 1000n,
    end: NOW + 100_000n,
    approvedAtBlock: 10n,
    revokedAtBlock: null,
    ...overrides,
  };
}

function freshChain(): TestChain {
  const chain = new TestChain({
    latestBlock: 20n,
    latestTime: NOW,
    finalizedBlock: 15n,
    registryPaused: false,
  });
  const rows = { fields: ["region", "crop", "yield_kg", "age", "harvested"], rowLevel: true, k: 3 };
  chain.grants.set(7n, grantFacts(7n));
  chain.grants.set(8n, grantFacts(8n, { scope: rows }));
  chain.grants.set(9n, grantFacts(9n, { grantee: partnerB.address }));
  chain.grants.set(10n, grantFacts(10n, { approvedAtBlock: 18n }));
  chain.grants.set(11n, grantFacts(11n, { scope: rows }));
  chain.grants.set(12n, grantFacts(12n, { datasetId: 2n }));
  chain.grants.set(13n, grantFacts(13n, { approvedAtBlock: null, start: null, end: null }));
  for (let i = 0; i <= 11; i++) chain.consent.set(member(i).toLowerCase(), consent(0b1n));
  chain.consent.set(member(12).toLowerCase(), consent(0b10n)); // another purpose only
  chain.consent.set(member(13).toLowerCase(), consent(0b1n, false)); // left the co-op
  return chain;
}

let nonce = 1n;
async function sign(
  account: PrivateKeyAccount,
  grantId: bigint,
  query: unknown,
  opts: {
    datasetId?: bigint;
    chainId?: number;
    registry?: Address;
    nonce?: bigint;
    deadline?: bigint;
  } = {},
) {
  const p = {
    grantId,
    datasetId: opts.datasetId ?? 1n,
    query,
    nonce: opts.nonce ?? nonce++,
    deadline: opts.deadline ?? NOW + 600n,
  };
  const signature = await account.signTypedData({
    domain: gatewayDomain({
      chainId: opts.chainId ?? CHAIN_ID,
      registry: opts.registry ?? REGISTRY,
    }),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage(p),
  });
  return {
    signer: account.address,
    grantId: p.grantId.toString(),
    datasetId: p.datasetId.toString(),
    query,
    nonce: p.nonce.toString(),
    deadline: p.deadline.toString(),
    signature,
  };
}

const countByRegion = {
  type: "aggregate",
  groupBy: ["region"],
  measures: [{ fn: "count" }, { fn: "sum", field: "yield_kg" }],
};

async function refused(promise: Promise<unknown>, status: number, code: string) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof GatewayError, String(e));
    assert.equal(e.code, code, e.message);
    assert.equal(e.status, status);
    return true;
  });
}

async function logLength(db: Db) {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM gateway_access_log");
  return Number(rows[0]!.n);
}

for (const store of stores) {
  describe(`serving signed queries (${store.name})`, () => {
    let db: Db;
    let ctx: GatewayContext;
    let chain: TestChain;

    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      for (const [id, doc] of [
        [1n, farmDocument],
        [2n, dpDocument],
      ] as const) {
        await acceptDataset(db, doc, {
          datasetId: id,
          schemaHash: canonicalHash(doc),
          fields: doc.fields.map((f) => f.name),
        });
      }
      for (let i = 0; i <= 13; i++) {
        await storeRecords(db, datasetSchema(farmDocument, 1n), member(i), [
          { recordId: "r1", values: recordOf(i) },
        ]);
        await storeRecords(db, datasetSchema(dpDocument, 2n), member(i), [
          { recordId: "r1", values: recordOf(i) },
        ]);
      }
      // A second record for member 1, so counts of records and of members differ.
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(1), [
        { recordId: "r2", values: { ...recordOf(1), yield_kg: 5 } },
      ]);
    });
    after(async () => db.close());
    beforeEach(() => {
      chain = freshChain();
      ctx = {
        db,
        chain,
        keys: ctx?.keys ?? randomKeys(),
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
      };
    });

    it("answers an aggregate with only consenting members, suppresses the small group, and logs it", async () => {
      const before = await logLength(db);
      const served = await serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion));
      assert.equal(served.answer.shape, "aggregate");
      assert.ok(served.answer.shape === "aggregate");
      const byRegion = Object.fromEntries(
        served.answer.groups.map((g) => [g.key.region, g.values]),
      );
      // North: members 0-5 (member 1 twice); 12 consents to another purpose, 13 left the co-op.
      assert.deepEqual(byRegion.north, { count: 7, "sum:yield_kg": 6150 + 5 });
      assert.deepEqual(byRegion.south, { count: 5, "sum:yield_kg": 5000 + 400 });
      assert.equal(byRegion.east, undefined);
      assert.equal(served.answer.suppressedGroups, 1);
      assert.equal(await logLength(db), before + 1);
      assert.deepEqual(await verifyLog(db).then((v) => v.ok), true);

      // Members see this access; the suppressed and the excluded do not.
      const seen = async (i: number) =>
        (await accessesOf(db, ctx.keys, member(i))).some((a) => a.seq === served.log.seq);
      assert.equal(await seen(0), true);
      assert.equal(await seen(10), true);
      for (const i of [11, 12, 13]) assert.equal(await seen(i), false, `member ${i}`);
      const access = (await accessesOf(db, ctx.keys, member(3))).find(
        (a) => a.seq === served.log.seq,
      );
      assert.deepEqual(
        {
          partner: access?.partner,
          grantId: access?.grantId,
          purpose: access?.purpose,
          shape: access?.shape,
          fields: access?.fields,
        },
        {
          partner: partnerA.address.toLowerCase(),
          grantId: "7",
          purpose: 0,
          shape: "aggregate",
          fields: ["region", "yield_kg"],
        },
      );
    });

    it("computes mean, min, max (dates as dates) in one pass and quantiles over the records", async () => {
      const values = async (measures: unknown[]) => {
        const s = await serveSignedQuery(
          ctx,
          await sign(partnerA, 7n, { type: "aggregate", groupBy: ["region"], measures }),
        );
        assert.ok(s.answer.shape === "aggregate");
        return Object.fromEntries(s.answer.groups.map((g) => [g.key.region, g.values]));
      };
      const onePass = await values([
        { fn: "mean", field: "yield_kg" },
        { fn: "min", field: "yield_kg" },
        { fn: "max", field: "harvested" },
      ]);
      assert.deepEqual(onePass.north, {
        "mean:yield_kg": 6155 / 7,
        "min:yield_kg": 5,
        "max:harvested": "2026-05-01",
      });
      assert.deepEqual(onePass.south, {
        "mean:yield_kg": 1080,
        "min:yield_kg": 1060,
        "max:harvested": "2026-05-01",
      });
      const withQuantiles = await values([
        { fn: "quantiles", field: "yield_kg", q: [0.5] },
        { fn: "mean", field: "yield_kg" },
      ]);
      assert.deepEqual(withQuantiles.north, {
        "quantiles:yield_kg": [1020],
        "mean:yield_kg": 6155 / 7,
      });
      assert.deepEqual(withQuantiles.south, {
        "quantiles:yield_kg": [1080],
        "mean:yield_kg": 1080,
      });
    });

    it("refuses before the approval is final (403) and logs the refusal", async () => {
      const before = await logLength(db);
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 10n, countByRegion)),
        403,
        "grant_not_final",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 13n, countByRegion)),
        403,
        "grant_not_approved",
      );
      assert.equal(await logLength(db), before + 2);
      chain.now.finalizedBlock = 18n;
      await serveSignedQuery(ctx, await sign(partnerA, 10n, countByRegion));
    });

    it("drops a member as soon as their consent withdrawal or opt-out is seen", async () => {
      // Row answers under grant 8; every member's yield is distinct (1000 + 10 i), member 1 has a second record.
      const q = { type: "rows", select: ["yield_kg"], limit: 1000 };
      const yields = async () => {
        const s = await serveSignedQuery(ctx, await sign(partnerA, 8n, q));
        return s.answer.shape === "rows"
          ? s.answer.rows.map((r) => r.yield_kg as number).sort()
          : [];
      };
      const everyone = [...Array.from({ length: 12 }, (_, i) => 1000 + i * 10), 5].sort();
      assert.deepEqual(await yields(), everyone);
      chain.now.latestBlock = 21n;
      chain.setConsent(member(4), 0n); // withdrawn in the latest block
      assert.deepEqual(
        await yields(),
        everyone.filter((y) => y !== 1040),
      );
      chain.setChoice(8n, member(5), "optOut");
      assert.deepEqual(
        await yields(),
        everyone.filter((y) => y !== 1040 && y !== 1050),
      );
      chain.setChoice(8n, member(12), "optIn"); // consents to another purpose, but opted in to this grant
      assert.deepEqual(
        await yields(),
        [...everyone.filter((y) => y !== 1040 && y !== 1050), 1120].sort(),
      );
      // When most members do not consent, the gateway lists those who do instead of those who do not.
      for (let i = 0; i <= 8; i++) chain.setConsent(member(i), 0n);
      chain.setChoice(8n, member(12), "default");
      assert.deepEqual(await yields(), [1090, 1100, 1110]);
    });

    it("refuses an aggregate exactly one member away from an earlier answer", async () => {
      const q = (where: unknown[]) => ({
        type: "aggregate",
        measures: [{ fn: "sum", field: "yield_kg" }],
        where,
      });
      // Ages are 30 + i: "under 35" is members 1-4, "under 36" members 1-5. Each passes the per-query rules.
      await serveSignedQuery(
        ctx,
        await sign(partnerA, 7n, q([{ field: "age", op: "lt", value: 35 }])),
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, q([{ field: "age", op: "lt", value: 36 }]))),
        403,
        "differencing",
      );
      // The same query again is no new information, and two members apart is allowed (k applies per query).
      await serveSignedQuery(
        ctx,
        await sign(partnerA, 7n, q([{ field: "age", op: "lt", value: 35 }])),
      );
      await serveSignedQuery(
        ctx,
        await sign(partnerA, 7n, q([{ field: "age", op: "lt", value: 37 }])),
      );
      // A consent withdrawal between two identical queries is the same attack on the withdrawing member.
      const all = { type: "aggregate", measures: [{ fn: "count" }] };
      await serveSignedQuery(ctx, await sign(partnerA, 7n, all));
      chain.setConsent(member(7), 0n);
      await refused(serveSignedQuery(ctx, await sign(partnerA, 7n, all)), 403, "differencing");
    });

    it("refuses a revoked grant, an expired one, another partner's grant and another dataset (403)", async () => {
      chain.grants.set(7n, grantFacts(7n, { revokedAtBlock: 20n }));
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion)),
        403,
        "grant_revoked",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerB, 8n, countByRegion)),
        403,
        "not_grantee",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 9n, countByRegion)),
        403,
        "not_grantee",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 8n, countByRegion, { datasetId: 2n })),
        403,
        "dataset_mismatch",
      );
      chain.grants.set(11n, grantFacts(11n, { end: NOW - 1n }));
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 11n, countByRegion)),
        403,
        "grant_expired",
      );
    });

    it("refuses replays, other chains and registries, altered queries and late requests (401), logging none", async () => {
      const before = await logLength(db);
      const request = await sign(partnerA, 7n, countByRegion);
      await serveSignedQuery(ctx, request);
      await refused(serveSignedQuery(ctx, request), 401, "nonce_reused");
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion, { chainId: 1 })),
        401,
        "bad_signature",
      );
      const otherRegistry = getAddress("0x0000000000000000000000000000000000000bad");
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion, { registry: otherRegistry })),
        401,
        "bad_signature",
      );
      const altered = {
        ...(await sign(partnerA, 7n, countByRegion)),
        query: { ...countByRegion, groupBy: ["crop"] },
      };
      await refused(serveSignedQuery(ctx, altered), 401, "bad_signature");
      const claimed = { ...(await sign(partnerB, 7n, countByRegion)), signer: partnerA.address };
      await refused(serveSignedQuery(ctx, claimed), 401, "bad_signature");
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion, { deadline: NOW - 1n })),
        401,
        "deadline_passed",
      );
      assert.equal(await logLength(db), before + 1);
    });

    it("serves rows under pseudonyms stable within a grant and unlinkable across grants", async () => {
      const q = {
        type: "rows",
        select: ["region", "yield_kg"],
        where: [{ field: "region", op: "eq", value: "south" }],
      };
      const a = await serveSignedQuery(ctx, await sign(partnerA, 8n, q));
      const a2 = await serveSignedQuery(ctx, await sign(partnerA, 8n, { ...q, limit: 2 }));
      const b = await serveSignedQuery(ctx, await sign(partnerA, 11n, q));
      const rows = (s: Served) => (s.answer.shape === "rows" ? s.answer.rows : []);
      assert.equal(rows(a).length, 5);
      assert.deepEqual(
        rows(a)
          .map((r) => r.yield_kg)
          .sort(),
        [1060, 1070, 1080, 1090, 1100],
      );
      const text = JSON.stringify(rows(a));
      for (let i = 0; i <= 13; i++)
        assert.ok(!text.toLowerCase().includes(member(i).slice(2).toLowerCase()));
      assert.ok(!text.includes("Member"));
      const pseudo = (s: Served) => new Map(rows(s).map((r) => [r.yield_kg, r.member]));
      assert.deepEqual(rows(a2), rows(a).slice(0, 2));
      for (const [y, p] of pseudo(b)) assert.notEqual(p, pseudo(a).get(y));
      // Row queries on an aggregate-only grant, and unknown or out-of-scope fields, are refused.
      await refused(serveSignedQuery(ctx, await sign(partnerA, 7n, q)), 403, "rows_not_allowed");
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 8n, { type: "rows", select: ["organic"] })),
        403,
        "field_not_in_scope",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 8n, { type: "rows", select: ["nope"] })),
        400,
        "field_unknown",
      );
      await refused(
        serveSignedQuery(
          ctx,
          await sign(partnerA, 8n, {
            type: "rows",
            select: ["region"],
            where: [{ field: "region", op: "eq", value: "east" }],
          }),
        ),
        403,
        "cohort_too_small",
      );
    });

    it("defeats differencing: two aggregates differing by one member never both answer", async () => {
      const sum = (where: unknown[]) => ({
        type: "aggregate",
        measures: [{ fn: "sum", field: "yield_kg" }],
        where,
      });
      const north = { field: "region", op: "eq", value: "north" };
      await serveSignedQuery(ctx, await sign(partnerA, 7n, sum([north])));
      // The same minus member 0 (the only one aged 60 or more): refused, so member 0's yield stays hidden.
      const young = { field: "age", op: "lt", value: 60 };
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, sum([north, young]))),
        403,
        "filter_isolates",
      );
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 7n, sum([young]))),
        403,
        "filter_isolates",
      );
      await refused(
        serveSignedQuery(
          ctx,
          await sign(partnerA, 7n, sum([{ field: "age", op: "gte", value: 60 }])),
        ),
        403,
        "cohort_too_small",
      );
      // Grouping by one more key: south is 4 organic + 1 not; neither subgroup may answer next to the south total.
      const served = await serveSignedQuery(
        ctx,
        await sign(partnerA, 7n, {
          type: "aggregate",
          groupBy: ["region", "organic"],
          measures: [{ fn: "sum", field: "yield_kg" }],
        }),
      );
      assert.ok(served.answer.shape === "aggregate");
      const keys = served.answer.groups.map((g) => `${g.key.region}/${g.key.organic}`);
      assert.ok(!keys.includes("south/true") && !keys.includes("south/false"), keys.join(","));
      // In a group by region, the row-level filter that drops member 0 from the north group is caught per group.
      const grouped = await serveSignedQuery(
        ctx,
        await sign(partnerA, 7n, {
          type: "aggregate",
          groupBy: ["region"],
          measures: [{ fn: "sum", field: "yield_kg" }],
          where: [young],
        }),
      );
      assert.ok(grouped.answer.shape === "aggregate");
      assert.deepEqual(
        grouped.answer.groups.map((g) => g.key.region),
        ["south"],
      );
    });

    it("serves a repeated query again only while the chain head and the records stay the same, logging each", async () => {
      chain.now = { ...chain.now, head: "20:0xaa" };
      const ask = async () => {
        const served = await serveSignedQuery(ctx, await sign(partnerA, 7n, countByRegion));
        assert.ok(served.answer.shape === "aggregate");
        const values = (region: string) =>
          served.answer.shape === "aggregate"
            ? served.answer.groups.find((g) => g.key.region === region)?.values
            : undefined;
        return { served, north: values("north"), south: values("south") };
      };
      const before = await logLength(db);
      const first = await ask();
      const again = await ask();
      assert.deepEqual(again.served.answer, first.served.answer);
      assert.equal(again.served.log.seq, first.served.log.seq + 1);
      assert.equal(await logLength(db), before + 2);
      assert.deepEqual(first.north, { count: 7, "sum:yield_kg": 6155 });

      // A new block in which member 0 withdraws: the head moves and the answer is computed afresh —
      // north is now one member away from the north already answered, so it is suppressed.
      chain.consent.set(member(0).toLowerCase(), consent(0n));
      chain.now = { ...chain.now, latestBlock: 21n, head: "21:0xbb" };
      const withdrawn = await ask();
      assert.equal(withdrawn.north, undefined);
      assert.deepEqual(withdrawn.south, { count: 5, "sum:yield_kg": 5400 });
      // A contribution (same head): the dataset's revision moves, and the new record counts.
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(7), [
        { recordId: "r3", values: { ...recordOf(7), yield_kg: 1 } },
      ]);
      assert.deepEqual((await ask()).south, { count: 6, "sum:yield_kg": 5401 });
      // An erasure: gone from the very next answer.
      await eraseRecords(db, ctx.keys, 1n, member(7), ["r3"]);
      assert.deepEqual((await ask()).south, { count: 5, "sum:yield_kg": 5400 });
      // A replay of a served request is still refused.
      const body = await sign(partnerA, 7n, countByRegion);
      await serveSignedQuery(ctx, body);
      await refused(serveSignedQuery(ctx, body), 401, "nonce_reused");
      assert.equal((await verifyLog(db)).ok, true);
    });

    it("decides queries that arrive together in one transaction, each with its own entry, in order", async () => {
      const bodies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          sign(i % 3 === 2 ? partnerB : partnerA, 7n, countByRegion),
        ),
      );
      // The same request twice in the same batch: the second is a replay.
      bodies.push(bodies[0]!);
      const before = await logLength(db);
      const results = await Promise.allSettled(bodies.map((b) => serveSignedQuery(ctx, b)));
      const served = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      const codes = results.flatMap((r) =>
        r.status === "rejected" ? [(r.reason as GatewayError).code] : [],
      );
      // Partner B is not grant 7's grantee: refused and logged; the replay: refused, not logged.
      assert.equal(served.length, 8);
      assert.deepEqual(codes.sort(), [...Array(4).fill("not_grantee"), "nonce_reused"].sort());
      assert.equal(await logLength(db), before + 12);
      const seqs = served.map((s) => s.log.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.equal((await verifyLog(db)).ok, true);
    });

    it("noises the aggregates of a private dataset and stops at its budget", async () => {
      const q = (epsilon?: number) => ({
        type: "aggregate",
        groupBy: ["region"],
        measures: [{ fn: "count" }, { fn: "mean", field: "yield_kg" }],
        ...(epsilon ? { epsilon } : {}),
      });
      const counts: number[] = [];
      for (let i = 0; i < 4; i++) {
        const s = await serveSignedQuery(ctx, await sign(partnerA, 12n, q(), { datasetId: 2n }));
        assert.ok(s.answer.shape === "aggregate");
        assert.deepEqual(s.answer.noise, { epsilon: 0.25 });
        const north = s.answer.groups.find((g) => g.key.region === "north");
        assert.ok(north, "north answered");
        counts.push(north.values.count as number);
        assert.ok(
          (north.values["mean:yield_kg"] as number) >= 0 &&
            (north.values["mean:yield_kg"] as number) <= 10_000,
        );
      }
      // The exact count is 6: Laplace noise of scale 8 makes four equal answers all but impossible.
      assert.ok(new Set(counts).size > 1, counts.join(","));
      await refused(
        serveSignedQuery(ctx, await sign(partnerA, 12n, q(0.01), { datasetId: 2n })),
        403,
        "budget_exhausted",
      );
      const { rows } = await db.query<{ epsilon_spent: number }>(
        "SELECT epsilon_spent FROM gateway_privacy_budget WHERE grant_id = 12",
      );
      assert.equal(Number(rows[0]!.epsilon_spent), 1);
      await refused(
        serveSignedQuery(
          ctx,
          await sign(
            partnerA,
            12n,
            { type: "aggregate", measures: [{ fn: "max", field: "yield_kg" }] },
            { datasetId: 2n },
          ),
        ),
        403,
        "measure_not_private",
      );
    });

    it("keeps the log one chain and each nonce single-use under concurrent requests", async () => {
      const before = await logLength(db);
      const twice = await sign(partnerA, 7n, countByRegion);
      const distinct = await Promise.all(
        Array.from({ length: 10 }, () => sign(partnerA, 7n, countByRegion)),
      );
      const results = await Promise.allSettled(
        [...distinct, twice, twice, twice, twice, twice].map((r) => serveSignedQuery(ctx, r)),
      );
      const served = results.filter((r) => r.status === "fulfilled");
      const replays = results.filter(
        (r) =>
          r.status === "rejected" &&
          r.reason instanceof GatewayError &&
          r.reason.code === "nonce_reused",
      );
      assert.deepEqual([served.length, replays.length], [11, 4]);
      assert.equal(await logLength(db), before + 11);
      const v = await verifyLog(db);
      assert.deepEqual([v.ok, v.length], [true, before + 11]);
    });

    it("rolls everything back when serving fails midway: no entry, nonce still unused", async () => {
      const before = await logLength(db);
      const request = await sign(partnerA, 7n, countByRegion);
      chain.failing = true;
      await assert.rejects(serveSignedQuery(ctx, request), /chain view unavailable/);
      assert.equal(await logLength(db), before);
      chain.failing = false;
      await serveSignedQuery(ctx, request);
      assert.equal(await logLength(db), before + 1);
    });

    it("does not serve erased records, and a tampered log entry is detected", async () => {
      const q = {
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [{ field: "region", op: "eq", value: "south" }],
      };
      const count = async () => {
        const s = await serveSignedQuery(ctx, await sign(partnerA, 7n, q));
        return s.answer.shape === "aggregate" ? s.answer.groups[0]!.values.count : -1;
      };
      assert.equal(await count(), 5);
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(20), [
        { recordId: "x", values: { ...recordOf(10) } },
      ]);
      chain.consent.set(member(20).toLowerCase(), consent(1n));
      // One new member in the cohort: answering would reveal their record.
      await refused(serveSignedQuery(ctx, await sign(partnerA, 7n, q)), 403, "differencing");
      const rows = async () => {
        const s = await serveSignedQuery(
          ctx,
          await sign(partnerA, 8n, {
            type: "rows",
            select: ["region"],
            where: [{ field: "region", op: "eq", value: "south" }],
          }),
        );
        return s.answer.shape === "rows" ? s.answer.rows.length : -1;
      };
      assert.equal(await rows(), 6);
      await eraseRecords(db, ctx.keys, 1n, member(20));
      assert.equal(await rows(), 5);
      assert.equal(await count(), 5);
      assert.equal((await verifyLog(db)).ok, true);
      const last = await serveSignedQuery(ctx, await sign(partnerA, 7n, q));
      await db.query(
        "UPDATE gateway_access_log SET entry = replace(entry, '\"allow\"', '\"deny\"') WHERE seq = $1",
        [last.log.seq],
      );
      const v = await verifyLog(db);
      assert.deepEqual([v.ok, v.brokenAt], [false, last.log.seq]);
    });
  });
}
