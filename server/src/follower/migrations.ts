/**
 * Chain-data schema (migration ids 100–199). Tables are insert-only, one row per event (a proposal also
 * gets one row per action); every table has `block_number, log_index, block_time, tx_hash`. Current
 * state and state "as of" a time or block come from the views and SQL functions of 101 (recreated by 102).
 *
 * Types: addresses and hashes are lowercase 0x-hex text; unsigned integers of 64 bits and more are
 * numeric(78,0); uint8/16/32 are smallint/integer/bigint.
 */
import type { Migration } from "../store/migrate.ts";

const EVENT = `block_number bigint NOT NULL,
  log_index integer NOT NULL,
  block_time bigint NOT NULL,
  tx_hash text NOT NULL`;

/** [table, columns, extra key columns, indexes] */
const TABLES: [string, string, string, string[]][] = [
  ["membership_applications", "applicant text NOT NULL, uri text NOT NULL", "", ["applicant"]],
  [
    "member_changes",
    `member text NOT NULL, member_id numeric(78,0) NOT NULL, admitted boolean NOT NULL,
     resigned boolean`,
    "",
    ["member, block_number DESC, log_index DESC", "block_time"],
  ],
  [
    "proposals",
    `proposal_id numeric(78,0) NOT NULL, proposer text NOT NULL, vote_start numeric(78,0) NOT NULL,
     vote_end numeric(78,0) NOT NULL, description text NOT NULL, description_hash text NOT NULL,
     action_count integer NOT NULL`,
    "",
    ["proposal_id", "proposer"],
  ],
  [
    "proposal_actions",
    `proposal_id numeric(78,0) NOT NULL, action_index integer NOT NULL, target text NOT NULL,
     value numeric(78,0) NOT NULL, signature text NOT NULL, calldata text NOT NULL, function_name text,
     args jsonb`,
    ", action_index",
    ["proposal_id", "function_name"],
  ],
  [
    "votes",
    `proposal_id numeric(78,0) NOT NULL, voter text NOT NULL, support smallint NOT NULL,
     weight numeric(78,0) NOT NULL, reason text NOT NULL, params text`,
    "",
    ["proposal_id", "voter"],
  ],
  [
    "proposal_queued",
    "proposal_id numeric(78,0) NOT NULL, eta numeric(78,0) NOT NULL",
    "",
    ["proposal_id"],
  ],
  ["proposal_executed", "proposal_id numeric(78,0) NOT NULL", "", ["proposal_id"]],
  ["proposal_canceled", "proposal_id numeric(78,0) NOT NULL", "", ["proposal_id"]],
  [
    "proposal_extended",
    "proposal_id numeric(78,0) NOT NULL, extended_deadline numeric(78,0) NOT NULL",
    "",
    ["proposal_id"],
  ],
  [
    "settings_changes",
    "contract text NOT NULL, setting text NOT NULL, old_value text, new_value text NOT NULL",
    "",
    ["contract, setting, block_number DESC, log_index DESC"],
  ],
  [
    "timelock_calls",
    `operation_id text NOT NULL, call_index numeric(78,0) NOT NULL, executed boolean NOT NULL,
     target text NOT NULL, value numeric(78,0) NOT NULL, data text NOT NULL, predecessor text,
     delay numeric(78,0)`,
    "",
    ["operation_id"],
  ],
  ["timelock_cancellations", "operation_id text NOT NULL", "", ["operation_id"]],
  [
    "timelock_roles",
    "role text NOT NULL, account text NOT NULL, granted boolean NOT NULL, sender text NOT NULL",
    "",
    ["role, account"],
  ],
  [
    "datasets",
    `dataset_id numeric(78,0) NOT NULL, name text NOT NULL, schema_uri text NOT NULL,
     schema_hash text NOT NULL, fields jsonb NOT NULL, field_count integer NOT NULL`,
    "",
    ["dataset_id"],
  ],
  ["dataset_retirements", "dataset_id numeric(78,0) NOT NULL", "", ["dataset_id"]],
  [
    "requests",
    `request_id numeric(78,0) NOT NULL, partner text NOT NULL, dataset_id numeric(78,0) NOT NULL,
     purpose smallint NOT NULL, field_mask numeric(78,0) NOT NULL, row_level boolean NOT NULL,
     min_cohort bigint NOT NULL, duration numeric(78,0) NOT NULL, terms_uri text NOT NULL,
     fee numeric(78,0) NOT NULL, terms_hash text NOT NULL`,
    "",
    ["request_id", "partner", "dataset_id"],
  ],
  [
    "request_approvals",
    `request_id numeric(78,0) NOT NULL, partner text NOT NULL, start_time numeric(78,0) NOT NULL,
     end_time numeric(78,0) NOT NULL`,
    "",
    ["request_id", "partner"],
  ],
  [
    "request_rejections",
    "request_id numeric(78,0) NOT NULL, partner text NOT NULL",
    "",
    ["request_id"],
  ],
  [
    "request_withdrawals",
    "request_id numeric(78,0) NOT NULL, partner text NOT NULL",
    "",
    ["request_id"],
  ],
  [
    "grant_revocations",
    "grant_id numeric(78,0) NOT NULL, revoked_by text NOT NULL, reason text NOT NULL",
    "",
    ["grant_id"],
  ],
  ["refund_claims", "partner text NOT NULL, amount numeric(78,0) NOT NULL", "", ["partner"]],
  [
    "consent_changes",
    "member text NOT NULL, mask numeric(78,0) NOT NULL",
    "",
    ["member, block_number DESC, log_index DESC"],
  ],
  [
    "grant_choices",
    "member text NOT NULL, grant_id numeric(78,0) NOT NULL, choice smallint NOT NULL",
    "",
    ["grant_id, member, block_number DESC, log_index DESC", "member"],
  ],
  [
    "revenue_deposits",
    `grant_id numeric(78,0) NOT NULL, mode smallint NOT NULL, amount numeric(78,0) NOT NULL,
     to_treasury numeric(78,0) NOT NULL, member_share numeric(78,0) NOT NULL,
     member_count numeric(78,0) NOT NULL, per_member numeric(78,0) NOT NULL,
     snapshot numeric(78,0) NOT NULL`,
    "",
    ["grant_id"],
  ],
  [
    "revenue_allocations",
    `grant_id numeric(78,0) NOT NULL, root text NOT NULL, allocated numeric(78,0) NOT NULL,
     returned numeric(78,0) NOT NULL`,
    "",
    ["grant_id"],
  ],
  [
    "revenue_claims",
    "grant_id numeric(78,0) NOT NULL, member text NOT NULL, amount numeric(78,0) NOT NULL",
    "",
    ["grant_id", "member"],
  ],
  [
    "access_log_anchors",
    `batch_index numeric(78,0) NOT NULL, root text NOT NULL, size numeric(78,0) NOT NULL,
     previous_root text NOT NULL, anchored_at numeric(78,0) NOT NULL`,
    "",
    ["batch_index"],
  ],
];

