/**
 * The member sets are part of what is verified at run time: deleting one member's commitment from a
 * stored member set (which would hide their accesses from "who used my data") fails the log's
 * verification, names the entry, and members' listings then answer 409 `log_broken` instead of a
 * silently shorter list.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CoopError } from "@datacoop/protocol/errors";
import { randomKeys } from "../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../src/gateway/migrations.ts";
import { migrations as domainMigrations } from "../../src/follower/migrations.ts";
import { coreMigrations } from "../../src/store/core.ts";
import { appendEntry } from "../../src/gateway/serving/accessLog.ts";
import { LogTree } from "../../src/operator/logTree.ts";
import { createLogVerifier } from "../../src/operator/verification.ts";
import { migrate } from "../../src/store/migrate.ts";
import { accounts } from "../support/chain.ts";
import { stores } from "../support/stores.ts";

for (const store of stores) {
  describe(`the access log's verification at run time (${store.name})`, () => {
    it("detects a member's commitment deleted from a stored member set", async () => {
      const db = await store.open();
      try {
        await migrate(db, [...coreMigrations, ...domainMigrations, ...gatewayMigrations]);
        const keys = randomKeys();
        for (let n = 1; n <= 4; n++) {
          await db.transaction((tx) =>
            appendEntry(tx, keys, { kind: "erasure", datasetId: "1", records: n }, [
              accounts[0].address,
              accounts[n].address,
            ]),
          );
        }
        const tree = new LogTree();
        const verifier = createLogVerifier({ db, tree });
        const intact = await verifier.verify();
        assert.equal(intact.ok, true, JSON.stringify(intact.fault));
        assert.equal(intact.entries, 4);
        const { rows } = await db.query<{
          seq: string;
          entry: string;
          prev_hash: string;
          hash: string;
        }>("SELECT seq::text AS seq, entry, prev_hash, hash FROM gateway_access_log ORDER BY seq");
        const listed = rows.map((r) => ({
          seq: Number(r.seq),
          entry: r.entry,
          prevHash: r.prev_hash,
          hash: r.hash,
        }));
        await verifier.checkListed(listed);

        // Entry 3's set loses one member's commitment (the member set of entry 3 only).
        const { rows: sets } = await db.query<{ members_hash: string }>(
          "SELECT members_hash FROM gateway_access_log WHERE seq = 3",
        );
        await db.query(
          `DELETE FROM gateway_member_set_members WHERE ctid = (
             SELECT ctid FROM gateway_member_set_members WHERE members_hash = $1 LIMIT 1)`,
          [sets[0].members_hash],
        );
        const { rows: left } = await db.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM gateway_member_set_members WHERE members_hash = $1",
          [sets[0].members_hash],
        );
        assert.equal(left[0].n, "1", "one commitment was deleted");

        const broken = await verifier.verify();
        assert.equal(broken.ok, false);
        assert.equal(broken.fault?.code, "log_broken");
        assert.equal(broken.fault?.seq, 3);
        assert.match(broken.fault.message, /member set/);
        await assert.rejects(
          verifier.checkListed(listed.slice(0, 1)),
          (error: unknown) =>
            error instanceof CoopError && error.status === 409 && error.code === "log_broken",
        );
      } finally {
        await db.close();
      }
    });
  });
}
