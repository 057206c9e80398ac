/**
 * `npm run indexer`: migrates the store, serves the HTTP API (read API and data gateway) and follows the
 * chain until SIGINT/SIGTERM.
 * Configuration: src/config.ts (flags and environment variables, documented in indexer/README.md).
 */
import { mkdir } from "node:fs/promises";
import { createPublicClient, http, webSocket, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { auditMigrations } from "./operator/migrations.ts";
import { createOperator } from "./operator/operator.ts";
import { createFollower } from "./follower/follower.ts";
import { progressBar, progressLog } from "./follower/progress.ts";
import {
  ConfigError,
  loadConfig,
  loadDeployment,
  loadRelayerConfig,
  resolveGatewaySecret,
  resolveRelayerKey,
} from "./config.ts";
import { sqlChainView } from "./follower/chainView.ts";
import { domain } from "./follower/domain.ts";
import { keysFromSecret } from "./gateway/auth/keys.ts";
import { gatewayMigrations } from "./gateway/migrations.ts";
import { createLogger } from "./log.ts";
import { relayerMigrations } from "./relayer/migrations.ts";
import { createRelayer, type Relayer } from "./relayer/relayer.ts";
import { GATEWAY_PATH, PROOFS_PATH, RELAYER_PATH, createServer } from "./http/app.ts";
import { openDb } from "./store/db.ts";
import { migrate } from "./store/migrate.ts";

let config;
let relayerConfig;
try {
  config = loadConfig();
  relayerConfig = loadRelayerConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL);
const fail = (message: string, extra: Record<string, unknown> = {}) => {
  log.fatal(extra, message);
  console.error(message);
  process.exit(1);
};

const deployment = await loadDeployment(config.deploymentFile).catch((error: Error) =>
  fail(error.message),
);
const transport = config.RPC_URL.startsWith("ws")
  ? webSocket(config.RPC_URL, { retryCount: 3 })
  : http(config.RPC_URL, {
      batch: { batchSize: 100, wait: 0 },
      retryCount: 3,
      // A chunk's eth_getLogs answer can be large (up to ~10,000 logs).
      maxResponseBodySize: 256 * 1024 * 1024,
    });
const client = createPublicClient({ transport }) as PublicClient;

const secretFile = config.gatewaySecretFileFor(deployment.chainId);
const gatewaySecret = await resolveGatewaySecret({
  secret: config.gatewaySecret,
  chainId: deployment.chainId,
  file: secretFile,
}).catch((error: Error) => fail(error.message));

const dataDir = config.DATABASE_URL ? undefined : config.dataDirFor(deployment.chainId);
if (dataDir) await mkdir(dataDir, { recursive: true });
const db = await openDb({
  databaseUrl: config.DATABASE_URL,
  dataDir,
  schema: config.DATABASE_SCHEMA,
}).catch((error: Error) => fail(`Cannot open the store: ${error.message}`));
log.info(
  {
    chainId: deployment.chainId,
    startBlock: deployment.startBlock,
    store: db.kind,
    dataDir,
    confirmations: config.CONFIRMATIONS,
    maxReorgDepth: config.MAX_REORG_DEPTH,
    chunkSize: config.CHUNK_SIZE,
  },
  "starting",
);

const tty = process.stderr.isTTY === true;
const follower = createFollower({
  db,
  client,
  deployment,
  domain,
  confirmations: config.CONFIRMATIONS,
  maxReorgDepth: config.MAX_REORG_DEPTH,
  chunkSize: config.CHUNK_SIZE,
  pollInterval: config.POLL_INTERVAL_MS,
  logger: log,
  progress: tty ? progressBar() : progressLog(log),
});
await follower.migrate();
await migrate(db, gatewayMigrations);
await migrate(db, auditMigrations);
log.info(
  {
    secret: gatewaySecret.source === "environment" ? "GATEWAY_SECRET" : secretFile,
    generated: gatewaySecret.source === "generated",
    siweDomain: config.siweDomain,
    siweUri: config.SIWE_URI,
  },
  "gateway",
);

// The relayer: members' signed votes and consent changes, paid from the operator's gas budget.
const relayerKey = await resolveRelayerKey(relayerConfig, deployment.chainId).catch(
  (error: Error) => fail(error.message),
);
let relayer: Relayer | undefined;
if (relayerKey) {
  await migrate(db, relayerMigrations);
  relayer = await createRelayer({
    db,
    client,
    account: privateKeyToAccount(relayerKey.privateKey),
    deployment,
    limits: {
      gasBudgetWei: relayerKey.budget,
      budgetPeriodHours: relayerConfig.RELAYER_BUDGET_PERIOD_HOURS,
      relaysPerMemberPerHour: relayerConfig.RELAYER_RELAYS_PER_HOUR,
      maxGasPerTransaction: BigInt(relayerConfig.RELAYER_MAX_GAS),
    },
    pollIntervalMs: config.POLL_INTERVAL_MS,
    logger: log,
  }).catch((error: Error) => fail(`Cannot start the relayer: ${error.message}`));
  await relayer.start();
  log.info(
    { address: relayer.address, key: relayerKey.source, budgetWei: relayerKey.budget.toString() },
    "relayer",
  );
} else {
  log.info("relayer off: no RELAYER_PRIVATE_KEY or RELAYER_KEY_FILE for this chain");
}
const gatewayKeys = keysFromSecret(gatewaySecret.secret);
// The gateway operator: the access log's tree and proofs, anchoring, by-use revenue.
const operator = createOperator({
  db,
  client,
  transport,
  deployment,
  keys: gatewayKeys,
  operatorKey: config.operatorKey,
  intervalMs: config.ANCHOR_INTERVAL_MS,
  every: config.ANCHOR_EVERY,
  allocateOnGrantEnd: config.ALLOCATE_ON_GRANT_END === "true",
  logger: log,
});
log.info(
  {
    operator: operator.address ?? null,
    key: operator.keySource,
    anchorIntervalMs: config.ANCHOR_INTERVAL_MS,
    anchorEvery: config.ANCHOR_EVERY,
  },
  "operator",
);

const server = createServer({
  db,
  follower,
  logger: log,
  // The dApp, where members sign in, calls both APIs from the browser.
  corsOrigins: [new URL(config.SIWE_URI).origin],
  gateway: {
    db,
    chain: sqlChainView({ chainId: deployment.chainId, confirmations: config.CONFIRMATIONS }),
    keys: gatewayKeys,
    domain: { chainId: deployment.chainId, registry: deployment.contracts.registry },
    siwe: { domain: config.siweDomain, uri: config.SIWE_URI, chainId: deployment.chainId },
  },
  relayer,
  proofs: operator.proofs,
});
const port = await server
  .listen(config.PORT, config.HOST)
  .catch((error: Error) =>
    fail(`Cannot listen on ${config.HOST}:${config.PORT}: ${error.message}`),
  );
log.info(
  {
    url: `http://${config.HOST}:${port}`,
    docs: `http://${config.HOST}:${port}/docs`,
    gateway: `http://${config.HOST}:${port}${GATEWAY_PATH}`,
    ...(relayer ? { relayer: `http://${config.HOST}:${port}${RELAYER_PATH}` } : {}),
    proofs: `http://${config.HOST}:${port}${PROOFS_PATH}`,
  },
  "listening",
);

let shuttingDown = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ reason }, "shutting down");
  // The follower finishes the transaction in progress; then nothing writes any more.
  await follower.stop();
  await relayer?.stop();
  await operator.stop();
  await server.close().catch((error: Error) => log.warn({ err: error.message }, "server close"));
  await db.close();
  log.info("stopped");
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (shuttingDown) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    void shutdown(signal, 0);
  });
}

await operator.start();

follower.run().catch((error: Error & { code?: string }) => {
  log.fatal({ code: error.code ?? "internal", err: error.message }, "the follower stopped");
  if (tty) console.error(`\n${error.message}`);
  void shutdown("follower failed", 1);
});
