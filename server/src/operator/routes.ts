/**
 * The access log's proofs over HTTP (an OpenAPIHono sub-app; mounted under /proofs):
 *
 *   GET /anchors                          anchored roots in batch order, with transaction and block
 *   GET /entries/{seq}                    an entry's text and hashes
 *   GET /entries/{seq}/inclusion?batch=   its inclusion proof under a batch (default: the latest)
 *   GET /consistency?from=&to=            the consistency proof between two batches (from 0: the empty tree)
 *   GET /allocations/{grantId}            a by-use grant's revenue distribution (totals, root, status)
 *   GET /allocations/{grantId}/members/{address}   a member's share and Merkle proof, to claim with
 *   POST /allocations/{grantId}           the operator's command: build and post the distribution now
 *
 * Anchors come from the indexed `Anchored` events (rolled back with a reorg like every chain table); proofs
 * from the in-memory tree of the log. Everything here can be checked against the chain with verify.ts.
 * Errors are `{ error: { code, message } }`.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { CoopError, type ErrorCode } from "@datacoop/protocol/errors";
import type { Hex } from "viem";
import { errorHandler, notFound, refusals, validationHook } from "../http/errors.ts";
import { bodyBounds } from "../http/bodyBounds.ts";
import type { Db } from "../store/db.ts";
import { LogTreeError, type LogTree } from "./logTree.ts";
import { EMPTY_ROOT } from "@datacoop/protocol/accessLog/verify";
import { publicEntrySchema } from "@datacoop/protocol/accessLog/entry";

/** The proof routes' errors: a code from the one list (@datacoop/protocol/errors) and a message. */
export class ProofError<C extends ErrorCode = ErrorCode> extends CoopError<C> {
  override name = "ProofError";
}

export interface ProofRoutesOptions {
  db: Db;
  tree: LogTree;
  /** Extra routes (by-use revenue) mounted on the same app. */
  extend?: (app: OpenAPIHono) => void;
}

/** What the proof and revenue routes refuse with. */
export const proofErrors = refusals(
  "invalid_request",
  "body_invalid",
  "body_too_deep",
  "not_found",
  "invalid_range",
  "not_anchored",
  "batch_not_found",
  "entry_not_found",
  "log_shorter_than_anchor",
  "log_broken",
  "grant_unknown",
  "not_by_use",
  "allocation_not_built",
  "allocation_differs",
  "no_share",
  "no_operator",
  "bad_signature",
  "signature_high_s",
  "deadline_invalid",
);

const hash = z.string().openapi({ example: `0x${"ab".repeat(32)}` });
const positive = (name: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,14}$/, `${name} must be a whole number from 1`)
    .transform(Number);

const AnchorOut = z
  .object({
    batch: z.number().int(),
    root: hash,
    size: z.number().int(),
    previousRoot: hash,
    anchoredAt: z.string().openapi({ description: "Block time, unix seconds" }),
    blockNumber: z.string(),
    txHash: hash,
  })
  .openapi("AnchoredRoot");

const EntryOut = z
  .object({
    seq: z.number().int(),
    index: z.number().int().openapi({ description: "Leaf index: seq − 1" }),
    entry: z.string().openapi({
      description:
        "The entry's canonical JSON (RFC 8785), as hashed: a PublicEntry (format 2, components/schemas/PublicEntry). It names partner, grant, dataset, purpose, decision, the query's hash and fields, and seals everything about the answer (no member count, row or group count, or refusal decided on the data is public).",
      example:
        '{"at":"2026-05-01T12:00:00.000Z","body":{"datasetId":"1","decision":"allow","fields":["region","yield_kg"],"finalizedBlock":"118","grantId":"7","kind":"query","latestBlock":"120","partner":"0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc","purpose":0,"queryHash":"0x5c1e0b6f1f0d4b8e3a1f9b2d7c6e5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f","reason":"allowed","shape":"aggregate"},"seal":"9b2e61f4c3a8d7e6b5a4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2","seq":12,"v":2}',
    }),
    prevHash: hash,
    hash: hash.openapi({ description: "SHA-256(prevHash without 0x ‖ entry): the leaf input" }),
    leafHash: hash.openapi({ description: "SHA-256(0x00 ‖ hash)" }),
  })
  .openapi("LogEntry");

const InclusionOut = EntryOut.extend({
  batch: z.number().int(),
  root: hash,
  size: z.number().int(),
  proof: z.array(hash).openapi({ description: "RFC 6962 audit path, from the leaf's sibling up" }),
}).openapi("InclusionProof");

const TreeHead = z.object({ batch: z.number().int(), size: z.number().int(), root: hash });

const ConsistencyOut = z
  .object({
    from: TreeHead,
    to: TreeHead,
    proof: z.array(hash).openapi({ description: "RFC 6962 PROOF(from.size, D[to.size])" }),
  })
  .openapi("ConsistencyProof");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

interface AnchorRow {
  batch: number;
  root: Hex;
  size: number;
  previousRoot: Hex;
  anchoredAt: string;
  blockNumber: string;
  txHash: Hex;
}

const ANCHOR = `SELECT batch_index::int AS batch, root, size::float8 AS size, previous_root AS "previousRoot",
  anchored_at::text AS "anchoredAt", block_number::text AS "blockNumber", tx_hash AS "txHash"
  FROM access_log_anchors`;

