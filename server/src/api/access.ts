/** Datasets, partners' requests, grants, and whether a member's consent covers a grant. */
import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { ApiError } from "./errors.ts";
import type { ApiContext } from "./index.ts";
import { page } from "./paging.ts";
import {
  address,
  atQuery,
  boolString,
  Coverage,
  Dataset,
  getRoute,
  Grant,
  GrantDetail,
  Page,
  pageQuery,
  REQUEST_STATUSES,
  Request,
  uint256,
} from "./schemas.ts";

const EVENT = `block_number::text AS "blockNumber", block_time::text AS "blockTime", tx_hash AS "txHash"`;

const TERMS = `partner, dataset_id::text AS "datasetId", purpose, field_mask::text AS "fieldMask",
  row_level AS "rowLevel", min_cohort::text AS "minCohort", duration::text AS duration,
  terms_uri AS "termsUri", fee::text AS fee, terms_hash AS "termsHash",
  partner_name AS "partnerName", for_members AS "forMembers", exact_tabulations AS "exactTabulations"`;

const GRANT_COLUMNS = `grant_id::text AS "grantId", ${TERMS}, start_time::text AS start,
  end_time::text AS "end", grant_active_at(grant_id, $1) AS active,
  approved_block::text AS "approvedBlock", approved_at::text AS "approvedAt",
  approved_tx AS "approvedTx", revoked_block::text AS "revokedBlock",
  revoked_at::text AS "revokedAt", revoked_by AS "revokedBy", revoke_reason AS "revokeReason",
  (SELECT proposal_id::text FROM grant_approvals ga WHERE ga.grant_id = grants.grant_id)
    AS "approvedByProposal"`;

const purposeKey = (bit: number) => PURPOSES.find((p) => p.bit === bit)?.key ?? null;
const withPurpose = <T extends { purpose: number }>(row: T) => ({
  ...row,
  purposeKey: purposeKey(row.purpose),
});

type GrantRow = Omit<z.infer<typeof Grant>, "purposeKey">;
type RequestRow = Omit<z.infer<typeof Request>, "purposeKey">;

const idParam = (name: string) =>
  z.object({ id: uint256.openapi({ param: { name: "id", in: "path" }, description: name }) });

