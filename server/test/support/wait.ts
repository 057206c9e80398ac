import assert from "node:assert/strict";
import { createPublicClient, createTestClient, http, publicActions } from "viem";
import { hardhat } from "viem/chains";
import type { Follower } from "../../src/follower/follower.ts";
import { createLogger, silentLogger } from "../../src/log.ts";

/** TEST_LOG=debug shows the follower's logs. */
export const testLogger = process.env.TEST_LOG ? createLogger(process.env.TEST_LOG) : silentLogger;
import type { TestChain } from "./chain.ts";

/**
 * The chain's clients with retries: opening an in-memory PGlite blocks the event loop for seconds, long
 * enough for the node to drop idle keep-alive connections under the client's feet.
 */
export function retrying(chain: TestChain): TestChain {
  const transport = http(chain.rpcUrl, { batch: false, retryCount: 5, retryDelay: 50 });
  return {
    ...chain,
    publicClient: createPublicClient({ chain: hardhat, transport }),
    testClient: createTestClient({ chain: hardhat, mode: "hardhat", transport }).extend(
      publicActions,
    ),
  };
}

/** Waits until the follower's checkpoint is the node's latest block (same number and hash). */
export async function waitForTip(follower: Follower, chain: TestChain, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await chain.publicClient.getBlock({ blockTag: "latest" });
    const status = follower.status();
    if (status.phase === "failed") throw new Error(`The follower failed: ${status.error?.message}`);
    if (status.checkpoint?.hash === head.hash) return head;
    if (Date.now() > deadline) {
      throw new Error(
        `The follower is at ${status.checkpoint?.number} ${status.checkpoint?.hash}, the node at ${head.number} ${head.hash}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asserts two store dumps are equal, naming the first table and rows that differ (not the whole dump). */
export function assertSameStore(
  actual: Record<string, string[]>,
  expected: Record<string, string[]>,
  message: string,
): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${message}: tables`);
  for (const table of Object.keys(expected)) {
    const a = new Set(actual[table]);
    const e = new Set(expected[table]);
    const extra = actual[table].filter((r) => !e.has(r)).slice(0, 3);
    const missing = expected[table].filter((r) => !a.has(r)).slice(0, 3);
    assert.ok(
      extra.length === 0 && missing.length === 0 && actual[table].length === expected[table].length,
      `${message}: table ${table} differs (${actual[table].length} rows, expected ${expected[table].length})\n` +
        `unexpected: ${extra.join("\n")}\nmissing: ${missing.join("\n")}`,
    );
  }
}
