/**
 * The indexer's configuration, read and validated in one place: command-line flags override environment
 * variables, which override the defaults below. See the table in indexer/README.md.
 */
import path from "node:path";
import { parseArgs } from "node:util";
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
});

export type Config = z.infer<typeof configSchema> & {
  /** Absolute path of the deployment file. */
  deploymentFile: string;
  /** PGlite's data folder for a chain (when no DATABASE_URL is given). */
  dataDirFor(chainId: number): string;
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

Defaults and meaning: indexer/README.md.`;

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
  // Relative paths are relative to where the command was typed (npm runs workspace scripts elsewhere).
  const cwd = env.INIT_CWD ?? process.cwd();
  return {
    ...config,
    deploymentFile: path.resolve(cwd, config.DEPLOYMENT),
    dataDirFor: (chainId) =>
      config.DATA_DIR
        ? path.resolve(cwd, config.DATA_DIR)
        : path.join(REPO_ROOT, "indexer", ".data", String(chainId)),
  };
}
