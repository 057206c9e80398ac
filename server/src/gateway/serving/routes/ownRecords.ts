/** A signed-in member's own records, a page at a time. */
import { createRoute, z } from "@hono/zod-openapi";
import { refusals } from "../../../http/errors.ts";
import { recordIdSchema, recordsOf } from "../../records/records.ts";
import { OwnRecord } from "../answerDoc.ts";
import type { RouteContext } from "./context.ts";
import { SESSION, bearer, datasetParams, json, type GatewayApp } from "./shared.ts";

/** GET /datasets/{datasetId}/records. */
export function ownRecordRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, member } = ctx;

  app.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{datasetId}/records",
      summary: "The signed-in member's own records",
      security: bearer,
      request: {
        params: datasetParams,
        query: z.object({
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(1000)
            .optional()
            .openapi({ description: "Records per page, 1 to 1,000 (default 100)." }),
          after: recordIdSchema.optional().openapi({
            description: "The last record id of the previous page (records come in id order).",
          }),
        }),
      },
      responses: {
        200: json(
          z.object({ records: z.array(OwnRecord).openapi({ description: "In record-id order." }) }),
          "Records",
        ),
        ...refusals("invalid_request", ...SESSION),
      },
    }),
    async (c) => {
      const address = await member(c);
      const { datasetId } = c.req.valid("param");
      const q = c.req.valid("query");
      const records = await recordsOf(db, BigInt(datasetId), address, {
        limit: q.limit,
        afterRecordId: q.after,
      });
      return c.json({ records }, 200);
    },
  );
}
