/**
 * `createNode(config)`: the one composition root of the co-op's server. It opens the store (or takes an
 * open one), runs every part's migrations, and wires the chain follower, the data gateway, the gateway
 * operator (access-log tree, anchoring, by-use revenue, /proofs), the relayer and the HTTP app as
 * `npm run server` runs them. main.ts (the CLI), the tests, the benchmarks and the dApp's end-to-end runs
 * all build their server here, so none of them wires the parts by hand.
 *
 * Nothing runs until `start()`: it listens, starts the relayer (resuming pending relays), the operator's
 * loop and the follower. `stop()` stops them and closes the store if the node opened it.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Deployment } from "@datacoop/protocol/deployment";
import { createPublicClient, http, webSocket, type PublicClient, type Transport } from "viem";
import { sqlChainView } from "./follower/chainView.ts";
import { domain } from "./follower/domain.ts";
import {
  createFollower,
  type Follower,
  type FollowerOptions,
  type ProgressListener,
} from "./follower/follower.ts";
import { randomKeys, type GatewayKeys } from "./gateway/auth/keys.ts";
import type { SiweConfig } from "./gateway/auth/memberAuth.ts";
import { gatewayMigrations } from "./gateway/migrations.ts";
import type { GatewayRoutesOptions } from "./gateway/serving/routes.ts";
import { createServer, type Server } from "./http/app.ts";
import { silentLogger, type Logger } from "./log.ts";
import { auditMigrations } from "./operator/migrations.ts";
import { createOperator, type Operator } from "./operator/operator.ts";
import { relayerMigrations } from "./relayer/migrations.ts";
import { createRelayer, type Relayer, type RelayerOptions } from "./relayer/relayer.ts";
import { openDb, type Db, type OpenDbOptions } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";

export type { Db, OpenDbOptions };
export type { GatewayKeys };

export interface NodeConfig {
  deployment: Deployment;
  /** The chain's JSON-RPC endpoint (http(s) or ws(s)). */
  rpcUrl: string;
  /** The client the follower, the relayer and the operator read the chain with (default: over `transport`). */
  client?: PublicClient;
  /** The transport the operator's wallet sends with (default: {@link rpcTransport} of rpcUrl). */
  transport?: Transport;
  /** An open store (closing it is then left to the caller), or where to open one (default: PGlite in memory). */
  store?: Db | OpenDbOptions;
  follower?: {
    /** Blocks behind the head left unindexed (default 0); the gateway's chain view waits for them too. */
    confirmations?: number;
    maxReorgDepth?: number;
    chunkSize?: number;
    /** Milliseconds between polls once caught up (default 250). */
    pollIntervalMs?: number;
    progress?: ProgressListener;
    onCommit?: FollowerOptions["onCommit"];
  };
  gateway?: {
    /** The gateway's keys (member pseudonyms, access-log commitments); default: fresh random keys. */
    keys?: GatewayKeys;
    /** Sign-In with Ethereum: where members sign in from (default: the dApp at http://127.0.0.1:5173). */
    siwe?: SiweConfig;
  } & Pick<
    GatewayRoutesOptions,
    "maxBodyBytes" | "partnerRequestsPerMinute" | "memberRequestsPerMinute" | "signInsPerMinute"
  >;
  /**
   * The gateway operator: the access log's proofs and by-use distributions under /proofs, the anchoring
   * loop and by-use allocations when grants end. On unless `false`; it sends only with a key.
   */
  operator?:
    | false
    | {
        /** OPERATOR_PRIVATE_KEY; without it, on the local chain (31337), Hardhat's account 8. */
        privateKey?: `0x${string}`;
        /** Anchor at least this often while entries wait (default 60 s). */
        intervalMs?: number;
        /** Anchor as soon as this many entries wait (default 1,000). */
        every?: number;
        /** Post by-use distributions when a grant ends (default true). */
        allocateOnGrantEnd?: boolean;
      };
  /** The relayer (members' signed votes and consent changes), paid by `account`. Off when absent. */
  relayer?: Omit<RelayerOptions, "db" | "client" | "deployment" | "logger">;
  http?: {
    /** Browser origins allowed to call the APIs (default: the sign-in origin, where the dApp runs). */
    corsOrigins?: readonly string[];
    /** Shown in the OpenAPI document. */
    version?: string;
  };
  logger?: Logger;
}

export interface StartOptions {
  /** 0 (the default): any free port. */
  port?: number;
  host?: string;
  /** Run the follower (default true). */
  follow?: boolean;
  /** Run the operator's loop: anchoring and allocations (default true; false lets a test drive it). */
  operate?: boolean;
}

export interface CoopNode {
  deployment: Deployment;
  db: Db;
  client: PublicClient;
  follower: Follower;
  keys: GatewayKeys;
  /** Where members sign in from. */
  siwe: SiweConfig;
  operator?: Operator;
  relayer?: Relayer;
  server: Server;
  /** The HTTP app, to call in process (`app.request(...)`) without listening. */
  app: OpenAPIHono;
  /** Listens, then starts the relayer, the operator's loop and the follower; resolves with the bound port. */
  start(options?: StartOptions): Promise<number>;
  /** The follower's run once started: settles when it stops, rejects when it fails. */
  running?: Promise<void>;
  /** Waits until the follower has indexed `block` (default: the chain's latest); throws if it failed. */
  indexed(block?: bigint, timeoutMs?: number): Promise<void>;
  /** Stops the follower, the relayer, the operator and the HTTP server; closes the store if the node opened it. */
  stop(): Promise<void>;
}

