/**
 * `npm run server` (or `npm run indexer`): reads the configuration, builds the node (src/node.ts), serves
 * the HTTP API (read API, data gateway, relayer, proofs) and follows the chain until SIGINT/SIGTERM.
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
import { createNode } from "./node.ts";

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
const node = await createNode({
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
            maxGasPerTransaction: BigInt(relayerConfig.RELAYER_MAX_GAS),
          },
          pollIntervalMs: config.POLL_INTERVAL_MS,
        },
      }
    : {}),
  // The dApp, where members sign in, calls every API from the browser.
  http: { corsOrigins: [new URL(config.SIWE_URI).origin] },
  logger: log,
}).catch((error: Error) => fail(error.message));

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

let shuttingDown = false;
async function shutdown(reason: string, code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info({ reason }, "shutting down");
  await node.stop();
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

const port = await node
  .start({ port: config.PORT, host: config.HOST })
  .catch((error: Error) => fail(error.message));
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

node.running?.catch((error: Error & { code?: string }) => {
  log.fatal({ code: error.code ?? "internal", err: error.message }, "the follower stopped");
  if (tty) console.error(`\n${error.message}`);
  void shutdown("follower failed", 1);
});
