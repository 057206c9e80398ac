import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { MerkleLog } from "../../src/accessLog/merkle.ts";
import {
  EMPTY_ROOT,
  NO_PREVIOUS_ROOT,
  accessLogEntryHash,
  entryLeafHash,
  verifyServedConsistency,
  verifyServedInclusion,
  type Anchor,
  type ServedInclusion,
} from "../../src/accessLog/verify.ts";

const GENESIS = "0".repeat(64);

/** A small access log as the gateway writes it: text, previous hash, hash. */
function log(n: number) {
  const rows: { entry: string; prevHash: string; hash: string }[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const entry = JSON.stringify({ seq, body: { kind: "erasure", records: seq } });
    const hash = createHash("sha256").update(`${prev}${entry}`).digest("hex");
    rows.push({ entry, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

describe("verification in the browser and in Node (verify.ts)", () => {
  it("imports nothing from Node: no node: modules, no Buffer", async () => {
    const source = await readFile(
      path.join(import.meta.dirname, "../../src/accessLog/verify.ts"),
      "utf8",
    );
    const imports = [...source.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(imports, ["viem"]);
    assert.doesNotMatch(source, /\bBuffer\b|\bprocess\./);
  });

  it("computes the empty root, leaf hashes and entry hashes as Node's SHA-256 does", () => {
    assert.equal(EMPTY_ROOT, `0x${createHash("sha256").update("").digest("hex")}`);
    const entry = `0x${"ab".repeat(32)}`;
    assert.equal(
      entryLeafHash(entry),
      `0x${createHash("sha256")
        .update(Buffer.concat([Buffer.from([0]), Buffer.from("ab".repeat(32), "hex")]))
        .digest("hex")}`,
    );
    assert.equal(entryLeafHash("0x1234"), undefined);
    const [row] = log(1);
    assert.equal(accessLogEntryHash(row.prevHash, row.entry), `0x${row.hash}`);
    assert.equal(accessLogEntryHash(`0x${row.prevHash}`, row.entry), `0x${row.hash}`);
  });

  it("checks a served entry and proof against the chain's anchors, and says what is wrong", () => {
    const rows = log(40);
    const tree = MerkleLog.fromLeaves(rows.map((r): Hex => `0x${r.hash}`));
    const anchors: Anchor[] = [];
    for (const size of [10, 25, 40]) {
      anchors.push({
        root: tree.root(size),
        size,
        previousRoot: anchors.at(-1)?.root ?? NO_PREVIOUS_ROOT,
      });
    }
    const served = (seq: number, batch: number): ServedInclusion => ({
      seq,
      entry: rows[seq - 1].entry,
      prevHash: `0x${rows[seq - 1].prevHash}`,
      hash: `0x${rows[seq - 1].hash}`,
      batch,
      root: anchors[batch - 1].root,
      size: anchors[batch - 1].size,
      proof: tree.inclusionProof(seq - 1, anchors[batch - 1].size),
    });
    for (const [seq, batch] of [
      [1, 1],
      [10, 1],
      [10, 3],
      [11, 2],
      [40, 3],
    ] as const) {
      assert.deepEqual(verifyServedInclusion(served(seq, batch), anchors), { ok: true, batch });
    }
    const reason = (s: ServedInclusion, a: readonly Anchor[] = anchors) => {
      const r = verifyServedInclusion(s, a);
      return r.ok ? "ok" : r.reason;
    };
    const good = served(12, 2);
    assert.equal(reason({ ...good, entry: good.entry.replace("erasure", "query") }), "ENTRY_HASH");
    assert.equal(reason({ ...good, batch: 4 }), "UNKNOWN_BATCH");
    assert.equal(reason(good, anchors.slice(0, 1)), "UNKNOWN_BATCH");
    // The gateway claims a root the chain does not hold.
    assert.equal(reason({ ...good, root: tree.root(24) }), "ANCHOR_MISMATCH");
    assert.equal(reason({ ...good, size: 24 }), "ANCHOR_MISMATCH");
    assert.equal(reason({ ...good, proof: good.proof.slice(1) }), "PROOF");
    assert.equal(reason({ ...good, seq: 13 }), "PROOF");
    assert.equal(reason({ ...good, proof: [...good.proof].reverse() }), "PROOF");
    // Malformed input is an answer, not an exception.
    assert.equal(reason({ ...good, proof: "nope" as unknown as Hex[] }), "PROOF");
    assert.equal(reason({ ...good, entry: 5 as unknown as string }), "ENTRY_HASH");
  });

  it("checks a served consistency proof against the chain's anchors", () => {
    const rows = log(30);
    const tree = MerkleLog.fromLeaves(rows.map((r): Hex => `0x${r.hash}`));
    const anchors: Anchor[] = [];
    for (const size of [7, 16, 30]) {
      anchors.push({
        root: tree.root(size),
        size,
        previousRoot: anchors.at(-1)?.root ?? NO_PREVIOUS_ROOT,
      });
    }
    const head = (batch: number) =>
      batch === 0
        ? { batch, size: 0, root: EMPTY_ROOT }
        : { batch, size: anchors[batch - 1].size, root: anchors[batch - 1].root };
    const served = (from: number, to: number) => ({
      from: head(from),
      to: head(to),
      proof: tree.consistencyProof(head(from).size, head(to).size),
    });
    for (const [from, to] of [
      [0, 1],
      [1, 2],
      [1, 3],
      [2, 3],
      [3, 3],
    ] as const) {
      assert.deepEqual(verifyServedConsistency(served(from, to), anchors), { ok: true });
    }
    const reason = (s: ReturnType<typeof served>, a: readonly Anchor[] = anchors) => {
      const r = verifyServedConsistency(s, a);
      return r.ok ? "ok" : r.reason;
    };
    const good = served(1, 3);
    assert.equal(reason(good, anchors.slice(0, 2)), "UNKNOWN_BATCH");
    assert.equal(reason({ ...good, to: { ...good.to, batch: -1 } }), "UNKNOWN_BATCH");
    assert.equal(reason({ ...good, to: { ...good.to, root: tree.root(29) } }), "ANCHOR_MISMATCH");
    assert.equal(reason({ ...good, from: { ...good.from, size: 8 } }), "ANCHOR_MISMATCH");
    assert.equal(reason({ ...good, proof: good.proof.slice(1) }), "PROOF");
    assert.equal(reason({ ...served(2, 3), proof: good.proof }), "PROOF");
  });
});
