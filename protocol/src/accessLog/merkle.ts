/**
 * Merkle tree of the access log in the style of Certificate Transparency (RFC 6962 section 2.1, restated in
 * RFC 9162 section 2.1): SHA-256, leaf hash `H(0x00 || leaf)`, node hash `H(0x01 || left || right)`, the root of
 * the empty tree `H("")`, and a tree of n > 1 leaves split at the largest power of two smaller than n. Because
 * the leaf and node prefixes differ, no leaf can pose as an inner node; because the shape depends on the size,
 * a root is only meaningful together with its tree size (hence `(root, size)` in every anchor).
 *
 * Hashes cross the API as 0x-prefixed lowercase hex (bytes32), ready for the AccessLogAnchor contract.
 *
 * Proof generation keeps every complete ("perfect") subtree hash: level h holds the hashes of leaves
 * [i·2^h, (i+1)·2^h). Appending is amortised O(1) hashes, memory 2n hashes in flat byte arrays; a root, an
 * inclusion proof or a consistency proof for any past size costs O(log n) hashes. Verification follows the
 * algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2 and costs O(log n) hashes; it lives in verify.ts, which
 * runs in browsers too (this module uses Node's SHA-256, about twice as fast, for building trees).
 */
import { hash as digest } from "node:crypto";
import type { Hex } from "viem";

export type MerkleErrorCode =
  "INVALID_HEX" | "INVALID_HASH" | "INVALID_SIZE" | "INDEX_OUT_OF_RANGE";

/** Bad arguments to the tree (a verifier never throws: a bad proof is simply `false`). */
export class MerkleError extends Error {
  readonly code: MerkleErrorCode;

  constructor(code: MerkleErrorCode, message: string) {
    super(message);
    this.name = "MerkleError";
    this.code = code;
  }
}

const HASH_BYTES = 32;
const BYTES_HEX = /^0x(?:[0-9a-fA-F]{2})*$/;

// One-shot hashing of a single buffer is about twice as fast as a streaming hash per node.
function sha256Leaf(data: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(1 + data.byteLength);
  input[0] = 0x00;
  input.set(data, 1);
  return digest("sha256", input, "buffer");
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

function sha256Node(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return digest("sha256", nodeInput, "buffer");
}

const EMPTY_ROOT_BYTES = digest("sha256", new Uint8Array(0), "buffer");

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hex = toHex(EMPTY_ROOT_BYTES);

function toHex(hash: Uint8Array): Hex {
  return `0x${Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString("hex")}`;
}

/** A 32-byte hash from hex, or undefined when it is not exactly that. */
function parseHash(hash: string): Buffer | undefined {
  if (typeof hash !== "string" || hash.length !== 66 || !hash.startsWith("0x")) return undefined;
  // Hex decoding stops at the first character that is not a hex digit: 64 good digits give 32 bytes.
  const bytes = Buffer.from(hash.slice(2), "hex");
  return bytes.byteLength === HASH_BYTES ? bytes : undefined;
}

function requireHash(hash: Hex | Uint8Array, what: string): Uint8Array {
  if (hash instanceof Uint8Array) {
    if (hash.byteLength !== HASH_BYTES) {
      throw new MerkleError("INVALID_HASH", `${what} must be 32 bytes, got ${hash.byteLength}.`);
    }
    return hash;
  }
  const bytes = parseHash(hash);
  if (!bytes)
    throw new MerkleError("INVALID_HASH", `${what} must be 0x and 64 hex digits: ${hash}`);
  return bytes;
}

function bytesOf(data: Hex | Uint8Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data !== "string" || !BYTES_HEX.test(data)) {
    throw new MerkleError(
      "INVALID_HEX",
      `A leaf must be bytes or 0x-prefixed hex: ${String(data)}`,
    );
  }
  return Buffer.from(data.slice(2), "hex");
}

