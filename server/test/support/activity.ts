/**
 * Cheap on-chain activity for follower tests: membership applications from the non-members (accounts
 * 5–19) and consent changes from the founders (0–4), several per block, plus some empty blocks.
 */
import { encodeFunctionData, type Hex } from "viem";
import { consentAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import type { TestChain } from "./chain.ts";

/** A small seeded PRNG (mulberry32) so a failing run can be replayed from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ActivityOptions {
  blocks: number;
  /** Transactions per block: a number, or drawn from min..max with `rand`. */
  perBlock: number | { min?: number; max: number };
  /** Makes the calls of this batch differ from any other batch (another branch of a reorg). */
  tag: string;
  rand?: () => number;
}

/** Mines `blocks` blocks of activity; returns the number of events emitted. */
export async function mineActivity(chain: TestChain, options: ActivityOptions): Promise<number> {
  const rand = options.rand ?? Math.random;
  const { testClient, deployment, accounts } = chain;
  // The node's own unlocked accounts sign: no nonce bookkeeping here, many transactions per block.
  const send = testClient.request as unknown as (args: {
    method: string;
    params: unknown[];
  }) => Promise<Hex>;
  let events = 0;
  let serial = 0;
  await testClient.setAutomine(false);
  try {
    for (let b = 0; b < options.blocks; b++) {
      const count =
        typeof options.perBlock === "number"
          ? options.perBlock
          : (options.perBlock.min ?? 0) +
            Math.floor(rand() * (options.perBlock.max - (options.perBlock.min ?? 0) + 1));
      const sends: Promise<Hex>[] = [];
      for (let i = 0; i < count; i++) {
        const consent = rand() < 0.3;
        const from = consent
          ? accounts[Math.floor(rand() * 5)].address
          : accounts[5 + Math.floor(rand() * 15)].address;
        const data = consent
          ? encodeFunctionData({
              abi: consentAbi,
              functionName: "setConsent",
              args: [BigInt(Math.floor(rand() * 8))],
            })
          : encodeFunctionData({
              abi: membershipAbi,
              functionName: "applyForMembership",
              args: [`ipfs://${options.tag}/${serial++}`],
            });
        const to = consent ? deployment.contracts.consent : deployment.contracts.membership;
        sends.push(
          send({ method: "eth_sendTransaction", params: [{ from, to, data, gas: "0x30d40" }] }),
        );
      }
      await Promise.all(sends);
      await testClient.mine({ blocks: 1 });
      events += count;
    }
  } finally {
    await testClient.setAutomine(true);
  }
  return events;
}
