/**
 * The relayer's HTTP routes (an OpenAPIHono sub-app; mount it under /relayer):
 *
 *   GET  /                 the relayer's public state: address, balance, budget left, limits, EIP-712 domains
 *   POST /votes            a member's signed ballot                       → 202 { id, status, statusUrl }
 *   POST /consents         a member's signed standing consent (purpose mask) → 202
 *   POST /grant-choices    a member's signed choice for one grant (opt in, opt out, default) → 202
 *   POST /proposals        a member's signed proposal (proposeBySig; the member is its proposer) → 202
 *   POST /claims           a member's shares of fees, collected for them (claim, claimMany; paid to the member) → 202
 *   GET  /relays/{id}      a relay's status: pending, mined (transaction, block) or failed (decoded error)
 *
 * Integers of 64 bits and more are decimal strings. Every refusal is `{ error: { code, message, details? } }`
 * with a 4xx status (503 when the relayer itself cannot pay), and nothing was sent.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { Env } from "hono";
import { getAddress, isAddress, type Hex } from "viem";
import { z } from "zod";
import { bodyBounds } from "../http/bodyBounds.ts";
import { ProcessRateLimiter } from "../http/rateLimit.ts";
import {
  errorBody,
  errorHandler,
  limitBody,
  notFound,
  refusals,
  validationHook,
} from "../http/errors.ts";
import { RelayerError } from "./errors.ts";
import type { Relayer } from "./relayer.ts";
import type { RelayRequest } from "@datacoop/protocol/typedData";

export interface RelayerRoutesOptions {
  relayer: Pick<Relayer, "submit" | "relay" | "state">;
  /** Largest request body in bytes (default 16 KiB). */
  maxBodyBytes?: number;
  /** Relay requests per minute from all clients together, before any check (default 1,200). */
  requestsPerMinute?: number;
  /** Where this sub-app is mounted, for the status URLs it returns (default "/relayer"). */
  mountPath?: string;
  log?: (event: Record<string, unknown>) => void;
}

/** What the relayer refuses with; nothing was sent. */
const relayerRefusals = refusals(
  "invalid_request",
  "body_invalid",
  "body_too_deep",
  "body_too_large",
  "not_found",
  "bad_signature",
  "signature_high_s",
  ["deadline_passed", 422],
  "not_member",
  "rate_limited",
  "busy",
  ["budget_exhausted", 402],
  "already_relayed",
  "signature_outdated",
  "nonce_not_current",
  "nothing_to_claim",
  "would_revert",
  "too_expensive",
  "relayer_underfunded",
  "chain_unavailable",
);

const uint256 = z
  .union([
    z.string().regex(/^(0|[1-9]\d{0,77})$/, "a decimal integer"),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ])
  .refine((v) => BigInt(v) < 1n << 256n, "above uint256")
  .openapi({ type: "string", example: "42" });
const address = z
  .string()
  .refine((v) => isAddress(v, { strict: false }), "not an address")
  .openapi({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });
// 65-byte ECDSA signatures, or longer ERC-1271 ones for smart accounts.
const signature = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2}){64,2048}$/, "a hex signature")
  .openapi({ example: "0x…" });

const voteBody = z
  .strictObject({
    voter: address,
    proposalId: uint256,
    support: z.number().int().min(0).max(2).openapi({ description: "0 Against, 1 For, 2 Abstain" }),
    nonce: uint256.openapi({
      description:
        "Always 0: the governor uses no nonces (one vote per member per proposal refuses a replay)",
    }),
    reason: z.string().max(1000).optional().openapi({
      description: "When given, the ExtendedBallot with this reason and params 0x was signed",
    }),
    signature,
  })
  .openapi("SignedVote");

const consentBody = z
  .strictObject({
    member: address,
    mask: uint256.openapi({
      description: "Purposes as a bitmask (protocol/src/purposes.generated.ts)",
    }),
    signedAt: uint256.openapi({
      description:
        "When the member decided (Unix seconds, chain clock): later than their latest decision, within their current membership, not in the future",
    }),
    deadline: uint256.openapi({ description: "Unix seconds" }),
    signature,
  })
  .openapi("SignedConsent");

