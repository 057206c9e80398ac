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
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context, Env } from "hono";
import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { QUERY_COMPONENTS } from "@datacoop/protocol/queryDoc";
import { SCHEMA_DOCUMENT_COMPONENTS } from "@datacoop/protocol/datasetSchemaDoc";
import { schemaDocumentSchema } from "@datacoop/protocol/datasetSchema";
import { accessesOf } from "./accessLog.ts";
import { ERROR_CODES, GatewayError, type ErrorCode } from "@datacoop/protocol/errors";
import { authenticate, issueNonce, signIn, signOut, type SiweConfig } from "../auth/memberAuth.ts";
import { signedQuerySchema, verifyQueryRequest } from "../auth/partnerAuth.ts";
import { parseQuery, querySchema } from "@datacoop/protocol/query";
import {
  errorBody,
  errorHandler,
  limitBody,
  notFound,
  refusals,
  validationHook,
  type Refusal,
} from "../../http/errors.ts";
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
import {
  signedContributionSchema,
  useContributionNonce,
  verifyContribution,
} from "../auth/memberSignature.ts";
import { bodyBounds } from "../../http/bodyBounds.ts";
import { MAX_SIGNATURE_BYTES } from "../auth/accountSignature.ts";
import { GatewayCounters } from "../auth/standing.ts";
import { MemberAccess, OwnRecord, Served } from "./answerDoc.ts";
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
  /** Schema documents published per minute, all clients together (default 30). */
  schemaPublicationsPerMinute?: number;
  log?: (event: Record<string, unknown>) => void;
  /** Where this sub-app is mounted, for the interactive docs' link to the document (default "/gateway"). */
  mountPath?: string;
  /**
   * Checks a member's listing against the anchored log and its last verification (the operator's
   * verifier); throws a 409 `log_broken` rather than answer a list that may be missing entries.
   */
  checkAccesses?: (
    accesses: readonly { seq: number; entry: string; prevHash: string; hash: string }[],
  ) => Promise<void>;
}

// The query language and the schema-document format, described in protocol/ (queryDoc.ts,
// datasetSchemaDoc.ts), become named components of the document.
for (const [schema, refId] of [...QUERY_COMPONENTS, ...SCHEMA_DOCUMENT_COMPONENTS]) {
  if (!zodToOpenAPIRegistry.get(schema)) zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
}

const BODY: Refusal[] = ["invalid_request", "body_invalid", "body_too_deep", "body_too_large"];
const SESSION: Refusal[] = ["session_missing", "session_invalid", "rate_limited"];
const SIGNED: Refusal[] = [
  "bad_signature",
  "signature_high_s",
  "deadline_passed",
  "deadline_too_far",
  "nonce_reused",
];
/** Every decision of the policy on a query: logged, the entry in the body's details. */
const DECISIONS = (Object.keys(ERROR_CODES) as ErrorCode[]).filter(
  (code) => (ERROR_CODES[code] as { logged?: boolean }).logged,
);

const datasetParams = z.object({
  datasetId: z
    .string()
    .regex(/^[1-9]\d{0,18}$/, "a dataset id")
    .openapi({ description: "The dataset's on-chain id, a decimal integer from 1.", example: "1" }),
});
const bearer = [{ session: [] }];

