import { network } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionReceipt } from "ethers";
import DataCoop from "../../ignition/modules/DataCoop.js";

// One connection for every data test file, so fixtures snapshot the same chain.
export const { ethers, ignition, networkHelpers } = await network.create();

export const DAY = 86_400;
export const GOVERNANCE = {
  votingDelay: 1,
  votingPeriod: 300,
  lateQuorumExtension: 60,
  quorumPercent: 50,
  timelockDelay: 120,
};
export const TREASURY_BPS = 1_000n;
export const MAX_DURATION = 90 * DAY;
export const FIELDS = ["region", "crop", "yield_kg", "rainfall_mm", "farm_size_ha"];

export enum Status {
  None,
  Pending,
  Approved,
  Rejected,
  Withdrawn,
  Revoked,
}
export enum Choice {
  Default,
  OptIn,
  OptOut,
}
export enum Mode {
  EqualSplit,
  ByUse,
}

export type Proposal = [string[], bigint[], string[], string];

/** The co-op with five founders, a guardian, a gateway operator and two would-be partners. */
export async function deployDataCoop() {
  const signers = await ethers.getSigners();
  const [deployer, guardian, operator, partner, otherPartner, stranger] = signers;
  const founders = signers.slice(6, 11);
  const deployed = await ignition.deploy(DataCoop, {
    parameters: {
      Governance: { founders: founders.map((f) => f.address), ...GOVERNANCE },
      DataCoop: {
        guardian: guardian.address,
        operator: operator.address,
        treasuryBps: Number(TREASURY_BPS),
        maxDuration: MAX_DURATION,
      },
    },
  });
  const timelock = await ethers.getContractAt(
    "TimelockController",
    await deployed.timelock.getAddress(),
  );
  const membership = await ethers.getContractAt(
    "Membership",
    await deployed.membership.getAddress(),
  );
  const governor = await ethers.getContractAt("CoopGovernor", await deployed.governor.getAddress());
  const registry = await ethers.getContractAt(
    "DataAccessRegistry",
    await deployed.registry.getAddress(),
  );
  const consent = await ethers.getContractAt(
    "ConsentRegistry",
    await deployed.consent.getAddress(),
  );
  const revenue = await ethers.getContractAt("Revenue", await deployed.revenue.getAddress());
  const accessLog = await ethers.getContractAt(
    "AccessLogAnchor",
    await deployed.accessLog.getAddress(),
  );

  const accountFactory = await ethers.getContractAt(
    "PasskeyAccountFactory",
    await deployed.accountFactory.getAddress(),
  );

  // Direct calls as the timelock, for unit tests of owner-only functions (end-to-end tests vote instead).
  const asTimelock = await ethers.getImpersonatedSigner(await timelock.getAddress());
  await networkHelpers.setBalance(asTimelock.address, 10n ** 20n);

  return {
    deployer,
    guardian,
    operator,
    partner,
    otherPartner,
    stranger,
    founders,
    timelock,
    membership,
    governor,
    registry,
    consent,
    revenue,
    accessLog,
    accountFactory,
    asTimelock,
  };
}

/** The co-op with dataset 1 registered. */
export async function withDataset() {
  const f = await deployDataCoop();
  await f.registry
    .connect(f.asTimelock)
    .registerDataset("Harvests 2025", "ipfs://schema", ethers.id("schema"), FIELDS);
  return f;
}

export const SCOPE = {
  fieldMask: 0b111n,
  rowLevel: false,
  minCohort: 5,
  exactTabulations: ethers.ZeroHash,
};
export const FEE = ethers.parseEther("1");
export const DURATION = 30 * DAY;
export const TERMS_URI = "ipfs://terms-of-request";
export const PARTNER_NAME = "Valley Research Institute";

/** Dataset 1 and request 1 by `partner`: aggregates of fields 0-2, k = 5, 30 days, 1 ETH. */
export async function withRequest() {
  const f = await withDataset();
  await f.registry
    .connect(f.partner)
    .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
  return f;
}

/** Request 1 approved by the timelock (equal split, members at approval: the five founders). */
export async function withGrant() {
  const f = await withRequest();
  const { termsHash } = await f.registry.request(1);
  await f.registry.connect(f.asTimelock).approve(1, termsHash);
  return f;
}

