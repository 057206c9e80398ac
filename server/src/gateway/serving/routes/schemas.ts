/**
 * Datasets' schema documents: publishing the document the co-op voted for (checked against the on-chain
 * hash and fields), and reading the one the gateway holds.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { schemaDocumentSchema } from "@datacoop/protocol/datasetSchema";
import { GatewayError } from "@datacoop/protocol/errors";
import { refusals } from "../../../http/errors.ts";
import { acceptDataset } from "../../records/records.ts";
import type { RouteContext } from "./context.ts";
import { BODY, datasetParams, json, type GatewayApp } from "./shared.ts";

/** POST and GET /datasets/{datasetId}/schema. */
export function schemaRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, chain, limiters, limited } = ctx;

  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/schema",
      summary: "Publish a dataset's schema document (checked against its on-chain hash and fields)",
      description:
        "Anyone may publish: the co-op's vote fixed the document when it registered the dataset (DatasetRegistered carries keccak256 of its canonical JSON, RFC 8785, and the field names in bit order), so the gateway accepts exactly that document and no other. A document already held is a no-op (nothing is rebuilt); publications are limited for everyone together.",
      request: {
        params: datasetParams,
        body: {
          required: true,
          content: { "application/json": { schema: schemaDocumentSchema } },
        },
      },
      responses: {
        200: json(
          z.object({
            datasetId: z.string().openapi({ description: "The dataset." }),
            schemaHash: z
              .string()
              .openapi({ description: "keccak256 of the document's canonical JSON (0x-hex)." }),
          }),
          "Accepted (or already held)",
        ),
        ...refusals(
          ...BODY,
          "rate_limited",
          "dataset_unknown",
          "schema_invalid",
          "schema_hash_mismatch",
          "schema_fields_mismatch",
        ),
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      await limited(limiters.schema.take("all"), "schema publications");
      const registration = await chain.dataset(db, BigInt(datasetId));
      if (!registration)
        throw new GatewayError(404, "dataset_unknown", `No dataset ${datasetId} is registered.`);
      const schema = await acceptDataset(db, await c.req.json(), registration);
      return c.json({ datasetId, schemaHash: schema.schemaHash }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{datasetId}/schema",
      summary: "The schema document the gateway holds for a dataset",
      description:
        "The document accepted for the dataset (its canonical JSON hashes to the on-chain schemaHash): each field's type, unit, bounds, allowed values, whether it is required, and labels by language. Forms and CSV templates are built from it. 404 dataset_unknown until someone has published it.",
      request: { params: datasetParams },
      responses: {
        200: json(
          z.object({
            datasetId: z.string(),
            schemaHash: z.string(),
            document: schemaDocumentSchema,
          }),
          "The schema document",
        ),
        ...refusals("invalid_request", "dataset_unknown"),
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      const { rows } = await db.query<{ schema_hash: string; document: unknown }>(
        "SELECT schema_hash, document FROM gateway_datasets WHERE dataset_id = $1",
        [datasetId],
      );
      if (!rows[0])
        throw new GatewayError(
          404,
          "dataset_unknown",
          `The gateway has no schema for dataset ${datasetId}.`,
        );
      const document: unknown =
        typeof rows[0].document === "string" ? JSON.parse(rows[0].document) : rows[0].document;
      c.header("cache-control", "public, max-age=60");
      return c.json({ datasetId, schemaHash: rows[0].schema_hash, document }, 200);
    },
  );
}
