/**
 * The co-op's relayer (server/src/relayer): a member without ETH signs a ballot (the governor's EIP-712
 * domain), a standing consent or a per-grant choice (the consent registry's domain), or a proposal
 * (`proposeBySig`), and the relayer sends it with the co-op's gas; it also collects a member's shares of
 * fees for them (`Revenue.claim` pays only the member, whoever sends it, so nothing is signed). The pure
 * parts (URL, typed data, request bodies, reading a relay's status and its refusals) are unit-tested.
 */
import type { Address, Hash, Hex } from "viem";
import type { components } from "@datacoop/protocol/api.generated";
import {
  ballotTypes,
  extendedBallotTypes,
  proposeTypes,
  setConsentTypes,
  setGrantChoiceTypes,
  type Eip712Domain,
} from "@datacoop/protocol/typedData";
import { errorNameOf, formatCustomError, type ReadableError } from "./errors.ts";
import { GatewayError, gatewayFetch } from "./gateway.ts";

/** The relayer lives next to the read API: …/api → …/relayer. */
export function relayerUrl(indexerUrl: string): string {
  const base = indexerUrl.replace(/\/+$/, "");
  return /\/api$/.test(base) ? `${base.slice(0, -4)}/relayer` : `${base}/relayer`;
}

/**
 * The relay paths a relayer accepts ("votes", "consents", "grant-choices", "claims", "proposals"), once it
 * lists them (contracts stage 1). A relayer that does not list them accepts the first three, the ones every
 * relayer has.
 */
type Accepts = { accepts?: string[] };

/** What `GET /relayer` says. */
export type RelayerInfo = components["schemas"]["RelayerState"] & Accepts;

export type RelayPath = "votes" | "consents" | "grant-choices" | "claims" | "proposals";

/** Whether the relayer takes requests at `POST /relayer/<path>`. */
export function relayerAccepts(info: Accepts | undefined, path: RelayPath) {
  if (!info) return false;
  return info.accepts
    ? info.accepts.includes(path)
    : path === "votes" || path === "consents" || path === "grant-choices";
}

/** The share of the relayer's fee budget left, in [0, 1] (1 when it has no budget set). */
export function budgetLeft(info: {
  budget: Pick<RelayerInfo["budget"], "totalWei" | "leftWei">;
}): number {
  const total = BigInt(info.budget.totalWei);
  if (total <= 0n) return 1;
  const left = BigInt(info.budget.leftWei);
  return left <= 0n ? 0 : left >= total ? 1 : Number((left * 1000n) / total) / 1000;
}

/**
 * A relay's status (`GET /relayer/relays/{id}`): the parts the dApp reads, the same for every kind (claims
 * and proposals too, whose kinds the document lists once the contracts branch adds them).
 */
export type RelayStatus = Pick<
  components["schemas"]["Relay"],
  "id" | "status" | "txHash" | "blockNumber" | "error"
>;

// The relayer's own typed-data definitions (they match the contracts'), so both sides sign and check the same.
export const BALLOT_TYPES = ballotTypes;
export const EXTENDED_BALLOT_TYPES = extendedBallotTypes;
export const SET_CONSENT_TYPES = setConsentTypes;
export const SET_GRANT_CHOICE_TYPES = setGrantChoiceTypes;

export type Ballot = {
  proposalId: bigint;
  support: number;
  voter: Address;
  nonce: bigint;
  /** A reason makes it the governor's ExtendedBallot (with empty params), as castVoteWithReason. */
  reason?: string;
};

/**
 * Typed data in `domain` as the contract states it (its chain id a number, as wallets want it): the one shape
 * of every message a member signs for the relayer.
 */
function typedIn<const Types, const Primary extends string, Message>(
  domain: Eip712Domain,
  types: Types,
  primaryType: Primary,
  message: Message,
) {
  return { domain: { ...domain, chainId: Number(domain.chainId) }, types, primaryType, message };
}

/** The typed data of a ballot without a reason, in the governor's domain as the contract states it. */
export function ballotTypedData(domain: Eip712Domain, ballot: Ballot) {
  const { reason: _, ...message } = ballot;
  return typedIn(domain, BALLOT_TYPES, "Ballot", message);
}

