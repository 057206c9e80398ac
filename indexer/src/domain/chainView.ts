/**
 * The gateway's view of the chain (`ChainView`), read from the indexed chain data inside the decision's
 * transaction. Consent facts carry times, not block numbers, in their "at" fields: the consent registry
 * compares a setting's timestamp with the member's `unambiguousSince` (admission time, plus one second
 * for a returning member), and so must the gateway, or a setting stored in the admission's second would
 * count differently on- and off-chain.
 */
import { getAddress, type Hex } from "viem";
import type { ChainView } from "../gateway/chainView.ts";
import type { ConsentFacts, GrantFacts } from "../gateway/policy.ts";
import { fieldsFromMask } from "../gateway/schema.ts";
import type { Queryable } from "../store/db.ts";
import { isMember, isRegistryPaused } from "./queries.ts";

export interface SqlChainViewOptions {
  chainId: number;
  /** Blocks below the latest indexed one before a block counts as final. */
  confirmations: number;
}

const CHOICES = ["default", "optIn", "optOut"] as const;

export function sqlChainView({ chainId, confirmations }: SqlChainViewOptions): ChainView {
  return {
    async clock(q) {
      const { rows } = await q.query<{ block_number: string; timestamp: string | null }>(
        `SELECT c.block_number, b.timestamp FROM checkpoint c
         LEFT JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.block_number
         WHERE c.chain_id = $1`,
        [chainId],
      );
      const row = rows[0];
      const latestBlock = row ? BigInt(row.block_number) : -1n;
      return {
        latestBlock,
        latestTime: row?.timestamp ? BigInt(row.timestamp) : 0n,
        finalizedBlock: latestBlock - BigInt(confirmations),
        registryPaused: await isRegistryPaused(q),
      };
    },

    async grant(q, grantId) {
      const { rows } = await q.query<{
        partner: string;
        dataset_id: string;
        purpose: number;
        field_mask: string;
        row_level: boolean;
        min_cohort: string;
        fields: string[] | null;
        start_time: string | null;
        end_time: string | null;
        approved_block: string | null;
        revoked_block: string | null;
      }>(
        `SELECT r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level, r.min_cohort, d.fields,
           a.start_time, a.end_time, a.block_number AS approved_block, v.block_number AS revoked_block
         FROM requests r
         LEFT JOIN datasets d USING (dataset_id)
         LEFT JOIN request_approvals a USING (request_id)
         LEFT JOIN LATERAL (
           SELECT block_number FROM grant_revocations WHERE grant_id = r.request_id
           ORDER BY block_number LIMIT 1
         ) v ON true
         WHERE r.request_id = $1`,
        [grantId.toString()],
      );
      const row = rows[0];
      if (!row) return null;
      const big = (v: string | null) => (v === null ? null : BigInt(v));
      const grant: GrantFacts = {
        id: grantId,
        grantee: getAddress(row.partner),
        datasetId: BigInt(row.dataset_id),
        purpose: Number(row.purpose),
        scope: {
          fields: fieldsFromMask(BigInt(row.field_mask), row.fields ?? []),
          rowLevel: row.row_level,
          k: Number(row.min_cohort),
        },
        start: big(row.start_time),
        end: big(row.end_time),
        approvedAtBlock: big(row.approved_block),
        revokedAtBlock: big(row.revoked_block),
      };
      return grant;
    },

    async dataset(q, datasetId) {
      const { rows } = await q.query<{ schema_hash: string; fields: string[]; retired: boolean }>(
        `SELECT schema_hash, fields, retired_at IS NOT NULL AS retired
         FROM dataset_status WHERE dataset_id = $1`,
        [datasetId.toString()],
      );
      const row = rows[0];
      return row
        ? {
            datasetId,
            schemaHash: row.schema_hash as Hex,
            fields: row.fields,
            retired: row.retired,
          }
        : null;
    },

    isMember: (q, account) => isMember(q, account),

    async consentFacts(q: Queryable, grant: GrantFacts, members: readonly string[]) {
      const facts = new Map<string, ConsentFacts>();
      if (members.length === 0) return facts;
      const { rows } = await q.query<{
        member: string;
        consent_since: string | null;
        mask: string | null;
        mask_at: string | null;
        choice: number | null;
        choice_at: string | null;
      }>(
        `WITH wanted AS (SELECT DISTINCT lower(m) AS member FROM unnest($1::text[]) AS m)
         SELECT w.member, ms.consent_since, co.mask, co.block_time AS mask_at,
           ch.choice, ch.block_time AS choice_at
         FROM wanted w
         LEFT JOIN members ms USING (member)
         LEFT JOIN LATERAL (
           SELECT mask, block_time FROM consent_changes c WHERE c.member = w.member
           ORDER BY block_number DESC, log_index DESC LIMIT 1
         ) co ON true
         LEFT JOIN LATERAL (
           SELECT choice, block_time FROM grant_choices g
           WHERE g.member = w.member AND g.grant_id = $2
           ORDER BY block_number DESC, log_index DESC LIMIT 1
         ) ch ON true`,
        [members, grant.id.toString()],
      );
      for (const row of rows) {
        facts.set(row.member, {
          isMember: row.consent_since !== null,
          memberSince: row.consent_since === null ? null : BigInt(row.consent_since),
          consentMask: row.mask === null ? 0n : BigInt(row.mask),
          consentSetAt: row.mask_at === null ? null : BigInt(row.mask_at),
          grantChoice: CHOICES[row.choice ?? 0] ?? "default",
          grantChoiceAt: row.choice_at === null ? null : BigInt(row.choice_at),
        });
      }
      return facts;
    },
  };
}
