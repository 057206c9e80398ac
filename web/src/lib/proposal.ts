/** The governor's proposal states (OpenZeppelin IGovernor.ProposalState) and vote choices. */
import {
  encodeAbiParameters,
  hexToBigInt,
  keccak256,
  type Log,
  parseAbiParameters,
  parseEventLogs,
  stringToHex,
} from "viem";
import { governorAbi } from "@datacoop/protocol/abis.generated";
export const PROPOSAL_STATES = [
  "pending",
  "active",
  "canceled",
  "defeated",
  "succeeded",
  "queued",
  "expired",
  "executed",
] as const;
export type ProposalStateName = (typeof PROPOSAL_STATES)[number];

export function proposalStateName(state: number): ProposalStateName {
  const name = PROPOSAL_STATES[state];
  if (!name) throw new RangeError(`Unknown proposal state ${state}`);
  return name;
}

/** GovernorCountingSimple's support values. */
export const SUPPORT = { against: 0, for: 1, abstain: 2 } as const;
export type SupportName = keyof typeof SUPPORT;

export type Tallies = { against: bigint; for: bigint; abstain: bigint };

/** What counts toward quorum in this governor: For plus Abstain. */
export function quorumVotes(t: Tallies): bigint {
  return t.for + t.abstain;
}

export function totalVotes(t: Tallies): bigint {
  return t.for + t.against + t.abstain;
}

/** A proposal's title: the first non-empty line of its description, without Markdown heading marks or
 * the `#proposer=0x…` suffix that protects it from front-running. */
export function proposalTitle(description: string): string {
  const text = description.replace(/#proposer=0x[0-9a-fA-F]{40}\s*$/, "");
  const line = text
    .split("\n")
    .map((l) => l.replace(/^#+\s*/, "").trim())
    .find((l) => l !== "");
  return line ?? "";
}

/** The description without its title line and without the `#proposer=` suffix. */
export function proposalBody(description: string): string {
  const text = description.replace(/#proposer=0x[0-9a-fA-F]{40}\s*$/, "").trim();
  const lines = text.split("\n");
  const first = lines.findIndex((l) => l.trim() !== "");
  return lines
    .slice(first + 1)
    .join("\n")
    .trim();
}

/** The indexer's state names ("Active", …) as the governor's. */
export function stateFromApi(state: string): ProposalStateName {
  const name = state.toLowerCase();
  if (!(PROPOSAL_STATES as readonly string[]).includes(name))
    throw new RangeError(`Unknown proposal state ${state}`);
  return name as ProposalStateName;
}

/**
 * An open proposal's state by the chain's clock (`now`, Unix seconds): the governor's rule, Pending until
 * its snapshot, Active until its deadline. The read API judges by the later of the wall clock and its
 * latest event, which lags a chain whose clock runs ahead; a closed proposal keeps the API's state.
 */
export function liveState(
  p: { state: string; voteStart: string; deadline: string },
  now: number,
): ProposalStateName {
  const state = stateFromApi(p.state);
  if (state !== "pending" && state !== "active") return state;
  if (now <= Number(p.voteStart)) return "pending";
  if (now <= Number(p.deadline)) return "active";
  return state;
}

/** The governor's proposal id: keccak256(abi.encode(targets, values, calldatas, keccak256(description))). */
export function proposalId(
  targets: readonly `0x${string}`[],
  values: readonly bigint[],
  calldatas: readonly `0x${string}`[],
  description: string,
): bigint {
  return hexToBigInt(
    keccak256(
      encodeAbiParameters(parseAbiParameters("address[], uint256[], bytes[], bytes32"), [
        targets,
        values,
        calldatas,
        keccak256(stringToHex(description)),
      ]),
    ),
  );
}

/** The proposals that would approve or reject `requestId` (their titles name it). */
export function requestProposals<T extends { description: string }>(
  proposals: readonly T[],
  requestId: string,
): T[] {
  const re = new RegExp(`^(Approve|Reject) data access request ${requestId}$`);
  return proposals.filter((p) => re.test(proposalTitle(p.description)));
}

/**
 * The id of the proposal a transaction created, from its ProposalCreated log (the governor's own id,
 * whether it hashes proposals or numbers them); undefined when the logs hold none.
 */
export function createdProposalId(logs: readonly Log[], governor: string): bigint | undefined {
  const events = parseEventLogs({
    abi: governorAbi,
    eventName: "ProposalCreated",
    logs: logs.filter((l) => l.address.toLowerCase() === governor.toLowerCase()),
  });
  return events[0]?.args.proposalId;
}
