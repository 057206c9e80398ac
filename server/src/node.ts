/**
 * `createNode(config)`: the one composition root of the co-op's server. It opens the store (or takes an
 * open one), runs every part's migrations, and wires the chain follower, the data gateway, the gateway
 * operator (access-log tree, anchoring, by-use revenue, /proofs), the relayer and the HTTP app as
 * `npm run server` runs them. main.ts (the CLI), the tests, the benchmarks and the dApp's end-to-end runs
 * all build their server here, so none of them wires the parts by hand.
 *
 * Nothing runs until `start()`. It first checks what a start must not go past: the access log verifies
 * (entries, member sets, and against the chain's anchors: a log shorter than what the chain anchored is
 * refused, so no anchored sequence number is ever reused). Then it takes the store's writer role
 * (store/writer.ts): the writer listens and runs the relayer (resuming pending relays), the operator's loop
 * and the follower; on a Postgres store another process may already write, and this one then serves as a
 * reader (the read API, the gateway and /proofs from the same store; no follower, anchoring or relaying).
 * `stop()` stops them and closes the store if the node opened it.
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
import type { ChainView } from "./gateway/serving/chainView.ts";
import { createServer, type Server } from "./http/app.ts";
import { silentLogger, type Logger } from "./log.ts";
import { auditMigrations } from "./operator/migrations.ts";
import { createOperator, type Operator } from "./operator/operator.ts";
import { LogTree } from "./operator/logTree.ts";
import { describePortInUse } from "./lifecycle.ts";
import { chainAnchor, createLogVerifier, type LogVerifier } from "./operator/verification.ts";
import { createReadiness } from "./http/ready.ts";
import { CoopError } from "@datacoop/protocol/errors";
import { StoreError } from "./store/errors.ts";
import { checkGatewayKeys } from "./store/keyCheck.ts";
import { describeWriter, takeWriterRole, type WriterRole } from "./store/writer.ts";
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
    /**
     * The gateway's keys (member pseudonyms, access-log commitments); default: fresh random keys. Given
     * keys are checked against the fingerprint the store keeps (store/keyCheck.ts).
     */
    keys?: GatewayKeys;
    /** Accept keys other than the ones the store was written with (ACCEPT_NEW_GATEWAY_SECRET). */
    acceptNewKeys?: boolean;
    /** Sign-In with Ethereum: where members sign in from (default: the dApp at http://127.0.0.1:5173). */
    siwe?: SiweConfig;
    /**
     * Wraps the gateway's view of the indexed chain (default: the SQL view as it is). For chain terms the
     * contracts do not emit yet (the benchmark's exact-mode grants); never needed in production.
     */
    chainView?: (sql: ChainView) => ChainView;
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
  /**
   * auto (default): the store's writer if no other process is, else a reader (Postgres; a PGlite folder
   * has one opener); writer: refuse to start unless this process can be the writer; reader: never write.
   */
  role?: "auto" | "writer" | "reader";
  /** The access log's verification (operator/verification.ts). */
  verification?: {
    /** At start, and refuse to start on a fault (default true). */
    atStart?: boolean;
    /** Then every this many ms (default 1 hour; 0: never). */
    intervalMs?: number;
    /** How long start() retries reading the chain's anchor (default 30 s). */
    chainTimeoutMs?: number;
  };
  http?: {
    /** Browser origins allowed to call the APIs (default: the sign-in origin, where the dApp runs). */
    corsOrigins?: readonly string[];
    /** Shown in the OpenAPI document. */
    version?: string;
    /** A reader's /ready turns 503 when the store has not reached a block of the chain for this long (default 5 s). */
    readyLagMs?: number;
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
  /** The access log's verification, run at start and on a schedule. */
  verifier: LogVerifier;
  /** "writer" once start() took the store's writer role; "reader" otherwise. */
  role(): "writer" | "reader";
  server: Server;
  /** The HTTP app, to call in process (`app.request(...)`) without listening. */
  app: OpenAPIHono;
  /** Listens, then starts the relayer, the operator's loop and the follower; resolves with the bound port. */
  start(options?: StartOptions): Promise<number>;
  /**
   * The follower's run once started (a writer): settles when it stops, rejects when it fails or when
   * another process took the writer's role while this one's connection was lost.
   */
  running?: Promise<void>;
  /** Waits until the follower has indexed `block` (default: the chain's latest); throws if it failed. */
  indexed(block?: bigint, timeoutMs?: number): Promise<void>;
  /**
   * Stops the follower, the relayer, the operator and the HTTP server; closes the store if the node opened
   * it. The server stops listening at once; requests in progress get `httpGraceMs` (default 5 s) to
   * finish, with the store still open, then their connections are cut.
   */
  stop(options?: { httpGraceMs?: number }): Promise<void>;
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

/** The access log refused at start (operator/verification.ts): its code and what to do. */
export class LogRefusedError extends Error {
  override name = "LogRefusedError";
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** One line for a port that cannot be listened on. */
export function describeListenError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
): string {
  if (error.code === "EADDRINUSE") return describePortInUse(port, host, "choose another PORT");
  if (error.code === "EACCES") {
    return `Port ${port} on ${host} needs privileges this process lacks: choose a PORT above 1023.`;
  }
  if (error.code === "EADDRNOTAVAIL") {
    return `Cannot listen on ${host}: no such address on this machine (HOST).`;
  }
  return `Cannot listen on ${host}:${port}: ${error.message}`;
}

/** Builds the node: opens the store and migrates it, creates every part. Errors say which part failed. */
export async function createNode(config: NodeConfig): Promise<CoopNode> {
  const { deployment } = config;
  const logger = config.logger ?? silentLogger;
  const transport = config.transport ?? rpcTransport(config.rpcUrl);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names the untyped reply's shape
  const client = config.client ?? (createPublicClient({ transport }) as PublicClient);
  const ownsDb = !isDb(config.store);
  const db = isDb(config.store)
    ? config.store
    : await openDb({ logger, ...(config.store ?? {}) }).catch((error: Error) => {
        // A StoreError says it all in one line; anything else is named as the store's.
        if (error instanceof StoreError) throw error;
        throw new Error(`Cannot open the store: ${error.message}`, { cause: error });
      });
  try {
    const confirmations = config.follower?.confirmations ?? 0;
    let writer: WriterRole | undefined;
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
      // Nothing is written unless this process holds the writer's role (once start() took it).
      fence: async (tx) => {
        if (writer) await writer.fence(tx);
      },
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
    // Keys given (the configured secret) must be the ones the store was written with.
    if (config.gateway?.keys) {
      const checked = await checkGatewayKeys(db, keys, {
        acceptNew: config.gateway.acceptNewKeys,
      });
      if (checked !== "matched") {
        logger.warn({ event: `gateway_keys_${checked}` }, "gateway secret fingerprint");
      }
    }
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
          // Only the writer sends, and never on a log that failed its verification.
          canSend: () => {
            if (!writer?.held()) return "not_writer";
            const verdict = verifier.last();
            return verdict && !verdict.ok ? "log_unverified" : undefined;
          },
        })
      : undefined;
    const verifier = createLogVerifier({
      db,
      tree: operator?.tree ?? new LogTree(),
      client,
      accessLog: deployment.contracts.accessLog,
      logger,
    });
    let role: "writer" | "reader" = "reader";

    const siwe: SiweConfig = {
      // Passkey accounts sign in and contribute: their signatures are judged on the chain (ERC-1271/6492).
      accounts: client,
      ...(config.gateway?.siwe ?? {
        domain: new URL(DEFAULT_SIWE_URI).host,
        uri: DEFAULT_SIWE_URI,
        chainId: deployment.chainId,
      }),
    };
    const {
      keys: _keys,
      siwe: _siwe,
      acceptNewKeys: _accept,
      chainView,
      ...limits
    } = config.gateway ?? {};
    const sqlView = sqlChainView({ chainId: deployment.chainId, confirmations });
    const server = createServer({
      db,
      follower,
      ready: createReadiness({
        db,
        follower,
        role: () => role,
        client,
        chainId: deployment.chainId,
        confirmations,
        lagMs: config.http?.readyLagMs,
        log: () => {
          const verdict = verifier.last();
          return verdict && { ok: verdict.ok, message: verdict.fault?.message };
        },
      }),
      logger,
      version: config.http?.version,
      corsOrigins: config.http?.corsOrigins ?? [new URL(siwe.uri).origin],
      gateway: {
        ...limits,
        db,
        chain: chainView ? chainView(sqlView) : sqlView,
        keys,
        domain: { chainId: deployment.chainId, registry: deployment.contracts.registry },
        siwe,
        // A member's listing is checked against the anchored tree and the last verification.
        checkAccesses: (accesses) => verifier.checkListed(accesses),
      },
      // A reader relays nothing: the writer's sender alone spends the relayer key.
      ...(relayer
        ? {
            relayer: {
              relay: (id: string) => relayer.relay(id),
              state: () => relayer.state(),
              submit: (request: Parameters<Relayer["submit"]>[0]) =>
                role === "writer"
                  ? relayer.submit(request)
                  : Promise.reject(
                      new CoopError(
                        503,
                        "reader_only",
                        "This server process serves reads only; the co-op's writer process relays.",
                      ),
                    ),
            },
          }
        : {}),
      ...(operator ? { proofs: operator.proofs } : {}),
    });

    let listening = false;
    let verifyTimer: NodeJS.Timeout | undefined;
    let lostWriter: ((error: Error) => void) | undefined;
    const verification = config.verification ?? {};

    /** The access log against the chain's latest anchor and itself, retried while the chain is away. */
    async function verifyAtStart(): Promise<void> {
      const deadline = Date.now() + (verification.chainTimeoutMs ?? 30_000);
      for (let attempt = 0; ; attempt++) {
        try {
          await chainAnchor(client, deployment.contracts.accessLog);
          break;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(
              `Cannot check the access log against the chain's anchors: the chain's node does not answer (${(error as { shortMessage?: string }).shortMessage ?? (error as Error).message}). Start again once it does.`,
              { cause: error },
            );
          }
          await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
        }
      }
      const verdict = await verifier.verify({ chain: true });
      if (!verdict.ok) throw new LogRefusedError(verdict.fault!.code, verdict.fault!.message);
      logger.info(
        {
          event: "log_verified",
          entries: verdict.entries,
          anchored: verdict.anchored,
          ms: verdict.ms,
        },
        "access log verified",
      );
    }

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
      verifier,
      role: () => role,
      async start({ port = 0, host = "127.0.0.1", follow = true, operate = true } = {}) {
        if (verification.atStart !== false) await verifyAtStart();

        // The writer's role, when this process would write (follow, anchor or relay).
        const writes = follow || (operate && operator !== undefined) || relayer !== undefined;
        if (writes && config.role !== "reader") {
          const taken = await takeWriterRole({
            claim: () => db.claimWriter(),
            onChange: ({ held, reason }) =>
              held
                ? logger.info({ event: "writer_lock_retaken" }, "store writer lock taken back")
                : logger.warn(
                    { event: "writer_lock_lost", err: reason },
                    "store writer lock lost; taking it back",
                  ),
            onTaken: (holder) =>
              lostWriter?.(
                new StoreError(
                  "locked",
                  `Another process, ${describeWriter(holder)}, became the store's writer while this one's connection was lost: this one stops (start it again to serve as a reader).`,
                ),
              ),
          });
          if ("holder" in taken) {
            if (config.role === "writer" || db.kind === "pglite") {
              throw new StoreError(
                "locked",
                `The store already has a writer, ${describeWriter(taken.holder)}: one process writes a store. Stop it first, or start this one as a reader (ROLE=reader, Postgres only).`,
              );
            }
            logger.info(
              { event: "reader", writer: taken.holder },
              `serving as a reader: ${describeWriter(taken.holder)} writes this store`,
            );
          } else {
            writer = taken.role;
            role = "writer";
          }
        }

        let bound: number;
        try {
          bound = await server.listen(port, host);
        } catch (error) {
          await writer?.release();
          writer = undefined;
          role = "reader";
          throw new Error(describeListenError(error as NodeJS.ErrnoException, host, port), {
            cause: error,
          });
        }
        listening = true;
        if (verification.intervalMs !== 0) {
          const every = verification.intervalMs ?? 3_600_000;
          const tick = () => {
            verifyTimer = setTimeout(() => {
              void verifier
                .verify()
                .catch((error: Error) =>
                  logger.warn(
                    { event: "log_verification_error", err: error.message },
                    "access log",
                  ),
                )
                .then(() => {
                  if (verifyTimer) tick();
                });
            }, every);
            verifyTimer.unref?.();
          };
          tick();
        }
        if (role === "writer") {
          await relayer?.start();
          if (operate) await operator?.start();
          if (follow) {
            const lost = new Promise<never>((_, reject) => {
              lostWriter = (error) => {
                reject(error);
                void follower.stop();
                void relayer?.stop();
                void operator?.stop();
              };
            });
            node.running = Promise.race([follower.run(), lost]);
            node.running.catch(() => undefined);
          }
        }
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
      async stop({ httpGraceMs } = {}) {
        clearTimeout(verifyTimer);
        verifyTimer = undefined;
        // No new connection from now on; the requests in progress finish while the store is open.
        const closing = listening
          ? server
              .close(httpGraceMs)
              .catch((error: Error) => logger.warn({ err: error.message }, "server close"))
          : undefined;
        listening = false;
        // The follower finishes the transaction in progress; then nothing writes any more.
        await follower.stop();
        await node.running?.catch(() => undefined);
        await relayer?.stop();
        await operator?.stop();
        await closing;
        await writer?.release();
        if (ownsDb) await db.close();
      },
    };
    return node;
  } catch (error) {
    if (ownsDb) await db.close().catch(() => undefined);
    throw error;
  }
}
