/**
 * The auditor against the indexer's `/proofs` endpoints, as main.ts wires them: entries appended by the
 * gateway's own log writer, anchored on a real chain by the operator's loop, the anchors indexed by the
 * follower, served by the HTTP server. The audit passes on the intact log; an entry edited in the database
 * (with or without its hashes rewritten) and a deleted entry fail, naming the batch; a batch the indexer
 * lists unlike the chain is named; an indexer without /proofs, or none at all, is reported as not checked.
 */
import assert from "node:assert/strict";
import { createServer as createHttpServer } from "node:http";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { readAnchors } from "@datacoop/protocol/accessLog/anchors";
import { accessLogEntryHash } from "@datacoop/protocol/accessLog/verify";
import type { Db } from "@datacoop/server";
import { appendErasures, randomKeys } from "@datacoop/server/testing/accessLog";
import { accounts, freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { startNode, type TestNode } from "@datacoop/server/testing/node";
import { stores } from "@datacoop/server/testing/stores";
import { retrying, waitForTip } from "@datacoop/server/testing/wait";
import { audit } from "../src/audit.ts";
import { checkGatewayLog, proofsUrl } from "../src/checks/gatewayLog.ts";

const keys = randomKeys();

/** Appends entries `from`…`to` through the gateway's own log writer. */
const decide = (db: Db, from: number, to: number) =>
  appendErasures(db, keys, from, to, (n) => accounts[n % 5].address);

interface Row {
  seq: string;
  entry: string;
  prev_hash: string;
  hash: string;
}

describe("proofsUrl", () => {
  it("takes the indexer's base URL, or its /proofs or /gateway URL", () => {
    for (const url of [
      "http://127.0.0.1:8600",
      "http://127.0.0.1:8600/",
      "http://127.0.0.1:8600/proofs",
      "http://127.0.0.1:8600/proofs/",
      "http://127.0.0.1:8600/gateway",
    ])
      assert.equal(proofsUrl(url), "http://127.0.0.1:8600/proofs", url);
    assert.equal(proofsUrl("https://coop.example/indexer"), "https://coop.example/indexer/proofs");
  });
});

describe("auditor: the gateway's access log through /proofs", () => {
  let chain: TestChain;
  let snapshot: Hex;
  before(async () => {
    chain = retrying(await startChain());
    snapshot = await chain.testClient.snapshot();
  });
  after(() => chain?.stop());

  for (const store of stores) {
    describe(store.name, () => {
      let db: Db;
      let node: TestNode;
      let bare: TestNode;
      let base: string;
      let bareBase: string;

      before(async () => {
        // Each store's log starts empty: so does the chain's anchor contract.
        await chain.testClient.revert({ id: snapshot });
        snapshot = await chain.testClient.snapshot();
        db = await store.open();
        // As main.ts builds it; on the local chain the operator key defaults to test account 8. The test
        // runs the anchoring loop's ticks itself.
        node = await startNode(
          chain,
          {
            store: db,
            gateway: { keys },
            operator: { intervalMs: 3_600_000, every: 5, allocateOnGrantEnd: false },
          },
          { operate: false },
        );
        const { operator } = node;
        // The operator's loop anchors the first 5 entries, then all 12; 3 more wait unanchored.
        await decide(db, 1, 5);
        assert.equal((await operator!.anchorer!.tick()).action, "anchored");
        await decide(db, 6, 12);
        assert.equal((await operator!.anchorer!.tick()).action, "anchored");
        await decide(db, 13, 15);
        base = node.url;
        // A server that serves its API but not the access log's proofs.
        bare = await startNode(chain, { store: db, operator: false }, { follow: false });
        bareBase = bare.url;
        await waitForTip(node.follower, chain);
      });

      after(async () => {
        await bare?.stop();
        await node?.stop();
        await db?.close();
      });

      const gatewayCheck = async (gatewayUrl = base) => {
        const report = await audit({
          rpcUrl: chain.rpcUrl,
          deployment: chain.deployment,
          gatewayUrl,
        });
        const check = report.checks.find((c) => c.id === "gateway")!;
        return { report, check, messages: check.violations.map((v) => v.message) };
      };

      it("passes on the intact log, each anchored entry proved under the batch that first covered it", async () => {
        const progress: [number, number][] = [];
        const { report, check } = await gatewayCheck();
        assert.equal(check.status, "pass", JSON.stringify(check));
        assert.equal(report.ok, true);
        assert.equal(
          check.notes[0],
          "15 entries published; 12 anchored in 2 batches, 12 inclusion proofs checked, each under the " +
            "batch that first covered its entry; 2 consistency proofs checked.",
        );
        // The /proofs URL works as well, and progress counts every entry read.
        const anchors = await readAnchors(
          chain.publicClient,
          chain.deployment.contracts.accessLog,
          { fromBlock: BigInt(chain.deployment.startBlock) },
        );
        const direct = await checkGatewayLog(`${base}/proofs/`, anchors, {
          concurrency: 3,
          onProgress: (read, known) => progress.push([read, known]),
        });
        assert.equal(direct.status, "pass", JSON.stringify(direct));
        assert.deepEqual(
          progress,
          Array.from({ length: 15 }, (_, i) => [i + 1, Math.max(12, i + 1)]),
        );
      });

      it("fails the audit when the gateway given hides /proofs or does not answer, never passing it", async () => {
        const { check, report } = await gatewayCheck(bareBase);
        assert.equal(check.status, "fail");
        assert.match(
          check.violations[0].message,
          /cannot be checked: the gateway does not serve its access log's proofs \(GET http:\/\/127\.0\.0\.1:\d+\/proofs\/anchors\?from=1&limit=1000 answered 404 not_found/,
        );
        assert.equal(report.ok, false);
        const closed = `http://127.0.0.1:${await freePort()}`;
        const gone = await gatewayCheck(closed);
        assert.equal(gone.check.status, "fail");
        assert.equal(gone.report.ok, false);
        assert.match(gone.check.violations[0].message, /the gateway did not answer/);
        // A gateway failing on /proofs (500) fails the audit too.
        const failing = createHttpServer((_req, res) => {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "internal", message: "The server failed." } }));
        });
        await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
        try {
          const port = (failing.address() as { port: number }).port;
          const broken = await gatewayCheck(`http://127.0.0.1:${port}`);
          assert.equal(broken.check.status, "fail");
          assert.equal(broken.report.ok, false);
          assert.match(broken.check.violations[0].message, /answered 500/);
        } finally {
          await new Promise((resolve) => failing.close(resolve));
        }
      });

      it("fails an entry edited in the database, naming its batch, with or without its hashes rewritten", async () => {
        const { rows } = await db.query<Row>(
          "SELECT seq::text AS seq, entry, prev_hash, hash FROM gateway_access_log ORDER BY gateway_access_log.seq",
        );
        const original = rows[6].entry;
        // The entry's seal changed by one digit (what a gateway would do to swap the answer it committed to).
        const edited = original.replace(
          /"seal":"(.)/,
          (_, c) => `"seal":"${c === "0" ? "1" : "0"}`,
        );
        assert.notEqual(edited, original);
        await db.query("UPDATE gateway_access_log SET entry = $1 WHERE seq = 7", [edited]);
        try {
          const { check, report, messages } = await gatewayCheck();
          assert.equal(report.ok, false);
          assert.equal(check.status, "fail");
          assert.equal(messages.length, 2, messages.join("\n"));
          assert.match(
            messages[0],
            /^Anchor batch 2 \(entries 6–12\): The log's first 12 entries hash to 0x[0-9a-f]{64}, but batch 2 anchored/,
          );
          assert.match(
            messages[1],
            /^Access-log entry 7 \(anchor batch 2\) was edited: its text hashes to 0x[0-9a-f]{64}, not to its recorded hash 0x/,
          );

          // The edit hidden by re-hashing the table from entry 7 on: the hash chain holds again, but
          // the entries no longer prove under batch 2, nor recompute its root.
          let prev = rows[5].hash;
          for (const row of rows.slice(6)) {
            const hash = accessLogEntryHash(prev, row.seq === "7" ? edited : row.entry).slice(2);
            await db.query(
              "UPDATE gateway_access_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
              [prev, hash, row.seq],
            );
            prev = hash;
          }
          const hidden = await gatewayCheck();
          assert.equal(hidden.check.status, "fail");
          assert.match(hidden.messages[0], /^Anchor batch 2 \(entries 6–12\): /);
          assert.ok(
            !hidden.messages.some((m) => /was edited|does not follow/.test(m)),
            hidden.messages.join("\n"),
          );
          const unproved = hidden.messages
            .filter((m) => / has no valid inclusion proof under batch 2: /.test(m))
            .map((m) => Number(/^Access-log entry (\d+) /.exec(m)![1]));
          assert.deepEqual(unproved, [7, 8, 9, 10, 11, 12]);
          assert.equal(hidden.messages.length, 7, hidden.messages.join("\n"));
        } finally {
          for (const row of rows)
            await db.query(
              "UPDATE gateway_access_log SET entry = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
              [row.entry, row.prev_hash, row.hash, row.seq],
            );
        }
        assert.equal((await gatewayCheck()).check.status, "pass");
      });

      it("names a batch the gateway lists unlike the chain, and proves only under the batches it lists", async () => {
        const { rows } = await db.query<{ root: string }>(
          "SELECT root FROM access_log_anchors WHERE batch_index = 2",
        );
        const root = rows[0].root;
        const forged = `0x${"ab".repeat(32)}`;
        await db.query("UPDATE access_log_anchors SET root = $1 WHERE batch_index = 2", [forged]);
        try {
          const { check, messages } = await gatewayCheck();
          assert.equal(check.status, "fail");
          assert.deepEqual(messages, [
            `The gateway lists batch 2 as (${forged}, 12), but the chain anchored (${root}, 12).`,
          ]);
          // Entries 6–12 are then read without proofs; their root is still recomputed from the texts.
          assert.match(check.notes[0], /, 5 inclusion proofs checked, .*; 1 consistency proofs/);
          assert.equal(
            check.notes[1],
            "Proofs were asked under the first 1 of the 2 batches on the chain, the ones the gateway lists " +
              "as the chain does: entries after 5 were read without proofs (their anchored roots are still " +
              "recomputed).",
          );
        } finally {
          await db.query("UPDATE access_log_anchors SET root = $1 WHERE batch_index = 2", [root]);
        }
      });

      it("fails a deleted entry, naming its batch", async () => {
        await db.query("DELETE FROM gateway_access_log WHERE seq = 3");
        const { check, report, messages } = await gatewayCheck();
        assert.equal(report.ok, false);
        assert.equal(check.status, "fail");
        assert.deepEqual(messages.length, 2, messages.join("\n"));
        assert.match(
          messages[0],
          /^Anchor batch 1 \(entries 1–5\): The log's first 5 entries hash to 0x[0-9a-f]{64}, but batch 1 anchored/,
        );
        assert.equal(
          messages[1],
          "Access-log entry 3 (anchor batch 1) is missing: the gateway answers entry_not_found.",
        );
        // The entries after the gap were still read: the log was not cut short at the deletion.
        assert.match(check.notes[0], /^14 entries published; 12 anchored in 2 batches/);
      });
    });
  }
});
