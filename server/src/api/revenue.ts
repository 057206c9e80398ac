/** Revenue: each grant's distribution and its claims. A member's claims are under /members. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { ApiError } from "./errors.ts";
import type { ApiContext } from "./index.ts";
import { page } from "./paging.ts";
import {
  AllocationReplacement,
  Claim,
  getRoute,
  Page,
  pageQuery,
  Revenue,
  RevenueDetail,
  uint256,
} from "./schemas.ts";

const EVENT = `block_number::text AS "blockNumber", block_time::text AS "blockTime", tx_hash AS "txHash"`;

const REVENUE = `SELECT grant_id::text AS "grantId",
  CASE mode WHEN 0 THEN 'EqualSplit' ELSE 'ByUse' END AS mode, amount::text AS amount,
  to_treasury::text AS "toTreasury", member_share::text AS "memberShare",
  member_count::text AS "memberCount", per_member::text AS "perMember", snapshot::text AS snapshot,
  root, allocated::text AS allocated, claimed::text AS claimed, claims::text AS claims,
  posted_root AS "postedRoot", posted_allocated::text AS "postedAllocated",
  replacements::text AS replacements, replaced_from_treasury::text AS "replacedFromTreasury",
  replaced_to_treasury::text AS "replacedToTreasury", swept::text AS swept, closed,
  swept_at::text AS "sweptAt", ${EVENT}
  FROM revenue_by_grant`;

export function revenueRoutes(app: OpenAPIHono, ctx: ApiContext) {
  const { db } = ctx;

  app.openapi(
    getRoute({
      path: "/revenue/grants",
      tags: ["Revenue"],
      summary:
        "Each approved grant's fee: treasury share, members' share, split and claims, newest first",
      query: z.object(pageQuery),
      response: Page(Revenue, "RevenuePage"),
    }),
    async (c) =>
      c.json(
        await page<z.infer<typeof Revenue>>(
          db,
          `${REVENUE} ORDER BY block_number DESC, grant_id`,
          [],
          c.req.valid("query"),
        ),
        200,
      ),
  );

  app.openapi(
    getRoute({
      path: "/revenue/grants/{id}",
      tags: ["Revenue"],
      summary: "One grant's distribution with every claim and every replaced allocation",
      params: z.object({ id: uint256.openapi({ param: { name: "id", in: "path" } }) }),
      response: RevenueDetail,
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { rows } = await db.query<z.infer<typeof Revenue>>(`${REVENUE} WHERE grant_id = $1`, [
        id,
      ]);
      if (!rows[0]) throw new ApiError(404, "not_found", `No revenue for grant ${id}`);
      const claims = await db.query<z.infer<typeof Claim>>(
        `SELECT grant_id::text AS "grantId", member, amount::text AS amount, ${EVENT}
         FROM revenue_claims WHERE grant_id = $1 ORDER BY block_number, log_index`,
        [id],
      );
      const replacements = await db.query<z.infer<typeof AllocationReplacement>>(
        `SELECT grant_id::text AS "grantId", old_root AS "oldRoot", old_allocated::text AS "oldAllocated",
           root, allocated::text AS allocated, from_treasury::text AS "fromTreasury",
           to_treasury::text AS "toTreasury", ${EVENT}
         FROM revenue_replacements WHERE grant_id = $1 ORDER BY block_number, log_index`,
        [id],
      );
      return c.json(
        { ...rows[0], claimList: claims.rows, replacementList: replacements.rows },
        200,
      );
    },
  );
}
