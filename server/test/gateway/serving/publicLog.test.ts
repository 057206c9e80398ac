/**
 * The public access log carries no exact figure. Each entry, as anyone reads it from /proofs, names who
 * asked what kind of question under which grant and what was decided, and seals the rest; the partner who
 * asked checks that the seal commits to exactly the answer it received, a member checks the entries about
 * them (the seal, the entry's hash), and the co-op's own verification opens every seal. On both stores.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { getAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import { checkOpening } from "@datacoop/protocol/accessLog/seal";
import { accessLogEntryHash } from "@datacoop/protocol/accessLog/verify";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import {
  PUBLIC_QUERY_FIELDS,
  PUBLIC_REASONS,
  verifyLog,
} from "../../../src/gateway/serving/accessLog.ts";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import type { ConsentFacts } from "../../../src/gateway/query/policy.ts";
import { gatewayRoutes } from "../../../src/gateway/serving/routes.ts";
import { LogTree } from "../../../src/operator/logTree.ts";
import { proofRoutes } from "../../../src/operator/routes.ts";
import { stores } from "../../support/stores.ts";
import { ALL_FIELDS, farmDocument } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";

const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const CHAIN_ID = 31337;
const SIWE = { domain: "coop.example", uri: "https://coop.example", chainId: CHAIN_ID };
const DOMAIN = { chainId: CHAIN_ID, registry: REGISTRY };
const partner = privateKeyToAccount(`0x${"a1".repeat(32)}`);
const members = Array.from({ length: 8 }, (_, i) =>
  privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, "e")}`),
);
const NOW = BigInt(Math.floor(Date.now() / 1000));
/** Members 0–3 in the north, 4–6 in the south, 7 alone in the east (a group under k = 3). */
const regionOf = (i: number) => (i <= 3 ? "north" : i <= 6 ? "south" : "east");

const consenting: ConsentFacts = {
  isMember: true,
  memberSince: 1n,
  consentMask: 1n,
  consentSetAt: 2n,
  grantChoice: "default",
  grantChoiceAt: null,
};

/** Grant 8 chose the exact mode: one declared tabulation (a count, filtered by age). */
const tabulations: TabulationsDocument = {
  tabulations: [{ groupBy: [], measures: [{ fn: "count" }], filters: [{ field: "age" }] }],
};

