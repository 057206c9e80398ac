/**
 * Checking the gateway's access-log proofs against the anchors on the chain: RFC 6962 inclusion and
 * consistency proofs, the links between anchors, and an access-log entry's hash from its text.
 *
 * Runs in Node and in the browser alike (the auditor CLI and the dApp): SHA-256 from viem (noble hashes),
 * no Node built-ins, no I/O, no clock. Every function answers true/false or a result object and never
 * throws on bad input: a malformed proof is simply a proof that does not verify.
 */
import { sha256, type Hex } from "viem";

/** One anchor as posted to the AccessLogAnchor contract, in batch order. */
export interface Anchor {
  root: Hex;
  /** Number of log entries the root covers. */
  size: number;
  /** The root of the batch before; zero for the first batch. */
  previousRoot: Hex;
}

const HASH_BYTES = 32;
const HASH_HEX = /^0x[0-9a-fA-F]{64}$/;
const ENTRY_HASH = /^(?:0x)?[0-9a-fA-F]{64}$/;

/** The contract's `previousRoot` of the first batch. */
export const NO_PREVIOUS_ROOT: Hex = `0x${"0".repeat(64)}`;

/** The access log's `prev_hash` of its first entry. */
export const GENESIS_ENTRY_HASH = "0".repeat(64);

// Hex digit values by character code (-1: not a digit), for a parser without string slicing.
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE["0123456789abcdef".charCodeAt(i)] = i;
  NIBBLE["0123456789ABCDEF".charCodeAt(i)] = i;
}

/** Bytes of 0x-hex whose digits are already checked. */
function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array((hex.length - 2) >> 1);
  for (let i = 0, j = 2; i < out.length; i++, j += 2) {
    out[i] = (NIBBLE[hex.charCodeAt(j)] << 4) | NIBBLE[hex.charCodeAt(j + 1)];
  }
  return out;
}

const HEX_DIGITS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function bytesToHex(bytes: Uint8Array): Hex {
  let out = "0x";
  for (const b of bytes) out += HEX_DIGITS[b];
  return out as Hex;
}

/** A 32-byte hash from 0x-hex, or undefined when it is not exactly that. */
function parseHash(hash: unknown): Uint8Array | undefined {
  return typeof hash === "string" && HASH_HEX.test(hash) ? hexToBytes(hash) : undefined;
}

function equalBytes(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;

function node(left: Uint8Array, right: Uint8Array): Uint8Array {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_BYTES);
  return sha256(nodeInput, "bytes");
}

function leaf(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length);
  input.set(data, 1);
  return sha256(input, "bytes");
}

const EMPTY_ROOT_BYTES = sha256(new Uint8Array(0), "bytes");

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Hex = bytesToHex(EMPTY_ROOT_BYTES);

/** The leaf hash `SHA-256(0x00 || entry)` of a 32-byte entry hash (0x-hex); undefined when malformed. */
export function entryLeafHash(entry: string): Hex | undefined {
  if (typeof entry !== "string" || !ENTRY_HASH.test(entry)) return undefined;
  return bytesToHex(leaf(hexToBytes(entry.startsWith("0x") ? entry : `0x${entry}`)));
}

/**
 * The access log's hash of an entry: `SHA-256(previous hash ‖ entry text)` over the UTF-8 of the hex previous
 * hash (64 digits, no 0x) followed by the entry's canonical JSON, as the gateway stores it. Returned as 0x-hex.
 */
export function accessLogEntryHash(prevHash: string, entryText: string): Hex {
  const bare = prevHash.startsWith("0x") ? prevHash.slice(2) : prevHash;
  return sha256(new TextEncoder().encode(`${bare.toLowerCase()}${entryText}`));
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
}

function half(n: number): number {
  return Math.floor(n / 2);
}

