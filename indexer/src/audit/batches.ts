/**
 * Checks the gateway's access log against its anchors on the AccessLogAnchor contract. Batch b (from 1, as
 * in the contract's `Anchored` events) anchors `(root, size, previousRoot)`: the Merkle root of the log's first
 * `size` entries, following the root of batch b − 1 (zero for the first batch). It covers the entries from
 * the previous anchored size up to `size`.
 *
 * Two ways to check, both stopping at the first bad batch and naming it:
 * - `verifyLog`, with the entries: every anchored root must be the root of that prefix of the log. An edited,
 *   deleted, inserted or reordered entry changes the root of every prefix that contains it, so the first
 *   failing batch is the one that holds the first changed position.
 * - `verifyAnchorChain`, without the entries: the anchors link up and each batch's consistency proof shows its
 *   tree extends the one before (nothing anchored earlier was rewritten later).
 *
 * Pure functions: no I/O, no clock.
 */
import type { Hex } from "viem";
import { EMPTY_ROOT, MerkleLog, hashLeaf, verifyConsistency, verifyInclusion } from "./merkle.ts";

/** One anchor as posted to the contract, in batch order. */
export interface Anchor {
  root: Hex;
  /** Number of log entries the root covers. */
  size: number;
  /** The root of the batch before; zero for the first batch. */
  previousRoot: Hex;
}

const ENTRY_HASH = /^0x[0-9a-fA-F]{64}$/;

/** The contract's `previousRoot` of the first batch. */
export const NO_PREVIOUS_ROOT: Hex = `0x${"0".repeat(64)}`;

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

export interface VerifiedLog {
  ok: true;
  /** Number of anchors checked. */
  batches: number;
  /** Entries covered by the latest anchor (0 when nothing is anchored yet). */
  anchoredSize: number;
  /** The latest anchored root (the empty root when nothing is anchored yet). */
  root: Hex;
  /** Entries after the latest anchor: not yet covered by any batch. */
  unanchored: number;
}

export type LogVerification = VerifiedLog | BadBatch;

export type AnchorChainVerification = Omit<VerifiedLog, "unanchored"> | BadBatch;

function bad(
  batch: number,
  fromSize: number,
  toSize: number,
  fault: BatchFault,
  message: string,
): BadBatch {
  return { ok: false, batch, fromSize, toSize, fault, message };
}

function sameHash(x: Hex, y: Hex): boolean {
  return x.toLowerCase() === y.toLowerCase();
}

/** The checks that need only the anchors: the link to the batch before and a growing size. */
function checkLink(
  anchor: Anchor,
  before: Anchor | undefined,
  batch: number,
): BadBatch | undefined {
  const fromSize = before?.size ?? 0;
  const expected = before?.root ?? NO_PREVIOUS_ROOT;
  if (!Number.isSafeInteger(anchor.size) || anchor.size <= fromSize) {
    return bad(
      batch,
      fromSize,
      anchor.size,
      "SIZE_NOT_INCREASING",
      `Batch ${batch} covers ${anchor.size} entries, not more than the ${fromSize} before it.`,
    );
  }
  if (!sameHash(anchor.previousRoot, expected)) {
    return bad(
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
 * Verifies the log's entries against the anchors in order and returns the first bad batch, if any.
 * `entries` are the leaf inputs (the entries' 32-byte hashes, in log order) or a tree already built from them.
 * Cost: O(n) hashes to build the tree, then O(log n) per anchor.
 */
export function verifyLog(
  entries: readonly (Hex | Uint8Array)[] | MerkleLog,
  anchors: readonly Anchor[],
): LogVerification {
  const log = entries instanceof MerkleLog ? entries : MerkleLog.fromLeaves(entries);
  let before: Anchor | undefined;
  for (const [position, anchor] of anchors.entries()) {
    const batch = position + 1;
    const linkFault = checkLink(anchor, before, batch);
    if (linkFault) return linkFault;
    const fromSize = before?.size ?? 0;
    if (anchor.size > log.size) {
      return bad(
        batch,
        fromSize,
        anchor.size,
        "ENTRIES_MISSING",
        `Batch ${batch} covers ${anchor.size} entries but the log holds only ${log.size}.`,
      );
    }
    // The root of the prefix fixes every entry in it; consistency with the batch before then holds too.
    const root = log.root(anchor.size);
    if (!sameHash(root, anchor.root)) {
      return bad(
        batch,
        fromSize,
        anchor.size,
        "ROOT_MISMATCH",
        `The log's first ${anchor.size} entries hash to ${root}, but batch ${batch} anchored ${anchor.root}: ` +
          `an entry from ${fromSize} to ${anchor.size - 1} was changed, removed, added or moved.`,
      );
    }
    before = anchor;
  }
  return {
    ok: true,
    batches: anchors.length,
    anchoredSize: before?.size ?? 0,
    root: before?.root ?? EMPTY_ROOT,
    unanchored: log.size - (before?.size ?? 0),
  };
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
      return bad(
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
    if (anchors[mid]!.size > index) hi = mid;
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
  if (!ENTRY_HASH.test(entry)) return false;
  return verifyInclusion({
    index,
    size: anchor.size,
    leafHash: hashLeaf(entry),
    proof,
    root: anchor.root,
  });
}
