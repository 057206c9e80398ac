/**
 * Request validation and response shapes of the read API. Every input is a string checked here; every
 * integer of 64 bits or more in a response is a decimal string; addresses are lowercase.
 */
import { createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import { isAddress } from "viem";
import { refusals } from "../http/errors.ts";

const MAX_UINT256 = (1n << 256n) - 1n;

export const address = z
  .string()
  .refine((v) => /^0x[0-9a-fA-F]{40}$/.test(v) && isAddress(v), {
    message: "must be a 0x-prefixed 20-byte address (checksummed or all one case)",
  })
  .transform((v) => v.toLowerCase())
  .openapi({ example: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" });

/** A uint256 in decimal (proposal, grant, request and dataset ids). */
export const uint256 = z
  .string()
  .refine((v) => /^\d{1,78}$/.test(v) && BigInt(v) <= MAX_UINT256, {
    message: "must be an unsigned 256-bit integer in decimal",
  })
  .transform((v) => BigInt(v).toString())
  .openapi({ example: "1" });

function integer(name: string, min: number, max: number) {
  return z
    .string()
    .refine((v) => /^\d{1,16}$/.test(v) && Number(v) >= min && Number(v) <= max, {
      message: `${name} must be an integer from ${min} to ${max}`,
    })
    .transform(Number);
}

/** A point in time: unix seconds. */
const time = z
  .string()
  .refine((v) => /^\d{1,12}$/.test(v), { message: "at must be unix seconds (0 to 999999999999)" })
  .optional()
  .openapi({
    description: "Unix seconds; default: now (the chain's clock).",
    example: "1767225600",
  });

export const MAX_LIMIT = 500;
export const MAX_OFFSET = 1_000_000;

export const pageQuery = {
  limit: integer("limit", 1, MAX_LIMIT)
    .optional()
    .openapi({ description: `Page size, 1 to ${MAX_LIMIT} (default 50).`, example: "50" }),
  offset: integer("offset", 0, MAX_OFFSET)
    .optional()
    .openapi({ description: `Rows to skip, 0 to ${MAX_OFFSET} (default 0).`, example: "0" }),
};

export const atQuery = { at: time };

export const boolString = z.enum(["true", "false"]).transform((v) => v === "true");

export const PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Executed",
] as const;
export const REQUEST_STATUSES = [
  "Pending",
  "Approved",
  "Rejected",
  "Withdrawn",
  "Revoked",
] as const;
export const CHOICES = ["Default", "OptIn", "OptOut"] as const;

const big = z.string().openapi({ description: "Decimal integer", example: "1000000000000000000" });
const hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/)
  .openapi({ example: "0x5e1f…" });

const event = {
  blockNumber: big,
  blockTime: big,
  txHash: hex,
};

export const Page = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int(),
      limit: z.number().int(),
      offset: z.number().int(),
    })
    .openapi(name);

const delegate = z.string().nullable().openapi({
  description:
    "The member's ERC-5805 delegate (DelegateChanged): the member itself from admission, null after leaving. Votes cannot be delegated to anyone else.",
});

export const Member = z
  .object({ address: z.string(), memberId: big, since: big, sinceBlock: big, delegate })
  .openapi("Member");

export const MembershipChange = z
  .object({ admitted: z.boolean(), resigned: z.boolean().nullable(), memberId: big, ...event })
  .openapi("MembershipChange");

export const Application = z
  .object({
    applicant: z.string(),
    uri: z.string(),
    admittedAt: big
      .nullable()
      .openapi({ description: "When the applicant was admitted after applying; null while open." }),
    ...event,
  })
  .openapi("Application");

export const Consent = z
  .object({
    mask: big.openapi({ description: "Purposes in force (bit i = purpose i); 0 when void." }),
    purposes: z.array(z.string()),
    storedMask: big.openapi({ description: "What the address last stored, in force or not." }),
    updatedAt: big.nullable(),
  })
  .openapi("Consent");

export const Claimable = z.object({ grantId: big, amount: big }).openapi("Claimable");

export const MemberDetail = z
  .object({
    address: z.string(),
    memberId: big.nullable(),
    isMember: z.boolean(),
    since: big.nullable(),
    delegate,
    history: z.array(MembershipChange),
    applications: z.array(Application),
    consent: Consent,
    claimed: big,
    claimable: z.array(Claimable),
  })
  .openapi("MemberDetail");

export const GrantChoice = z
  .object({
    grantId: big,
    choice: z.enum(CHOICES).openapi({ description: "In force now (void choices read Default)." }),
    storedChoice: z.enum(CHOICES),
    updatedAt: big,
  })
  .openapi("GrantChoice");

