/**
 * The gateway's HTTP routes (an OpenAPIHono sub-app; mount it under /gateway):
 *
 *   GET  /auth/nonce                          a Sign-In with Ethereum nonce
 *   POST /auth/login                          { message, signature } → session token
 *   POST /auth/logout
 *   POST /datasets/{datasetId}/schema         the schema document matching the on-chain hash
 *   POST /datasets/{datasetId}/records        a member's records, JSON { records: [...] }
 *   POST /datasets/{datasetId}/records.csv    the same as CSV (text/csv)
 *   POST /datasets/{datasetId}/records/signed a member's records signed with EIP-712 (no session)
 *   GET  /datasets/{datasetId}/records        the member's own records
 *   POST /datasets/{datasetId}/records/erase  erase the member's records (all, or those named)
 *   POST /query                               a partner's EIP-712 signed query
 *   POST /me/query                            a member's query under a grant to the co-op's members
 *   GET  /me/accesses                         every served query that included the member's data
 *   GET  /me/privacy                          the member's privacy used, per dataset, this period
 *   GET  /privacy/grants/{grantId}            a grant's differentially private answers and ε (public)
 *   GET  /privacy/datasets/{datasetId}        a dataset's, across every grant (public)
 *   GET  /grants/{grantId}/tabulations        an exact-mode grant's declared tabulations (public)
 *   POST /grants/{grantId}/tabulations        publish them (checked against the grant's term)
 *   GET  /exact-mode                          what the exact mode cannot protect, for members
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
import { Gateway, serveQuery, type GatewayContext } from "./serve.ts";
import { useContributionNonce, verifySignedContribution } from "../auth/memberSignature.ts";
import { memberCommitment } from "../auth/keys.ts";
import { memberPrivacy, periodStartOf, privacyTotals } from "./ledger.ts";
import { acceptTabulations } from "./tabulationsStore.ts";
import { DEFAULT_PRIVACY_CAP, EPSILON, EPSILON_UNIT } from "@datacoop/protocol/privacy";
import { EXACT_MODE_RISKS } from "@datacoop/protocol/exactMode";
import { tabulationsDocumentSchema } from "@datacoop/protocol/tabulations";

export interface GatewayRoutesOptions extends GatewayContext {
  /** The gateway these routes serve (default: a new one over the context). */
  gateway?: Gateway;
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
  const gateway = options.gateway ?? new Gateway(options);
  const nowOf = () => (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
  const capOf = async () =>
    chain.privacyCap ? chain.privacyCap(db) : { ...DEFAULT_PRIVACY_CAP };
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
      const served = await serveQuery(gateway, request, query, now);
      return c.json(served, 200);
    },
  );

  const grantParams = z.object({
    grantId: z.string().regex(/^(0|[1-9]\d{0,77})$/, "a grant id"),
  });
  const memberQueryDoc = z.strictObject({
    grantId: z.string().regex(/^(0|[1-9]\d{0,77})$/, "a grant id"),
    datasetId: z.string().regex(/^[1-9]\d{0,18}$/, "a dataset id"),
    query: z.record(z.string(), z.unknown()),
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/me/query",
      summary: "A signed-in member's query under a grant made to the co-op's members",
      description:
        "Members query grants made to the co-op's members (benchmarking) with their session instead of a signature: the same policy, consent and differential privacy as any grant, and the same answer. A grant made to a partner is refused (partners sign each query at /query).",
      security: bearer,
      request: {
        body: { required: true, content: { "application/json": { schema: memberQueryDoc } } },
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
      const address = await member(c);
      const body = c.req.valid("json");
      const served = await gateway.serveSession(address, {
        grantId: BigInt(body.grantId),
        datasetId: BigInt(body.datasetId),
        query: body.query,
      });
      return c.json(served, 200);
    },
  );

  const periodSchema = z.object({
    start: z.string().describe("ISO 8601"),
    end: z.string().describe("ISO 8601, exclusive"),
  });
  const iso = (seconds: bigint | string) => new Date(Number(seconds) * 1000).toISOString();
  const epsilonOf = (millionths: string | bigint) => Number(millionths) / EPSILON_UNIT;

  app.openapi(
    createRoute({
      method: "get",
      path: "/me/privacy",
      summary: "The signed-in member's privacy used this period, per dataset",
      description:
        "Per dataset: how many answers included the member's data (every kind), how many differentially private answers charged them, and the privacy loss (ε) charged this period against the co-op's cap. A member whose next charge would pass the cap is left out of answers until the period renews.",
      security: bearer,
      responses: {
        200: json(
          z.object({
            cap: z.object({ epsilon: z.number(), period: periodSchema }),
            datasets: z.array(
              z.object({
                datasetId: z.string(),
                answers: z.number(),
                privateAnswers: z.number(),
                periodPrivateAnswers: z.number(),
                epsilonUsed: z.number(),
                epsilonCap: z.number(),
                usedMillionths: z.string(),
                capMillionths: z.string(),
              }),
            ),
          }),
          "The member's figures",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const address = await member(c);
      const cap = await capOf();
      const now = nowOf();
      const rows = await memberPrivacy(db, memberCommitment(keys, address), cap, now);
      const start = periodStartOf(cap, now);
      return c.json(
        {
          cap: {
            epsilon: epsilonOf(cap.epsilonMillionths),
            period: { start: iso(start), end: iso(start + cap.periodSeconds) },
          },
          datasets: rows.map((r) => ({
            datasetId: r.datasetId,
            answers: r.answers,
            privateAnswers: r.privateAnswers,
            periodPrivateAnswers: r.periodPrivateAnswers,
            epsilonUsed: epsilonOf(r.usedMillionths),
            epsilonCap: epsilonOf(r.capMillionths),
            usedMillionths: r.usedMillionths,
            capMillionths: r.capMillionths,
          })),
        },
        200,
      );
    },
  );

  const totalsSchema = z.object({
    answers: z.number(),
    epsilon: z.number(),
    periodAnswers: z.number(),
    periodEpsilon: z.number(),
    period: periodSchema,
    cap: z.object({ epsilon: z.number() }),
  });
  async function totals(by: { grantId: bigint } | { datasetId: bigint }) {
    const cap = await capOf();
    const start = periodStartOf(cap, nowOf());
    const t = await privacyTotals(db, by, start);
    return {
      answers: t.answers,
      epsilon: epsilonOf(t.epsilonMillionths),
      periodAnswers: t.periodAnswers,
      periodEpsilon: epsilonOf(t.periodEpsilonMillionths),
      period: { start: iso(start), end: iso(start + cap.periodSeconds) },
      cap: { epsilon: epsilonOf(cap.epsilonMillionths) },
    };
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/privacy/grants/{grantId}",
      summary: "A grant's differentially private answers and the ε they charged (for auditors)",
      description:
        "Totals over every differentially private answer under the grant, ever and in the current period: how many, and the sum of the ε each charged to its members. No per-member figure.",
      request: { params: grantParams },
      responses: { 200: json(totalsSchema, "Totals"), ...errorResponses },
    }),
    async (c) => {
      const { grantId } = c.req.valid("param");
      return c.json({ grantId, ...(await totals({ grantId: BigInt(grantId) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/privacy/datasets/{datasetId}",
      summary: "A dataset's differentially private answers and the ε they charged, across every grant",
      request: { params: datasetParams },
      responses: { 200: json(totalsSchema, "Totals"), ...errorResponses },
    }),
    async (c) => {
      const { datasetId } = c.req.valid("param");
      return c.json({ datasetId, ...(await totals({ datasetId: BigInt(datasetId) })) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/grants/{grantId}/tabulations",
      summary: "The declared tabulations of a grant in the exact mode",
      request: { params: grantParams },
      responses: {
        200: json(
          z.object({ grantId: z.string(), hash: z.string(), document: tabulationsDocumentSchema }),
          "The document",
        ),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { grantId } = c.req.valid("param");
      const grant = await chain.grant(db, BigInt(grantId));
      const hash = grant?.scope.exactTabulations;
      if (!grant || !hash || BigInt(hash) === 0n) {
        throw new GatewayError(404, "tabulations_unknown", `Grant ${grantId} declares no tabulations.`);
      }
      const document = await gateway.tabulations.get(db, hash);
      if (!document) {
        throw new GatewayError(
          404,
          "tabulations_unknown",
          `The gateway holds no document for grant ${grantId}'s tabulations yet.`,
        );
      }
      return c.json({ grantId, hash, document }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/grants/{grantId}/tabulations",
      summary: "Publish the declared tabulations of a grant in the exact mode",
      description:
        "Accepted only if keccak256 of the document's canonical JSON (RFC 8785) is the grant's exactTabulations term and every tabulation fits the dataset's schema. Anyone may publish it; publishing it again changes nothing.",
      request: {
        params: grantParams,
        body: {
          required: true,
          content: { "application/json": { schema: tabulationsDocumentSchema } },
        },
      },
      responses: {
        200: json(z.object({ grantId: z.string(), hash: z.string() }), "Accepted"),
        409: json(errorSchema, "Not this grant's document, or the grant is not in the exact mode"),
        ...errorResponses,
      },
    }),
    async (c) => {
      const { grantId } = c.req.valid("param");
      const grant = await chain.grant(db, BigInt(grantId));
      const schema = grant ? await loadDataset(db, grant.datasetId) : null;
      const hash = await acceptTabulations(db, grant, schema, c.req.valid("json"));
      return c.json({ grantId, hash }, 200);
    },
  );

  const textSchema = z.object({
    title: z.string(),
    protects: z.string(),
    risks: z.array(z.string()),
  });
  app.openapi(
    createRoute({
      method: "get",
      path: "/exact-mode",
      summary: "What the exact mode cannot protect, in the dApp's languages ({k}: the grant's k)",
      responses: {
        200: json(
          z.object({
            defaultMode: z.literal("private"),
            epsilon: z.object({ min: z.number(), max: z.number(), default: z.number() }),
            texts: z.record(z.string(), textSchema),
          }),
          "The texts",
        ),
        ...errorResponses,
      },
    }),
    (c) =>
      c.json(
        {
          defaultMode: "private" as const,
          epsilon: { min: EPSILON.min, max: EPSILON.max, default: EPSILON.default },
          texts: EXACT_MODE_RISKS as unknown as Record<string, z.infer<typeof textSchema>>,
        },
        200,
      ),
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
