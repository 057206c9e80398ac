/**
 * Serving signed queries through a gateway object over a real store: the policy, consent, rows under
 * pseudonyms, differentially private aggregates (the default) with their charges, the exact mode of a
 * grant that voted it, group commit, nonces, rollback and the log.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { getAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { accessesOf, verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { GatewayError } from "@datacoop/protocol/errors";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import { randomKeys, type GatewayKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import type { ConsentFacts, GrantFacts } from "../../../src/gateway/query/policy.ts";
import { acceptDataset, eraseRecords, storeRecords } from "../../../src/gateway/records/records.ts";
import { Gateway, type Served } from "../../../src/gateway/serving/serve.ts";
import { acceptTabulations } from "../../../src/gateway/serving/tabulationsStore.ts";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import { stores, type TestStore } from "../../support/stores.ts";
import { ALL_FIELDS, datasetSchema, farmDocument } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";

const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const CHAIN_ID = 31337;
const partnerA = privateKeyToAccount(`0x${"a1".repeat(32)}`);
const partnerB = privateKeyToAccount(`0x${"b2".repeat(32)}`);
const member = (i: number) => getAddress(`0x${(0x1000 + i).toString(16).padStart(40, "0")}`);
const NOW = BigInt(Math.floor(Date.now() / 1000));

const otherDocument: SchemaDocument = { ...farmDocument, name: "Harvests (another dataset)" };

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

/** The exact mode's declared tabulations of grants 20–22. */
const tabulations: TabulationsDocument = {
  name: "Yields by region",
  tabulations: [
    {
      groupBy: ["region"],
      measures: [
        { fn: "count" },
        { fn: "sum", field: "yield_kg" },
        { fn: "mean", field: "yield_kg" },
      ],
      filters: [
        { field: "age", bins: [16, 35, 36, 37, 38, 60, 121] },
        { field: "yield_kg", bins: [0, 100, 10_001] },
        { field: "region" },
      ],
    },
    {
      groupBy: [],
      measures: [
        { fn: "count" },
        { fn: "sum", field: "yield_kg" },
        { fn: "mean", field: "yield_kg" },
      ],
      filters: [
        { field: "age", bins: [16, 35, 36, 37, 38, 60, 121] },
        { field: "yield_kg", bins: [0, 100, 10_001] },
        { field: "region" },
      ],
    },
  ],
};
const EXACT = tabulationsHash(tabulations);

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
  const exact = { fields: ALL_FIELDS, rowLevel: false, k: 3, exactTabulations: EXACT };
  chain.grants.set(7n, grantFacts(7n));
  chain.grants.set(8n, grantFacts(8n, { scope: rows }));
  chain.grants.set(9n, grantFacts(9n, { grantee: partnerB.address }));
  chain.grants.set(10n, grantFacts(10n, { approvedAtBlock: 18n }));
  chain.grants.set(11n, grantFacts(11n, { scope: rows }));
  chain.grants.set(12n, grantFacts(12n, { datasetId: 2n }));
  chain.grants.set(13n, grantFacts(13n, { approvedAtBlock: null, start: null, end: null }));
  chain.grants.set(20n, grantFacts(20n, { scope: exact }));
  chain.grants.set(21n, grantFacts(21n, { grantee: partnerB.address, scope: exact }));
  for (let i = 0; i <= 11; i++) chain.consent.set(member(i).toLowerCase(), consent(0b1n));
  chain.consent.set(member(12).toLowerCase(), consent(0b10n)); // another purpose only
  chain.consent.set(member(13).toLowerCase(), consent(0b1n, false)); // left the co-op
  // A cap far above what these tests spend (the ledger's own tests take members to it).
  chain.cap = { epsilonMillionths: 10n ** 12n, periodSeconds: 365n * 86_400n, since: 0n };
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
  return Number(rows[0].n);
}

