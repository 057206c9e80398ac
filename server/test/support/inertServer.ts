/**
 * The server's HTTP app with every part mounted (/api, /gateway, /relayer, /proofs) on an empty in-memory
 * store, and nothing that reaches a chain: the relayer refuses every call it gets, the operator has no
 * key. For what needs the routes but not a co-op: the OpenAPI document (scripts/generate-api.ts) and the
 * tests of the HTTP edge every route shares.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { CONTRACT_NAMES } from "@datacoop/protocol/contracts";
import type { Deployment } from "@datacoop/protocol/deployment";
import { createPublicClient, http, zeroAddress, type Address } from "viem";
import { sqlChainView } from "../../src/follower/chainView.ts";
import { randomKeys } from "../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { createServer } from "../../src/http/app.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { createOperator } from "../../src/operator/operator.ts";
import { openDb, type Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";

/** A co-op on a chain that is not the local one (so that no operator key is assumed). */
export const INERT_CHAIN_ID = 1_000_001;

export async function inertServer(): Promise<{ app: OpenAPIHono; db: Db; close(): Promise<void> }> {
  const db = await openDb();
  await migrate(db, gatewayMigrations);
  await migrate(db, auditMigrations);
  const chainId = INERT_CHAIN_ID;
  const contracts = Object.fromEntries(
    CONTRACT_NAMES.map((name): [string, Address] => [name, zeroAddress]),
  ) as Deployment["contracts"];
  const transport = http("http://127.0.0.1:9");
  const keys = randomKeys();
  const operator = createOperator({
    db,
    client: createPublicClient({ transport }),
    transport,
    deployment: { network: "inert", chainId, startBlock: 0, contracts },
    keys,
    intervalMs: 60_000,
    every: 1,
    allocateOnGrantEnd: false,
  });
  const refuse = () => Promise.reject(new Error("an inert server relays nothing"));
  const { app } = createServer({
    db,
    follower: {
      status: () => ({
        phase: "idle",
        migrated: false,
        caughtUp: false,
        checkpoint: null,
        head: null,
        error: null,
      }),
    },
    gateway: {
      db,
      chain: sqlChainView({ chainId, confirmations: 0 }),
      keys,
      domain: { chainId, registry: zeroAddress },
      siwe: { domain: "127.0.0.1:5173", uri: "http://127.0.0.1:5173", chainId },
    },
    relayer: { submit: refuse, relay: refuse, state: refuse },
    proofs: operator.proofs,
  });
  return { app, db, close: () => db.close() };
}
