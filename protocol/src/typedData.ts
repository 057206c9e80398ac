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
import { encodeFunctionData, type Address, type Hex } from "viem";
import { consentAbi, governorAbi } from "./abis.generated.ts";
import { canonicalHash } from "./canonical.ts";

export type RelayKind = "vote" | "consent" | "grantChoice";

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

export type RelayRequest = VoteRequest | ConsentRequest | GrantChoiceRequest;

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

/**
 * What makes a signed request unique for its signer and contract, so that one signature is relayed at most once at
 * a time: a ballot's proposal (one vote per proposal), a consent change's time, a grant choice's grant and time.
 */
export function replayKeyOf(r: RelayRequest): bigint {
  switch (r.kind) {
    case "vote":
      return r.proposalId;
    case "consent":
      return r.signedAt;
    case "grantChoice":
      return ((r.grantId + 1n) << 64n) | r.signedAt;
  }
}

/** The signer a request speaks for. */
export const signerOf = (r: RelayRequest): Address => (r.kind === "vote" ? r.voter : r.member);

/** The contract a request goes to. */
export const targetOf = (r: RelayRequest): "governor" | "consent" =>
  r.kind === "vote" ? "governor" : "consent";

/** The typed data the member signed, in `domain` (the target contract's). */
export function typedDataOf(r: RelayRequest, domain: Eip712Domain) {
  switch (r.kind) {
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
  }
}

/** The request as stored and shown: every integer a decimal string. */
export function requestJson(r: RelayRequest): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]),
  );
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
