/**
 * The gateway's view of the chain (`ChainView`), read from the indexed chain data inside the decision's
 * transaction. Consent facts carry times, not block numbers, in their "at" fields: the consent registry
 * compares a setting's timestamp with the member's `unambiguousSince` (admission time, plus one second
 * for a returning member), and so must the gateway, or a setting stored in the admission's second would
 * count differently on- and off-chain.
 */
import { getAddress, type Hex } from "viem";
import type { ChainView, PrivacyCap } from "../gateway/serving/chainView.ts";
import { periodStartOf } from "../gateway/serving/ledger.ts";
import { DEFAULT_PRIVACY_CAP } from "@datacoop/protocol/privacy";
import type { ConsentFacts, GrantFacts } from "../gateway/query/policy.ts";
import { fieldsFromMask } from "@datacoop/protocol/datasetSchema";
import type { Queryable } from "../store/db.ts";
import { isMember, isRegistryPaused } from "./queries.ts";

export interface SqlChainViewOptions {
  chainId: number;
  /** Blocks below the latest indexed one before a block counts as final. */
  confirmations: number;
}

const CHOICES = ["default", "optIn", "optOut"] as const;

/** The latest indexed block (the checkpoint): number and hash. */
interface Head {
  block: bigint;
  hash: string;
}

/** A member's standing facts: from when their settings count (null: not a member), their last mask. */
interface MemberFacts {
  consentSince: bigint | null;
  mask: bigint;
  maskAt: bigint | null;
}

async function readHead(q: Queryable, chainId: number): Promise<Head> {
  const { rows } = await q.query<{ block_number: string; block_hash: string }>(
    "SELECT block_number, block_hash FROM checkpoint WHERE chain_id = $1",
    [chainId],
  );
  return rows[0]
    ? { block: BigInt(rows[0].block_number), hash: rows[0].block_hash }
    : { block: -1n, hash: "" };
}

/** Whether block `at` is still the indexed block at its height (no reorg replaced it). */
async function stillIndexed(q: Queryable, chainId: number, at: Head, head: Head): Promise<boolean> {
  if (at.block === head.block) return at.hash === head.hash;
  if (at.block > head.block) return false;
  const { rows } = await q.query<{ hash: string }>(
    "SELECT hash FROM blocks WHERE chain_id = $1 AND number = $2",
    [chainId, at.block.toString()],
  );
  return rows[0]?.hash === at.hash;
}

/**
 * Every address's membership and standing consent as of block `head` (or only `only`'s), from the event
 * rows: the last admission or departure (the settings of a returning member count from one second after
 * readmission, as the consent registry's unambiguousSince) and the last ConsentSet.
 */
async function readMemberFacts(
  q: Queryable,
  head: Head,
  only: readonly string[] | null,
): Promise<Map<string, MemberFacts>> {
  const filter = only ? "AND member = ANY($2::text[])" : "";
  const { rows } = await q.query<{
    member: string;
    consent_since: string | null;
    mask: string | null;
    mask_at: string | null;
  }>(
    `WITH mc AS (
       SELECT DISTINCT ON (member) member, admitted, block_time, block_number, log_index
       FROM member_changes WHERE block_number <= $1 ${filter}
       ORDER BY member, block_number DESC, log_index DESC
     ), co AS (
       SELECT DISTINCT ON (member) member, mask, block_time FROM consent_changes
       WHERE block_number <= $1 ${filter}
       ORDER BY member, block_number DESC, log_index DESC
     )
     SELECT coalesce(mc.member, co.member) AS member,
       CASE WHEN mc.admitted THEN mc.block_time + CASE WHEN EXISTS (
         SELECT 1 FROM member_changes p WHERE p.member = mc.member AND p.admitted
           AND (p.block_number, p.log_index) < (mc.block_number, mc.log_index)
       ) THEN 1 ELSE 0 END END AS consent_since,
       co.mask, co.block_time AS mask_at
     FROM mc FULL JOIN co ON co.member = mc.member`,
    only ? [head.block.toString(), only] : [head.block.toString()],
  );
  const out = new Map<string, MemberFacts>();
  for (const row of rows) {
    out.set(row.member, {
      consentSince: row.consent_since === null ? null : BigInt(row.consent_since),
      mask: row.mask === null ? 0n : BigInt(row.mask),
      maskAt: row.mask_at === null ? null : BigInt(row.mask_at),
    });
  }
  return out;
}

