import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MigrationChangedError, migrate, migrationChecksum } from "../../src/store/migrate.ts";
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

    it("records each applied migration's checksum", async () => {
      const db = await store.open();
      try {
        const m = { id: "001_a", sql: "CREATE TABLE t (a int)" };
        await migrate(db, [m]);
        const { rows } = await db.query("SELECT id, checksum FROM schema_migrations");
        assert.deepEqual(rows, [{ id: "001_a", checksum: migrationChecksum(m) }]);
        assert.match(migrationChecksum(m), /^[0-9a-f]{64}$/);
        // Line endings do not count (a Windows checkout), anything else does.
        assert.equal(migrationChecksum({ sql: "a\r\nb" }), migrationChecksum({ sql: "a\nb" }));
        assert.notEqual(migrationChecksum({ sql: "a b" }), migrationChecksum({ sql: "a  b" }));
      } finally {
        await db.close();
      }
    });

    it("refuses to start on a store that applied another text of a migration, naming it, and applies nothing", async () => {
      const db = await store.open();
      try {
        await migrate(db, [
          { id: "001_a", sql: "CREATE TABLE t (a int)" },
          { id: "002_b", sql: "CREATE TABLE u (b int)" },
        ]);
        const edited = [
          { id: "001_a", sql: "CREATE TABLE t (a int)" },
          { id: "002_b", sql: "CREATE TABLE u (b bigint)" },
          { id: "003_c", sql: "CREATE TABLE v (c int)" },
        ];
        await assert.rejects(migrate(db, edited), (error: unknown) => {
          assert.ok(error instanceof MigrationChangedError);
          assert.deepEqual(
            error.changed.map((c) => c.id),
            ["002_b"],
          );
          assert.match(
            error.message,
            /^Migration 002_b \(applied as [0-9a-f]{12}…, now [0-9a-f]{12}…\) changed after this store applied it\./,
          );
          assert.match(error.message, /new migration/);
          return true;
        });
        const { rows } = await db.query(
          "SELECT 1 FROM information_schema.tables WHERE table_name = 'v' AND table_schema = current_schema()",
        );
        assert.equal(rows.length, 0, "003_c is not applied");
        const ids = await db.query<{ id: string }>("SELECT id FROM schema_migrations ORDER BY id");
        assert.deepEqual(
          ids.rows.map((r) => r.id),
          ["001_a", "002_b"],
        );
        // Restored as released, the store starts again.
        assert.deepEqual(
          await migrate(db, [
            edited[0],
            { ...edited[1], sql: "CREATE TABLE u (b int)" },
            edited[2],
          ]),
          ["003_c"],
        );
      } finally {
        await db.close();
      }
    });

    it("takes the current text as applied for records made before checksums, then guards it", async () => {
      const db = await store.open();
      try {
        // The record table as the runner kept it before checksums.
        await db.exec(`CREATE TABLE schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
          CREATE TABLE t (a int);
          INSERT INTO schema_migrations (id) VALUES ('001_a');`);
        const m = { id: "001_a", sql: "CREATE TABLE t (a int)" };
        assert.deepEqual(await migrate(db, [m]), []);
        const { rows } = await db.query("SELECT id, checksum FROM schema_migrations");
        assert.deepEqual(rows, [{ id: "001_a", checksum: migrationChecksum(m) }]);
        await assert.rejects(
          migrate(db, [{ id: "001_a", sql: "CREATE TABLE t (a bigint)" }]),
          MigrationChangedError,
        );
      } finally {
        await db.close();
      }
    });

    it("finds a renumbered migration applied under its former id, and does not apply it again", async () => {
      const db = await store.open();
      try {
        const sql = "CREATE TABLE relays (id int)";
        await migrate(db, [{ id: "300_relays", sql }]);
        assert.deepEqual(
          await migrate(db, [{ id: "400_relays", sql, formerIds: ["300_relays"] }]),
          [],
        );
        const { rows } = await db.query("SELECT id FROM schema_migrations");
        assert.deepEqual(rows, [{ id: "400_relays" }]);
        // A fresh store applies it under its id.
        const other = await store.open();
        try {
          assert.deepEqual(
            await migrate(other, [{ id: "400_relays", sql, formerIds: ["300_relays"] }]),
            ["400_relays"],
          );
        } finally {
          await other.close();
        }
      } finally {
        await db.close();
      }
    });
  });
}
