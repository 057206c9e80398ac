import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FollowerError } from "../../src/follower/errors.ts";
import { createFollower, type FollowerOptions } from "../../src/follower/follower.ts";
import { domain } from "../../src/follower/domain.ts";
import type { Db } from "../../src/store/db.ts";
import { mineActivity, random } from "../support/activity.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { dumpStore, resetStore } from "../support/dump.ts";
import { stores, suiteStores } from "../support/stores.ts";
import { assertSameStore, testLogger, retrying, waitForTip } from "../support/wait.ts";

const SEED = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);

describe(`reorgs (seed ${SEED})`, () => {
  let chain: TestChain;
  const rand = random(SEED);
  before(async () => {
    chain = retrying(await startChain());
    await mineActivity(chain, { blocks: 12, perBlock: { max: 4 }, tag: "base", rand });
  });
  after(() => chain?.stop());

  const follower = (db: Db, extra: Partial<FollowerOptions> = {}) =>
    createFollower({
      db,
      client: chain.publicClient,
      deployment: chain.deployment,
      domain,
      confirmations: 0,
      maxReorgDepth: 12,
      chunkSize: 5,
      pollInterval: 10,
      logger: testLogger,
      ...extra,
    });

  for (const store of stores) {
    describe(store.name, () => {
      // Two stores for the suite, emptied before each use.
      const dbs = suiteStores(store, 2);

      it("rolls back reorgs of depth 1..10 at random points to the canonical chain's index", async () => {
        const [db, fresh] = dbs;
        const f = follower(db);
        const running = f.run();
        try {
          await waitForTip(f, chain);
          const depths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].sort(() => rand() - 0.5);
          for (const [i, depth] of depths.entries()) {
            const tag = `${store.name}-${i}`;
            // A random point: a few more blocks of activity first.
            await mineActivity(chain, {
              blocks: Math.floor(rand() * 3),
              perBlock: { max: 3 },
              tag: `${tag}-pre`,
              rand,
            });
            const ancestor = await waitForTip(f, chain);
            const snapshot = await chain.testClient.snapshot();
            await mineActivity(chain, {
              blocks: depth,
              perBlock: { min: 1, max: 4 },
              tag: `${tag}-old`,
              rand,
            });
            const old = await waitForTip(f, chain);
            assert.equal(old.number, ancestor.number + BigInt(depth));
            await chain.testClient.revert({ id: snapshot });
            // The new branch is shorter, as long or longer than the old one.
            const length = Math.max(1, depth - 2 + Math.floor(rand() * 5));
            await mineActivity(chain, {
              blocks: length,
              perBlock: { min: 1, max: 4 },
              tag: `${tag}-new`,
              rand,
            });
            const tip = await waitForTip(f, chain);
            assert.equal(tip.number, ancestor.number + BigInt(length));

            await resetStore(fresh);
            await follower(fresh).catchUp();
            assertSameStore(
              await dumpStore(db),
              await dumpStore(fresh),
              `after the reorg of depth ${depth}`,
            );
          }
          const { rows } = await db.query<{ n: string }>(
            "SELECT count(*) AS n FROM events WHERE args->>'uri' LIKE '%-old/%'",
          );
          assert.equal(rows[0].n, "0", "no event of an abandoned branch is left");
        } finally {
          await f.stop();
          await running.catch(() => undefined);
        }
      });

      it("stops with a clear error on a reorg deeper than the limit, leaving the store as it was", async () => {
        const [, fresh] = dbs;
        await resetStore(fresh);
        const f = follower(fresh, { maxReorgDepth: 3 });
        // Handled at once: the rejection may come while the new branch is still being mined.
        const outcome = f.run().then(
          () => null,
          (error: unknown) => error,
        );
        try {
          await waitForTip(f, chain);
          const snapshot = await chain.testClient.snapshot();
          await mineActivity(chain, {
            blocks: 5,
            perBlock: { min: 1, max: 2 },
            tag: `${store.name}-deep-old`,
            rand,
          });
          const old = await waitForTip(f, chain);
          const before = await dumpStore(fresh);
          await chain.testClient.revert({ id: snapshot });
          await mineActivity(chain, {
            blocks: 6,
            perBlock: { min: 1, max: 2 },
            tag: `${store.name}-deep-new`,
            rand,
          });
          const error = await outcome;
          assert.ok(error instanceof FollowerError, String(error));
          assert.equal(error.code, "reorg_too_deep");
          assert.match(error.message, /Reorg deeper than MAX_REORG_DEPTH \(3\)/);
          assert.equal(f.status().phase, "failed");
          assert.equal(f.status().error?.code, "reorg_too_deep");
          assert.equal(f.status().checkpoint?.hash, old.hash);
          assertSameStore(await dumpStore(fresh), before, "after the refused reorg");
        } finally {
          await f.stop();
        }
      });
    });
  }
});
