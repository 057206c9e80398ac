/**
 * Privacy used: a member's own ε this period per dataset, and the public totals of differentially private
 * answers per grant and per dataset (for auditors).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { EPSILON_UNIT } from "@datacoop/protocol/privacy";
import { refusals } from "../../../http/errors.ts";
import { memberCommitment } from "../../auth/keys.ts";
import { memberPrivacy, periodStartOf, privacyTotals } from "../ledger.ts";
import type { RouteContext } from "./context.ts";
import { SESSION, bearer, datasetParams, grantParams, json, type GatewayApp } from "./shared.ts";

/** GET /me/privacy, /privacy/grants/{grantId}, /privacy/datasets/{datasetId}. */
export function privacyRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, keys, nowOf, capOf, member } = ctx;

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
}
