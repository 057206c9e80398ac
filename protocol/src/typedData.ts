/**
 * Every EIP-712 message of the co-op, exactly as its verifier checks it.
 *
 * For the relayer, what members sign as the contracts check it:
 * - a vote: the Governor's `Ballot(uint256 proposalId,uint8 support,address voter,uint256 nonce)`, or
 *   `ExtendedBallot(…,string reason,bytes params)` when the member gives a reason (params are always empty),
 *   in the governor's EIP-712 domain. The nonce is always 0: the governor writes no nonce, a member votes once per
 *   proposal, and that refuses a replay;
 * - a consent change: `SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)`;
 * - a per-grant choice: `SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline)`,
 *   both in the consent registry's domain ("DataCoop Consent", "1"); `signedAt` is when the member decided (a
 *   timestamp in seconds on the chain's clock): the registry takes it only if it is later than the member's latest
 *   decision on that entry and within their current membership, so an older signature can never undo a newer one;
 * - a proposal: `Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,
 *   uint256 deadline)` in the governor's domain (arrays hashed as EIP-712 prescribes).
 * These domains are read from the contracts themselves (ERC-5267 `eip712Domain()`), so a signature for
 * another chain or another contract never verifies.
 *
 * For the data gateway, in its own domain ("DataCoop Gateway", "1", the chain, the DataAccessRegistry):
 * - a partner's query: `QueryRequest(uint256 grantId,uint256 datasetId,bytes32 queryHash,uint256 nonce,uint256 deadline)`;
 * - a member's batch of records: `Contribution(uint256 datasetId,bytes32 recordsHash,uint256 nonce,uint256 deadline)`;
 * the hashes are keccak256 of the canonical JSON (canonical.ts) of the query and of the records.
 */
import {
  encodeAbiParameters,
  encodeFunctionData,
  keccak256,
  stringToHex,
  type Address,
  type Hex,
} from "viem";
import { consentAbi, governorAbi, revenueAbi } from "./abis.generated.ts";
import { canonicalHash } from "./canonical.ts";

export type RelayKind = "vote" | "consent" | "grantChoice" | "proposal" | "claim";

export interface VoteRequest {
  kind: "vote";
  voter: Address;
  proposalId: bigint;
  /** 0 Against, 1 For, 2 Abstain. */
  support: number;
  nonce: bigint;
  /** When given, the member signed an ExtendedBallot with this reason and empty params. */
  reason?: string;
  signature: Hex;
}

export interface ConsentRequest {
  kind: "consent";
  member: Address;
  mask: bigint;
  /** When the member decided (seconds, chain clock). */
  signedAt: bigint;
  deadline: bigint;
  signature: Hex;
}

export interface GrantChoiceRequest {
  kind: "grantChoice";
  member: Address;
  grantId: bigint;
  /** 0 Default (follow the standing consent), 1 OptIn, 2 OptOut. */
  choice: number;
  /** When the member decided (seconds, chain clock). */
  signedAt: bigint;
  deadline: bigint;
  signature: Hex;
}

/** A member's signed proposal, for `CoopGovernor.proposeBySig`: the member is its proposer. */
export interface ProposalRequest {
  kind: "proposal";
  proposer: Address;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  deadline: bigint;
  signature: Hex;
}

/** One share of a by-use distribution: its amount and Merkle proof (the operator's `/proofs` gives both). */
export interface ClaimAllocation {
  grantId: bigint;
  amount: bigint;
  proof: Hex[];
}

/**
 * A member's shares of fees, collected for them (`Revenue.claim` / `claimMany`). Nothing is signed: the contract
 * pays the member whoever sends the transaction, so a claim sent for someone else only pays them.
 */
export interface ClaimRequest {
  kind: "claim";
  member: Address;
  /** Grants split equally among the members (no proof needed). */
  equalGrantIds: bigint[];
  /** Grants split by use. */
  allocations: ClaimAllocation[];
}

/** A request that carries a member's signature (every kind but a claim). */
export type SignedRelayRequest =
  VoteRequest | ConsentRequest | GrantChoiceRequest | ProposalRequest;

export type RelayRequest = SignedRelayRequest | ClaimRequest;

export interface Eip712Domain {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
}

export const ballotTypes = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

export const extendedBallotTypes = {
  ExtendedBallot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "reason", type: "string" },
    { name: "params", type: "bytes" },
  ],
} as const;