/**
 * Members' standing facts, kept per indexed block. Reading every member's last admission and consent
 * costs a scan of both tables, so it is done once; at each newly indexed block only the members with a
 * membership or consent event since the cached block are read again. A reorg (the cached block is no
 * longer the indexed one at its height) reloads everything. Snapshots are never changed once made, so
 * a decision uses exactly the facts as of the block it read.
 */
function memberFactsCache(chainId: number) {
  let cached: { head: Head; facts: Map<string, MemberFacts> } | null = null;
  let pending: { key: string; promise: Promise<Map<string, MemberFacts>> } | null = null;

  async function refresh(q: Queryable, head: Head): Promise<Map<string, MemberFacts>> {
    const base = cached;
    let facts: Map<string, MemberFacts>;
    if (base && base.head.block < head.block && (await stillIndexed(q, chainId, base.head, head))) {
      const { rows } = await q.query<{ member: string }>(
        `SELECT member FROM member_changes WHERE block_number > $1 AND block_number <= $2
         UNION SELECT member FROM consent_changes WHERE block_number > $1 AND block_number <= $2`,
        [base.head.block.toString(), head.block.toString()],
      );
      facts = base.facts;
      if (rows.length > 0) {
        const changed = rows.map((r) => r.member);
        const fresh = await readMemberFacts(q, head, changed);
        facts = new Map(base.facts);
        for (const m of changed) {
          const f = fresh.get(m);
          if (f) facts.set(m, f);
          else facts.delete(m);
        }
      }
    } else {
      facts = await readMemberFacts(q, head, null);
    }
    // A slower reader of an older block never replaces a newer snapshot.
    if (!cached || cached.head.block <= head.block) cached = { head, facts };
    return facts;
  }

  return {
    async at(q: Queryable, head: Head): Promise<Map<string, MemberFacts>> {
      if (cached && cached.head.block === head.block && cached.head.hash === head.hash) {
        return cached.facts;
      }
      const key = `${head.block}:${head.hash}`;
      if (pending?.key === key) return pending.promise;
      const promise = refresh(q, head);
      pending = { key, promise };
      try {
        return await promise;
      } finally {
        if (pending?.promise === promise) pending = null;
      }
    },
  };
}

/** Each member's last choice for the grant as of block `head` (a few rows per grant, indexed). */
async function grantChoices(
  q: Queryable,
  _chainId: number,
  grantId: bigint,
  head: Head,
): Promise<Map<string, { choice: number; at: bigint }>> {
  const { rows } = await q.query<{ member: string; choice: number; block_time: string }>(
    `SELECT DISTINCT ON (member) member, choice, block_time FROM grant_choices
     WHERE grant_id = $1 AND block_number <= $2
     ORDER BY member, block_number DESC, log_index DESC`,
    [grantId.toString(), head.block.toString()],
  );
  return new Map(
    rows.map((r) => [r.member, { choice: Number(r.choice), at: BigInt(r.block_time) }]),
  );
}

/** One PrivacyCapSet: the new term and when it was set (`initial`: the deployment's, no term before). */
export interface PrivacyCapChange {
  initial: boolean;
  epsilonMillionths: bigint;
  periodSeconds: bigint;
  at: bigint;
}

/**
 * The privacy cap in force at time `now`, from the chain's PrivacyCapSet events in order — _decision_:
 * a new ε applies at once (a lowered cap leaves out whoever is already above it), but a change never
 * cuts the running period short: periods keep their length and start until the running one ends, and
 * the new period length counts from that end. Otherwise a vote changing the term mid-period would start
 * a fresh period and hand every member a second budget inside the first. The first term (set at
 * deployment) counts from the time it was set; before any, DEFAULT_PRIVACY_CAP.
 */
export function foldPrivacyCap(changes: readonly PrivacyCapChange[], now: bigint): PrivacyCap {
  let cap: PrivacyCap = { ...DEFAULT_PRIVACY_CAP };
  // A period length voted but waiting for the running period's end.
  let pending: { periodSeconds: bigint; from: bigint } | null = null;
  const settle = (t: bigint) => {
    if (pending && t >= pending.from) {
      cap = { ...cap, periodSeconds: pending.periodSeconds, since: pending.from };
      pending = null;
    }
  };
  for (const change of changes) {
    settle(change.at);
    if (change.initial) {
      cap = {
        epsilonMillionths: change.epsilonMillionths,
        periodSeconds: change.periodSeconds,
        since: change.at,
      };
      pending = null;
      continue;
    }
    cap = { ...cap, epsilonMillionths: change.epsilonMillionths };
    const target: bigint = pending?.periodSeconds ?? cap.periodSeconds;
    if (change.periodSeconds !== target || pending) {
      const end = periodStartOf(cap, change.at) + cap.periodSeconds;
      pending =
        change.periodSeconds === cap.periodSeconds
          ? null
          : { periodSeconds: change.periodSeconds, from: end };
    }
  }
  settle(now);
  return cap;
}

