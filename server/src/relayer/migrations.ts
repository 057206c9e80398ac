/** The relayer's table (migration ids 400–499). */
import type { Migration } from "../store/migrate.ts";

export const relayerMigrations: Migration[] = [
  {
    id: "400_relayer_relays",
    // Its first release numbered it in the operator's range.
    formerIds: ["300_relayer_relays"],
    sql: `
      -- One row per accepted relay, written before anything is sent. Refused requests leave no row.
      -- status: pending (accepted; tx_hash set once signed and sent), mined (receipt with success),
      -- failed (reverted on chain, or the node refused the transaction).
      CREATE TABLE relayer_relays (
        id text PRIMARY KEY,
        -- Acceptance order: the order transactions are sent in.
        seq bigserial NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('vote', 'consent', 'grantChoice')),
        chain_id bigint NOT NULL,
        contract text NOT NULL CHECK (contract ~ '^0x[0-9a-f]{40}$'),
        signer text NOT NULL CHECK (signer ~ '^0x[0-9a-f]{40}$'),
        nonce numeric(78,0) NOT NULL,
        digest text NOT NULL,
        request jsonb NOT NULL,
        calldata text NOT NULL,
        gas_limit numeric(78,0) NOT NULL,
        max_fee_per_gas numeric(78,0) NOT NULL,
        max_priority_fee_per_gas numeric(78,0) NOT NULL,
        -- gas_limit × max_fee_per_gas: what the relay may cost at most, held against the budget until mined.
        reserved_wei numeric(78,0) NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'mined', 'failed')),
        sender text,
        tx_nonce bigint,
        tx_hash text,
        raw_tx text,
        block_number bigint,
        block_hash text,
        gas_used numeric(78,0),
        effective_gas_price numeric(78,0),
        -- gas_used × effective_gas_price once the transaction is in a block (mined or reverted).
        cost_wei numeric(78,0),
        error_code text,
        error_message text,
        error_name text,
        error_args jsonb,
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        finished_at timestamptz
      );
      -- One live relay per signed nonce: a replay while the first is in flight is refused.
      CREATE UNIQUE INDEX relayer_relays_live_nonce
        ON relayer_relays (chain_id, contract, signer, nonce) WHERE status <> 'failed';
      CREATE INDEX relayer_relays_signer_time ON relayer_relays (chain_id, signer, created_at);
      CREATE INDEX relayer_relays_time ON relayer_relays (chain_id, created_at);
      CREATE INDEX relayer_relays_pending ON relayer_relays (created_at) WHERE status = 'pending';
    `,
  },
  {
    id: "401_relayer_proposals_claims",
    sql: `
      -- Members' signed proposals (proposeBySig) and their claims of fee shares (Revenue.claim, claimMany).
      ALTER TABLE relayer_relays DROP CONSTRAINT relayer_relays_kind_check;
      ALTER TABLE relayer_relays ADD CONSTRAINT relayer_relays_kind_check
        CHECK (kind IN ('vote', 'consent', 'grantChoice', 'proposal', 'claim'));
      -- A member's claims and proposals of the last day (their daily limits).
      CREATE INDEX relayer_relays_signer_kind_time ON relayer_relays (chain_id, signer, kind, created_at);
    `,
  },
];
