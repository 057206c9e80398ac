/**
 * The gateway against someone with no standing, or with standing who tries to spend the gateway's
 * resources: log spam by random keys, sign-in and erasure by strangers, schema re-publication to flush the
 * caches, the high-s twin of every signature the gateway checks, bodies nested or shaped to break hashing,
 * numbers out of every range, and rate limits multiplied by running several gateway processes. Each case is
 * the attack as an adversary would run it, over HTTP through the real routes, on both stores.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { recoverMessageAddress, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import { gatewayRoutes, type GatewayRoutesOptions } from "../../../src/gateway/serving/routes.ts";
import { GatewayCounters } from "../../../src/gateway/auth/standing.ts";
import { highSTwin } from "../../support/highS.ts";
import { stores } from "../../support/stores.ts";
import { farmDocument } from "../fixtures.ts";
import type { TestChain } from "../testChain.ts";
import {
  CHAIN_ID,
  DOMAIN,
  NOW,
  SIWE,
  bearer,
  farmChain,
  farmRecord,
  memberAccounts,
  partner,
  requestJson,
  signedContribution,
  signedQuery,
  siweLogin as loginWithSiwe,
  type GatewayApp,
} from "../../support/gatewayRoutes.ts";

/** Holds a grant of the co-op (grant 8), not grant 7. */
const otherPartner = privateKeyToAccount(`0x${"b2".repeat(32)}`);
/** Asked the co-op for access (request 9), not yet approved: no grant. */
const requester = privateKeyToAccount(`0x${"d3".repeat(32)}`);
const members = memberAccounts(5);
const record = (i: number) => farmRecord(i);

function makeChain() {
  const chain = farmChain(members);
  const grant = chain.grants.get(7n)!;
  chain.grants.set(8n, { ...grant, id: 8n, grantee: otherPartner.address });
  chain.grants.set(9n, {
    ...grant,
    id: 9n,
    grantee: requester.address,
    approvedAtBlock: null,
    start: null,
    end: null,
  });
  return chain;
}

const count = { type: "aggregate", measures: [{ fn: "count" }] };

