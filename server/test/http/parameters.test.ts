/**
 * Every path and query parameter the server describes, given numbers and strings out of every range:
 * 1e300, twenty nines, -1, 1.5, NaN, Infinity, hex, empty, spaces, a NUL, 10,000 characters. Generated from
 * the server's own OpenAPI document (so a route added later is walked too); each answer must be a 4xx
 * with `{ error: { code, message } }`, or a 200 — never a 500. On both stores.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { coreMigrations } from "../../src/store/core.ts";
import { domain } from "../../src/follower/domain.ts";
import { createServer, type Server } from "../../src/http/app.ts";
import { randomKeys } from "../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { LogTree } from "../../src/operator/logTree.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { stores } from "../support/stores.ts";
import { TestChain } from "../gateway/testChain.ts";

const HOSTILE = [
  "1e300",
  "1e400",
  "99999999999999999999",
  "9".repeat(80),
  "-1",
  "0",
  "1.5",
  "NaN",
  "Infinity",
  "-Infinity",
  "0x10",
  "",
  " 1",
  "1 ",
  "%00",
  "1%00",
  "'; DROP TABLE blocks; --",
  "x".repeat(10_000),
];

const member = privateKeyToAccount(`0x${"4d".repeat(32)}`);

type Json = Record<string, any>;

for (const store of stores) {
  describe(`every described parameter out of range (${store.name})`, () => {
    let db: Db;
    let server: Server;
    /** A member's session, sent with every request so that the member's routes get past sign-in. */
    let session = "";

    before(async () => {
      db = await store.open();
      await migrate(db, [...coreMigrations, ...domain.migrations]);
      await migrate(db, gatewayMigrations);
      await migrate(db, auditMigrations);
      const chain = new TestChain({
        latestBlock: 1n,
        latestTime: 1n,
        finalizedBlock: 0n,
        registryPaused: false,
      });
      chain.consent.set(member.address.toLowerCase(), {
        isMember: true,
        memberSince: 1n,
        consentMask: 1n,
        consentSetAt: 1n,
        grantChoice: "default",
        grantChoiceAt: null,
      });
      server = createServer({
        db,
        follower: {
          status: () => ({
            phase: "following",
            migrated: true,
            caughtUp: true,
            checkpoint: null,
            head: null,
            error: null,
          }),
        } as never,
        gateway: {
          db,
          chain,
          keys: randomKeys(),
          domain: { chainId: 31337, registry: getAddress(`0x${"12".repeat(20)}`) },
          siwe: { domain: "coop.example", uri: "https://coop.example", chainId: 31337 },
          memberRequestsPerMinute: 1e9,
          partnerRequestsPerMinute: 1e9,
        },
        proofs: { db, tree: new LogTree() },
      });
      const nonce = (await (await server.app.request("/gateway/auth/nonce")).json()) as Json;
      const message = createSiweMessage({
        address: member.address,
        chainId: 31337,
        domain: "coop.example",
        uri: "https://coop.example",
        version: "1",
        nonce: nonce.nonce,
        issuedAt: new Date(),
      });
      const login = await server.app.request("/gateway/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ message, signature: await member.signMessage({ message }) }),
      });
      assert.equal(login.status, 200);
      session = ((await login.json()) as Json).token;
    });
    after(async () => db.close());

    it("answers 4xx or 200, never 500, to every hostile value of every parameter", async () => {
      const docs: [string, Json][] = [];
      for (const path of ["/openapi.json", "/gateway/openapi.json", "/proofs/openapi.json"]) {
        const res = await server.app.request(path);
        assert.equal(res.status, 200, path);
        docs.push([path.replace("/openapi.json", ""), (await res.json()) as Json]);
      }
      let tried = 0;
      const seen = new Set<string>();
      for (const [prefix, doc] of docs) {
        for (const [template, item] of Object.entries(doc.paths as Json)) {
          const full = template.startsWith(prefix) ? template : `${prefix}${template}`;
          for (const [method, op] of Object.entries(item as Json)) {
            if (!["get", "post"].includes(method)) continue;
            const params: Json[] = op.parameters ?? [];
            if (params.length === 0 || seen.has(`${method} ${full}`)) continue;
            seen.add(`${method} ${full}`);
            for (const target of params) {
              for (const value of HOSTILE) {
                let path = full;
                const query = new URLSearchParams();
                for (const p of params) {
                  const v = p === target ? value : p.in === "path" ? "1" : undefined;
                  if (p.in === "path")
                    path = path.replace(`{${p.name}}`, encodeURIComponent(v ?? "1"));
                  else if (v !== undefined) query.set(p.name, v);
                }
                const url = `${path}${query.size ? `?${query.toString()}` : ""}`;
                const res = await server.app.request(url, {
                  method: method.toUpperCase(),
                  headers: {
                    authorization: `Bearer ${session}`,
                    ...(method === "post" ? { "content-type": "application/json" } : {}),
                  },
                  ...(method === "post" ? { body: "{}" } : {}),
                });
                const text = await res.text();
                tried++;
                assert.notEqual(res.status, 429, "no limit hides an answer");
                assert.ok(
                  res.status < 500,
                  `${method} ${url.slice(0, 200)} → ${res.status} ${text.slice(0, 200)}`,
                );
                if (res.status >= 400) {
                  const body = JSON.parse(text) as Json;
                  assert.equal(
                    typeof body.error?.code,
                    "string",
                    `${url.slice(0, 120)}: ${text.slice(0, 200)}`,
                  );
                }
              }
            }
          }
        }
      }
      assert.ok(seen.size >= 10, `only ${seen.size} routes with parameters`);
      assert.ok(tried > 300, `${tried} requests`);
    });
  });
}
