/**
 * By-use revenue over HTTP, on the /proofs app: a grant's distribution, a member's share with its Merkle
 * proof (what `Revenue.claim(grantId, member, amount, proof)` takes), and the operator's command to build
 * and post a distribution now, authorised by the operator key's signature of `allocationCommand(...)`.
 *
 * A member's share is public on purpose: the claim puts the same amount on the chain, and the proof holds
 * only sibling hashes, never another member's address or amount.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { HIGH_S_MESSAGE, isHighS } from "@datacoop/protocol/signature";
import { isAddress, verifyMessage, type Address, type Hex } from "viem";
import type { Allocator } from "./revenue.ts";
import { ProofError, proofErrors } from "./routes.ts";

export interface RevenueRoutesOptions {
  allocator: Allocator;
  chainId: number;
  /** The operator's address (whose signature the command needs); undefined: no command. */
  operator?: Address;
  /** Wall clock, seconds. */
  now?: () => number;
}

/** The message the operator signs (EIP-191) to have grant `grantId`'s distribution posted now. */
export function allocationCommand(chainId: number, grantId: bigint, deadline: number): string {
  return `DataCoop operator: build and post the by-use allocation of grant ${grantId} on chain ${chainId}. Valid until ${deadline}.`;
}

const grantParam = z.object({
  grantId: z.string().regex(/^[1-9]\d{0,76}$/, "grantId must be a whole number from 1"),
});

const Allocation = z
  .object({
    grantId: z.string(),
    memberShare: z
      .string()
      .openapi({ description: "Wei for the members (the Revenue contract's)" }),
    allocated: z.string().openapi({ description: "Wei allocated: equals memberShare when used" }),
    units: z.number().int().openapi({ description: "Allowed answers × members included" }),
    logSize: z.number().int().openapi({ description: "Access-log entries counted (1..logSize)" }),
    root: z.string(),
    members: z.number().int(),
    status: z.enum(["built", "sent", "posted", "failed"]),
    txHash: z.string().nullable(),
    error: z.string().nullable(),
  })
  .openapi("Allocation");

const MemberShare = z
  .object({
    member: z.string(),
    units: z.number().int(),
    amount: z.string(),
    proof: z.array(z.string()),
    root: z.string(),
  })
  .openapi("MemberShare");

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function revenueRoutes(app: OpenAPIHono, options: RevenueRoutesOptions): void {
  const { allocator } = options;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  app.openapi(
    createRoute({
      method: "get",
      path: "/allocations/{grantId}",
      tags: ["Revenue by use"],
      summary: "A by-use grant's distribution: totals, Merkle root, posting status",
      request: { params: grantParam },
      responses: { 200: json(Allocation, "The distribution"), ...proofErrors },
    }),
    async (c) => {
      const grantId = BigInt(c.req.valid("param").grantId);
      const record = await allocator.get(grantId);
      if (!record) {
        throw new ProofError(
          404,
          "allocation_not_built",
          `Grant ${grantId} has no distribution yet.`,
        );
      }
      return c.json(record, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/allocations/{grantId}/members/{address}",
      tags: ["Revenue by use"],
      summary: "A member's share of a by-use grant and its proof, for Revenue.claim",
      request: {
        params: grantParam.extend({
          address: z.string().refine((v) => isAddress(v, { strict: false }), "an address"),
        }),
      },
      responses: { 200: json(MemberShare, "The share"), ...proofErrors },
    }),
    async (c) => {
      const { grantId, address } = c.req.valid("param");
      const share = await allocator.proofOf(BigInt(grantId), address);
      return c.json(share, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/allocations/{grantId}",
      tags: ["Revenue by use"],
      summary: "The operator's command: build and post a grant's distribution now",
      description:
        "Body: `{ deadline, signature }`, the operator key's EIP-191 signature of `DataCoop operator: build and post the by-use allocation of grant <id> on chain <chainId>. Valid until <deadline>.` (deadline in unix seconds, at most an hour ahead). Posting is once per grant, so a replayed command changes nothing.",
      request: {
        params: grantParam,
        body: {
          content: {
            "application/json": {
              schema: z
                .object({
                  deadline: z.number().int().positive(),
                  signature: z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature"),
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(Allocation, "Posted"), ...proofErrors },
    }),
    async (c) => {
      const grantId = BigInt(c.req.valid("param").grantId);
      const { deadline, signature } = c.req.valid("json");
      if (!options.operator) {
        throw new ProofError(409, "no_operator", "This gateway has no operator key.");
      }
      const t = now();
      if (deadline < t || deadline > t + 3600) {
        throw new ProofError(
          401,
          "deadline_invalid",
          "The deadline must be in the future and at most an hour ahead.",
        );
      }
      if (isHighS(signature)) throw new ProofError(401, "signature_high_s", HIGH_S_MESSAGE);
      const valid = await verifyMessage({
        address: options.operator,
        message: allocationCommand(options.chainId, grantId, deadline),
        signature: signature as Hex,
      }).catch(() => false);
      if (!valid) {
        throw new ProofError(401, "bad_signature", "The command is not signed by the operator.");
      }
      return c.json(await allocator.allocate(grantId), 200);
    },
  );
}
