/**
 * The indexer's configuration, read and validated in one place: command-line flags override environment
 * variables, which override the defaults below. See the table in server/README.md.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDeployment, type Deployment } from "@datacoop/protocol/deployment";
import type { Hex } from "viem";
import { z } from "zod";

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..");

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.map((p) => p.replace(":", "://")).join(" or ")} URL`,
    );

export const configSchema = z.object({
  RPC_URL: url(["http:", "https:", "ws:", "wss:"]).default("http://127.0.0.1:8545"),
  DEPLOYMENT: z
    .string()
    .min(1)
    .default(path.join(REPO_ROOT, "deployments", "localhost.json")),
  DATABASE_URL: url(["postgres:", "postgresql:"]).optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier")
    .default("public"),
  DATA_DIR: z.string().min(1).optional(),
  CONFIRMATIONS: integer(0, 10_000).default(0),
  MAX_REORG_DEPTH: integer(1, 10_000).default(64),
  CHUNK_SIZE: integer(1, 1_000_000).default(2_000),
  POLL_INTERVAL_MS: integer(10, 600_000).default(250),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: integer(0, 65_535).default(8600),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** The origin members sign in from (the dApp); Sign-In with Ethereum messages must name it. */
  SIWE_URI: url(["http:", "https:"]).default("http://127.0.0.1:5173"),
  /** The authority members sign for (default: SIWE_URI's host and port). */
  SIWE_DOMAIN: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, "must be a host, optionally with a port")
    .optional(),

  // --- Access-log anchoring and by-use revenue (the gateway operator's key: OPERATOR_PRIVATE_KEY) ---
  /** Anchor the access log at least this often while entries wait (ms). */
  ANCHOR_INTERVAL_MS: integer(1_000, 86_400_000).default(60_000),
  /** Anchor as soon as this many entries wait. */
  ANCHOR_EVERY: integer(1, 10_000_000).default(1_000),
  /** Post by-use revenue allocations automatically when a grant ends ("true" / "false"). */
  ALLOCATE_ON_GRANT_END: z.enum(["true", "false"]).default("true"),
  // --- end of anchoring ---

  // --- Running for real: one writer per store, verification, supervisors ---
  /**
   * auto: the store's writer when no other process is, else a reader (Postgres only); writer: refuse to
   * start unless this process writes; reader: serve the store another process writes.
   */
  ROLE: z.enum(["auto", "writer", "reader"]).default("auto"),
  /** Verify the whole access log (entries, member sets, anchors) this often (ms; 0: only at start). */
  VERIFY_INTERVAL_MS: integer(0, 604_800_000).default(3_600_000),
  /** Stop when the process that started this one (npm, `npm start`, a shell) is gone. */
  EXIT_WITH_PARENT: z.enum(["true", "false"]).default("true"),
  /**
   * After a stop signal, the longest the process waits for requests and the transaction in progress
   * (ms); then it exits anyway (code 1, logged). HTTP requests still open get a third of it.
   */
  SHUTDOWN_TIMEOUT_MS: integer(1_000, 600_000).default(15_000),
});

/**
 * Read from the environment only, never from a flag (flags show in process listings): the hex secret the
 * gateway's pseudonyms and access-log commitments are keyed with.
 */
const gatewaySecretSchema = z
  .string()
  .trim()
  .regex(/^(0x)?([0-9a-fA-F]{2}){32,}$/, "must be at least 32 bytes of hex");

/**
 * Read from the environment only: the gateway operator's private key (32 bytes of hex), which anchors the
 * access log and posts by-use allocations. Keep it in Hardhat's keystore and pass it on start:
 * `OPERATOR_PRIVATE_KEY=$(npx hardhat keystore get OPERATOR_PRIVATE_KEY) npm run indexer`.
 */
const operatorKeySchema = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be 32 bytes of hex")
  .transform((v) => (v.startsWith("0x") ? v : `0x${v}`) as Hex);

/** The chain id of a local Hardhat node, for which the indexer may generate its own gateway secret. */
export const LOCAL_CHAIN_ID = 31337;

