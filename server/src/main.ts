/**
 * `npm run server` (or `npm run indexer`): reads the configuration, builds the node (src/node.ts), serves
 * the HTTP API (read API, data gateway, relayer, proofs) and follows the chain until SIGINT, SIGTERM or
 * SIGHUP — or until the process that started it is gone (EXIT_WITH_PARENT, on by default: it never
 * outlives npm or `npm start`, however they die). Every failure to start is one line on stderr (and a
 * fatal JSON log line), exit code 1; bad configuration exits 2. A stop never hangs: SHUTDOWN_TIMEOUT_MS after
 * the signal the process exits anyway (code 1, logged `forced_exit`).
 * Configuration: src/config.ts (flags and environment variables, documented in server/README.md).
 */
import { mkdir } from "node:fs/promises";
import { privateKeyToAccount } from "viem/accounts";
import { progressBar, progressLog } from "./follower/progress.ts";
import {
  ConfigError,
  loadConfig,
  loadDeployment,
  loadRelayerConfig,
  resolveGatewaySecret,
  resolveRelayerKey,
} from "./config.ts";
import { keysFromSecret } from "./gateway/auth/keys.ts";
import { createLogger } from "./log.ts";
import { GATEWAY_PATH, PROOFS_PATH, RELAYER_PATH } from "./http/app.ts";
import { createNode, type CoopNode } from "./node.ts";
import { STOP_SIGNALS, watchParent } from "./lifecycle.ts";

let config: ReturnType<typeof loadConfig>;
let relayerConfig: ReturnType<typeof loadRelayerConfig>;
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

// Stopping: from the first moment, so that a start interrupted half-way still ends cleanly.
let node: CoopNode | undefined;
let shuttingDown = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ reason, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutting down");
  // Whatever holds the stop (a request that never ends, a transaction waiting on a lock, a store that
  // does not answer), the process is gone within the bound; a cut transaction is rolled back by the
  // store, as after a crash.
  const started = Date.now();
  setTimeout(() => {
    const message = `Stopping took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms (SHUTDOWN_TIMEOUT_MS): exiting now; the store rolls back whatever was in progress.`;
    log.error({ event: "forced_exit", reason, afterMs: Date.now() - started }, message);
    console.error(message);
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS).unref();
  // A node still being built is stopped once it is (below).
  if (!node) return;
  await node
    .stop({ httpGraceMs: Math.floor(config.SHUTDOWN_TIMEOUT_MS / 3) })
    .catch((error: Error) => log.error({ err: error.message }, "stopping"));
  log.info("stopped");
  process.exit(code);
}
for (const signal of STOP_SIGNALS) {
  process.on(signal, () => {
    if (shuttingDown) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(130);
    }
    void shutdown(signal, 0);
  });
}
if (config.EXIT_WITH_PARENT === "true") {
  watchParent((why) => {
    log.warn({ event: "parent_gone" }, `${why}: shutting down`);
    void shutdown("parent gone", 0);
  });
}

const deployment = await loadDeployment(config.deploymentFile).catch((error: Error) =>
  fail(error.message),
);

const secretFile = config.gatewaySecretFileFor(deployment.chainId);
const gatewaySecret = await resolveGatewaySecret({
  secret: config.gatewaySecret,
  chainId: deployment.chainId,
  file: secretFile,
}).catch((error: Error) => fail(error.message));
// The relayer: members' signed votes and consent changes, paid from the operator's gas budget.
const relayerKey = await resolveRelayerKey(relayerConfig, deployment.chainId).catch(
  (error: Error) => fail(error.message),
);

const dataDir = config.DATABASE_URL ? undefined : config.dataDirFor(deployment.chainId);
if (dataDir) await mkdir(dataDir, { recursive: true });
log.info(
  {
    chainId: deployment.chainId,
    startBlock: deployment.startBlock,
    store: config.DATABASE_URL ? "postgres" : "pglite",
    dataDir,
    confirmations: config.CONFIRMATIONS,
    maxReorgDepth: config.MAX_REORG_DEPTH,
    chunkSize: config.CHUNK_SIZE,
  },
  "starting",
);

