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
 *
 * The routes are registered by group, one module each under routes/ (in this order, which is the order
 * of the OpenAPI document's paths): sign-in and the session (auth.ts), schema documents (schemas.ts),
 * contributions (contributions.ts), the member's own records (ownRecords.ts), erasure (erasure.ts),
 * partners' signed queries (partnerQueries.ts), members' queries (members.ts), privacy used (privacy.ts),
 * the exact mode's tabulations (tabulations.ts), "who used my data" (members.ts), and the document itself
 * (openapi.ts). What the groups share (the gateway, the options, the limiters, the signed-in member) is
 * the RouteContext of routes/context.ts.
 */
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Env } from "hono";
import { bodyBounds } from "../../http/bodyBounds.ts";
import { errorBody, errorHandler, limitBody, notFound, validationHook } from "../../http/errors.ts";
import { sessionRoutes } from "./routes/auth.ts";
import { contributionRoutes } from "./routes/contributions.ts";
import { routeContext, type GatewayRoutesOptions, type RouteContext } from "./routes/context.ts";
import { erasureRoutes } from "./routes/erasure.ts";
import { memberAccessRoutes, memberQueryRoutes } from "./routes/members.ts";
import { openapiRoutes } from "./routes/openapi.ts";
import { ownRecordRoutes } from "./routes/ownRecords.ts";
import { partnerQueryRoutes } from "./routes/partnerQueries.ts";
import { privacyRoutes } from "./routes/privacy.ts";
import { schemaRoutes } from "./routes/schemas.ts";
import type { GatewayApp } from "./routes/shared.ts";
import { tabulationRoutes } from "./routes/tabulations.ts";

export type { GatewayRoutesOptions } from "./routes/context.ts";

/** The route groups, in registration order. */
const GROUPS: readonly ((app: GatewayApp, ctx: RouteContext) => void)[] = [
  sessionRoutes,
  schemaRoutes,
  contributionRoutes,
  ownRecordRoutes,
  erasureRoutes,
  partnerQueryRoutes,
  memberQueryRoutes,
  privacyRoutes,
  tabulationRoutes,
  memberAccessRoutes,
  openapiRoutes,
];

export function gatewayRoutes(options: GatewayRoutesOptions): OpenAPIHono {
  const ctx = routeContext(options);
  const app = gatewayApp(ctx);
  for (const group of GROUPS) group(app, ctx);
  return app;
}

/** The sub-app before any route: validation errors, error bodies, body limits, the session scheme. */
function gatewayApp({ options, log }: RouteContext): GatewayApp {
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
  return app;
}