export type Config = z.infer<typeof configSchema> & {
  /** Absolute path of the deployment file. */
  deploymentFile: string;
  /** PGlite's data folder for a chain (when no DATABASE_URL is given). */
  dataDirFor(chainId: number): string;
  /** GATEWAY_SECRET from the environment, when set. */
  gatewaySecret?: string;
  /** Where a local chain's generated gateway secret is kept: next to its data folder. */
  gatewaySecretFileFor(chainId: number): string;
  /** The Sign-In with Ethereum domain (SIWE_DOMAIN, or SIWE_URI's host). */
  siweDomain: string;
  /** OPERATOR_PRIVATE_KEY from the environment, when set. */
  operatorKey?: Hex;
  /** ACCEPT_NEW_GATEWAY_SECRET=true: start with a secret other than the one the store was written with. */
  acceptNewGatewaySecret: boolean;
};

const FLAGS = {
  "rpc-url": "RPC_URL",
  deployment: "DEPLOYMENT",
  "database-url": "DATABASE_URL",
  "database-schema": "DATABASE_SCHEMA",
  "data-dir": "DATA_DIR",
  confirmations: "CONFIRMATIONS",
  "max-reorg-depth": "MAX_REORG_DEPTH",
  "chunk-size": "CHUNK_SIZE",
  "poll-interval-ms": "POLL_INTERVAL_MS",
  host: "HOST",
  port: "PORT",
  "log-level": "LOG_LEVEL",
  "siwe-uri": "SIWE_URI",
  "siwe-domain": "SIWE_DOMAIN",
  "anchor-interval-ms": "ANCHOR_INTERVAL_MS",
  "anchor-every": "ANCHOR_EVERY",
  "allocate-on-grant-end": "ALLOCATE_ON_GRANT_END",
  role: "ROLE",
  "verify-interval-ms": "VERIFY_INTERVAL_MS",
  "exit-with-parent": "EXIT_WITH_PARENT",
  "shutdown-timeout-ms": "SHUTDOWN_TIMEOUT_MS",
} as const satisfies Record<string, keyof z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export const USAGE = `Usage: npm run indexer -- [--flag value ...]

${Object.entries(FLAGS)
  .map(([flag, env]) => `  --${flag.padEnd(18)} or ${env}`)
  .join("\n")}
  GATEWAY_SECRET       (environment only) the gateway's key material, hex
  OPERATOR_PRIVATE_KEY (environment only) the gateway operator's key: anchors the access log
  ACCEPT_NEW_GATEWAY_SECRET=true (environment only) start once with a secret other than the store's

Defaults and meaning: server/README.md.`;

