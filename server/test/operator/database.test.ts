import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Hex } from "viem";
import { NO_PREVIOUS_ROOT, verifyLog, type Anchor } from "@datacoop/protocol/accessLog/batches";
import { MerkleLog } from "@datacoop/protocol/accessLog/merkle";
import type { Db } from "../../src/store/db.ts";
import { stores } from "../support/stores.ts";

// A hash-chained log table like the gateway's (hash = sha256(previous hash ‖ entry)), tampered with in SQL.
const SIZES = [50, 120, 300, 450];
const COUNT = 480;
const GENESIS = "0".repeat(64);

function chainHash(previous: string, entry: string): string {
  return createHash("sha256").update(`${previous}${entry}`).digest("hex");
}

async function fill(db: Db): Promise<Anchor[]> {
  await db.exec(
    "DROP TABLE IF EXISTS access_log; CREATE TABLE access_log (seq bigint PRIMARY KEY, entry text NOT NULL, hash text NOT NULL)",
  );
  const hashes: Hex[] = [];
  let previous = GENESIS;
  const rows: string[][] = [];
  for (let seq = 1; seq <= COUNT; seq++) {
    const entry = JSON.stringify({ seq, partner: `p${seq % 4}`, decision: "allow", rows: seq % 9 });
    previous = chainHash(previous, entry);
    rows.push([String(seq), entry, previous]);
    hashes.push(`0x${previous}`);
  }
  await db.query(
    "INSERT INTO access_log SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[])",
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
  const log = MerkleLog.fromLeaves(hashes);
  let previousRoot = NO_PREVIOUS_ROOT;
  return SIZES.map((size) => {
    const anchor = { root: log.root(size), size, previousRoot };
    previousRoot = anchor.root;
    return anchor;
  });
}

/** The auditor's reading: the entries in order, their hashes recomputed from the text, not taken as stored. */
async function recomputedHashes(db: Db): Promise<Hex[]> {
  const { rows } = await db.query<{ entry: string }>("SELECT entry FROM access_log ORDER BY seq");
  let previous = GENESIS;
  return rows.map(({ entry }) => {
    previous = chainHash(previous, entry);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
    return `0x${previous}` as Hex;
  });
}

async function storedHashes(db: Db): Promise<Hex[]> {
  const { rows } = await db.query<{ hash: string }>("SELECT hash FROM access_log ORDER BY seq");
  return rows.map(({ hash }): Hex => `0x${hash}`);
}

function firstBad(result: ReturnType<typeof verifyLog>): unknown[] {
  return result.ok ? ["ok"] : [result.batch, result.fromSize, result.toSize, result.fault];
}

for (const store of stores) {
  describe(`access log in the database (${store.name})`, () => {
    // One database per store (each test rebuilds the table): opening PGlite is the slow part.
    let db: Db;
    before(async () => {
      db = await store.open();
    });
    after(() => db?.close());

    it("verifies the untouched table against its anchors", async () => {
      const anchors = await fill(db);
      const result = verifyLog(await recomputedHashes(db), anchors);
      assert.deepEqual(result, {
        ok: true,
        batches: 4,
        anchoredSize: 450,
        root: anchors[3].root,
        unanchored: 30,
      });
      assert.deepEqual(verifyLog(await storedHashes(db), anchors), result);
    });

    it("an entry edited in SQL fails the batch that holds it", async () => {
      const anchors = await fill(db);
      // Entry seq 200 is at index 199: batch 3 covers indices 120–299.
      await db.query(
        "UPDATE access_log SET entry = replace(entry, '\"allow\"', '\"deny\"') WHERE seq = 200",
      );
      assert.deepEqual(firstBad(verifyLog(await recomputedHashes(db), anchors)), [
        3,
        120,
        300,
        "ROOT_MISMATCH",
      ]);
      // Rewriting the stored hash along with the entry changes nothing for the auditor.
      await db.query("UPDATE access_log SET hash = $1 WHERE seq = 200", [
        chainHash(GENESIS, "forged"),
      ]);
      assert.deepEqual(firstBad(verifyLog(await storedHashes(db), anchors)), [
        3,
        120,
        300,
        "ROOT_MISMATCH",
      ]);
    });

    it("an entry deleted in SQL fails the batch that held it", async () => {
      const anchors = await fill(db);
      await db.query("DELETE FROM access_log WHERE seq = 50");
      assert.deepEqual(firstBad(verifyLog(await recomputedHashes(db), anchors)), [
        1,
        0,
        50,
        "ROOT_MISMATCH",
      ]);
      assert.deepEqual(firstBad(verifyLog(await storedHashes(db), anchors)), [
        1,
        0,
        50,
        "ROOT_MISMATCH",
      ]);
    });

    it("deleting the newest anchored entries leaves the latest batch short", async () => {
      const anchors = await fill(db);
      await db.query("DELETE FROM access_log WHERE seq > 449");
      assert.deepEqual(firstBad(verifyLog(await recomputedHashes(db), anchors)), [
        4,
        300,
        450,
        "ENTRIES_MISSING",
      ]);
    });
  });
}
