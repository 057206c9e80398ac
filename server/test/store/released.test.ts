/**
 * Released migrations never change: each one's checksum as released is recorded in
 * released-migrations.json, and a migration edited since fails here, before any store refuses to start.
 * A new migration is added to the file in the change that ships it (the failure prints its line).
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { domain } from "../../src/follower/domain.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { auditMigrations } from "../../src/operator/migrations.ts";
import { relayerMigrations } from "../../src/relayer/migrations.ts";
import { coreMigrations } from "../../src/store/core.ts";
import { migrationChecksum } from "../../src/store/migrate.ts";

const FILE = path.join(import.meta.dirname, "released-migrations.json");
const ALL = [
  ...coreMigrations,
  ...domain.migrations,
  ...gatewayMigrations,
  ...auditMigrations,
  ...relayerMigrations,
];

describe("released migrations", () => {
  it("keep the SQL they were released with", async () => {
    const released = JSON.parse(await readFile(FILE, "utf8")) as Record<string, string>;
    const current = new Map(ALL.map((m) => [m.id, migrationChecksum(m)]));
    for (const [id, checksum] of Object.entries(released)) {
      assert.ok(
        current.has(id),
        `${id} was released: it stays in the code (renumbered: formerIds)`,
      );
      assert.equal(
        current.get(id),
        checksum,
        `${id} changed after its release: restore it and put the change in a new migration`,
      );
    }
  });

  it("are all recorded, and ids are unique across the parts", async () => {
    const ids = ALL.flatMap((m) => [m.id, ...(m.formerIds ?? [])]);
    assert.equal(new Set(ids).size, ids.length);
    const released = JSON.parse(await readFile(FILE, "utf8")) as Record<string, string>;
    const missing = ALL.filter((m) => !(m.id in released));
    assert.deepEqual(
      missing.map((m) => `"${m.id}": "${migrationChecksum(m)}"`),
      [],
      "new migrations: add these lines to test/store/released-migrations.json",
    );
  });
});
