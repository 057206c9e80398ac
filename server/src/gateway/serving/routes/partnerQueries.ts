/** Partners' queries: an EIP-712 signed query under a grant, decided by the policy and logged. */
import { createRoute } from "@hono/zod-openapi";
import { parseQuery } from "@datacoop/protocol/query";
import { refusals } from "../../../http/errors.ts";
import { signedQuerySchema, verifyQueryRequest } from "../../auth/partnerAuth.ts";
import { Served } from "../answerDoc.ts";
import { serveQuery } from "../serve.ts";
import type { RouteContext } from "./context.ts";
import { BODY, DECISIONS, SIGNED, json, type GatewayApp } from "./shared.ts";

/** POST /query. */
export function partnerQueryRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { options, gateway, nowOf, limiters, limited } = ctx;

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
      const now = nowOf();
      // The envelope as checked; the query as sent, since the signature is over its canonical JSON.
      const { query: sent } = await c.req.json<{ query: unknown }>();
      const request = await verifyQueryRequest(c.req.valid("json"), sent, options.domain, now);
      // Standing before the rate limit: a signer who holds no grant leaves nothing in the store.
      await gateway.requireStanding(request.signer);
      await limited(limiters.partner.take(request.signer.toLowerCase()), "queries");
      const query = parseQuery(request.query);
      const served = await serveQuery(gateway, request, query, now);
      return c.json(served, 200);
    },
  );
}