function isOdd(n: number): boolean {
  return n % 2 === 1;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

export interface InclusionClaim {
  /** Leaf index, from 0. */
  index: number;
  /** Size of the tree the proof is for. */
  size: number;
  /** `SHA-256(0x00 || leaf)` of the leaf. */
  leafHash: Hex;
  /** Audit path, from the leaf's sibling up. */
  proof: readonly Hex[];
  /** The tree's root (e.g. an anchored root). */
  root: Hex;
}

/** RFC 9162 2.1.3.2: whether `proof` shows the leaf at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion({ index, size, leafHash, proof, root }: InclusionClaim): boolean {
  if (!isCount(index) || !isCount(size) || index >= size || !Array.isArray(proof)) return false;
  const expected = parseHash(root);
  let r = parseHash(leafHash);
  if (!expected || !r) return false;
  let fn = index;
  let sn = size - 1;
  for (const element of proof) {
    const p = parseHash(element);
    if (!p || sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = node(p, r);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = node(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, expected);
}

export interface ConsistencyClaim {
  /** The older tree's size. */
  first: number;
  /** The newer tree's size. */
  second: number;
  firstRoot: Hex;
  secondRoot: Hex;
  proof: readonly Hex[];
}

/**
 * RFC 9162 2.1.4.2: whether `proof` shows the tree (`first`, `firstRoot`) is a prefix of the tree (`second`,
 * `secondRoot`). The empty tree is a prefix of every tree: for `first` 0 the proof must be empty and
 * `firstRoot` the empty root; for equal sizes the proof must be empty and the roots equal.
 */
export function verifyConsistency({
  first,
  second,
  firstRoot,
  secondRoot,
  proof,
}: ConsistencyClaim): boolean {
  if (!isCount(first) || !isCount(second) || first > second || !Array.isArray(proof)) return false;
  const r1 = parseHash(firstRoot);
  const r2 = parseHash(secondRoot);
  if (!r1 || !r2) return false;
  const nodes: Uint8Array[] = [];
  for (const element of proof) {
    const n = parseHash(element);
    if (!n) return false;
    nodes.push(n);
  }
  if (first === 0) return nodes.length === 0 && equalBytes(r1, EMPTY_ROOT_BYTES);
  if (first === second) return nodes.length === 0 && equalBytes(r1, r2);
  if (nodes.length === 0) return false;
  // The old root is a node of the new tree when the old tree is perfect: the proof leaves it out.
  if (isPowerOfTwo(first)) nodes.unshift(r1);
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = nodes[0];
  let sr = nodes[0];
  for (const c of nodes.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = node(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, r1) && equalBytes(sr, r2);
}

export type BatchFault =
  /** `previousRoot` is not the root of the batch before. */
  | "PREVIOUS_ROOT"
  /** The size does not exceed the batch before's (or is not a whole number). */
  | "SIZE_NOT_INCREASING"
  /** The log holds fewer entries than the batch covers. */
  | "ENTRIES_MISSING"
  /** The log's entries up to the batch's size do not hash to its root. */
  | "ROOT_MISMATCH"
  /** The consistency proof from the batch before does not verify. */
  | "INCONSISTENT";

export interface BadBatch {
  ok: false;
  /** The first bad batch, from 1. */
  batch: number;
  /** The batch covers entries with indices in [fromSize, toSize). */
  fromSize: number;
  toSize: number;
  fault: BatchFault;
  message: string;
}

export interface VerifiedChain {
  ok: true;
  /** Number of anchors checked. */
  batches: number;
  /** Entries covered by the latest anchor (0 when nothing is anchored yet). */
  anchoredSize: number;
  /** The latest anchored root (the empty root when nothing is anchored yet). */
  root: Hex;
}

export type AnchorChainVerification = VerifiedChain | BadBatch;

export function badBatch(
  batch: number,
  fromSize: number,
  toSize: number,
  fault: BatchFault,
  message: string,
): BadBatch {
  return { ok: false, batch, fromSize, toSize, fault, message };
}

export function sameHash(x: string, y: string): boolean {
  return typeof x === "string" && typeof y === "string" && x.toLowerCase() === y.toLowerCase();
}

/** The checks that need only the anchors: the link to the batch before and a growing size. */
export function checkLink(
  anchor: Anchor,
  before: Anchor | undefined,
  batch: number,
): BadBatch | undefined {
  const fromSize = before?.size ?? 0;
  const expected = before?.root ?? NO_PREVIOUS_ROOT;
  if (!Number.isSafeInteger(anchor.size) || anchor.size <= fromSize) {
    return badBatch(
      batch,
      fromSize,
      anchor.size,
      "SIZE_NOT_INCREASING",
      `Batch ${batch} covers ${anchor.size} entries, not more than the ${fromSize} before it.`,
    );
  }
  if (!sameHash(anchor.previousRoot, expected)) {
    return badBatch(
      batch,
      fromSize,
      anchor.size,
      "PREVIOUS_ROOT",
      `Batch ${batch} follows root ${anchor.previousRoot}, but the batch before has root ${expected}.`,
    );
  }
  return undefined;
}

/**
 * Verifies the chain of anchors without the entries. `proofs[i]` is the consistency proof from the batch
 * before (the empty tree for the first batch, so `proofs[0]` is empty) to `anchors[i]`, as the gateway serves
 * it. Returns the first bad batch, if any.
 */
export function verifyAnchorChain(
  anchors: readonly Anchor[],
  proofs: readonly (readonly Hex[])[],
): AnchorChainVerification {
  let before: Anchor | undefined;
  for (const [position, anchor] of anchors.entries()) {
    const batch = position + 1;
    const linkFault = checkLink(anchor, before, batch);
    if (linkFault) return linkFault;
    const fromSize = before?.size ?? 0;
    const proof = proofs[position];
    const consistent =
      proof !== undefined &&
      verifyConsistency({
        first: fromSize,
        second: anchor.size,
        firstRoot: before?.root ?? EMPTY_ROOT,
        secondRoot: anchor.root,
        proof,
      });
    if (!consistent) {
      return badBatch(
        batch,
        fromSize,
        anchor.size,
        "INCONSISTENT",
        proof === undefined
          ? `No consistency proof for batch ${batch}.`
          : `Batch ${batch}'s tree of ${anchor.size} entries is not shown to extend the ${fromSize} before it.`,
      );
    }
    before = anchor;
  }
  return {
    ok: true,
    batches: anchors.length,
    anchoredSize: before?.size ?? 0,
    root: before?.root ?? EMPTY_ROOT,
  };
}

/** The batch (from 1) that first covers the entry at `index`, or undefined while it is not anchored. */
export function batchOf(anchors: readonly Anchor[], index: number): number | undefined {
  let lo = 0;
  let hi = anchors.length;
  // Sizes increase along the chain: find the first anchor with size > index.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid].size > index) hi = mid;
    else lo = mid + 1;
  }
  return lo < anchors.length && index >= 0 ? lo + 1 : undefined;
}

