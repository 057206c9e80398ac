/**
 * Sign-in and the session: a Sign-In with Ethereum nonce, the login that turns a signed EIP-4361 message
 * into a session token, and the logout.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { issueNonce, signIn, signOut } from "../../auth/memberAuth.ts";
import { refusals } from "../../../http/errors.ts";
import type { RouteContext } from "./context.ts";
import { BODY, SESSION, bearer, json, type GatewayApp } from "./shared.ts";

/** GET /auth/nonce, POST /auth/login, POST /auth/logout. */
export function sessionRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { db, options, limiters, limited, member, hasStanding } = ctx;

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
      await limited(limiters.signIn.take("all"), "sign-ins");
      return c.json({ nonce: await issueNonce(db, options.siwe) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      summary: "Sign in with a signed EIP-4361 message",
      description:
        "For members, grantees (partners who hold or held a grant of this co-op), and former members who still hold records (anyone else: 403 no_standing). The message names this gateway's domain, its origin as URI, the chain id and a nonce from GET /auth/nonce, and was issued in the last five minutes; the signature is the wallet's EIP-191 signature of it, low-s (EIP-2).",
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
                  .max(200)
                  .openapi({ description: "65 bytes, 0x-hex (132 characters)." }),
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
      await limited(limiters.signIn.take("all"), "sign-ins");
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
}
