/**
 * The follower's own tables (migration ids 000–099): the checkpoint, the headers of the blocks that can
 * still be reorganised away, and every decoded event of the co-op's contracts; and the store's own: its
 * writer (writer.ts) and facts about the store itself (`store_meta`: the fingerprint of the gateway secret
 * it was written with).
 */
import type { Migration } from "./migrate.ts";
import { WRITER_TABLE_SQL } from "./writer.ts";

export const coreMigrations: Migration[] = [
  {
    id: "001_core",
    sql: `
      -- The last indexed block. Written in the same transaction as that block's events and rows.
      CREATE TABLE checkpoint (
        chain_id integer PRIMARY KEY,
        block_number bigint NOT NULL,
        block_hash text NOT NULL
      );

      -- Headers of the last MAX_REORG_DEPTH + 1 indexed blocks: the parent-hash chain a reorg is
      -- detected with and the common ancestor is searched in.
      CREATE TABLE blocks (
        chain_id integer NOT NULL,
        number bigint NOT NULL,
        hash text NOT NULL,
        parent_hash text NOT NULL,
        timestamp bigint NOT NULL,
        PRIMARY KEY (chain_id, number)
      );

      -- Every decoded log of the co-op's contracts; args as JSON with uint256 values as decimal strings.
      CREATE TABLE events (
        chain_id integer NOT NULL,
        block_number bigint NOT NULL,
        block_hash text NOT NULL,
        block_time bigint NOT NULL,
        log_index integer NOT NULL,
        tx_hash text NOT NULL,
        contract text NOT NULL,
        address text NOT NULL,
        event_name text NOT NULL,
        args jsonb NOT NULL,
        CONSTRAINT events_unique_log UNIQUE (chain_id, block_hash, log_index)
      );
      -- Rollbacks delete by block number; readers page in chain order.
      CREATE INDEX events_by_position ON events (chain_id, block_number, log_index);
    `,
  },
  {
    // 001_core once also created this index (unused: nothing reads events by name); a store created
    // then still has it, and pays for it on every insert.
    id: "002_core_events_by_name_dropped",
    sql: "DROP INDEX IF EXISTS events_by_name;",
  },
  {
    id: "003_store_writer",
    sql: WRITER_TABLE_SQL,
  },
  {
    id: "004_store_meta",
    sql: `
      -- Facts about the store itself, e.g. the fingerprint of the gateway secret its log was keyed with.
      CREATE TABLE store_meta (
        key text PRIMARY KEY,
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