export interface EntryClaim {
  /** The entry's 32-byte hash: the leaf input. */
  entry: Hex;
  /** The entry's position in the log, from 0. */
  index: number;
  /** An anchor that covers the entry (any later anchor works as well as the first). */
  anchor: Anchor;
  /** The inclusion proof of `index` in the tree of `anchor.size` entries. */
  proof: readonly Hex[];
}

/** Whether `proof` shows `entry` at `index` under the anchored root (false for a malformed entry too). */
export function verifyEntry({ entry, index, anchor, proof }: EntryClaim): boolean {
  const leafHash = entryLeafHash(entry);
  if (!leafHash || !entry.startsWith("0x")) return false;
  return verifyInclusion({ index, size: anchor.size, leafHash, proof, root: anchor.root });
}

/** An entry and its inclusion proof as the gateway's `/proofs` endpoints serve them. */
export interface ServedInclusion {
  /** The entry's sequence number (its index is `seq − 1`). */
  seq: number;
  /** The entry's canonical JSON text and the hash of the entry before (to recompute its hash). */
  entry: string;
  prevHash: Hex;
  hash: Hex;
  /** The batch the proof is against, with its anchored root and size as the gateway claims them. */
  batch: number;
  root: Hex;
  size: number;
  proof: readonly Hex[];
}