/** The typed data of a ballot with a reason: the governor's ExtendedBallot, with empty params. */
export function extendedBallotTypedData(domain: Eip712Domain, ballot: Ballot & { reason: string }) {
  return typedIn(domain, EXTENDED_BALLOT_TYPES, "ExtendedBallot", {
    proposalId: ballot.proposalId,
    support: ballot.support,
    voter: ballot.voter,
    nonce: ballot.nonce,
    reason: ballot.reason,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it the literal widens to string and the typed data no longer type-checks
    params: "0x" as Hex,
  });
}

/** The body of `POST /relayer/votes` (integers as decimal strings; the reason when there is one). */
export function voteRequestBody(ballot: Ballot, signature: Hex): string {
  return JSON.stringify({
    voter: ballot.voter,
    proposalId: ballot.proposalId.toString(),
    support: ballot.support,
    nonce: ballot.nonce.toString(),
    ...(ballot.reason ? { reason: ballot.reason } : {}),
    signature,
  });
}

/**
 * A standing consent a member signs: the whole purpose mask after the change, and when they decided (`signedAt`,
 * seconds on the chain's clock): the registry takes it only if it is later than their latest decision.
 */
export type SignedConsent = { member: Address; mask: bigint; signedAt: bigint; deadline: bigint };
/** A per-grant choice a member signs: 0 follow the standing consent, 1 opt in, 2 opt out. */
export type SignedGrantChoice = {
  member: Address;
  grantId: bigint;
  choice: 0 | 1 | 2;
  signedAt: bigint;
  deadline: bigint;
};

/** How long a consent signature stays good: long enough to reach the relayer, short enough to go stale. */
export const SIGNATURE_VALID_SECONDS = 3_600;

/**
 * The deadline of a consent signature. The relayer and the contract judge it by the chain's clock, which may
 * run ahead of the wall clock (or behind it), so it counts from the later of the two.
 */
export function signatureDeadline(chainSeconds: bigint, wallMs: number): bigint {
  const wall = BigInt(Math.floor(wallMs / 1000));
  return (chainSeconds > wall ? chainSeconds : wall) + BigInt(SIGNATURE_VALID_SECONDS);
}

/** The typed data of a standing consent, in the consent registry's domain as read from the contract. */
export function consentTypedData(domain: Eip712Domain, consent: SignedConsent) {
  return typedIn(domain, SET_CONSENT_TYPES, "SetConsent", consent);
}

/** The typed data of a per-grant choice, in the consent registry's domain as read from the contract. */
export function grantChoiceTypedData(domain: Eip712Domain, choice: SignedGrantChoice) {
  return typedIn(domain, SET_GRANT_CHOICE_TYPES, "SetGrantChoice", choice);
}

/** The body of `POST /relayer/consents` (integers as decimal strings). */
export function consentRequestBody(consent: SignedConsent, signature: Hex): string {
  return JSON.stringify({
    member: consent.member,
    mask: consent.mask.toString(),
    signedAt: consent.signedAt.toString(),
    deadline: consent.deadline.toString(),
    signature,
  });
}

/** The body of `POST /relayer/grant-choices` (integers as decimal strings). */
export function grantChoiceRequestBody(choice: SignedGrantChoice, signature: Hex): string {
  return JSON.stringify({
    member: choice.member,
    grantId: choice.grantId.toString(),
    choice: choice.choice,
    signedAt: choice.signedAt.toString(),
    deadline: choice.deadline.toString(),
    signature,
  });
}

/**
 * A proposal a member signs for `proposeBySig`: the governor's `Propose` type (the contracts' stage 1:
 * `Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,
 * uint256 deadline)`, arrays hashed as EIP-712 arrays are, each calldata by its keccak256).
 */
export const PROPOSE_TYPES = proposeTypes;

export type SignedProposal = {
  proposer: Address;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  deadline: bigint;
};

/** Whether the governor's ABI has `proposeBySig` (the contracts' stage 1). */
export function canProposeBySig(abi: readonly { type: string; name?: string }[]): boolean {
  return abi.some((item) => item.type === "function" && item.name === "proposeBySig");
}

/** The typed data of a signed proposal, in the governor's domain as the contract states it. */
export function proposeTypedData(domain: Eip712Domain, proposal: SignedProposal) {
  return typedIn(domain, PROPOSE_TYPES, "Propose", proposal);
}

