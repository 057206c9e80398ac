import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import { migrate } from "../../../src/store/migrate.ts";
import { canonicalHash, canonicalJson } from "@datacoop/protocol/canonical";
import { parseCsv } from "../../../src/gateway/records/csv.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import { memberCommitment, randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import {
  acceptDataset,
  eraseRecords,
  loadDataset,
  parseCsvBatch,
  parseJsonBatch,
  recordsOf,
  storeRecords,
  validateValues,
} from "../../../src/gateway/records/records.ts";
import { acceptSchemaDocument } from "@datacoop/protocol/datasetSchema";
import { stores } from "../../support/stores.ts";
import { datasetSchema, farmDocument } from "../fixtures.ts";

const schema = datasetSchema();
const ALICE = "0x1111111111111111111111111111111111111111" as Address;
const BOB = "0x2222222222222222222222222222222222222222" as Address;
const good = {
  name: "A",
  region: "north",
  crop: "maize",
  yield_kg: 1200,
  harvested: "2026-05-01",
  age: 40,
};

function gatewayError(code: string) {
  return (e: unknown) => e instanceof GatewayError && e.code === code;
}

describe("canonical JSON", () => {
  it("sorts keys, drops whitespace and is independent of key order", () => {
    assert.equal(
      canonicalJson({ b: 1, a: [true, null, "x"], c: { z: 1.5, y: -0 } }),
      '{"a":[true,null,"x"],"b":1,"c":{"y":0,"z":1.5}}',
    );
    assert.equal(canonicalHash({ a: 1, b: 2 }), canonicalHash({ b: 2, a: 1 }));
    assert.notEqual(canonicalHash({ a: 1 }), canonicalHash({ a: "1" }));
    assert.throws(() => canonicalJson({ a: Number.NaN }));
  });
});

describe("schema documents", () => {
  const registration = {
    datasetId: 1n,
    schemaHash: canonicalHash(farmDocument),
    fields: farmDocument.fields.map((f) => f.name),
  };

  it("accepts the document whose canonical hash is the registered one, whatever its key order", () => {
    const reordered = JSON.parse(
      JSON.stringify({ fields: farmDocument.fields, name: farmDocument.name }),
    );
    assert.equal(acceptSchemaDocument(reordered, registration).fields.length, 8);
  });

  it("rejects a document with another hash, other fields, or an invalid shape", () => {
    const changed = { ...farmDocument, name: "Harvest" };
    assert.throws(
      () => acceptSchemaDocument(changed, registration),
      gatewayError("schema_hash_mismatch"),
    );
    const fewer = { fields: farmDocument.fields.slice(1) };
    assert.throws(
      () => acceptSchemaDocument(fewer, { ...registration, schemaHash: canonicalHash(fewer) }),
      gatewayError("schema_fields_mismatch"),
    );
    const bad = { fields: [{ name: "x", type: "float" }] };
    assert.throws(
      () =>
        acceptSchemaDocument(bad, { datasetId: 1n, schemaHash: canonicalHash(bad), fields: ["x"] }),
      gatewayError("schema_invalid"),
    );
  });

  it("takes labels by language for fields and enum values, and refuses malformed ones", () => {
    const accept = (doc: unknown) =>
      acceptSchemaDocument(doc, {
        datasetId: 1n,
        schemaHash: canonicalHash(doc),
        fields: ["region"],
      });
    const labelled = {
      fields: [
        {
          name: "region",
          type: "string",
          enum: ["north", "south"],
          labels: { en: "Region", sw: "Mkoa", hi: "क्षेत्र", "pt-BR": "Região" },
          enumLabels: { north: { en: "North", sw: "Kaskazini" } },
        },
      ],
    };
    assert.deepEqual(accept(labelled).fields[0].labels, labelled.fields[0].labels);
    const badTag = { fields: [{ name: "region", type: "string", labels: { Swahili: "Mkoa" } }] };
    assert.throws(() => accept(badTag), gatewayError("schema_invalid"));
    const emptyLabel = { fields: [{ name: "region", type: "string", labels: { sw: "" } }] };
    assert.throws(() => accept(emptyLabel), gatewayError("schema_invalid"));
    const strayValue = {
      fields: [
        {
          name: "region",
          type: "string",
          enum: ["north"],
          enumLabels: { west: { en: "West" } },
        },
      ],
    };
    assert.throws(() => accept(strayValue), gatewayError("schema_invalid"));
    const noEnum = {
      fields: [{ name: "region", type: "string", enumLabels: { north: { en: "North" } } }],
    };
    assert.throws(() => accept(noEnum), gatewayError("schema_invalid"));
  });
});

