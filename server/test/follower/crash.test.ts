/**
 * Crash safety of the real process: `src/main.ts` is killed (SIGKILL) at 20 random points of a backfill,
 * restarted each time, and must end with the same store as a clean index. The last run also checks the
 * HTTP endpoints and the graceful shutdown.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createFollower } from "../../src/follower/follower.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { relayerMigrations } from "../../src/relayer/migrations.ts";
import { migrate } from "../../src/store/migrate.ts";
import { domain } from "../../src/follower/domain.ts";
import { openDb } from "../../src/store/db.ts";
import { mineActivity, random } from "../support/activity.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { dumpStore } from "../support/dump.ts";
import { runServer } from "../support/processes.ts";
import { stores } from "../support/stores.ts";
import { assertSameStore, retrying } from "../support/wait.ts";

const SEED = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
const KILLS = 20;

describe(`crash safety (seed ${SEED})`, () => {
  let chain: TestChain;
  const rand = random(SEED);
  before(async () => {
    chain = retrying(await startChain());
    await mineActivity(chain, { blocks: 120, perBlock: { min: 1, max: 3 }, tag: "crash", rand });
  });
  after(() => chain?.stop());

  for (const store of stores) {
    it(`${store.name}: killed at ${KILLS} random points of a backfill, it ends with the clean index`, async () => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), "coop-crash-"));
      const schema = `crash_${randomBytes(5).toString("hex")}`;
      const storeEnv: Record<string, string> =
        store.name === "pglite"
          ? { DATA_DIR: path.join(tmp, "data"), DATABASE_URL: "" }
          : { DATABASE_URL: process.env.TEST_DATABASE_URL!, DATABASE_SCHEMA: schema };
      const env: Record<string, string> = {
        ...storeEnv,
        RPC_URL: chain.rpcUrl,
        DEPLOYMENT: chain.deploymentFile,
        CHUNK_SIZE: "1",
        MAX_REORG_DEPTH: "8",
        CONFIRMATIONS: "0",
        POLL_INTERVAL_MS: "50",
        PORT: "0",
        LOG_LEVEL: "info",
      };
      const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
      try {
        let killedMidway = 0;
        let lastLogged = 0;
        for (let k = 0; k < KILLS; k++) {
          const run = runServer(env);
          // Most kills land while chunks are being committed, some while starting up.
          if (rand() < 0.8) {
            const chunks = 1 + Math.floor(rand() * 3);
            let seen = 0;
            await run.waitFor((l) => l.msg === "indexed" && ++seen >= chunks);
          } else {
            await run.waitFor((l) => l.msg === "starting");
          }
          await new Promise((r) => setTimeout(r, Math.floor(rand() * 40)));
          run.child.kill("SIGKILL");
          await run.exited;
          if (!run.lines.some((l) => l.msg === "caught up")) killedMidway++;
          for (const l of run.lines)
            if (l.msg === "indexed") lastLogged = Math.max(lastLogged, Number(l.block));
        }
        assert.ok(killedMidway >= KILLS - 2, `only ${killedMidway} kills fell inside the backfill`);

        const last = runServer(env);
        const listening = await last.waitFor((l) => l.msg === "listening");
        const firstChunk = await last.waitFor((l) => l.msg === "indexed");
        // One block per chunk: the restart's first chunk is the block after the last commit (whose log
        // line a kill may have cut off).
        const resumedAt = Number(firstChunk.block);
        assert.ok(
          resumedAt === lastLogged + 1 || resumedAt === lastLogged + 2,
          `resumed at block ${resumedAt}; the last logged commit was block ${lastLogged}`,
        );
        await last.waitFor((l) => l.msg === "caught up" && BigInt(l.block as number) >= head);

        const base = String(listening.url);
        const health = await fetch(`${base}/health`);
        assert.deepEqual(await health.json(), { status: "ok" });
        const ready = await fetch(`${base}/ready`);
        assert.equal(ready.status, 200);
        const status = (await ready.json()) as { ready: boolean; checkpoint: { number: string } };
        assert.equal(status.ready, true);
        assert.ok(BigInt(status.checkpoint.number) >= head);
        const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
          paths: Record<string, unknown>;
        };
        assert.ok(doc.paths["/ready"] && doc.paths["/health"]);
        assert.equal((await fetch(`${base}/docs`)).status, 200);
        const missing = await fetch(`${base}/nope`);
        assert.equal(missing.status, 404);
        assert.equal(
          ((await missing.json()) as { error: { code: string } }).error.code,
          "not_found",
        );

        last.child.kill("SIGTERM");
        assert.equal(
          (await last.exited).code,
          0,
          `graceful shutdown exits with 0: ${last.stderr()}`,
        );
        assert.ok(last.lines.some((l) => l.msg === "stopped"));

        const crashed = await openDb(
          store.name === "pglite"
            ? { dataDir: env.DATA_DIR }
            : { databaseUrl: process.env.TEST_DATABASE_URL, schema },
        );
        const clean = await store.open();
        try {
          await createFollower({
            db: clean,
            client: chain.publicClient,
            deployment: chain.deployment,
            domain,
            maxReorgDepth: 8,
          }).catchUp();
          // The process also holds the gateway's, the operator's and the relayer's tables (empty here:
          // nothing was contributed, anchored or relayed).
          await migrate(clean, gatewayMigrations);
          await migrate(clean, auditMigrations);
          await migrate(clean, relayerMigrations);
          const expected = await dumpStore(clean);
          assert.ok(expected.events.length > 120);
          assertSameStore(await dumpStore(crashed), expected, "after the crashes");
        } finally {
          await crashed.close();
          await clean.close();
        }
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    });
  }
});