export type ServedInclusionCheck =
  | { ok: true; batch: number }
  | {
      ok: false;
      reason: "ENTRY_HASH" | "UNKNOWN_BATCH" | "ANCHOR_MISMATCH" | "PROOF";
      message: string;
    };

/**
 * Checks what the gateway served for one entry against the anchors read from the chain (`chainAnchors`, in
 * batch order, e.g. from `readAnchors`): the entry's text hashes to its hash, the batch's root and size are
 * the ones on the chain, and the inclusion proof leads from the entry to that root.
 */
export function verifyServedInclusion(
  served: ServedInclusion,
  chainAnchors: readonly Anchor[],
): ServedInclusionCheck {
  if (
    typeof served?.entry !== "string" ||
    !sameHash(accessLogEntryHash(String(served.prevHash), served.entry), served.hash)
  ) {
    return {
      ok: false,
      reason: "ENTRY_HASH",
      message: "The entry's text does not hash to its hash.",
    };
  }
  const anchor = Number.isSafeInteger(served.batch) ? chainAnchors[served.batch - 1] : undefined;
  if (!anchor) {
    return {
      ok: false,
      reason: "UNKNOWN_BATCH",
      message: `Batch ${served.batch} is not on the chain.`,
    };
  }
  if (!sameHash(anchor.root, served.root) || anchor.size !== served.size) {
    return {
      ok: false,
      reason: "ANCHOR_MISMATCH",
      message: `Batch ${served.batch} on the chain is (${anchor.root}, ${anchor.size}), not what the gateway says.`,
    };
  }
  const ok = verifyEntry({
    entry: served.hash,
    index: served.seq - 1,
    anchor,
    proof: served.proof,
  });
  return ok
    ? { ok: true, batch: served.batch }
    : {
        ok: false,
        reason: "PROOF",
        message: `The proof does not show entry ${served.seq} under batch ${served.batch}'s root.`,
      };
}

/** A tree head as the gateway names it: batch 0 is the empty tree. */
export interface TreeHead {
  batch: number;
  size: number;
  root: Hex;
}

/** A consistency proof between two batches as `/proofs/consistency` serves it. */
export interface ServedConsistency {
  from: TreeHead;
  to: TreeHead;
  proof: readonly Hex[];
}

export type ServedConsistencyCheck =
  | { ok: true }
  | { ok: false; reason: "UNKNOWN_BATCH" | "ANCHOR_MISMATCH" | "PROOF"; message: string };

/**
 * Checks a served consistency proof against the anchors read from the chain: both tree heads are the
 * chain's (batch 0 being the empty tree), and the proof shows the later tree extends the earlier one.
 */
export function verifyServedConsistency(
  served: ServedConsistency,
  chainAnchors: readonly Anchor[],
): ServedConsistencyCheck {
  const heads = [served?.from, served?.to];
  for (const head of heads) {
    if (!head || !Number.isSafeInteger(head.batch) || head.batch < 0) {
      return { ok: false, reason: "UNKNOWN_BATCH", message: "A tree head names no batch." };
    }
    const anchor =
      head.batch === 0
        ? { root: EMPTY_ROOT, size: 0 }
        : (chainAnchors[head.batch - 1] as Anchor | undefined);
    if (!anchor) {
      return {
        ok: false,
        reason: "UNKNOWN_BATCH",
        message: `Batch ${head.batch} is not on the chain.`,
      };
    }
    if (!sameHash(anchor.root, head.root) || anchor.size !== head.size) {
      return {
        ok: false,
        reason: "ANCHOR_MISMATCH",
        message: `Batch ${head.batch} on the chain is (${anchor.root}, ${anchor.size}), not what the gateway says.`,
      };
    }
  }
  const ok = verifyConsistency({
    first: served.from.size,
    second: served.to.size,
    firstRoot: served.from.root,
    secondRoot: served.to.root,
    proof: served.proof,
  });
  return ok
    ? { ok: true }
    : {
        ok: false,
        reason: "PROOF",
        message: `The proof does not show batch ${served.to.batch} extending batch ${served.from.batch}.`,
      };
}
