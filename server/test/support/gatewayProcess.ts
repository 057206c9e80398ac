/**
 * One gateway process for the several-processes test (test/gateway/serving/processes.test.ts): run as
 * `node test/support/gatewayProcess.ts`, it opens the Postgres store named by its environment, serves the
 * gateway's routes over HTTP on a free port (printing `{ "event": "listening", "port" }`), and stops on
 * SIGTERM. Every process run with the same environment sees the same chain (`processChain`): the test's
 * partners, grants, members' consent and the privacy cap, so they differ only in what they keep in memory.
 */
import path from "node:path";
import { serve } from "@hono/node-server";
import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { openDb } from "../../src/store/db.ts";
import { keysFromSecret } from "../../src/gateway/auth/keys.ts";
import type { GrantFacts } from "../../src/gateway/query/policy.ts";
import { gatewayRoutes } from "../../src/gateway/serving/routes.ts";
import { ALL_FIELDS, farmDocument } from "../gateway/fixtures.ts";
import { TestChain } from "../gateway/testChain.ts";
import { CHAIN_ID, REGISTRY, SIWE } from "./gatewayRoutes.ts";

export const PROCESS_MEMBERS = 24;
/** The co-op's cap in millionths of ε: a few dozen of the test's queries reach it. */
export const PROCESS_CAP = 1_000_000n;
/** Partners 1–3 hold grants 1–6 (two each); partner 4 holds grant 7 (its rate limit is tested). */
export const processPartners = [1, 2, 3, 4].map((i) =>
  privateKeyToAccount(`0x${String(i + 4).repeat(64)}`),
);
export const processMember = (i: number) =>
  getAddress(`0x${(0x5000 + i).toString(16).padStart(40, "0")}`);

/** The chain every process of one test sees, as of `now` (unix seconds). */
export function processChain(now: bigint): TestChain {
  const chain = new TestChain({
    latestBlock: 20n,
    latestTime: now,
    finalizedBlock: 15n,
    registryPaused: false,
  });
  chain.cap = { epsilonMillionths: PROCESS_CAP, periodSeconds: 365n * 86_400n, since: 0n };
  chain.datasets.set(1n, {
    datasetId: 1n,
    schemaHash: canonicalHash(farmDocument),
    fields: farmDocument.fields.map((f) => f.name),
  });
  for (let g = 1; g <= 7; g++) {
    const grant: GrantFacts = {
      id: BigInt(g),
      grantee: processPartners[Math.min(3, Math.floor((g - 1) / 2))].address,
      datasetId: 1n,
      purpose: g % 2,
      scope: { fields: ALL_FIELDS, rowLevel: false, k: 3 },
      start: now - 1000n,
      end: now + 10_000_000n,
      approvedAtBlock: 10n,
      revokedAtBlock: null,
    };
    chain.grants.set(grant.id, grant);
  }
  for (let i = 0; i < PROCESS_MEMBERS; i++) {
    chain.consent.set(processMember(i).toLowerCase(), {
      isMember: true,
      memberSince: 1n,
      // Everyone consents to purpose 0, the even members to purpose 1 too.
      consentMask: i % 2 === 0 ? 0b11n : 0b01n,
      consentSetAt: 2n,
      grantChoice: "default",
      grantChoiceAt: null,
    });
  }
  return chain;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const now = BigInt(env("GW_NOW"));
  const db = await openDb({ databaseUrl: env("GW_DATABASE_URL"), schema: env("GW_SCHEMA") });
  const app = gatewayRoutes({
    db,
    chain: processChain(now),
    keys: keysFromSecret(env("GW_KEYS")),
    domain: { chainId: CHAIN_ID, registry: REGISTRY },
    siwe: SIWE,
    // One clock for every process: the rate limits' window is the same one for the whole test.
    now: () => now,
    partnerRequestsPerMinute: Number(env("GW_PARTNER_LIMIT")),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
    console.log(JSON.stringify({ event: "listening", port: info.port, pid: process.pid }));
  });
  process.on("SIGTERM", () => {
    server.close(() => {
      void db.close().then(() => process.exit(0));
    });
  });
}
