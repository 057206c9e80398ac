/**
 * A store created by the oldest released schema (fixtures/legacy-chain-schema.sql, recorded by the runner
 * of the time: ids only), started on by the current code: it ends with the schema and the answers of a
 * store created today, from the same events.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import type { RowInsert } from "../../src/follower/types.ts";
import { domain } from "../../src/follower/domain.ts";
import { coreMigrations } from "../../src/store/core.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate, migrationChecksum } from "../../src/store/migrate.ts";
import { insertRows } from "../../src/store/rows.ts";
import { dumpStore } from "../support/dump.ts";
import { stores } from "../support/stores.ts";

const FIXTURE = path.join(import.meta.dirname, "fixtures", "legacy-chain-schema.sql");
const CURRENT = [...coreMigrations, ...domain.migrations];

/** The fixture's migrations, split on its `-- migration: <id>` lines. */
async function legacyMigrations(): Promise<{ id: string; sql: string }[]> {
  const text = await readFile(FIXTURE, "utf8");
  return [...text.matchAll(/^-- migration: (\S+)\n([\s\S]*?)(?=^-- migration: |(?![\s\S]))/gm)].map(
    ([, id, sql]) => ({ id, sql }),
  );
}

/** What the runner of the time did: a record table of ids, each migration and its record in one transaction. */
async function createLegacyStore(db: Db): Promise<void> {
  await db.exec(`CREATE TABLE schema_migrations (
    id text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  for (const m of await legacyMigrations()) {
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (id) VALUES ($1)", [m.id]);
    });
  }
}

const ALICE = "0x00000000000000000000000000000000000a11ce";
const BOB = "0x0000000000000000000000000000000000000b0b";
const CAROL = "0x00000000000000000000000000000000000ca201";
const PARTNER = "0x00000000000000000000000000000000000abcde";
const T0 = 1_700_000_000;
/** Blocks 20–22 share one timestamp, as several blocks can on a fast chain. */
const timeOf = (block: number) => T0 + 12 * (block >= 20 && block <= 22 ? 20 : block);
const EXECUTION_TX = `0x${"e1".repeat(32)}`;

/**
 * Rows of a small history, written straight into the tables (whose columns no migration has changed):
 * three members, a quorum setting, a dataset, a partner's request approved by an executed proposal, an
 * equal-split deposit with one claim, consent and a grant choice, and a member who leaves and returns
 * in the second she had stored consent in.
 */
function history(): RowInsert[] {
  let logIndex = 0;
  const row = (
    table: string,
    block: number,
    values: Record<string, unknown>,
    tx = `0x${block.toString(16).padStart(64, "0")}`,
  ): RowInsert => ({
    table,
    values: {
      ...values,
      block_number: String(block),
      log_index: logIndex++,
      block_time: String(timeOf(block)),
      tx_hash: tx,
    },
  });
  const member = (who: string, id: number, admitted: boolean, block: number) =>
    row("member_changes", block, {
      member: who,
      member_id: String(id),
      admitted,
      resigned: admitted ? null : true,
    });
  return [
    member(ALICE, 1, true, 1),
    member(BOB, 2, true, 1),
    row("settings_changes", 1, {
      contract: "governor",
      setting: "quorum_numerator",
      old_value: null,
      new_value: "50",
    }),
    member(CAROL, 3, true, 2),
    row("datasets", 2, {
      dataset_id: "1",
      name: "Harvests",
      schema_uri: "ipfs://schema",
      schema_hash: `0x${"5c".repeat(32)}`,
      fields: JSON.stringify(["crop", "yield"]),
      field_count: 2,
    }),
    row("consent_changes", 3, { member: ALICE, mask: "1" }),
    row("requests", 3, {
      request_id: "1",
      partner: PARTNER,
      dataset_id: "1",
      purpose: 0,
      field_mask: "3",
      row_level: false,
      min_cohort: 2,
      duration: "100000",
      terms_uri: "ipfs://terms",
      fee: "1000",
      terms_hash: `0x${"7e".repeat(32)}`,
    }),
    row("proposals", 4, {
      proposal_id: "77",
      proposer: ALICE,
      vote_start: String(timeOf(4) + 1),
      vote_end: String(timeOf(4) + 25),
      description: "Approve request 1",
      description_hash: `0x${"de".repeat(32)}`,
      action_count: 1,
    }),
    row("proposal_actions", 4, {
      proposal_id: "77",
      action_index: 0,
      target: `0x${"12".repeat(20)}`,
      value: "0",
      signature: "",
      calldata: "0x",
      function_name: "approve",
      args: JSON.stringify(["1"]),
    }),
    row("votes", 5, {
      proposal_id: "77",
      voter: ALICE,
      support: 1,
      weight: "1",
      reason: "",
      params: null,
    }),
    row("votes", 5, {
      proposal_id: "77",
      voter: BOB,
      support: 1,
      weight: "1",
      reason: "",
      params: null,
    }),
    row("proposal_queued", 8, { proposal_id: "77", eta: String(timeOf(9)) }),
    row(
      "request_approvals",
      10,
      {
        request_id: "1",
        partner: PARTNER,
        start_time: String(timeOf(10)),
        end_time: String(timeOf(10) + 100000),
      },
      EXECUTION_TX,
    ),
    row(
      "revenue_deposits",
      10,
      {
        grant_id: "1",
        mode: 0,
        amount: "1000",
        to_treasury: "100",
        member_share: "900",
        member_count: "3",
        per_member: "300",
        snapshot: String(timeOf(10)),
      },
      EXECUTION_TX,
    ),
    row("proposal_executed", 10, { proposal_id: "77" }, EXECUTION_TX),
    row("revenue_claims", 11, { grant_id: "1", member: ALICE, amount: "300" }),
    row("grant_choices", 12, { member: CAROL, grant_id: "1", choice: 1 }),
    row("consent_changes", 20, { member: BOB, mask: "1" }),
    member(BOB, 2, false, 21),
    member(BOB, 2, true, 22),
  ];
}

/** Every function, view, index and column of the store's schema, by name, its schema name left out. */
async function schemaOf(db: Db): Promise<Record<string, string>> {
  const { rows } = await db.query<{ name: string; def: string }>(`
    SELECT 'function ' || p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS def
      FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace
    UNION ALL
    SELECT 'view ' || viewname, definition FROM pg_views WHERE schemaname = current_schema()
    UNION ALL
    SELECT 'index ' || indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
    UNION ALL
    SELECT 'column ' || table_name || '.' || column_name, data_type || ' ' || is_nullable
      FROM information_schema.columns WHERE table_schema = current_schema()`);
  const { rows: s } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
  const prefix = new RegExp(`\\b${s[0].schema}\\.`, "g");
  return Object.fromEntries(rows.map((r) => [r.name, r.def.replace(prefix, "")]).sort());
}

/** The answers of the functions the read API and the gateway call, at times around the history. */
async function answers(db: Db): Promise<unknown[]> {
  const calls: [string, unknown[]][] = [];
  for (const block of [1, 4, 5, 9, 10, 12, 21, 22, 30]) {
    const t = timeOf(block);
    calls.push(
      ["SELECT * FROM proposals_at($1) ORDER BY proposal_id", [t]],
      ["SELECT * FROM members_at($1) ORDER BY member", [t]],
      ["SELECT member_count_at($1) AS v", [t]],
      ["SELECT setting_at('governor', 'quorum_numerator', $1) AS v", [t]],
      ["SELECT grant_active_at(1, $1) AS v", [t]],
      ["SELECT registry_paused_at($1) AS v", [t]],
      ["SELECT * FROM grants_active_at($1) AS g ORDER BY 1", [t]],
      ["SELECT proposal_state_at(77, $1) AS v", [t]],
    );
    for (const m of [ALICE, BOB, CAROL]) {
      calls.push(
        ["SELECT consent_covers_at_block($1, 1, $2) AS v", [m, block]],
        ["SELECT consent_covers_at_time($1, 1, $2) AS v", [m, t]],
        ["SELECT was_member_at($1, $2) AS v", [m, t]],
      );
    }
  }
  for (const m of [ALICE, BOB, CAROL]) {
    calls.push(["SELECT * FROM member_claimable($1) ORDER BY grant_id", [m]]);
  }
  calls.push(["SELECT * FROM grant_covered_members(1) ORDER BY member", []]);
  const out: unknown[] = [];
  for (const [sql, params] of calls) out.push([sql, params, (await db.query(sql, params)).rows]);
  return out;
}

for (const store of stores) {
  describe(`store upgrade (${store.name})`, () => {
    it("brings a store made by the first released schema to the current schema and answers", async () => {
      const old = await store.open();
      const fresh = await store.open();
      try {
        await createLegacyStore(old);
        await migrate(fresh, CURRENT);
        for (const db of [old, fresh]) await db.transaction((tx) => insertRows(tx, history()));

        // The fixture is the old schema: it answers differently. Bob's consent, stored in the second
        // he came back in, counted for the old views; the view linking grants to their votes is absent.
        assert.notDeepEqual(await schemaOf(old), await schemaOf(fresh));
        const bobsMask = (db: Db) =>
          db.query<{ mask: string }>("SELECT mask FROM consents WHERE member = $1", [BOB]);
        assert.deepEqual((await bobsMask(old)).rows, [{ mask: "1" }]);
        assert.deepEqual((await bobsMask(fresh)).rows, [{ mask: "0" }]);
        await assert.rejects(old.query("SELECT * FROM grant_approvals"), /grant_approvals/);

        // The current code starting on it applies what the store lacks, and only that.
        assert.deepEqual(await migrate(old, CURRENT), [
          "002_core_events_by_name_dropped",
          "003_store_writer",
          "004_store_meta",
          "102_chain_views_rebuilt",
          "103_chain_terms",
        ]);
        assert.deepEqual(await schemaOf(old), await schemaOf(fresh));
        assert.deepEqual(await dumpStore(old), await dumpStore(fresh));
        assert.deepEqual(await answers(old), await answers(fresh));
        const approvals = await old.query("SELECT grant_id, proposal_id FROM grant_approvals");
        assert.deepEqual(approvals.rows, [{ grant_id: "1", proposal_id: "77" }]);

        // Its old records now carry checksums, so a later edit of these migrations is refused too.
        const { rows } = await old.query<{ id: string; checksum: string }>(
          "SELECT id, checksum FROM schema_migrations ORDER BY id",
        );
        assert.deepEqual(
          rows,
          CURRENT.map((m) => ({ id: m.id, checksum: migrationChecksum(m) })).sort((a, b) =>
            a.id.localeCompare(b.id),
          ),
        );
        assert.deepEqual(await migrate(old, CURRENT), []);
      } finally {
        await old.close();
        await fresh.close();
      }
    });
  });
}
