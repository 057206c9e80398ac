/**
 * A stop that cannot hang, with real processes. A client that opened a request and never finishes it is
 * cut after the HTTP grace (a third of SHUTDOWN_TIMEOUT_MS): the server still stops cleanly, exit code 0,
 * its store closed. A follower's transaction held open across the signal (another session holds a lock the
 * transaction waits on) cannot finish at all: SHUTDOWN_TIMEOUT_MS after the signal the process exits
 * anyway, code 1, with a logged `forced_exit` and one line on stderr; the store rolled the transaction
 * back, and the next start catches up and is ready.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { lockFileOf } from "../../src/store/folderLock.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { runServer } from "../support/processes.ts";
import { retrying } from "../support/wait.ts";

const url = process.env.TEST_DATABASE_URL;
const TIMEOUT_MS = 6_000;

/** A connection that sends the start of a request and nothing more (a slow or stuck client). */
async function halfARequest(base: string): Promise<{ closed: Promise<void>; socket: net.Socket }> {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => undefined);
  socket.write(`POST /gateway/session HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: appl`);
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return { closed, socket };
}

describe("shutdown that cannot hang", () => {
  let chain: TestChain;
  let tmp: string;
  let env: Record<string, string>;
  before(async () => {
    chain = retrying(await startChain());
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-stop-"));
    env = {
      RPC_URL: chain.rpcUrl,
      DEPLOYMENT: chain.deploymentFile,
      CONFIRMATIONS: "0",
      PORT: "0",
      POLL_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
      GATEWAY_SECRET: randomBytes(32).toString("hex"),
    };
  });
  after(async () => {
    await chain?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} with a request held open: the request is cut after the grace, the stop is clean`, async () => {
      const dataDir = path.join(tmp, `held-${signal}`);
      const proc = runServer({ ...env, DATABASE_URL: "", DATA_DIR: dataDir });
      const { url: base } = await proc.waitFor((l) => l.msg === "listening");
      const held = await halfARequest(String(base));
      await new Promise((r) => setTimeout(r, 300));
      const sent = Date.now();
      proc.child.kill(signal);
      const { code } = await proc.exited;
      const took = Date.now() - sent;
      assert.equal(code, 0, proc.stderr());
      // The grace is a third of the bound; the stop took about that, never the bound.
      assert.ok(
        took >= TIMEOUT_MS / 3 - 500,
        `stopped after ${took} ms: the request was not waited for`,
      );
      assert.ok(took < TIMEOUT_MS, `stopped after ${took} ms`);
      await held.closed;
      assert.ok(proc.lines.some((l) => l.msg === "stopped"));
      assert.equal(
        proc.lines.some((l) => l.event === "forced_exit"),
        false,
      );
      assert.equal(existsSync(lockFileOf(dataDir)), false, "the store was closed");
    });
  }

  it(
    "SIGHUP with the follower's transaction held open: a forced exit within the bound, then a clean restart",
    { skip: url ? false : "needs TEST_DATABASE_URL" },
    async () => {
      const schema = `stop_${randomBytes(4).toString("hex")}`;
      const storeEnv = { ...env, DATABASE_URL: url!, DATABASE_SCHEMA: schema };
      const first = runServer(storeEnv);
      await first.waitFor((l) => l.msg === "listening");
      await first.waitFor((l) => l.msg === "caught up");

      // Another session lets the follower read the checkpoint but not write it: its next transaction
      // (a new block) stays open, waiting on the lock.
      const blocker = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await blocker.connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query("LOCK TABLE checkpoint IN SHARE MODE");
        await chain.testClient.mine({ blocks: 2 });
        const deadline = Date.now() + 20_000;
        let waiting = 0;
        while (waiting === 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 100));
          const { rows } = await blocker.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() AND pid <> pg_backend_pid()",
          );
          waiting = rows[0]!.n;
        }
        const seen = await blocker.query(
          "SELECT state, wait_event_type, wait_event, left(query, 80) AS query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        assert.ok(
          waiting > 0,
          `the follower's transaction waits on the lock: ${JSON.stringify(seen.rows)} ${JSON.stringify(first.lines.slice(-4))}`,
        );

        const sent = Date.now();
        first.child.kill("SIGHUP");
        const { code } = await first.exited;
        const took = Date.now() - sent;
        assert.equal(code, 1, first.stderr());
        assert.ok(took >= TIMEOUT_MS - 200, `exited after ${took} ms, before the bound`);
        assert.ok(took < TIMEOUT_MS + 3_000, `exited after ${took} ms, well past the bound`);
        const forced = first.lines.find((l) => l.event === "forced_exit");
        assert.ok(forced, JSON.stringify(first.lines.slice(-3)));
        assert.equal(forced.reason, "SIGHUP");
        const stderr = first.stderr().trim();
        assert.match(
          stderr,
          /^Stopping took longer than 6000 ms \(SHUTDOWN_TIMEOUT_MS\): exiting now/,
        );
        assert.equal(stderr.split("\n").length, 1, stderr);
      } finally {
        await blocker.query("ROLLBACK").catch(() => undefined);
        await blocker.end();
      }

      // The cut transaction was rolled back; the next start takes the writer's role and catches up.
      const next = runServer(storeEnv);
      try {
        const { url: base, role } = await next.waitFor((l) => l.msg === "listening");
        assert.equal(role, "writer");
        const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
        await next.waitFor((l) => l.msg === "caught up" && BigInt(l.block as number) >= head);
        const ready = await fetch(`${base}/ready`);
        assert.equal(ready.status, 200, JSON.stringify(await ready.clone().json()));
      } finally {
        next.child.kill("SIGTERM");
      }
      assert.equal((await next.exited).code, 0, next.stderr());
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      await check.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await check.end();
    },
  );
});
