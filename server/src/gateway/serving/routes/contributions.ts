/**
 * Members' contributions: records as JSON or CSV under a session, or JSON signed with EIP-712 without one;
 * idempotent by the client's record id.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { GatewayError } from "@datacoop/protocol/errors";
import { refusals } from "../../../http/errors.ts";
import {
  useContributionNonce,
  signedContributionSchema,
  verifyContribution,
} from "../../auth/memberSignature.ts";
import {
  batchSchema,
  hasProtoKey,
  parseCsvBatch,
  parseJsonBatch,
  storeRecords,
} from "../../records/records.ts";
import type { RouteContext } from "./context.ts";
import { BODY, SESSION, SIGNED, bearer, datasetParams, json, type GatewayApp } from "./shared.ts";

/** A session's contribution: the member, their membership, the dataset, then the parsed batch stored. */
async function contribute(
  ctx: RouteContext,
  c: Context,
  datasetId: string,
  parse: (
    schema: Awaited<ReturnType<RouteContext["dataset"]>>,
  ) => Promise<ReturnType<typeof parseJsonBatch>>,
) {
  const { db, chain, member, dataset } = ctx;
  const address = await member(c);
  if (!(await chain.isMember(db, address))) {
    throw new GatewayError(403, "not_member", "Only members contribute records.");
  }
  const schema = await dataset(datasetId);
  const records = await parse(schema);
  return storeRecords(db, schema, address, records);
}

/**
 * The batch's parts described for the document (once: the registry is global), and the answer of a
 * contribution.
 */
function describeBatch() {
  // What a record's value may be, for the document (validation reports each wrong value as a row error).
  if (!z.globalRegistry.has(batchSchema.shape.records.element.shape.values.valueType)) {
    z.globalRegistry.add(batchSchema.shape.records.element.shape.values.valueType, {
      description:
        "A value of the field's type: a string (dates YYYY-MM-DD), a number, a boolean, or null for a missing optional value.",
      anyOf: [{ type: "string" }, { type: "number" }, { type: "boolean" }, { type: "null" }],
    });
    z.globalRegistry.add(batchSchema.shape.records.element.shape.values, {
      description: "The record's fields by name, as the dataset's schema document defines them.",
    });
    z.globalRegistry.add(batchSchema.shape.records.element.shape.recordId, {
      description:
        "The record's id, chosen by the member's client (1 to 128 letters, digits or . _ : -): sending it again replaces the record, so a retried upload changes nothing.",
    });
    z.globalRegistry.add(batchSchema.shape.records, {
      description:
        "1 to 1,000 records, each stored under its record id (re-sending an id replaces it).",
    });
  }
  return z
    .object({
      stored: z.number().int().openapi({ description: "Records new or changed by this batch." }),
      unchanged: z.number().int().openapi({ description: "Records already stored exactly so." }),
    })
    .openapi("StoreResult", { description: "What a contribution changed." });
}

/** POST /datasets/{datasetId}/records/signed, /records (JSON) and /records.csv. */
export function contributionRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, chain, options, nowOf, limiters, limited, dataset } = ctx;

  const storeResult = describeBatch();
  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/records/signed",
      summary: "Contribute records (JSON) signed by the member with EIP-712, without a session",
      description:
        'Sign Contribution(uint256 datasetId,bytes32 recordsHash,uint256 nonce,uint256 deadline) in the domain { name "DataCoop Gateway", version "1", chainId, verifyingContract: the DataAccessRegistry }; recordsHash is keccak256 of the records array\'s canonical JSON (RFC 8785). Each nonce is accepted once; the deadline is at most an hour ahead.',
      request: {
        params: datasetParams,
        body: {
          required: true,
          content: { "application/json": { schema: signedContributionSchema } },
        },
      },
      responses: {
        200: json(storeResult, "Stored"),
        ...refusals(
          ...BODY,
          ...SIGNED,
          "batch_invalid",
          "batch_too_large",
          "not_member",
          "rate_limited",
          "dataset_unknown",
          "records_invalid",
        ),
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      const now = nowOf();
      // Parsing drops a "__proto__" key silently; refuse it instead of storing less than was signed.
      if (hasProtoKey(await c.req.json())) {
        throw new GatewayError(400, "batch_invalid", 'A key is "__proto__".');
      }
      const body = c.req.valid("json");
      const signed = await verifyContribution(body, BigInt(datasetId), options.domain, now);
      // Membership before the rate limit: a non-member leaves nothing in the store.
      if (!(await chain.isMember(db, signed.signer))) {
        throw new GatewayError(403, "not_member", "Only members contribute records.");
      }
      await limited(limiters.member.take(signed.signer.toLowerCase()), "requests");
      const schema = await dataset(datasetId);
      const result = await storeRecords(db, schema, signed.signer, signed.records, (tx) =>
        useContributionNonce(tx, signed, now),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/records",
      summary: "Contribute records (JSON), idempotent by record id",
      security: bearer,
      request: {
        params: datasetParams,
        body: { required: true, content: { "application/json": { schema: batchSchema } } },
      },
      responses: {
        200: json(storeResult, "Stored"),
        ...refusals(
          ...BODY,
          ...SESSION,
          "batch_invalid",
          "batch_too_large",
          "not_member",
          "dataset_unknown",
          "records_invalid",
        ),
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      const result = await contribute(ctx, c, datasetId, async () =>
        parseJsonBatch(await c.req.json()),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/records.csv",
      summary: "Contribute records (CSV with a record_id column), idempotent by record id",
      security: bearer,
      request: {
        params: datasetParams,
        body: {
          required: true,
          content: {
            "text/csv": {
              schema: z.string().openapi({
                description:
                  "RFC 4180 CSV: a header naming record_id and fields of the schema, then one record per line (at most 1,000). Cells are converted by the field's type; an empty cell is a missing value.",
                example:
                  "record_id,region,crop,yield_kg,harvested\nf3,north,maize,4210,2026-05-01\n",
              }),
            },
          },
        },
      },
      responses: {
        200: json(storeResult, "Stored"),
        ...refusals(
          ...BODY,
          ...SESSION,
          "unsupported_media_type",
          "csv_invalid",
          "batch_too_large",
          "not_member",
          "dataset_unknown",
          "records_invalid",
        ),
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      if (!(c.req.header("content-type") ?? "").startsWith("text/csv")) {
        throw new GatewayError(415, "unsupported_media_type", "Send text/csv.");
      }
      const result = await contribute(ctx, c, datasetId, async (schema) =>
        parseCsvBatch(schema, await c.req.text()),
      );
      return c.json(result, 200);
    },
  );
}
