import type { ContractTransactionResponse, Signer, TypedDataDomain } from "ethers";
import { network } from "hardhat";
import Governance from "../../ignition/modules/Governance.js";
import type {
  CoopGovernor,
  Membership,
  TimelockController,
} from "../../types/ethers-contracts/index.js";

// One simulated chain for every governance test file; loadFixture snapshots and restores it.
export const { ethers, ignition, networkHelpers } = await network.create();
export const { time } = networkHelpers;

export const NAME = "Valley Growers Data Co-op";
export const SYMBOL = "VGDC";

/** Short settings (seconds and percent) so a whole proposal fits in a test. */
export const SETTINGS = {
  votingDelay: 60,
  votingPeriod: 600,
  lateQuorumExtension: 120,
  quorumPercent: 50,
  timelockDelay: 300,
} as const;

export type Settings = { [K in keyof typeof SETTINGS]: number };

/** IGovernor.ProposalState */
export enum ProposalState {
  Pending,
  Active,
  Canceled,
  Defeated,
  Succeeded,
  Queued,
  Expired,
  Executed,
}

/** GovernorMemberCounting.VoteType */
export enum Vote {
  Against,
  For,
  Abstain,
}

export const BALLOT_TYPES = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};

export const EXTENDED_BALLOT_TYPES = {
  ExtendedBallot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "reason", type: "string" },
    { name: "params", type: "bytes" },
  ],
};

export interface Coop {
  membership: Membership;
  governor: CoopGovernor;
  timelock: TimelockController;
}

export interface Call {
  target: string;
  data: string;
  value?: bigint;
}

export interface Proposal {
  id: bigint;
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
  descriptionHash: string;
}

/** Deploys a co-op through the same Ignition module as production. */
export async function deployCoop(
  founders: string[],
  settings: Partial<Settings> = {},
  name: string = NAME,
): Promise<Coop> {
  const deployed = await ignition.deploy(Governance, {
    parameters: { Governance: { name, symbol: SYMBOL, founders, ...SETTINGS, ...settings } },
  });
  return {
    membership: await ethers.getContractAt("Membership", await deployed.membership.getAddress()),
    governor: await ethers.getContractAt("CoopGovernor", await deployed.governor.getAddress()),
    timelock: await ethers.getContractAt(
      "TimelockController",
      await deployed.timelock.getAddress(),
    ),
  };
}

/** A co-op founded by five members; the deployer is not one of them. */
export async function coopFixture() {
  const [deployer, ...others] = await ethers.getSigners();
  const founders = others.slice(0, 5);
  const [outsider, applicant, relayer] = others.slice(5, 8);
  const coop = await deployCoop(founders.map((founder) => founder.address));
  const deployedAt = BigInt(await time.latest());
  return { ...coop, deployer, founders, outsider, applicant, relayer, deployedAt };
}

/** Two co-ops with the same name and founders: only their addresses differ. */
export async function twoCoopsFixture() {
  const base = await coopFixture();
  const other = await deployCoop(base.founders.map((founder) => founder.address));
  return { ...base, other };
}

/** A call to `membership.admit(account)`, the most common proposal. */
export async function admitCall(coop: Coop, account: string): Promise<Call> {
  return {
    target: await coop.membership.getAddress(),
    data: coop.membership.interface.encodeFunctionData("admit", [account]),
  };
}

export function describeProposal(calls: Call[], description: string): Omit<Proposal, "id"> {
  return {
    targets: calls.map((call) => call.target),
    values: calls.map((call) => call.value ?? 0n),
    calldatas: calls.map((call) => call.data),
    description,
    descriptionHash: ethers.id(description),
  };
}

export async function propose(
  governor: CoopGovernor,
  proposer: Signer,
  calls: Call[],
  description: string,
): Promise<Proposal> {
  const p = describeProposal(calls, description);
  await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description);
  // Proposals are numbered 1, 2, 3, … (GovernorSequentialProposalId): the number exists once proposed.
  const id = await governor.getProposalId(p.targets, p.values, p.calldatas, p.descriptionHash);
  return { ...p, id };
}

/** Moves the chain to `timestamp` unless it is already there or later. */
export async function timeTravelTo(timestamp: bigint): Promise<void> {
  if (BigInt(await time.latest()) < timestamp) await time.increaseTo(timestamp);
}