export const ConsentEvent = z
  .object({
    kind: z.enum(["consent", "choice"]),
    mask: big.nullable(),
    grantId: big.nullable(),
    choice: z.enum(CHOICES).nullable(),
    ...event,
  })
  .openapi("ConsentEvent");

export const MemberConsents = z
  .object({
    address: z.string(),
    current: Consent,
    choices: z.array(GrantChoice),
    history: z.array(ConsentEvent),
  })
  .openapi("MemberConsents");

export const Proposal = z
  .object({
    proposalId: big,
    proposer: z.string(),
    description: z.string(),
    state: z.enum(PROPOSAL_STATES),
    voteStart: big,
    voteEnd: big,
    deadline: big.openapi({ description: "Including a late-quorum extension." }),
    extended: z.boolean(),
    forVotes: big,
    againstVotes: big,
    abstainVotes: big,
    voters: big,
    quorum: big.openapi({
      description: "Members needed: the quorum share of the members at the snapshot, rounded up.",
    }),
    snapshotMembers: big,
    quorumReached: z.boolean(),
    eta: big.nullable(),
    queuedAt: big.nullable(),
    executedAt: big.nullable(),
    canceledAt: big.nullable(),
    createdBlock: big,
    createdAt: big,
    txHash: hex,
  })
  .openapi("Proposal");

export const ProposalAction = z
  .object({
    target: z.string(),
    value: big,
    calldata: hex,
    functionName: z.string().nullable(),
    args: z
      .unknown()
      .openapi({ description: "Decoded arguments when the call is to a co-op contract." }),
  })
  .openapi("ProposalAction");

export const Vote = z
  .object({
    voter: z.string(),
    support: z.enum(["Against", "For", "Abstain"]),
    weight: big,
    reason: z.string(),
    ...event,
  })
  .openapi("Vote");

export const ProposalDetail = Proposal.extend({
  actions: z.array(ProposalAction),
  votes: z.array(Vote),
}).openapi("ProposalDetail");

export const Dataset = z
  .object({
    datasetId: big,
    name: z.string(),
    schemaUri: z.string(),
    schemaHash: hex,
    fields: z.array(z.string()),
    retired: z.boolean(),
    retiredAt: big.nullable(),
    ...event,
  })
  .openapi("Dataset");

const terms = {
  partner: z.string(),
  datasetId: big,
  purpose: z.number().int(),
  purposeKey: z.string().nullable(),
  fieldMask: big,
  rowLevel: z.boolean(),
  minCohort: big,
  duration: big,
  termsUri: z.string(),
  fee: big,
  termsHash: hex,
  partnerName: z.string().nullable().openapi({
    description:
      "The name the partner gave itself with the request: its own claim, unchecked (null for requests indexed before the registry carried names).",
  }),
  forMembers: z.boolean().openapi({
    description:
      "A grant the co-op voted to its own members (GrantedToMembers): any current member may query under it; `partner` is the timelock.",
  }),
  exactTabulations: hex.nullable().openapi({
    description:
      "Null: answers are differentially private (the default). Otherwise the members voted the exact mode: keccak256 of the canonical JSON of the declared tabulations document, the only tabulations the gateway answers exactly.",
  }),
};

export const Request = z
  .object({
    requestId: big,
    ...terms,
    status: z.enum(REQUEST_STATUSES),
    start: big.nullable(),
    end: big.nullable(),
    decidedAt: big.nullable(),
    ...event,
  })
  .openapi("Request");

export const Grant = z
  .object({
    grantId: big,
    ...terms,
    start: big,
    end: big,
    active: z.boolean().openapi({
      description: "Approved, not revoked, before its end, registry not paused (at `at`).",
    }),
    approvedBlock: big,
    approvedAt: big,
    approvedTx: hex,
    revokedBlock: big.nullable(),
    revokedAt: big.nullable(),
    revokedBy: z.string().nullable(),
    revokeReason: z.string().nullable(),
    approvedByProposal: big
      .nullable()
      .openapi({ description: "The executed proposal whose action approved the grant." }),
  })
  .openapi("Grant");

export const GrantDetail = Grant.extend({
  coveredMembers: z
    .number()
    .int()
    .openapi({ description: "Members whose consent covers the grant now." }),
}).openapi("GrantDetail");

export const Coverage = z
  .object({
    grantId: big,
    member: z.string(),
    block: big.nullable(),
    at: big.nullable(),
    covered: z.boolean(),
  })
  .openapi("Coverage");

export const Claim = z
  .object({ grantId: big, member: z.string(), amount: big, ...event })
  .openapi("Claim");

