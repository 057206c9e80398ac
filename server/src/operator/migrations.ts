/** The operator's own records (migration ids 300–349): anchors it posted and by-use allocations it built. */
import type { Migration } from "../store/migrate.ts";

export const auditMigrations: Migration[] = [
  {
    id: "300_audit_anchor_posts",
    sql: `
      -- Every anchor the operator decided to post, and what became of it. Nothing depends on a row for
      -- correctness (the chain and the log decide what is due); the rows show lost anchors (a mined anchor
      -- the chain no longer holds, after a reorg) and what a crash interrupted.
      CREATE TABLE audit_anchor_posts (
        id bigserial PRIMARY KEY,
        size bigint NOT NULL,
        root text NOT NULL,
        previous_root text NOT NULL,
        -- decided: about to send; sent: in the mempool; mined / reverted: its receipt; failed: not sent;
        -- lost: mined, then gone from the chain.
        status text NOT NULL,
        reason text NOT NULL,
        tx_hash text,
        block_number bigint,
        error text,
        decided_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_anchor_posts_status ON audit_anchor_posts (status, size);
    `,
  },
  {
    id: "301_audit_allocations",
    sql: `
      -- By-use revenue: each grant's distribution as built (once) and posted to the revenue contract.
      CREATE TABLE audit_allocations (
        grant_id numeric(78,0) PRIMARY KEY,
        member_share numeric(78,0) NOT NULL,
        allocated numeric(78,0) NOT NULL,
        units bigint NOT NULL,
        -- The access log's size the usage was counted over.
        log_size bigint NOT NULL,
        root text NOT NULL,
        -- OpenZeppelin StandardMerkleTree dump ({ format, tree, values, leafEncoding }).
        tree jsonb,
        -- [{ member, units, amount }] in address order.
        shares jsonb NOT NULL,
        status text NOT NULL,
        tx_hash text,
        error text,
        built_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
