/**
 * The gateway's HTTP routes (an OpenAPIHono sub-app; mount it under /gateway):
 *
 *   GET  /auth/nonce                          a Sign-In with Ethereum nonce
 *   POST /auth/login                          { message, signature } → session token
 *   POST /auth/logout
 *   POST /datasets/{datasetId}/schema         the schema document matching the on-chain hash
 *   GET  /datasets/{datasetId}/schema         the schema document the gateway holds (types, bounds, labels)
 *   POST /datasets/{datasetId}/records        a member's records, JSON { records: [...] }
 *   POST /datasets/{datasetId}/records.csv    the same as CSV (text/csv)
 *   POST /datasets/{datasetId}/records/signed a member's records signed with EIP-712 (no session)
 *   GET  /datasets/{datasetId}/records        the member's own records
 *   POST /datasets/{datasetId}/records/erase  erase the member's records (all, or those named)
 *   POST /query                               a partner's EIP-712 signed query
 *   GET  /me/accesses                         every served query that included the member's data
 *   GET  /openapi.json, /docs                 the OpenAPI document and interactive docs
 *
 * Members authenticate with `Authorization: Bearer <session token>`. Every error is
 * `{ error: { code, message } }` with a 4xx status; bodies are size-limited and partners rate-limited.
 */
import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { accessesOf } from "./accessLog.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import { authenticate, issueNonce, signIn, signOut, type SiweConfig } from "../auth/memberAuth.ts";
import { verifySignedQuery } from "../auth/partnerAuth.ts";
import { parseQuery } from "@datacoop/protocol/query";
import { RateLimiter } from "../../http/rateLimit.ts";
import {
  acceptDataset,
  batchSchema,
  eraseRecords,
  hasProtoKey,
  loadDataset,
  parseCsvBatch,
  parseJsonBatch,
  recordIdSchema,
  recordsOf,
  storeRecords,
} from "../records/records.ts";
import { schemaDocumentSchema } from "@datacoop/protocol/datasetSchema";
import { serveQuery, type GatewayContext } from "./serve.ts";
import { useContributionNonce, verifySignedContribution } from "../auth/memberSignature.ts";

export interface GatewayRoutesOptions extends GatewayContext {
  siwe: SiweConfig;
  /** Largest request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Signed queries per partner per minute (default 600). */
  partnerRequestsPerMinute?: number;
  /** Contributions and erasures per member per minute (default 120). */
  memberRequestsPerMinute?: number;
  /** Sign-in nonces and attempts per minute, all clients together (default 600). */
  signInsPerMinute?: number;
  log?: (event: Record<string, unknown>) => void;
  /** Where this sub-app is mounted, for the interactive docs' link to the document (default "/gateway"). */
  mountPath?: string;
}

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
const errorResponses = Object.fromEntries(
  ([400, 401, 403, 404, 413, 415, 422, 429] as const).map((s) => [
    s,
    { description: "Refused", content: { "application/json": { schema: errorSchema } } },
  ]),
) as Record<
  400 | 401 | 403 | 404 | 413 | 415 | 422 | 429,
  { description: string; content: { "application/json": { schema: typeof errorSchema } } }
>;

const datasetParams = z.object({
  datasetId: z.string().regex(/^[1-9]\d{0,18}$/, "a dataset id"),
});
const bearer = [{ session: [] }];