/** The body of `POST /relayer/proposals` (integers as decimal strings). */
export function proposalRequestBody(proposal: SignedProposal, signature: Hex): string {
  return JSON.stringify({
    proposer: proposal.proposer,
    targets: proposal.targets,
    values: proposal.values.map(String),
    calldatas: proposal.calldatas,
    description: proposal.description,
    deadline: proposal.deadline.toString(),
    signature,
  });
}

/** One share of fees to collect: an equal split names the grant; a share by use also its amount and proof. */
export type ClaimItem = { grantId: bigint; amount?: bigint; proof?: readonly Hex[] };

/** The body of `POST /relayer/claims`: one or several of a member's shares, collected in one request. */
export function claimRequestBody(member: Address, claims: readonly ClaimItem[]): string {
  return JSON.stringify({
    member,
    claims: claims.map((c) => ({
      grantId: c.grantId.toString(),
      ...(c.amount !== undefined ? { amount: c.amount.toString(), proof: c.proof ?? [] } : {}),
    })),
  });
}

/** A relay that failed, or that the relayer refused (then nothing was sent), in readable form. */
export class RelayError extends Error {
  override name = "RelayError";
  readonly readable: ReadableError;
  constructor(readable: ReadableError) {
    super(readable.message);
    this.readable = readable;
  }
}

/**
 * The relayer's refusal of a signed request (nothing sent), readable: its message and, when the call would
 * revert, the contract's custom error from the simulation. Undefined for anything that is not a refusal.
 */
export function relayRefusal(error: unknown): ReadableError | undefined {
  if (!(error instanceof GatewayError)) return undefined;
  const details = error.details as { error?: unknown; args?: unknown } | undefined;
  const customError =
    error.code === "would_revert" && typeof details?.error === "string"
      ? formatCustomError(details.error, Array.isArray(details.args) ? details.args : [])
      : undefined;
  return {
    kind: customError ? "reverted" : "other",
    message: `${error.message} (${error.code})`,
    code: error.code,
    service: "relayer",
    ...(customError ? { customError, errorName: errorNameOf(customError) } : {}),
  };
}

/** A failed relay's error (it reached the relayer; it may have reached a block and reverted), readable. */
export function relayFailure(
  relay: Pick<RelayStatus, "id" | "status" | "txHash" | "blockNumber" | "error">,
): ReadableError {
  const error = relay.error;
  return {
    kind: error?.code === "reverted" ? "reverted" : "other",
    message: error?.message ?? "The relay failed.",
    ...(error?.code ? { code: error.code, service: "relayer" as const } : {}),
    ...(error?.name
      ? { customError: formatCustomError(error.name, error.args), errorName: error.name }
      : {}),
  };
}

/** Where a relay stands, for the person waiting: accepted, sent with a hash, or in a block. */
export type RelayProgress =
  { status: "accepted"; id: string } | { status: "sent"; id: string; hash: Hash };

/**
 * Sends a signed request to the relayer (`path`: `/consents`, `/grant-choices`) and follows it until it is in
 * a block. Resolves to its transaction and block when it succeeded; throws a RelayError when the relayer
 * refused it or it failed (with the contract's decoded error when it reverted).
 */
export async function relayAndWait(
  base: string,
  path: string,
  body: string,
  progress: (p: RelayProgress) => void,
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<{ hash: Hash; blockNumber: bigint }> {
  let id: string;
  try {
    id = (
      await gatewayFetch<{ id: string }>(base, path, { method: "POST", body, service: "relayer" })
    ).id;
  } catch (error) {
    const refusal = relayRefusal(error);
    throw refusal ? new RelayError(refusal) : error;
  }
  progress({ status: "accepted", id });
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let sent: Hash | null = null;
  for (;;) {
    const relay = await gatewayFetch<RelayStatus>(base, `/relays/${id}`, { service: "relayer" });
    if (relay.status === "failed") throw new RelayError(relayFailure(relay));
    if (relay.status === "mined" && relay.txHash && relay.blockNumber !== null)
      return { hash: relay.txHash, blockNumber: BigInt(relay.blockNumber) };
    if (relay.txHash && relay.txHash !== sent) {
      sent = relay.txHash;
      progress({ status: "sent", id, hash: sent });
    }
    if (Date.now() > deadline)
      throw new RelayError({
        kind: "other",
        code: "relay_timeout",
        service: "relayer",
        message: "The relayer has not reported this change in a block yet; check again later.",
      });
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
}