async function charges(db: Db) {
  const { rows } = await db.query<{ n: string; e: string | null }>(
    "SELECT count(*) AS n, sum(epsilon_millionths)::text AS e FROM gateway_privacy_charges",
  );
  return { n: Number(rows[0].n), millionths: Number(rows[0].e ?? 0) };
}

/** A store with both datasets' schemas and the fixture's records. */
async function seededStore(store: TestStore): Promise<Db> {
  const db = await store.open();
  await migrate(db, gatewayMigrations);
  for (const [id, doc] of [
    [1n, farmDocument],
    [2n, otherDocument],
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
    await storeRecords(db, datasetSchema(otherDocument, 2n), member(i), [
      { recordId: "r1", values: recordOf(i) },
    ]);
  }
  // A second record for member 1, so counts of records and of members differ.
  await storeRecords(db, datasetSchema(farmDocument, 1n), member(1), [
    { recordId: "r2", values: { ...recordOf(1), yield_kg: 5 } },
  ]);
  return db;
}

for (const store of stores) {
  describe(`serving signed queries (${store.name})`, () => {
    let db: Db;
    let gateway: Gateway;
    let chain: TestChain;
    let keys: GatewayKeys;
    const serve = (body: unknown) => gateway.serveSigned(body);

    before(async () => {
      db = await seededStore(store);
      keys = randomKeys();
    });
    after(async () => db.close());
    beforeEach(() => {
      chain = freshChain();
      gateway = new Gateway({ db, chain, keys, domain: { chainId: CHAIN_ID, registry: REGISTRY } });
    });
    afterEach(() => gateway.close());

    it("answers an aggregate with differential privacy by default, charging every covered member", async () => {
      const before = await logLength(db);
      const spent = await charges(db);
      const served = await serve(await sign(partnerA, 7n, { ...countByRegion, epsilon: 1 }));
      assert.ok(served.answer.shape === "aggregate");
      assert.equal(served.answer.mode, "private");
      // Groups come from the region's declared values, whatever the data; counts are whole numbers.
      for (const g of served.answer.groups) {
        assert.ok(["north", "south", "east", "west"].includes(g.key.region as string));
        assert.ok(Number.isInteger(g.values.count) && (g.values.count as number) >= 3);
      }
      assert.equal(served.answer.groups.length + served.answer.suppressedGroups, 4);
      assert.deepEqual(
        {
          mechanism: served.answer.noise?.mechanism,
          epsilon: served.answer.noise?.epsilon,
          recordsPerMember: served.answer.noise?.recordsPerMember,
          threshold: served.answer.noise?.threshold,
        },
        { mechanism: "discrete Laplace", epsilon: 1, recordsPerMember: 1, threshold: 3 },
      );
      assert.equal(await logLength(db), before + 1);
      assert.deepEqual(await charges(db), { n: spent.n + 1, millionths: spent.millionths + 1e6 });
      assert.equal((await verifyLog(db)).ok, true);

      // Every member the grant's consent covers is charged and sees the access, whatever their region;
      // the member of another purpose and the one who left are not.
      const seen = async (i: number) =>
        (await accessesOf(db, keys, member(i))).some((a) => a.seq === served.log.seq);
      for (const i of [0, 3, 10, 11]) assert.equal(await seen(i), true, `member ${i}`);
      for (const i of [12, 13]) assert.equal(await seen(i), false, `member ${i}`);
      const access = (await accessesOf(db, keys, member(3))).find((a) => a.seq === served.log.seq);
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

    it("refuses min, max, quantiles and groups without a public domain, logged; bad epsilons are a 400 before anything", async () => {
      for (const m of [
        { fn: "min", field: "yield_kg" },
        { fn: "max", field: "harvested" },
        { fn: "quantiles", field: "yield_kg", q: [0.5] },
      ]) {
        await refused(
          serve(await sign(partnerA, 7n, { type: "aggregate", measures: [m] })),
          403,
          "measure_not_private",
        );
      }
      await refused(
        serve(
          await sign(partnerA, 7n, {
            type: "aggregate",
            groupBy: ["crop"],
            measures: [{ fn: "count" }],
          }),
        ),
        403,
        "group_not_public",
      );
      const before = await logLength(db);
      for (const epsilon of [1e-308, 0, -1, 1.5, 0.1234567, Number.MAX_VALUE]) {
        await refused(
          serve(await sign(partnerA, 7n, { ...countByRegion, epsilon })),
          400,
          "query_invalid",
        );
      }
      await refused(
        serve(await sign(partnerA, 7n, { ...countByRegion, recordsPerMember: 0 })),
        400,
        "query_invalid",
      );
      assert.equal(await logLength(db), before);
    });

    it("serves a repeated query the same noisy answer, charging nothing more, until the head or the records move", async () => {
      chain.now = { ...chain.now, head: "20:0xaa" };
      const q = { ...countByRegion, epsilon: 0.5 };
      const first = await serve(await sign(partnerA, 7n, q));
      const spent = await charges(db);
      const again = await serve(await sign(partnerA, 7n, q));
      assert.deepEqual(again.answer, first.answer);
      assert.equal(again.log.seq, first.log.seq + 1);
      assert.deepEqual(await charges(db), spent);
      // A new block: computed afresh, and charged.
      chain.now = { ...chain.now, latestBlock: 21n, head: "21:0xbb" };
      await serve(await sign(partnerA, 7n, q));
      assert.equal((await charges(db)).n, spent.n + 1);
      // A contribution (same head): the dataset's revision moves, charged again.
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(7), [
        { recordId: "r3", values: { ...recordOf(7), yield_kg: 1 } },
      ]);
      await serve(await sign(partnerA, 7n, q));
      assert.equal((await charges(db)).n, spent.n + 2);
      await eraseRecords(db, keys, 1n, member(7), ["r3"]);
    });

    it("refuses before the approval is final (403) and logs the refusal", async () => {
      const before = await logLength(db);
      await refused(serve(await sign(partnerA, 10n, countByRegion)), 403, "grant_not_final");
      await refused(serve(await sign(partnerA, 13n, countByRegion)), 403, "grant_not_approved");
      assert.equal(await logLength(db), before + 2);
      chain.now.finalizedBlock = 18n;
      await serve(await sign(partnerA, 10n, countByRegion));
    });

    it("drops a member as soon as their consent withdrawal or opt-out is seen", async () => {
      // Row answers under grant 8; every member's yield is distinct (1000 + 10 i), member 1 has a second record.
      const q = { type: "rows", select: ["yield_kg"], limit: 1000 };
      const yields = async () => {
        const s = await serve(await sign(partnerA, 8n, q));
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

    it("refuses a revoked grant, an expired one, another partner's grant and another dataset (403)", async () => {
      chain.grants.set(7n, grantFacts(7n, { revokedAtBlock: 20n }));
      await refused(serve(await sign(partnerA, 7n, countByRegion)), 403, "grant_revoked");
      await refused(serve(await sign(partnerB, 8n, countByRegion)), 403, "not_grantee");
      await refused(serve(await sign(partnerA, 9n, countByRegion)), 403, "not_grantee");
      await refused(
        serve(await sign(partnerA, 8n, countByRegion, { datasetId: 2n })),
        403,
        "dataset_mismatch",
      );
      chain.grants.set(11n, grantFacts(11n, { end: NOW - 1n }));
      await refused(serve(await sign(partnerA, 11n, countByRegion)), 403, "grant_expired");
    });

    it("refuses replays, other chains and registries, altered queries and late requests (401), logging none", async () => {
      const before = await logLength(db);
      const request = await sign(partnerA, 7n, countByRegion);
      await serve(request);
      await refused(serve(request), 401, "nonce_reused");
      await refused(
        serve(await sign(partnerA, 7n, countByRegion, { chainId: 1 })),
        401,
        "bad_signature",
      );
      const otherRegistry = getAddress("0x0000000000000000000000000000000000000bad");
      await refused(
        serve(await sign(partnerA, 7n, countByRegion, { registry: otherRegistry })),
        401,
        "bad_signature",
      );
      const altered = {
        ...(await sign(partnerA, 7n, countByRegion)),
        query: { ...countByRegion, groupBy: ["crop"] },
      };
      await refused(serve(altered), 401, "bad_signature");
      const claimed = { ...(await sign(partnerB, 7n, countByRegion)), signer: partnerA.address };
      await refused(serve(claimed), 401, "bad_signature");
      await refused(
        serve(await sign(partnerA, 7n, countByRegion, { deadline: NOW - 1n })),
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
      const a = await serve(await sign(partnerA, 8n, q));
      const a2 = await serve(await sign(partnerA, 8n, { ...q, limit: 2 }));
      const b = await serve(await sign(partnerA, 11n, q));
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
      await refused(serve(await sign(partnerA, 7n, q)), 403, "rows_not_allowed");
      await refused(
        serve(await sign(partnerA, 8n, { type: "rows", select: ["organic"] })),
        403,
        "field_not_in_scope",
      );
      await refused(
        serve(await sign(partnerA, 8n, { type: "rows", select: ["nope"] })),
        400,
        "field_unknown",
      );
      await refused(
        serve(
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

    it("decides queries that arrive together in one transaction, each with its own entry, in order", async () => {
      const bodies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          sign(i % 3 === 2 ? partnerB : partnerA, 7n, countByRegion),
        ),
      );
      // The same request twice in the same batch: the second is a replay.
      bodies.push(bodies[0]);
      const before = await logLength(db);
      const spent = await charges(db);
      const results = await Promise.allSettled(bodies.map((b) => serve(b)));
      const served = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      const codes = results.flatMap((r) =>
        r.status === "rejected" ? [(r.reason as GatewayError).code] : [],
      );
      // Partner B is not grant 7's grantee: refused and logged; the replay: refused, not logged.
      assert.equal(served.length, 8);
      assert.deepEqual(codes.sort(), [...Array(4).fill("not_grantee"), "nonce_reused"].sort());
      assert.equal(await logLength(db), before + 12);
      // Each allowed answer is charged (the same query in one batch is computed once per head and
      // revision: the later ones are served again, charged nothing).
      const now = await charges(db);
      assert.ok(now.n >= spent.n + 1 && now.n <= spent.n + 8, JSON.stringify([spent, now]));
      const seqs = served.map((s) => s.log.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.equal((await verifyLog(db)).ok, true);
    });

    it("keeps the log one chain and each nonce single-use under concurrent requests", async () => {
      const before = await logLength(db);
      const twice = await sign(partnerA, 7n, countByRegion);
      const distinct = await Promise.all(
        Array.from({ length: 10 }, () => sign(partnerA, 7n, countByRegion)),
      );
      const results = await Promise.allSettled(
        [...distinct, twice, twice, twice, twice, twice].map((r) => serve(r)),
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

    it("rolls everything back when serving fails midway: no entry, no charge, nonce still unused", async () => {
      const before = await logLength(db);
      const spent = await charges(db);
      const request = await sign(partnerA, 7n, countByRegion);
      chain.failing = true;
      await assert.rejects(serve(request), /chain view unavailable/);
      assert.equal(await logLength(db), before);
      assert.deepEqual(await charges(db), spent);
      chain.failing = false;
      await serve(request);
      assert.equal(await logLength(db), before + 1);
    });

    it("does not serve erased records, and a tampered log entry is detected", async () => {
      const rows = async () => {
        const s = await serve(
          await sign(partnerA, 8n, {
            type: "rows",
            select: ["region"],
            where: [{ field: "region", op: "eq", value: "south" }],
          }),
        );
        return s.answer.shape === "rows" ? s.answer.rows.length : -1;
      };
      assert.equal(await rows(), 5);
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(20), [
        { recordId: "x", values: { ...recordOf(10) } },
      ]);
      chain.consent.set(member(20).toLowerCase(), consent(1n));
      assert.equal(await rows(), 6);
      await eraseRecords(db, keys, 1n, member(20));
      assert.equal(await rows(), 5);
      assert.equal((await verifyLog(db)).ok, true);
      const last = await serve(await sign(partnerA, 7n, countByRegion));
      await db.query(
        "UPDATE gateway_access_log SET entry = replace(entry, '\"allow\"', '\"deny\"') WHERE seq = $1",
        [last.log.seq],
      );
      const v = await verifyLog(db);
      assert.deepEqual([v.ok, v.brokenAt], [false, last.log.seq]);
    });
  });

  describe(`the exact mode (${store.name})`, () => {
    let db: Db;
    let gateway: Gateway;
    let chain: TestChain;
    const serve = (body: unknown) => gateway.serveSigned(body);
    const sum = (where: unknown[] = []) => ({
      type: "aggregate",
      measures: [{ fn: "count" }, { fn: "sum", field: "yield_kg" }],
      ...(where.length ? { where } : {}),
    });
    const values = (s: Served) =>
      s.answer.shape === "aggregate"
        ? // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
          Object.fromEntries(s.answer.groups.map((g) => [String(g.key.region ?? "all"), g.values]))
        : {};

    // The differencing memory is the store's: each test starts from a fresh one.
    beforeEach(async () => {
      db = await seededStore(store);
      chain = freshChain();
      gateway = new Gateway({
        db,
        chain,
        keys: randomKeys(),
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
      });
      await acceptTabulations(
        db,
        chain.grants.get(20n)!,
        datasetSchema(farmDocument, 1n),
        tabulations,
      );
    });
    afterEach(async () => {
      gateway.close();
      await db.close();
    });

    it("answers a declared tabulation exactly, and hides a small group with the group that would give it away", async () => {
      const served = await serve(await sign(partnerA, 20n, countByRegion));
      assert.ok(served.answer.shape === "aggregate");
      assert.equal(served.answer.mode, "exact");
      assert.equal(served.answer.noise, null);
      // North: members 0-5 (member 1 twice); 12 consents to another purpose, 13 left the co-op.
      // East (one member) is hidden, and so is south: total − north − south would be east's yield.
      assert.deepEqual(values(served), { north: { count: 7, "sum:yield_kg": 6155 } });
      assert.equal(served.answer.suppressedGroups, 2);
      // South alone is one member (east's) away from what the first answer hid together: refused.
      await refused(
        serve(await sign(partnerA, 20n, sum([{ field: "region", op: "eq", value: "south" }]))),
        403,
        "differencing",
      );
      // The same answer again is no new information: served (from memory), logged.
      const again = await serve(await sign(partnerA, 20n, countByRegion));
      assert.deepEqual(again.answer, served.answer);
      assert.equal((await charges(db)).n, 0);
    });

    it("refuses what the terms do not declare, and everything until the document is published", async () => {
      await refused(
        serve(
          await sign(partnerA, 20n, {
            type: "aggregate",
            measures: [{ fn: "max", field: "yield_kg" }],
          }),
        ),
        403,
        "tabulation_not_declared",
      );
      await refused(
        serve(await sign(partnerA, 20n, { ...sum(), groupBy: ["organic"] })),
        403,
        "tabulation_not_declared",
      );
      await refused(
        serve(await sign(partnerA, 20n, sum([{ field: "age", op: "lt", value: 35 }]))),
        403,
        "tabulation_not_declared",
      );
      const unpublished = {
        fields: ALL_FIELDS,
        rowLevel: false,
        k: 3,
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
        exactTabulations: `0x${"ab".repeat(32)}` as Hex,
      };
      chain.grants.set(22n, grantFacts(22n, { scope: unpublished }));
      await refused(serve(await sign(partnerA, 22n, sum())), 403, "tabulations_unknown");
    });

    it("refuses answers fewer than k members apart, across queries: k apart is allowed", async () => {
      // Ages are 30 + i, member 0 is 70: "35 or more" is members 0 and 5-11, "36 or more" one fewer…
      const from = (age: number) => sum([{ field: "age", op: "gte", value: age }]);
      await serve(await sign(partnerA, 20n, from(35)));
      await refused(serve(await sign(partnerA, 20n, from(36))), 403, "differencing");
      await refused(serve(await sign(partnerA, 20n, from(37))), 403, "differencing");
      await serve(await sign(partnerA, 20n, from(38)));
      // The same query again is no new information.
      await serve(await sign(partnerA, 20n, from(35)));
    });

    it("remembers across grants, partners and time: a withdrawal and a resignation are not revealed", async () => {
      const south = sum([{ field: "region", op: "eq", value: "south" }]);
      const first = await serve(await sign(partnerA, 20n, south));
      assert.deepEqual(values(first).all, { count: 5, "sum:yield_kg": 5400 });
      // Member 7 withdraws; partner B, under another grant, asks the same question.
      chain.now = { ...chain.now, latestBlock: 21n, head: "21:0xbb" };
      chain.setConsent(member(7), 0n);
      await refused(serve(await sign(partnerB, 21n, south)), 403, "differencing");
      await refused(serve(await sign(partnerA, 20n, south)), 403, "differencing");
      // Member 7 consents again, member 8 resigns: one member away again.
      chain.setConsent(member(7), 1n);
      chain.consent.set(member(8).toLowerCase(), consent(1n, false));
      chain.now = { ...chain.now, latestBlock: 22n, head: "22:0xcc" };
      await refused(serve(await sign(partnerB, 21n, south)), 403, "differencing");
    });

    it("counts records: one record apart, or a record added by a member already there, is refused", async () => {
      const north = sum([{ field: "region", op: "eq", value: "north" }]);
      assert.deepEqual(values(await serve(await sign(partnerA, 20n, north))).all, {
        count: 7,
        "sum:yield_kg": 6155,
      });
      // A filter that drops member 1's second record (yield 5) only: it separates one record.
      await refused(
        serve(
          await sign(
            partnerA,
            20n,
            sum([
              { field: "region", op: "eq", value: "north" },
              { field: "yield_kg", op: "gte", value: 100 },
            ]),
          ),
        ),
        403,
        "filter_isolates",
      );
      // Member 1 erases that record: the same question is one record away from its first answer.
      await eraseRecords(db, randomKeys(), 1n, member(1), ["r2"]);
      await refused(serve(await sign(partnerA, 20n, north)), 403, "differencing");
      // Member 2 sends a second record: the same members, a record more.
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(1), [
        { recordId: "r2", values: { ...recordOf(1), yield_kg: 5 } },
      ]);
      await storeRecords(db, datasetSchema(farmDocument, 1n), member(2), [
        { recordId: "r9", values: { ...recordOf(2), yield_kg: 9 } },
      ]);
      await refused(serve(await sign(partnerA, 20n, north)), 403, "differencing");
    });

    it("keeps the memory in the store: a second gateway on the same store refuses as the first would", async () => {
      const south = sum([{ field: "region", op: "eq", value: "south" }]);
      await serve(await sign(partnerA, 20n, south));
      const second = new Gateway({
        db,
        chain,
        keys: gateway.ctx.keys,
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
      });
      try {
        chain.setConsent(member(9), 0n);
        chain.now = { ...chain.now, latestBlock: 21n, head: "21:0xdd" };
        await refused(second.serveSigned(await sign(partnerB, 21n, south)), 403, "differencing");
      } finally {
        second.close();
      }
    });
  });
}