function json(schema: z.ZodType, description: string) {
  return { description, content: { "application/json": { schema } } };
}

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function gatewayRoutes(options: GatewayRoutesOptions): OpenAPIHono {
  const { db, chain, keys } = options;
  const partnerLimiter = new RateLimiter(options.partnerRequestsPerMinute ?? 600, 60_000);
  const memberLimiter = new RateLimiter(options.memberRequestsPerMinute ?? 120, 60_000);
  // Sign-in is unauthenticated: one budget for everyone, so nobody can flood the nonce table.
  const signInLimiter = new RateLimiter(options.signInsPerMinute ?? 600, 60_000);
  const log = options.log ?? (() => undefined);

  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        return c.json(errorBody("request_invalid", z.prettifyError(result.error)), 400);
      }
    },
  });

  app.onError((error, c) => {
    if (error instanceof GatewayError) {
      return c.json(
        errorBody(error.code, error.message, error.details),
        error.status as ContentfulStatusCode,
      );
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 415
          ? "unsupported_media_type"
          : error.status === 413
            ? "body_too_large"
            : "request_invalid";
      return c.json(
        errorBody(code, error.message || "Bad request."),
        error.status as ContentfulStatusCode,
      );
    }
    log({
      event: "gateway_error",
      message: error instanceof Error ? error.message : String(error),
    });
    return c.json(errorBody("internal", "The gateway failed to answer; nothing was served."), 500);
  });
  app.notFound((c) => c.json(errorBody("not_found", "No such route."), 404));

  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  app.use(
    "*",
    bodyLimit({
      maxSize: maxBody,
      onError: (c) =>
        c.json(errorBody("body_too_large", `Bodies are at most ${maxBody} bytes.`), 413),
    }),
  );

  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "http",
    scheme: "bearer",
  });

  async function member(c: Context): Promise<`0x${string}`> {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    const address = await authenticate(db, token);
    if (!memberLimiter.take(address.toLowerCase())) {
      throw new GatewayError(429, "rate_limited", "Too many requests; try again in a minute.");
    }
    return address;
  }

  async function dataset(id: string) {
    const schema = await loadDataset(db, BigInt(id));
    if (!schema)
      throw new GatewayError(
        404,
        "dataset_unknown",
        `The gateway has no schema for dataset ${id}.`,
      );
    return schema;
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/auth/nonce",
      summary: "A single-use nonce for Sign-In with Ethereum",
      responses: { 200: json(z.object({ nonce: z.string() }), "A fresh nonce"), ...errorResponses },
    }),
    async (c) => {
      if (!signInLimiter.take("nonce")) {
        throw new GatewayError(429, "rate_limited", "Too many sign-ins; try again in a minute.");
      }
      return c.json({ nonce: await issueNonce(db, options.siwe) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with a signed EIP-4361 message",
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                message: z.string().max(4096),
                signature: z.string().max(200),
              }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({ token: z.string(), address: z.string(), expiresAt: z.string() }),
          "A session",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      if (!signInLimiter.take("login")) {
        throw new GatewayError(429, "rate_limited", "Too many sign-ins; try again in a minute.");
      }
      const body = c.req.valid("json");
      const session = await signIn(db, options.siwe, body);
      return c.json(
        {
          token: session.token,
          address: session.address,
          expiresAt: session.expiresAt.toISOString(),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      summary: "End the session",
      security: bearer,
      responses: { 200: json(z.object({ ok: z.boolean() }), "Signed out"), ...errorResponses },
    }),
    async (c) => {
      await member(c);
      await signOut(db, c.req.header("authorization")!.slice(7).trim());
      return c.json({ ok: true }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/datasets/{datasetId}/schema",
      summary: "Publish a dataset's schema document (checked against its on-chain hash and fields)",
      request: {
        params: datasetParams,
        body: {
          required: true,
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
        },
      },
      responses: {
        200: json(z.object({ datasetId: z.string(), schemaHash: z.string() }), "Accepted"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
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
        ...errorResponses,
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
      const document =
        typeof rows[0].document === "string" ? JSON.parse(rows[0].document) : rows[0].document;
      c.header("cache-control", "public, max-age=60");
      return c.json({ datasetId, schemaHash: rows[0].schema_hash, document }, 200);
    },
  );

  async function contribute(
    c: Context,
    datasetId: string,
    parse: (
      schema: Awaited<ReturnType<typeof dataset>>,
    ) => Promise<ReturnType<typeof parseJsonBatch>>,
  ) {
    const address = await member(c);
    if (!(await chain.isMember(db, address))) {
      throw new GatewayError(403, "not_member", "Only members contribute records.");
    }
    const schema = await dataset(datasetId);
    const records = await parse(schema);
    return storeRecords(db, schema, address, records);
  }

  const storeResult = z.object({ stored: z.number(), unchanged: z.number() });
  // The document's shape; the handler parses the body itself (signedContributionSchema).
  const signedContributionDoc = z.strictObject({
    signer: z.string(),
    records: batchSchema.shape.records,
    nonce: z.union([z.string(), z.number()]),
    deadline: z.union([z.string(), z.number()]),
    signature: z.string(),
  });

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
          content: { "application/json": { schema: signedContributionDoc } },
        },
      },
      responses: { 200: json(storeResult, "Stored"), ...errorResponses },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      const now = (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
      const body = await c.req.json();
      // Parsing drops a "__proto__" key silently; refuse it instead of storing less than was signed.
      if (hasProtoKey(body)) throw new GatewayError(400, "batch_invalid", 'A key is "__proto__".');
      const signed = await verifySignedContribution(body, BigInt(datasetId), options.domain, now);
      if (!memberLimiter.take(signed.signer.toLowerCase())) {
        throw new GatewayError(429, "rate_limited", "Too many requests; try again in a minute.");
      }
      if (!(await chain.isMember(db, signed.signer))) {
        throw new GatewayError(403, "not_member", "Only members contribute records.");
      }
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
      responses: { 200: json(storeResult, "Stored"), ...errorResponses },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      const result = await contribute(c, datasetId, async () => parseJsonBatch(await c.req.json()));
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
        body: { required: true, content: { "text/csv": { schema: z.string() } } },
      },
      responses: { 200: json(storeResult, "Stored"), ...errorResponses },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      if (!(c.req.header("content-type") ?? "").startsWith("text/csv")) {
        throw new GatewayError(415, "unsupported_media_type", "Send text/csv.");
      }
      const result = await contribute(c, datasetId, async (schema) =>
        parseCsvBatch(schema, await c.req.text()),
      );
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/datasets/{datasetId}/records",
      summary: "The signed-in member's own records",
      security: bearer,
      request: {
        params: datasetParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          after: recordIdSchema.optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            records: z.array(
              z.object({
                recordId: z.string(),
                values: z.record(z.string(), z.unknown()),
                contributedAt: z.string(),
              }),
            ),
          }),
          "Records",
        ),
        ...errorResponses,
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
                recordIds: z.array(recordIdSchema).min(1).max(1000).optional(),
              }),
            },
          },
        },
      },
      responses: { 200: json(z.object({ erased: z.number() }), "Erased"), ...errorResponses },
    }),
    async (c) => {
      const address = await member(c);
      const { datasetId } = c.req.valid("param");
      const { recordIds } = c.req.valid("json");
      await dataset(datasetId);
      return c.json(
        { erased: await eraseRecords(db, keys, BigInt(datasetId), address, recordIds) },
        200,
      );
    },
  );

  const signedQueryDoc = z.strictObject({
    signer: z.string(),
    grantId: z.union([z.string(), z.number()]),
    datasetId: z.union([z.string(), z.number()]),
    query: z.record(z.string(), z.unknown()),
    nonce: z.union([z.string(), z.number()]),
    deadline: z.union([z.string(), z.number()]),
    signature: z.string(),
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/query",
      summary: "A partner's EIP-712 signed query under a grant",
      description:
        'Sign QueryRequest(uint256 grantId,uint256 datasetId,bytes32 queryHash,uint256 nonce,uint256 deadline) in the domain { name "DataCoop Gateway", version "1", chainId, verifyingContract: the DataAccessRegistry }; queryHash is keccak256 of the query\'s canonical JSON (RFC 8785).',
      request: {
        body: { required: true, content: { "application/json": { schema: signedQueryDoc } } },
      },
      responses: {
        200: json(
          z.object({ answer: z.unknown(), log: z.object({ seq: z.number(), hash: z.string() }) }),
          "The answer and its access-log entry",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const now = (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
      const request = await verifySignedQuery(c.req.valid("json"), options.domain, now);
      if (!partnerLimiter.take(request.signer.toLowerCase())) {
        throw new GatewayError(429, "rate_limited", "Too many queries; try again in a minute.");
      }
      const query = parseQuery(request.query);
      const served = await serveQuery(options, request, query, now);
      return c.json(served, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/me/accesses",
      summary: "Every served query that included the signed-in member's data, newest first",
      security: bearer,
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(1000).optional(),
          before: z.coerce.number().int().min(1).optional(),
        }),
      },
      responses: {
        200: json(
          z.object({
            accesses: z.array(
              z.object({
                seq: z.number(),
                at: z.string(),
                partner: z.string(),
                grantId: z.string(),
                datasetId: z.string(),
                purpose: z.number().nullable(),
                fields: z.array(z.string()),
                shape: z.string().nullable(),
                hash: z.string(),
              }),
            ),
          }),
          "Accesses",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const address = await member(c);
      const q = c.req.valid("query");
      return c.json(
        { accesses: await accessesOf(db, keys, address, { limit: q.limit, beforeSeq: q.before }) },
        200,
      );
    },
  );

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "DataCoop gateway",
      version: "1",
      description: "Members' records and partners' signed queries.",
    },
  });

  app.get("/docs", swaggerUI({ url: `${options.mountPath ?? "/gateway"}/openapi.json` }));

  return app;
}