/**
 * Tables of 103_chain_terms: the contracts' terms and revenue corrections added with issue 15 (grants to
 * the members, the privacy cap, sweeps, replaced allocations, ERC-5805 delegation).
 */
const TABLES_103: [string, string, string, string[]][] = [
  ["member_grants", "grant_id numeric(78,0) NOT NULL", "", ["grant_id"]],
  [
    "privacy_cap_changes",
    `old_epsilon_millionths numeric(78,0) NOT NULL, old_period numeric(78,0) NOT NULL,
     epsilon_millionths numeric(78,0) NOT NULL, period numeric(78,0) NOT NULL`,
    "",
    [],
  ],
  [
    "revenue_sweeps",
    "grant_id numeric(78,0) NOT NULL, amount numeric(78,0) NOT NULL",
    "",
    ["grant_id"],
  ],
  [
    "revenue_replacements",
    `grant_id numeric(78,0) NOT NULL, old_root text NOT NULL, old_allocated numeric(78,0) NOT NULL,
     root text NOT NULL, allocated numeric(78,0) NOT NULL, from_treasury numeric(78,0) NOT NULL,
     to_treasury numeric(78,0) NOT NULL`,
    "",
    ["grant_id"],
  ],
  [
    "delegate_changes",
    "delegator text NOT NULL, from_delegate text NOT NULL, to_delegate text NOT NULL",
    "",
    ["delegator, block_number DESC, log_index DESC"],
  ],
];

export const TABLE_NAMES: string[] = [...TABLES, ...TABLES_103].map(([name]) => name);

const createTables = (tables: typeof TABLES) =>
  tables
    .map(([name, columns, key, indexes]) =>
      [
        `CREATE TABLE ${name} (\n  ${columns},\n  ${EVENT},\n  PRIMARY KEY (block_number, log_index${key})\n);`,
        ...indexes.map((cols, i) => `CREATE INDEX ${name}_i${i} ON ${name} (${cols});`),
      ].join("\n"),
    )
    .join("\n");

const tablesSql = createTables(TABLES);

/**
 * Views and functions. "At time t" means after every event of blocks with block_time <= t (the state a
 * contract view sees in a block with timestamp t); "at block b" means after every event of blocks up
 * to b. Current views include every indexed event.
 */
