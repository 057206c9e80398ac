import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import {
  NO_PREVIOUS_ROOT,
  batchOf,
  verifyAnchorChain,
  verifyEntry,
  verifyLog,
  type Anchor,
  type AnchorChainVerification,
  type LogVerification,
} from "../../src/accessLog/batches.ts";
import { EMPTY_ROOT, MerkleLog } from "../../src/accessLog/merkle.ts";

const SIZES = [1, 7, 8, 100, 257, 258, 600, 1000];
const TAIL = 23; // entries appended after the latest anchor

function entryHash(content: string): Hex {
  return `0x${createHash("sha256").update(content).digest("hex")}`;
}

function contents(count: number): string[] {
  return Array.from(
    { length: count },
    (_, n) => `${n}|member ${n % 37}|grant ${n % 5}|purpose research|rows ${(n * 13) % 101}`,
  );
}

/** Anchors as the operator posts them: each the root of a prefix, linked to the one before. */
function anchorsOver(entries: readonly Hex[], sizes: readonly number[]): Anchor[] {
  const log = MerkleLog.fromLeaves(entries);
  let previousRoot = NO_PREVIOUS_ROOT;
  return sizes.map((size) => {
    const anchor = { root: log.root(size), size, previousRoot };
    previousRoot = anchor.root;
    return anchor;
  });
}

/** Positions to tamper with in each batch: its first, a middle and its last entry. */
function positions(): number[] {
  const result = new Set<number>();
  SIZES.forEach((size, b) => {
    const from = b === 0 ? 0 : SIZES[b - 1];
    for (const p of [from, (from + size - 1) >> 1, size - 1]) result.add(p);
  });
  return [...result];
}

function assertNames(result: LogVerification, index: number, what: string): void {
  assert.equal(result.ok, false, `${what}: verification passed`);
  if (result.ok) return;
  const batch = SIZES.findIndex((size) => size > index) + 1;
  assert.equal(result.batch, batch, `${what}: named batch ${result.batch}, expected ${batch}`);
  assert.equal(result.fromSize, SIZES[batch - 2] ?? 0);
  assert.equal(result.toSize, SIZES[batch - 1]);
  assert.ok(result.fromSize <= index && index < result.toSize);
}