/** The transport the CLI uses for an RPC URL: batched HTTP with retries, or a WebSocket. */
export function rpcTransport(rpcUrl: string): Transport {
  return rpcUrl.startsWith("ws")
    ? webSocket(rpcUrl, { retryCount: 3 })
    : http(rpcUrl, {
        batch: { batchSize: 100, wait: 0 },
        retryCount: 3,
        // A chunk's eth_getLogs answer can be large (up to ~10,000 logs).
        maxResponseBodySize: 256 * 1024 * 1024,
      });
}

function isDb(store: NodeConfig["store"]): store is Db {
  return store !== undefined && "transaction" in store && "query" in store;
}

export const DEFAULT_SIWE_URI = "http://127.0.0.1:5173";

/** Builds the node: opens the store and migrates it, creates every part. Errors say which part failed. */
export async function createNode(config: NodeConfig): Promise<CoopNode> {
  const { deployment } = config;
  const logger = config.logger ?? silentLogger;
  const transport = config.transport ?? rpcTransport(config.rpcUrl);
  const client = config.client ?? (createPublicClient({ transport }) as PublicClient);
  const ownsDb = !isDb(config.store);
  const db = isDb(config.store)
    ? config.store
    : await openDb(config.store ?? {}).catch((error: Error) => {
        throw new Error(`Cannot open the store: ${error.message}`, { cause: error });
      });
  try {
    const confirmations = config.follower?.confirmations ?? 0;
    const follower = createFollower({
      db,
      client,
      deployment,
      domain,
      confirmations,
      maxReorgDepth: config.follower?.maxReorgDepth,
      chunkSize: config.follower?.chunkSize,
      pollInterval: config.follower?.pollIntervalMs,
      logger,
      progress: config.follower?.progress,
      onCommit: config.follower?.onCommit,
    });
    await follower.migrate();
    await migrate(db, gatewayMigrations);
    await migrate(db, auditMigrations);

    let relayer: Relayer | undefined;
    if (config.relayer) {
      await migrate(db, relayerMigrations);
      relayer = await createRelayer({ ...config.relayer, db, client, deployment, logger }).catch(
        (error: Error) => {
          throw new Error(`Cannot start the relayer: ${error.message}`, { cause: error });
        },
      );
    }

    const keys = config.gateway?.keys ?? randomKeys();
    const operatorConfig = config.operator === false ? undefined : (config.operator ?? {});
    const operator = operatorConfig
      ? createOperator({
          db,
          client,
          transport,
          deployment,
          keys,
          operatorKey: operatorConfig.privateKey,
          intervalMs: operatorConfig.intervalMs ?? 60_000,
          every: operatorConfig.every ?? 1_000,
          allocateOnGrantEnd: operatorConfig.allocateOnGrantEnd ?? true,
          logger,
        })
      : undefined;

    const siwe: SiweConfig = config.gateway?.siwe ?? {
      domain: new URL(DEFAULT_SIWE_URI).host,
      uri: DEFAULT_SIWE_URI,
      chainId: deployment.chainId,
    };
    const { keys: _keys, siwe: _siwe, ...limits } = config.gateway ?? {};
    const server = createServer({
      db,
      follower,
      logger,
      version: config.http?.version,
      corsOrigins: config.http?.corsOrigins ?? [new URL(siwe.uri).origin],
      gateway: {
        ...limits,
        db,
        chain: sqlChainView({ chainId: deployment.chainId, confirmations }),
        keys,
        domain: { chainId: deployment.chainId, registry: deployment.contracts.registry },
        siwe,
      },
      relayer,
      ...(operator ? { proofs: operator.proofs } : {}),
    });

    let listening = false;
    const node: CoopNode = {
      deployment,
      db,
      client,
      follower,
      keys,
      siwe,
      operator,
      relayer,
      server,
      app: server.app,
      async start({ port = 0, host = "127.0.0.1", follow = true, operate = true } = {}) {
        const bound = await server.listen(port, host).catch((error: Error) => {
          throw new Error(`Cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
        });
        listening = true;
        await relayer?.start();
        if (operate) await operator?.start();
        if (follow) node.running = follower.run();
        return bound;
      },
      async indexed(block, timeoutMs = 20_000) {
        // cacheTime 0: viem otherwise answers from a cache up to 4 s old.
        const target = block ?? (await client.getBlockNumber({ cacheTime: 0 }));
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const s = follower.status();
          if (s.phase === "failed") throw new Error(`The follower failed: ${s.error?.message}`);
          if (s.checkpoint && s.checkpoint.number >= target) return;
          if (Date.now() > deadline) throw new Error(`Block ${target} was not indexed in time`);
          await new Promise((r) => setTimeout(r, 20));
        }
      },
      async stop() {
        // The follower finishes the transaction in progress; then nothing writes any more.
        await follower.stop();
        await node.running?.catch(() => undefined);
        await relayer?.stop();
        await operator?.stop();
        if (listening) {
          await server
            .close()
            .catch((error: Error) => logger.warn({ err: error.message }, "server close"));
        }
        if (ownsDb) await db.close();
      },
    };
    return node;
  } catch (error) {
    if (ownsDb) await db.close().catch(() => undefined);
    throw error;
  }
}
