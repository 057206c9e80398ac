import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { gatewayRoutes, type GatewayRoutesOptions } from "../../../src/gateway/serving/routes.ts";
import { highSTwin } from "../../support/highS.ts";
import { stores } from "../../support/stores.ts";
import { ALL_FIELDS, farmDocument } from "../fixtures.ts";
import type { TestChain } from "../testChain.ts";
import {
  CHAIN_ID,
  NOW,
  REGISTRY,
  SIWE,
  bearer,
  consenting,
  farmChain,
  farmRecord,
  memberAccounts,
  nextNonce,
  partner,
  requestJson,
  signedQuery,
  siweLogin,
} from "../../support/gatewayRoutes.ts";
import {
  gatewayDomain,
  contributionMessage,
  contributionTypes,
} from "@datacoop/protocol/typedData";

const members = memberAccounts(7);
const outsider = privateKeyToAccount(`0x${"dd".repeat(32)}`);
const record = farmRecord;

function makeChain() {
  const chain = farmChain(members);
  // The last member consents to another purpose only.
  chain.consent.set(members[6].address.toLowerCase(), { ...consenting, consentMask: 2n });
  return chain;
}

for (const store of stores) {
  describe(`gateway routes (${store.name})`, () => {
    let db: Db;
    let app: ReturnType<typeof gatewayRoutes>;
    let options: GatewayRoutesOptions;
    const tokens: string[] = [];

    const call = (
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      // Parsed as JSON.parse parses: each test reads its own answer's shape.
      requestJson<ReturnType<typeof JSON.parse>>(app, method, path, body, headers, null);
    const auth = bearer;

    async function login(account: PrivateKeyAccount) {
      const res = await siweLogin(call, account);
      assert.equal(res.status, 200, res.text);
      return res.json.token as string;
    }

    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      options = {
        db,
        chain: makeChain(),
        keys: randomKeys(),
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
        siwe: SIWE,
        maxBodyBytes: 64 * 1024,
        partnerRequestsPerMinute: 100_000,
        memberRequestsPerMinute: 100_000,
      };
      app = gatewayRoutes(options);
      for (const m of members) tokens.push(await login(m));
    });
    after(async () => db.close());

    it("publishes the schema, takes contributions as JSON and CSV, lists and erases them", async () => {
      const wrong = await call("POST", "/datasets/1/schema", { ...farmDocument, name: "Other" });
      assert.deepEqual([wrong.status, wrong.json.error.code], [422, "schema_hash_mismatch"]);
      assert.equal((await call("POST", "/datasets/2/schema", farmDocument)).status, 404);
      // Before anyone publishes it, the gateway says it has no schema (the dApp then offers the document).
      const none = await call("GET", "/datasets/1/schema");
      assert.deepEqual([none.status, none.json.error.code], [404, "dataset_unknown"]);
      const ok = await call("POST", "/datasets/1/schema", farmDocument);
      assert.equal(ok.status, 200, ok.text);
      // Forms are built from the document the gateway holds: every type, bound, enum and label as sent.
      const held = await call("GET", "/datasets/1/schema");
      assert.equal(held.status, 200, held.text);
      assert.deepEqual(held.json, {
        datasetId: "1",
        schemaHash: canonicalHash(farmDocument),
        document: farmDocument,
      });
      assert.equal(canonicalHash(held.json.document), canonicalHash(farmDocument));
      assert.equal((await call("GET", "/datasets/x/schema")).status, 400);

      for (const [i, token] of tokens.entries()) {
        const res = await call(
          "POST",
          "/datasets/1/records",
          { records: [{ recordId: "a", values: record(i) }] },
          auth(token),
        );
        assert.deepEqual([res.status, res.json], [200, { stored: 1, unchanged: 0 }], res.text);
      }
      const csv =
        "record_id,name,region,crop,yield_kg,harvested,age\nb,X,north,rice,10,2026-06-01,44\n";
      const c = await call("POST", "/datasets/1/records.csv", csv, {
        ...auth(tokens[0]),
        "content-type": "text/csv",
      });
      assert.deepEqual([c.status, c.json], [200, { stored: 1, unchanged: 0 }], c.text);
      const bad = await call(
        "POST",
        "/datasets/1/records",
        { records: [{ recordId: "z", values: { ...record(0), age: "x" } }] },
        auth(tokens[0]),
      );
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.json.error.details, [
        { row: 0, field: "age", message: "expected a integer" },
      ]);

      const mine = await call("GET", "/datasets/1/records", undefined, auth(tokens[0]));
      assert.deepEqual(
        mine.json.records.map((r: { recordId: string }) => r.recordId),
        ["a", "b"],
      );
      const erased = await call(
        "POST",
        "/datasets/1/records/erase",
        { recordIds: ["b"] },
        auth(tokens[0]),
      );
      assert.deepEqual(erased.json, { erased: 1 });
      assert.equal(
        (await call("GET", "/datasets/1/records", undefined, auth(tokens[0]))).json.records.length,
        1,
      );

      // Someone with no standing (not a member, holds no grant) may not even sign in.
      const { json: n } = await call("GET", "/auth/nonce");
      const message = createSiweMessage({
        address: outsider.address,
        chainId: CHAIN_ID,
        domain: SIWE.domain,
        uri: SIWE.uri,
        version: "1",
        nonce: n.nonce,
        issuedAt: new Date(),
      });
      const refused = await call("POST", "/auth/login", {
        message,
        signature: await outsider.signMessage({ message }),
      });
      assert.deepEqual([refused.status, refused.json.error.code], [403, "no_standing"]);
      // Signed in but not a member (a partner): may not contribute.
      const partnerToken = await login(partner);
      const res = await call(
        "POST",
        "/datasets/1/records",
        { records: [{ recordId: "a", values: record(9) }] },
        auth(partnerToken),
      );
      assert.deepEqual([res.status, res.json.error.code], [403, "not_member"]);
      assert.equal((await call("GET", "/datasets/1/records")).status, 401);
    });

    it("takes contributions signed with EIP-712: once, before the deadline, from members only", async () => {
      const domain = gatewayDomain({ chainId: CHAIN_ID, registry: REGISTRY });
      const signed = async (
        account: PrivateKeyAccount,
        records: unknown[],
        opts: { datasetId?: bigint; deadline?: bigint; nonce?: bigint; signAs?: unknown[] } = {},
      ) => {
        const n = opts.nonce ?? nextNonce();
        const deadline = opts.deadline ?? NOW + 600n;
        const signature = await account.signTypedData({
          domain,
          types: contributionTypes,
          primaryType: "Contribution",
          message: contributionMessage({
            datasetId: opts.datasetId ?? 1n,
            records: opts.signAs ?? records,
            nonce: n,
            deadline,
          }),
        });
        return {
          signer: account.address,
          records,
          nonce: n.toString(),
          deadline: deadline.toString(),
          signature,
        };
      };
      const batch = [
        { recordId: "s1", values: record(1) },
        { recordId: "s2", values: record(2) },
      ];
      const body = await signed(members[1], batch);
      const ok = await call("POST", "/datasets/1/records/signed", body);
      assert.deepEqual([ok.status, ok.json], [200, { stored: 2, unchanged: 0 }], ok.text);
      const mine = await call("GET", "/datasets/1/records", undefined, auth(tokens[1]));
      assert.deepEqual(mine.json.records.map((r: { recordId: string }) => r.recordId).sort(), [
        "a",
        "s1",
        "s2",
      ]);
      const before = await db.query("SELECT count(*) AS n FROM gateway_records");

      // The same signed batch again: a replay.
      const replay = await call("POST", "/datasets/1/records/signed", body);
      assert.deepEqual([replay.status, replay.json.error.code], [401, "nonce_reused"]);
      // Records other than those signed, another dataset, another signer: the signature does not hold.
      const swapped = { ...(await signed(members[1], batch)), records: [batch[0]] };
      const other = await signed(members[1], batch, { datasetId: 2n });
      const impostor = { ...(await signed(members[1], batch)), signer: members[2].address };
      for (const b of [swapped, other, impostor]) {
        const res = await call("POST", "/datasets/1/records/signed", b);
        assert.deepEqual([res.status, res.json.error.code], [401, "bad_signature"], res.text);
      }
      // Past its deadline, or a deadline too far ahead.
      const late = await signed(members[1], batch, { deadline: NOW - 1n });
      const far = await signed(members[1], batch, { deadline: NOW + 7200n });
      for (const [b, codeName] of [
        [late, "deadline_passed"],
        [far, "deadline_too_far"],
      ] as const) {
        const res = await call("POST", "/datasets/1/records/signed", b);
        assert.deepEqual([res.status, res.json.error.code], [401, codeName], res.text);
      }
      // A valid signature by someone who is not a member: refused.
      const stranger = await signed(outsider, [{ recordId: "x", values: record(9) }]);
      const refused = await call("POST", "/datasets/1/records/signed", stranger);
      assert.deepEqual([refused.status, refused.json.error.code], [403, "not_member"]);
      // Records that do not fit the schema: every row's errors, and the nonce is still unused.
      const invalid = await signed(members[1], [
        { recordId: "s3", values: { ...record(3), age: "x" } },
      ]);
      const rejected = await call("POST", "/datasets/1/records/signed", invalid);
      assert.equal(rejected.status, 422, rejected.text);
      // Malformed: not a batch at all.
      const malformed = await call("POST", "/datasets/1/records/signed", { ...body, records: [] });
      assert.deepEqual([malformed.status, malformed.json.error.code], [400, "invalid_request"]);
      const after = await db.query("SELECT count(*) AS n FROM gateway_records");
      assert.deepEqual(after.rows, before.rows, "nothing stored by a refused batch");
      const retried = await signed(members[1], [{ recordId: "s3", values: record(3) }], {
        nonce: BigInt(invalid.nonce),
      });
      const fixed = await call("POST", "/datasets/1/records/signed", retried);
      assert.deepEqual([fixed.status, fixed.json], [200, { stored: 1, unchanged: 0 }], fixed.text);
      const erased = await call(
        "POST",
        "/datasets/1/records/erase",
        { recordIds: ["s1", "s2", "s3"] },
        auth(tokens[1]),
      );
      assert.deepEqual(erased.json, { erased: 3 });
    });

    it("serves a signed query and shows it in the members' access listings", async () => {
      const res = await call(
        "POST",
        "/query",
        await signedQuery({ type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }] }),
      );
      assert.equal(res.status, 200, res.text);
      // Differentially private: groups from the region's declared values, noisy counts of at least k.
      assert.equal(res.json.answer.mode, "private");
      for (const g of res.json.answer.groups as {
        key: { region: string };
        values: { count: number };
      }[]) {
        assert.ok(["north", "south", "east", "west"].includes(g.key.region));
        assert.ok(Number.isInteger(g.values.count) && g.values.count >= 3);
      }
      assert.equal(res.json.answer.groups.length + res.json.answer.suppressedGroups, 4);
      const mine = await call("GET", "/me/accesses", undefined, auth(tokens[0]));
      assert.equal(mine.json.accesses[0].seq, res.json.log.seq);
      assert.equal(mine.json.accesses[0].grantId, "7");
      const notConsenting = await call("GET", "/me/accesses", undefined, auth(tokens[6]));
      assert.deepEqual(notConsenting.json.accesses, []);
      const replay = await call(
        "POST",
        "/query",
        JSON.parse(JSON.stringify(await signedQuery({ type: "rows", select: ["region"] }))),
      );
      assert.equal(replay.status, 200);
    });

    it("shows a member their privacy used, auditors the totals, and serves members' own grants by session", async () => {
      const before = await call("GET", "/me/privacy", undefined, auth(tokens[2]));
      assert.equal(before.status, 200, before.text);
      type Figure = { datasetId: string; epsilonUsed: number; epsilonCap: number; answers: number };
      const figure = (body: { datasets: Figure[] }) =>
        body.datasets.find((d) => d.datasetId === "1");
      const used0 = figure(before.json)?.epsilonUsed ?? 0;
      const answers0 = figure(before.json)?.answers ?? 0;
      const q = { type: "aggregate", measures: [{ fn: "count" }], epsilon: 0.25 };
      assert.equal((await call("POST", "/query", await signedQuery(q))).status, 200);
      const after = await call("GET", "/me/privacy", undefined, auth(tokens[2]));
      const d = figure(after.json)!;
      assert.equal(d.epsilonUsed, used0 + 0.25);
      assert.equal(d.answers, answers0 + 1);
      assert.equal(d.epsilonCap, 1);
      assert.equal(after.json.cap.epsilon, 1);
      assert.ok(Date.parse(after.json.cap.period.end) > Date.parse(after.json.cap.period.start));
      // The member who does not consent was not charged.
      const other = await call("GET", "/me/privacy", undefined, auth(tokens[6]));
      assert.equal(figure(other.json)?.epsilonUsed ?? 0, 0);
      assert.equal((await call("GET", "/me/privacy")).status, 401);

      // Auditors: totals per grant and per dataset, no per-member figure.
      const grant = await call("GET", "/privacy/grants/7");
      const dataset = await call("GET", "/privacy/datasets/1");
      assert.equal(grant.status, 200, grant.text);
      assert.ok(grant.json.answers >= 2 && grant.json.epsilon >= 0.25, grant.text);
      assert.deepEqual(Object.keys(grant.json).sort(), [
        "answers",
        "cap",
        "epsilon",
        "grantId",
        "period",
        "periodAnswers",
        "periodEpsilon",
      ]);
      assert.equal(dataset.json.answers, grant.json.answers);
      assert.deepEqual(
        [
          (await call("GET", "/privacy/grants/x")).status,
          (await call("GET", "/privacy/datasets/0")).status,
        ],
        [400, 400],
      );

      // A grant to the co-op's members: a member queries it with their session, a partner may not.
      const chain = options.chain as TestChain;
      chain.grants.set(30n, {
        ...(await chain.grant(db, 7n))!,
        id: 30n,
        grantee: REGISTRY,
        toMembers: true,
        scope: { fields: ALL_FIELDS, rowLevel: false, k: 3 },
      });
      const bench = {
        grantId: "30",
        datasetId: "1",
        query: { type: "aggregate", measures: [{ fn: "count" }] },
      };
      const served = await call("POST", "/me/query", bench, auth(tokens[1]));
      assert.equal(served.status, 200, served.text);
      assert.equal(served.json.answer.mode, "private");
      const partnerTry = await call(
        "POST",
        "/query",
        await signedQuery(bench.query, { grantId: 30n }),
      );
      assert.deepEqual([partnerTry.status, partnerTry.json.error.code], [403, "not_grantee"]);
      const viaSession = await call(
        "POST",
        "/me/query",
        { ...bench, grantId: "7" },
        auth(tokens[1]),
      );
      assert.deepEqual([viaSession.status, viaSession.json.error.code], [403, "not_grantee"]);
      assert.equal((await call("POST", "/me/query", bench)).status, 401);
      // The log names the member by commitment only.
      const entry = await db.query<{ entry: string }>(
        "SELECT entry FROM gateway_access_log WHERE seq = $1",
        [served.json.log.seq],
      );
      assert.ok(
        !entry.rows[0].entry.toLowerCase().includes(members[1].address.slice(2).toLowerCase()),
      );
      assert.match(entry.rows[0].entry, /"partner":"member:[0-9a-f]{32}"/);
    });

    it("publishes an exact-mode grant's tabulations only when they hash to its term, and serves the risks", async () => {
      const document: TabulationsDocument = {
        tabulations: [{ groupBy: ["region"], measures: [{ fn: "count" }] }],
      };
      const chain = options.chain as TestChain;
      chain.grants.set(31n, {
        ...(await chain.grant(db, 7n))!,
        id: 31n,
        scope: {
          fields: ALL_FIELDS,
          rowLevel: false,
          k: 3,
          exactTabulations: tabulationsHash(document),
        },
      });
      assert.equal((await call("GET", "/grants/31/tabulations")).status, 404);
      const wrong = await call("POST", "/grants/31/tabulations", {
        tabulations: [{ groupBy: [], measures: [{ fn: "count" }] }],
      });
      assert.deepEqual([wrong.status, wrong.json.error.code], [409, "tabulations_mismatch"]);
      const notExact = await call("POST", "/grants/7/tabulations", document);
      assert.deepEqual([notExact.status, notExact.json.error.code], [409, "grant_not_exact"]);
      const bad = await call("POST", "/grants/31/tabulations", { tabulations: "x" });
      assert.equal(bad.status, 400);
      const ok = await call("POST", "/grants/31/tabulations", document);
      assert.deepEqual([ok.status, ok.json.hash], [200, tabulationsHash(document)], ok.text);
      assert.equal((await call("POST", "/grants/31/tabulations", document)).status, 200);
      const got = await call("GET", "/grants/31/tabulations");
      assert.deepEqual(got.json.document, document);
      const exact = await call(
        "POST",
        "/query",
        await signedQuery(
          { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }] },
          { grantId: 31n },
        ),
      );
      assert.equal(exact.status, 200, exact.text);
      assert.equal(exact.json.answer.mode, "exact");
      const risks = await call("GET", "/exact-mode");
      assert.equal(risks.status, 200);
      assert.deepEqual(Object.keys(risks.json.texts).sort(), ["en", "es", "fr"]);
      assert.equal(risks.json.defaultMode, "private");
    });

    it("describes itself in OpenAPI with interactive docs", async () => {
      const doc = await call("GET", "/openapi.json");
      assert.equal(doc.status, 200);
      assert.ok(doc.json.paths["/query"].post);
      assert.ok(doc.json.paths["/datasets/{datasetId}/records"].post);
      const docs = await app.request("/docs");
      assert.equal(docs.status, 200);
      assert.match(await docs.text(), /swagger/i);
    });

    it("limits each partner's rate", async () => {
      // Limits are counted in the store, per clock minute: the earlier tests' requests count in theirs,
      // so this one runs five minutes later.
      const later = { ...options, now: () => NOW + 300n };
      const limited = gatewayRoutes({ ...later, partnerRequestsPerMinute: 2 });
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        const body = JSON.stringify(
          await signedQuery({ type: "aggregate", measures: [{ fn: "count" }] }),
        );
        const res = await limited.request("/query", {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
        });
        statuses.push(res.status);
        if (i === 2)
          assert.equal(
            ((await res.json()) as { error: { code: string } }).error.code,
            "rate_limited",
          );
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      const signIns = gatewayRoutes({ ...later, signInsPerMinute: 2 });
      const nonces = [];
      for (let i = 0; i < 3; i++) nonces.push((await signIns.request("/auth/nonce")).status);
      assert.deepEqual(nonces, [200, 200, 429]);
    });

    it("answers 1,000+ malformed and hostile requests with 4xx only, leaking and storing nothing", async () => {
      const snapshot = async () => {
        const r = await db.query(
          "SELECT dataset_id, member, record_id, data, erased_at FROM gateway_records ORDER BY 1, 2, 3",
        );
        const d = await db.query("SELECT dataset_id, schema_hash FROM gateway_datasets ORDER BY 1");
        const b = await db.query("SELECT * FROM gateway_privacy_charges ORDER BY 1, 2");
        return JSON.stringify([r.rows, d.rows, b.rows]);
      };
      // A hostile value in a filter is only a value: a differentially private answer over nobody
      // (parameters, never SQL), charged like any other.
      const injected = await call(
        "POST",
        "/query",
        await signedQuery({
          type: "aggregate",
          measures: [{ fn: "count" }],
          where: [
            {
              field: "crop",
              op: "in",
              values: ["1; DROP TABLE gateway_records; --", "maize' OR 1=1"],
            },
          ],
        }),
      );
      assert.equal(injected.status, 200, injected.text);
      assert.equal(injected.json.answer.mode, "private");

      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
      const INJECTIONS = [
        "' OR '1'='1",
        "1; DROP TABLE gateway_records; --",
        "region') OR true --",
        "$1",
        "\\x00",
        "\u0000",
        "<script>alert(1)</script>",
        "../../../etc/passwd",
        "${jndi:ldap://x}",
        "%s%n",
        "😀".repeat(300),
        "a".repeat(100_000),
        "__proto__",
        "constructor",
      ];
      const VALUES: unknown[] = [
        ...INJECTIONS,
        null,
        true,
        false,
        0,
        -1,
        1e308,
        -1e308,
        1.5,
        [],
        {},
        [1, 2],
        { $gt: "" },
        { __proto__: { admin: true } },
        "9".repeat(90),
      ];
      const RAW_BODIES = [
        "",
        "{",
        "}",
        "[",
        "null",
        '"x"',
        "1e999",
        '{"a":',
        "{'a':1}",
        "[".repeat(5000) + "]".repeat(5000),
        '{"records":' + "[".repeat(3000) + "]".repeat(3000) + "}",
        "\uFFFF\uFFFE",
        "x".repeat(70 * 1024),
        JSON.stringify({
          records: Array.from({ length: 1200 }, (_, i) => ({ recordId: `r${i}`, values: {} })),
        }),
      ];

      const validQuery = { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }] };
      const signedTemplate = await signedQuery(validQuery);
      // Used once, so that mutations which leave it intact are replays.
      assert.equal((await call("POST", "/query", signedTemplate)).status, 200);
      const before = await snapshot();
      const logStart = (
        await db.query<{ n: string }>("SELECT count(*) AS n FROM gateway_access_log")
      ).rows[0].n;
      const memberBody = { records: [{ recordId: "h1", values: record(1) }] };
      const mutate = (obj: Record<string, unknown>): unknown => {
        const keys = Object.keys(obj);
        const out: Record<string, unknown> = JSON.parse(JSON.stringify(obj));
        switch (Math.floor(rand() * 4)) {
          case 0:
            out[pick(keys)] = pick(VALUES);
            return out;
          case 1:
            delete out[pick(keys)];
            return out;
          case 2:
            // An own property even for "__proto__", so that it is sent.
            Object.defineProperty(out, pick(INJECTIONS).slice(0, 50), {
              value: pick(VALUES),
              enumerable: true,
            });
            return out;
          default:
            return pick(VALUES);
        }
      };

      // Values no field of the schema accepts where they land (free-text fields take any string).
      const mutateRecord = (): unknown => {
        const out: Record<string, unknown> = record(1);
        switch (Math.floor(rand() * 4)) {
          case 0:
            out[pick(["age", "region", "harvested"])] = pick(VALUES);
            return out;
          case 1:
            delete out[pick(Object.keys(out))];
            return out;
          case 2:
            Object.defineProperty(out, pick(INJECTIONS).slice(0, 50), {
              value: pick(VALUES),
              enumerable: true,
            });
            return out;
          default:
            return pick(VALUES);
        }
      };
      // Header values cannot carry control or non-Latin-1 characters at all; send them escaped.
      const headerSafe = (v: string) => encodeURIComponent(v).slice(0, 8000);
      type Req = { method: string; path: string; body?: unknown; headers?: Record<string, string> };
      const requests: Req[] = [];
      const token = tokens[2];
      const paths = [
        "/auth/login",
        "/datasets/1/records",
        "/datasets/1/records.csv",
        "/datasets/1/records/erase",
        "/datasets/1/schema",
        "/query",
      ];
      for (const path of paths) {
        for (const raw of RAW_BODIES) {
          requests.push({ method: "POST", path, body: raw, headers: auth(token) });
          requests.push({
            method: "POST",
            path,
            body: raw,
            headers: { ...auth(token), "content-type": "text/csv" },
          });
        }
      }
      for (let i = 0; i < 300; i++) {
        requests.push({
          method: "POST",
          path: "/datasets/1/records",
          body: { records: [{ recordId: "h1", values: mutateRecord() }] },
          headers: auth(token),
        });
        requests.push({
          method: "POST",
          path: "/datasets/1/records",
          body: mutate(memberBody),
          headers: auth(token),
        });
        const env = mutate(signedTemplate);
        requests.push({ method: "POST", path: "/query", body: env });
      }
      for (let i = 0; i < 100; i++) {
        const inj = pick(INJECTIONS);
        requests.push({
          method: "GET",
          path: `/datasets/${encodeURIComponent(inj)}/records`,
          headers: auth(token),
        });
        requests.push({
          method: "GET",
          path: `/datasets/1/records?limit=${encodeURIComponent(inj)}`,
          headers: auth(token),
        });
        requests.push({
          method: "GET",
          path: "/me/accesses",
          headers: { authorization: `Bearer ${headerSafe(inj)}` },
        });
        requests.push({
          method: "POST",
          path: "/datasets/1/records",
          body: memberBody,
          headers: {
            authorization: pick(["", "Bearer", `Basic ${headerSafe(inj)}`, `Bearer ${token}x`]),
          },
        });
        requests.push({
          method: "POST",
          path: "/datasets/1/records.csv",
          body: `record_id,${inj.slice(0, 40)}\nh1,${inj.slice(0, 40)}\n`,
          headers: { ...auth(token), "content-type": "text/csv" },
        });
        requests.push({
          method: "POST",
          path: "/datasets/1/records/erase",
          body: { recordIds: [inj] },
          headers: auth(token),
        });
      }
      // Validly signed queries carrying hostile content: the partner is authenticated, the query is not.
      for (let i = 0; i < 60; i++) {
        const inj = pick(INJECTIONS).slice(0, 200);
        const q = pick([
          { type: "rows", select: [inj] },
          { type: "rows", select: ["region"], where: [{ field: "region", op: "eq", value: inj }] },
          { type: "rows", select: ["name"] },
          { type: "aggregate", measures: [{ fn: "sum", field: inj }] },
          { type: "aggregate", groupBy: [inj], measures: [{ fn: "count" }] },
          { type: "rows", select: ["region"], orderBy: [{ field: inj }] },
          { type: inj, select: ["region"] },
        ]);
        requests.push({ method: "POST", path: "/query", body: await signedQuery(q) });
      }
      // Wrong signatures: another signer's, a flipped byte, a wrong length.
      for (let i = 0; i < 40; i++) {
        const s = await signedQuery(validQuery);
        const flipped =
          s.signature.slice(0, 10) + (s.signature[10] === "a" ? "b" : "a") + s.signature.slice(11);
        requests.push({
          method: "POST",
          path: "/query",
          body: pick([
            { ...s, signature: flipped },
            { ...s, signer: members[0].address },
            { ...s, signature: s.signature.slice(0, 100) },
            { ...s, grantId: "8" },
          ]),
        });
      }
      // The new edges (issue 14): signers with no standing, high-s twins, bodies nested past the bound in
      // every shape, numbers out of range. None of them may leave an entry, a nonce or a session.
      const strangers = Array.from({ length: 20 }, (_, i) =>
        privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, "9")}`),
      );
      for (const stranger of strangers) {
        requests.push({
          method: "POST",
          path: "/query",
          body: await signedQuery(pick([validQuery, { type: "rows", select: ["region"] }]), {
            account: stranger,
          }),
        });
      }
      for (let i = 0; i < 20; i++) {
        const s = await signedQuery(validQuery);
        requests.push({
          method: "POST",
          path: "/query",
          body: { ...s, signature: highSTwin(s.signature) },
        });
      }
      const nests: [string, string][] = [
        ["[", "]"],
        ['{"a":', "}"],
        ['{"a":[', "]}"],
        ['[{"b":', "}]"],
      ];
      for (let i = 0; i < 40; i++) {
        const [open, close] = pick(nests);
        const depth = 17 + Math.floor(rand() * 3000);
        const value = open.repeat(depth) + pick(["1", '"x"', "null", "{}"]) + close.repeat(depth);
        const where = pick(["records", "values", "query", "envelope"]);
        const text =
          where === "records"
            ? `{"records":[${value}]}`
            : where === "values"
              ? `{"records":[{"recordId":"d","values":{"crop":${value}}}]}`
              : where === "query"
                ? JSON.stringify({ ...signedTemplate, query: 0 }).replace(
                    '"query":0',
                    `"query":${value}`,
                  )
                : `{"x":${value},${JSON.stringify(signedTemplate).slice(1)}`;
        requests.push({ method: "POST", path: pick(paths), body: text, headers: auth(token) });
      }
      for (const n of ["1e999", "-1e999", "1" + "0".repeat(400)]) {
        requests.push({
          method: "POST",
          path: "/datasets/1/records",
          body: `{"records":[{"recordId":"n","values":{"age":${n}}}]}`,
          headers: auth(token),
        });
      }
      assert.ok(requests.length >= 1000, `${requests.length} requests`);
      const nonces = async () =>
        (
          await db.query<{ n: string }>(
            "SELECT count(*) AS n FROM gateway_partner_nonces WHERE signer <> $1",
            [partner.address.toLowerCase()],
          )
        ).rows[0].n;
      const strangerNonces = await nonces();

      const secrets = [...members.map((m) => m.address.slice(2).toLowerCase()), "secret name"];
      for (const r of requests) {
        const res = await call(r.method, r.path, r.body, r.headers);
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${r.method} ${r.path} ${String(JSON.stringify(r.body)).slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`,
        );
        assert.equal(typeof res.json?.error?.code, "string", res.text.slice(0, 200));
        assert.equal(typeof res.json?.error?.message, "string");
        const lower = res.text.toLowerCase();
        for (const s of secrets) assert.ok(!lower.includes(s), `leak in ${res.text.slice(0, 300)}`);
      }

      assert.equal(await snapshot(), before);
      // Only refusals were logged (for the authenticated partner's hostile queries), and the chain holds.
      const { rows } = await db.query<{ entry: string }>(
        "SELECT entry FROM gateway_access_log WHERE seq > $1",
        [logStart],
      );
      assert.ok(rows.length > 0);
      for (const r of rows) assert.equal(JSON.parse(r.entry).body.decision, "deny");
      // Nobody without standing is in the log, or left a nonce.
      const signers = new Set(rows.map((r) => JSON.parse(r.entry).body.partner));
      assert.deepEqual([...signers], [partner.address.toLowerCase()]);
      assert.equal(await nonces(), strangerNonces);
      assert.equal((await verifyLog(db)).ok, true);
    });
  });
}
