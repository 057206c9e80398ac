/**
 * The auditor's access-log check against a gateway whose proofs come from a real MerkleLog (the tree the
 * indexer builds), with entries hash-chained as the gateway chains them.
 */
import type { Hex } from "viem";
import { describe, expect, it } from "vitest";
import { MerkleLog } from "@datacoop/protocol/accessLog/merkle";
import {
  accessLogEntryHash,
  GENESIS_ENTRY_HASH,
  NO_PREVIOUS_ROOT,
  type ServedInclusion,
} from "@datacoop/protocol/accessLog/verify";
import {
  type AuditProgress,
  type AuditReport,
  auditAccessLog,
  type ChainAnchor,
  type ProofFetchers,
  proofsUrl,
} from "../src/lib/accessLogAudit.ts";
import { GatewayError } from "../src/lib/gateway.ts";

interface Row {
  entry: string;
  prevHash: Hex;
  hash: Hex;
}

/** `count` entries chained as the gateway's log table chains them. */
function logRows(count: number): Row[] {
  const rows: Row[] = [];
  let prev: Hex = `0x${GENESIS_ENTRY_HASH}`;
  for (let seq = 1; seq <= count; seq++) {
    const entry = JSON.stringify({ decision: "allow", grantId: "1", kind: "query", seq });
    const hash = accessLogEntryHash(prev, entry);
    rows.push({ entry, prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

/** The anchors the operator would post for the log `tree` at these sizes. */
function anchorsOf(tree: MerkleLog, sizes: number[]): ChainAnchor[] {
  return sizes.map((size, i) => ({
    batch: i + 1,
    root: tree.root(size),
    size,
    previousRoot: i === 0 ? NO_PREVIOUS_ROOT : tree.root(sizes[i - 1]),
    transactionHash: `0x${(i + 1).toString(16).padStart(64, "0")}`,
  }));
}

const notFound = (seq: number) =>
  new GatewayError(404, "entry_not_found", `No access-log entry ${seq}.`);

/**
 * A gateway serving `rows` with proofs from `tree` (by default the tree of the rows) under the batches it
 * claims (by default the chain's). What it says is computed, never trusted.
 */
function gateway(
  rows: Row[],
  claimed: ChainAnchor[],
  options: {
    tree?: MerkleLog;
    delay?: (key: string) => number;
    serve?: Partial<ProofFetchers>;
  } = {},
) {
  const tree = options.tree ?? MerkleLog.fromLeaves(rows.map((r) => r.hash));
  const calls: string[] = [];
  const wait = (key: string) =>
    new Promise((r) => setTimeout(r, options.delay ? options.delay(key) : 0));
  const head = (batch: number) =>
    batch === 0
      ? { batch: 0, size: 0, root: tree.root(0) }
      : { batch, size: claimed[batch - 1].size, root: claimed[batch - 1].root };
  const fetchers: ProofFetchers = {
    async consistency(from, to) {
      calls.push(`consistency ${from} ${to}`);
      await wait(`c${to}`);
      return {
        from: head(from),
        to: head(to),
        proof: tree.consistencyProof(head(from).size, head(to).size),
      };
    },
    async inclusion(seq, batch): Promise<ServedInclusion> {
      calls.push(`inclusion ${seq} ${batch}`);
      await wait(`i${seq}`);
      const row = rows[seq - 1];
      if (!row) throw notFound(seq);
      const { size, root } = head(batch);
      return { seq, ...row, batch, root, size, proof: tree.inclusionProof(seq - 1, size) };
    },
    async entry(seq) {
      calls.push(`entry ${seq}`);
      const row = rows[seq - 1];
      if (!row) throw notFound(seq);
      return { seq, ...row };
    },
    ...options.serve,
  };
  return { fetchers, calls };
}

const SIZES = [4, 9, 13];

describe("proofsUrl", () => {
  it("lives next to the read API", () => {
    expect(proofsUrl("http://127.0.0.1:8600/api")).toBe("http://127.0.0.1:8600/proofs");
    expect(proofsUrl("https://coop.example/indexer/api/")).toBe(
      "https://coop.example/indexer/proofs",
    );
    expect(proofsUrl("https://coop.example")).toBe("https://coop.example/proofs");
  });
});

describe("auditAccessLog", () => {
  const rows = logRows(15);
  const tree = MerkleLog.fromLeaves(rows.map((r) => r.hash));
  const anchors = anchorsOf(tree, SIZES);

  it("proves every batch and every anchored entry, and counts the entries not yet anchored", async () => {
    const { fetchers, calls } = gateway(rows, anchors);
    const progress: AuditProgress[] = [];
    const report = await auditAccessLog(anchors, fetchers, {
      onProgress: (p) => progress.push(p),
    });
    expect(report).toEqual({
      ok: true,
      batches: 3,
      entries: 13,
      unanchored: 2,
      latest: anchors[2],
    });
    // Batch b extends b − 1; each entry is proven under the batch that first covered it.
    expect(calls.filter((c) => c.startsWith("consistency"))).toEqual([
      "consistency 0 1",
      "consistency 1 2",
      "consistency 2 3",
    ]);
    const inclusions = calls.filter((c) => c.startsWith("inclusion")).sort();
    expect(inclusions).toHaveLength(13);
    expect(inclusions).toContain("inclusion 4 1");
    expect(inclusions).toContain("inclusion 5 2");
    expect(inclusions).toContain("inclusion 13 3");
    expect(calls).toContain("entry 16");
    expect(progress[0]).toEqual({ done: 0, total: 16 });
    expect(progress.at(-1)).toEqual({ done: 16, total: 16 });
  });

  it("reports nothing anchored yet as a success with every entry waiting", async () => {
    const { fetchers } = gateway(rows.slice(0, 3), []);
    expect(await auditAccessLog([], fetchers, { concurrency: 2 })).toEqual({
      ok: true,
      batches: 0,
      entries: 0,
      unanchored: 3,
      latest: undefined,
    });
  });

  it("names an entry whose text was changed after it was logged", async () => {
    const tampered = rows.map((r, i) =>
      i === 5 ? { ...r, entry: r.entry.replace('"allow"', '"deny"') } : r,
    );
    const { fetchers } = gateway(tampered, anchors);
    expect(await auditAccessLog(anchors, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "entry", seq: 6, batch: 2, reason: "ENTRY_HASH" },
    });
  });

  it("names an entry changed and re-hashed: it is not in the anchored tree", async () => {
    // The gateway rebuilt its log from the edited entry on, but serves the chain's roots.
    const edited = logRows(15);
    const entry = edited[5].entry.replace('"allow"', '"deny"');
    let prev = edited[4].hash;
    for (let i = 5; i < edited.length; i++) {
      const text = i === 5 ? entry : edited[i].entry;
      const hash = accessLogEntryHash(prev, text);
      edited[i] = { entry: text, prevHash: prev, hash };
      prev = hash;
    }
    const rebuilt = MerkleLog.fromLeaves(edited.map((r) => r.hash));
    // Only one batch: no consistency proof can catch it, the entries' proofs do. Every path that crosses
    // the changed subtree fails, entry 1's first.
    const one = anchorsOf(tree, [9]);
    const { fetchers } = gateway(edited, one, { tree: rebuilt });
    expect(await auditAccessLog(one, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "entry", seq: 1, batch: 1, reason: "PROOF" },
    });
    // Within the batch, the entries whose paths miss the change still verify.
    const firstFour = anchorsOf(tree, [4]);
    const { fetchers: four } = gateway(edited, firstFour, { tree: rebuilt });
    expect(await auditAccessLog(firstFour, four)).toMatchObject({ ok: true, entries: 4 });
    // With later batches the rewrite shows first as a batch that does not extend the one before.
    const { fetchers: later } = gateway(edited, anchors, { tree: rebuilt });
    expect(await auditAccessLog(anchors, later)).toMatchObject({
      ok: false,
      failure: { kind: "consistency", batch: 2, reason: "PROOF" },
    });
  });

  it("refuses a gateway's root that is not the chain's", async () => {
    const forged = anchors.map((a, i) =>
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
      i === 1 ? { ...a, root: `0x${"ab".repeat(32)}` as Hex } : a,
    );
    const { fetchers } = gateway(rows, forged);
    expect(await auditAccessLog(anchors, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "consistency", batch: 2, reason: "ANCHOR_MISMATCH" },
    });
    // The same gateway proving entries under its own roots is caught entry by entry.
    const entriesOnly: ProofFetchers = {
      ...fetchers,
      consistency: gateway(rows, anchors).fetchers.consistency,
    };
    expect(await auditAccessLog(anchors, entriesOnly)).toMatchObject({
      ok: false,
      failure: { kind: "entry", seq: 5, batch: 2, reason: "ANCHOR_MISMATCH" },
    });
  });

  it("refuses anchors on the chain that are not the gateway's log", async () => {
    // The chain holds the roots of another log (entry 3 differs): the gateway's proofs cannot reach them.
    const other = MerkleLog.fromLeaves(rows.map((r, i) => (i === 2 ? r.prevHash : r.hash)));
    const chain = anchorsOf(other, SIZES);
    const { fetchers } = gateway(rows, chain, { tree });
    // Batch 3's proof rebuilds batch 2's root from the left, where the logs differ.
    expect(await auditAccessLog(chain, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "consistency", batch: 3, reason: "PROOF" },
    });
    // With batch 1 alone, the first entry's proof does not lead to the chain's root.
    const first = chain.slice(0, 1);
    const { fetchers: alone } = gateway(rows, first, { tree });
    expect(await auditAccessLog(first, alone)).toMatchObject({
      ok: false,
      failure: { kind: "entry", seq: 1, batch: 1, reason: "PROOF" },
    });
  });

  it("refuses a proof of another entry than the one asked for", async () => {
    const honest = gateway(rows, anchors).fetchers;
    const { fetchers } = gateway(rows, anchors, {
      serve: { inclusion: (seq, batch) => honest.inclusion(seq === 7 ? 8 : seq, batch) },
    });
    expect(await auditAccessLog(anchors, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "entry", seq: 7, batch: 2, reason: "PROOF" },
    });
  });

  it("names an anchored entry the gateway no longer has", async () => {
    // Its table lost the row; its tree, built before, still holds the leaf.
    const { fetchers } = gateway(rows.slice(0, 12), anchors, { tree });
    expect(await auditAccessLog(anchors, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "entryMissing", seq: 13, batch: 3 },
    });
  });

  it("says when the gateway does not answer", async () => {
    const { fetchers } = gateway(rows, anchors, {
      serve: {
        consistency: async () => {
          throw new TypeError("Failed to fetch");
        },
      },
    });
    expect(await auditAccessLog(anchors, fetchers)).toEqual({
      ok: false,
      failure: {
        kind: "batchUnavailable",
        batch: 1,
        code: "unreachable",
        message: "Failed to fetch",
      },
    });
  });

  it("reports the first bad entry whatever order the answers arrive in", async () => {
    const tampered = rows.map((r, i) => (i === 2 || i === 9 ? { ...r, entry: `${r.entry} ` } : r));
    for (let run = 0; run < 5; run++) {
      // Entry 3 answers last of all.
      const { fetchers } = gateway(tampered, anchors, {
        delay: (key) => (key === "i3" ? 30 : Math.floor(Math.random() * 5)),
      });
      const report: AuditReport = await auditAccessLog(anchors, fetchers, { concurrency: 4 });
      expect(report).toMatchObject({ ok: false, failure: { kind: "entry", seq: 3, batch: 1 } });
    }
  });

  it("refuses anchors that do not link up", async () => {
    const broken = anchors.map((a, i) => (i === 2 ? { ...a, previousRoot: anchors[0].root } : a));
    const { fetchers, calls } = gateway(rows, broken);
    expect(await auditAccessLog(broken, fetchers)).toMatchObject({
      ok: false,
      failure: { kind: "anchorLink", batch: 3 },
    });
    expect(calls).toEqual([]);
  });

  it("stops when asked", async () => {
    const controller = new AbortController();
    const { fetchers, calls } = gateway(rows, anchors);
    const run = auditAccessLog(anchors, fetchers, {
      concurrency: 1,
      signal: controller.signal,
      onProgress: (p) => p.done === 5 && controller.abort(),
    });
    await expect(run).rejects.toThrow();
    expect(calls.length).toBeLessThan(8);
  });
});
