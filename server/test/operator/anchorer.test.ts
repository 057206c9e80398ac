import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, type Hex } from "viem";
import { hardhat } from "viem/chains";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { createAnchorer, type AnchorerOptions } from "../../src/operator/anchorer.ts";
import { readAnchors } from "@datacoop/protocol/accessLog/anchors";
import { verifyLog } from "@datacoop/protocol/accessLog/batches";
import { LogTree } from "../../src/operator/logTree.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { appendEntry } from "../../src/gateway/serving/accessLog.ts";
import { randomKeys } from "../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { accounts, startChain, type TestChain } from "../support/chain.ts";
import { stores } from "../support/stores.ts";
import { retrying } from "../support/wait.ts";

/** A wallet whose requests retry (the node drops idle connections while PGlite opens). */
const wallet = (chain: TestChain, i: number) =>
  createWalletClient({
    chain: hardhat,
    account: accounts[i],
    transport: http(chain.rpcUrl, { retryCount: 5, retryDelay: 50 }),
  });

const OPERATOR = 8;
const keys = randomKeys();

/** Appends `n` entries through the gateway's own log writer. */
async function decide(db: Db, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await db.transaction((tx) =>
      appendEntry(tx, keys, { kind: "erasure", datasetId: "1", records: i + 1 }, [
        `0x${(i % 7).toString(16).padStart(40, "1")}`,
      ]),
    );
  }
}

async function storedHashes(db: Db): Promise<Hex[]> {
  const { rows } = await db.query<{ hash: string }>(
    "SELECT hash FROM gateway_access_log ORDER BY seq",
  );
  return rows.map((r): Hex => `0x${r.hash}`);
}