const grantChoiceBody = z
  .strictObject({
    member: address,
    grantId: uint256,
    choice: z
      .number()
      .int()
      .min(0)
      .max(2)
      .openapi({ description: "0 Default (follow the standing consent), 1 OptIn, 2 OptOut" }),
    signedAt: uint256.openapi({
      description:
        "When the member decided (Unix seconds, chain clock): later than their latest decision on this grant",
    }),
    deadline: uint256,
    signature,
  })
  .openapi("SignedGrantChoice");

/** At most this many actions in a relayed proposal, and this many shares in one claim. */
export const MAX_PROPOSAL_ACTIONS = 10;
export const MAX_CLAIMS_PER_REQUEST = 16;

const calldata = z
  .string()
  .regex(/^0x([0-9a-fA-F]{2})*$/, "hex bytes")
  .openapi({ example: "0x" });
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hash");

const proposalBody = z
  .strictObject({
    proposer: address.openapi({ description: "The member who signed: the proposal is theirs" }),
    targets: z.array(address).min(1).max(MAX_PROPOSAL_ACTIONS),
    values: z.array(uint256).min(1).max(MAX_PROPOSAL_ACTIONS).openapi({
      description: "Wei sent with each action (decimal strings)",
    }),
    calldatas: z.array(calldata).min(1).max(MAX_PROPOSAL_ACTIONS),
    description: z.string().min(1).max(10_000).openapi({
      description:
        "Markdown; a description ending in `#proposer=<address>` is taken only from that address (the governor's front-running protection)",
    }),
    deadline: uint256.openapi({ description: "Unix seconds" }),
    signature,
  })
  .refine((b) => b.targets.length === b.values.length && b.values.length === b.calldatas.length, {
    message: "targets, values and calldatas must have one entry per action",
    path: ["targets"],
  })
  .openapi("SignedProposal");

const claimItem = z
  .strictObject({
    grantId: uint256,
    amount: uint256
      .refine((v) => BigInt(v) > 0n, "above 0")
      .optional()
      .openapi({
        description: "A share by use: its amount in wei (from /proofs); omitted for an equal split",
      }),
    proof: z.array(bytes32).max(64).optional().openapi({
      description: "A share by use: its Merkle proof (from /proofs)",
    }),
  })
  .refine((c) => c.proof === undefined || c.amount !== undefined, {
    message: "a proof goes with an amount",
    path: ["proof"],
  });

const claimBody = z
  .strictObject({
    member: address.openapi({ description: "The member paid: the contract pays no one else" }),
    claims: z
      .array(claimItem)
      .min(1)
      .max(MAX_CLAIMS_PER_REQUEST)
      .refine(
        (items) => new Set(items.map((c) => BigInt(c.grantId))).size === items.length,
        "each grant once",
      ),
  })
  .openapi("ClaimRequest");

// Addresses and hashes in answers: checksummed addresses, 0x-prefixed hex.
const addressOut = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const hexOut = z.string().regex(/^0x[0-9a-fA-F]*$/);

const domainSchema = z.object({
  name: z.string(),
  version: z.string(),
  chainId: z.number(),
  verifyingContract: addressOut,
});

const stateSchema = z
  .object({
    chainId: z.number(),
    address: addressOut,
    balanceWei: z.string(),
    budget: z.object({
      totalWei: z.string(),
      spentWei: z.string(),
      reservedWei: z.string().openapi({ description: "Held for relays not yet in a block" }),
      leftWei: z.string(),
      periodHours: z.number().openapi({ description: "0: the budget covers all time" }),
    }),
    limits: z.object({
      relaysPerMemberPerHour: z.number(),
      maxGasPerTransaction: z.string(),
      deadlineMarginSeconds: z.number(),
      claimsPerMemberPerDay: z.number(),
      proposalsPerMemberPerDay: z.number(),
    }),
    pending: z.number(),
    accepts: z.array(z.string()).openapi({
      description: "The paths of POST /relayer/<path> this relayer takes",
      example: ["votes", "consents", "grant-choices", "claims", "proposals"],
    }),
    contracts: z.object({ governor: addressOut, consent: addressOut, revenue: addressOut }),
    domains: z.object({ governor: domainSchema, consent: domainSchema }),
  })
  .openapi("RelayerState");