for (const store of stores) {
  describe(`gateway abuse (${store.name})`, () => {
    let db: Db;
    let app: GatewayApp;
    let options: GatewayRoutesOptions;
    const tokens: string[] = [];

    const request = (
      target: GatewayApp,
      method: string,
      path: string,
      body?: unknown,
      headers: Record<string, string> = {},
    ) =>
      requestJson<{ error?: { code: string; message: string } } & Record<string, unknown>>(
        target,
        method,
        path,
        body,
        headers,
        {},
      );
    const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      request(app, method, path, body, headers);
    const auth = bearer;
    const countOf = async (table: string) =>
      Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    /** Everything a request could write. */
    const footprint = async () =>
      JSON.stringify(
        await Promise.all(
          [
            "gateway_access_log",
            "gateway_partner_nonces",
            "gateway_sessions",
            "gateway_siwe_nonces",
            "gateway_records",
            "gateway_member_sets",
          ].map(countOf),
        ),
      );

    const siweLogin = (account: PrivateKeyAccount, twin = false) =>
      loginWithSiwe(call, account, twin ? highSTwin : undefined);

    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      options = {
        db,
        chain: makeChain(),
        keys: randomKeys(),
        domain: DOMAIN,
        siwe: SIWE,
        partnerRequestsPerMinute: 100_000,
        memberRequestsPerMinute: 100_000,
        counters: new GatewayCounters(),
      };
      app = gatewayRoutes(options);
      assert.equal((await call("POST", "/datasets/1/schema", farmDocument)).status, 200);
      for (const [i, m] of members.entries()) {
        const login = await siweLogin(m);
        assert.equal(login.status, 200, login.text);
        tokens.push(login.json.token as string);
        const res = await call(
          "POST",
          "/datasets/1/records",
          { records: [{ recordId: "a", values: record(i) }] },
          auth(tokens[i]),
        );
        assert.equal(res.status, 200, res.text);
      }
      assert.equal((await call("POST", "/query", await signedQuery(count))).status, 200);
    });
    after(async () => db.close());

    it("logs nothing for 40 random keys signing queries, and counts them", async () => {
      const before = await footprint();
      const counted = options.counters?.snapshot().no_grant ?? 0;
      for (let i = 0; i < 40; i++) {
        const stranger = privateKeyToAccount(generatePrivateKey());
        const res = await call(
          "POST",
          "/query",
          await signedQuery(count, { account: stranger, grantId: BigInt(i % 3) + 7n }),
        );
        assert.deepEqual([res.status, res.json.error?.code], [403, "no_grant"], res.text);
        assert.equal("details" in (res.json.error ?? {}), false, "no log entry to point to");
      }
      assert.equal(await footprint(), before, "no entry, no nonce, nothing stored");
      assert.equal(options.counters!.snapshot().no_grant, counted + 40);
      // A signer who holds a grant of this co-op has standing: its attempt on another's grant is logged.
      const logged = await countOf("gateway_access_log");
      const res = await call("POST", "/query", await signedQuery(count, { account: otherPartner }));
      assert.deepEqual([res.status, res.json.error?.code], [403, "not_grantee"]);
      assert.equal(await countOf("gateway_access_log"), logged + 1);
      assert.equal((await verifyLog(db)).ok, true);
    });

    it("gives an access request no standing until the members approve it", async () => {
      // Everything but sign-in nonces, which anyone may ask for (rate-limited for everyone together).
      const written = async () =>
        Promise.all(
          [
            "gateway_access_log",
            "gateway_partner_nonces",
            "gateway_sessions",
            "gateway_records",
          ].map(countOf),
        );
      const before = await written();
      const pending = await call(
        "POST",
        "/query",
        await signedQuery(count, { account: requester, grantId: 9n }),
      );
      assert.deepEqual([pending.status, pending.json.error?.code], [403, "no_grant"], pending.text);
      const login = await siweLogin(requester);
      assert.deepEqual([login.status, login.json.error?.code], [403, "no_standing"], login.text);
      assert.deepEqual(await written(), before, "no entry, no nonce, no session");
      // Approved by a vote: from then on its queries are decided and logged.
      const chain = options.chain as TestChain;
      chain.grants.set(9n, {
        ...chain.grants.get(9n)!,
        approvedAtBlock: 12n,
        start: NOW - 10n,
        end: NOW + 1000n,
      });
      const logged = await countOf("gateway_access_log");
      const approved = await call(
        "POST",
        "/query",
        await signedQuery(count, { account: requester, grantId: 9n }),
      );
      assert.equal(approved.status, 200, approved.text);
      assert.equal(await countOf("gateway_access_log"), logged + 1);
    });

    it("signs in members and grantees only, and writes nothing for anyone else", async () => {
      for (const account of [partner, otherPartner, members[0]]) {
        const res = await siweLogin(account);
        assert.equal(res.status, 200, res.text);
      }
      const before = await countOf("gateway_sessions");
      for (let i = 0; i < 5; i++) {
        const res = await siweLogin(privateKeyToAccount(generatePrivateKey()));
        assert.deepEqual([res.status, res.json.error?.code], [403, "no_standing"], res.text);
      }
      assert.equal(await countOf("gateway_sessions"), before);
    });

    it("refuses erasure by a signed-in non-member with 403, writing nothing", async () => {
      const login = await siweLogin(partner);
      const token = login.json.token as string;
      const before = await footprint();
      for (const body of [{}, { recordIds: ["a"] }]) {
        const res = await call("POST", "/datasets/1/records/erase", body, auth(token));
        assert.deepEqual([res.status, res.json.error?.code], [403, "not_member"], res.text);
      }
      assert.equal(await footprint(), before);
      // A member erasing nothing writes nothing either.
      const nothing = await call(
        "POST",
        "/datasets/1/records/erase",
        { recordIds: ["zz"] },
        auth(tokens[0]),
      );
      assert.equal(nothing.status, 404);
      assert.equal(await footprint(), before);
    });

    it("treats a schema document already held as a no-op, and bounds the rate of publication", async () => {
      const revision = async () =>
        (
          await db.query<{ revision: string }>(
            "SELECT revision FROM gateway_datasets WHERE dataset_id = 1",
          )
        ).rows[0].revision;
      const was = await revision();
      const accepted = await db.query("SELECT accepted_at FROM gateway_datasets");
      for (let i = 0; i < 5; i++) {
        const res = await call("POST", "/datasets/1/schema", farmDocument);
        assert.equal(res.status, 200, res.text);
      }
      assert.equal(await revision(), was, "no rebuild of the in-memory columns");
      assert.deepEqual(
        (await db.query("SELECT accepted_at FROM gateway_datasets")).rows,
        accepted.rows,
      );
      // In a later minute (the limit's window is the clock's), with room for 3 publications.
      const limited = gatewayRoutes({
        ...options,
        now: () => NOW + 3600n,
        schemaPublicationsPerMinute: 3,
      });
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await request(limited, "POST", "/datasets/1/schema", farmDocument)).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    });

    describe("the high-s twin of a signature is refused with 401 signature_high_s", () => {
      it("on a partner's query", async () => {
        const body = await signedQuery(count);
        const twin = highSTwin(body.signature);
        // The twin is a valid signature of the same request by the same key.
        const recovered = await recoverTypedDataAddress({
          domain: gatewayDomain(DOMAIN),
          types: queryRequestTypes,
          primaryType: "QueryRequest",
          message: queryRequestMessage({
            grantId: 7n,
            datasetId: 1n,
            query: count,
            nonce: BigInt(body.nonce),
            deadline: BigInt(body.deadline),
          }),
          signature: twin,
        });
        assert.equal(recovered, partner.address);
        const before = await footprint();
        const res = await call("POST", "/query", { ...body, signature: twin });
        assert.deepEqual([res.status, res.json.error?.code], [401, "signature_high_s"], res.text);
        assert.equal(await footprint(), before);
        // The low-s original still works (its nonce was not used).
        assert.equal((await call("POST", "/query", body)).status, 200);
      });

      it("on sign-in", async () => {
        const before = await countOf("gateway_sessions");
        const res = await siweLogin(members[1], true);
        assert.deepEqual([res.status, res.json.error?.code], [401, "signature_high_s"], res.text);
        assert.equal(await countOf("gateway_sessions"), before);
        const message = "any text";
        const sig = await members[1].signMessage({ message });
        assert.equal(
          await recoverMessageAddress({ message, signature: highSTwin(sig) }),
          members[1].address,
        );
      });

      it("on a signed contribution", async () => {
        const body = await signedContribution(members[2], [{ recordId: "hs", values: record(2) }]);
        const before = await footprint();
        const res = await call("POST", "/datasets/1/records/signed", {
          ...body,
          signature: highSTwin(body.signature),
        });
        assert.deepEqual([res.status, res.json.error?.code], [401, "signature_high_s"], res.text);
        assert.equal(await footprint(), before);
        assert.equal((await call("POST", "/datasets/1/records/signed", body)).status, 200);
      });
    });

    it("bounds a body's depth before hashing or checking a signature, whatever its shape", async () => {
      const nest = (depth: number, open: string, close: string, leaf = "1") =>
        open.repeat(depth) + leaf + close.repeat(depth);
      const deep = {
        arrays: nest(5000, "[", "]"),
        objects: nest(5000, '{"a":', "}"),
        mixed: nest(2500, '{"a":[', "]}"),
        justOver: nest(65, "[", "]"),
      };
      const signed = await signedContribution(members[3], [{ recordId: "d", values: record(3) }]);
      const query = await signedQuery(count);
      const bodies: [string, string][] = [];
      for (const [shape, value] of Object.entries(deep)) {
        // A signed contribution whose record's value is nested 5,000 levels (its signature is wrong,
        // which the gateway must not even get to), in the records array, and in the envelope.
        const envelope = JSON.stringify({
          ...signed,
          records: [{ recordId: "d", values: { crop: 0 } }],
        });
        bodies.push([`signed values (${shape})`, envelope.replace('"crop":0', `"crop":${value}`)]);
        bodies.push([
          `signed records (${shape})`,
          JSON.stringify(signed).replace(/"records":\[/, `"records":[${value},`),
        ]);
        bodies.push([
          `signed envelope (${shape})`,
          `{"x":${value},${JSON.stringify(signed).slice(1)}`,
        ]);
        bodies.push([
          `query (${shape})`,
          JSON.stringify({ ...query, query: 0 }).replace('"query":0', `"query":${value}`),
        ]);
      }
      const paths = [
        "/datasets/1/records/signed",
        "/datasets/1/records",
        "/query",
        "/auth/login",
        "/datasets/1/schema",
      ];
      const before = await footprint();
      for (const path of paths) {
        for (const [name, text] of bodies) {
          const res = await call("POST", path, text, auth(tokens[3]));
          assert.deepEqual(
            [res.status, res.json.error?.code],
            [400, "body_too_deep"],
            `${path}, ${name}: ${res.text.slice(0, 200)}`,
          );
        }
      }
      // Numbers JSON can write but not hold: 1e999 is Infinity once parsed.
      for (const path of paths) {
        const text = JSON.stringify(signed).replace('"age":33', '"age":1e999');
        const res = await call("POST", path, text, auth(tokens[3]));
        assert.deepEqual(
          [res.status, res.json.error?.code],
          [400, "body_invalid"],
          `${path}: ${res.text}`,
        );
      }
      assert.equal(await footprint(), before);
      // A legitimate body well inside the bounds still passes.
      assert.equal((await call("POST", "/datasets/1/records/signed", signed)).status, 200);
    });

    it("answers 400, never 500, to numbers out of range anywhere", async () => {
      const before = await footprint();
      const epsilons = [1e-308, 5e-324, -0, 1e308, 11, -1];
      for (const epsilon of epsilons) {
        const res = await call("POST", "/query", await signedQuery({ ...count, epsilon }));
        assert.ok(
          res.status >= 400 && res.status < 500,
          `epsilon ${epsilon}: ${res.status} ${res.text}`,
        );
      }
      for (const q of [
        "before=1e300",
        "before=99999999999999999999",
        "limit=1e400",
        "before=-1",
        "before=1.5",
      ]) {
        const res = await call("GET", `/me/accesses?${q}`, undefined, auth(tokens[0]));
        assert.deepEqual(
          [res.status, res.json.error?.code],
          [400, "invalid_request"],
          `${q}: ${res.text}`,
        );
      }
      for (const q of ["limit=1e400", "limit=0", "limit=-5"]) {
        const res = await call("GET", `/datasets/1/records?${q}`, undefined, auth(tokens[0]));
        assert.equal(res.status, 400, `${q}: ${res.text}`);
      }
      for (const id of ["1e3", "99999999999999999999", "-1", "0"]) {
        const res = await call("GET", `/datasets/${id}/records`, undefined, auth(tokens[0]));
        assert.equal(res.status, 400, `${id}: ${res.text}`);
      }
      // Query values at the edge of what a float can hold.
      for (const value of [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324]) {
        const res = await call(
          "POST",
          "/query",
          await signedQuery({ ...count, where: [{ field: "age", op: "lt", value }] }),
        );
        assert.ok(res.status < 500, `${value}: ${res.status} ${res.text}`);
      }
      assert.ok(JSON.parse(await footprint())[0] >= JSON.parse(before)[0]);
    });

    it("shares every rate limit between gateway processes on one store", async () => {
      // Two processes: two sets of routes over one fresh store, each with its own memory, one clock.
      const shared = await store.open();
      try {
        await migrate(shared, gatewayMigrations);
        const limits = {
          ...options,
          db: shared,
          now: () => NOW,
          partnerRequestsPerMinute: 4,
          memberRequestsPerMinute: 3,
          signInsPerMinute: 6,
          schemaPublicationsPerMinute: 2,
        };
        const a = gatewayRoutes(limits);
        const b = gatewayRoutes(limits);
        const alternate = async (
          n: number,
          send: (app: typeof a) => Promise<{ status: number }>,
        ) => {
          const statuses: number[] = [];
          for (let i = 0; i < n; i++) statuses.push((await send(i % 2 ? a : b)).status);
          return statuses;
        };
        const schemas = await alternate(6, (app) =>
          request(app, "POST", "/datasets/1/schema", farmDocument),
        );
        assert.deepEqual(schemas, [200, 200, 429, 429, 429, 429]);
        const queries = await alternate(10, async (app) =>
          request(app, "POST", "/query", await signedQuery(count)),
        );
        assert.deepEqual(queries.filter((s) => s !== 429).length, 4, JSON.stringify(queries));
        // Sign-in: one budget for everyone (nonces and logins), shared too.
        const nonces = await alternate(10, (app) => request(app, "GET", "/auth/nonce"));
        assert.deepEqual(nonces, [200, 200, 200, 200, 200, 200, 429, 429, 429, 429]);
        // A member's listing, through a session opened before the limits were reached.
        const fresh = gatewayRoutes({ ...limits, signInsPerMinute: 100 });
        const { json } = await request(fresh, "GET", "/auth/nonce");
        const message = createSiweMessage({
          address: members[4].address,
          chainId: CHAIN_ID,
          domain: SIWE.domain,
          uri: SIWE.uri,
          version: "1",
          nonce: json.nonce as string,
          issuedAt: new Date(),
        });
        const login = await request(fresh, "POST", "/auth/login", {
          message,
          signature: await members[4].signMessage({ message }),
        });
        assert.equal(login.status, 200, login.text);
        const listings = await alternate(8, (app) =>
          request(app, "GET", "/me/accesses", undefined, auth(login.json.token as string)),
        );
        assert.deepEqual(listings, [200, 200, 200, 429, 429, 429, 429, 429]);
      } finally {
        await shared.close();
      }
    });
  });
}
