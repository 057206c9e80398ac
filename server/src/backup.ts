/**
 * `npm run backup -- --out <folder>` and `npm run restore -- --from <folder>`: a backup that restores,
 * for both stores, with the secret the gateway needs. The same configuration as the server (DEPLOYMENT,
 * DATA_DIR or DATABASE_URL and DATABASE_SCHEMA, GATEWAY_SECRET).
 *
 * A backup folder holds:
 * - `store.tar` (PGlite: the data folder, as PGlite dumps it) or `store.dump` (Postgres: `pg_dump
 *   --format=custom` of the schema);
 * - `gateway-secret` (mode 0600): the secret the store was written with — without it members find none of
 *   their accesses and partners' pseudonyms change. The backup is refused when the configured secret is
 *   not the store's (its fingerprint, store/keyCheck.ts), so a backup never pairs a store with a wrong
 *   secret. Keep the folder as safely as the database;
 * - `manifest.json`: what it is (store kind, schema, chain, the access log's length, when).
 *
 * A PGlite backup or restore needs the server stopped (its folder has one opener: the lock says which
 * process holds it). A restore never deletes: the PGlite folder and secret it replaces are moved aside
 * (`<folder>.before-restore-<time>`). What a restore cannot bring back — entries the chain anchored after
 * the backup — the next start detects and refuses (node.ts), with the recovery steps; docs/operators.md.
 */
import { spawn } from "node:child_process";
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import { ConfigError, loadConfig, loadDeployment } from "./config.ts";
import { keysFromSecret } from "./gateway/auth/keys.ts";
import { openDb } from "./store/db.ts";
import { StoreError } from "./store/errors.ts";
import { describeHolder, lockFolder, readFolderLock } from "./store/folderLock.ts";
import { keysFingerprint } from "./store/keyCheck.ts";
import { describeWriter } from "./store/writer.ts";

export interface Manifest {
  format: 1;
  kind: "pglite" | "postgres";
  schema: string;
  chainId: number;
  createdAt: string;
  accessLogEntries: number;
  secretFingerprint: string;
}

class BackupError extends Error {}

function runTool(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (error) =>
      reject(
        new BackupError(
          `Cannot run ${command} (${error.message}): install the PostgreSQL client tools.`,
        ),
      ),
    );
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(
            new BackupError(
              `${command} failed (exit code ${code}): ${stderr.trim().split("\n").at(-1)}`,
            ),
          ),
    );
  });
}

/** A libpq URL without our `options`: pg_dump and pg_restore take the schema separately. */
const toolUrl = (url: string) => url;

async function readSecret(
  config: ReturnType<typeof loadConfig>,
  chainId: number,
): Promise<string | undefined> {
  if (config.gatewaySecret) return config.gatewaySecret;
  return (
    await readFile(config.gatewaySecretFileFor(chainId), "utf8").catch(() => undefined)
  )?.trim();
}

async function storeFacts(db: Awaited<ReturnType<typeof openDb>>) {
  const meta = await db
    .query<{ value: string }>("SELECT value FROM store_meta WHERE key = 'gateway_key_check'")
    .catch(() => ({ rows: [] as { value: string }[] }));
  const entries = await db
    .query<{ n: string }>("SELECT count(*)::text AS n FROM gateway_access_log")
    .catch(() => ({ rows: [{ n: "0" }] }));
  return { fingerprint: meta.rows[0]?.value, entries: Number(entries.rows[0]?.n ?? 0) };
}