describe("the operator's anchoring loop, on a real chain", () => {
  let chain: TestChain;
  let snapshot: Hex;
  before(async () => {
    chain = retrying(await startChain());
    snapshot = await chain.testClient.snapshot();
  });
  after(() => chain?.stop());

  const chainAnchors = () =>
    readAnchors(chain.publicClient, chain.deployment.contracts.accessLog, {
      fromBlock: BigInt(chain.deployment.startBlock),
    });

  for (const store of stores) {
    describe(store.name, () => {
      let db: Db;
      let clock = 0;
      before(async () => {
        // Each store's log starts empty: so does the chain's anchor contract.
        await chain.testClient.revert({ id: snapshot });
        snapshot = await chain.testClient.snapshot();
        db = await store.open();
        await migrate(db, [...gatewayMigrations, ...auditMigrations]);
      });
      after(() => db?.close());

      const anchorer = (extra: Partial<AnchorerOptions> = {}) =>
        createAnchorer({
          db,
          tree: new LogTree(),
          client: chain.publicClient,
          wallet: wallet(chain, OPERATOR),
          address: chain.deployment.contracts.accessLog,
          intervalMs: 60_000,
          every: 10,
          now: () => clock,
          ...extra,
        });

      it("anchors after N entries and on the interval, each batch extending the last", async () => {
        const a = anchorer();
        clock = 0;
        await decide(db, 4);
        clock = 1;
        const first = await a.tick();
        // A fresh process has never anchored: what waits is anchored at once (crash recovery).
        assert.equal(first.action, "anchored");
        await decide(db, 3);
        clock = 30_000;
        assert.deepEqual(await a.tick(), { action: "idle", size: 7, anchored: 4 });
        await decide(db, 10);
        const every = await a.tick();
        assert.equal(every.action === "anchored" && every.decision.reason, "every");
        await decide(db, 2);
        assert.equal((await a.tick()).action, "idle");
        clock = 100_000;
        const interval = await a.tick();
        assert.equal(interval.action === "anchored" && interval.decision.reason, "interval");

        const anchors = await chainAnchors();
        assert.deepEqual(
          anchors.map((x) => x.size),
          [4, 17, 19],
        );
        assert.deepEqual(verifyLog(await storedHashes(db), anchors).ok, true);
      });

      it("an anchor reorged away is posted again", async () => {
        const a = anchorer({ every: 5 });
        await decide(db, 5);
        const beforeAnchor = await chain.testClient.snapshot();
        const posted = await a.tick();
        assert.equal(posted.action, "anchored");
        const size = posted.action === "anchored" ? posted.decision.size : 0;
        // The anchoring block is replaced by a longer branch without it.
        await chain.testClient.revert({ id: beforeAnchor });
        await chain.testClient.mine({ blocks: 3 });
        const latest = await chain.publicClient.readContract({
          address: chain.deployment.contracts.accessLog,
          abi: accessLogAbi,
          functionName: "latest",
        });
        assert.ok(Number(latest[1]) < size, "the reorg removed the anchor");

        const again = await a.tick();
        assert.equal(again.action, "anchored");
        assert.equal(again.action === "anchored" && again.decision.reason, "repost");
        assert.equal(again.action === "anchored" && again.decision.size, size);
        const anchors = await chainAnchors();
        assert.equal(anchors.at(-1)!.size, size);
        assert.equal(anchors.at(-1)!.root, posted.action === "anchored" && posted.decision.root);
        assert.equal(verifyLog(await storedHashes(db), anchors).ok, true);
        const { rows } = await db.query<{ status: string }>(
          "SELECT status FROM audit_anchor_posts WHERE size = $1 ORDER BY id",
          [size],
        );
        assert.deepEqual(
          rows.map((r) => r.status),
          ["lost", "mined"],
        );
      });

      it("runs on its own once started, and stops", async () => {
        const before = (await chainAnchors()).at(-1)!.size;
        await decide(db, 3);
        const a = anchorer({ every: 3, pollMs: 20 });
        a.start();
        try {
          const deadline = Date.now() + 20_000;
          while ((await chainAnchors()).at(-1)!.size < before + 3) {
            assert.ok(Date.now() < deadline, "the loop anchored in time");
            await new Promise((r) => setTimeout(r, 50));
          }
        } finally {
          await a.stop();
        }
        await decide(db, 3);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal((await chainAnchors()).at(-1)!.size, before + 3, "nothing after stop");
      });

      it("a crash between deciding and sending loses nothing: the restarted loop covers every entry", async () => {
        await decide(db, 12);
        const crashing = anchorer({
          beforeSend: () => {
            throw new Error("killed");
          },
        });
        await assert.rejects(crashing.tick(), /killed/);
        await decide(db, 3);
        // A new process: a fresh tree rebuilt from the table, nothing in memory.
        const restarted = anchorer();
        const result = await restarted.tick();
        assert.equal(result.action, "anchored");
        const anchors = await chainAnchors();
        const verified = verifyLog(await storedHashes(db), anchors);
        assert.equal(verified.ok, true);
        assert.equal(verified.ok && verified.unanchored, 0);
        assert.equal(anchors.at(-1)!.size, (await storedHashes(db)).length);
        const { rows } = await db.query<{ status: string }>(
          "SELECT status FROM audit_anchor_posts ORDER BY id DESC LIMIT 2",
        );
        assert.deepEqual(
          rows.map((r) => r.status),
          ["mined", "decided"],
        );
      });

      it("does not anchor with a key that is not the operator's", async () => {
        await decide(db, 1);
        const result = await anchorer({ wallet: wallet(chain, 3) }).tick();
        assert.deepEqual(result, { action: "waiting", reason: "not_operator" });
      });
      it("refuses to anchor on top of a log that no longer matches the chain", async () => {
        await db.query(
          'UPDATE gateway_access_log SET entry = replace(entry, \'"datasetId":"1"\', \'"datasetId":"9"\') WHERE seq = 2',
        );
        // A rebuilt tree sees the broken hash chain.
        await assert.rejects(anchorer().tick(), /entry 2 does not hash/);
        // Entries re-hashed to hide the edit: the chain's root no longer matches.
        await rehash(db);
        await decide(db, 1);
        const result = await anchorer().tick();
        assert.equal(result.action, "diverged");
      });
    });
  }
});

/** Recomputes every stored hash from the entries (what a forger would do after editing one). */
async function rehash(db: Db): Promise<void> {
  const { createHash } = await import("node:crypto");
  const { rows } = await db.query<{ seq: string; entry: string }>(
    "SELECT seq, entry FROM gateway_access_log ORDER BY seq",
  );
  let prev = "0".repeat(64);
  for (const row of rows) {
    const hash = createHash("sha256").update(`${prev}${row.entry}`).digest("hex");
    await db.query("UPDATE gateway_access_log SET prev_hash = $1, hash = $2 WHERE seq = $3", [
      prev,
      hash,
      row.seq,
    ]);
    prev = hash;
  }
}