export function sqlChainView({ chainId, confirmations }: SqlChainViewOptions): ChainView {
  const memberCache = memberFactsCache(chainId);
  let paused: { head: string; value: boolean } | null = null;
  return {
    async clock(q) {
      const { rows } = await q.query<{
        block_number: string;
        block_hash: string;
        timestamp: string | null;
      }>(
        `SELECT c.block_number, c.block_hash, b.timestamp FROM checkpoint c
         LEFT JOIN blocks b ON b.chain_id = c.chain_id AND b.number = c.block_number
         WHERE c.chain_id = $1`,
        [chainId],
      );
      const row = rows[0];
      const latestBlock = row ? BigInt(row.block_number) : -1n;
      const head = `${latestBlock}:${row?.block_hash ?? ""}`;
      // The pause flag is a fact of the indexed chain: read once per head.
      if (paused?.head !== head) paused = { head, value: await isRegistryPaused(q) };
      return {
        latestBlock,
        latestTime: row?.timestamp ? BigInt(row.timestamp) : 0n,
        finalizedBlock: latestBlock - BigInt(confirmations),
        registryPaused: paused.value,
        head,
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
        exact_tabulations: string | null;
        for_members: boolean;
      }>(
        `SELECT r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level, r.min_cohort, d.fields,
           a.start_time, a.end_time, a.block_number AS approved_block, v.block_number AS revoked_block,
           r.exact_tabulations,
           EXISTS (SELECT 1 FROM member_grants mg WHERE mg.grant_id = r.request_id) AS for_members
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
        toMembers: row.for_members,
        datasetId: BigInt(row.dataset_id),
        purpose: Number(row.purpose),
        scope: {
          fields: fieldsFromMask(BigInt(row.field_mask), row.fields ?? []),
          rowLevel: row.row_level,
          k: Number(row.min_cohort),
          exactTabulations: (row.exact_tabulations as Hex | null) ?? null,
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

    async privacyCap(q, at) {
      const head = await readHead(q, chainId);
      const { rows } = await q.query<{
        old_period: string;
        epsilon_millionths: string;
        period: string;
        block_time: string;
      }>(
        `SELECT old_period, epsilon_millionths, period, block_time FROM privacy_cap_changes
         WHERE block_number <= $1 ORDER BY block_number, log_index`,
        [head.block.toString()],
      );
      const { rows: times } = await q.query<{ timestamp: string }>(
        "SELECT timestamp FROM blocks WHERE chain_id = $1 AND number = $2",
        [chainId, head.block.toString()],
      );
      // Periods turn with time, not blocks: the caller's clock, or the indexed head's if that is later.
      const headTime = times[0] ? BigInt(times[0].timestamp) : 0n;
      const clock = at ?? BigInt(Math.floor(Date.now() / 1000));
      const now = clock > headTime ? clock : headTime;
      return foldPrivacyCap(
        rows.map((r) => ({
          initial: BigInt(r.old_period) === 0n,
          epsilonMillionths: BigInt(r.epsilon_millionths),
          periodSeconds: BigInt(r.period),
          at: BigInt(r.block_time),
        })),
        now,
      );
    },

    async isGrantee(q, account) {
      const { rows } = await q.query(
        `SELECT 1 FROM requests r JOIN request_approvals USING (request_id)
         WHERE r.partner = $1 LIMIT 1`,
        [account.toLowerCase()],
      );
      return rows.length > 0;
    },

    async consentFacts(q: Queryable, grant: GrantFacts, members: readonly string[]) {
      const facts = new Map<string, ConsentFacts>();
      if (members.length === 0) return facts;
      const head = await readHead(q, chainId);
      const [byMember, choices] = await Promise.all([
        memberCache.at(q, head),
        grantChoices(q, chainId, grant.id, head),
      ]);
      for (const raw of members) {
        const m = raw.toLowerCase();
        const f = byMember.get(m);
        const c = choices.get(m);
        if (!f && !c) continue;
        facts.set(m, {
          isMember: f?.consentSince != null,
          memberSince: f?.consentSince ?? null,
          consentMask: f?.mask ?? 0n,
          consentSetAt: f?.maskAt ?? null,
          grantChoice: CHOICES[c?.choice ?? 0] ?? "default",
          grantChoiceAt: c?.at ?? null,
        });
      }
      return facts;
    },
  };
}