let nonce = 1n;
async function signedQuery(query: unknown, grantId = 7n) {
  const p = { grantId, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
  const signature = await partner.signTypedData({
    domain: gatewayDomain(DOMAIN),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage(p),
  });
  return {
    signer: partner.address,
    grantId: grantId.toString(),
    datasetId: "1",
    query,
    nonce: p.nonce.toString(),
    deadline: p.deadline.toString(),
    signature,
  };
}

/** Words that would name an exact figure, anywhere in an entry. */
const FIGURES = [
  "members",
  "membersHash",
  "rows",
  "groups",
  "suppressedGroups",
  "records",
  "message",
];

for (const store of stores) {
  describe(`the public access log (${store.name})`, () => {
    let db: Db;
    let gateway: ReturnType<typeof gatewayRoutes>;
    let proofs: ReturnType<typeof proofRoutes>;
    const tokens: string[] = [];
    type Json = Record<string, any>;

    const call = async (
      app: typeof gateway,
      method: string,
      path: string,
      body?: unknown,
      token?: string,
    ) => {
      const res = await app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Json };
    };
    const publicEntry = async (seq: number) => {
      const res = await call(proofs, "GET", `/entries/${seq}`);
      assert.equal(res.status, 200);
      return res.json as { entry: string; prevHash: Hex; hash: Hex };
    };
    const query = async (q: unknown, grantId = 7n) =>
      call(gateway, "POST", "/query", await signedQuery(q, grantId));

    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      const chain = new TestChain({
        latestBlock: 20n,
        latestTime: NOW,
        finalizedBlock: 15n,
        registryPaused: false,
        // A chain head, so that a repeated query is served its committed answer again.
        head: "20:0x14",
      });
      chain.datasets.set(1n, {
        datasetId: 1n,
        schemaHash: canonicalHash(farmDocument),
        fields: farmDocument.fields.map((f) => f.name),
      });
      for (const m of members) chain.consent.set(m.address.toLowerCase(), consenting);
      chain.grants.set(7n, {
        id: 7n,
        grantee: partner.address,
        datasetId: 1n,
        purpose: 0,
        scope: { fields: ALL_FIELDS, rowLevel: true, k: 3 },
        start: NOW - 100n,
        end: NOW + 100_000n,
        approvedAtBlock: 10n,
        revokedAtBlock: null,
      });
      chain.grants.set(8n, {
        ...chain.grants.get(7n)!,
        id: 8n,
        scope: {
          fields: ALL_FIELDS,
          rowLevel: false,
          k: 3,
          exactTabulations: tabulationsHash(tabulations),
        },
      });
      gateway = gatewayRoutes({
        db,
        chain,
        keys: randomKeys(),
        domain: DOMAIN,
        siwe: SIWE,
        partnerRequestsPerMinute: 100_000,
        memberRequestsPerMinute: 100_000,
      });
      proofs = proofRoutes({ db, tree: new LogTree() });
      assert.equal((await call(gateway, "POST", "/datasets/1/schema", farmDocument)).status, 200);
      assert.equal((await call(gateway, "POST", "/grants/8/tabulations", tabulations)).status, 200);
      for (const [i, m] of members.entries()) {
        const { json } = await call(gateway, "GET", "/auth/nonce");
        const message = createSiweMessage({
          address: m.address,
          chainId: CHAIN_ID,
          domain: SIWE.domain,
          uri: SIWE.uri,
          version: "1",
          nonce: json.nonce,
          issuedAt: new Date(),
        });
        const login = await call(gateway, "POST", "/auth/login", {
          message,
          signature: await m.signMessage({ message }),
        });
        assert.equal(login.status, 200);
        tokens.push(login.json.token);
        const values = {
          name: `Member ${i}`,
          region: regionOf(i),
          crop: "maize",
          yield_kg: 1000 + 37 * i,
          harvested: "2026-05-01",
          age: 30 + i,
        };
        const stored = await call(
          gateway,
          "POST",
          "/datasets/1/records",
          { records: [{ recordId: "r", values }] },
          tokens[i],
        );
        assert.equal(stored.status, 200);
      }
    });
    after(async () => db.close());

    it("publishes who asked what under which grant, and seals every exact figure", async () => {
      const grouped = await query({
        type: "aggregate",
        groupBy: ["region"],
        measures: [{ fn: "count" }, { fn: "sum", field: "yield_kg" }],
      });
      assert.equal(grouped.status, 200);
      // Differentially private: the region's four declared values, each shown or not on its noisy count.
      assert.equal(grouped.json.answer.groups.length + grouped.json.answer.suppressedGroups, 4);
      const rows = await query({
        type: "rows",
        select: ["region", "age"],
        where: [{ field: "region", op: "eq", value: "north" }],
      });
      assert.equal(rows.status, 200);
      // A refusal decided on the data (one member isolated, under the exact mode), and one decided on
      // the grant alone.
      const isolating = await query(
        {
          type: "aggregate",
          measures: [{ fn: "count" }],
          where: [{ field: "age", op: "eq", value: 30 }],
        },
        8n,
      );
      assert.equal(isolating.status, 403);
      const outOfScope = await query({ type: "rows", select: ["name"] });
      assert.deepEqual(
        [outOfScope.status, outOfScope.json.error.code],
        [403, "field_not_in_scope"],
      );
      const erased = await call(gateway, "POST", "/datasets/1/records/erase", {}, tokens[7]);
      assert.deepEqual(erased.json, { erased: 1 });

      const seqs = [grouped, rows, isolating, outOfScope].map(
        (r) => (r.json.log ?? r.json.error.details.log).seq as number,
      );
      const erasureSeq = seqs.at(-1)! + 1;
      for (const seq of [...seqs, erasureSeq]) {
        const { entry } = await publicEntry(seq);
        const parsed = JSON.parse(entry);
        assert.deepEqual(Object.keys(parsed).sort(), ["at", "body", "seal", "seq", "v"]);
        assert.equal(parsed.v, 2);
        assert.match(parsed.seal, /^[0-9a-f]{64}$/);
        const allowed =
          parsed.body.kind === "erasure"
            ? ["datasetId", "kind"]
            : (PUBLIC_QUERY_FIELDS as readonly string[]);
        for (const key of Object.keys(parsed.body))
          assert.ok(allowed.includes(key), `${seq}: ${key}`);
        for (const word of FIGURES)
          assert.ok(!entry.includes(`"${word}":`), `${seq} names ${word}`);
        if (parsed.body.kind === "query")
          assert.ok(PUBLIC_REASONS.has(parsed.body.reason) || parsed.body.reason === "withheld");
      }
      const reasons = await Promise.all(
        seqs.map(async (s) => JSON.parse((await publicEntry(s)).entry).body.reason),
      );
      assert.deepEqual(reasons, ["allowed", "allowed", "withheld", "field_not_in_scope"]);
      // The partner itself was told the exact reason.
      assert.equal(
        isolating.json.error.code === "filter_isolates" ||
          isolating.json.error.code === "cohort_too_small",
        true,
      );
      assert.equal(JSON.parse((await publicEntry(erasureSeq)).entry).body.kind, "erasure");
    });

    it("publishes entries in the format the proofs' OpenAPI document describes, and nothing more", async () => {
      const doc = (await call(proofs, "GET", "/openapi.json")).json;
      const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
      ajv.addSchema({ ...doc, $id: "proofs" });
      const check = ajv.compile({ $ref: "proofs#/components/schemas/PublicEntry" });
      const entryDoc = doc.components.schemas.LogEntry.properties.entry;
      assert.match(entryDoc.description, /PublicEntry/);
      assert.equal(check(JSON.parse(entryDoc.example)), true, ajv.errorsText(check.errors));
      const { rows } = await db.query<{ seq: string }>(
        "SELECT seq::text AS seq FROM gateway_access_log ORDER BY seq",
      );
      assert.ok(rows.length >= 5, `${rows.length} entries`);
      for (const { seq } of rows) {
        const parsed = JSON.parse((await publicEntry(Number(seq))).entry);
        assert.equal(check(parsed), true, `${seq}: ${ajv.errorsText(check.errors)}`);
      }
      // The format is strict: an exact figure added to the public body does not fit it.
      const sample = JSON.parse((await publicEntry(1)).entry);
      assert.equal(check({ ...sample, body: { ...sample.body, rows: 4 } }), false);
      assert.equal(check({ ...sample, members: 4 }), false);
    });

    it("lets the partner check that the entry commits to exactly the answer it received", async () => {
      const res = await query({
        type: "aggregate",
        groupBy: ["region"],
        measures: [{ fn: "count" }],
      });
      assert.equal(res.status, 200);
      const { entry, prevHash, hash } = await publicEntry(res.json.log.seq);
      assert.equal(accessLogEntryHash(prevHash, entry), hash);
      assert.deepEqual(checkOpening(entry, res.json.log.opening, res.json.answer), { ok: true });
      // Another answer (one count changed), another members half, another reason: each fails.
      const lied = structuredClone(res.json.answer);
      // (Under differential privacy every group may be hidden: then a group is added instead.)
      if (lied.groups.length > 0) lied.groups[0].values.count += 1;
      else lied.groups.push({ key: { region: "north" }, values: { count: 3 } });
      assert.equal(checkOpening(entry, res.json.log.opening, lied).ok, false);
      const otherMembers = { ...res.json.log.opening, members: "0".repeat(64) };
      assert.deepEqual(checkOpening(entry, otherMembers).ok, false);
      const otherReason = {
        ...res.json.log.opening,
        answer: { ...res.json.log.opening.answer, reason: "x" },
      };
      assert.equal(checkOpening(entry, otherReason).ok, false);
      // A refusal's opening names no answer, and its exact reason.
      const refused = await query(
        {
          type: "aggregate",
          measures: [{ fn: "count" }],
          where: [{ field: "age", op: "eq", value: 31 }],
        },
        8n,
      );
      const log = refused.json.error.details.log;
      assert.equal(log.opening.answer.answer, null);
      assert.equal(log.opening.answer.reason, refused.json.error.code);
      assert.deepEqual(checkOpening((await publicEntry(log.seq)).entry, log.opening), { ok: true });
    });

    it("seals the same answer differently each time, so equal answers cannot be linked", async () => {
      const q = { type: "aggregate", measures: [{ fn: "count" }] };
      const a = await query(q);
      const b = await query(q);
      assert.deepEqual(a.json.answer, b.json.answer);
      const [ea, eb] = [await publicEntry(a.json.log.seq), await publicEntry(b.json.log.seq)];
      assert.notEqual(JSON.parse(ea.entry).seal, JSON.parse(eb.entry).seal);
      assert.notEqual(a.json.log.opening.members, b.json.log.opening.members);
    });

    it("lets each member find and check the entries about them, and only those", async () => {
      const res = await query({
        type: "rows",
        select: ["age"],
        where: [{ field: "region", op: "eq", value: "north" }],
      });
      assert.equal(res.status, 200);
      for (const [i, token] of tokens.entries()) {
        const mine = await call(gateway, "GET", "/me/accesses", undefined, token);
        assert.equal(mine.status, 200);
        const listed = mine.json.accesses.some((a: Json) => a.seq === res.json.log.seq);
        assert.equal(listed, regionOf(i) === "north", `member ${i}`);
        for (const a of mine.json.accesses) {
          const served = await publicEntry(a.seq);
          assert.equal(a.entry, served.entry);
          assert.equal(accessLogEntryHash(a.prevHash, a.entry), `0x${a.hash}`);
          assert.equal(served.hash, `0x${a.hash}`);
          assert.deepEqual(checkOpening(a.entry, a.opening), { ok: true });
          assert.deepEqual(Object.keys(a.opening).sort(), ["answer", "members"]);
          assert.equal(typeof a.opening.answer, "string", "a member sees no figure, only hashes");
        }
      }
    });

    it("verifies every seal from the store's openings, and catches one changed", async () => {
      assert.equal((await verifyLog(db)).ok, true);
      const { rows } = await db.query<{ seq: string; opening: string }>(
        "SELECT seq::text AS seq, opening FROM gateway_access_log WHERE opening IS NOT NULL ORDER BY seq LIMIT 1 OFFSET 1",
      );
      const original = rows[0].opening;
      const changed = JSON.parse(original);
      changed.members.count += 1;
      await db.query("UPDATE gateway_access_log SET opening = $1 WHERE seq = $2", [
        JSON.stringify(changed),
        rows[0].seq,
      ]);
      try {
        const verdict = await verifyLog(db);
        assert.equal(verdict.ok, false);
        assert.equal(verdict.brokenAt, Number(rows[0].seq));
      } finally {
        await db.query("UPDATE gateway_access_log SET opening = $1 WHERE seq = $2", [
          original,
          rows[0].seq,
        ]);
      }
      assert.equal((await verifyLog(db)).ok, true);
    });
  });
}