describe("access-log batches", () => {
  const texts = contents(SIZES.at(-1)! + TAIL);
  const entries = texts.map(entryHash);
  const anchors = anchorsOver(entries, SIZES);

  describe("verifyLog", () => {
    it("accepts the intact log and reports what is not anchored yet", () => {
      assert.deepEqual(verifyLog(entries, anchors), {
        ok: true,
        batches: SIZES.length,
        anchoredSize: 1000,
        root: anchors.at(-1)!.root,
        unanchored: TAIL,
      });
      assert.deepEqual(verifyLog(entries, []), {
        ok: true,
        batches: 0,
        anchoredSize: 0,
        root: EMPTY_ROOT,
        unanchored: entries.length,
      });
      // A tree the caller already holds gives the same answer.
      assert.deepEqual(
        verifyLog(MerkleLog.fromLeaves(entries), anchors),
        verifyLog(entries, anchors),
      );
    });

    it("an edited past entry fails the batch that holds it", () => {
      for (const index of positions()) {
        const edited = texts.map((text, n) =>
          n === index ? text.replace("rows", "rows 1") : text,
        );
        const result = verifyLog(edited.map(entryHash), anchors);
        assertNames(result, index, `edit ${index}`);
        assert.equal(!result.ok && result.fault, "ROOT_MISMATCH");
      }
    });

    it("a deleted entry fails the batch that held it", () => {
      for (const index of positions()) {
        const result = verifyLog(entries.toSpliced(index, 1), anchors);
        assertNames(result, index, `delete ${index}`);
        assert.equal(!result.ok && result.fault, "ROOT_MISMATCH");
      }
    });

    it("a deleted entry with no entries after the latest anchor leaves that batch short", () => {
      const anchored = entries.slice(0, 1000);
      assert.equal(verifyLog(anchored, anchors).ok, true);
      const result = verifyLog(anchored.toSpliced(777, 1), anchors);
      assertNames(result, 777, "delete 777");
      assert.equal(!result.ok && result.fault, "ENTRIES_MISSING");
      assertNames(verifyLog(anchored.toSpliced(42, 1), anchors), 42, "delete 42");
    });

    it("reordered or inserted entries fail the batch of the first moved position", () => {
      for (const index of positions()) {
        if (index + 1 >= entries.length) continue;
        const swapped = entries.with(index, entries[index + 1]).with(index + 1, entries[index]);
        assertNames(verifyLog(swapped, anchors), index, `swap ${index} and ${index + 1}`);
        const inserted = entries.toSpliced(index, 0, entryHash("an access never made"));
        assertNames(verifyLog(inserted, anchors), index, `insert at ${index}`);
      }
    });

    it("a change after the latest anchor is not yet covered by any batch", () => {
      const edited = entries.with(1005, entryHash("changed before anchoring"));
      assert.equal(verifyLog(edited, anchors).ok, true);
      // Until the next anchor covers it: then it is that anchor's batch.
      const next = anchorsOver(edited, [...SIZES, 1010]);
      assert.equal(verifyLog(edited, next).ok, true);
      const result = verifyLog(entries, next);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.batch, SIZES.length + 1);
    });

    it("names a batch whose anchor breaks the chain", () => {
      const wrongLink = anchors.with(3, { ...anchors[3], previousRoot: anchors[1].root });
      assert.deepEqual(pick(verifyLog(entries, wrongLink)), [4, 8, 100, "PREVIOUS_ROOT"]);

      const firstLinked = anchors.with(0, { ...anchors[0], previousRoot: EMPTY_ROOT });
      assert.deepEqual(pick(verifyLog(entries, firstLinked)), [1, 0, 1, "PREVIOUS_ROOT"]);

      const shrinking = anchors.with(5, { ...anchors[5], size: 257 });
      assert.deepEqual(pick(verifyLog(entries, shrinking)), [6, 257, 257, "SIZE_NOT_INCREASING"]);

      const wrongRoot = anchors.with(2, { ...anchors[2], root: anchors[1].root });
      assert.deepEqual(pick(verifyLog(entries, wrongRoot)), [3, 7, 8, "ROOT_MISMATCH"]);

      const beyond = [
        ...anchors,
        { root: anchors[0].root, size: 1100, previousRoot: anchors[7].root },
      ];
      assert.deepEqual(pick(verifyLog(entries, beyond)), [9, 1000, 1100, "ENTRIES_MISSING"]);
    });
  });

  describe("verifyAnchorChain", () => {
    const log = MerkleLog.fromLeaves(entries);
    const proofs = anchors.map((anchor, n) =>
      log.consistencyProof(anchors[n - 1]?.size ?? 0, anchor.size),
    );

    it("accepts anchors whose consistency proofs link each batch to the one before", () => {
      assert.deepEqual(verifyAnchorChain(anchors, proofs), {
        ok: true,
        batches: SIZES.length,
        anchoredSize: 1000,
        root: anchors.at(-1)!.root,
      });
      assert.deepEqual(pick(verifyAnchorChain(anchors, proofs.slice(0, 6))), [
        7,
        258,
        600,
        "INCONSISTENT",
      ]);
    });

    it("names the batch whose proof was tampered with", () => {
      const proof = proofs[4];
      const tampered = proofs.with(4, proof.with(1, proofs[3][0]));
      assert.deepEqual(pick(verifyAnchorChain(anchors, tampered)), [5, 100, 257, "INCONSISTENT"]);
      assert.deepEqual(pick(verifyAnchorChain(anchors, proofs.with(0, proofs[1]))), [
        1,
        0,
        1,
        "INCONSISTENT",
      ]);
    });

    it("catches history rewritten between two anchors", () => {
      // The operator anchors batches 1–4, then edits entry 50 and anchors the rest over the edited log.
      const edited = entries.with(50, entryHash("rewritten"));
      const later = anchorsOver(edited, SIZES);
      const mixed = [
        ...anchors.slice(0, 4),
        { ...later[4], previousRoot: anchors[3].root },
        ...later.slice(5),
      ];
      const editedLog = MerkleLog.fromLeaves(edited);
      // The proofs up to batch 4 were served before the edit; the later ones can only come from the edited log.
      const served = mixed.map((anchor, n) =>
        n < 4 ? proofs[n] : editedLog.consistencyProof(mixed[n - 1].size, anchor.size),
      );
      // Batch 4's root covers entry 50, so no proof from the edited log extends it.
      assert.deepEqual(pick(verifyAnchorChain(mixed, served)), [5, 100, 257, "INCONSISTENT"]);
      assert.deepEqual(pick(verifyLog(edited, mixed)), [4, 8, 100, "ROOT_MISMATCH"]);
    });

    it("checks the links as verifyLog does", () => {
      const wrongLink = anchors.with(6, { ...anchors[6], previousRoot: NO_PREVIOUS_ROOT });
      assert.deepEqual(pick(verifyAnchorChain(wrongLink, proofs)), [7, 258, 600, "PREVIOUS_ROOT"]);
      const zeroSize = anchors.with(0, { ...anchors[0], size: 0 });
      assert.deepEqual(pick(verifyAnchorChain(zeroSize, proofs)), [1, 0, 0, "SIZE_NOT_INCREASING"]);
    });
  });

  describe("entries under anchors", () => {
    const log = MerkleLog.fromLeaves(entries);

    it("finds the batch that first covers an entry", () => {
      assert.equal(batchOf(anchors, 0), 1);
      assert.equal(batchOf(anchors, 1), 2);
      assert.equal(batchOf(anchors, 7), 3);
      assert.equal(batchOf(anchors, 8), 4);
      assert.equal(batchOf(anchors, 257), 6);
      assert.equal(batchOf(anchors, 999), 8);
      assert.equal(batchOf(anchors, 1000), undefined);
      assert.equal(batchOf(anchors, -1), undefined);
      assert.equal(batchOf([], 0), undefined);
    });

    it("verifies an entry under its batch and every later one, and nothing else", () => {
      for (const index of [0, 5, 99, 256, 599, 999]) {
        const first = batchOf(anchors, index)!;
        for (const anchor of anchors.slice(first - 1)) {
          const proof = log.inclusionProof(index, anchor.size);
          assert.ok(verifyEntry({ entry: entries[index], index, anchor, proof }));
          assert.equal(
            verifyEntry({ entry: entryHash("not in the log"), index, anchor, proof }),
            false,
          );
          assert.equal(verifyEntry({ entry: "0x1234", index, anchor, proof }), false);
          assert.equal(
            verifyEntry({ entry: entries[index], index: index + 1, anchor, proof }),
            false,
          );
        }
      }
    });
  });
});

/** The first bad batch as [batch, fromSize, toSize, fault]. */
function pick(result: LogVerification | AnchorChainVerification): unknown[] {
  return result.ok ? ["ok"] : [result.batch, result.fromSize, result.toSize, result.fault];
}
