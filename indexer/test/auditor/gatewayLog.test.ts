/**
 * The auditor against a gateway's published access log: real entries appended by the gateway's own
 * accessLog module to a real store, anchored on a real chain by the operator, and served through the
 * two endpoints the auditor reads (GET /log, GET /log/proof; see src/auditor/gatewayLog.ts). It passes on
 * the intact log, names an entry edited in place, names the batch and the entries when the gateway
 * rewrites the hash chain to hide an edit, and reports a gateway without the endpoints as not checked.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { audit } from "../../src/auditor/audit.ts";
import { MerkleLog } from "../../src/audit/merkle.ts";
import { appendEntry } from "../../src/gateway/accessLog.ts";
import { keysFromSecret } from "../../src/gateway/keys.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { accounts, startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { stores } from "../support/stores.ts";

const OPERATOR = 8;
const ZERO: Hex = `0x${"0".repeat(64)}`;

async function hashes(db: Db): Promise<Hex[]> {
  const { rows } = await db.query<{ hash: string }>(
    "SELECT hash FROM gateway_access_log ORDER BY seq",
  );
  return rows.map((r) => `0x${r.hash}` as Hex);
}

/** The two endpoints, over the store's log table (a reference for the gateway's own). */
function publish(db: Db): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://x");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === "/gateway/log") {
        const from = Number(url.searchParams.get("from") ?? 0);
        const limit = Number(url.searchParams.get("limit") ?? 100);
        const { rows } = await db.query<{
          seq: string;
          entry: string;
          prev_hash: string;
          hash: string;
        }>(
          "SELECT seq, entry, prev_hash, hash FROM gateway_access_log WHERE seq > $1 ORDER BY seq LIMIT $2",
          [from, limit],
        );
        const size = (await hashes(db)).length;
        return send(200, {
          size,
          entries: rows.map((r) => ({
            index: Number(r.seq) - 1,
            seq: Number(r.seq),
            entry: r.entry,
            prevHash: r.prev_hash,
            hash: r.hash,
          })),
        });
      }
      if (url.pathname === "/gateway/log/proof") {
        const log = MerkleLog.fromLeaves(await hashes(db));
        const index = Number(url.searchParams.get("index"));
        const size = Number(url.searchParams.get("size"));
        return send(200, { index, size, proof: log.inclusionProof(index, size) });
      }
      send(404, { error: { code: "not_found", message: "Not found" } });
    })().catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/gateway` });
    }),
  );
}

describe("auditor: the gateway's published access log", () => {
  let chain: TestChain;
  let db: Db;
  let server: Server;
  let gatewayUrl: string;

  before(async () => {
    chain = await startChain();
    db = await stores[0]!.open();
    await migrate(db, gatewayMigrations);
    ({ server, url: gatewayUrl } = await publish(db));
    const keys = keysFromSecret("ab".repeat(32));
    for (let n = 1; n <= 12; n++) {
      await db.transaction((tx) =>
        appendEntry(tx, keys, { kind: "erasure", datasetId: "1", records: n }, [
          accounts[n % 5]!.address,
        ]),
      );
    }
    // The operator anchors the first 5 entries, then all 12.
    const log = MerkleLog.fromLeaves(await hashes(db));
    const c = coop(chain);
    await c.send(OPERATOR, "accessLog", "anchor", [log.root(5), 5n, ZERO]);
    await c.send(OPERATOR, "accessLog", "anchor", [log.root(12), 12n, log.root(5)]);
    // Entries after the latest anchor are published but not yet covered.
    for (let n = 13; n <= 15; n++) {
      await db.transaction((tx) =>
        appendEntry(tx, keys, { kind: "erasure", datasetId: "2", records: n }, [
          accounts[1]!.address,
        ]),
      );
    }
  });

  after(async () => {
    server?.close();
    await db?.close();
    await chain?.stop();
  });

  const gatewayCheck = async (url = gatewayUrl) => {
    const report = await audit({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      gatewayUrl: url,
    });
    const check = report.checks.find((c) => c.id === "gateway")!;
    return { report, check, messages: check.violations.map((v) => v.message) };
  };

  it("passes on the intact log, checking every anchored entry's inclusion proof", async () => {
    const { report, check } = await gatewayCheck();
    assert.equal(check.status, "pass", JSON.stringify(check));
    assert.equal(report.ok, true);
    assert.match(
      check.notes[0]!,
      /15 entries published; 12 anchored, 12 inclusion proofs checked, each under the batch that first covered its entry/,
    );
  });

  it("reports a gateway without the endpoints as not checked, never as passing", async () => {
    const { check, report } = await gatewayCheck(`${gatewayUrl}/elsewhere`);
    assert.equal(check.status, "skipped");
    assert.match(
      check.notes[0]!,
      /does not publish its access log \(GET .*\/elsewhere\/log\?from=0&limit=500 answered 404\)/,
    );
    assert.equal(report.ok, true);
  });

  it("names an entry edited in place", async () => {
    const { rows } = await db.query<{ entry: string }>(
      "SELECT entry FROM gateway_access_log WHERE seq = 7",
    );
    const original = rows[0]!.entry;
    const edited = original.replace('"records":7', '"records":1');
    assert.notEqual(edited, original);
    await db.query("UPDATE gateway_access_log SET entry = $1 WHERE seq = 7", [edited]);
    try {
      const { check, report } = await gatewayCheck();
      assert.equal(report.ok, false);
      assert.equal(check.status, "fail");
      assert.equal(check.violations.length, 1, check.violations.map((v) => v.message).join("\n"));
      assert.match(
        check.violations[0]!.message,
        /^Access-log entry 7 was edited: its content hashes to [0-9a-f]{64}, not to its recorded hash/,
      );
    } finally {
      await db.query("UPDATE gateway_access_log SET entry = $1 WHERE seq = 7", [original]);
    }
  });

  it("names the anchor batch and the entries when the gateway rewrites the hash chain to hide an edit", async () => {
    const { rows } = await db.query<{
      seq: string;
      entry: string;
      prev_hash: string;
      hash: string;
    }>("SELECT seq, entry, prev_hash, hash FROM gateway_access_log ORDER BY seq");
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    let prev = rows[5]!.hash;
    for (const row of rows.slice(6)) {
      const entry =
        Number(row.seq) === 7 ? row.entry.replace('"records":7', '"records":1') : row.entry;
      const hash = sha(`${prev}${entry}`);
      await db.query(
        "UPDATE gateway_access_log SET entry = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
        [entry, prev, hash, row.seq],
      );
      prev = hash;
    }
    const { check, messages, report } = await gatewayCheck();
    assert.equal(check.status, "fail");
    // The chain of hashes is whole again, but entries 7–12 are no longer under the anchored root.
    assert.ok(!messages.some((m) => /was edited|does not follow/.test(m)), messages.join("\n"));
    for (const seq of [6, 7, 8, 12])
      assert.ok(
        messages.some((m) =>
          m.startsWith(`Access-log entry ${seq} has no valid inclusion proof under anchor batch 2`),
        ),
        messages.join("\n"),
      );
    // Entries 1–5 still prove under batch 1, whose root the rewrite left alone.
    for (const seq of [1, 5])
      assert.ok(
        !messages.some((m) => m.startsWith(`Access-log entry ${seq} `)),
        messages.join("\n"),
      );
    assert.ok(
      messages.some((m) =>
        /^Anchor batch 2 \(entries 6–12\): .*ROOT|^Anchor batch 2 \(entries 6–12\): The log's first 12 entries hash to/.test(
          m,
        ),
      ),
      messages.join("\n"),
    );
    // The anchors on-chain are untouched and still one consistent chain: the log is what moved.
    assert.equal(report.checks.find((c) => c.id === "anchors")!.status, "pass");
  });
});