/** A tree size or leaf index: a non-negative safe integer. */
function isCount(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** The largest power of two smaller than n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

/** The leaf hash `SHA-256(0x00 || data)` of a leaf input (bytes, or hex). */
export function hashLeaf(data: Hex | Uint8Array): Hex {
  return toHex(sha256Leaf(bytesOf(data)));
}

/** The node hash `SHA-256(0x01 || left || right)` of two child hashes. */
export function hashChildren(left: Hex, right: Hex): Hex {
  return toHex(sha256Node(requireHash(left, "left"), requireHash(right, "right")));
}

/** A growable array of 32-byte hashes in one buffer (no object per hash). */
class HashArray {
  #bytes = new Uint8Array(HASH_BYTES * 16);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  push(hash: Uint8Array): void {
    const end = (this.#count + 1) * HASH_BYTES;
    if (end > this.#bytes.byteLength) {
      const bigger = new Uint8Array(this.#bytes.byteLength * 2);
      bigger.set(this.#bytes);
      this.#bytes = bigger;
    }
    this.#bytes.set(hash, end - HASH_BYTES);
    this.#count += 1;
  }

  at(i: number): Uint8Array {
    return this.#bytes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }
}

/**
 * An append-only log of leaves with roots and proofs for the current size or any past size.
 * Leaves are appended either as inputs (hashed here with the 0x00 prefix) or as ready leaf hashes.
 */
export class MerkleLog {
  /** #levels[h].at(i) = hash of the perfect subtree over leaves [i·2^h, (i+1)·2^h). */
  readonly #levels: HashArray[] = [new HashArray()];

  static fromLeaves(leaves: Iterable<Hex | Uint8Array>): MerkleLog {
    const log = new MerkleLog();
    for (const leaf of leaves) log.append(leaf);
    return log;
  }

  static fromLeafHashes(hashes: Iterable<Hex | Uint8Array>): MerkleLog {
    const log = new MerkleLog();
    for (const hash of hashes) log.appendLeafHash(hash);
    return log;
  }

  /** Number of leaves. */
  get size(): number {
    return this.#levels[0].count;
  }

  /** Appends a leaf input; returns its index. */
  append(leaf: Hex | Uint8Array): number {
    return this.#appendHash(sha256Leaf(bytesOf(leaf)));
  }

  /** Appends an already computed leaf hash `SHA-256(0x00 || leaf)`; returns its index. */
  appendLeafHash(hash: Hex | Uint8Array): number {
    return this.#appendHash(requireHash(hash, "leaf hash"));
  }

  /** The leaf hash at `index`. */
  leafHash(index: number): Hex {
    this.#checkIndex(index, this.size);
    return toHex(this.#levels[0].at(index));
  }

  /** MTH of the first `size` leaves (default: all). */
  root(size: number = this.size): Hex {
    this.#checkSize(size);
    return size === 0 ? EMPTY_ROOT : toHex(this.#subtree(0, size));
  }

  /** The audit path of leaf `index` in the tree of the first `size` leaves, from the leaf's sibling up. */
  inclusionProof(index: number, size: number = this.size): Hex[] {
    this.#checkSize(size);
    this.#checkIndex(index, size);
    const path: Hex[] = [];
    let lo = 0;
    let hi = size;
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (index < lo + k) {
        path.push(toHex(this.#subtree(lo + k, hi)));
        hi = lo + k;
      } else {
        path.push(toHex(this.#subtree(lo, lo + k)));
        lo += k;
      }
    }
    return path.reverse();
  }

  /**
   * The consistency proof that the tree of the first `first` leaves is a prefix of the tree of the first
   * `second` leaves (RFC 6962 2.1.2 SUBPROOF). Empty when `first` is 0 or equals `second`.
   */
  consistencyProof(first: number, second: number = this.size): Hex[] {
    this.#checkSize(second);
    if (!isCount(first) || first > second) {
      throw new MerkleError(
        "INVALID_SIZE",
        `The first size must be between 0 and ${second}, got ${first}.`,
      );
    }
    if (first === 0 || first === second) return [];
    const proof: Hex[] = [];
    let lo = 0;
    let hi = second;
    let whole = true; // still on the path of the old tree's root: its own hash is known to the verifier
    while (hi !== first) {
      const k = splitPoint(hi - lo);
      if (first - lo <= k) {
        proof.push(toHex(this.#subtree(lo + k, hi)));
        hi = lo + k;
      } else {
        proof.push(toHex(this.#subtree(lo, lo + k)));
        lo += k;
        whole = false;
      }
    }
    if (!whole) proof.push(toHex(this.#subtree(lo, hi)));
    return proof.reverse();
  }

  #appendHash(hash: Uint8Array): number {
    const index = this.size;
    this.#levels[0].push(hash);
    // Each even-sized level completes a pair: hash it into the level above.
    for (let h = 0; this.#levels[h].count % 2 === 0; h++) {
      const level = this.#levels[h];
      const n = level.count;
      if (h + 1 === this.#levels.length) this.#levels.push(new HashArray());
      this.#levels[h + 1].push(sha256Node(level.at(n - 2), level.at(n - 1)));
    }
    return index;
  }

  /**
   * MTH of leaves [lo, hi), hi > lo. Proofs only ask for ranges whose start is a multiple of a power of two
   * at least their length, so the recursion meets stored perfect subtrees after O(log n) steps.
   */
  #subtree(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (isPowerOfTwo(n) && lo % n === 0) {
      return this.#levels[Math.round(Math.log2(n))].at(lo / n);
    }
    const k = splitPoint(n);
    return sha256Node(this.#subtree(lo, lo + k), this.#subtree(lo + k, hi));
  }

  #checkSize(size: number): void {
    if (!isCount(size) || size > this.size) {
      throw new MerkleError(
        "INVALID_SIZE",
        `The tree size must be between 0 and ${this.size}, got ${size}.`,
      );
    }
  }

  #checkIndex(index: number, size: number): void {
    if (!isCount(index) || index >= size) {
      throw new MerkleError(
        "INDEX_OUT_OF_RANGE",
        `The leaf index must be below the tree size ${size}, got ${index}.`,
      );
    }
  }
}

/** MTH of a list of leaf inputs. */
export function merkleRoot(leaves: Iterable<Hex | Uint8Array>): Hex {
  return MerkleLog.fromLeaves(leaves).root();
}

export {
  verifyConsistency,
  verifyInclusion,
  type ConsistencyClaim,
  type InclusionClaim,
} from "./verify.ts";