export function proofRoutes(options: ProofRoutesOptions): OpenAPIHono {
  const { db, tree } = options;
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  app.onError(
    errorHandler({
      // A stored log that no longer hashes into its chain: nothing can be proved from it.
      translate: (error) =>
        error instanceof LogTreeError
          ? new ProofError(409, "log_broken", error.message)
          : undefined,
    }),
  );
  app.notFound(notFound);
  // Bodies (the operator's command) bounded before they are parsed or their signature checked.
  app.use("*", bodyBounds());

  async function anchorOf(batch: number | undefined): Promise<AnchorRow> {
    const { rows } = await db.query<AnchorRow>(
      batch === undefined
        ? `${ANCHOR} ORDER BY batch_index DESC LIMIT 1`
        : `${ANCHOR} WHERE batch_index = $1`,
      batch === undefined ? [] : [batch],
    );
    if (!rows[0]) {
      throw batch === undefined
        ? new ProofError(409, "not_anchored", "Nothing is anchored yet.")
        : new ProofError(404, "batch_not_found", `No batch ${batch} is anchored.`);
    }
    return rows[0];
  }

  /** The tree, brought up to `size` entries from the log table. */
  async function treeOf(size: number): Promise<LogTree> {
    if (tree.size < size) await tree.sync(db);
    if (tree.size < size) {
      throw new ProofError(
        409,
        "log_shorter_than_anchor",
        `The anchor covers ${size} entries but the access log holds ${tree.size}.`,
      );
    }
    return tree;
  }

  async function entryOf(seq: number) {
    const { rows } = await db.query<{ entry: string; prev_hash: string; hash: string }>(
      "SELECT entry, prev_hash, hash FROM gateway_access_log WHERE seq = $1",
      [seq],
    );
    if (!rows[0]) throw new ProofError(404, "entry_not_found", `No access-log entry ${seq}.`);
    const t = await treeOf(seq);
    return {
      seq,
      index: seq - 1,
      entry: rows[0].entry,
      prevHash: `0x${rows[0].prev_hash}`,
      hash: `0x${rows[0].hash}`,
      leafHash: t.log.leafHash(seq - 1),
    };
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/anchors",
      tags: ["Proofs"],
      summary: "Anchored roots of the access log in batch order, with transaction and block",
      request: {
        query: z
          .object({
            from: positive("from").optional().openapi({ description: "First batch (default 1)" }),
            limit: z.coerce.number().int().min(1).max(1000).optional(),
          })
          .strict(),
      },
      responses: {
        200: json(z.object({ anchors: z.array(AnchorOut) }), "Anchors"),
        ...proofErrors,
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const { rows } = await db.query<AnchorRow>(
        `${ANCHOR} WHERE batch_index >= $1 ORDER BY batch_index LIMIT $2`,
        [q.from ?? 1, q.limit ?? 100],
      );
      return c.json({ anchors: rows }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/entries/{seq}",
      tags: ["Proofs"],
      summary: "One access-log entry: its text (canonical JSON) and hashes",
      request: { params: z.object({ seq: positive("seq") }) },
      responses: { 200: json(EntryOut, "The entry"), ...proofErrors },
    }),
    async (c) => c.json(await entryOf(c.req.valid("param").seq), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/entries/{seq}/inclusion",
      tags: ["Proofs"],
      summary: "An entry's inclusion proof under an anchored batch (default: the latest)",
      description:
        "Check it with `verifyServedInclusion(answer, anchorsFromChain)` (protocol/src/accessLog/verify.ts). 409 `not_anchored` while no batch covers the entry.",
      request: {
        params: z.object({ seq: positive("seq") }),
        query: z.object({ batch: positive("batch").optional() }).strict(),
      },
      responses: { 200: json(InclusionOut, "The entry and its proof"), ...proofErrors },
    }),
    async (c) => {
      const { seq } = c.req.valid("param");
      const anchor = await anchorOf(c.req.valid("query").batch);
      if (anchor.size < seq) {
        throw new ProofError(
          409,
          "not_anchored",
          `Batch ${anchor.batch} covers entries 1 to ${anchor.size}, not ${seq}.`,
        );
      }
      const entry = await entryOf(seq);
      const t = await treeOf(anchor.size);
      return c.json(
        {
          ...entry,
          batch: anchor.batch,
          root: anchor.root,
          size: anchor.size,
          proof: t.log.inclusionProof(seq - 1, anchor.size),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/consistency",
      tags: ["Proofs"],
      summary: "The consistency proof from one anchored batch to a later one",
      description:
        "`from=0` is the empty tree. Check with `verifyConsistency` or, for every batch in turn, `verifyAnchorChain`.",
      request: {
        query: z
          .object({
            from: z
              .string()
              .regex(/^\d{1,15}$/, "from must be a whole number")
              .transform(Number),
            to: positive("to").optional().openapi({ description: "Default: the latest batch" }),
          })
          .strict(),
      },
      responses: { 200: json(ConsistencyOut, "The proof"), ...proofErrors },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const to = await anchorOf(q.to);
      if (q.from > to.batch) {
        throw new ProofError(
          400,
          "invalid_range",
          `from (${q.from}) must not be after to (${to.batch}).`,
        );
      }
      const from = q.from === 0 ? { batch: 0, size: 0, root: EMPTY_ROOT } : await anchorOf(q.from);
      const t = await treeOf(to.size);
      return c.json(
        {
          from: { batch: from.batch, size: from.size, root: from.root },
          to: { batch: to.batch, size: to.size, root: to.root },
          proof: t.log.consistencyProof(from.size, to.size),
        },
        200,
      );
    },
  );

  options.extend?.(app);

  // The format of the entries' text (their `entry` string), for clients that parse it.
  const { $schema: _, ...entryFormat } = z.toJSONSchema(publicEntrySchema, { io: "input" });
  app.openAPIRegistry.registerComponent("schemas", "PublicEntry", entryFormat as never);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "DataCoop access-log proofs",
      version: "1",
      description:
        "Anchored roots, inclusion and consistency proofs (RFC 6962), and by-use revenue distributions.",
    },
  });
  return app;
}