const tty = process.stderr.isTTY === true;
node = await createNode({
  deployment,
  rpcUrl: config.RPC_URL,
  store: { databaseUrl: config.DATABASE_URL, dataDir, schema: config.DATABASE_SCHEMA },
  follower: {
    confirmations: config.CONFIRMATIONS,
    maxReorgDepth: config.MAX_REORG_DEPTH,
    chunkSize: config.CHUNK_SIZE,
    pollIntervalMs: config.POLL_INTERVAL_MS,
    progress: tty ? progressBar() : progressLog(log),
  },
  gateway: {
    keys: keysFromSecret(gatewaySecret.secret),
    acceptNewKeys: config.acceptNewGatewaySecret,
    siwe: { domain: config.siweDomain, uri: config.SIWE_URI, chainId: deployment.chainId },
  },
  // The gateway operator: the access log's tree and proofs, anchoring, by-use revenue.
  operator: {
    privateKey: config.operatorKey,
    intervalMs: config.ANCHOR_INTERVAL_MS,
    every: config.ANCHOR_EVERY,
    allocateOnGrantEnd: config.ALLOCATE_ON_GRANT_END === "true",
  },
  ...(relayerKey
    ? {
        relayer: {
          account: privateKeyToAccount(relayerKey.privateKey),
          limits: {
            gasBudgetWei: relayerKey.budget,
            budgetPeriodHours: relayerConfig.RELAYER_BUDGET_PERIOD_HOURS,
            relaysPerMemberPerHour: relayerConfig.RELAYER_RELAYS_PER_HOUR,
            claimsPerMemberPerDay: relayerConfig.RELAYER_CLAIMS_PER_DAY,
            proposalsPerMemberPerDay: relayerConfig.RELAYER_PROPOSALS_PER_DAY,
            maxGasPerTransaction: BigInt(relayerConfig.RELAYER_MAX_GAS),
          },
          pollIntervalMs: config.POLL_INTERVAL_MS,
        },
      }
    : {}),
  // The dApp, where members sign in, calls every API from the browser.
  http: { corsOrigins: [new URL(config.SIWE_URI).origin] },
  role: config.ROLE,
  verification: { intervalMs: config.VERIFY_INTERVAL_MS },
  logger: log,
}).catch((error: Error) => fail(error.message));
if (shuttingDown) {
  await node.stop();
  log.info("stopped");
  process.exit(0);
}

log.info(
  {
    secret: gatewaySecret.source === "environment" ? "GATEWAY_SECRET" : secretFile,
    generated: gatewaySecret.source === "generated",
    siweDomain: config.siweDomain,
    siweUri: config.SIWE_URI,
  },
  "gateway",
);
const { relayer, operator } = node;
if (relayer && relayerKey) {
  log.info(
    { address: relayer.address, key: relayerKey.source, budgetWei: relayerKey.budget.toString() },
    "relayer",
  );
} else {
  log.info("relayer off: no RELAYER_PRIVATE_KEY or RELAYER_KEY_FILE for this chain");
}
log.info(
  {
    operator: operator?.address ?? null,
    key: operator?.keySource,
    anchorIntervalMs: config.ANCHOR_INTERVAL_MS,
    anchorEvery: config.ANCHOR_EVERY,
  },
  "operator",
);

const port = await node
  .start({ port: config.PORT, host: config.HOST })
  .catch(async (error: Error) => {
    await node?.stop().catch(() => undefined);
    return fail(error.message);
  });
if (shuttingDown) {
  await node.stop();
  log.info("stopped");
  process.exit(0);
}
log.info(
  {
    url: `http://${config.HOST}:${port}`,
    docs: `http://${config.HOST}:${port}/docs`,
    gateway: `http://${config.HOST}:${port}${GATEWAY_PATH}`,
    ...(relayer ? { relayer: `http://${config.HOST}:${port}${RELAYER_PATH}` } : {}),
    proofs: `http://${config.HOST}:${port}${PROOFS_PATH}`,
    role: node.role(),
  },
  "listening",
);

node.running?.catch((error: Error & { code?: string }) => {
  log.fatal({ code: error.code ?? "internal", err: error.message }, "the follower stopped");
  console.error(`${tty ? "\n" : ""}${error.message}`);
  void shutdown("follower failed", 1);
});
