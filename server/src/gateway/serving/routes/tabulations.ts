/**
 * The exact mode: a grant's declared tabulations (read and published, checked against the grant's term),
 * and what the exact mode cannot protect, for members.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { GatewayError } from "@datacoop/protocol/errors";
import { EXACT_MODE_RISKS } from "@datacoop/protocol/exactMode";
import { EPSILON } from "@datacoop/protocol/privacy";
import { tabulationsDocumentSchema } from "@datacoop/protocol/tabulations";
import { refusals } from "../../../http/errors.ts";
import { loadDataset } from "../../records/records.ts";
import { acceptTabulations } from "../tabulationsStore.ts";
import type { RouteContext } from "./context.ts";
import { BODY, grantParams, json, type GatewayApp } from "./shared.ts";

/** GET and POST /grants/{grantId}/tabulations, GET /exact-mode. */
export function tabulationRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, chain, gateway } = ctx;

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
}
