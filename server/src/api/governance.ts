/** Proposals with tallies and states, their actions and votes; settings; access-log anchors. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "./errors.ts";
import type { ApiContext } from "./index.ts";
import { page } from "./paging.ts";
import { foldPrivacyCap } from "../follower/chainView.ts";
import { periodStartOf } from "../gateway/serving/ledger.ts";
import {
  address,
  Anchor,
  atQuery,
  getRoute,
  Page,
  pageQuery,
  Proposal,
  PROPOSAL_STATES,
  ProposalAction,
  ProposalDetail,
  CoopTerms,
  Setting,
  uint256,
  Vote,
} from "./schemas.ts";

const EVENT = `block_number::text AS "blockNumber", block_time::text AS "blockTime", tx_hash AS "txHash"`;
const SUPPORT = ["Against", "For", "Abstain"] as const;

const PROPOSAL_COLUMNS = `proposal_id::text AS "proposalId", proposer, description, state,
  vote_start::text AS "voteStart", vote_end::text AS "voteEnd", deadline::text AS deadline, extended,
  for_votes::text AS "forVotes", against_votes::text AS "againstVotes",
  abstain_votes::text AS "abstainVotes", voters::text AS voters, quorum::text AS quorum,
  snapshot_members::text AS "snapshotMembers", quorum_reached AS "quorumReached", eta::text AS eta,
  queued_at::text AS "queuedAt", executed_at::text AS "executedAt", canceled_at::text AS "canceledAt",
  created_block::text AS "createdBlock", created_time::text AS "createdAt", created_tx AS "txHash"`;

type ProposalRow = z.infer<typeof Proposal>;

export function governanceRoutes(app: OpenAPIHono, ctx: ApiContext) {
  const { db } = ctx;

  app.openapi(
    getRoute({
      path: "/proposals",
      tags: ["Governance"],
      summary: "Proposals with tallies, quorum, deadline and state, newest first",
      description:
        "State as the Governor reports it at `at` (default now): Pending until the snapshot, Active until the deadline (late-quorum extension included), then Defeated, Succeeded, Queued, Executed; or Canceled.",
      query: z.object({
        ...atQuery,
        state: z.enum(PROPOSAL_STATES).optional(),
        proposer: address.optional(),
        ...pageQuery,
      }),
      response: Page(Proposal, "ProposalPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const t = await ctx.time(q.at);
      return c.json(
        await page<ProposalRow>(
          db,
          `SELECT ${PROPOSAL_COLUMNS} FROM proposals_at($1)
           WHERE ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR proposer = $3)
           ORDER BY created_block DESC, proposal_id`,
          [t, q.state ?? null, q.proposer ?? null],
          q,
        ),
        200,
      );
    },
  );

  app.openapi(
    getRoute({
      path: "/proposals/{id}",
      tags: ["Governance"],
      summary: "One proposal with its actions (decoded when they call the co-op) and votes",
      params: z.object({ id: uint256.openapi({ param: { name: "id", in: "path" } }) }),
      query: z.object(atQuery),
      response: ProposalDetail,
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const t = await ctx.time(c.req.valid("query").at);
      const { rows } = await db.query<ProposalRow>(
        `SELECT ${PROPOSAL_COLUMNS} FROM proposals_at($1) WHERE proposal_id = $2`,
        [t, id],
      );
      if (!rows[0]) throw new ApiError(404, "not_found", `No proposal ${id} at ${t}`);
      const actions = await db.query<z.infer<typeof ProposalAction>>(
        `SELECT target, value::text AS value, calldata, function_name AS "functionName", args
         FROM proposal_actions WHERE proposal_id = $1 ORDER BY action_index`,
        [id],
      );
      const votes = await db.query<{
        voter: string;
        support: number;
        weight: string;
        reason: string;
        blockNumber: string;
        blockTime: string;
        txHash: string;
      }>(
        `SELECT voter, support, weight::text AS weight, reason, ${EVENT} FROM votes
         WHERE proposal_id = $1 AND block_time <= $2 ORDER BY block_number, log_index`,
        [id, t],
      );
      const body: z.infer<typeof ProposalDetail> = {
        ...rows[0],
        actions: actions.rows,
        votes: votes.rows.map((v): z.infer<typeof Vote> => ({
          ...v,
          support: SUPPORT[v.support] ?? "Abstain",
        })),
      };
      return c.json(body, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/settings",
      tags: ["Governance"],
      summary:
        "Every contract setting now (voting delay and period, quorum, guardian, fees, revenue mode, operators, pause), and the co-op's terms",
      description:
        "`items`: each setting's latest value as the contracts announced it (durations in seconds, amounts in wei). `terms`: the same read as the co-op's terms — the privacy cap the gateway enforces (with the period running now), the claim period, the treasury share, the revenue mode, the fee and duration limits, governance timing and whether the registry is paused.",
      response: z.object({ items: z.array(Setting), terms: CoopTerms }).openapi("Settings"),
    }),
    async (c) => {
      const { rows } = await db.query<z.infer<typeof Setting>>(
        `SELECT contract, setting, value, ${EVENT} FROM settings ORDER BY contract, setting`,
      );
      const value = (contract: string, setting: string) =>
        rows.find((r) => r.contract === contract && r.setting === setting)?.value ?? null;
      const now = BigInt(await ctx.time(undefined));
      const caps = await db.query<{
        old_period: string;
        epsilon_millionths: string;
        period: string;
        block_time: string;
      }>(
        `SELECT old_period::text, epsilon_millionths::text, period::text, block_time::text
         FROM privacy_cap_changes ORDER BY block_number, log_index`,
      );
      const cap = foldPrivacyCap(
        caps.rows.map((r) => ({
          initial: BigInt(r.old_period) === 0n,
          epsilonMillionths: BigInt(r.epsilon_millionths),
          periodSeconds: BigInt(r.period),
          at: BigInt(r.block_time),
        })),
        now,
      );
      const start = periodStartOf(cap, now);
      const mode = value("revenue", "mode");
      const bps = value("revenue", "treasury_bps");
      const terms: z.infer<typeof CoopTerms> = {
        privacyCap: {
          epsilonMillionths: cap.epsilonMillionths.toString(),
          periodSeconds: cap.periodSeconds.toString(),
          periodStart: start.toString(),
          periodEnd: (start + cap.periodSeconds).toString(),
          default: caps.rows.length === 0,
        },
        claimPeriodSeconds: value("revenue", "claim_period"),
        treasuryShareBps: bps === null ? null : Number(bps),
        revenueMode: mode === null ? null : mode === "0" ? "EqualSplit" : "ByUse",
        minimumFee: value("registry", "minimum_fee"),
        maxDurationSeconds: value("registry", "max_duration"),
        votingDelaySeconds: value("governor", "voting_delay"),
        votingPeriodSeconds: value("governor", "voting_period"),
        quorumPercent: value("governor", "quorum_numerator"),
        lateQuorumExtensionSeconds: value("governor", "late_quorum_extension"),
        timelockDelaySeconds: value("timelock", "min_delay"),
        paused: value("registry", "paused") === "true",
      };
      return c.json({ items: rows, terms }, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/anchors",
      tags: ["Access log"],
      summary: "Access-log anchors posted on-chain by the gateway operator, newest first",
      query: z.object(pageQuery),
      response: Page(Anchor, "AnchorPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        await page<z.infer<typeof Anchor>>(
          db,
          `SELECT batch_index::text AS "batchIndex", root, size::text AS size,
             previous_root AS "previousRoot", anchored_at::text AS "anchoredAt", ${EVENT}
           FROM access_log_anchors ORDER BY batch_index DESC`,
          [],
          q,
        ),
        200,
      );
    },
  );
}
