/**
 * A Postgres server that drops every connection mid-run, with real processes: a TCP proxy (node:net, here
 * in the test) between the server process and Postgres first stalls, then cuts every connection and
 * refuses new ones for a while, in the middle of a backfill. The process does not crash (the pool's and
 * the writer lock's 'error' listeners); a request whose query was in flight when the connection broke
 * gets 503 `store_unavailable` (never a 500); so does every request while the store is gone, and `/ready`
 * is 503 with `reason.code` `store_unavailable`. When the proxy lets connections through again the
 * follower resumes after its last commit, catches up and `/ready` is 200; the store equals an index made
 * without cuts (nothing half-written, nothing twice).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { createFollower } from "../../src/follower/follower.ts";
import { domain } from "../../src/follower/domain.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { relayerMigrations } from "../../src/relayer/migrations.ts";
import { openDb } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { mineActivity, random } from "../support/activity.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { dumpStore } from "../support/dump.ts";
import { runServer } from "../support/processes.ts";
import { assertSameStore, retrying } from "../support/wait.ts";

const url = process.env.TEST_DATABASE_URL;

/** A TCP proxy to `target` that can stall its connections, cut them all, and refuse new ones. */
async function startProxy(target: { host: string; port: number }) {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let refusing = false;
  let stalled = false;
  let accepted = 0;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (stalled) {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    open: () => pairs.size,
    /** Stops forwarding (connections stay open, queries hang). */
    stall() {
      stalled = true;
      for (const { client, upstream } of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    /** Cuts every connection and refuses new ones until `heal()`. */
    cut() {
      refusing = true;
      stalled = false;
      for (const { client, upstream } of [...pairs]) {
        client.destroy();
        upstream.destroy();
      }
      pairs.clear();
    },
    heal() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { client, upstream } of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

async function json(res: Response): Promise<{ status: number; body: Record<string, any> }> {
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe("a dropped Postgres connection", { skip: url ? false : "needs TEST_DATABASE_URL" }, () => {
  let chain: TestChain;
  before(async () => {
    chain = retrying(await startChain());
    await mineActivity(chain, {
      blocks: 60,
      perBlock: { min: 1, max: 3 },
      tag: "cut",
      rand: random(Number(process.env.TEST_SEED ?? 4242)),
    });
  });
  after(() => chain?.stop());

  it("the server survives, answers 503 store_unavailable, resumes and ends with the index made without cuts", async () => {
    const target = new URL(url!);
    const proxy = await startProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const through = new URL(url!);
    through.hostname = "127.0.0.1";
    through.port = String(proxy.port);
    const schema = `cut_${randomBytes(4).toString("hex")}`;
    const server = runServer({
      RPC_URL: chain.rpcUrl,
      DEPLOYMENT: chain.deploymentFile,
      DATABASE_URL: through.toString(),
      DATABASE_SCHEMA: schema,
      DATABASE_CONNECT_TIMEOUT_MS: "2000",
      GATEWAY_SECRET: randomBytes(32).toString("hex"),
      CHUNK_SIZE: "1",
      CONFIRMATIONS: "0",
      MAX_REORG_DEPTH: "8",
      POLL_INTERVAL_MS: "50",
      PORT: "0",
      LOG_LEVEL: "info",
    });
    const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    try {
      const { url: base } = await server.waitFor((l) => l.msg === "listening");
      let seen = 0;
      await server.waitFor((l) => l.msg === "indexed" && ++seen >= 5);
      assert.ok(proxy.open() > 0);

      // A query in flight when the connection breaks: the proxy holds it, then cuts everything.
      proxy.stall();
      const inFlight = fetch(`${base}/api/members`).catch(async (error: Error) => {
        await new Promise((r) => setTimeout(r, 200));
        throw new Error(
          `${error.message} (${(error.cause as Error)?.message}); the server: ${server.child.exitCode}\n${server.stderr()}\n${JSON.stringify(server.lines.slice(-4))}`,
        );
      });
      await new Promise((r) => setTimeout(r, 400));
      const lastBefore = Math.max(
        ...server.lines.filter((l) => l.msg === "indexed").map((l) => Number(l.block)),
      );
      const linesBefore = server.lines.length;
      proxy.cut();
      const cutAnswer = await json(await inFlight);
      assert.equal(cutAnswer.status, 503, JSON.stringify(cutAnswer.body));
      assert.equal(cutAnswer.body.error.code, "store_unavailable");
      assert.match(cutAnswer.body.error.message, /database server/);

      // While the store is gone: every request 503 with the code, /ready 503 with the reason.
      const during = await json(await fetch(`${base}/api/members`));
      assert.equal(during.status, 503, JSON.stringify(during.body));
      assert.equal(during.body.error.code, "store_unavailable");
      const ready = await json(await fetch(`${base}/ready`));
      assert.equal(ready.status, 503);
      assert.equal(ready.body.ready, false);
      assert.equal(ready.body.reason.code, "store_unavailable", JSON.stringify(ready.body));
      await new Promise((r) => setTimeout(r, 2_500));
      assert.equal(server.child.exitCode, null, `the server died:\n${server.stderr()}`);
      assert.ok(
        server.lines
          .slice(linesBefore)
          .some((l) => l.msg === "indexing failed; retrying" && l.code === "store_unavailable"),
        "the follower retries",
      );
      assert.equal(server.stderr().includes("Unhandled"), false, server.stderr());

      // Connections go through again: the follower resumes after its last commit and catches up.
      proxy.heal();
      const firstAfter = await server.waitFor(
        (l) => l.msg === "indexed" && server.lines.indexOf(l) > linesBefore,
        60_000,
      );
      const resumedAt = Number(firstAfter.block);
      assert.ok(
        resumedAt === lastBefore + 1 || resumedAt === lastBefore + 2,
        `resumed at block ${resumedAt}; the last commit logged before the cut was block ${lastBefore}`,
      );
      await server.waitFor(
        (l) => l.msg === "caught up" && BigInt(l.block as number) >= head,
        120_000,
      );
      let answer = await json(await fetch(`${base}/ready`));
      for (let i = 0; i < 100 && answer.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 200));
        answer = await json(await fetch(`${base}/ready`));
      }
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.role, "writer", "it took the writer's lock back");
      assert.equal((await fetch(`${base}/api/members`)).status, 200);
      assert.ok(proxy.accepted() > 2, "new connections were opened");
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
      await proxy.close();
    }
    assert.equal(server.child.exitCode, 0, server.stderr());

    // The store equals an index of the same chain made without cuts.
    const cut = await openDb({ databaseUrl: url, schema });
    const clean = await openDb({ databaseUrl: url, schema: `${schema}_clean` });
    try {
      await createFollower({
        db: clean,
        client: chain.publicClient,
        deployment: chain.deployment,
        domain,
        maxReorgDepth: 8,
      }).catchUp();
      await migrate(clean, gatewayMigrations);
      await migrate(clean, auditMigrations);
      await migrate(clean, relayerMigrations);
      const expected = await dumpStore(clean);
      assert.ok(expected.events!.length > 60);
      assertSameStore(await dumpStore(cut), expected, "after the cuts");
    } finally {
      await cut.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await clean.exec(`DROP SCHEMA ${schema}_clean CASCADE`).catch(() => undefined);
      await cut.close();
      await clean.close();
    }
  });
});
