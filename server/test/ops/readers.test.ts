/**
 * One writer per Postgres store, many readers, with real processes: the first server on a schema writes
 * (follows the chain); a second on the same schema serves it as a reader and never writes (no duplicate
 * events, no "indexing failed" loop); a third that insists on writing (ROLE=writer) is refused, naming the
 * writer; and a reader's /ready turns 503 `behind` when the writer stops while the chain moves on.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startChain, type TestChain } from "../support/chain.ts";
import { runServer } from "../support/processes.ts";
import { retrying } from "../support/wait.ts";

const url = process.env.TEST_DATABASE_URL;

describe(
  "two servers on one Postgres schema",
  { skip: url ? false : "needs TEST_DATABASE_URL" },
  () => {
    let chain: TestChain;
    before(async () => {
      chain = retrying(await startChain());
    });
    after(() => chain?.stop());

    it("one writes, the other serves as a reader; a reader is 503 behind when the writer stops", async () => {
      const env = {
        RPC_URL: chain.rpcUrl,
        DEPLOYMENT: chain.deploymentFile,
        DATABASE_URL: url!,
        DATABASE_SCHEMA: `readers_${randomBytes(4).toString("hex")}`,
        GATEWAY_SECRET: randomBytes(32).toString("hex"),
        PORT: "0",
        POLL_INTERVAL_MS: "100",
        LOG_LEVEL: "info",
      };
      const writer = runServer(env);
      const w = await writer.waitFor((l) => l.msg === "listening");
      assert.equal(w.role, "writer");
      const reader = runServer(env);
      try {
        const r = await reader.waitFor((l) => l.msg === "listening");
        assert.equal(r.role, "reader");
        const ready = async () => {
          const res = await fetch(`${String(r.url)}/ready`);
          return {
            status: res.status,
            body: (await res.json()) as { role: string; reason: { code: string } | null },
          };
        };
        // The reader is ready once the writer has caught up.
        let answer = await ready();
        for (let i = 0; i < 100 && answer.status !== 200; i++) {
          await new Promise((res) => setTimeout(res, 200));
          answer = await ready();
        }
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        assert.equal(answer.body.role, "reader");

        // A third process that must write is refused, naming the writer.
        const third = runServer({ ...env, ROLE: "writer" });
        assert.equal((await third.exited).code, 1, third.stderr());
        assert.match(
          third.stderr(),
          new RegExp(`already has a writer, pid ${writer.child.pid} on host`),
        );

        // The writer stops; the chain moves on; the reader says it is behind.
        writer.child.kill("SIGTERM");
        assert.equal((await writer.exited).code, 0, writer.stderr());
        await chain.testClient.mine({ blocks: 3 });
        const deadline = Date.now() + 20_000;
        answer = await ready();
        while (answer.status === 200 && Date.now() < deadline) {
          await new Promise((res) => setTimeout(res, 250));
          answer = await ready();
        }
        assert.equal(answer.status, 503);
        assert.equal(answer.body.reason?.code, "behind");
        // The reader never wrote: no failed attempt, no duplicate events.
        assert.equal(
          reader.lines.filter((l) =>
            /indexing failed|duplicate key/.test(String(l.msg) + String(l.err)),
          ).length,
          0,
        );
      } finally {
        reader.child.kill("SIGTERM");
        await reader.exited;
        if (writer.child.exitCode === null) writer.child.kill("SIGTERM");
      }
    });
  },
);
