import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import {
  AnchorReadError,
  readAnchors,
  type ChainAnchor,
} from "@datacoop/protocol/accessLog/anchors";
import {
  NO_PREVIOUS_ROOT,
  batchOf,
  verifyAnchorChain,
  verifyEntry,
  verifyLog,
} from "@datacoop/protocol/accessLog/batches";
import { MerkleLog } from "@datacoop/protocol/accessLog/merkle";
import { startChain, type TestChain } from "../support/chain.ts";

const OPERATOR = 8;
const SIZES = [5, 64, 200];

function entryHash(n: number): Hex {
  return `0x${createHash("sha256").update(`access ${n}`).digest("hex")}`;
}

describe("anchors on the chain", () => {
  let chain: TestChain;
  const entries = Array.from({ length: 300 }, (_, n) => entryHash(n));
  const log = MerkleLog.fromLeaves(entries);
  const blocks: bigint[] = [];

  before(async () => {
    chain = await startChain();
    let previousRoot = NO_PREVIOUS_ROOT;
    for (const size of SIZES) {
      const root = log.root(size);
      const hash = await chain.wallet(OPERATOR).writeContract({
        address: chain.deployment.contracts.accessLog,
        abi: accessLogAbi,
        functionName: "anchor",
        args: [root, BigInt(size), previousRoot],
      });
      const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, "success");
      blocks.push(receipt.blockNumber);
      previousRoot = root;
    }
  });
  after(() => chain?.stop());

  const read = (options: Parameters<typeof readAnchors>[2] = {}) =>
    readAnchors(chain.publicClient, chain.deployment.contracts.accessLog, {
      fromBlock: BigInt(chain.deployment.startBlock),
      ...options,
    });

  it("reads every anchor the operator posted, in batch order", async () => {
    const anchors = await read();
    assert.deepEqual(
      anchors.map(({ batch, root, size, previousRoot, blockNumber }) => ({
        batch,
        root,
        size,
        previousRoot,
        blockNumber,
      })),
      SIZES.map((size, n) => ({
        batch: n + 1,
        root: log.root(size),
        size,
        previousRoot: n === 0 ? NO_PREVIOUS_ROOT : log.root(SIZES[n - 1]),
        blockNumber: blocks[n],
      })),
    );
    for (const anchor of anchors) {
      const block = await chain.publicClient.getBlock({ blockNumber: anchor.blockNumber });
      assert.equal(anchor.timestamp, Number(block.timestamp));
    }
    // One block per request reads the same anchors.
    assert.deepEqual(await read({ chunk: 1n }), anchors);
  });

  it("the log verifies against the chain's anchors, and an edit names its batch", async () => {
    const anchors = await read();
    assert.deepEqual(verifyLog(entries, anchors), {
      ok: true,
      batches: 3,
      anchoredSize: 200,
      root: log.root(200),
      unanchored: 100,
    });
    const proofs = anchors.map((anchor, n) =>
      log.consistencyProof(anchors[n - 1]?.size ?? 0, anchor.size),
    );
    assert.equal(verifyAnchorChain(anchors, proofs).ok, true);

    const edited = entries.with(70, entryHash(7000));
    const result = verifyLog(edited, anchors);
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && [result.batch, result.fromSize, result.toSize, result.fault], [
      3,
      64,
      200,
      "ROOT_MISMATCH",
    ]);
    const deleted = verifyLog(entries.toSpliced(3, 1), anchors);
    assert.equal(!deleted.ok && deleted.batch, 1);
  });

  it("an entry's inclusion proof verifies against the anchored root", async () => {
    const anchors = await read();
    for (const index of [0, 4, 5, 63, 150, 199]) {
      const anchor: ChainAnchor = anchors[batchOf(anchors, index)! - 1];
      const proof = log.inclusionProof(index, anchor.size);
      assert.ok(verifyEntry({ entry: entries[index], index, anchor, proof }));
      assert.equal(verifyEntry({ entry: entryHash(-1), index, anchor, proof }), false);
    }
  });

  it("reads the anchors as they stood at an earlier block", async () => {
    const anchors = await read({ toBlock: blocks[1] });
    assert.deepEqual(
      anchors.map((a) => a.size),
      [5, 64],
    );
  });

  it("refuses a range that misses a batch", async () => {
    await assert.rejects(
      read({ fromBlock: blocks[0] + 1n }),
      (error) => error instanceof AnchorReadError && error.code === "ANCHORS_INCOMPLETE",
    );
  });
});