const viewsSql = /* sql */ `
-- A setting's value after every change at or before time t (NULL: never set).
CREATE FUNCTION setting_at(c text, s text, t bigint) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT new_value FROM settings_changes
  WHERE contract = c AND setting = s AND block_time <= t
  ORDER BY block_number DESC, log_index DESC LIMIT 1
$$;

CREATE VIEW settings AS
SELECT DISTINCT ON (contract, setting) contract, setting, new_value AS value,
  block_number, block_time, tx_hash
FROM settings_changes ORDER BY contract, setting, block_number DESC, log_index DESC;

-- Membership ----------------------------------------------------------------------------------------

-- Members at time t, with the start of their membership then.
CREATE FUNCTION members_at(t bigint)
RETURNS TABLE (member text, member_id numeric, since bigint, since_block bigint)
LANGUAGE sql STABLE AS $$
  SELECT member, member_id, block_time, block_number FROM (
    SELECT DISTINCT ON (member) member, member_id, admitted, block_time, block_number
    FROM member_changes WHERE block_time <= t
    ORDER BY member, block_number DESC, log_index DESC
  ) last WHERE admitted
$$;

-- Number of members at time t (the membership's getPastTotalSupply(t)).
CREATE FUNCTION member_count_at(t bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(CASE WHEN admitted THEN 1 ELSE -1 END), 0)::bigint
  FROM member_changes WHERE block_time <= t
$$;

-- Every address ever admitted, with its member number and its current standing.
-- consent_since: from when the member's consent settings count (the membership's unambiguousSince):
-- the admission time, plus one second for a returning member, so nothing stored during an earlier
-- membership, even in the same second, is ever in force again.
CREATE VIEW member_status AS
SELECT DISTINCT ON (member) member, member_id, admitted AS is_member,
  CASE WHEN admitted THEN block_time END AS since,
  CASE WHEN admitted THEN block_number END AS since_block,
  CASE WHEN admitted THEN block_time + CASE WHEN EXISTS (
    SELECT 1 FROM member_changes p WHERE p.member = mc.member AND p.admitted
      AND (p.block_number, p.log_index) < (mc.block_number, mc.log_index)
  ) THEN 1 ELSE 0 END END AS consent_since,
  CASE WHEN NOT admitted THEN block_time END AS left_at,
  resigned, block_number, log_index
FROM member_changes mc ORDER BY member, block_number DESC, log_index DESC;

CREATE VIEW members AS
SELECT member, member_id, since, since_block, consent_since FROM member_status WHERE is_member;

-- Governance ----------------------------------------------------------------------------------------

-- Every proposal as at time t: tallies, quorum at its snapshot, deadline with a late-quorum extension,
-- and its state (the Governor's state(), Pending … Executed). Proposals created after t are absent.
CREATE FUNCTION proposals_at(t bigint)
RETURNS TABLE (
  proposal_id numeric, proposer text, description text, description_hash text, action_count integer,
  vote_start numeric, vote_end numeric, deadline numeric, extended boolean,
  against_votes numeric, for_votes numeric, abstain_votes numeric, voters bigint,
  snapshot_members bigint, quorum_numerator numeric, quorum numeric, quorum_reached boolean,
  eta numeric, queued_at bigint, executed_at bigint, canceled_at bigint, state text,
  created_block bigint, created_time bigint, created_tx text
)
LANGUAGE sql STABLE AS $$
  WITH p AS MATERIALIZED (
    SELECT * FROM proposals WHERE block_time <= t
  ),
  -- Members at every snapshot in one pass: a running count over the membership changes, where a
  -- change at the snapshot's second counts (getPastTotalSupply).
  snap AS MATERIALIZED (
    SELECT ts, members FROM (
      SELECT ts, is_snap, sum(d) OVER (ORDER BY ts, is_snap ROWS UNBOUNDED PRECEDING) AS members
      FROM (
        SELECT block_time AS ts, CASE WHEN admitted THEN 1 ELSE -1 END AS d, 0 AS is_snap
        FROM member_changes
        UNION ALL
        SELECT DISTINCT vote_start::bigint, 0, 1 FROM p
      ) ev
    ) run WHERE is_snap = 1
  ),
  qn AS MATERIALIZED (
    SELECT block_time, block_number, log_index, new_value::numeric AS num FROM settings_changes
    WHERE contract = 'governor' AND setting = 'quorum_numerator'
  ),
  v AS MATERIALIZED (
    SELECT proposal_id,
      coalesce(sum(weight) FILTER (WHERE support = 0), 0) AS against_votes,
      coalesce(sum(weight) FILTER (WHERE support = 1), 0) AS for_votes,
      coalesce(sum(weight) FILTER (WHERE support = 2), 0) AS abstain_votes,
      count(*) AS voters
    FROM votes WHERE block_time <= t GROUP BY proposal_id
  ),
  e AS (
    SELECT proposal_id, max(extended_deadline) AS ext FROM proposal_extended
    WHERE block_time <= t GROUP BY proposal_id
  ),
  q AS (
    SELECT DISTINCT ON (proposal_id) proposal_id, eta, block_time FROM proposal_queued
    WHERE block_time <= t ORDER BY proposal_id, block_number DESC, log_index DESC
  ),
  x AS (
    SELECT proposal_id, min(block_time) AS at FROM proposal_executed
    WHERE block_time <= t GROUP BY proposal_id
  ),
  c AS (
    SELECT proposal_id, min(block_time) AS at FROM proposal_canceled
    WHERE block_time <= t GROUP BY proposal_id
  ),
  s AS MATERIALIZED (
    SELECT p.*, e.ext, coalesce(sn.members, 0)::bigint AS snap_members,
      (SELECT qn.num FROM qn WHERE qn.block_time <= p.vote_start
        ORDER BY qn.block_number DESC, qn.log_index DESC LIMIT 1) AS qnum,
      coalesce(v.against_votes, 0) AS against_votes, coalesce(v.for_votes, 0) AS for_votes,
      coalesce(v.abstain_votes, 0) AS abstain_votes, coalesce(v.voters, 0) AS voters,
      q.eta AS q_eta, q.block_time AS q_time, x.at AS x_time, c.at AS c_time,
      greatest(p.vote_end, coalesce(e.ext, 0)) AS dl
    FROM p
    LEFT JOIN snap sn ON sn.ts = p.vote_start::bigint
    LEFT JOIN v ON v.proposal_id = p.proposal_id
    LEFT JOIN e ON e.proposal_id = p.proposal_id
    LEFT JOIN q ON q.proposal_id = p.proposal_id
    LEFT JOIN x ON x.proposal_id = p.proposal_id
    LEFT JOIN c ON c.proposal_id = p.proposal_id
  ),
  r AS (
    SELECT s.*, ceil(s.snap_members * s.qnum / 100) AS quo FROM s
  )
  SELECT r.proposal_id, r.proposer, r.description, r.description_hash, r.action_count,
    r.vote_start, r.vote_end, r.dl, r.ext IS NOT NULL AND r.ext > r.vote_end,
    r.against_votes, r.for_votes, r.abstain_votes, r.voters,
    r.snap_members, r.qnum, r.quo, r.quo <= r.for_votes + r.abstain_votes,
    r.q_eta, r.q_time, r.x_time, r.c_time,
    CASE
      WHEN r.x_time IS NOT NULL THEN 'Executed'
      WHEN r.c_time IS NOT NULL THEN 'Canceled'
      WHEN r.vote_start >= t THEN 'Pending'
      WHEN r.dl >= t THEN 'Active'
      WHEN r.quo > r.for_votes + r.abstain_votes OR r.for_votes <= r.against_votes THEN 'Defeated'
      WHEN r.q_time IS NULL THEN 'Succeeded'
      ELSE 'Queued'
    END,
    r.block_number, r.block_time, r.tx_hash
  FROM r
$$;

CREATE FUNCTION proposal_state_at(id numeric, t bigint) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT state FROM proposals_at(t) WHERE proposal_id = id
$$;

-- Data access ---------------------------------------------------------------------------------------

CREATE VIEW dataset_status AS
SELECT d.dataset_id, d.name, d.schema_uri, d.schema_hash, d.fields, d.field_count,
  r.block_time AS retired_at, r.block_number AS retired_block,
  d.block_number, d.block_time, d.tx_hash
FROM datasets d LEFT JOIN dataset_retirements r USING (dataset_id);

-- Every request with its status now (the registry's request(id)). A grant is an approved request and
-- keeps the request's id.
CREATE VIEW request_status AS
SELECT r.request_id, r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level, r.min_cohort,
  r.duration, r.terms_uri, r.fee, r.terms_hash,
  CASE
    WHEN v.grant_id IS NOT NULL THEN 'Revoked'
    WHEN a.request_id IS NOT NULL THEN 'Approved'
    WHEN j.request_id IS NOT NULL THEN 'Rejected'
    WHEN w.request_id IS NOT NULL THEN 'Withdrawn'
    ELSE 'Pending'
  END AS status,
  a.start_time, a.end_time,
  coalesce(a.block_time, j.block_time, w.block_time) AS decided_at,
  coalesce(a.block_number, j.block_number, w.block_number) AS decided_block,
  r.block_number, r.block_time, r.tx_hash
FROM requests r
LEFT JOIN request_approvals a USING (request_id)
LEFT JOIN request_rejections j USING (request_id)
LEFT JOIN request_withdrawals w USING (request_id)
LEFT JOIN grant_revocations v ON v.grant_id = r.request_id;

-- Grants (approved requests) with their terms, approval and revocation. The gateway applies its own
-- finality rule with approved_block / revoked_block.
CREATE VIEW grants AS
SELECT r.request_id AS grant_id, r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level,
  r.min_cohort, r.duration, r.terms_uri, r.fee, r.terms_hash,
  a.start_time, a.end_time, a.block_number AS approved_block, a.log_index AS approved_log_index,
  a.block_time AS approved_at, a.tx_hash AS approved_tx,
  v.block_number AS revoked_block, v.block_time AS revoked_at, v.revoked_by, v.reason AS revoke_reason
FROM request_approvals a
JOIN requests r USING (request_id)
LEFT JOIN grant_revocations v ON v.grant_id = a.request_id;

-- The executed proposal that approved each grant: the approval and the proposal's execution are in
-- one transaction, and the proposal has an approve(grantId, …) action. An auditor's check that every
-- grant came from a passed vote is an anti-join on this view.
CREATE VIEW grant_approvals AS
SELECT DISTINCT ON (g.grant_id) g.grant_id, x.proposal_id, x.block_number AS executed_block
FROM grants g
JOIN proposal_executed x ON x.tx_hash = g.approved_tx AND x.block_number = g.approved_block
JOIN proposal_actions pa ON pa.proposal_id = x.proposal_id AND pa.function_name = 'approve'
  AND pa.args->>0 = g.grant_id::text
ORDER BY g.grant_id, x.log_index;

CREATE FUNCTION registry_paused_at(t bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(setting_at('registry', 'paused', t) = 'true', false)
$$;

-- Whether grant g is active at time t (the registry's isGrantActive): approved, t before its end, not
-- revoked, registry not paused.
CREATE FUNCTION grant_active_at(g numeric, t bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT gr.approved_at <= t AND gr.start_time <= t AND t < gr.end_time
      AND (gr.revoked_at IS NULL OR gr.revoked_at > t) AND NOT registry_paused_at(t)
    FROM grants gr WHERE gr.grant_id = g
  ), false)
$$;

CREATE FUNCTION grants_active_at(t bigint) RETURNS SETOF numeric
LANGUAGE sql STABLE AS $$
  SELECT gr.grant_id FROM grants gr
  WHERE gr.approved_at <= t AND gr.start_time <= t AND t < gr.end_time
    AND (gr.revoked_at IS NULL OR gr.revoked_at > t) AND NOT registry_paused_at(t)
$$;

-- Refund owed to each partner now (the registry's refundOf).
CREATE VIEW partner_refunds AS
SELECT partner, sum(owed) AS owed FROM (
  SELECT r.partner, r.fee AS owed FROM requests r JOIN request_rejections USING (request_id)
  UNION ALL
  SELECT r.partner, r.fee FROM requests r JOIN request_withdrawals USING (request_id)
  UNION ALL
  SELECT partner, -amount FROM refund_claims
) x GROUP BY partner;

-- Consent -------------------------------------------------------------------------------------------

-- Whether member m's consent covered grant g after every event of blocks <= b with block_time <= t
-- (the consent registry's isCovered): m is a member then, and has opted in to g, or has not opted out
-- of g and their standing mask includes g's purpose. Choices and masks stored before the current
-- membership began are void.
CREATE FUNCTION consent_covers(m text, g numeric, b bigint, t bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  WITH mem AS (
    SELECT CASE WHEN admitted THEN block_time + CASE WHEN EXISTS (
      SELECT 1 FROM member_changes p WHERE p.member = m AND p.admitted
        AND (p.block_number, p.log_index) < (mc.block_number, mc.log_index)
    ) THEN 1 ELSE 0 END END AS since
    FROM member_changes mc
    WHERE member = m AND block_number <= b AND block_time <= t
    ORDER BY block_number DESC, log_index DESC LIMIT 1
  ), req AS (
    SELECT purpose FROM requests WHERE request_id = g AND block_number <= b AND block_time <= t
  ), ch AS (
    SELECT choice, block_time FROM grant_choices
    WHERE grant_id = g AND member = m AND block_number <= b AND block_time <= t
    ORDER BY block_number DESC, log_index DESC LIMIT 1
  ), co AS (
    SELECT mask, block_time FROM consent_changes
    WHERE member = m AND block_number <= b AND block_time <= t
    ORDER BY block_number DESC, log_index DESC LIMIT 1
  )
  SELECT coalesce((
    SELECT CASE
      WHEN ch.block_time >= mem.since AND ch.choice = 1 THEN true
      WHEN ch.block_time >= mem.since AND ch.choice = 2 THEN false
      ELSE co.block_time >= mem.since AND (co.mask::bigint >> req.purpose) & 1 = 1
    END
    FROM mem CROSS JOIN req LEFT JOIN ch ON true LEFT JOIN co ON true
  ), false)
$$;

CREATE FUNCTION consent_covers_at_block(m text, g numeric, b bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT consent_covers(m, g, b, 9223372036854775807) $$;

CREATE FUNCTION consent_covers_at_time(m text, g numeric, t bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$ SELECT consent_covers(m, g, 9223372036854775807, t) $$;

-- Current standing consent of every address that ever set one: the mask in force (0 when it was set
-- before the current membership or the address is not a member) and the mask last stored.
CREATE VIEW consents AS
SELECT c.member, c.mask AS stored_mask, c.block_time AS updated_at, c.block_number AS updated_block,
  CASE WHEN ms.consent_since IS NOT NULL AND c.block_time >= ms.consent_since THEN c.mask ELSE 0 END AS mask
FROM (
  SELECT DISTINCT ON (member) member, mask, block_time, block_number FROM consent_changes
  ORDER BY member, block_number DESC, log_index DESC
) c LEFT JOIN members ms USING (member);

-- Current per-grant choices in force (0 Default, 1 OptIn, 2 OptOut); void ones show as 0.
CREATE VIEW grant_choices_now AS
SELECT c.member, c.grant_id, c.choice AS stored_choice, c.block_time AS updated_at,
  c.block_number AS updated_block,
  CASE WHEN ms.consent_since IS NOT NULL AND c.block_time >= ms.consent_since THEN c.choice ELSE 0 END AS choice
FROM (
  SELECT DISTINCT ON (member, grant_id) member, grant_id, choice, block_time, block_number
  FROM grant_choices ORDER BY member, grant_id, block_number DESC, log_index DESC
) c LEFT JOIN members ms USING (member);

-- Members whose consent covers grant g after every indexed event (what the gateway serves from).
CREATE FUNCTION grant_covered_members(g numeric) RETURNS TABLE (member text)
LANGUAGE sql STABLE AS $$
  WITH req AS (
    SELECT purpose FROM requests WHERE request_id = g
  ), co AS (
    SELECT DISTINCT ON (member) member, mask, block_time FROM consent_changes
    ORDER BY member, block_number DESC, log_index DESC
  ), ch AS (
    SELECT DISTINCT ON (member) member, choice, block_time FROM grant_choices WHERE grant_id = g
    ORDER BY member, block_number DESC, log_index DESC
  )
  SELECT ms.member FROM members ms
  CROSS JOIN req
  LEFT JOIN ch ON ch.member = ms.member
  LEFT JOIN co ON co.member = ms.member
  WHERE CASE
    WHEN ch.block_time >= ms.consent_since AND ch.choice = 1 THEN true
    WHEN ch.block_time >= ms.consent_since AND ch.choice = 2 THEN false
    ELSE coalesce(co.block_time >= ms.consent_since AND (co.mask::bigint >> req.purpose) & 1 = 1, false)
  END
$$;

-- Revenue -------------------------------------------------------------------------------------------

-- Each grant's distribution (the revenue contract's distribution(id)) with claims so far.
CREATE VIEW revenue_by_grant AS
SELECT d.grant_id, d.mode, d.amount, d.to_treasury + coalesce(al.returned, 0) AS to_treasury,
  d.member_share, d.member_count, d.per_member, d.snapshot, al.root, al.allocated,
  coalesce(c.claimed, 0) AS claimed, coalesce(c.claims, 0) AS claims,
  d.block_number, d.block_time, d.tx_hash
FROM revenue_deposits d
LEFT JOIN revenue_allocations al USING (grant_id)
LEFT JOIN (
  SELECT grant_id, sum(amount) AS claimed, count(*) AS claims FROM revenue_claims GROUP BY grant_id
) c USING (grant_id);

-- Whether m was a member at time t (their vote at t, as the revenue contract reads it).
CREATE FUNCTION was_member_at(m text, t bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce((
    SELECT admitted FROM member_changes WHERE member = m AND block_time <= t
    ORDER BY block_number DESC, log_index DESC LIMIT 1
  ), false)
$$;

-- What m can claim now from each equal-split grant (the revenue contract's claimableOf).
CREATE FUNCTION member_claimable(m text)
RETURNS TABLE (grant_id numeric, amount numeric)
LANGUAGE sql STABLE AS $$
  SELECT d.grant_id, d.per_member FROM revenue_deposits d
  WHERE d.mode = 0 AND was_member_at(m, d.snapshot::bigint)
    AND NOT EXISTS (SELECT 1 FROM revenue_claims c WHERE c.grant_id = d.grant_id AND c.member = m)
$$;

CREATE VIEW member_claims AS
SELECT member, count(*) AS claims, sum(amount) AS claimed FROM revenue_claims GROUP BY member;
`;

