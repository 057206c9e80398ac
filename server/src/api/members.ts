/** Members, applications, consents and a member's claims. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { ApiError } from "./errors.ts";
import type { ApiContext } from "./index.ts";
import {
  address,
  Application,
  atQuery,
  boolString,
  CHOICES,
  Claim,
  Claimable,
  Consent,
  ConsentEvent,
  getRoute,
  GrantChoice,
  Member,
  MemberClaims,
  MemberConsents,
  MemberDetail,
  MembershipChange,
  Page,
  pageQuery,
} from "./schemas.ts";
import { page } from "./paging.ts";

const EVENT = `block_number::text AS "blockNumber", block_time::text AS "blockTime", tx_hash AS "txHash"`;

const ADMITTED_AT = `(SELECT min(m.block_time)::text FROM member_changes m
  WHERE m.member = a.applicant AND m.admitted
    AND (m.block_number, m.log_index) > (a.block_number, a.log_index))`;
const APPLICATION = `SELECT applicant, uri, ${ADMITTED_AT} AS "admittedAt", ${EVENT}
  FROM membership_applications a`;

export function purposeKeys(mask: string): string[] {
  const bits = BigInt(mask);
  return PURPOSES.filter((p) => (bits >> BigInt(p.bit)) & 1n).map((p) => p.key);
}

export async function consentOf(ctx: ApiContext, member: string): Promise<z.infer<typeof Consent>> {
  const { rows } = await ctx.db.query<{ mask: string; stored: string; updated: string }>(
    `SELECT mask::text AS mask, stored_mask::text AS stored, updated_at::text AS updated
     FROM consents WHERE member = $1`,
    [member],
  );
  const row = rows[0];
  const mask = row?.mask ?? "0";
  return {
    mask,
    purposes: purposeKeys(mask),
    storedMask: row?.stored ?? "0",
    updatedAt: row?.updated ?? null,
  };
}

async function claimsOf(ctx: ApiContext, member: string) {
  const claims = await ctx.db.query<z.infer<typeof Claim>>(
    `SELECT grant_id::text AS "grantId", member, amount::text AS amount, ${EVENT}
     FROM revenue_claims WHERE member = $1 ORDER BY block_number, log_index`,
    [member],
  );
  const claimable = await ctx.db.query<z.infer<typeof Claimable>>(
    `SELECT grant_id::text AS "grantId", amount::text AS amount FROM member_claimable($1)
     ORDER BY grant_id`,
    [member],
  );
  const claimed = claims.rows.reduce((sum, c) => sum + BigInt(c.amount), 0n).toString();
  return { claims: claims.rows, claimable: claimable.rows, claimed };
}

export function membersRoutes(app: OpenAPIHono, ctx: ApiContext) {
  const { db } = ctx;
  const memberParams = z.object({
    address: address.openapi({ param: { name: "address", in: "path" } }),
  });

  app.openapi(
    getRoute({
      path: "/members",
      tags: ["Members"],
      summary: "Members now, or at a past time",
      query: z.object({ ...atQuery, ...pageQuery }),
      response: Page(Member, "MemberPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const t = await ctx.time(q.at);
      return c.json(
        await page<z.infer<typeof Member>>(
          db,
          `SELECT member AS address, member_id::text AS "memberId", since::text AS since,
             since_block::text AS "sinceBlock",
             (SELECT nullif(d.to_delegate, '0x0000000000000000000000000000000000000000')
              FROM delegate_changes d WHERE d.delegator = m.member AND d.block_time <= $1
              ORDER BY d.block_number DESC, d.log_index DESC LIMIT 1) AS delegate
           FROM members_at($1) m ORDER BY member_id`,
          [t],
          q,
        ),
        200,
      );
    },
  );

  app.openapi(
    getRoute({
      path: "/members/{address}",
      tags: ["Members"],
      summary: "One member: standing, history, applications, consent, revenue",
      params: memberParams,
      response: MemberDetail,
    }),
    async (c) => {
      const { address: member } = c.req.valid("param");
      const history = await db.query<z.infer<typeof MembershipChange>>(
        `SELECT admitted, resigned, member_id::text AS "memberId", ${EVENT}
         FROM member_changes WHERE member = $1 ORDER BY block_number, log_index`,
        [member],
      );
      const applications = await db.query<z.infer<typeof Application>>(
        `${APPLICATION} WHERE applicant = $1
         ORDER BY block_number, log_index`,
        [member],
      );
      if (history.rows.length === 0 && applications.rows.length === 0) {
        throw new ApiError(404, "not_found", `${member} was never a member nor applied`);
      }
      const last = history.rows.at(-1);
      const { claimable, claimed } = await claimsOf(ctx, member);
      const delegated = await db.query<{ delegate: string | null }>(
        "SELECT delegate FROM delegates WHERE account = $1",
        [member],
      );
      return c.json(
        {
          address: member,
          memberId: last?.memberId ?? null,
          isMember: last?.admitted ?? false,
          since: last?.admitted ? last.blockTime : null,
          delegate: delegated.rows[0]?.delegate ?? null,
          history: history.rows,
          applications: applications.rows,
          consent: await consentOf(ctx, member),
          claimed,
          claimable,
        },
        200,
      );
    },
  );

  app.openapi(
    getRoute({
      path: "/members/{address}/consents",
      tags: ["Members", "Consent"],
      summary: "A member's consent: in force now, per-grant choices, and the full history",
      description:
        "Consent and choices stored before the current membership began (or by a non-member) are void: they read as mask 0 and Default.",
      params: memberParams,
      response: MemberConsents,
    }),
    async (c) => {
      const { address: member } = c.req.valid("param");
      const choices = await db.query<{
        grantId: string;
        choice: number;
        storedChoice: number;
        updatedAt: string;
      }>(
        `SELECT grant_id::text AS "grantId", choice, stored_choice AS "storedChoice",
           updated_at::text AS "updatedAt"
         FROM grant_choices_now WHERE member = $1 ORDER BY grant_id`,
        [member],
      );
      const history = await db.query<{
        kind: "consent" | "choice";
        mask: string | null;
        grantId: string | null;
        choice: number | null;
        blockNumber: string;
        blockTime: string;
        txHash: string;
      }>(
        `SELECT * FROM (
           SELECT 'consent' AS kind, mask::text AS mask, NULL::text AS "grantId", NULL::smallint AS choice,
             block_number, log_index, ${EVENT}
           FROM consent_changes WHERE member = $1
           UNION ALL
           SELECT 'choice', NULL, grant_id::text, choice, block_number, log_index, ${EVENT}
           FROM grant_choices WHERE member = $1
         ) h ORDER BY block_number, log_index`,
        [member],
      );
      const body: z.infer<typeof MemberConsents> = {
        address: member,
        current: await consentOf(ctx, member),
        choices: choices.rows.map((r): z.infer<typeof GrantChoice> => ({
          grantId: r.grantId,
          choice: CHOICES[r.choice],
          storedChoice: CHOICES[r.storedChoice],
          updatedAt: r.updatedAt,
        })),
        history: history.rows.map((r): z.infer<typeof ConsentEvent> => ({
          kind: r.kind,
          mask: r.mask,
          grantId: r.grantId,
          choice: r.choice === null ? null : CHOICES[r.choice],
          blockNumber: r.blockNumber,
          blockTime: r.blockTime,
          txHash: r.txHash,
        })),
      };
      return c.json(body, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/members/{address}/claims",
      tags: ["Members", "Revenue"],
      summary: "What a member has claimed and can still claim",
      params: memberParams,
      response: MemberClaims,
    }),
    async (c) => {
      const { address: member } = c.req.valid("param");
      return c.json({ address: member, ...(await claimsOf(ctx, member)) }, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/applications",
      tags: ["Members"],
      summary: "Membership applications, newest first",
      description: "`open=true` lists only applications not followed by an admission.",
      query: z.object({ open: boolString.optional(), ...pageQuery }),
      response: Page(Application, "ApplicationPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        await page<z.infer<typeof Application>>(
          db,
          `${APPLICATION} WHERE $1::boolean IS NULL OR (${ADMITTED_AT} IS NULL) = $1
           ORDER BY a.block_number DESC, a.log_index DESC`,
          [q.open ?? null],
          q,
        ),
        200,
      );
    },
  );
}