/** Reads the configuration from flags and environment; throws a ConfigError listing every problem. */
export function loadConfig(
  argv: string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Config {
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseArgs({
      args: argv,
      options: Object.fromEntries(Object.keys(FLAGS).map((f) => [f, { type: "string" as const }])),
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const input: Record<string, string | undefined> = {};
  for (const [flag, name] of Object.entries(FLAGS)) {
    const fromFlag = flags[flag];
    const value = typeof fromFlag === "string" ? fromFlag : env[name];
    // An empty variable counts as unset (e.g. `DATABASE_URL= npm run indexer`).
    input[name] = value === "" ? undefined : value;
  }
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const flag = Object.entries(FLAGS).find(([, env]) => env === name)?.[0];
      return `  ${name}${flag ? ` (--${flag})` : ""}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const config = parsed.data;
  let gatewaySecret: string | undefined;
  if (env.GATEWAY_SECRET) {
    const secret = gatewaySecretSchema.safeParse(env.GATEWAY_SECRET);
    if (!secret.success) {
      throw new ConfigError(
        `Invalid configuration:\n  GATEWAY_SECRET: ${secret.error.issues[0]?.message}`,
      );
    }
    gatewaySecret = secret.data;
  }
  let operatorKey: Hex | undefined;
  if (env.OPERATOR_PRIVATE_KEY) {
    const key = operatorKeySchema.safeParse(env.OPERATOR_PRIVATE_KEY);
    if (!key.success) {
      throw new ConfigError(
        `Invalid configuration:\n  OPERATOR_PRIVATE_KEY: ${key.error.issues[0]?.message}`,
      );
    }
    operatorKey = key.data;
  }
  // Relative paths are relative to where the command was typed (npm runs workspace scripts elsewhere).
  const cwd = env.INIT_CWD ?? process.cwd();
  const dataDirFor = (chainId: number) =>
    config.DATA_DIR
      ? path.resolve(cwd, config.DATA_DIR)
      : path.join(REPO_ROOT, "server", ".data", String(chainId));
  return {
    ...config,
    deploymentFile: path.resolve(cwd, config.DEPLOYMENT),
    dataDirFor,
    gatewaySecret,
    // Beside PGlite's folder, not inside it (PGlite owns that folder's contents).
    gatewaySecretFileFor: (chainId) => `${dataDirFor(chainId)}.gateway-secret`,
    siweDomain: config.SIWE_DOMAIN ?? new URL(config.SIWE_URI).host,
    operatorKey,
    acceptNewGatewaySecret: env.ACCEPT_NEW_GATEWAY_SECRET === "true",
  };
}

/**
 * The gateway's secret for a chain: GATEWAY_SECRET when set; otherwise, on the local chain only, the one
 * generated on first start and kept (mode 0600) in `file`. Any other chain needs GATEWAY_SECRET: losing
 * or changing the secret changes every pseudonym and hides members' earlier entries in the access log.
 */
export async function resolveGatewaySecret(options: {
  secret?: string;
  chainId: number;
  file: string;
}): Promise<{ secret: string; source: "environment" | "file" | "generated" }> {
  if (options.secret) return { secret: options.secret, source: "environment" };
  if (options.chainId !== LOCAL_CHAIN_ID) {
    throw new ConfigError(
      `GATEWAY_SECRET is required on chain ${options.chainId}: at least 32 bytes of hex (e.g. \`openssl rand -hex 32\`), kept as safely as the database.`,
    );
  }
  const existing = await readFile(options.file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing !== null) {
    const parsed = gatewaySecretSchema.safeParse(existing);
    if (!parsed.success) {
      throw new ConfigError(
        `The gateway secret in ${options.file} is not at least 32 bytes of hex.`,
      );
    }
    return { secret: parsed.data, source: "file" };
  }
  const secret = randomBytes(32).toString("hex");
  await mkdir(path.dirname(options.file), { recursive: true });
  // "wx": two processes starting together do not overwrite each other's secret.
  await writeFile(options.file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    },
  );
  await chmod(options.file, 0o600).catch(() => undefined);
  const stored = gatewaySecretSchema.parse(await readFile(options.file, "utf8"));
  return { secret: stored, source: stored === secret ? "generated" : "file" };
}

// ─── Relayer ─────────────────────────────────────────────────────────────────────────────────────────────
// Members' signed votes and consent changes, sent with the co-op's gas (src/relayer/). Environment only: the
// key must never appear in a process listing. Documented in src/relayer/README.md.

/** Hardhat's public test mnemonic; its account 19 is the relayer's default key on the local chain only. */
const LOCAL_TEST_MNEMONIC = "test test test test test test test test test test test junk";
/** Not a founder (0–4), a demo account (5–7, 10, 11), the operator (8) or the guardian (9) of `npm start`. */
export const LOCAL_RELAYER_ACCOUNT_INDEX = 19;

const privateKeySchema = z
  .string()
  .trim()
  .regex(/^(0x)?[0-9a-fA-F]{64}$/, "must be a 32-byte hex private key");

export const relayerConfigSchema = z.object({
  /** auto: on when a key is configured, or on the local chain; on: a key is required; off. */
  RELAYER: z.enum(["auto", "on", "off"]).default("auto"),
  RELAYER_PRIVATE_KEY: privateKeySchema.optional(),
  /** A file holding the key (e.g. a mounted secret), mode 0600 recommended. */
  RELAYER_KEY_FILE: z.string().min(1).optional(),
  /** Wei the relayer may spend on gas per period; required on any chain but the local one. */
  RELAYER_GAS_BUDGET: z
    .string()
    .trim()
    .regex(/^\d{1,78}$/, "must be a whole number of wei")
    .transform((v) => BigInt(v))
    .optional(),
  /** The budget's period in hours; 0: the budget covers everything ever relayed from this store. */
  RELAYER_BUDGET_PERIOD_HOURS: integer(0, 100_000).default(0),
  RELAYER_RELAYS_PER_HOUR: integer(1, 1_000_000).default(30),
  /** Claims of fee shares relayed per member per rolling day (each share is relayed once anyway). */
  RELAYER_CLAIMS_PER_DAY: integer(1, 1_000).default(4),
  /** Proposals relayed per member per rolling day. */
  RELAYER_PROPOSALS_PER_DAY: integer(1, 1_000).default(3),
  RELAYER_MAX_GAS: integer(21_000, 30_000_000).default(1_000_000),
});

export type RelayerConfig = z.infer<typeof relayerConfigSchema>;

/** The budget on the local chain when none is set: 10 ETH of test money. */
export const LOCAL_RELAYER_BUDGET = 10n ** 19n;

export function loadRelayerConfig(env: NodeJS.ProcessEnv = process.env): RelayerConfig {
  const input = Object.fromEntries(
    Object.keys(relayerConfigSchema.shape).map((k) => [k, env[k] === "" ? undefined : env[k]]),
  );
  const parsed = relayerConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Never echo the value: it may be a key.
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  if (parsed.data.RELAYER_PRIVATE_KEY && parsed.data.RELAYER_KEY_FILE) {
    throw new ConfigError("Set RELAYER_PRIVATE_KEY or RELAYER_KEY_FILE, not both.");
  }
  return parsed.data;
}

/**
 * The relayer's key and budget for a chain, or null when the relayer is off: RELAYER_PRIVATE_KEY, or the key
 * in RELAYER_KEY_FILE; on the local chain only, Hardhat's public test account 19 by default.
 */
export async function resolveRelayerKey(
  config: RelayerConfig,
  chainId: number,
): Promise<{
  privateKey: `0x${string}`;
  source: "environment" | "file" | "local test account";
  budget: bigint;
} | null> {
  if (config.RELAYER === "off") return null;
  let privateKey: string | undefined = config.RELAYER_PRIVATE_KEY;
  let source: "environment" | "file" | "local test account" = "environment";
  if (!privateKey && config.RELAYER_KEY_FILE) {
    const text = await readFile(config.RELAYER_KEY_FILE, "utf8").catch((e: Error) => {
      throw new ConfigError(`Cannot read RELAYER_KEY_FILE: ${e.message}`);
    });
    const parsed = privateKeySchema.safeParse(text);
    if (!parsed.success) throw new ConfigError("RELAYER_KEY_FILE does not hold a 32-byte hex key.");
    privateKey = parsed.data;
    source = "file";
  }
  if (!privateKey) {
    if (chainId !== LOCAL_CHAIN_ID) {
      if (config.RELAYER === "on") {
        throw new ConfigError(
          `RELAYER=on needs RELAYER_PRIVATE_KEY or RELAYER_KEY_FILE on chain ${chainId}.`,
        );
      }
      return null;
    }
    const { mnemonicToAccount } = await import("viem/accounts");
    const key = mnemonicToAccount(LOCAL_TEST_MNEMONIC, {
      addressIndex: LOCAL_RELAYER_ACCOUNT_INDEX,
    }).getHdKey().privateKey;
    privateKey = Buffer.from(key!).toString("hex");
    source = "local test account";
  }
  const budget =
    config.RELAYER_GAS_BUDGET ?? (chainId === LOCAL_CHAIN_ID ? LOCAL_RELAYER_BUDGET : undefined);
  if (budget === undefined) {
    throw new ConfigError(
      `RELAYER_GAS_BUDGET (wei) is required to relay on chain ${chainId}: the most the relayer may spend on gas.`,
    );
  }
  const hex = privateKey.startsWith("0x") ? privateKey.slice(2) : privateKey;
  return { privateKey: `0x${hex.toLowerCase()}`, source, budget };
}

/** Reads the deployment record the server follows (DEPLOYMENT, --deployment). */
export async function loadDeployment(file: string): Promise<Deployment> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === "ENOENT"
        ? `No deployment at ${file}: deploy the contracts first (npm start does it for a local chain), or point DEPLOYMENT at the file.`
        : `Cannot read the deployment ${file}: ${error.message}`,
    );
  });
  return parseDeployment(text, file);
}
