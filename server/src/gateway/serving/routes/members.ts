/**
 * Members' own queries: a query under a grant made to the co-op's members (with the session instead of a
 * signature), and every served query that included the member's data.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { querySchema } from "@datacoop/protocol/query";
import { refusals } from "../../../http/errors.ts";
import { accessesOf } from "../accessLog.ts";
import { MemberAccess, Served } from "../answerDoc.ts";
import type { RouteContext } from "./context.ts";
import { BODY, DECISIONS, SESSION, bearer, json, type GatewayApp } from "./shared.ts";

/** POST /me/query. */
export function memberQueryRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { gateway, member } = ctx;

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
}

/** GET /me/accesses ("who used my data"). */
export function memberAccessRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, keys, options, member } = ctx;

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
}
