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
import { EMPTY_ROOT, MerkleLog } from "./merkle.ts";
import {
  badBatch as bad,
  checkLink,
  sameHash,
  type Anchor,
  type BadBatch,
  type VerifiedChain,
} from "./verify.ts";

export {
  NO_PREVIOUS_ROOT,
  batchOf,
  verifyAnchorChain,
  verifyEntry,
  type Anchor,
  type AnchorChainVerification,
  type BadBatch,
  type BatchFault,
  type EntryClaim,
} from "./verify.ts";

export interface VerifiedLog extends VerifiedChain {
  /** Entries after the latest anchor: not yet covered by any batch. */
  unanchored: number;
}

export type LogVerification = VerifiedLog | BadBatch;

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
