/** Erasure: a member (or a former member) erases their own records, all or those named; immediate, logged. */
import { createRoute, z } from "@hono/zod-openapi";
import { GatewayError } from "@datacoop/protocol/errors";
import { refusals } from "../../../http/errors.ts";
import { eraseRecords, recordIdSchema } from "../../records/records.ts";
import type { RouteContext } from "./context.ts";
import { BODY, SESSION, bearer, datasetParams, json, type GatewayApp } from "./shared.ts";

/** POST /datasets/{datasetId}/records/erase. */
export function erasureRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, chain, keys, member, dataset, holdsRecords } = ctx;

  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/records/erase",
      summary: "Erase the member's records (those named, or all); immediate and logged",
      security: bearer,
      request: {
        params: datasetParams,
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                recordIds: z.array(recordIdSchema).min(1).max(1000).optional().openapi({
                  description:
                    "The records to erase (1 to 1,000); all of the member's when absent.",
                }),
              }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({
            erased: z.number().int().openapi({ description: "Records erased (0: none was live)." }),
          }),
          "Erased",
        ),
        ...refusals(...BODY, ...SESSION, "dataset_unknown", "not_member", "records_unknown"),
      },
    }),
    async (c) => {
      const address = await member(c);
      const { datasetId } = c.req.valid("param");
      const { recordIds } = c.req.valid("json");
      await dataset(datasetId);
      // A member erases; so may a former member, their own records. Anyone else writes nothing.
      if (!(await chain.isMember(db, address)) && !(await holdsRecords(address, datasetId))) {
        throw new GatewayError(
          403,
          "not_member",
          "Only members erase records, and only their own.",
        );
      }
      return c.json(
        { erased: await eraseRecords(db, keys, BigInt(datasetId), address, recordIds) },
        200,
      );
    },
  );
}