export const Revenue = z
  .object({
    grantId: big,
    mode: z.enum(["EqualSplit", "ByUse"]),
    amount: big,
    toTreasury: big,
    memberShare: big,
    memberCount: big,
    perMember: big,
    snapshot: big,
    root: hex.nullable().openapi({
      description: "ByUse: the allocations' Merkle root in force (after any replacement).",
    }),
    allocated: big
      .nullable()
      .openapi({ description: "ByUse: the wei allocated in force (after any replacement)." }),
    claimed: big,
    claims: big,
    postedRoot: hex
      .nullable()
      .openapi({ description: "ByUse: the root first posted by the operator." }),
    postedAllocated: big.nullable(),
    replacements: big.openapi({
      description: "How many times a vote replaced the allocations (before any claim).",
    }),
    replacedFromTreasury: big.openapi({
      description: "What the treasury topped up for larger replaced allocations.",
    }),
    replacedToTreasury: big.openapi({
      description: "What went back to the treasury for smaller replaced allocations.",
    }),
    swept: big.openapi({
      description: "What members had not claimed and a vote sent back to the treasury.",
    }),
    closed: z.boolean().openapi({ description: "Swept: the grant takes no more claims." }),
    sweptAt: big.nullable(),
    ...event,
  })
  .openapi("Revenue");

export const AllocationReplacement = z
  .object({
    grantId: big,
    oldRoot: hex,
    oldAllocated: big,
    root: hex,
    allocated: big,
    fromTreasury: big,
    toTreasury: big,
    ...event,
  })
  .openapi("AllocationReplacement");

export const RevenueDetail = Revenue.extend({
  claimList: z.array(Claim),
  replacementList: z.array(AllocationReplacement),
}).openapi("RevenueDetail");

export const MemberClaims = z
  .object({
    address: z.string(),
    claims: z.array(Claim),
    claimed: big,
    claimable: z.array(Claimable),
  })
  .openapi("MemberClaims");

export const Anchor = z
  .object({
    batchIndex: big,
    root: hex,
    size: big,
    previousRoot: hex,
    anchoredAt: big,
    ...event,
  })
  .openapi("Anchor");

export const Setting = z
  .object({ contract: z.string(), setting: z.string(), value: z.string(), ...event })
  .openapi("Setting");

export const CoopTerms = z
  .object({
    privacyCap: z
      .object({
        epsilonMillionths: big.openapi({
          description: "ε per member and dataset per period, in millionths.",
        }),
        periodSeconds: big,
        periodStart: big.openapi({
          description: "Start of the period running now (unix seconds).",
        }),
        periodEnd: big.openapi({ description: "End of the period running now (exclusive)." }),
        default: z.boolean().openapi({
          description:
            "True when the chain states no cap yet: the gateway's documented default applies.",
        }),
      })
      .openapi({
        description:
          "The co-op's privacy cap (PrivacyCapSet), as the gateway enforces it: a new ε applies at once, a new period length from the end of the period running when it was voted.",
      }),
    claimPeriodSeconds: big.nullable().openapi({
      description:
        "How long members have to claim a grant's share before a vote may sweep it (ClaimPeriodSet).",
    }),
    treasuryShareBps: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The treasury's share of each fee, in basis points." }),
    revenueMode: z.enum(["EqualSplit", "ByUse"]).nullable(),
    minimumFee: big.nullable(),
    maxDurationSeconds: big.nullable(),
    votingDelaySeconds: big.nullable(),
    votingPeriodSeconds: big.nullable(),
    quorumPercent: big.nullable(),
    lateQuorumExtensionSeconds: big.nullable(),
    timelockDelaySeconds: big.nullable(),
    paused: z.boolean(),
  })
  .openapi("CoopTerms");

const errors = refusals("invalid_request", "not_found");

/** A GET route with JSON output and the error responses every route has. */
export function getRoute<
  P extends z.ZodObject | undefined,
  Q extends z.ZodObject | undefined,
  R extends z.ZodType,
>(config: {
  path: string;
  tags: string[];
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  response: R;
}) {
  const route = {
    method: "get",
    path: config.path,
    tags: config.tags,
    summary: config.summary,
    description: config.description,
    request: {
      ...(config.params ? { params: config.params } : {}),
      // Unknown parameters are refused: a misspelt filter must not silently return everything.
      ...(config.query ? { query: config.query.strict() } : {}),
    } as { params: P extends z.ZodObject ? P : never; query: Q extends z.ZodObject ? Q : never },
    responses: {
      200: { description: "OK", content: { "application/json": { schema: config.response } } },
      ...errors,
    },
  } satisfies RouteConfig;
  return createRoute(route);
}
