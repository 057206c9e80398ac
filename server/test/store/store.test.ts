import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { migrate } from "../../src/store/migrate.ts";
import { stores } from "../support/stores.ts";

for (const store of stores) {
  describe(`store (${store.name})`, () => {
    it("applies each migration once, in id order, and keeps uint256 values exact", async () => {
      const db = await store.open();
      try {
        const migrations = [
          { id: "002_b", sql: "ALTER TABLE t ADD COLUMN b text" },
          { id: "001_a", sql: "CREATE TABLE t (a numeric(78,0), n bigint)" },
        ];
        assert.deepEqual(await migrate(db, migrations), ["001_a", "002_b"]);
        assert.deepEqual(await migrate(db, migrations), []);
        const max = (1n << 256n) - 1n;
        await db.query("INSERT INTO t (a, n, b) VALUES ($1, $2, $3)", [
          max.toString(),
          "9007199254740993",
          "x",
        ]);
        const { rows } = await db.query<{ a: string; n: string; b: string }>("SELECT * FROM t");
        assert.deepEqual(rows, [{ a: max.toString(), n: "9007199254740993", b: "x" }]);
      } finally {
        await db.close();
      }
    });

    it("rolls a failed transaction back entirely", async () => {
      const db = await store.open();
      try {
        await db.exec("CREATE TABLE u (id int PRIMARY KEY)");
        await assert.rejects(
          db.transaction(async (tx) => {
            await tx.query("INSERT INTO u VALUES (1)");
            await tx.query("INSERT INTO u VALUES (1)");
          }),
          /duplicate key/,
        );
        const { rows } = await db.query("SELECT * FROM u");
        assert.equal(rows.length, 0);
      } finally {
        await db.close();
      }
    });

    it("rejects a migration list with a duplicate id before touching the store", async () => {
      const db = await store.open();
      try {
        await assert.rejects(
          migrate(db, [
            { id: "001", sql: "CREATE TABLE v (a int)" },
            { id: "001", sql: "CREATE TABLE w (a int)" },
          ]),
          /Duplicate migration id 001/,
        );
        const { rows } = await db.query(
          "SELECT 1 FROM information_schema.tables WHERE table_name = 'v' AND table_schema = current_schema()",
        );
        assert.equal(rows.length, 0);
      } finally {
        await db.close();
      }
    });
  });
}