export async function backup(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { values } = parseArgs({ args: argv, options: { out: { type: "string" } }, strict: true });
  if (!values.out) throw new ConfigError("Usage: npm run backup -- --out <folder>");
  const config = loadConfig([], env);
  const deployment = await loadDeployment(config.deploymentFile);
  const out = path.resolve(env.INIT_CWD ?? process.cwd(), values.out);
  if (await stat(path.join(out, "manifest.json")).catch(() => null)) {
    throw new BackupError(`${out} already holds a backup: choose a new folder.`);
  }
  const secret = await readSecret(config, deployment.chainId);
  const kind = config.DATABASE_URL ? "postgres" : "pglite";
  const dataDir = config.dataDirFor(deployment.chainId);
  const db = await openDb(
    kind === "postgres"
      ? { databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA }
      : { dataDir, schema: config.DATABASE_SCHEMA },
  );
  let facts;
  try {
    facts = await storeFacts(db);
    if (!secret) {
      throw new BackupError(
        "No gateway secret to back up: set GATEWAY_SECRET (or keep the secret file beside the PGlite folder).",
      );
    }
    const fingerprint = keysFingerprint(keysFromSecret(secret));
    if (facts.fingerprint && facts.fingerprint !== fingerprint) {
      throw new BackupError(
        "The configured gateway secret is not the one this store was written with: a backup with it would not restore the members' accesses. Back up with the store's own GATEWAY_SECRET.",
      );
    }
    await mkdir(out, { recursive: true });
    if (kind === "pglite") {
      // The same open PGlite (it holds the folder's lock), dumped as a tarball.
      const tar = await db.dumpDataDir!();
      await writeFile(path.join(out, "store.tar"), Buffer.from(await tar.arrayBuffer()));
    }
  } finally {
    await db.close();
  }
  if (kind === "postgres") {
    await runTool("pg_dump", [
      "--format=custom",
      "--no-owner",
      `--schema=${config.DATABASE_SCHEMA}`,
      `--file=${path.join(out, "store.dump")}`,
      toolUrl(config.DATABASE_URL!),
    ]);
  }
  await writeFile(path.join(out, "gateway-secret"), `${secret}\n`, { mode: 0o600 });
  await chmod(path.join(out, "gateway-secret"), 0o600);
  const manifest: Manifest = {
    format: 1,
    kind,
    schema: config.DATABASE_SCHEMA,
    chainId: deployment.chainId,
    createdAt: new Date().toISOString(),
    accessLogEntries: facts.entries,
    secretFingerprint: keysFingerprint(keysFromSecret(secret)),
  };
  await writeFile(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return `Backed up the ${kind} store (${facts.entries} access-log entries) and its gateway secret to ${out}. Keep it as safely as the database: it holds the secret.`;
}

export async function restore(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const { values } = parseArgs({ args: argv, options: { from: { type: "string" } }, strict: true });
  if (!values.from) throw new ConfigError("Usage: npm run restore -- --from <backup folder>");
  const config = loadConfig([], env);
  const deployment = await loadDeployment(config.deploymentFile);
  const from = path.resolve(env.INIT_CWD ?? process.cwd(), values.from);
  const manifest = JSON.parse(
    await readFile(path.join(from, "manifest.json"), "utf8").catch(() => {
      throw new BackupError(`${from} holds no backup (no manifest.json).`);
    }),
  ) as Manifest;
  const kind = config.DATABASE_URL ? "postgres" : "pglite";
  if (manifest.kind !== kind) {
    throw new BackupError(
      `${from} is a backup of a ${manifest.kind} store, and this configuration names a ${kind} store.`,
    );
  }
  if (manifest.chainId !== deployment.chainId) {
    throw new BackupError(
      `${from} is a backup for chain ${manifest.chainId}, not ${deployment.chainId}.`,
    );
  }
  const secret = (await readFile(path.join(from, "gateway-secret"), "utf8")).trim();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const lines: string[] = [];

  if (kind === "pglite") {
    const dataDir = config.dataDirFor(deployment.chainId);
    const held = await readFolderLock(dataDir);
    if (held && held.alive !== false) {
      throw new StoreError(
        "locked",
        `The store's folder ${dataDir} is in use by ${describeHolder(held.holder)}: stop every server process first (kill -TERM ${held.holder.pid}).`,
      );
    }
    // Held while restoring, so that no server starts on a half-restored folder.
    const lock = await lockFolder(dataDir);
    try {
      if (await stat(dataDir).catch(() => null)) {
        await rename(dataDir, `${dataDir}.before-restore-${stamp}`);
        lines.push(`The folder it replaced is kept as ${dataDir}.before-restore-${stamp}.`);
      }
      const tar = new Blob([await readFile(path.join(from, "store.tar"))]);
      const lite = await PGlite.create(dataDir, { loadDataDir: tar });
      await lite.close();
    } finally {
      await lock.release();
    }
    const secretFile = config.gatewaySecretFileFor(deployment.chainId);
    if (!config.gatewaySecret) {
      if (await stat(secretFile).catch(() => null)) {
        await rename(secretFile, `${secretFile}.before-restore-${stamp}`);
      }
      await writeFile(secretFile, `${secret}\n`, { mode: 0o600 });
      lines.push(`The gateway secret is back in ${secretFile}.`);
    }
  } else {
    // No server process may write meanwhile: the writer's lock, held for the restore.
    const db = await openDb({ databaseUrl: config.DATABASE_URL, schema: config.DATABASE_SCHEMA });
    try {
      const claim = await db.claimWriter().catch(() => undefined);
      if (claim && "holder" in claim) {
        throw new StoreError(
          "locked",
          `A server process writes this store (${describeWriter(claim.holder)}): stop every server process first.`,
        );
      }
      await claim?.lock.release();
    } finally {
      await db.close();
    }
    await runTool("pg_restore", [
      "--clean",
      "--if-exists",
      "--no-owner",
      "--single-transaction",
      `--dbname=${toolUrl(config.DATABASE_URL!)}`,
      path.join(from, "store.dump"),
    ]);
  }
  if (
    config.gatewaySecret &&
    config.gatewaySecret.replace(/^0x/, "") !== secret.replace(/^0x/, "")
  ) {
    lines.push(
      `GATEWAY_SECRET is not the backup's: start the server with GATEWAY_SECRET=$(cat ${path.join(from, "gateway-secret")}).`,
    );
  } else if (kind === "postgres" && !config.gatewaySecret) {
    lines.push(`Start the server with GATEWAY_SECRET=$(cat ${path.join(from, "gateway-secret")}).`);
  }
  return [
    `Restored the ${kind} store from ${from} (taken ${manifest.createdAt}, ${manifest.accessLogEntries} access-log entries).`,
    ...lines,
    'The next start checks the log against the chain\'s anchors: if the chain anchored entries after this backup was taken, it refuses to start and says how to recover (docs/operators.md, "Restoring").',
  ].join("\n");
}

const isMain =
  process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename);
if (isMain) {
  const [command, ...rest] = process.argv.slice(2);
  const run = command === "backup" ? backup : command === "restore" ? restore : undefined;
  if (!run) {
    console.error(
      "Usage: node server/src/backup.ts backup --out <folder> | restore --from <folder>",
    );
    process.exit(2);
  }
  run(rest).then(
    (message) => console.log(message),
    (error: Error) => {
      console.error(error.message);
      process.exit(error instanceof ConfigError ? 2 : 1);
    },
  );
}