/** First second at which the proposal is Active. */
export async function startVoting(governor: CoopGovernor, proposal: Proposal): Promise<void> {
  await timeTravelTo((await governor.proposalSnapshot(proposal.id)) + 1n);
}

/** First second after the (possibly extended) deadline. */
export async function endVoting(governor: CoopGovernor, proposal: Proposal): Promise<void> {
  await timeTravelTo((await governor.proposalDeadline(proposal.id)) + 1n);
}

export async function castVotes(
  governor: CoopGovernor,
  proposal: Proposal,
  voters: Signer[],
  support: Vote = Vote.For,
): Promise<void> {
  for (const voter of voters) await governor.connect(voter).castVote(proposal.id, support);
}

export function queue(governor: CoopGovernor, proposal: Proposal) {
  return governor.queue(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    proposal.descriptionHash,
  );
}

export function execute(governor: CoopGovernor, proposal: Proposal) {
  return governor.execute(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    proposal.descriptionHash,
  );
}

/** Proposes, votes For with `voters`, closes the vote, queues and waits out the timelock delay. */
export async function passAndQueue(
  coop: Coop,
  proposer: Signer,
  voters: Signer[],
  calls: Call[],
  description: string,
): Promise<Proposal> {
  const proposal = await propose(coop.governor, proposer, calls, description);
  await startVoting(coop.governor, proposal);
  await castVotes(coop.governor, proposal, voters);
  await endVoting(coop.governor, proposal);
  await queue(coop.governor, proposal);
  await timeTravelTo(await coop.governor.proposalEta(proposal.id));
  return proposal;
}

/** Runs `calls` through a full, passing vote and returns the executed proposal. */
export async function enact(
  coop: Coop,
  proposer: Signer,
  voters: Signer[],
  calls: Call[],
  description: string,
): Promise<Proposal> {
  const proposal = await passAndQueue(coop, proposer, voters, calls, description);
  await execute(coop.governor, proposal);
  return proposal;
}

/**
 * The timelock as a signer, standing for "a passed vote executes this": used to arrange membership
 * changes at exact moments inside another proposal's voting period.
 */
export async function asTimelock(timelock: TimelockController): Promise<Signer> {
  const address = await timelock.getAddress();
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, ethers.parseEther("1"));
  return ethers.getSigner(address);
}

/** The governor's EIP-712 domain, read from the contract (ERC-5267), as a wallet or relayer does. */
export async function ballotDomain(
  governor: CoopGovernor,
  overrides: Partial<TypedDataDomain> = {},
): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await governor.eip712Domain();
  return { name, version, chainId, verifyingContract, ...overrides };
}

/**
 * The nonce a ballot carries: always 0. A member votes once per proposal, so the vote itself refuses a replay and
 * the governor writes no nonce.
 */
export const BALLOT_NONCE = 0n;

export async function signBallot(
  governor: CoopGovernor,
  signer: Signer,
  proposalId: bigint,
  support: Vote,
  options: { voter?: string; nonce?: bigint; domain?: Partial<TypedDataDomain> } = {},
): Promise<string> {
  const voter = options.voter ?? (await signer.getAddress());
  const nonce = options.nonce ?? BALLOT_NONCE;
  return signer.signTypedData(await ballotDomain(governor, options.domain), BALLOT_TYPES, {
    proposalId,
    support,
    voter,
    nonce,
  });
}

/** `bytes32(1 << state)` for each state, as Governor reports expected states in errors. */
export function stateBitmap(...states: number[]): string {
  return ethers.toBeHex(
    states.reduce((bits, state) => bits | (1n << BigInt(state)), 0n),
    32,
  );
}

/** The id the timelock gives to a queued proposal (salt: governor address XOR description hash). */
export async function timelockOperationId(coop: Coop, proposal: Proposal): Promise<string> {
  const governor = BigInt(await coop.governor.getAddress());
  const salt = ethers.toBeHex((governor << 96n) ^ BigInt(proposal.descriptionHash), 32);
  return coop.timelock.hashOperationBatch(
    proposal.targets,
    proposal.values,
    proposal.calldatas,
    ethers.ZeroHash,
    salt,
  );
}

/** Timestamp of the block that mined `tx`. */
export async function minedAt(tx: ContractTransactionResponse): Promise<bigint> {
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("transaction was not mined");
  const block = await ethers.provider.getBlock(receipt.blockNumber);
  if (block === null) throw new Error("block not found");
  return BigInt(block.timestamp);
}