/** Every view of 101 (in each of its versions). */
const VIEWS = [
  "settings",
  "member_status",
  "members",
  "dataset_status",
  "request_status",
  "grants",
  "grant_approvals",
  "partner_refunds",
  "consents",
  "grant_choices_now",
  "revenue_by_grant",
  "member_claims",
];

/** Every function of 101 (in each of its versions; some once took numeric times, now bigint). */
const FUNCTIONS = [
  "setting_at",
  "members_at",
  "member_count_at",
  "proposals_at",
  "proposal_state_at",
  "registry_paused_at",
  "grant_active_at",
  "grants_active_at",
  "consent_covers",
  "consent_covers_at_block",
  "consent_covers_at_time",
  "grant_covered_members",
  "was_member_at",
  "member_claimable",
];

/**
 * 101_chain_views was edited three times after its first release (bigint times and one-pass proposal
 * states; grant_approvals; consent counted from one second after a member's return), and 100's indexes
 * on the latest-event lookups became descending. The runner then recorded ids only, so a store created
 * before kept its first views. This drops every view and function of 101, whichever version created
 * them (the old numeric-time functions would otherwise stay beside the new ones as overloads), and
 * creates them as 101 now does; on a store created since, it recreates the same objects.
 */
const viewsRebuiltSql = /* sql */ `
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = current_schema()::regnamespace
      AND p.proname = ANY (ARRAY['${FUNCTIONS.join("', '")}'])
  LOOP
    EXECUTE format('DROP FUNCTION %s CASCADE', f);
  END LOOP;
END
$$;
DROP VIEW IF EXISTS ${VIEWS.join(", ")} CASCADE;
DROP INDEX IF EXISTS member_changes_i0, settings_changes_i0, consent_changes_i0, grant_choices_i0;
CREATE INDEX member_changes_i0 ON member_changes (member, block_number DESC, log_index DESC);
CREATE INDEX settings_changes_i0 ON settings_changes (contract, setting, block_number DESC, log_index DESC);
CREATE INDEX consent_changes_i0 ON consent_changes (member, block_number DESC, log_index DESC);
CREATE INDEX grant_choices_i0 ON grant_choices (grant_id, member, block_number DESC, log_index DESC);
${viewsSql}`;

