import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import {
  EMPTY_ROOT,
  MerkleError,
  MerkleLog,
  hashChildren,
  hashLeaf,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from "../../src/accessLog/merkle.ts";

// Known answers from an independent RFC 6962 implementation: transparency-dev/merkle (the Go library behind
// Certificate Transparency and Trillian), testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and
// proof/verify_test.go (inclusionProofs, consistencyProofs; the same vectors as the C++ merkle_tree_test.cc of
// google/certificate-transparency). Node ids of the odd-sized proofs come from proof/proof_test.go.
const LEAF_INPUTS: Hex[] = [
  "0x",
  "0x00",
  "0x10",
  "0x2021",
  "0x3031",
  "0x40414243",
  "0x5051525354555657",
  "0x606162636465666768696a6b6c6d6e6f",
];

/** NODE[level][i]: the perfect subtree hashes of the 8-leaf tree (level 0: leaf hashes). */
const NODE: Hex[][] = [
  [
    "0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "0x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0x0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "0x07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "0x4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "0xb08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "0x46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
  ],
  [
    "0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "0x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "0xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
  ],
  [
    "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "0x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ],
  ["0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

/** ROOTS[size] for the trees of the first `size` leaf inputs. */
const ROOTS: Hex[] = [
  "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "0xaeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "0x4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "0x76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "0xddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "0x5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/** verify_test.go lists leaves from 1; here indices are from 0. */
const INCLUSION_VECTORS: { index: number; size: number; proof: Hex[] }[] = [
  { index: 0, size: 1, proof: [] },
  {
    index: 0,
    size: 8,
    proof: [
      "0x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "0x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      "0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "0xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    index: 2,
    size: 3,
    proof: ["0xfac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"],
  },
  {
    index: 1,
    size: 5,
    proof: [
      "0x6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
];

const CONSISTENCY_VECTORS: { first: number; second: number; proof: Hex[] }[] = [
  { first: 1, second: 1, proof: [] },
  {
    first: 1,
    second: 8,
    proof: [
      "0x96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "0x6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    first: 6,
    second: 8,
    proof: [
      "0x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "0xca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  {
    first: 2,
    second: 5,
    proof: [
      "0x5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "0xbc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ],
  },
  {
    first: 6,
    second: 7,
    proof: [
      "0x0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "0xb08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "0xd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
];

// Named as in proof/proof_test.go's picture of the 7-leaf tree: leaves a–f, j; g = ab, h = cd, i = ef, k = gh,
// and l = H(i, j) (a node the 8-leaf tables do not hold: the proofs "rehash" it from i and j).
const [a, b, c, d, e, f, j, leaf7] = NODE[0];
const [g, h, i] = NODE[1];
const k = NODE[2][0];
const l = hashChildren(i, j);

const STRUCTURE_INCLUSION: { index: number; size: number; proof: Hex[] }[] = [
  { index: 0, size: 2, proof: [b] },
  { index: 1, size: 3, proof: [a, c] },
  { index: 0, size: 7, proof: [b, h, l] },
  { index: 2, size: 7, proof: [d, g, l] },
  { index: 4, size: 7, proof: [f, j, k] },
  { index: 6, size: 7, proof: [i, k] },
  { index: 2, size: 4, proof: [d, g] },
  { index: 3, size: 5, proof: [c, g, e] },
  { index: 3, size: 6, proof: [c, g, i] },
  { index: 4, size: 6, proof: [f, k] },
];

const STRUCTURE_CONSISTENCY: { first: number; second: number; proof: Hex[] }[] = [
  { first: 1, second: 2, proof: [b] },
  { first: 1, second: 4, proof: [b, h] },
  { first: 1, second: 6, proof: [b, h, i] },
  { first: 2, second: 3, proof: [c] },
  { first: 2, second: 8, proof: [h, NODE[2][1]] },
  { first: 3, second: 7, proof: [c, d, g, l] },
  { first: 4, second: 7, proof: [l] },
  { first: 5, second: 7, proof: [e, f, j, k] },
  { first: 6, second: 7, proof: [i, j, k] },
  { first: 7, second: 8, proof: [j, leaf7, i, k] },
  { first: 2, second: 4, proof: [h] },
  { first: 3, second: 5, proof: [c, d, g, e] },
  { first: 3, second: 6, proof: [c, d, g, i] },
  { first: 4, second: 6, proof: [i] },
  { first: 1, second: 7, proof: [b, h, l] },
];

const SOME_HASH: Hex = "0xabacaba000000000000000000000000000000000000000000060061e00123456";

// --- A reference transcription of RFC 6962 section 2.1, recursive over arrays, sharing nothing with the
// module under test but SHA-256. Range hashes are memoised so that every proof for sizes up to 300 stays cheap.
function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function hex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

class ReferenceTree {
  readonly #leaves: Buffer[];
  readonly #memo = new Map<string, Buffer>();

  constructor(inputs: readonly Uint8Array[]) {
    this.#leaves = inputs.map((input) => sha256(Uint8Array.of(0), input));
  }

  /** MTH(D[lo:hi]). */
  mth(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 0) return sha256();
    if (n === 1) return this.#leaves[lo];
    const key = `${lo}:${hi}`;
    let hash = this.#memo.get(key);
    if (!hash) {
      const k = largestPowerOfTwoBelow(n);
      hash = sha256(Uint8Array.of(1), this.mth(lo, lo + k), this.mth(lo + k, hi));
      this.#memo.set(key, hash);
    }
    return hash;
  }

  /** PATH(m, D[lo:hi]), m relative to lo. */
  path(m: number, lo: number, hi: number): Buffer[] {
    const n = hi - lo;
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    return m < k
      ? [...this.path(m, lo, lo + k), this.mth(lo + k, hi)]
      : [...this.path(m - k, lo + k, hi), this.mth(lo, lo + k)];
  }

  /** SUBPROOF(m, D[lo:hi], b), m relative to lo. */
  subproof(m: number, lo: number, hi: number, whole: boolean): Buffer[] {
    const n = hi - lo;
    if (m === n) return whole ? [] : [this.mth(lo, hi)];
    const k = largestPowerOfTwoBelow(n);
    return m <= k
      ? [...this.subproof(m, lo, lo + k, whole), this.mth(lo + k, hi)]
      : [...this.subproof(m - k, lo + k, hi, false), this.mth(lo, lo + k)];
  }
}

function largestPowerOfTwoBelow(n: number): number {
  return 2 ** Math.floor(Math.log2(n - 1));
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomLeaves(count: number, seed: number): Uint8Array[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, n) => {
    const bytes = new Uint8Array(Math.floor(next() * 48));
    for (let x = 0; x < bytes.length; x++) bytes[x] = Math.floor(next() * 256);
    // Distinct leaves, so a swapped or shifted leaf always changes something.
    return Buffer.concat([Buffer.from(`entry ${n} `), bytes]);
  });
}

function flipBit(hash: Hex, bit: number): Hex {
  const bytes = Buffer.from(hash.slice(2), "hex");
  bytes[0] ^= 1 << bit;
  return hex(bytes);
}

/** Corruptions after transparency-dev/merkle proof/verify_test.go corruptInclusionProof, plus a few more. */
function corruptInclusion(claim: Parameters<typeof verifyInclusion>[0]) {
  const { index, size, leafHash, proof, root } = claim;
  const probes: [string, Parameters<typeof verifyInclusion>[0]][] = [
    ["index - 1", { ...claim, index: index - 1 }],
    ["index + 1", { ...claim, index: index + 1 }],
    ["index ^ 2", { ...claim, index: index ^ 2 }],
    ["index = size", { ...claim, index: size }],
    ["size * 2", { ...claim, size: size * 2 }],
    ["size / 2", { ...claim, size: Math.floor(size / 2) }],
    ["wrong leaf", { ...claim, leafHash: hashLeaf("0x77726f6e67") }],
    ["changed leaf hash", { ...claim, leafHash: flipBit(leafHash, 0) }],
    ["empty root", { ...claim, root: EMPTY_ROOT }],
    ["random root", { ...claim, root: SOME_HASH }],
    ["trailing garbage", { ...claim, proof: [...proof, "0x"] }],
    ["trailing root", { ...claim, proof: [...proof, root] }],
    ["preceding garbage", { ...claim, proof: ["0x", ...proof] }],
    ["preceding root", { ...claim, proof: [root, ...proof] }],
  ];
  proof.forEach((_, n) => {
    probes.push([`proof[${n}] bit 3`, { ...claim, proof: proof.with(n, flipBit(proof[n], 3)) }]);
  });
  if (proof.length > 0) probes.push(["removed component", { ...claim, proof: proof.slice(0, -1) }]);
  if (proof.length > 1) {
    probes.push([
      "inserted component",
      { ...claim, proof: [proof[0], SOME_HASH, ...proof.slice(1)] },
    ]);
    probes.push([
      "swapped components",
      { ...claim, proof: [proof[1], proof[0], ...proof.slice(2)] },
    ]);
  }
  return probes;
}

/** Corruptions after transparency-dev/merkle proof/verify_test.go corruptConsistencyProof (non-empty proofs). */
function corruptConsistency(claim: Parameters<typeof verifyConsistency>[0]) {
  const { first, second, firstRoot, secondRoot, proof } = claim;
  const probes: [string, Parameters<typeof verifyConsistency>[0]][] = [
    ["first - 1", { ...claim, first: first - 1 }],
    ["first + 1", { ...claim, first: first + 1 }],
    ["first ^ 2", { ...claim, first: first ^ 2 }],
    ["second * 2", { ...claim, second: second * 2 }],
    ["second / 2", { ...claim, second: Math.floor(second / 2) }],
    ["wrong first root", { ...claim, firstRoot: SOME_HASH }],
    ["wrong second root", { ...claim, secondRoot: SOME_HASH }],
    ["swapped roots", { ...claim, firstRoot: secondRoot, secondRoot: firstRoot }],
    ["empty proof", { ...claim, proof: [] }],
    ["trailing garbage", { ...claim, proof: [...proof, "0x"] }],
    ["trailing first root", { ...claim, proof: [...proof, firstRoot] }],
    ["trailing second root", { ...claim, proof: [...proof, secondRoot] }],
    ["preceding garbage", { ...claim, proof: ["0x", ...proof] }],
    ["preceding first root", { ...claim, proof: [firstRoot, ...proof] }],
    ["preceding second root", { ...claim, proof: [secondRoot, ...proof] }],
    ["preceding proof[0]", { ...claim, proof: [proof[0], ...proof] }],
    ["truncated proof", { ...claim, proof: proof.slice(0, -1) }],
  ];
  proof.forEach((_, n) => {
    probes.push([`proof[${n}] bit 4`, { ...claim, proof: proof.with(n, flipBit(proof[n], 4)) }]);
  });
  return probes;
}

function assertInclusionSound(claim: Parameters<typeof verifyInclusion>[0]): void {
  assert.ok(verifyInclusion(claim), `valid proof of ${claim.index} in ${claim.size} rejected`);
  for (const [what, probe] of corruptInclusion(claim)) {
    assert.equal(
      verifyInclusion(probe),
      false,
      `proof of ${claim.index} in ${claim.size} accepted with ${what}`,
    );
  }
}

function assertConsistencySound(claim: Parameters<typeof verifyConsistency>[0]): void {
  assert.ok(verifyConsistency(claim), `valid proof ${claim.first} → ${claim.second} rejected`);
  if (claim.proof.length === 0) return;
  for (const [what, probe] of corruptConsistency(claim)) {
    assert.equal(
      verifyConsistency(probe),
      false,
      `proof ${claim.first} → ${claim.second} accepted with ${what}`,
    );
  }
}

describe("Merkle tree (RFC 6962)", () => {
  describe("known answers from transparency-dev/merkle", () => {
    const log = MerkleLog.fromLeaves(LEAF_INPUTS);

    it("hashes leaves with the 0x00 prefix and nodes with the 0x01 prefix", () => {
      assert.deepEqual(LEAF_INPUTS.map(hashLeaf), NODE[0]);
      for (let level = 1; level < NODE.length; level++) {
        NODE[level].forEach((node, n) => {
          const below = NODE[level - 1];
          assert.equal(hashChildren(below[2 * n], below[2 * n + 1]), node);
        });
      }
      // Domain separation: the 64 bytes of two children, taken as a leaf, hash to something else.
      const asLeaf = hashLeaf(`0x${a.slice(2)}${b.slice(2)}`);
      assert.notEqual(asLeaf, hashChildren(a, b));
    });

    it("computes the root of every prefix, the empty tree included", () => {
      assert.equal(EMPTY_ROOT, ROOTS[0]);
      for (let size = 0; size <= LEAF_INPUTS.length; size++) {
        assert.equal(log.root(size), ROOTS[size], `root of size ${size}`);
        assert.equal(merkleRoot(LEAF_INPUTS.slice(0, size)), ROOTS[size]);
      }
      assert.equal(merkleRoot([]), EMPTY_ROOT);
    });

    it("produces and verifies the published inclusion proofs", () => {
      for (const { index, size, proof } of [...INCLUSION_VECTORS, ...STRUCTURE_INCLUSION]) {
        assert.deepEqual(log.inclusionProof(index, size), proof, `proof of ${index} in ${size}`);
        assertInclusionSound({
          index,
          size,
          leafHash: hashLeaf(LEAF_INPUTS[index]),
          proof,
          root: ROOTS[size],
        });
      }
    });

    it("produces and verifies the published consistency proofs", () => {
      for (const { first, second, proof } of [...CONSISTENCY_VECTORS, ...STRUCTURE_CONSISTENCY]) {
        assert.deepEqual(log.consistencyProof(first, second), proof, `proof ${first} → ${second}`);
        assertConsistencySound({
          first,
          second,
          firstRoot: ROOTS[first],
          secondRoot: ROOTS[second],
          proof,
        });
      }
    });

    it("accepts the trivial consistency proofs and nothing around them", () => {
      // After TestVerifyConsistency in verify_test.go; the empty tree is bound to its root here.
      const cases: [number, number, Hex, Hex, Hex[], boolean][] = [
        [0, 0, EMPTY_ROOT, EMPTY_ROOT, [], true],
        [0, 1, EMPTY_ROOT, ROOTS[1], [], true],
        [0, 1, SOME_HASH, ROOTS[1], [], false],
        [1, 1, ROOTS[1], ROOTS[1], [], true],
        [1, 1, ROOTS[1], ROOTS[2], [], false],
        [1, 0, ROOTS[1], EMPTY_ROOT, [], false],
        [2, 1, ROOTS[2], ROOTS[1], [], false],
        [1, 2, ROOTS[1], ROOTS[2], [], false],
        [0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], false],
        [0, 1, EMPTY_ROOT, ROOTS[1], [EMPTY_ROOT], false],
        [1, 1, ROOTS[1], ROOTS[1], [EMPTY_ROOT], false],
      ];
      for (const [first, second, firstRoot, secondRoot, proof, valid] of cases) {
        assert.equal(
          verifyConsistency({ first, second, firstRoot, secondRoot, proof }),
          valid,
          `${first} → ${second}`,
        );
      }
    });

    it("rejects inclusion claims outside the tree", () => {
      for (const [index, size] of [
        [0, 0],
        [1, 0],
        [1, 1],
        [2, 1],
        [-1, 1],
        [0.5, 2],
      ] as const) {
        assert.equal(
          verifyInclusion({ index, size, leafHash: ROOTS[1], proof: [], root: ROOTS[1] }),
          false,
        );
      }
    });
  });

  describe("every size from 1 to 300", () => {
    const MAX = 300;
    const inputs = randomLeaves(MAX, 6962);
    const reference = new ReferenceTree(inputs);
    const log = MerkleLog.fromLeaves(inputs);
    const leafHashes = inputs.map(hashLeaf);
    const roots = Array.from({ length: MAX + 1 }, (_, size) => log.root(size));

    it("roots match the reference definition at every size", () => {
      for (let size = 0; size <= MAX; size++) {
        assert.equal(roots[size], hex(reference.mth(0, size)), `root of size ${size}`);
      }
      assert.equal(merkleRoot(inputs), hex(reference.mth(0, MAX)));
    });

    it("every inclusion proof matches PATH(m, D[n]) and verifies; sampled tampering fails", () => {
      const next = random(9162);
      for (let size = 1; size <= MAX; size++) {
        const root = roots[size];
        const sample = new Set([0, 1, size >> 1, size - 2, size - 1, Math.floor(next() * size)]);
        for (let index = 0; index < size; index++) {
          const proof = log.inclusionProof(index, size);
          assert.deepEqual(proof, reference.path(index, 0, size).map(hex), `${index} in ${size}`);
          const claim = { index, size, leafHash: leafHashes[index], proof, root };
          if (sample.has(index)) assertInclusionSound(claim);
          else assert.ok(verifyInclusion(claim), `proof of ${index} in ${size}`);
        }
      }
    });

    it("consistency proofs match PROOF(m, D[n]) and verify at every size; sampled tampering fails", () => {
      const next = random(6);
      for (let second = 1; second <= MAX; second++) {
        const secondRoot = roots[second];
        const sample = new Set([1, 2, second >> 1, second - 1, Math.floor(next() * second)]);
        // Every first size up to 160; beyond, a sample that still crosses every power of two.
        const firsts = new Set([...sample].filter((first) => first <= second));
        if (second <= 160) for (let first = 0; first <= second; first++) firsts.add(first);
        else {
          for (const first of [0, 1, 2, 3, 4, 8, 16, 32, 64, 128, 256, second - 2, second]) {
            if (first <= second) firsts.add(first);
          }
          for (let n = 0; n < 12; n++) firsts.add(Math.floor(next() * second));
        }
        for (const first of firsts) {
          const proof = log.consistencyProof(first, second);
          const expected = first === 0 ? [] : reference.subproof(first, 0, second, true);
          assert.deepEqual(proof, expected.map(hex), `${first} → ${second}`);
          const claim = { first, second, firstRoot: roots[first], secondRoot, proof };
          if (sample.has(first)) assertConsistencySound(claim);
          else assert.ok(verifyConsistency(claim), `proof ${first} → ${second}`);
        }
      }
    });

    it("a proof for one leaf does not verify another leaf, nor a changed leaf", () => {
      const size = 137;
      const root = log.root(size);
      for (let index = 0; index < size; index++) {
        const proof = log.inclusionProof(index, size);
        const other = leafHashes[(index + 1) % size];
        assert.equal(verifyInclusion({ index, size, leafHash: other, proof, root }), false);
        const edited = hashLeaf(Buffer.concat([inputs[index], Uint8Array.of(0)]));
        assert.equal(verifyInclusion({ index, size, leafHash: edited, proof, root }), false);
      }
    });
  });

  describe("random pairs in a large log", () => {
    const SIZE = 20_000;
    const inputs = randomLeaves(SIZE, 2026);
    const log = new MerkleLog();
    const roots = new Map<number, Hex>();
    const next = random(42);
    const checkpoints = new Set(Array.from({ length: 400 }, () => 1 + Math.floor(next() * SIZE)));
    checkpoints.add(SIZE);
    // Roots taken while the log grows must stay provable once it has grown further.
    for (const input of inputs) {
      log.append(input);
      if (checkpoints.has(log.size)) roots.set(log.size, log.root());
    }
    const sizes = [...roots.keys()].sort((x, y) => x - y);

    it("the incremental root matches the reference definition", () => {
      const reference = new ReferenceTree(inputs);
      for (const size of sizes.slice(0, 20).concat(SIZE)) {
        assert.equal(roots.get(size), hex(reference.mth(0, size)), `root of size ${size}`);
      }
    });

    it("consistency proofs between random earlier roots and later ones verify", () => {
      for (let n = 0; n < 400; n++) {
        const x = sizes[Math.floor(next() * sizes.length)];
        const y = sizes[Math.floor(next() * sizes.length)];
        const [first, second] = x <= y ? [x, y] : [y, x];
        const claim = {
          first,
          second,
          firstRoot: roots.get(first)!,
          secondRoot: roots.get(second)!,
          proof: log.consistencyProof(first, second),
        };
        if (n % 20 === 0) assertConsistencySound(claim);
        else assert.ok(verifyConsistency(claim), `proof ${first} → ${second}`);
      }
    });

    it("inclusion proofs at random indices and sizes verify against the earlier roots", () => {
      for (let n = 0; n < 400; n++) {
        const size = sizes[Math.floor(next() * sizes.length)];
        const index = Math.floor(next() * size);
        const claim = {
          index,
          size,
          leafHash: log.leafHash(index),
          proof: log.inclusionProof(index, size),
          root: roots.get(size)!,
        };
        assert.equal(claim.leafHash, hashLeaf(inputs[index]));
        if (n % 20 === 0) assertInclusionSound(claim);
        else assert.ok(verifyInclusion(claim), `proof of ${index} in ${size}`);
      }
    });

    it("a 10,000-leaf log built at once matches one built leaf by leaf, and 5,000 proofs verify", () => {
      const entries = inputs.slice(0, 10_000);
      const tree = MerkleLog.fromLeaves(entries);
      const incremental = new MerkleLog();
      for (const entry of entries) incremental.append(entry);
      const root = tree.root();
      assert.equal(incremental.root(), root);
      const claims = Array.from({ length: 5_000 }, (_, n) => {
        const index = (n * 7919) % tree.size;
        const proof = tree.inclusionProof(index, tree.size);
        return { index, size: tree.size, leafHash: tree.leafHash(index), proof, root };
      });
      assert.equal(claims.filter((claim) => verifyInclusion(claim)).length, claims.length);
    });
  });

  describe("bad arguments", () => {
    const log = MerkleLog.fromLeaves(LEAF_INPUTS.slice(0, 5));

    it("throws a MerkleError with a stable code", () => {
      const code = (code: string) => (error: unknown) =>
        error instanceof MerkleError && error.code === code;
      assert.throws(() => log.root(6), code("INVALID_SIZE"));
      assert.throws(() => log.root(-1), code("INVALID_SIZE"));
      assert.throws(() => log.inclusionProof(5, 5), code("INDEX_OUT_OF_RANGE"));
      assert.throws(() => log.inclusionProof(0, 0), code("INDEX_OUT_OF_RANGE"));
      assert.throws(() => log.inclusionProof(1.5, 5), code("INDEX_OUT_OF_RANGE"));
      assert.throws(() => log.inclusionProof(0, 6), code("INVALID_SIZE"));
      assert.throws(() => log.consistencyProof(4, 3), code("INVALID_SIZE"));
      assert.throws(() => log.consistencyProof(1, 6), code("INVALID_SIZE"));
      assert.throws(() => log.leafHash(5), code("INDEX_OUT_OF_RANGE"));
      assert.throws(() => log.append("0x123"), code("INVALID_HEX"));
      assert.throws(() => log.appendLeafHash("0x1234"), code("INVALID_HASH"));
      assert.throws(() => log.appendLeafHash(new Uint8Array(31)), code("INVALID_HASH"));
      assert.throws(() => hashChildren(EMPTY_ROOT, "0xzz"), code("INVALID_HASH"));
      assert.equal(log.size, 5, "a rejected append adds nothing");
    });

    it("a verifier answers false to malformed hashes instead of throwing", () => {
      const proof = log.inclusionProof(1, 5);
      const leafHash = log.leafHash(1);
      const root = log.root();
      assert.ok(verifyInclusion({ index: 1, size: 5, leafHash, proof, root }));
      assert.equal(verifyInclusion({ index: 1, size: 5, leafHash, proof, root: "0x" }), false);
      assert.equal(
        verifyInclusion({ index: 1, size: 5, leafHash: `${leafHash}00` as Hex, proof, root }),
        false,
      );
      const notHex = proof.with(0, `${proof[0].slice(0, 65)}g` as Hex);
      assert.equal(verifyInclusion({ index: 1, size: 5, leafHash, proof: notHex, root }), false);
      const uppercase = proof.map((p): Hex => `0x${p.slice(2).toUpperCase()}`);
      assert.ok(verifyInclusion({ index: 1, size: 5, leafHash, proof: uppercase, root }));
      assert.equal(
        verifyConsistency({
          first: 2,
          second: 5,
          firstRoot: log.root(2),
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
          secondRoot: "0x1" as Hex,
          proof: log.consistencyProof(2),
        }),
        false,
      );
    });
  });
});
