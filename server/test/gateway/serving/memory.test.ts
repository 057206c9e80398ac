import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress } from "viem";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { valueAt, type DatasetColumns } from "../../../src/gateway/query/engine.ts";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import type { DatasetSnapshot, GatewayMemory } from "../../../src/gateway/serving/memory.ts";
import { Gateway } from "../../../src/gateway/serving/serve.ts";
import { TestChain } from "../testChain.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { acceptDataset, eraseRecords, storeRecords } from "../../../src/gateway/records/records.ts";
import type { Db, Queryable } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { stores } from "../../support/stores.ts";
import { clock, datasetSchema, farmDocument } from "../fixtures.ts";

const member = (i: number) => getAddress(`0x${(0x2000 + i).toString(16).padStart(40, "0")}`);
const schema = datasetSchema(farmDocument, 1n);
const record = (i: number, k: number) => ({
  recordId: `r${k}`,
  values: {
    name: `Member ${i}`,
    region: ["north", "south", "east"][(i + k) % 3],
    crop: "maize",
    yield_kg: 1000 + i * 10 + k,
    ...(k % 2 ? { organic: i % 2 === 0 } : {}),
    harvested: `2026-0${1 + (k % 9)}-1${k % 10}`,
    age: 30 + i,
  },
});

/** Every row as (member number, record id, values), in the snapshot's order. */
function rowsOf(data: DatasetColumns) {
  return Array.from({ length: data.size }, (_, r) => ({
    m: data.member[r],
    id: data.recordId[r],
    values: data.schema.fields.map((f, j) => valueAt(data.columns[j], r, f.type === "date")),
  }));
}

/** A Queryable that fails any read: the copy must come from memory. */
const noStore: Queryable = {
  query: () => Promise.reject(new Error("the store was read")),
  exec: () => Promise.reject(new Error("the store was read")),
};

for (const store of stores) {
  describe(`records kept in memory (${store.name})`, () => {
    let db: Db;
    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      await acceptDataset(db, farmDocument, {
        datasetId: 1n,
        schemaHash: canonicalHash(farmDocument),
        fields: farmDocument.fields.map((f) => f.name),
      });
      for (let i = 0; i < 6; i++) {
        await storeRecords(db, schema, member(i), [record(i, 0), record(i, 1), record(i, 2)]);
      }
    });
    after(async () => db.close());

    /** A gateway's memory of the store, told of this process's changes (closed after the test). */
    const gateways: Gateway[] = [];
    const memoryOf = (): GatewayMemory => {
      const gateway = new Gateway({
        db,
        chain: new TestChain(clock()),
        keys: randomKeys(),
        domain: { chainId: 31337, registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3" },
      });
      gateways.push(gateway);
      return gateway.memory;
    };
    after(() => gateways.forEach((g) => g.close()));
    const revision = async () => (await memoryOf().revisions(db, [1n])).get("1")!;
    /** The dataset as a memory that has never seen it reads it from the store. */
    const fresh = async () => (await memoryOf().dataset(db, 1n, await revision()))!;

    it("follows this process's contributions and erasures without reading the dataset again", async () => {
      const memory = memoryOf();
      let copy: DatasetSnapshot = (await memory.dataset(db, 1n, await revision()))!;
      assert.equal(copy.data!.size, 18);
      const steps: [string, () => Promise<unknown>][] = [
        ["a new member", () => storeRecords(db, schema, member(9), [record(9, 0), record(9, 5)])],
        [
          "a record replaced and one added",
          () =>
            storeRecords(db, schema, member(2), [
              { ...record(2, 1), values: { ...record(2, 1).values, yield_kg: 7 } },
              record(2, 7),
            ]),
        ],
        ["some records erased", () => eraseRecords(db, randomKeys(), 1n, member(3), ["r0", "r2"])],
        ["all of a member's records erased", () => eraseRecords(db, randomKeys(), 1n, member(4))],
        ["an erased record sent again", () => storeRecords(db, schema, member(4), [record(4, 2)])],
      ];
      for (const [what, step] of steps) {
        await step();
        const next = await memory.dataset(noStore, 1n, await revision());
        assert.ok(next, what);
        assert.notEqual(next, copy, `${what}: a new copy`);
        copy = next;
        const truth = await fresh();
        assert.equal(copy.revision, truth.revision, what);
        assert.deepEqual(rowsOf(copy.data!), rowsOf(truth.data!), what);
        assert.deepEqual(
          [...copy.addressOf].sort((a, b) => a[0] - b[0]),
          [...truth.addressOf].sort((a, b) => a[0] - b[0]),
          what,
        );
      }
      assert.equal(copy.data!.size, 18 + 2 + 1 - 2 - 3 + 1);
    });

    it("reads the dataset again when the copy is more than one revision behind", async () => {
      const memory = memoryOf();
      const copy = (await memory.dataset(db, 1n, await revision()))!;
      // A change this memory is not told of (as another process's would be).
      await db.query("UPDATE gateway_datasets SET revision = revision + 1 WHERE dataset_id = 1");
      await storeRecords(db, schema, member(5), [record(5, 8)]);
      await assert.rejects(memory.dataset(noStore, 1n, await revision()), /the store was read/);
      const read = (await memory.dataset(db, 1n, await revision()))!;
      assert.equal(read.data!.size, copy.data!.size + 1);
    });
  });
}
