import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { encodeAbiParameters, keccak256, concat, type Address, type Hex } from "viem";
import { distributionTree, splitShares } from "../../src/operator/revenue.ts";

const member = (n: number): Address => `0x${n.toString(16).padStart(40, "0")}`;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("splitting a grant's member share by use", () => {
  it("adds up exactly, whatever the share and the units (random cases)", () => {
    const rand = random(42);
    for (let round = 0; round < 500; round++) {
      const share = BigInt(Math.floor(rand() * 1e12)) * BigInt(1 + Math.floor(rand() * 1e6));
      const usage = new Map<Address, number>();
      const n = 1 + Math.floor(rand() * 40);
      for (let i = 0; i < n; i++) usage.set(member(i + 1), Math.floor(rand() * 50));
      const shares = splitShares(share, usage);
      const total = [...usage.values()].reduce((a, b) => a + b, 0);
      const sum = shares.reduce((a, s) => a + s.amount, 0n);
      assert.equal(sum, total === 0 ? 0n : share, `round ${round}`);
      for (const s of shares) {
        // Within one wei of the exact proportion, never below its floor.
        const floor = (share * BigInt(s.units)) / BigInt(total);
        assert.ok(s.amount === floor || s.amount === floor + 1n);
      }
    }
  });

  it("gives the leftover wei to the largest remainders, ties to the lower address", () => {
    // 10 wei over units 1, 1, 1: 3 each and 1 left; equal remainders: the lowest address gets it.
    const even = splitShares(
      10n,
      new Map([
        [member(3), 1],
        [member(1), 1],
        [member(2), 1],
      ]),
    );
    assert.deepEqual(
      even.map((s) => [s.member, s.amount]),
      [
        [member(1), 4n],
        [member(2), 3n],
        [member(3), 3n],
      ],
    );
    // 100 wei over units 1, 2, 4 (7): exact 14.28, 28.57, 57.14 → floors 14, 28, 57 (99); the largest
    // remainder (2·100 mod 7 = 4) gets the last wei.
    const uneven = splitShares(
      100n,
      new Map([
        [member(1), 1],
        [member(2), 2],
        [member(3), 4],
      ]),
    );
    assert.deepEqual(
      uneven.map((s) => s.amount),
      [14n, 29n, 57n],
    );
  });

  it("allocates nothing when nothing was served, and leaves out members with no units", () => {
    assert.deepEqual(splitShares(1000n, new Map([[member(1), 0]])), []);
    assert.deepEqual(
      splitShares(
        5n,
        new Map([
          [member(1), 0],
          [member(2), 3],
        ]),
      ).map((s) => [s.member, s.amount]),
      [[member(2), 5n]],
    );
    assert.equal(distributionTree([]), undefined);
  });

  it("builds the revenue contract's leaves: keccak256(keccak256(abi.encode(member, amount)))", () => {
    const shares = splitShares(
      1_000_003n,
      new Map([
        [member(7), 3],
        [member(9), 5],
        [member(11), 1],
      ]),
    );
    const tree = distributionTree(shares)!;
    for (const [i, [account, amount]] of tree.entries()) {
      const leaf = keccak256(
        keccak256(
          encodeAbiParameters(
            [{ type: "address" }, { type: "uint256" }],
            [account as Address, BigInt(amount)],
          ),
        ),
      );
      assert.equal(tree.leafHash([account, amount]), leaf);
      // The proof climbs to the root with sorted pairs, as OpenZeppelin's MerkleProof does.
      let node: Hex = leaf;
      for (const sibling of tree.getProof(i) as Hex[]) {
        node = keccak256(node < sibling ? concat([node, sibling]) : concat([sibling, node]));
      }
      assert.equal(node, tree.root);
      assert.ok(
        StandardMerkleTree.verify(
          tree.root,
          ["address", "uint256"],
          [account, amount],
          tree.getProof(i),
        ),
      );
      assert.equal(
        StandardMerkleTree.verify(
          tree.root,
          ["address", "uint256"],
          [account, (BigInt(amount) + 1n).toString()],
          tree.getProof(i),
        ),
        false,
      );
    }
  });
});
