import { ethers } from "ethers";

/** Leaf of an `(account, amount)` allocation, as Revenue verifies it (OpenZeppelin's standard tree leaf). */
export function allocationLeaf(account: string, amount: bigint): string {
  const encoded = ethers.AbiCoder.defaultAbiCoder().encode(
    ["address", "uint256"],
    [account, amount],
  );
  return ethers.keccak256(ethers.keccak256(encoded));
}

function hashPair(a: string, b: string): string {
  return ethers.keccak256(ethers.concat(BigInt(a) < BigInt(b) ? [a, b] : [b, a]));
}

/** A Merkle tree over `leaves` with sorted-pair hashing (OpenZeppelin's MerkleProof); odd nodes move up. */
export function merkleTree(leaves: string[]) {
  const layers: string[][] = [leaves];
  while (layers[layers.length - 1].length > 1) {
    const below = layers[layers.length - 1];
    const above: string[] = [];
    for (let i = 0; i < below.length; i += 2) {
      above.push(i + 1 < below.length ? hashPair(below[i], below[i + 1]) : below[i]);
    }
    layers.push(above);
  }
  return {
    root: layers[layers.length - 1][0],
    proof(index: number): string[] {
      const proof: string[] = [];
      for (const layer of layers.slice(0, -1)) {
        const sibling = index ^ 1;
        if (sibling < layer.length) proof.push(layer[sibling]);
        index >>= 1;
      }
      return proof;
    },
  };
}