/**
 * 103: the terms the contracts state since issue 15. Requests carry the partner's name and the exact-mode
 * term (both null on rows indexed before); consent decisions the time they were made; new tables for
 * grants to the members, the privacy cap, sweeps, replaced allocations and delegation. Views gain columns
 * at their end (CREATE OR REPLACE keeps their dependants):
 * - request_status and grants: partner_name, for_members, exact_tabulations;
 * - grant_approvals: a grant to the members counts as approved by the executed proposal that called
 *   grantToMembers in the same transaction (its id is the call's result, not an argument);
 * - revenue_by_grant: root and allocated are the distribution in force (after any replacement),
 *   to_treasury is net of replacements (what the treasury got back minus what it topped up), and new
 *   columns posted_root, posted_allocated, replacements, replaced_from_treasury, replaced_to_treasury,
 *   swept and closed (swept grants take no more claims);
 * - member_claimable: no share of a swept grant;
 * - delegates: each address's current ERC-5805 delegate (null after exit).
 */
const termsSql = /* sql */ `
ALTER TABLE requests ADD COLUMN partner_name text, ADD COLUMN exact_tabulations text;
ALTER TABLE consent_changes ADD COLUMN decided_at numeric(78,0);
ALTER TABLE grant_choices ADD COLUMN decided_at numeric(78,0);
${createTables(TABLES_103)}

CREATE OR REPLACE VIEW request_status AS
SELECT r.request_id, r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level, r.min_cohort,
  r.duration, r.terms_uri, r.fee, r.terms_hash,
  CASE
    WHEN v.grant_id IS NOT NULL THEN 'Revoked'
    WHEN a.request_id IS NOT NULL THEN 'Approved'
    WHEN j.request_id IS NOT NULL THEN 'Rejected'
    WHEN w.request_id IS NOT NULL THEN 'Withdrawn'
    ELSE 'Pending'
  END AS status,
  a.start_time, a.end_time,
  coalesce(a.block_time, j.block_time, w.block_time) AS decided_at,
  coalesce(a.block_number, j.block_number, w.block_number) AS decided_block,
  r.block_number, r.block_time, r.tx_hash,
  r.partner_name, mg.grant_id IS NOT NULL AS for_members, r.exact_tabulations
FROM requests r
LEFT JOIN request_approvals a USING (request_id)
LEFT JOIN request_rejections j USING (request_id)
LEFT JOIN request_withdrawals w USING (request_id)
LEFT JOIN grant_revocations v ON v.grant_id = r.request_id
LEFT JOIN member_grants mg ON mg.grant_id = r.request_id;

CREATE OR REPLACE VIEW grants AS
SELECT r.request_id AS grant_id, r.partner, r.dataset_id, r.purpose, r.field_mask, r.row_level,
  r.min_cohort, r.duration, r.terms_uri, r.fee, r.terms_hash,
  a.start_time, a.end_time, a.block_number AS approved_block, a.log_index AS approved_log_index,
  a.block_time AS approved_at, a.tx_hash AS approved_tx,
  v.block_number AS revoked_block, v.block_time AS revoked_at, v.revoked_by, v.reason AS revoke_reason,
  r.partner_name, mg.grant_id IS NOT NULL AS for_members, r.exact_tabulations
FROM request_approvals a
JOIN requests r USING (request_id)
LEFT JOIN grant_revocations v ON v.grant_id = a.request_id
LEFT JOIN member_grants mg ON mg.grant_id = a.request_id;

CREATE OR REPLACE VIEW grant_approvals AS
SELECT DISTINCT ON (g.grant_id) g.grant_id, x.proposal_id, x.block_number AS executed_block
FROM grants g
JOIN proposal_executed x ON x.tx_hash = g.approved_tx AND x.block_number = g.approved_block
JOIN proposal_actions pa ON pa.proposal_id = x.proposal_id AND (
  (pa.function_name = 'approve' AND pa.args->>0 = g.grant_id::text)
  OR (pa.function_name = 'grantToMembers' AND g.for_members)
)
ORDER BY g.grant_id, x.log_index;

CREATE OR REPLACE VIEW revenue_by_grant AS
SELECT d.grant_id, d.mode, d.amount,
  d.to_treasury + coalesce(al.returned, 0) + coalesce(rp.to_treasury, 0) - coalesce(rp.from_treasury, 0)
    AS to_treasury,
  d.member_share, d.member_count, d.per_member, d.snapshot,
  coalesce(rl.root, al.root) AS root, coalesce(rl.allocated, al.allocated) AS allocated,
  coalesce(c.claimed, 0) AS claimed, coalesce(c.claims, 0) AS claims,
  d.block_number, d.block_time, d.tx_hash,
  al.root AS posted_root, al.allocated AS posted_allocated, coalesce(rp.n, 0) AS replacements,
  coalesce(rp.from_treasury, 0) AS replaced_from_treasury,
  coalesce(rp.to_treasury, 0) AS replaced_to_treasury,
  coalesce(sw.amount, 0) AS swept, sw.grant_id IS NOT NULL AS closed, sw.block_time AS swept_at
FROM revenue_deposits d
LEFT JOIN revenue_allocations al USING (grant_id)
LEFT JOIN (
  SELECT grant_id, sum(amount) AS claimed, count(*) AS claims FROM revenue_claims GROUP BY grant_id
) c USING (grant_id)
LEFT JOIN (
  SELECT grant_id, count(*) AS n, sum(from_treasury) AS from_treasury, sum(to_treasury) AS to_treasury
  FROM revenue_replacements GROUP BY grant_id
) rp USING (grant_id)
LEFT JOIN (
  SELECT DISTINCT ON (grant_id) grant_id, root, allocated FROM revenue_replacements
  ORDER BY grant_id, block_number DESC, log_index DESC
) rl USING (grant_id)
LEFT JOIN (
  SELECT grant_id, sum(amount) AS amount, max(block_time) AS block_time FROM revenue_sweeps
  GROUP BY grant_id
) sw USING (grant_id);

CREATE OR REPLACE FUNCTION member_claimable(m text)
RETURNS TABLE (grant_id numeric, amount numeric)
LANGUAGE sql STABLE AS $$
  SELECT d.grant_id, d.per_member FROM revenue_deposits d
  WHERE d.mode = 0 AND was_member_at(m, d.snapshot::bigint)
    AND NOT EXISTS (SELECT 1 FROM revenue_claims c WHERE c.grant_id = d.grant_id AND c.member = m)
    AND NOT EXISTS (SELECT 1 FROM revenue_sweeps s WHERE s.grant_id = d.grant_id)
$$;

CREATE VIEW delegates AS
SELECT DISTINCT ON (delegator) delegator AS account,
  CASE WHEN to_delegate = '0x0000000000000000000000000000000000000000' THEN NULL ELSE to_delegate END
    AS delegate,
  block_number, block_time, tx_hash
FROM delegate_changes ORDER BY delegator, block_number DESC, log_index DESC;
`;

/**
 * Released migrations never change (the runner refuses a store that applied another text, and
 * test/store/released.test.ts fails). A change to the views is a new migration (104 and up).
 */
export const migrations: Migration[] = [
  { id: "100_chain_tables", sql: tablesSql },
  { id: "101_chain_views", sql: viewsSql },
  { id: "102_chain_views_rebuilt", sql: viewsRebuiltSql },
  { id: "103_chain_terms", sql: termsSql },
];