describe("contribution validation", () => {
  it("accepts a record that fits and names every problem of one that does not", () => {
    assert.deepEqual(validateValues(schema, good), []);
    const errors = validateValues(schema, {
      region: "middle",
      crop: 3,
      yield_kg: -1,
      harvested: "2026-02-30",
      age: 40.5,
      colour: "red",
    });
    assert.deepEqual(
      errors.map((e) => e.field),
      ["colour", "name", "region", "crop", "yield_kg", "harvested", "age"],
    );
  });

  it("parses CSV by the field types, quoting included, with per-row errors", () => {
    const csv =
      "record_id,name,region,crop,yield_kg,harvested,age,organic\r\n" +
      'r1,"Doe, Jane",north,"the ""best"" maize",1200.5,2026-05-01,40,true\r\n' +
      "r2,Bo,south,rice,800,2026-05-02,33,\n";
    const records = parseCsvBatch(schema, csv);
    assert.deepEqual(records[0], {
      recordId: "r1",
      values: {
        name: "Doe, Jane",
        region: "north",
        crop: 'the "best" maize',
        yield_kg: 1200.5,
        harvested: "2026-05-01",
        age: 40,
        organic: true,
      },
    });
    assert.equal("organic" in records[1].values, false);
    assert.throws(
      () => parseCsvBatch(schema, "record_id,yield_kg\nr1,12kg\nr2,1e3\n"),
      (e: unknown) =>
        e instanceof GatewayError &&
        e.code === "records_invalid" &&
        JSON.stringify(e.details) ===
          JSON.stringify([{ row: 0, field: "yield_kg", message: "expected a number" }]),
    );
    assert.throws(() => parseCsvBatch(schema, "name\nA\n"), gatewayError("csv_invalid"));
    assert.throws(() => parseCsv('a,b\n"x,1\n'), /not closed/);
    assert.throws(() => parseCsv("a,b\n1,2,3\n"), /line 2: 3 fields/);
  });

  it("rejects malformed JSON batches", () => {
    for (const body of [
      null,
      {},
      { records: [] },
      { records: [{ recordId: "a b", values: {} }] },
      { records: [{ recordId: "a", values: {}, x: 1 }] },
    ]) {
      assert.throws(() => parseJsonBatch(body), gatewayError("batch_invalid"));
    }
  });
});

for (const store of stores) {
  describe(`records (${store.name})`, () => {
    async function open() {
      const db = await store.open();
      await migrate(db, gatewayMigrations);
      await acceptDataset(db, farmDocument, {
        datasetId: 1n,
        schemaHash: canonicalHash(farmDocument),
        fields: farmDocument.fields.map((f) => f.name),
      });
      return db;
    }

    it("stores, lists, replaces idempotently and keeps members apart", async () => {
      const db = await open();
      try {
        const loaded = await loadDataset(db, 1n);
        assert.deepEqual(loaded?.fields, schema.fields);
        assert.equal(await loadDataset(db, 2n), null);
        const batch = [
          { recordId: "r1", values: good },
          { recordId: "r2", values: { ...good, yield_kg: 5 } },
        ];
        assert.deepEqual(await storeRecords(db, schema, ALICE, batch), { stored: 2, unchanged: 0 });
        assert.deepEqual(await storeRecords(db, schema, ALICE, batch), { stored: 0, unchanged: 2 });
        assert.deepEqual(
          await storeRecords(db, schema, ALICE, [
            { recordId: "r2", values: { ...good, yield_kg: 6 } },
          ]),
          { stored: 1, unchanged: 0 },
        );
        await storeRecords(db, schema, BOB, [{ recordId: "r1", values: { ...good, name: "B" } }]);
        const mine = await recordsOf(db, 1n, ALICE);
        assert.deepEqual(
          mine.map((r) => [r.recordId, r.values.yield_kg, r.values.name]),
          [
            ["r1", 1200, "A"],
            ["r2", 6, "A"],
          ],
        );
        assert.equal((await recordsOf(db, 1n, BOB)).length, 1);
      } finally {
        await db.close();
      }
    });

    it("stores nothing from a batch with one bad row, and says which", async () => {
      const db = await open();
      try {
        const batch = [
          { recordId: "r1", values: good },
          { recordId: "r2", values: { ...good, age: "old" } },
          { recordId: "r1", values: good },
        ];
        await assert.rejects(storeRecords(db, schema, ALICE, batch), (e: unknown) => {
          assert.ok(e instanceof GatewayError && e.status === 422);
          assert.deepEqual(e.details, [
            { row: 1, field: "age", message: "expected a integer" },
            { row: 2, field: "recordId", message: "used twice in this batch" },
          ]);
          return true;
        });
        const { rows } = await db.query("SELECT * FROM gateway_records");
        assert.equal(rows.length, 0);
      } finally {
        await db.close();
      }
    });

    it("erases at once, logs the erasure, and lets the member contribute again", async () => {
      const db = await open();
      const keys = randomKeys();
      try {
        await storeRecords(db, schema, ALICE, [
          { recordId: "r1", values: good },
          { recordId: "r2", values: good },
          { recordId: "r3", values: good },
        ]);
        await storeRecords(db, schema, BOB, [{ recordId: "r1", values: good }]);
        assert.equal(await eraseRecords(db, keys, 1n, ALICE, ["r1"]), 1);
        assert.deepEqual(
          (await recordsOf(db, 1n, ALICE)).map((r) => r.recordId),
          ["r2", "r3"],
        );
        assert.equal(await eraseRecords(db, keys, 1n, ALICE), 2);
        assert.equal((await recordsOf(db, 1n, ALICE)).length, 0);
        assert.equal((await recordsOf(db, 1n, BOB)).length, 1);
        const { rows } = await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM gateway_records WHERE member = $1 AND data IS NOT NULL",
          [ALICE.toLowerCase()],
        );
        assert.equal(rows[0].n, "0");
        const log = await verifyLog(db);
        assert.deepEqual([log.ok, log.length], [true, 2]);
        // Dropping a member from a logged set breaks the chain where the set is first named.
        await db.query("DELETE FROM gateway_member_set_members");
        const broken = await verifyLog(db);
        assert.deepEqual([broken.ok, broken.brokenAt], [false, 1]);
        await db.query(
          "INSERT INTO gateway_member_set_members (commitment, members_hash) SELECT $1, members_hash FROM gateway_member_sets",
          [memberCommitment(keys, ALICE)],
        );
        assert.equal((await verifyLog(db)).ok, true);
        assert.deepEqual(
          await storeRecords(db, schema, ALICE, [{ recordId: "r1", values: good }]),
          { stored: 1, unchanged: 0 },
        );
      } finally {
        await db.close();
      }
    });
  });
}