/** The terms hash as documented in DataAccessRegistry's NatSpec, computed independently. */
export async function expectedTermsHash(
  registry: string,
  requestId: bigint,
  partner: string,
  terms: {
    partnerName: string;
    datasetId: bigint;
    purpose: number;
    scope: typeof SCOPE;
    duration: number;
    termsURI: string;
    fee: bigint;
  },
) {
  const typeHash = ethers.id(
    "AccessTerms(uint256 chainId,address registry,uint256 requestId,address partner,bytes32 partnerNameHash," +
      "uint256 datasetId,uint8 purpose,uint256 fieldMask,bool rowLevel,uint32 minCohort,bytes32 exactTabulations," +
      "uint64 duration,bytes32 termsURIHash,uint256 fee)",
  );
  const { chainId } = await ethers.provider.getNetwork();
  return ethers.keccak256(
    ethers.AbiCoder.defaultAbiCoder().encode(
      [
        "bytes32",
        "uint256",
        "address",
        "uint256",
        "address",
        "bytes32",
        "uint256",
        "uint8",
        "uint256",
        "bool",
        "uint32",
        "bytes32",
        "uint64",
        "bytes32",
        "uint256",
      ],
      [
        typeHash,
        chainId,
        registry,
        requestId,
        partner,
        ethers.id(terms.partnerName),
        terms.datasetId,
        terms.purpose,
        terms.scope.fieldMask,
        terms.scope.rowLevel,
        terms.scope.minCohort,
        terms.scope.exactTabulations,
        terms.duration,
        ethers.id(terms.termsURI),
        terms.fee,
      ],
    ),
  );
}

type Governor = Awaited<ReturnType<typeof deployDataCoop>>["governor"];

/** Proposes, votes For with `voters`, queues and waits out the timelock delay; returns the description hash. */
export async function proposeAndQueue(
  governor: Governor,
  proposal: Proposal,
  proposer: HardhatEthersSigner,
  voters: HardhatEthersSigner[],
): Promise<string> {
  const [targets, values, calldatas, description] = proposal;
  const descriptionHash = ethers.id(description);
  await governor.connect(proposer).propose(targets, values, calldatas, description);
  const proposalId = await governor.getProposalId(targets, values, calldatas, descriptionHash);
  await networkHelpers.time.increase(GOVERNANCE.votingDelay + 1);
  for (const voter of voters) await governor.connect(voter).castVote(proposalId, 1);
  await networkHelpers.time.increase(GOVERNANCE.votingPeriod + 1);
  await governor.queue(targets, values, calldatas, descriptionHash);
  await networkHelpers.time.increase(GOVERNANCE.timelockDelay + 1);
  return descriptionHash;
}

/** A proposal end to end: propose, vote, queue, wait, execute; returns the execution receipt. */
export async function passProposal(
  governor: Governor,
  proposal: Proposal,
  proposer: HardhatEthersSigner,
  voters: HardhatEthersSigner[],
): Promise<ContractTransactionReceipt> {
  const descriptionHash = await proposeAndQueue(governor, proposal, proposer, voters);
  const [targets, values, calldatas] = proposal;
  const receipt = await (
    await governor.execute(targets, values, calldatas, descriptionHash)
  ).wait();
  if (receipt === null) throw new Error("execution was not mined");
  return receipt;
}

/** A view's (targets, values, calldatas, description) as plain arrays for `propose`. */
export function asProposal(result: [string[], bigint[], string[], string]): Proposal {
  const [targets, values, calldatas, description] = result;
  return [[...targets], [...values], [...calldatas], description];
}

export const CONSENT_TYPES = {
  SetConsent: [
    { name: "member", type: "address" },
    { name: "mask", type: "uint256" },
    { name: "signedAt", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  SetGrantChoice: [
    { name: "member", type: "address" },
    { name: "grantId", type: "uint256" },
    { name: "choice", type: "uint8" },
    { name: "signedAt", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The consent registry's EIP-712 domain; `overrides` forge one for another chain or contract. */
export async function consentDomain(
  consent: { getAddress(): Promise<string> },
  overrides: { chainId?: bigint; verifyingContract?: string } = {},
) {
  return {
    name: "DataCoop Consent",
    version: "1",
    chainId: overrides.chainId ?? (await ethers.provider.getNetwork()).chainId,
    verifyingContract: overrides.verifyingContract ?? (await consent.getAddress()),
  };
}

/** The time a member signs a consent change: the latest block's, so the registry can order it. */
export async function signingTime(): Promise<number> {
  return networkHelpers.time.latest();
}