const acceptedSchema = z
  .object({
    id: z.string(),
    status: z.literal("pending"),
    statusUrl: z.string(),
  })
  .openapi("RelayAccepted");

const relaySchema = z
  .object({
    id: z.string(),
    kind: z.enum(["vote", "consent", "grantChoice", "proposal", "claim"]),
    signer: addressOut,
    contract: addressOut,
    status: z.enum(["pending", "mined", "failed"]),
    request: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    txHash: hexOut.nullable(),
    blockNumber: z.string().nullable(),
    blockHash: hexOut.nullable(),
    gasUsed: z.string().nullable(),
    costWei: z.string().nullable(),
    finishedAt: z.string().nullable(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        name: z.string().optional(),
        args: z.array(z.unknown()).optional(),
      })
      .nullable(),
  })
  .openapi("Relay");

const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function relayerRoutes(options: RelayerRoutesOptions): OpenAPIHono {
  const { relayer } = options;
  const mountPath = options.mountPath ?? "/relayer";
  const limiter = new ProcessRateLimiter(options.requestsPerMinute ?? 1200, 60_000);
  const log = options.log ?? (() => undefined);

  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  app.onError(
    errorHandler({
      log: (event) => log({ ...event, event: "relayer_error" }),
      internalMessage: "The relayer failed to answer; nothing was sent.",
    }),
  );
  app.notFound(notFound);
  app.use("*", limitBody(options.maxBodyBytes ?? 16 * 1024));
  app.use("*", bodyBounds());

  async function accept(request: RelayRequest) {
    if (!limiter.take("all")) {
      throw new RelayerError(429, "busy", "The relayer is busy; try again in a minute.", {
        retryAfterSeconds: 60,
      });
    }
    const { id } = await relayer.submit(request);
    return { id, status: "pending" as const, statusUrl: `${mountPath}/relays/${id}` };
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/",
      summary: "The relayer's public state: address, balance, budget left, limits, signing domains",
      responses: { 200: json(stateSchema, "The relayer"), ...relayerRefusals },
    }),
    async (c) => c.json(await relayer.state(), 200),
  );

  const post = (path: string, summary: string, description: string, schema: z.ZodType) =>
    createRoute({
      method: "post",
      path,
      summary,
      description,
      request: { body: { required: true, content: { "application/json": { schema } } } },
      responses: { 202: json(acceptedSchema, "Accepted and queued"), ...relayerRefusals },
    });

  app.openapi(
    post(
      "/votes",
      "Relay a member's signed ballot (castVoteBySig)",
      "Sign Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce) — or ExtendedBallot(uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params) with params 0x when giving a reason — in the governor's EIP-712 domain (GET /relayer → domains.governor).",
      voteBody,
    ),
    async (c) => {
      const b = c.req.valid("json") as z.infer<typeof voteBody>;
      return c.json(
        await accept({
          kind: "vote",
          voter: getAddress(b.voter),
          proposalId: BigInt(b.proposalId),
          support: b.support,
          nonce: BigInt(b.nonce),
          ...(b.reason === undefined ? {} : { reason: b.reason }),
          signature: b.signature as Hex,
        }),
        202,
      );
    },
  );

  app.openapi(
    post(
      "/consents",
      "Relay a member's signed standing consent (setConsentBySig)",
      "Sign SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline) in the consent registry's EIP-712 domain (GET /relayer → domains.consent). 0 withdraws every purpose.",
      consentBody,
    ),
    async (c) => {
      const b = c.req.valid("json") as z.infer<typeof consentBody>;
      return c.json(
        await accept({
          kind: "consent",
          member: getAddress(b.member),
          mask: BigInt(b.mask),
          signedAt: BigInt(b.signedAt),
          deadline: BigInt(b.deadline),
          signature: b.signature as Hex,
        }),
        202,
      );
    },
  );

  app.openapi(
    post(
      "/grant-choices",
      "Relay a member's signed choice for one grant: opt out, opt in or default (setGrantChoiceBySig)",
      "Sign SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline) in the consent registry's EIP-712 domain.",
      grantChoiceBody,
    ),
    async (c) => {
      const b = c.req.valid("json") as z.infer<typeof grantChoiceBody>;
      return c.json(
        await accept({
          kind: "grantChoice",
          member: getAddress(b.member),
          grantId: BigInt(b.grantId),
          choice: b.choice,
          signedAt: BigInt(b.signedAt),
          deadline: BigInt(b.deadline),
          signature: b.signature as Hex,
        }),
        202,
      );
    },
  );

  app.openapi(
    post(
      "/proposals",
      "Relay a member's signed proposal (proposeBySig): the member is its proposer",
      `Sign Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,uint256 deadline) in the governor's EIP-712 domain (GET /relayer → domains.governor), arrays hashed as EIP-712 prescribes (each calldata by its keccak256). At most ${MAX_PROPOSAL_ACTIONS} actions; the governor's rules hold as for a proposal sent directly (a member at the previous second; a description ending in #proposer=<address> only from that address). A signature makes one proposal: sent again it is already_relayed, or would_revert with GovernorUnexpectedProposalState.`,
      proposalBody,
    ),
    async (c) => {
      const b = c.req.valid("json") as z.infer<typeof proposalBody>;
      return c.json(
        await accept({
          kind: "proposal",
          proposer: getAddress(b.proposer),
          targets: b.targets.map((t) => getAddress(t)),
          values: b.values.map((v) => BigInt(v)),
          calldatas: b.calldatas as Hex[],
          description: b.description,
          deadline: BigInt(b.deadline),
          signature: b.signature as Hex,
        }),
        202,
      );
    },
  );

  app.openapi(
    post(
      "/claims",
      "Collect a member's shares of fees for them (Revenue.claim, claimMany): paid to the member, never to the relayer",
      `Nothing is signed: Revenue pays the member whoever sends the transaction, so a claim sent for someone else only pays them. An equal split names its grant; a share by use also its amount and Merkle proof (from /proofs). At most ${MAX_CLAIMS_PER_REQUEST} shares per claim, each grant once. Refused before anything is sent: a non-member (not_member), a share already collected or never owed (nothing_to_claim), a share already in a claim relayed (already_relayed), more claims than the member's daily number (rate_limited).`,
      claimBody,
    ),
    async (c) => {
      const b = c.req.valid("json") as z.infer<typeof claimBody>;
      const equalGrantIds: bigint[] = [];
      const allocations: { grantId: bigint; amount: bigint; proof: Hex[] }[] = [];
      for (const item of b.claims) {
        if (item.amount === undefined) equalGrantIds.push(BigInt(item.grantId));
        else
          allocations.push({
            grantId: BigInt(item.grantId),
            amount: BigInt(item.amount),
            proof: (item.proof ?? []) as Hex[],
          });
      }
      return c.json(
        await accept({
          kind: "claim",
          member: getAddress(b.member),
          equalGrantIds,
          allocations,
        }),
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/relays/{id}",
      summary: "A relay's status: pending, mined (transaction, block) or failed (decoded error)",
      request: {
        params: z.object({
          id: z.string().regex(/^[0-9a-f-]{36}$/, "a relay id"),
        }),
      },
      responses: {
        200: json(relaySchema, "The relay"),
        ...relayerRefusals,
      },
    }),
    async (c) => {
      const relay = await relayer.relay(c.req.valid("param").id);
      if (!relay) return c.json(errorBody("not_found", "No such relay."), 404);
      return c.json(relay, 200);
    },
  );

  return app;
}
