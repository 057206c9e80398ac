/**
 * The server as supervisors and terminals treat it, with real processes: a stop signal (SIGTERM, SIGINT,
 * SIGHUP) sent to the PID of its npm script stops the server itself; a SIGKILLed npm leaves no server
 * behind; a second opener of a PGlite folder is refused, naming the holder, and the folder opens
 * afterwards with everything in it.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openDb } from "../../src/store/db.ts";
import { lockFileOf } from "../../src/store/folderLock.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import {
  alive,
  commandOf,
  descendants,
  runNpmServer,
  runServer,
  untilGone,
} from "../support/processes.ts";
import { retrying } from "../support/wait.ts";
import { existsSync } from "node:fs";

const listening = (l: Record<string, unknown>) => l.msg === "listening";

describe("the server under a supervisor", () => {
  let chain: TestChain;
  let tmp: string;
  let env: Record<string, string>;
  before(async () => {
    chain = retrying(await startChain());
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-proc-"));
    env = {
      RPC_URL: chain.rpcUrl,
      DEPLOYMENT: chain.deploymentFile,
      DATABASE_URL: "",
      PORT: "0",
      POLL_INTERVAL_MS: "100",
      LOG_LEVEL: "info",
    };
  });
  after(async () => {
    await chain?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** `npm run server` on its own folder, listening; the node process under npm's `sh -c`. */
  async function npmServer(name: string) {
    const proc = runNpmServer({ ...env, DATA_DIR: path.join(tmp, name) });
    await proc.waitFor(listening);
    const server = descendants(proc.child.pid!).find((pid) =>
      commandOf(pid).includes("server/src/main.ts"),
    );
    assert.ok(server, "the server runs under npm");
    return { proc, server };
  }

  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    it(`${signal} to the npm script's PID stops the server, which closes its store`, async () => {
      const { proc, server } = await npmServer(`sig-${signal}`);
      proc.child.kill(signal);
      assert.deepEqual(await untilGone([server]), [], `the server (pid ${server}) outlived npm`);
      await proc.exited;
      // It closed its store: the folder's lock is gone and the folder opens.
      assert.equal(existsSync(lockFileOf(path.join(tmp, `sig-${signal}`))), false);
    });
  }

  it("a SIGKILLed npm leaves no server behind", async () => {
    const { proc, server } = await npmServer("kill");
    const shell = descendants(proc.child.pid!).filter((pid) => pid !== server);
    proc.child.kill("SIGKILL");
    assert.deepEqual(await untilGone([server, ...shell]), [], "processes left behind");
    assert.equal(alive(server), false);
  });

  it("a second opener of a PGlite folder is refused, and the folder opens afterwards", async () => {
    const dataDir = path.join(tmp, "shared");
    const first = runServer({ ...env, DATA_DIR: dataDir });
    await first.waitFor(listening);
    await first
      .waitFor(
        (l) => l.msg === "caught up" || l.event === "caught_up" || l.phase === "following",
        30_000,
      )
      .catch(() => undefined);

    const second = runServer({ ...env, DATA_DIR: dataDir });
    const { code } = await second.exited;
    assert.equal(code, 1, second.stderr());
    assert.match(second.stderr(), new RegExp(`in use by pid ${first.child.pid} on host`));
    assert.match(second.stderr(), /kill -TERM/);
    assert.equal(first.child.exitCode, null, "the first opener still runs");

    first.child.kill("SIGTERM");
    assert.equal((await first.exited).code, 0, first.stderr());
    const db = await openDb({ dataDir });
    try {
      const { rows } = await db.query<{ n: string }>("SELECT count(*)::text AS n FROM checkpoint");
      assert.equal(rows[0].n, "1", "the first opener's index is intact");
    } finally {
      await db.close();
    }
  });

  it("a SIGKILLed opener's lock is stale: the next start takes the folder", async () => {
    const dataDir = path.join(tmp, "stale");
    const first = runServer({ ...env, DATA_DIR: dataDir });
    await first.waitFor(listening);
    first.child.kill("SIGKILL");
    await first.exited;
    assert.equal(existsSync(lockFileOf(dataDir)), true, "the dead opener left its lock");
    const next = runServer({ ...env, DATA_DIR: dataDir });
    await next.waitFor(listening);
    next.child.kill("SIGTERM");
    assert.equal((await next.exited).code, 0, next.stderr());
  });
});