export const setConsentTypes = {
  SetConsent: [
    { name: "member", type: "address" },
    { name: "mask", type: "uint256" },
    { name: "signedAt", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const setGrantChoiceTypes = {
  SetGrantChoice: [
    { name: "member", type: "address" },
    { name: "grantId", type: "uint256" },
    { name: "choice", type: "uint8" },
    { name: "signedAt", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const proposeTypes = {
  Propose: [
    { name: "proposer", type: "address" },
    { name: "targets", type: "address[]" },
    { name: "values", type: "uint256[]" },
    { name: "calldatas", type: "bytes[]" },
    { name: "description", type: "string" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/**
 * OpenZeppelin's proposal hash, `keccak256(abi.encode(targets, values, calldatas, keccak256(description)))`: the
 * same actions and description make the same proposal, whoever signs and whatever the deadline.
 */
export function proposalHashOf(
  p: Pick<ProposalRequest, "targets" | "values" | "calldatas" | "description">,
): bigint {
  return BigInt(
    keccak256(
      encodeAbiParameters(
        [{ type: "address[]" }, { type: "uint256[]" }, { type: "bytes[]" }, { type: "bytes32" }],
        [p.targets, p.values, p.calldatas, keccak256(stringToHex(p.description))],
      ),
    ),
  );
}

/** The grants a claim collects, in the order given. */
export const claimGrantIds = (r: ClaimRequest): bigint[] => [
  ...r.equalGrantIds,
  ...r.allocations.map((a) => a.grantId),
];

/**
 * What makes a request unique for its signer and contract, so that one signature is relayed at most once at
 * a time: a ballot's proposal (one vote per proposal), a consent change's time, a grant choice's grant and time, a
 * proposal's hash (the same actions and description), a claim's set of grants.
 */
export function replayKeyOf(r: RelayRequest): bigint {
  switch (r.kind) {
    case "vote":
      return r.proposalId;
    case "consent":
      return r.signedAt;
    case "grantChoice":
      return ((r.grantId + 1n) << 64n) | r.signedAt;
    case "proposal":
      return proposalHashOf(r);
    case "claim": {
      const ids = claimGrantIds(r).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return BigInt(keccak256(encodeAbiParameters([{ type: "uint256[]" }], [ids])));
    }
  }
}

/** The member a request speaks for (a claim's member is the one paid). */
export const signerOf = (r: RelayRequest): Address =>
  r.kind === "vote" ? r.voter : r.kind === "proposal" ? r.proposer : r.member;

/** The contract a request goes to. */
export const targetOf = (r: RelayRequest): "governor" | "consent" | "revenue" =>
  r.kind === "vote" || r.kind === "proposal"
    ? "governor"
    : r.kind === "claim"
      ? "revenue"
      : "consent";

/** The typed data the member signed, in `domain` (the target contract's). */
export function typedDataOf(r: SignedRelayRequest, domain: Eip712Domain) {
  switch (r.kind) {
    case "proposal":
      return {
        domain,
        types: proposeTypes,
        primaryType: "Propose" as const,
        message: {
          proposer: r.proposer,
          targets: r.targets,
          values: r.values,
          calldatas: r.calldatas,
          description: r.description,
          deadline: r.deadline,
        },
      };
    case "vote":
      return r.reason === undefined
        ? {
            domain,
            types: ballotTypes,
            primaryType: "Ballot" as const,
            message: {
              proposalId: r.proposalId,
              support: r.support,
              voter: r.voter,
              nonce: r.nonce,
            },
          }
        : {
            domain,
            types: extendedBallotTypes,
            primaryType: "ExtendedBallot" as const,
            message: {
              proposalId: r.proposalId,
              support: r.support,
              voter: r.voter,
              nonce: r.nonce,
              reason: r.reason,
              params: "0x" as Hex,
            },
          };
    case "consent":
      return {
        domain,
        types: setConsentTypes,
        primaryType: "SetConsent" as const,
        message: { member: r.member, mask: r.mask, signedAt: r.signedAt, deadline: r.deadline },
      };
    case "grantChoice":
      return {
        domain,
        types: setGrantChoiceTypes,
        primaryType: "SetGrantChoice" as const,
        message: {
          member: r.member,
          grantId: r.grantId,
          choice: r.choice,
          signedAt: r.signedAt,
          deadline: r.deadline,
        },
      };
  }
}

/** The contract call that carries a request. */
export function calldataOf(r: RelayRequest): Hex {
  switch (r.kind) {
    case "vote":
      return r.reason === undefined
        ? encodeFunctionData({
            abi: governorAbi,
            functionName: "castVoteBySig",
            args: [r.proposalId, r.support, r.voter, r.signature],
          })
        : encodeFunctionData({
            abi: governorAbi,
            functionName: "castVoteWithReasonAndParamsBySig",
            args: [r.proposalId, r.support, r.voter, r.reason, "0x", r.signature],
          });
    case "consent":
      return encodeFunctionData({
        abi: consentAbi,
        functionName: "setConsentBySig",
        args: [r.member, r.mask, r.signedAt, r.deadline, r.signature],
      });
    case "grantChoice":
      return encodeFunctionData({
        abi: consentAbi,
        functionName: "setGrantChoiceBySig",
        args: [r.member, r.grantId, r.choice, r.signedAt, r.deadline, r.signature],
      });
    case "proposal":
      return encodeFunctionData({
        abi: governorAbi,
        functionName: "proposeBySig",
        args: [
          r.targets,
          r.values,
          r.calldatas,
          r.description,
          r.proposer,
          r.deadline,
          r.signature,
        ],
      });
    case "claim": {
      // One share: the plain claim (cheaper); several: claimMany, in one transaction.
      const [equal] = r.equalGrantIds;
      const [allocation] = r.allocations;
      if (r.equalGrantIds.length === 1 && r.allocations.length === 0 && equal !== undefined) {
        return encodeFunctionData({
          abi: revenueAbi,
          functionName: "claim",
          args: [equal, r.member],
        });
      }
      if (r.equalGrantIds.length === 0 && r.allocations.length === 1 && allocation) {
        return encodeFunctionData({
          abi: revenueAbi,
          functionName: "claim",
          args: [allocation.grantId, r.member, allocation.amount, allocation.proof],
        });
      }
      return encodeFunctionData({
        abi: revenueAbi,
        functionName: "claimMany",
        args: [r.member, r.equalGrantIds, r.allocations],
      });
    }
  }
}

const jsonValue = (v: unknown): unknown =>
  typeof v === "bigint"
    ? v.toString()
    : Array.isArray(v)
      ? v.map(jsonValue)
      : v && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]))
        : v;

/**
 * The request as stored and shown: every integer a decimal string (a claim also lists its `grantIds`, which the
 * relayer's store searches for claims in flight).
 */
export function requestJson(r: RelayRequest): Record<string, unknown> {
  const json = jsonValue(r) as Record<string, unknown>;
  return r.kind === "claim" ? { ...json, grantIds: claimGrantIds(r).map(String) } : json;
}

export const GATEWAY_DOMAIN_NAME = "DataCoop Gateway";
export const GATEWAY_DOMAIN_VERSION = "1";

export interface GatewayDomainConfig {
  chainId: number;
  /** The DataAccessRegistry's address. */
  registry: Address;
}

/** The gateway's EIP-712 domain on a chain: bound to the co-op's DataAccessRegistry. */
export function gatewayDomain(config: GatewayDomainConfig) {
  return {
    name: GATEWAY_DOMAIN_NAME,
    version: GATEWAY_DOMAIN_VERSION,
    chainId: config.chainId,
    verifyingContract: config.registry,
  } as const;
}

export const queryRequestTypes = {
  QueryRequest: [
    { name: "grantId", type: "uint256" },
    { name: "datasetId", type: "uint256" },
    { name: "queryHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The message a partner signs for `query`. */
export function queryRequestMessage(p: {
  grantId: bigint;
  datasetId: bigint;
  query: unknown;
  nonce: bigint;
  deadline: bigint;
}) {
  return {
    grantId: p.grantId,
    datasetId: p.datasetId,
    queryHash: canonicalHash(p.query),
    nonce: p.nonce,
    deadline: p.deadline,
  };
}

/** The EIP-712 typed data of a partner's query, ready for the wallet. */
export function queryTypedData(
  input: GatewayDomainConfig & {
    grantId: bigint;
    datasetId: bigint;
    query: unknown;
    nonce: bigint;
    deadline: bigint;
  },
) {
  return {
    domain: gatewayDomain(input),
    types: queryRequestTypes,
    primaryType: "QueryRequest" as const,
    message: queryRequestMessage(input),
  };
}

export const contributionTypes = {
  Contribution: [
    { name: "datasetId", type: "uint256" },
    { name: "recordsHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The message a member signs for a batch of `records` to dataset `datasetId`. */
export function contributionMessage(p: {
  datasetId: bigint;
  records: readonly unknown[];
  nonce: bigint;
  deadline: bigint;
}) {
  return {
    datasetId: p.datasetId,
    recordsHash: canonicalHash(p.records),
    nonce: p.nonce,
    deadline: p.deadline,
  };
}