function json(schema: z.ZodType, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function gatewayRoutes(options: GatewayRoutesOptions): OpenAPIHono {
  const { db, chain, keys } = options;
  const nowOf = () => (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
  const capOf = async () =>
    chain.privacyCap ? chain.privacyCap(db, nowOf()) : { ...DEFAULT_PRIVACY_CAP };
  const log = options.log ?? (() => undefined);
  // Every limit is counted in the store, so several gateway processes share it (rateLimit.ts).
  const clock = options.now ? () => Number(options.now!()) * 1000 : Date.now;
  const limiter = (name: string, limit: number) =>
    new RateLimiter({ db, name, limit, windowMs: 60_000, clock });
  const partnerLimiter = limiter("partner", options.partnerRequestsPerMinute ?? 600);
  const memberLimiter = limiter("member", options.memberRequestsPerMinute ?? 120);
  // Sign-in and schema publication are unauthenticated: one budget for everyone each.
  const signInLimiter = limiter("sign-in", options.signInsPerMinute ?? 600);
  const schemaLimiter = limiter("schema", options.schemaPublicationsPerMinute ?? 30);
  const counters = options.counters ?? new GatewayCounters({ log });
  const context: GatewayContext = { ...options, counters };
  const gateway = options.gateway ?? new Gateway(context);
  const limited = async (take: Promise<boolean>, what: string) => {
    if (!(await take)) {
      throw new GatewayError(429, "rate_limited", `Too many ${what}; try again in a minute.`);
    }
  };

  /** Members, grantees, and former members still holding records may sign in. */
  async function hasStanding(address: `0x${string}`): Promise<boolean> {
    if ((await chain.isMember(db, address)) || (await chain.isGrantee(db, address))) return true;
    return holdsRecords(address);
  }

  async function holdsRecords(address: string, datasetId?: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM gateway_contributors
       WHERE member = $1 AND live > 0 AND ($2::numeric IS NULL OR dataset_id = $2) LIMIT 1`,
      [address.toLowerCase(), datasetId ?? null],
    );
    return rows.length > 0;
  }

  const app = new OpenAPIHono<Env>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const message = z.prettifyError(result.error);
        const path = c.req.path;
        // A query that is not one is the query's fault (query_invalid), a schema document that does not
        // fit its format is unprocessable (schema_invalid); everything else is a malformed request.
        if (
          result.target === "json" &&
          path.endsWith("/query") &&
          result.error.issues.every((i) => i.path[0] === "query")
        ) {
          return c.json(errorBody("query_invalid", message), 400);
        }
        if (result.target === "json" && path.endsWith("/schema")) {
          return c.json(errorBody("schema_invalid", message), 422);
        }
        return validationHook(result, c);
      }
    },
  });

  app.onError(
    errorHandler({
      log: (event) => log({ ...event, event: "gateway_error" }),
      internalMessage: "The gateway failed to answer; nothing was served.",
    }),
  );
  app.notFound(notFound);
  app.use("*", limitBody(options.maxBodyBytes ?? 1024 * 1024));
  // Depth and numbers, before anything parses, hashes or verifies a body.
  app.use("*", bodyBounds());

  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "http",
    scheme: "bearer",
  });

  async function member(c: Context): Promise<`0x${string}`> {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    const address = await authenticate(db, token);
    await limited(memberLimiter.take(address.toLowerCase()), "requests");
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
      description:
        "Put it in the EIP-4361 message you sign for POST /auth/login; it is valid for five minutes, once. Sign-in (nonces and logins together) is limited for everyone at once.",
      responses: {
        200: json(
          z.object({
            nonce: z.string().openapi({
              description: "32 hex digits.",
              example: "9f86d081884c7d659a2feaa0c55ad015",
            }),
          }),
          "A fresh nonce",
        ),
        ...refusals("rate_limited"),
      },
    }),
    async (c) => {
      await limited(signInLimiter.take("all"), "sign-ins");
      return c.json({ nonce: await issueNonce(db, options.siwe) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with a signed EIP-4361 message",
      description:
        "For members, grantees (partners who hold or held a grant of this co-op), and former members who still hold records (anyone else: 403 no_standing). The message names this gateway's domain, its origin as URI, the chain id and a nonce from GET /auth/nonce, and was issued in the last five minutes; the signature is the wallet's EIP-191 signature of it, low-s (EIP-2), or a passkey account's signature of its EIP-191 hash (checked by the account: ERC-1271 once deployed, ERC-6492-wrapped with the factory's createAccount call before).",
      request: {
        body: {
          required: true,
          content: {
            "application/json": {
              schema: z.strictObject({
                message: z.string().max(4096).openapi({
                  description: "The EIP-4361 message, as signed.",
                  example:
                    "coop.example wants you to sign in with your Ethereum account:\n0x0000000000000000000000000000000000000001\n\nURI: https://coop.example\nVersion: 1\nChain ID: 31337\nNonce: 9f86d081884c7d659a2feaa0c55ad015\nIssued At: 2026-05-01T12:00:00.000Z",
                }),
                signature: z
                  .string()
                  .max(2 + 2 * MAX_SIGNATURE_BYTES)
                  .openapi({
                    description: `0x-hex: a wallet's 65 bytes (132 characters), or a contract account's signature of at most ${MAX_SIGNATURE_BYTES} bytes.`,
                  }),
              }),
            },
          },
        },
      },
      responses: {
        200: json(
          z.object({
            token: z.string().openapi({ description: "Send it as Authorization: Bearer <token>." }),
            address: z.string().openapi({ description: "The signed-in address (checksummed)." }),
            expiresAt: z.string().openapi({
              description: "When the session ends (ISO 8601), at most 12 hours ahead.",
            }),
          }),
          "A session",
        ),
        ...refusals(
          ...BODY,
          "rate_limited",
          "siwe_invalid",
          "siwe_domain",
          "siwe_uri",
          "siwe_chain",
          "siwe_expired",
          "siwe_nonce",
          "bad_signature",
          "signature_high_s",
          "no_standing",
        ),
      },
    }),
    async (c) => {
      await limited(signInLimiter.take("all"), "sign-ins");
      const body = c.req.valid("json");
      const session = await signIn(db, options.siwe, body, hasStanding);
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
      responses: {
        200: json(
          z.object({ ok: z.literal(true).openapi({ description: "Signed out." }) }),
          "Signed out",
        ),
        ...refusals(...SESSION),
      },
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
      await limited(schemaLimiter.take("all"), "schema publications");
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
  const storeResult = z
    .object({
      stored: z.number().int().openapi({ description: "Records new or changed by this batch." }),
      unchanged: z.number().int().openapi({ description: "Records already stored exactly so." }),
    })
    .openapi("StoreResult", { description: "What a contribution changed." });
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
      const now = (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
      // Parsing drops a "__proto__" key silently; refuse it instead of storing less than was signed.
      if (hasProtoKey(await c.req.json())) {
        throw new GatewayError(400, "batch_invalid", 'A key is "__proto__".');
      }
      const body = c.req.valid("json");
      const signed = await verifyContribution(
        body,
        BigInt(datasetId),
        options.domain,
        now,
        options.siwe.accounts,
      );
      // Membership before the rate limit: a non-member leaves nothing in the store.
      if (!(await chain.isMember(db, signed.signer))) {
        throw new GatewayError(403, "not_member", "Only members contribute records.");
      }
      await limited(memberLimiter.take(signed.signer.toLowerCase()), "requests");
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

  app.openapi(
    createRoute({
      method: "post",
      path: "/query",
      summary: "A partner's EIP-712 signed query under a grant",
      description:
        'Sign QueryRequest(uint256 grantId,uint256 datasetId,bytes32 queryHash,uint256 nonce,uint256 deadline) in the domain { name "DataCoop Gateway", version "1", chainId, verifyingContract: the DataAccessRegistry }; queryHash is keccak256 of the query\'s canonical JSON (RFC 8785).',
      request: {
        body: { required: true, content: { "application/json": { schema: signedQuerySchema } } },
      },
      responses: {
        200: json(Served, "The answer and its access-log entry"),
        ...refusals(...BODY, ...SIGNED, "no_grant", "rate_limited", ...DECISIONS),
      },
    }),
    async (c) => {
      const now = (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
      // The envelope as checked; the query as sent, since the signature is over its canonical JSON.
      const { query: sent } = await c.req.json<{ query: unknown }>();
      const request = await verifyQueryRequest(c.req.valid("json"), sent, options.domain, now);
      // Standing before the rate limit: a signer who holds no grant leaves nothing in the store.
      await gateway.requireStanding(request.signer);
      await limited(partnerLimiter.take(request.signer.toLowerCase()), "queries");
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
    query: querySchema,
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
        200: json(Served, "The answer and its access-log entry"),
        ...refusals(...BODY, ...SESSION, ...DECISIONS),
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
        ...refusals(...SESSION),
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
      responses: { 200: json(totalsSchema, "Totals"), ...refusals("invalid_request") },
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
      summary:
        "A dataset's differentially private answers and the ε they charged, across every grant",
      request: { params: datasetParams },
      responses: { 200: json(totalsSchema, "Totals"), ...refusals("invalid_request") },
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
        ...refusals("invalid_request", "not_found"),
      },
    }),
    async (c) => {
      const { grantId } = c.req.valid("param");
      const grant = await chain.grant(db, BigInt(grantId));
      const hash = grant?.scope.exactTabulations;
      if (!grant || !hash || BigInt(hash) === 0n) {
        throw new GatewayError(404, "not_found", `Grant ${grantId} declares no tabulations.`);
      }
      const document = await gateway.tabulations.get(db, hash);
      if (!document) {
        throw new GatewayError(
          404,
          "not_found",
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
        ...refusals(
          ...BODY,
          "grant_unknown",
          "dataset_unknown",
          "grant_not_exact",
          "tabulations_mismatch",
          "tabulations_invalid",
        ),
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
        ...refusals("rate_limited"),
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
          limit: z.coerce
            .number()
            .int()
            .min(1)
            .max(1000)
            .optional()
            .openapi({ description: "Accesses per page, 1 to 1,000 (default 100)." }),
          before: z.coerce
            .number()
            .int()
            .min(1)
            .max(Number.MAX_SAFE_INTEGER)
            .optional()
            .openapi({ description: "Only entries before this sequence number (the next page)." }),
        }),
      },
      responses: {
        200: json(
          z.object({ accesses: z.array(MemberAccess).openapi({ description: "Newest first." }) }),
          "Accesses",
        ),
        ...refusals("invalid_request", ...SESSION, "log_broken", "store_unavailable"),
      },
    }),
    async (c) => {
      const address = await member(c);
      const q = c.req.valid("query");
      const accesses = await accessesOf(db, keys, address, { limit: q.limit, beforeSeq: q.before });
      // Never a silently shorter list: the entries are checked against the anchored log.
      await options.checkAccesses?.(accesses);
      return c.json({ accesses }, 200);
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
