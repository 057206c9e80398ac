import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { decodeEventLog } from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import { logDecoder } from "../../src/follower/decode.ts";
import { createFollower, type Commit, type FollowerOptions } from "../../src/follower/follower.ts";
import { domain } from "../../src/follower/domain.ts";
import type { Db } from "../../src/store/db.ts";
import { mineActivity, random } from "../support/activity.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { dumpStore, resetStore } from "../support/dump.ts";
import { stores, suiteStores } from "../support/stores.ts";
import { assertSameStore, testLogger, retrying } from "../support/wait.ts";

const SEED = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);

describe(`follower (seed ${SEED})`, () => {
  let chain: TestChain;
  let emitted = 0;
  before(async () => {
    chain = retrying(await startChain());
    const rand = random(SEED);
    emitted = await mineActivity(chain, { blocks: 30, perBlock: { max: 6 }, tag: "a", rand });
    emitted += await mineActivity(chain, { blocks: 3, perBlock: 0, tag: "empty" });
    emitted += await mineActivity(chain, { blocks: 5, perBlock: 40, tag: "b", rand });
  });
  after(() => chain?.stop());

  const follower = (db: Db, extra: Partial<FollowerOptions> = {}) =>
    createFollower({
      db,
      client: chain.publicClient,
      deployment: chain.deployment,
      domain,
      confirmations: 0,
      maxReorgDepth: 4,
      pollInterval: 20,
      logger: testLogger,
      ...extra,
    });

  it("decodes every log of the history exactly as viem's decodeEventLog does", async () => {
    const decoder = logDecoder(chain.deployment);
    const logs = await chain.publicClient.getLogs({
      address: decoder.addresses,
      fromBlock: BigInt(chain.deployment.startBlock),
      toBlock: "latest",
    });
    const names = new Set<string>();
    for (const log of logs) {
      const decoded = decoder.decode(log, 0n);
      assert.ok(decoded, `log ${log.blockNumber}/${log.logIndex} decoded`);
      const expected = decodeEventLog({
        abi: ABIS[decoded.contract],
        data: log.data,
        topics: log.topics,
      });
      assert.equal(decoded.eventName, expected.eventName);
      assert.deepEqual(decoded.args, expected.args);
      names.add(decoded.eventName);
    }
    assert.ok(names.size >= 10, [...names].join(", "));
  });

  for (const store of stores) {
    describe(store.name, () => {
      // Two stores for the whole suite, emptied before each use.
      const dbs = suiteStores(store, 2);

      it("backfills in many chunks to the same store as in one chunk", async () => {
        const [one, many] = dbs;
        await resetStore(one);
        await resetStore(many);
        {
          const commits: Commit[] = [];
          const a = await follower(one, { chunkSize: 100_000 }).catchUp();
          const b = await follower(many, {
            chunkSize: 3,
            onCommit: (c) => commits.push(c),
          }).catchUp();
          assert.deepEqual(a, b);
          const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
          assert.equal(b.number, head);
          assert.ok(commits.length >= 10, `${commits.length} chunks`);
          const dump = await dumpStore(one);
          assertSameStore(await dumpStore(many), dump, "many chunks vs one");
          const activity = dump.events.filter((r) =>
            /"event_name":"(MembershipApplied|ConsentSet)"/.test(r),
          );
          assert.equal(activity.length, emitted);
          // The reorg window: the last maxReorgDepth + 1 headers, nothing older.
          assert.deepEqual(
            dump.blocks.map((r) => JSON.parse(r).number).sort(),
            [0n, 1n, 2n, 3n, 4n].map((d) => (head - d).toString()).sort(),
          );
          const { rows } = await one.query<{ args: { applicant: string; uri: string } }>(
            "SELECT args FROM events WHERE event_name = 'MembershipApplied' ORDER BY block_number, log_index LIMIT 1",
          );
          assert.match(rows[0].args.uri, /^ipfs:\/\/a\/0$/);
          assert.match(rows[0].args.applicant, /^0x[0-9a-fA-F]{40}$/);
          const { rows: consent } = await one.query<{ args: { mask: unknown } }>(
            "SELECT args FROM events WHERE event_name = 'ConsentSet' LIMIT 1",
          );
          assert.equal(typeof consent[0].args.mask, "string", "uint256 as a decimal string");
        }
      });

      it("resumes from the checkpoint and follows new blocks as they are mined", async () => {
        const [db, fresh] = dbs;
        await resetStore(db);
        await resetStore(fresh);
        {
          const f = follower(db, { chunkSize: 7 });
          await f.catchUp();
          const running = f.run();
          const before = (
            await db.query<{ n: string }>(
              "SELECT count(*) AS n FROM events WHERE event_name IN ('MembershipApplied', 'ConsentSet')",
            )
          ).rows[0].n;
          const added = await mineActivity(chain, {
            blocks: 6,
            perBlock: { max: 5 },
            tag: `follow-${store.name}`,
            rand: random(SEED + 1),
          });
          const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
          const deadline = Date.now() + 10_000;
          while ((f.status().checkpoint?.number ?? 0n) < head) {
            assert.ok(Date.now() < deadline, "the follower did not reach the new head");
            await new Promise((r) => setTimeout(r, 20));
          }
          assert.equal(f.status().caughtUp, true);
          await f.stop();
          await running;
          assert.equal(f.status().phase, "stopped");
          const after = (
            await db.query<{ n: string }>(
              "SELECT count(*) AS n FROM events WHERE event_name IN ('MembershipApplied', 'ConsentSet')",
            )
          ).rows[0].n;
          assert.equal(Number(after) - Number(before), added);
          emitted += added;
          await follower(fresh, { chunkSize: 1000 }).catchUp();
          assertSameStore(await dumpStore(db), await dumpStore(fresh), "followed vs fresh");
        }
      });
    });
  }
});
