/**
 * The chain view's consent facts are cached per indexed block (src/domain/chainView.ts). Against a real
 * Hardhat node indexed by the follower, with the cache warm from the previous step each time: after every
 * change — consent given, withdrawn in the latest block, an opt-in and an opt-out, a non-member's
 * setting, a resignation, and a reorg that replaces a withdrawal with other events — the facts the gateway
 * reads give, for every account, exactly the consent registry's own `covers` answer.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createFollower, type Follower } from "../../../src/follower/follower.ts";
import { sqlChainView } from "../../../src/follower/chainView.ts";
import { domain } from "../../../src/follower/domain.ts";
import { includesMember, type GrantFacts } from "../../../src/gateway/query/policy.ts";
import type { Db } from "../../../src/store/db.ts";
import { startChain, type TestChain } from "../../support/chain.ts";
import { coop } from "../../support/coop.ts";
import { stores } from "../../support/stores.ts";
import { retrying, testLogger, waitForTip } from "../../support/wait.ts";
import { zeroHash } from "viem";

const PURPOSE = 0;
const GRANT = 1n;

describe("cached consent facts against the consent registry", () => {
  let chain: TestChain | undefined;
  after(() => chain?.stop());

  for (const store of stores) {
    it(`match covers() after every change, reorgs included (${store.name})`, async () => {
      // A chain of its own per store: the steps below start from a fresh co-op.
      await chain?.stop();
      const current = retrying(await startChain());
      chain = current;
      const db: Db = await store.open();
      const follower: Follower = createFollower({
        db,
        client: current.publicClient,
        deployment: current.deployment,
        domain,
        confirmations: 0,
        maxReorgDepth: 12,
        pollInterval: 10,
        logger: testLogger,
      });
      const running = follower.run();
      try {
        const c = coop(current);
        const view = sqlChainView({ chainId: current.deployment.chainId, confirmations: 0 });
        const grant = { id: GRANT, purpose: PURPOSE } as GrantFacts;
        const addresses = current.accounts.map((a) => a.address.toLowerCase());
        const reads: number[] = [];

        /** Indexed up to the node's head; the view's answer for every account, checked against covers(). */
        async function check(step: string) {
          const tip = await waitForTip(follower, current);
          const facts = await db.transaction((tx) => view.consentFacts(tx, grant, addresses));
          const ours = addresses.map((m) => {
            const f = facts.get(m);
            return f !== undefined && includesMember(f, PURPOSE);
          });
          const theirs = await Promise.all(
            addresses.map((m) =>
              c.read<boolean>("consent", "covers", [m, PURPOSE, GRANT], tip.number),
            ),
          );
          assert.deepEqual(ours, theirs, `${step} (block ${tip.number})`);
          reads.push(ours.filter(Boolean).length);
          return ours;
        }

        // A dataset registered by vote and a partner's request: the grant choices below are for it.
        await c.pass(
          [
            c.call("registry", "registerDataset", [
              "Readings",
              "ipfs://schemas/readings",
              `0x${"ab".repeat(32)}`,
              ["region", "ph"],
            ]),
          ],
          "# Register the readings dataset",
        );
        await c.send(15, "registry", "requestAccess", [
          1n,
          PURPOSE,
          { fieldMask: 0b10n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
          86_400n,
          "ipfs://terms",
          "Valley Research Institute",
        ]);
        await check("nobody has consented");
        for (const i of [0, 1, 2])
          await c.send(i, "consent", "setConsent", [1n << BigInt(PURPOSE)]);
        await c.send(3, "consent", "setGrantChoice", [GRANT, 1]);
        await c.send(12, "consent", "setConsent", [1n]); // not a member
        let covered = await check("consent and an opt-in");
        assert.deepEqual(covered.slice(0, 5), [true, true, true, true, false]);
        assert.equal(covered[12], false);

        // A withdrawal in the latest block counts at once, although the cache was warm.
        await c.send(1, "consent", "setConsent", [0n]);
        covered = await check("withdrawal in the latest block");
        assert.equal(covered[1], false);
        await c.send(2, "consent", "setGrantChoice", [GRANT, 2]);
        covered = await check("opt-out of the grant");
        assert.equal(covered[2], false);
        await c.send(3, "membership", "resign");
        covered = await check("resignation");
        assert.equal(covered[3], false);

        // A reorg: member 0 withdraws on a branch that is then replaced by one where member 4 consents.
        const snapshot = await current.testClient.snapshot();
        await c.send(0, "consent", "setConsent", [0n]);
        covered = await check("withdrawal on the old branch");
        assert.equal(covered[0], false);
        await current.testClient.revert({ id: snapshot });
        await c.send(4, "consent", "setConsent", [1n]);
        await current.testClient.mine({ blocks: 2 });
        covered = await check("after the reorg");
        assert.deepEqual(covered.slice(0, 5), [true, false, false, false, true]);
      } finally {
        await follower.stop();
        await running.catch(() => undefined);
        await db.close();
      }
    });
  }
});
