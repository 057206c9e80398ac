/** The gateway's tables (migration ids 200–299). */
import type { Migration } from "../store/migrate.ts";

export const gatewayMigrations: Migration[] = [
  {
    id: "200_gateway_records",
    sql: `
      -- Accepted schema documents (their hash equals the dataset's on-chain schemaHash).
      CREATE TABLE gateway_datasets (
        dataset_id numeric(78,0) PRIMARY KEY,
        schema_hash text NOT NULL,
        document jsonb NOT NULL,
        accepted_at timestamptz NOT NULL DEFAULT now()
      );
      -- Members' records; record_id is chosen by the member's client, so a retried upload changes nothing.
      -- Erasure wipes the values at once and keeps the key, so the log and idempotency still hold.
      CREATE TABLE gateway_records (
        dataset_id numeric(78,0) NOT NULL REFERENCES gateway_datasets (dataset_id),
        member text NOT NULL CHECK (member ~ '^0x[0-9a-f]{40}$'),
        record_id text NOT NULL,
        data jsonb,
        contributed_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        PRIMARY KEY (dataset_id, member, record_id),
        CHECK ((data IS NULL) = (erased_at IS NOT NULL))
      );
      CREATE INDEX gateway_records_live ON gateway_records (dataset_id, member) WHERE erased_at IS NULL;
    `,
  },
  {
    id: "201_gateway_auth",
    sql: `
      -- Partners' request nonces: single use; kept until the request's deadline has passed.
      CREATE TABLE gateway_partner_nonces (
        signer text NOT NULL,
        nonce numeric(78,0) NOT NULL,
        deadline bigint NOT NULL,
        PRIMARY KEY (signer, nonce)
      );
      -- Sign-In with Ethereum: server nonces (single use, short-lived) and session tokens (stored hashed).
      CREATE TABLE gateway_siwe_nonces (
        nonce text PRIMARY KEY,
        expires_at timestamptz NOT NULL
      );
      CREATE TABLE gateway_sessions (
        token_hash text PRIMARY KEY,
        address text NOT NULL,
        expires_at timestamptz NOT NULL
      );
    `,
  },
  {
    id: "202_gateway_access_log",
    sql: `
      -- Append-only, hash-chained: hash = sha256(prev_hash || canonical entry).
      CREATE TABLE gateway_access_log (
        seq bigint PRIMARY KEY,
        entry text NOT NULL,
        prev_hash text NOT NULL,
        hash text NOT NULL UNIQUE,
        -- sha256 of the sorted commitments of the members the entry concerns (also in the entry).
        members_hash text NOT NULL
      );
      CREATE INDEX gateway_access_log_members ON gateway_access_log (members_hash, seq);
      -- Sets of members (as keyed commitments only), stored once however many entries share them.
      CREATE TABLE gateway_member_sets (
        members_hash text PRIMARY KEY,
        size int NOT NULL
      );
      CREATE TABLE gateway_member_set_members (
        commitment text NOT NULL,
        members_hash text NOT NULL REFERENCES gateway_member_sets (members_hash),
        PRIMARY KEY (commitment, members_hash)
      );
      -- Differential privacy: epsilon spent per grant.
      CREATE TABLE gateway_privacy_budget (
        grant_id numeric(78,0) PRIMARY KEY,
        epsilon_spent double precision NOT NULL
      );
    `,
  },
  {
    id: "203_gateway_cohort_digests",
    sql: `
      -- Keyed digests of the cohorts answered under each grant (size, XOR of keyed member hashes), so
      -- that a later cohort exactly one member away from an answered one can be suppressed.
      CREATE TABLE gateway_cohort_digests (
        grant_id numeric(78,0) NOT NULL,
        n int NOT NULL,
        digest text NOT NULL,
        PRIMARY KEY (grant_id, n, digest)
      );
    `,
  },
  {
    id: "204_gateway_contributors",
    sql: `
      -- Who contributed to each dataset (kept after erasure) and how many live records they have, so a query
      -- reads its candidate members without scanning the records.
      CREATE TABLE gateway_contributors (
        dataset_id numeric(78,0) NOT NULL,
        member text NOT NULL,
        live int NOT NULL,
        PRIMARY KEY (dataset_id, member)
      );
      INSERT INTO gateway_contributors (dataset_id, member, live)
        SELECT dataset_id, member, count(*) FILTER (WHERE erased_at IS NULL) FROM gateway_records
        GROUP BY dataset_id, member;
    `,
  },
];
