/**
 * A store that cannot be opened, as an operator meets it, with real processes: a database server that
 * refuses connections, a wrong password, a missing database, and a full disk (a PGlite folder under a
 * file-size limit, `ulimit -f` in the shell that starts the server: unprivileged, unlike a tiny tmpfs).
 * Each start ends with exit code 1 and one line on stderr that names the cause and what to do: no stack
 * trace, no `undefined`, never the password. A new folder whose creation the full disk cut off is left
 * empty, so the next start, with room, creates the store and serves.
 */
import assert from "node:assert/strict";
import { readdir, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startChain, type TestChain } from "../support/chain.ts";
import { MAIN, run, runServer, type Proc } from "../support/processes.ts";
import { retrying } from "../support/wait.ts";

const url = process.env.TEST_DATABASE_URL;

/** A loopback port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The process ended with exit code 1 and exactly one clear line on stderr, which is returned. */
async function oneLineFailure(proc: Proc, secret?: string): Promise<string> {
  const { code } = await proc.exited;
  const stderr = proc.stderr();
  assert.equal(code, 1, stderr);
  const text = stderr.trim();
  assert.ok(text.length > 0, "something is said");
  assert.equal(text.split("\n").length, 1, `one line, not:\n${stderr}`);
  assert.doesNotMatch(text, /\bat .+:\d+:\d+|node:internal|Error:/, "no stack trace");
  assert.doesNotMatch(text, /undefined|\[object Object\]/);
  if (secret) {
    // (A short test password such as "coop" may be part of a name that is shown.)
    assert.equal(text.includes(`${secret}@`), false, "the URL with its password is never shown");
    if (secret.length >= 8)
      assert.equal(text.includes(secret), false, "the password is never shown");
  }
  // The fatal log line says the same.
  assert.ok(
    proc.lines.some((l) => l.level === 60 && l.msg === text),
    JSON.stringify(proc.lines.slice(-3)),
  );
  return text;
}

describe("a store that cannot be opened at start", () => {
  let chain: TestChain;
  let tmp: string;
  let env: Record<string, string>;
  before(async () => {
    chain = retrying(await startChain());
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-start-"));
    env = {
      RPC_URL: chain.rpcUrl,
      DEPLOYMENT: chain.deploymentFile,
      PORT: "0",
      POLL_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
      DATABASE_CONNECT_TIMEOUT_MS: "5000",
    };
  });
  after(async () => {
    await chain?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("a database server that refuses connections", async () => {
    const port = await closedPort();
    const proc = runServer({
      ...env,
      DATABASE_URL: `postgresql://coop:sekret-pw@127.0.0.1:${port}/coop`,
    });
    const line = await oneLineFailure(proc, "sekret-pw");
    assert.match(
      line,
      new RegExp(
        `^Cannot connect to the database server at 127\\.0\\.0\\.1:${port}: connection refused`,
      ),
    );
    assert.match(line, /is Postgres running there/);
  });

  describe("on a Postgres server", { skip: url ? false : "needs TEST_DATABASE_URL" }, () => {
    it("a wrong password", async () => {
      const wrong = new URL(url!);
      wrong.password = "not-the-password-4711";
      const proc = runServer({ ...env, DATABASE_URL: wrong.toString() });
      const line = await oneLineFailure(proc, "not-the-password-4711");
      assert.match(
        line,
        new RegExp(
          `^The database server at ${wrong.hostname}:${wrong.port || 5432} refused the password of user "${decodeURIComponent(wrong.username)}" \\(28P01\\): check DATABASE_URL\\.$`,
        ),
      );
    });

    it("a missing database", async () => {
      const missing = new URL(url!);
      missing.pathname = "/coop_no_such_database";
      const proc = runServer({ ...env, DATABASE_URL: missing.toString() });
      const line = await oneLineFailure(proc, decodeURIComponent(missing.password));
      assert.match(
        line,
        /^The database "coop_no_such_database" does not exist on .+ \(3D000\): create it \(createdb coop_no_such_database\) or fix DATABASE_URL\.$/,
      );
    });
  });

  it("a full disk (a file-size limit) while creating a PGlite store; with room, the next start serves", async () => {
    const dataDir = path.join(tmp, "full");
    // 2 MiB per file: PGlite's first WAL segment (16 MiB) cannot be written.
    const proc = run("bash", ["-c", `ulimit -f 2048 && exec "${process.execPath}" "${MAIN}"`], {
      ...env,
      DATABASE_URL: "",
      DATA_DIR: dataDir,
    });
    const line = await oneLineFailure(proc);
    assert.match(
      line,
      new RegExp(
        `^The store cannot grow its files in ${dataDir.replaceAll("/", "\\/")}: .*ulimit -f`,
      ),
    );
    assert.deepEqual(await readdir(dataDir), [], "nothing half-created is left in the folder");

    const next = runServer({ ...env, DATABASE_URL: "", DATA_DIR: dataDir });
    try {
      await next.waitFor((l) => l.msg === "listening", 60_000);
    } finally {
      next.child.kill("SIGTERM");
    }
    assert.equal((await next.exited).code, 0, next.stderr());
  });
});
