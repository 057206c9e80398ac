/**
 * The indexer's read API (indexer/src/api): lists of members, proposals, datasets, requests, grants,
 * revenue and anchors. Big integers arrive as decimal strings, addresses lowercase.
 */

export type ApiPage<T> = { items: T[]; total: number; limit: number; offset: number };

type EventInfo = { blockNumber: string; blockTime: string; txHash: `0x${string}` };

export type ApiMember = { address: string; memberId: string; since: string; sinceBlock: string };

export const API_PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Executed",
] as const;

export type ApiProposal = {
  proposalId: string;
  /** The short sequential number, once the governor keeps one (contracts stage 1); else derived here. */
  number?: string | null;
  proposer: string;
  description: string;
  state: (typeof API_PROPOSAL_STATES)[number];
  voteStart: string;
  voteEnd: string;
  deadline: string;
  extended: boolean;
  forVotes: string;
  againstVotes: string;
  abstainVotes: string;
  voters: string;
  quorum: string;
  snapshotMembers: string;
  quorumReached: boolean;
  eta: string | null;
  queuedAt: string | null;
  executedAt: string | null;
  canceledAt: string | null;
  createdBlock: string;
  createdAt: string;
  txHash: `0x${string}`;
};

export type ApiAction = {
  target: string;
  value: string;
  calldata: `0x${string}`;
  functionName: string | null;
  args: unknown;
};

export type ApiVote = EventInfo & {
  voter: string;
  support: "Against" | "For" | "Abstain";
  weight: string;
  reason: string;
};

export type ApiProposalDetail = ApiProposal & { actions: ApiAction[]; votes: ApiVote[] };

export type ApiDataset = EventInfo & {
  datasetId: string;
  name: string;
  schemaUri: string;
  schemaHash: `0x${string}`;
  fields: string[];
  retired: boolean;
  retiredAt: string | null;
};

type Terms = {
  partner: string;
  /** The name the partner gave with the request, once the registry carries one: their claim, unchecked. */
  partnerName?: string | null;
  datasetId: string;
  purpose: number;
  purposeKey: string | null;
  fieldMask: string;
  rowLevel: boolean;
  minCohort: string;
  duration: string;
  termsUri: string;
  fee: string;
  termsHash: `0x${string}`;
};

export type ApiRequest = EventInfo &
  Terms & {
    requestId: string;
    status: "Pending" | "Approved" | "Rejected" | "Withdrawn" | "Revoked";
    start: string | null;
    end: string | null;
    decidedAt: string | null;
  };

export type ApiGrant = Terms & {
  grantId: string;
  start: string;
  end: string;
  active: boolean;
  approvedBlock: string;
  approvedAt: string;
  approvedTx: `0x${string}`;
  revokedBlock: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  approvedByProposal: string | null;
};

export type ApiRevenue = EventInfo & {
  grantId: string;
  mode: "EqualSplit" | "ByUse";
  amount: string;
  toTreasury: string;
  memberShare: string;
  memberCount: string;
  perMember: string;
  claimed: string;
  claims: string;
};

export type ApiClaim = EventInfo & { grantId: string; member: string; amount: string };

export type ApiMemberClaims = {
  address: string;
  claims: ApiClaim[];
  claimed: string;
  claimable: { grantId: string; amount: string }[];
};

export type ApiMemberConsents = {
  address: string;
  current: { mask: string; purposes: string[] };
  choices: { grantId: string; choice: "Default" | "OptIn" | "OptOut"; updatedAt: string }[];
};

export type ApiAnchor = EventInfo & {
  batchIndex: string;
  root: string;
  size: string;
  previousRoot: string;
  anchoredAt: string;
};

export type ApiMembershipChange = EventInfo & {
  admitted: boolean;
  resigned: boolean | null;
  memberId: string;
};

export type ApiMemberDetail = {
  address: string;
  memberId: string | null;
  isMember: boolean;
  history: ApiMembershipChange[];
};

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Builds `base + path` with the query parameters that are set. */
export function apiUrl(
  base: string,
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const query = search.toString();
  return `${base.replace(/\/$/, "")}${path}${query ? `?${query}` : ""}`;
}

/** GET JSON; a 4xx/5xx becomes an ApiError with the server's code and message. */
export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `HTTP ${res.status}`,
    );
  }
  return body as T;
}