export function accessRoutes(app: OpenAPIHono, ctx: ApiContext) {
  const { db } = ctx;

  const DATASET = `SELECT dataset_id::text AS "datasetId", name, schema_uri AS "schemaUri",
    schema_hash AS "schemaHash", fields, retired_at IS NOT NULL AS retired,
    retired_at::text AS "retiredAt", ${EVENT} FROM dataset_status`;

  app.openapi(
    getRoute({
      path: "/datasets",
      tags: ["Data access"],
      summary: "Datasets registered by vote, with their fields in bit order",
      query: z.object(pageQuery),
      response: Page(Dataset, "DatasetPage"),
    }),
    async (c) =>
      c.json(
        await page<z.infer<typeof Dataset>>(
          db,
          `${DATASET} ORDER BY dataset_id`,
          [],
          c.req.valid("query"),
        ),
        200,
      ),
  );

  app.openapi(
    getRoute({
      path: "/datasets/{id}",
      tags: ["Data access"],
      summary: "One dataset",
      params: idParam("Dataset id"),
      response: Dataset,
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { rows } = await db.query<z.infer<typeof Dataset>>(`${DATASET} WHERE dataset_id = $1`, [
        id,
      ]);
      if (!rows[0]) throw new ApiError(404, "not_found", `No dataset ${id}`);
      return c.json(rows[0], 200);
    },
  );

  const REQUEST = `SELECT request_id::text AS "requestId", ${TERMS}, status,
    start_time::text AS start, end_time::text AS "end", decided_at::text AS "decidedAt", ${EVENT}
    FROM request_status`;

  app.openapi(
    getRoute({
      path: "/requests",
      tags: ["Data access"],
      summary: "Partners' access requests with their status, newest first",
      query: z.object({
        partner: address.optional(),
        status: z.enum(REQUEST_STATUSES).optional(),
        dataset: uint256.optional(),
        ...pageQuery,
      }),
      response: Page(Request, "RequestPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const result = await page<RequestRow>(
        db,
        `${REQUEST} WHERE ($1::text IS NULL OR partner = $1) AND ($2::text IS NULL OR status = $2)
           AND ($3::numeric IS NULL OR dataset_id = $3)
         ORDER BY request_id DESC`,
        [q.partner ?? null, q.status ?? null, q.dataset ?? null],
        q,
      );
      return c.json({ ...result, items: result.items.map(withPurpose) }, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/requests/{id}",
      tags: ["Data access"],
      summary: "One request",
      params: idParam("Request id"),
      response: Request,
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { rows } = await db.query<RequestRow>(`${REQUEST} WHERE request_id = $1`, [id]);
      if (!rows[0]) throw new ApiError(404, "not_found", `No request ${id}`);
      return c.json(withPurpose(rows[0]), 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/grants",
      tags: ["Data access"],
      summary: "Grants (approved requests, same id), newest first",
      description:
        "`active` is evaluated at `at` (default now); `active=true|false` filters on it.",
      query: z.object({
        partner: address.optional(),
        active: boolString.optional(),
        ...atQuery,
        ...pageQuery,
      }),
      response: Page(Grant, "GrantPage"),
    }),
    async (c) => {
      const q = c.req.valid("query");
      const t = await ctx.time(q.at);
      const result = await page<GrantRow>(
        db,
        `SELECT ${GRANT_COLUMNS} FROM grants
         WHERE ($2::text IS NULL OR partner = $2)
           AND ($3::boolean IS NULL OR grant_active_at(grant_id, $1) = $3)
         ORDER BY approved_block DESC, approved_log_index DESC`,
        [t, q.partner ?? null, q.active ?? null],
        q,
      );
      return c.json({ ...result, items: result.items.map(withPurpose) }, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/grants/{id}",
      tags: ["Data access"],
      summary: "One grant, whether it is active, and how many members' consent covers it now",
      params: idParam("Grant id"),
      query: z.object(atQuery),
      response: GrantDetail,
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const t = await ctx.time(c.req.valid("query").at);
      const { rows } = await db.query<GrantRow>(
        `SELECT ${GRANT_COLUMNS} FROM grants WHERE grant_id = $2`,
        [t, id],
      );
      if (!rows[0]) throw new ApiError(404, "not_found", `No grant ${id}`);
      const covered = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM grant_covered_members($1)",
        [id],
      );
      return c.json({ ...withPurpose(rows[0]), coveredMembers: covered.rows[0].n }, 200);
    },
  );

  app.openapi(
    getRoute({
      path: "/grants/{id}/coverage/{address}",
      tags: ["Data access", "Consent"],
      summary: "Whether a member's consent covered a grant at a block or a time (default: now)",
      description:
        "Covered when the address was a member then and had opted in to the grant, or had not opted out and its standing consent included the grant's purpose; consent from before the membership began is void. Give `block` or `at`, not both.",
      params: z.object({
        id: uint256.openapi({ param: { name: "id", in: "path" } }),
        address: address.openapi({ param: { name: "address", in: "path" } }),
      }),
      query: z.object({
        ...atQuery,
        block: z
          .string()
          .refine((v) => /^\d{1,15}$/.test(v), { message: "block must be a block number" })
          .optional(),
      }),
      response: Coverage,
    }),
    async (c) => {
      const { id, address: member } = c.req.valid("param");
      const q = c.req.valid("query");
      if (q.block !== undefined && q.at !== undefined) {
        throw new ApiError(400, "invalid_request", "Give block or at, not both");
      }
      const exists = await db.query("SELECT 1 FROM requests WHERE request_id = $1", [id]);
      if (exists.rows.length === 0)
        throw new ApiError(404, "not_found", `No grant or request ${id}`);
      let covered: boolean;
      let at: string | null = null;
      if (q.block !== undefined) {
        const { rows } = await db.query<{ v: boolean }>(
          "SELECT consent_covers_at_block($1, $2, $3) AS v",
          [member, id, q.block],
        );
        covered = rows[0].v;
      } else {
        at = await ctx.time(q.at);
        const { rows } = await db.query<{ v: boolean }>(
          "SELECT consent_covers_at_time($1, $2, $3) AS v",
          [member, id, at],
        );
        covered = rows[0].v;
      }
      return c.json({ grantId: id, member, block: q.block ?? null, at, covered }, 200);
    },
  );
}
