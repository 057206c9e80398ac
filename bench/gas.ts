/**
 * Gas benchmark: the co-op's governance (Membership + CoopGovernor with GovernorMemberCounting) against
 * OpenZeppelin's stock stack (contracts/reference/), side by side on one chain, and the co-op's data actions
 * (data access registry, consent, revenue, access-log anchor), which have no OpenZeppelin counterpart. Our stack
 * is the whole co-op as deployed by the Ignition module "DataCoop".
 *
 *   npm run bench:gas
 *
 * Writes bench/results/gas.json and bench/results/gas.md and prints the tables. A missed target is reported,
 * not fatal: this is a measurement, not a test.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { updateReadmeSection } from "./readme.js";
import path from "node:path";
import { fileURLToPath } from "node:url";
import hre, { network } from "hardhat";
import type { ContractTransactionResponse, Signer, Wallet } from "ethers";
import DataCoop from "../ignition/modules/DataCoop.js";

const SETTINGS = {
  votingDelay: 3_600,
  votingPeriod: 3 * 86_400,
  lateQuorumExtension: 86_400,
  quorumPercent: 50,
  timelockDelay: 86_400,
  // CoopGovernor requires one vote to propose (fixed); the reference gets the same threshold.
  proposalThreshold: 1,
} as const;
const DATA_SETTINGS = {
  treasuryBps: 1_000,
  revenueMode: 0, // equal split
  maxDuration: 365 * 86_400,
} as const;
const NAME = "DataCoop";
const SYMBOL = "COOP";
const FOUNDERS = 100;
const SCALING_SMALL = 10;
const SCALING_LARGE = 10_000;
const SCALING_VOTERS = 100;
// 100 consecutive member ids in one 256-id bitmap word (word 19 holds ids 4864..5119).
const DENSE_FIRST_ID = 5_001;
// Against, For, Abstain as in GovernorCountingSimple; For first so that For > Against with 100 voters.
const SUPPORT_CYCLE = [1, 0, 2] as const;
const KEY_MASK = (1n << 192n) - 1n;

// Data actions: each is measured for this many members (ids 1..n) and averaged.
const DATA_SAMPLE = 10;
const ANCHORS = 5;
const FEE = 10n ** 18n;
const SCOPE = { fieldMask: 0b111n, rowLevel: false, minCohort: 5 };
const FIELDS = ["region", "crop", "yield_kg", "rainfall_mm", "farm_size_ha"];
const DURATION = 30 * 86_400;
const TERMS_URI = "ipfs://terms-of-request";
const PURPOSE = 0; // academic research
const CONSENT_FIRST = 0b11n; // academic and public-interest research
const CONSENT_CHANGED = 0b1n;
const OPT_OUT = 2; // IConsentRegistry.Choice.OptOut
// Members whose claims each open a fresh bitmap word at 10,000 members (words 19, 23, 27, 31, 35).
const CLAIM_NEW_WORD_IDS = [5_001, 6_001, 7_001, 8_001, 9_001];

const TARGETS = {
  castVote: 0.8,
  castVoteBySig: 0.85,
  other: 1.1,
  scalingDeviation: 0.02,
} as const;

const ACTIONS = [
  "admit",
  "propose",
  "castVote",
  "castVoteBySig",
  "queue",
  "execute",
  "resign",
] as const;
type Action = (typeof ACTIONS)[number];

const DATA_ACTIONS = [
  "requestAccess",
  "sponsor",
  "approve",
  "setConsent",
  "setConsentChange",
  "setConsentBySig",
  "optOut",
  "claim",
  "anchor",
] as const;
type DataAction = (typeof DATA_ACTIONS)[number];
/** Upper bounds in gas; actions without one are reported only. */
const DATA_TARGETS: Partial<Record<DataAction, number>> = {
  setConsent: 50_000,
  setConsentChange: 30_000,
  claim: 60_000,
  anchor: 60_000,
};
/** Measured at 10 and at 10,000 members; the ratio must stay within TARGETS.scalingDeviation. */
const FLAT_ACTIONS = ["setConsent", "setConsentChange", "optOut", "claim", "anchor"] as const;
type FlatAction = (typeof FLAT_ACTIONS)[number];
const DATA_DESCRIPTIONS: Record<DataAction, string> = {
  requestAccess:
    "DataAccessRegistry.requestAccess by a partner with a 1 ETH fee (the co-op's second request)",
  sponsor: "a member's governor.propose of registry.approvalProposal(requestId)",
  approve:
    "governor.execute of that approval (registry.approve, fee to Revenue: treasury share paid, equal split recorded)",
  setConsent: `ConsentRegistry.setConsent, a member's first setting (mean over ${DATA_SAMPLE} members)`,
  setConsentChange: `setConsent changing an existing setting (mean over the same ${DATA_SAMPLE})`,
  setConsentBySig: `setConsentBySig, first setting, EIP-712 signature relayed (mean over ${DATA_SAMPLE} other members)`,
  optOut: `ConsentRegistry.setGrantChoice(grantId, OptOut), first choice on the grant (mean over ${DATA_SAMPLE})`,
  claim: `Revenue equal-split claim sent by a relayer to a member who has ETH (mean over ${DATA_SAMPLE})`,
  anchor: `AccessLogAnchor.anchor by the operator, anchors 2..${ANCHORS + 1} (mean)`,
};

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const started = Date.now();

type Connection = Awaited<ReturnType<typeof network.create>>;
const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const [relayer, guardian, operator, partner] = await ethers.getSigners();

// ---------------------------------------------------------------------------------------------- helpers

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

const mean = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
const ratio = (a: number, b: number): number => Math.round((a / b) * 1000) / 1000;
const oneDecimal = (x: number): number => Math.round(x * 10) / 10;
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** A deterministic key per label, so every run uses the same accounts. */
function wallet(label: string): Wallet {
  return new ethers.Wallet(ethers.id(`datacoop gas bench: ${label}`));
}

/** A signer for `address` without its key (impersonated, funded): gas used does not depend on how a tx is signed. */
async function impersonate(address: string): Promise<Signer> {
  await networkHelpers.impersonateAccount(address);
  await networkHelpers.setBalance(address, 10n ** 21n);
  return ethers.getSigner(address);
}

async function signBallot(
  governorAddress: string,
  voter: Wallet,
  proposalId: bigint,
  support: number,
  nonce: bigint,
  gov: { eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]> },
): Promise<string> {
  const [, name, version, chainId] = await gov.eip712Domain();
  return voter.signTypedData(
    { name, version, chainId, verifyingContract: governorAddress },
    {
      Ballot: [
        { name: "proposalId", type: "uint256" },
        { name: "support", type: "uint8" },
        { name: "voter", type: "address" },
        { name: "nonce", type: "uint256" },
      ],
    },
    { proposalId, support, voter: voter.address, nonce },
  );
}

function settingsForIgnition() {
  const { votingDelay, votingPeriod, lateQuorumExtension, quorumPercent, timelockDelay } = SETTINGS;
  return { votingDelay, votingPeriod, lateQuorumExtension, quorumPercent, timelockDelay };
}

// ---------------------------------------------------------------------------------------------- the co-op

/** The whole co-op through the Ignition module "DataCoop" (which uses "Governance"), on `conn`. */
async function deployCoop(conn: Connection, founders: string[]) {
  const e = conn.ethers;
  const [, guardianAccount, operatorAccount, partnerAccount] = await e.getSigners();
  const deployed = await conn.ignition.deploy(DataCoop, {
    parameters: {
      Governance: { name: NAME, symbol: SYMBOL, founders, ...settingsForIgnition() },
      DataCoop: {
        guardian: guardianAccount.address,
        operator: operatorAccount.address,
        ...DATA_SETTINGS,
      },
    },
  });
  const timelockAddress = await deployed.timelock.getAddress();
  await conn.networkHelpers.impersonateAccount(timelockAddress);
  await conn.networkHelpers.setBalance(timelockAddress, 10n ** 24n);
  return {
    e,
    timelock: deployed.timelock,
    timelockAddress,
    asTimelock: await e.getSigner(timelockAddress),
    operator: operatorAccount,
    partner: partnerAccount,
    membership: await e.getContractAt("Membership", await deployed.membership.getAddress()),
    governor: await e.getContractAt("CoopGovernor", await deployed.governor.getAddress()),
    registry: await e.getContractAt("DataAccessRegistry", await deployed.registry.getAddress()),
    consent: await e.getContractAt("ConsentRegistry", await deployed.consent.getAddress()),
    revenue: await e.getContractAt("Revenue", await deployed.revenue.getAddress()),
    accessLog: await e.getContractAt("AccessLogAnchor", await deployed.accessLog.getAddress()),
  };
}
type Coop = Awaited<ReturnType<typeof deployCoop>>;

const CLAIM_EQUAL = "claim(uint256,address)";

/** Registers the one dataset every request asks for (set-up, as the timelock). */
async function registerDataset(coop: Coop) {
  await (
    await coop.registry
      .connect(coop.asTimelock)
      .registerDataset("Harvests 2025", "ipfs://schema", coop.e.id("schema"), FIELDS)
  ).wait();
}

/** A partner's request for dataset 1; returns its id and gas. */
async function requestAccess(coop: Coop): Promise<{ id: bigint; gas: number }> {
  const gas = await gasOf(
    coop.registry
      .connect(coop.partner)
      .requestAccess(1, PURPOSE, SCOPE, DURATION, TERMS_URI, { value: FEE }),
  );
  return { id: await coop.registry.requestCount(), gas };
}

/**
 * The member-side data actions for `members`: first consent, changed consent, opt-out of `grantId`, and the
 * equal-split claims of `grantId` (sent by the relayer; every member here has ETH).
 */
async function memberActions(
  coop: Coop,
  members: Signer[],
  grantId: bigint,
  claimer: Signer,
): Promise<Record<"setConsent" | "setConsentChange" | "optOut" | "claim", number[]>> {
  const out = { setConsent: [], setConsentChange: [], optOut: [], claim: [] } as Record<
    "setConsent" | "setConsentChange" | "optOut" | "claim",
    number[]
  >;
  for (const m of members)
    out.setConsent.push(await gasOf(coop.consent.connect(m).setConsent(CONSENT_FIRST)));
  await coop.e.provider.send("evm_increaseTime", [60]);
  for (const m of members) {
    out.setConsentChange.push(await gasOf(coop.consent.connect(m).setConsent(CONSENT_CHANGED)));
  }
  for (const m of members) {
    out.optOut.push(await gasOf(coop.consent.connect(m).setGrantChoice(grantId, OPT_OUT)));
  }
  for (const m of members) {
    const member = await m.getAddress();
    if ((await coop.e.provider.getBalance(member)) === 0n) throw new Error("claimant has no ETH");
    out.claim.push(await gasOf(coop.revenue.connect(claimer)[CLAIM_EQUAL](grantId, member)));
  }
  return out;
}

/** The operator's anchors: the first (set-up) if none yet, then `count` measured ones. */
async function anchors(coop: Coop, count: number): Promise<number[]> {
  const root = (i: number) => coop.e.id(`access log root ${i}`);
  let [latestRoot, , index] = await coop.accessLog.latest();
  if (index === 0n) {
    await (
      await coop.accessLog.connect(coop.operator).anchor(root(1), 100, coop.e.ZeroHash)
    ).wait();
    [latestRoot, , index] = await coop.accessLog.latest();
  }
  const gas: number[] = [];
  for (let i = Number(index) + 1; i <= Number(index) + count; i++) {
    gas.push(
      await gasOf(coop.accessLog.connect(coop.operator).anchor(root(i), i * 100, latestRoot)),
    );
    latestRoot = root(i);
  }
  return gas;
}

// ---------------------------------------------------------------------------------------------- the two stacks

/** What the benchmark does on either stack; each implementation uses its own contracts' API. */
interface Stack {
  label: "ours" | "reference";
  governorAddress: string;
  /** Gas of admitting `account` as member `memberId`, outside governance (as the timelock), by transaction. */
  admit(account: string, memberId: number): Promise<number[]>;
  /** A call that costs the same on both stacks: the timelock re-setting its own delay. */
  sameCostCall(): Promise<{ target: string; data: string }>;
  /** Target and calldata of a proposal that admits `account` as member `memberId`. */
  admissionCall(account: string, memberId: number): Promise<{ target: string; data: string }>;
  propose(
    from: Signer,
    target: string,
    data: string,
    description: string,
  ): Promise<{ id: bigint; gas: number }>;
  castVote(from: Signer, proposalId: bigint, support: number): Promise<number>;
  castVoteBySig(voter: Wallet, proposalId: bigint, support: number): Promise<number>;
  deadline(proposalId: bigint): Promise<bigint>;
  queue(target: string, data: string, description: string): Promise<number>;
  execute(target: string, data: string, description: string): Promise<number>;
  resign(member: Signer, memberId: number): Promise<number>;
}

async function deployOurs(coop: Coop): Promise<Stack> {
  const { membership, governor, timelock, timelockAddress, asTimelock } = coop;
  const governorAddress = await governor.getAddress();
  const membershipAddress = await membership.getAddress();
  return {
    label: "ours",
    governorAddress,
    admit: async (account) => [await gasOf(membership.connect(asTimelock).admit(account))],
    sameCostCall: async () => ({
      target: timelockAddress,
      data: timelock.interface.encodeFunctionData("updateDelay", [SETTINGS.timelockDelay]),
    }),
    admissionCall: async (account) => ({
      target: membershipAddress,
      data: membership.interface.encodeFunctionData("admit", [account]),
    }),
    async propose(from, target, data, description) {
      const id = await governor.hashProposal([target], [0], [data], ethers.id(description));
      return {
        id,
        gas: await gasOf(governor.connect(from).propose([target], [0], [data], description)),
      };
    },
    castVote: (from, id, support) => gasOf(governor.connect(from).castVote(id, support)),
    async castVoteBySig(voter, id, support) {
      const nonce = await governor["nonces(address,uint192)"](voter.address, id & KEY_MASK);
      const signature = await signBallot(governorAddress, voter, id, support, nonce, governor);
      return gasOf(governor.connect(relayer).castVoteBySig(id, support, voter.address, signature));
    },
    deadline: (id) => governor.proposalDeadline(id),
    queue: (target, data, description) =>
      gasOf(governor.connect(relayer).queue([target], [0], [data], ethers.id(description))),
    execute: (target, data, description) =>
      gasOf(governor.connect(relayer).execute([target], [0], [data], ethers.id(description))),
    resign: (member) => gasOf(membership.connect(member).resign()),
  };
}

async function deployReference(founders: string[]): Promise<Stack> {
  const deployer = relayer;
  const deployerAddress = await deployer.getAddress();
  const timelockContract = await ethers.deployContract("TimelockController", [
    SETTINGS.timelockDelay,
    [],
    [],
    deployerAddress,
  ]);
  const timelockAddress = await timelockContract.getAddress();
  const membership = await ethers.deployContract("ReferenceMembership", [
    NAME,
    SYMBOL,
    deployerAddress,
  ]);
  const membershipAddress = await membership.getAddress();
  const governor = await ethers.deployContract("ReferenceGovernor", [
    NAME,
    membershipAddress,
    timelockAddress,
    {
      votingDelay: SETTINGS.votingDelay,
      votingPeriod: SETTINGS.votingPeriod,
      proposalThreshold: SETTINGS.proposalThreshold,
      lateQuorumExtension: SETTINGS.lateQuorumExtension,
      quorumPercent: SETTINGS.quorumPercent,
    },
  ]);
  const governorAddress = await governor.getAddress();
  // The same wiring as the Ignition module: the governor is the only proposer, canceller and executor.
  for (const role of [
    await timelockContract.PROPOSER_ROLE(),
    await timelockContract.CANCELLER_ROLE(),
    await timelockContract.EXECUTOR_ROLE(),
  ]) {
    await (await timelockContract.grantRole(role, governorAddress)).wait();
  }
  await (
    await timelockContract.renounceRole(
      await timelockContract.DEFAULT_ADMIN_ROLE(),
      deployerAddress,
    )
  ).wait();

  // Founders get member numbers 1..n as in Membership, then delegate to themselves (plain OZ: no vote without it).
  for (const [i, founder] of founders.entries()) {
    await (await membership.mint(founder, i + 1)).wait();
  }
  await (await membership.transferOwnership(timelockAddress)).wait();
  for (const founder of founders) {
    await (await membership.connect(await impersonate(founder)).delegate(founder)).wait();
  }

  const timelock = await impersonate(timelockAddress);
  return {
    label: "reference",
    governorAddress,
    async admit(account, memberId) {
      const mint = await gasOf(membership.connect(timelock).mint(account, memberId));
      const delegate = await gasOf(
        membership.connect(await impersonate(account)).delegate(account),
      );
      return [mint, delegate];
    },
    sameCostCall: async () => ({
      target: timelockAddress,
      data: timelockContract.interface.encodeFunctionData("updateDelay", [SETTINGS.timelockDelay]),
    }),
    admissionCall: async (account, memberId) => ({
      target: membershipAddress,
      data: membership.interface.encodeFunctionData("mint", [account, memberId]),
    }),
    async propose(from, target, data, description) {
      const id = await governor.hashProposal([target], [0], [data], ethers.id(description));
      return {
        id,
        gas: await gasOf(governor.connect(from).propose([target], [0], [data], description)),
      };
    },
    castVote: (from, id, support) => gasOf(governor.connect(from).castVote(id, support)),
    async castVoteBySig(voter, id, support) {
      const nonce = await governor.nonces(voter.address);
      const signature = await signBallot(governorAddress, voter, id, support, nonce, governor);
      return gasOf(governor.connect(relayer).castVoteBySig(id, support, voter.address, signature));
    },
    deadline: (id) => governor.proposalDeadline(id),
    queue: (target, data, description) =>
      gasOf(governor.connect(relayer).queue([target], [0], [data], ethers.id(description))),
    execute: (target, data, description) =>
      gasOf(governor.connect(relayer).execute([target], [0], [data], ethers.id(description))),
    resign: (member, memberId) => gasOf(membership.connect(member).burn(memberId)),
  };
}

// ---------------------------------------------------------------------------------------------- side by side

const founderWallets = Array.from({ length: FOUNDERS }, (_, i) => wallet(`founder ${i + 1}`));
const founders = founderWallets.map((w) => w.address);
const founderSigners = await Promise.all(founders.map(impersonate));
// Admitted directly (admit), and admitted by proposal A. Proposal B (the by-signature votes) makes a call that
// costs the same on both stacks, so its queue and execute compare the governors on the same payload.
const newcomer = wallet("newcomer").address;
const admittedByVote = wallet("admitted by vote").address;

const coop = await deployCoop(connection, founders);
const stacks = [await deployOurs(coop), await deployReference(founders)];
await time.increase(10);

const gas = Object.fromEntries(
  stacks.map((s) => [s.label, {} as Record<Action, number>]),
) as Record<Stack["label"], Record<Action, number>>;
const voteDetail: Record<string, { min: number; max: number; first: number }> = {};

interface Proposal {
  id: bigint;
  target: string;
  data: string;
  description: string;
}
const proposals = new Map<Stack, { a: Proposal; b: Proposal }>();

const admitParts: Record<string, number[]> = {};
for (const stack of stacks) {
  admitParts[stack.label] = await stack.admit(newcomer, FOUNDERS + 1);
  gas[stack.label].admit = admitParts[stack.label].reduce((a, b) => a + b, 0);
}
await time.increase(10);

for (const stack of stacks) {
  // The same admission proposal on both stacks (same description, so the same string cost).
  const callA = await stack.admissionCall(admittedByVote, FOUNDERS + 2);
  const descA = `Admit ${admittedByVote} as member ${FOUNDERS + 2}`;
  const a = await stack.propose(founderSigners[0], callA.target, callA.data, descA);
  const callB = await stack.sameCostCall();
  const descB = `Keep the timelock delay at ${SETTINGS.timelockDelay} seconds`;
  const b = await stack.propose(founderSigners[1], callB.target, callB.data, descB);
  gas[stack.label].propose = a.gas;
  proposals.set(stack, {
    a: { id: a.id, ...callA, description: descA },
    b: { id: b.id, ...callB, description: descB },
  });
}
await time.increase(SETTINGS.votingDelay + 1);

for (const stack of stacks) {
  const { a, b } = proposals.get(stack)!;
  const direct: number[] = [];
  const bySig: number[] = [];
  for (let i = 0; i < FOUNDERS; i++) {
    direct.push(await stack.castVote(founderSigners[i], a.id, SUPPORT_CYCLE[i % 3]));
  }
  for (let i = 0; i < FOUNDERS; i++) {
    bySig.push(await stack.castVoteBySig(founderWallets[i], b.id, SUPPORT_CYCLE[i % 3]));
  }
  gas[stack.label].castVote = mean(direct);
  gas[stack.label].castVoteBySig = mean(bySig);
  voteDetail[`${stack.label}.castVote`] = {
    first: direct[0],
    min: Math.min(...direct),
    max: Math.max(...direct),
  };
  voteDetail[`${stack.label}.castVoteBySig`] = {
    first: bySig[0],
    min: Math.min(...bySig),
    max: Math.max(...bySig),
  };
}

let latestDeadline = 0n;
for (const stack of stacks) {
  for (const p of Object.values(proposals.get(stack)!)) {
    const deadline = await stack.deadline(p.id);
    if (deadline > latestDeadline) latestDeadline = deadline;
  }
}
await time.increaseTo(latestDeadline + 1n);

// Official queue and execute: proposal B, the same payload on both stacks. Proposal A (admission) is supplementary.
const admission: Record<string, { queue: number; execute: number }> = {};
for (const stack of stacks) {
  const { a, b } = proposals.get(stack)!;
  admission[stack.label] = {
    queue: await stack.queue(a.target, a.data, a.description),
    execute: 0,
  };
  gas[stack.label].queue = await stack.queue(b.target, b.data, b.description);
}
await time.increase(SETTINGS.timelockDelay + 1);
for (const stack of stacks) {
  const { a, b } = proposals.get(stack)!;
  admission[stack.label].execute = await stack.execute(a.target, a.data, a.description);
  gas[stack.label].execute = await stack.execute(b.target, b.data, b.description);
  gas[stack.label].resign = await stack.resign(founderSigners[FOUNDERS - 1], FOUNDERS);
}
const sideBySideSeconds = (Date.now() - started) / 1000;

// ---------------------------------------------------------------------------------------------- data actions

/**
 * The data actions on the same co-op (now 101 members: the 100 founders, the two admitted, one resigned). The
 * approval goes through governance as in production; the members measured are founders 1..10 (and 11..20 for
 * consent by signature), each with ETH.
 */
async function dataActions() {
  const dataStarted = Date.now();
  const { registry, governor, consent, e } = coop;
  await registerDataset(coop);
  // The co-op's first request also creates the registry's counters; the second is the typical one.
  const firstRequest = await requestAccess(coop);
  const request = await requestAccess(coop);

  const [targets, values, calldatas, description] = await registry.approvalProposal(request.id);
  const call: [string[], bigint[], string[]] = [[...targets], [...values], [...calldatas]];
  const descriptionHash = e.id(description);
  const proposalId = await governor.hashProposal(...call, descriptionHash);
  const sponsor = await gasOf(governor.connect(founderSigners[0]).propose(...call, description));
  await time.increase(SETTINGS.votingDelay + 1);
  const quorum = Number(await governor.quorum(await governor.proposalSnapshot(proposalId)));
  for (const voter of founderSigners.slice(0, quorum + 5)) {
    await (await governor.connect(voter).castVote(proposalId, 1)).wait();
  }
  await time.increaseTo((await governor.proposalDeadline(proposalId)) + 1n);
  const approvalQueue = await gasOf(governor.connect(relayer).queue(...call, descriptionHash));
  await time.increase(SETTINGS.timelockDelay + 1);
  const approve = await gasOf(governor.connect(relayer).execute(...call, descriptionHash));
  if ((await registry.request(request.id)).status !== 2n) throw new Error("request not approved");

  const members = founderSigners.slice(0, DATA_SAMPLE);
  const perMember = await memberActions(coop, members, request.id, relayer);

  // Consent by signature: a member's first setting, signed (keyed nonce, key 0) and relayed.
  const domain = {
    name: "DataCoop Consent",
    version: "1",
    chainId: (await e.provider.getNetwork()).chainId,
    verifyingContract: await consent.getAddress(),
  };
  const types = {
    SetConsent: [
      { name: "member", type: "address" },
      { name: "mask", type: "uint256" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const bySig: number[] = [];
  for (const member of founderWallets.slice(DATA_SAMPLE, 2 * DATA_SAMPLE)) {
    const nonce = await consent["nonces(address,uint192)"](member.address, 0);
    const deadline = BigInt(await time.latest()) + 3_600n;
    const signature = await member.signTypedData(domain, types, {
      member: member.address,
      mask: CONSENT_FIRST,
      nonce,
      deadline,
    });
    bySig.push(
      await gasOf(
        consent
          .connect(relayer)
          .setConsentBySig(member.address, CONSENT_FIRST, nonce, deadline, signature),
      ),
    );
  }
  const anchorGas = await anchors(coop, ANCHORS);

  const samples: Record<DataAction, number[]> = {
    requestAccess: [request.gas],
    sponsor: [sponsor],
    approve: [approve],
    ...perMember,
    setConsentBySig: bySig,
    anchor: anchorGas,
  };
  return {
    samples,
    firstRequest: firstRequest.gas,
    approvalQueue,
    members: Number(await coop.membership.memberCount()),
    seconds: (Date.now() - dataStarted) / 1000,
  };
}

const data = await dataActions();

// ---------------------------------------------------------------------------------------------- scaling

/** Gas of the staticcall from the governor to `callee` with `selector` inside a transaction, from its trace. */
async function callInTrace(
  e: Connection["ethers"],
  txHash: string,
  callee: string,
  selector: string,
): Promise<{ gas: number; sloads: number } | null> {
  const trace = await e.provider.send("debug_traceTransaction", [
    txHash,
    { disableStorage: true, enableMemory: true, disableStack: false },
  ]);
  const logs: {
    op: string;
    gas: number;
    depth: number;
    stack?: string[];
    memory?: string[];
  }[] = trace.structLogs;
  const word = (hex: string) => BigInt(hex.startsWith("0x") ? hex : `0x${hex}`);
  for (let i = 0; i < logs.length; i++) {
    const step = logs[i];
    if (step.op !== "STATICCALL" || step.depth !== 1 || !step.stack) continue;
    const stack = step.stack;
    const to = word(stack[stack.length - 2]);
    if (to !== BigInt(callee)) continue;
    const argsOffset = Number(word(stack[stack.length - 3]));
    const memory = (step.memory ?? []).map((w) => w.replace(/^0x/, "")).join("");
    if (`0x${memory.slice(argsOffset * 2, argsOffset * 2 + 8)}` !== selector) continue;
    let sloads = 0;
    let j = i + 1;
    for (; j < logs.length && logs[j].depth > 1; j++) if (logs[j].op === "SLOAD") sloads++;
    return { gas: step.gas - logs[j].gas, sloads };
  }
  return null;
}

/**
 * Our stack at two sizes on its own chain: castVote, and the data actions that must not depend on the number of
 * members. Member ids are dense from 1, so a member's bitmap word is id >> 8. Every admission is its own block
 * (one member-count checkpoint each), as when a co-op grows one accepted application at a time. The data actions
 * at 10 members run from a snapshot that is then restored, so at 10,000 members the same members do the same
 * things on the same (first) grant: only the member count differs.
 */
async function scaling() {
  const chain = await network.create();
  const e = chain.ethers;
  const helpers = chain.networkHelpers;
  const [chainRelayer] = await e.getSigners();
  const addressOf = (memberId: number) =>
    e.getAddress(e.dataSlice(e.id(`datacoop gas bench: member ${memberId}`), 12));
  const signerOf = async (memberId: number) => {
    const address = addressOf(memberId);
    await helpers.impersonateAccount(address);
    await helpers.setBalance(address, 10n ** 21n);
    return e.getSigner(address);
  };

  const initial = range(1, SCALING_SMALL).map(addressOf);
  const c = await deployCoop(chain, initial);
  const { membership, governor } = c;
  const membershipAddress = await membership.getAddress();
  await registerDataset(c);
  const totalSupplySelector = membership.interface.getFunction("getPastTotalSupply")!.selector;

  async function voteRound(label: string, voterIds: number[]) {
    const proposer = await signerOf(1);
    const subject = e.getAddress(e.dataSlice(e.id(`datacoop gas bench: ${label}`), 12));
    const data = membership.interface.encodeFunctionData("admit", [subject]);
    const description = `Admit ${subject} (${label})`;
    await (
      await governor.connect(proposer).propose([membershipAddress], [0], [data], description)
    ).wait();
    const id = await governor.hashProposal([membershipAddress], [0], [data], e.id(description));
    await helpers.time.increase(SETTINGS.votingDelay + 1);
    const quorum = await governor.quorum(await governor.proposalSnapshot(id));

    const words = new Set<number>();
    let forAndAbstain = 0n;
    const all: number[] = [];
    const opensWord: number[] = [];
    const sharesWord: number[] = [];
    let first = 0;
    let firstHash = "";
    let reachesQuorum: number | null = null;
    for (const [i, memberId] of voterIds.entries()) {
      const support = SUPPORT_CYCLE[i % 3];
      const receipt = await (
        await governor.connect(await signerOf(memberId)).castVote(id, support)
      ).wait();
      const used = Number(receipt!.gasUsed);
      all.push(used);
      const word = memberId >> 8;
      const newWord = !words.has(word);
      words.add(word);
      const before = forAndAbstain;
      if (support !== 0) forAndAbstain += 1n;
      if (i === 0) {
        first = used;
        firstHash = receipt!.hash;
      } else if (before < quorum && forAndAbstain >= quorum) reachesQuorum = used;
      else (newWord ? opensWord : sharesWord).push(used);
    }
    // The first vote caches the quorum, which reads the member count at the snapshot from its checkpoints.
    const quorumLookup = await callInTrace(e, firstHash, membershipAddress, totalSupplySelector);
    return {
      voters: voterIds.length,
      bitmapWords: words.size,
      mean: mean(all),
      meanAfterFirst: mean(all.slice(1)),
      firstVote: first,
      firstVoteQuorumLookup: quorumLookup,
      opensBitmapWord: opensWord.length ? mean(opensWord) : null,
      bitmapWordAlreadyWritten: sharesWord.length ? mean(sharesWord) : null,
      reachesQuorum,
      all,
    };
  }

  /** The data actions of members 1..DATA_SAMPLE on the co-op's first grant, approved directly by the timelock. */
  async function dataRound() {
    const request = await requestAccess(c);
    const { termsHash } = await c.registry.request(request.id);
    const approveDirect = await gasOf(
      c.registry.connect(c.asTimelock).approve(request.id, termsHash),
    );
    const members = await Promise.all(range(1, DATA_SAMPLE).map(signerOf));
    const perMember = await memberActions(c, members, request.id, chainRelayer);
    const anchorGas = await anchors(c, ANCHORS);
    return {
      grantId: request.id,
      requestAccess: request.gas,
      approveDirect,
      ...perMember,
      anchor: anchorGas,
    };
  }

  const small = await voteRound(
    "10 members",
    initial.map((_, i) => i + 1),
  );
  const beforeData = await helpers.takeSnapshot();
  const smallData = await dataRound();
  await beforeData.restore();

  const admitStarted = Date.now();
  let nonce = await e.provider.getTransactionCount(c.timelockAddress);
  for (let memberId = SCALING_SMALL + 1; memberId <= SCALING_LARGE; memberId++) {
    await e.provider.send("eth_sendTransaction", [
      {
        from: c.timelockAddress,
        to: membershipAddress,
        data: membership.interface.encodeFunctionData("admit", [addressOf(memberId)]),
        gas: "0x40000",
        nonce: e.toQuantity(nonce++),
      },
    ]);
  }
  const admitSeconds = (Date.now() - admitStarted) / 1000;
  const count = Number(await membership.memberCount());
  if (count !== SCALING_LARGE) throw new Error(`expected ${SCALING_LARGE} members, got ${count}`);
  await helpers.time.increase(10);

  // The small co-op's voters again: the same ids and bitmap layout, only the member count differs.
  const largeSameVoters = await voteRound(
    "10000 members, voters 1..10",
    initial.map((_, i) => i + 1),
  );
  const stride = SCALING_LARGE / SCALING_VOTERS;
  const spread = await voteRound(
    "10000 members, spread voters",
    range(0, SCALING_VOTERS).map((i) => 1 + i * stride),
  );
  const dense = await voteRound(
    "10000 members, dense voters",
    range(DENSE_FIRST_ID, SCALING_VOTERS),
  );

  const largeData = await dataRound();
  // Claims that open a fresh bitmap word (high member ids), then claims into one of those words.
  for (const id of CLAIM_NEW_WORD_IDS) await signerOf(id);
  const opensWord: number[] = [];
  for (const id of CLAIM_NEW_WORD_IDS) {
    opensWord.push(
      await gasOf(c.revenue.connect(chainRelayer)[CLAIM_EQUAL](largeData.grantId, addressOf(id))),
    );
  }
  const sameWordIds = range(CLAIM_NEW_WORD_IDS[0] + 1, DATA_SAMPLE);
  for (const id of sameWordIds) await signerOf(id);
  const sharesHighWord: number[] = [];
  for (const id of sameWordIds) {
    sharesHighWord.push(
      await gasOf(c.revenue.connect(chainRelayer)[CLAIM_EQUAL](largeData.grantId, addressOf(id))),
    );
  }

  await chain.close();
  return {
    small,
    largeSameVoters,
    spread,
    dense,
    smallData,
    largeData,
    claimWords: { opensWord, sharesHighWord, sameWordIds },
    admitSeconds,
  };
}

const scalingStarted = Date.now();
const scale = await scaling();
const scalingSeconds = (Date.now() - scalingStarted) / 1000;

// ---------------------------------------------------------------------------------------------- report

async function contractSize(name: string): Promise<number> {
  const artifact = await hre.artifacts.readArtifact(name);
  return (artifact.deployedBytecode.length - 2) / 2;
}
const sizes = Object.fromEntries(
  await Promise.all(
    [
      "Membership",
      "CoopGovernor",
      "DataAccessRegistry",
      "ConsentRegistry",
      "Revenue",
      "AccessLogAnchor",
      "ReferenceMembership",
      "ReferenceGovernor",
    ].map(async (name) => [name, await contractSize(name)] as const),
  ),
);

async function compilerDescription(): Promise<string> {
  const buildInfoId = await hre.artifacts.getBuildInfoId("CoopGovernor");
  const buildInfoPath = buildInfoId && (await hre.artifacts.getBuildInfoPath(buildInfoId));
  if (!buildInfoPath) return "unknown";
  const info = JSON.parse(await readFile(buildInfoPath, "utf8"));
  const { optimizer, evmVersion } = info.input.settings;
  const opt = optimizer?.enabled ? `optimizer ${optimizer.runs} runs` : "optimizer off";
  return `${info.solcLongVersion} (solcjs), ${opt}, evm ${evmVersion}`;
}

const fmt = (n: number) => n.toLocaleString("en-US");
const tick = (met: boolean) => (met ? "yes" : "**no**");
const within = (r: number) => Math.abs(r - 1) <= TARGETS.scalingDeviation;

// Governance against the reference.
const actions = Object.fromEntries(
  ACTIONS.map((action) => {
    const ours = gas.ours[action];
    const reference = gas.reference[action];
    return [action, { ours, reference, ratio: ratio(ours, reference) }];
  }),
) as Record<Action, { ours: number; reference: number; ratio: number }>;

const targetOf = (action: Action): number =>
  action === "castVote"
    ? TARGETS.castVote
    : action === "castVoteBySig"
      ? TARGETS.castVoteBySig
      : TARGETS.other;
const targets: Record<string, { target: string; actual: number; met: boolean }> = {};
for (const action of ACTIONS) {
  const max = targetOf(action);
  targets[action] = {
    target: `ratio <= ${max.toFixed(2)}`,
    actual: actions[action].ratio,
    met: actions[action].ratio <= max,
  };
}

// castVote scaling: the same 10 voters (ids 1..10, one bitmap word) at both sizes.
const { small, largeSameVoters, spread, dense } = scale;
const scalingRatio = ratio(largeSameVoters.mean, small.mean);
targets.castVoteScaling = {
  target: `|members10000 / members10 - 1| <= ${TARGETS.scalingDeviation}`,
  actual: scalingRatio,
  met: within(scalingRatio),
};
const lookupSmall = small.firstVoteQuorumLookup;
const lookupLarge = largeSameVoters.firstVoteQuorumLookup;
const lookupExtra = lookupSmall && lookupLarge ? lookupLarge.gas - lookupSmall.gas : null;
const sumDifference =
  largeSameVoters.all.reduce((a, b) => a + b, 0) - small.all.reduce((a, b) => a + b, 0);
const quorumReachedExtra =
  small.reachesQuorum !== null && small.bitmapWordAlreadyWritten !== null
    ? small.reachesQuorum - small.bitmapWordAlreadyWritten
    : null;

// Data actions: ours only.
const flatSmall = (a: FlatAction) => mean(scale.smallData[a]);
const flatLarge = (a: FlatAction) => mean(scale.largeData[a]);
const dataActionResults = Object.fromEntries(
  DATA_ACTIONS.map((action) => {
    const value = mean(data.samples[action]);
    const target = DATA_TARGETS[action] ?? null;
    const flat = (FLAT_ACTIONS as readonly string[]).includes(action)
      ? (() => {
          const a = action as FlatAction;
          const r = ratio(flatLarge(a), flatSmall(a));
          return { members10: flatSmall(a), members10000: flatLarge(a), ratio: r, flat: within(r) };
        })()
      : null;
    return [
      action,
      {
        gas: value,
        samples: data.samples[action].length,
        min: Math.min(...data.samples[action]),
        max: Math.max(...data.samples[action]),
        target,
        met: target === null ? null : value <= target,
        scaling: flat,
        description: DATA_DESCRIPTIONS[action],
      },
    ];
  }),
) as Record<
  DataAction,
  {
    gas: number;
    samples: number;
    min: number;
    max: number;
    target: number | null;
    met: boolean | null;
    scaling: { members10: number; members10000: number; ratio: number; flat: boolean } | null;
    description: string;
  }
>;
for (const action of DATA_ACTIONS) {
  const r = dataActionResults[action];
  if (r.target !== null) {
    targets[`dataActions.${action}`] = {
      target: `gas <= ${r.target}`,
      actual: r.gas,
      met: r.met === true,
    };
  }
  if (r.scaling !== null) {
    targets[`dataActions.${action}Scaling`] = {
      target: `|members10000 / members10 - 1| <= ${TARGETS.scalingDeviation}`,
      actual: r.scaling.ratio,
      met: r.scaling.flat,
    };
  }
}
const claimOpensWord = mean(scale.claimWords.opensWord);
const claimSharesHighWord = mean(scale.claimWords.sharesHighWord);

const supplementary = {
  admissionProposal: {
    explanation:
      "The proposal admitting one account (ours calls admit(account), the reference mint(account, id)). Ours does more in execute: admit gives the new member their vote at once, while the reference member still has to delegate to themselves (executePlusNewMemberDelegation). The membership payload is compared in admit, which includes that delegation.",
    queue: {
      ours: admission.ours.queue,
      reference: admission.reference.queue,
      ratio: ratio(admission.ours.queue, admission.reference.queue),
    },
    execute: {
      ours: admission.ours.execute,
      reference: admission.reference.execute,
      ratio: ratio(admission.ours.execute, admission.reference.execute),
    },
    executePlusNewMemberDelegation: {
      ours: admission.ours.execute,
      reference: admission.reference.execute + admitParts.reference[1],
      ratio: ratio(admission.ours.execute, admission.reference.execute + admitParts.reference[1]),
    },
  },
  admitByTransaction: admitParts,
  castVoteSpreadVoters: {
    explanation: `${SCALING_VOTERS} voters with ids 1, ${1 + SCALING_LARGE / SCALING_VOTERS}, ..., ${1 + (SCALING_VOTERS - 1) * (SCALING_LARGE / SCALING_VOTERS)} at ${SCALING_LARGE} members: the worst case, most votes open a 256-id bitmap word of their own. The cost depends on how many voters share a bitmap word, not on the number of members.`,
    members10000: spread.mean,
    ratioToMembers10: ratio(spread.mean, small.mean),
    detail: omitAll(spread),
  },
  castVoteDenseVoters: {
    explanation: `${SCALING_VOTERS} voters with ids ${DENSE_FIRST_ID}..${DENSE_FIRST_ID + SCALING_VOTERS - 1} at ${SCALING_LARGE} members: one bitmap word shared by all.`,
    members10000: dense.mean,
    detail: omitAll(dense),
  },
  castVoteScalingCause: {
    explanation:
      "The official ratio compares sums over the same 10 voters. The first vote on a proposal caches the quorum, which reads the member count at the snapshot (Membership.getPastTotalSupply, Checkpoints.upperLookupRecent over one checkpoint per admission); that call is measured from the first vote's trace. At 10 members the vote that reaches quorum also records the late-quorum deadline, which no vote does at 10,000 members with 10 voters.",
    firstVote: { members10: small.firstVote, members10000: largeSameVoters.firstVote },
    quorumLookupInFirstVote: {
      members10: lookupSmall,
      members10000: lookupLarge,
      extra: lookupExtra,
    },
    sumOverTenVotesDifference: sumDifference,
    reachesQuorumExtraAt10: quorumReachedExtra,
    meanAfterFirstVote: {
      members10: small.meanAfterFirst,
      members10000: largeSameVoters.meanAfterFirst,
      ratio: ratio(largeSameVoters.meanAfterFirst, small.meanAfterFirst),
    },
    meanWithoutQuorumLookup:
      lookupExtra === null
        ? null
        : {
            members10000: Math.round(
              (largeSameVoters.all.reduce((a, b) => a + b, 0) - lookupExtra) /
                largeSameVoters.voters,
            ),
            ratio: ratio(
              (largeSameVoters.all.reduce((a, b) => a + b, 0) - lookupExtra) /
                largeSameVoters.voters,
              small.mean,
            ),
          },
  },
  claimOpeningBitmapWord: {
    explanation: `Claims at ${SCALING_LARGE} members by members ${CLAIM_NEW_WORD_IDS.join(", ")}, each the first claim in its 256-id word (a zero slot turns non-zero), then by members ${scale.claimWords.sameWordIds[0]}..${scale.claimWords.sameWordIds.at(-1)}, who share the word of member ${CLAIM_NEW_WORD_IDS[0]}. The deposit pre-writes word 0 (members 1..255).`,
    opensWord: claimOpensWord,
    sharesHighWord: claimSharesHighWord,
    members1to10: flatLarge("claim"),
  },
  dataFirstRequest: {
    explanation:
      "The co-op's first requestAccess also turns the registry's request counter and fee totals from zero to non-zero.",
    gas: data.firstRequest,
  },
  approvalQueue: data.approvalQueue,
  approveByTimelock: {
    explanation:
      "registry.approve sent directly by the (impersonated) timelock on the scaling chain: the revenue deposit reads the member count at the snapshot; Membership answers from its last count when nobody joined or left since, so the cost does not depend on the number of admissions.",
    members10: scale.smallData.approveDirect,
    members10000: scale.largeData.approveDirect,
    ratio: ratio(scale.largeData.approveDirect, scale.smallData.approveDirect),
  },
  requestAccessScaling: {
    explanation: "The co-op's first request on the scaling chain, at 10 and at 10,000 members.",
    members10: scale.smallData.requestAccess,
    members10000: scale.largeData.requestAccess,
    ratio: ratio(scale.largeData.requestAccess, scale.smallData.requestAccess),
  },
};

function omitAll<T extends { all: number[] }>(round: T): Omit<T, "all"> {
  const { all: _all, ...rest } = round;
  return rest;
}

const notes = [
  `Gas is gasUsed from transaction receipts (21,000 base and calldata included), on ${connection.networkConfig.type === "edr-simulated" ? `EDR, hardfork ${connection.networkConfig.hardfork}` : "the connected chain"}.`,
  `Our stack is the whole co-op deployed by the Ignition module "DataCoop" (which uses "Governance"), with a guardian, a gateway operator, a ${DATA_SETTINGS.treasuryBps / 100} % treasury share and the equal split. Both stacks have the same ${FOUNDERS} founders (member numbers 1..${FOUNDERS}) and the same governance settings; the reference founders delegated to themselves before the votes.`,
  "admit: ours is Membership.admit sent by the (impersonated) timelock; the reference is ReferenceMembership.mint by the timelock plus the new member's own delegate(self), since a plain ERC721Votes holder has no vote until they delegate.",
  "propose: a proposal admitting the same account, with the same description, on both stacks (ours calls admit(account), the reference mint(account, memberId)).",
  `queue, execute: a proposal with the same payload on both stacks (the timelock re-setting its own delay), sent by a relayer, so the governors are compared on the same work; the admission proposal's queue and execute are in the supplementary table (ours ${fmt(admission.ours.execute)} vs ${fmt(admission.reference.execute)}: admit does what the reference's mint plus the member's delegation do).`,
  `castVote: mean over ${FOUNDERS} members on one proposal, support cycling For/Against/Abstain; castVoteBySig: mean over the same ${FOUNDERS} members on a second proposal, EIP-712 Ballot signatures sent by a relayer (ours with keyed nonces nonces(voter, uint192(proposalId)), the reference with nonces(voter)).`,
  "resign: ours Membership.resign(); the reference burn(tokenId) by the holder.",
  `castVoteScaling (ours only): the mean castVote of the same ${SCALING_SMALL} voters (member ids 1..${SCALING_SMALL}, one bitmap word) in a ${SCALING_SMALL}-member co-op and in a ${fmt(SCALING_LARGE)}-member co-op. The ${fmt(SCALING_LARGE - SCALING_SMALL)} admissions were sent one per block by the impersonated timelock (${scale.admitSeconds.toFixed(1)} s), so the member count has one checkpoint per admission.`,
  lookupSmall && lookupLarge
    ? `castVoteScaling detail: the first vote (${fmt(small.firstVote)} vs ${fmt(largeSameVoters.firstVote)}), which caches the quorum and so reads the member count at the snapshot among its checkpoints: getPastTotalSupply costs ${fmt(lookupSmall.gas)} gas (${lookupSmall.sloads} SLOADs) among 1 checkpoint and ${fmt(lookupLarge.gas)} (${lookupLarge.sloads} SLOADs) among ${fmt(SCALING_LARGE - SCALING_SMALL + 1)} (Membership answers from its last count when nobody joined or left after the snapshot), a difference of ${fmt(lookupExtra!)}. Without it the mean at ${fmt(SCALING_LARGE)} members would be ${fmt(supplementary.castVoteScalingCause.meanWithoutQuorumLookup!.members10000)} (ratio ${supplementary.castVoteScalingCause.meanWithoutQuorumLookup!.ratio}); votes after the first: ${fmt(small.meanAfterFirst)} vs ${fmt(largeSameVoters.meanAfterFirst)} (ratio ${supplementary.castVoteScalingCause.meanAfterFirstVote.ratio}; at ${SCALING_SMALL} members the vote reaching quorum pays ${quorumReachedExtra === null ? "-" : `+${fmt(quorumReachedExtra)}`} to record the late-quorum deadline).`
    : "castVoteScaling cause: the first vote's trace was not available.",
  `Spread-out voters (supplementary): ${SCALING_VOTERS} voters with ids 1, ${1 + SCALING_LARGE / SCALING_VOTERS}, ... at ${fmt(SCALING_LARGE)} members average ${fmt(spread.mean)} because almost every vote opens a 256-id bitmap word (zero to non-zero, ${fmt(spread.opensBitmapWord ?? 0)} per vote) instead of flipping a bit in a written one (${fmt(spread.bitmapWordAlreadyWritten ?? 0)}); ${SCALING_VOTERS} voters in one word (ids ${DENSE_FIRST_ID}..${DENSE_FIRST_ID + SCALING_VOTERS - 1}) average ${fmt(dense.mean)}. The cost depends on how many voters share a word, not on the number of members.`,
  `Data actions (ours only; no OpenZeppelin counterpart): measured on the side-by-side co-op (${data.members} members after the governance actions); the approval passed a real vote. The 10 / 10,000 columns come from the scaling chain, where the same members (ids 1..${DATA_SAMPLE}) do the same actions on the co-op's first grant, approved directly by the timelock; the 10-member run is rolled back before the co-op grows, so only the member count differs.`,
  `claim: the equal split pays ETH with a plain call; every claimant already has ETH (a payment to an empty account would add 25,000). Members 1..255 claim into the bitmap word the deposit pre-wrote; a claim that opens another word costs ${fmt(claimOpensWord)} (vs ${fmt(claimSharesHighWord)} for later claims in that word), like a vote.`,
  "setConsentBySig: a first setting; it also writes the member's nonce slot for the first time (keyed nonce, key 0).",
  `Deployed bytecode (limit 24,576 bytes): ${Object.entries(sizes)
    .map(([name, size]) => `${name} ${fmt(size)}`)
    .join(", ")}.`,
  "Reference semantics differ where OpenZeppelin's stock modules do: its quorum rounds down (ours rounds up), its tokens are transferable and its governor reads the clock from the token.",
];

const result = {
  generatedAt: new Date().toISOString(),
  chain: "hardhat (EDR)",
  solc: await compilerDescription(),
  settings: { ...SETTINGS, ...DATA_SETTINGS, founders: FOUNDERS },
  actions,
  castVoteScaling: {
    definition: `mean castVote of the same ${SCALING_SMALL} voters (ids 1..${SCALING_SMALL}) at ${SCALING_SMALL} and at ${SCALING_LARGE} members`,
    members10: small.mean,
    members10000: largeSameVoters.mean,
    ratio: scalingRatio,
    detail: { members10: omitAll(small), members10000: omitAll(largeSameVoters) },
  },
  dataActions: dataActionResults,
  targets,
  supplementary,
  voteSpread: voteDetail,
  contractSizes: sizes,
  durationSeconds: {
    sideBySide: oneDecimal(sideBySideSeconds),
    dataActions: oneDecimal(data.seconds),
    scaling: oneDecimal(scalingSeconds),
    total: oneDecimal((Date.now() - started) / 1000),
  },
  notes,
};

const s = supplementary;
const lines = [
  "## Governance: ours vs OpenZeppelin reference",
  "",
  "| Action | Ours (gas) | OpenZeppelin reference (gas) | Ours / reference | Target | Met |",
  "| --- | ---: | ---: | ---: | --- | --- |",
  ...ACTIONS.map((a) => {
    const { ours, reference, ratio: r } = actions[a];
    return `| ${a} | ${fmt(ours)} | ${fmt(reference)} | ${r.toFixed(3)} | <= ${targetOf(a).toFixed(2)} | ${tick(targets[a].met)} |`;
  }),
  "",
  "| castVote scaling (ours) | 10 members | 10,000 members | Ratio | Target | Met |",
  "| --- | ---: | ---: | ---: | --- | --- |",
  `| mean castVote, the same ${SCALING_SMALL} voters (ids 1..${SCALING_SMALL}) | ${fmt(small.mean)} | ${fmt(largeSameVoters.mean)} | ${scalingRatio.toFixed(3)} | within ${TARGETS.scalingDeviation * 100}% | ${tick(targets.castVoteScaling.met)} |`,
  "",
  "## Data actions (ours only)",
  "",
  `| Action | Gas (${data.members}-member co-op) | Target | Met | 10 members | 10,000 members | Ratio | Within ${TARGETS.scalingDeviation * 100}% |`,
  "| --- | ---: | ---: | --- | ---: | ---: | ---: | --- |",
  ...DATA_ACTIONS.map((a) => {
    const r = dataActionResults[a];
    const target = r.target === null ? "-" : `<= ${fmt(r.target)}`;
    const met = r.met === null ? "-" : tick(r.met);
    const sc = r.scaling;
    const cols = sc
      ? `${fmt(sc.members10)} | ${fmt(sc.members10000)} | ${sc.ratio.toFixed(3)} | ${tick(sc.flat)}`
      : "- | - | - | -";
    return `| ${a} | ${fmt(r.gas)} | ${target} | ${met} | ${cols} |`;
  }),
  "",
  ...DATA_ACTIONS.map((a) => `- ${a}: ${DATA_DESCRIPTIONS[a]}.`),
  "",
  "## Supplementary",
  "",
  "| Measure | Value | Compared with | Ratio | Note |",
  "| --- | ---: | ---: | ---: | --- |",
  `| queue, admission proposal | ${fmt(s.admissionProposal.queue.ours)} | ${fmt(s.admissionProposal.queue.reference)} (reference) | ${s.admissionProposal.queue.ratio.toFixed(3)} | different payloads |`,
  `| execute, admission proposal | ${fmt(s.admissionProposal.execute.ours)} | ${fmt(s.admissionProposal.execute.reference)} (reference) | ${s.admissionProposal.execute.ratio.toFixed(3)} | ours admits with the vote; the reference mints only |`,
  `| execute, admission proposal, reference + the member's delegate(self) | ${fmt(s.admissionProposal.executePlusNewMemberDelegation.ours)} | ${fmt(s.admissionProposal.executePlusNewMemberDelegation.reference)} (reference) | ${s.admissionProposal.executePlusNewMemberDelegation.ratio.toFixed(3)} | the same outcome: a member with a vote |`,
  `| castVote, ${SCALING_VOTERS} voters spread over the ids (1, 101, ...), 10,000 members | ${fmt(spread.mean)} | ${fmt(small.mean)} (10 members) | ${s.castVoteSpreadVoters.ratioToMembers10.toFixed(3)} | ${spread.bitmapWords} bitmap words opened |`,
  `| castVote, ${SCALING_VOTERS} voters in one word (ids ${DENSE_FIRST_ID}..${DENSE_FIRST_ID + SCALING_VOTERS - 1}), 10,000 members | ${fmt(dense.mean)} | ${fmt(small.mean)} (10 members) | ${ratio(dense.mean, small.mean).toFixed(3)} | includes its first vote |`,
  `| castVote opening a bitmap word / into a written one (10,000 members) | ${fmt(spread.opensBitmapWord ?? 0)} | ${fmt(spread.bitmapWordAlreadyWritten ?? 0)} | | |`,
  `| first vote on a proposal (caches the quorum) | ${fmt(largeSameVoters.firstVote)} (10,000) | ${fmt(small.firstVote)} (10) | ${ratio(largeSameVoters.firstVote, small.firstVote).toFixed(3)} | |`,
  lookupSmall && lookupLarge
    ? `| getPastTotalSupply inside the first vote | ${fmt(lookupLarge.gas)} (10,000; ${lookupLarge.sloads} SLOADs) | ${fmt(lookupSmall.gas)} (10; ${lookupSmall.sloads} SLOADs) | ${ratio(lookupLarge.gas, lookupSmall.gas).toFixed(3)} | +${fmt(lookupExtra!)} per proposal |`
    : "| getPastTotalSupply inside the first vote | - | - | | trace unavailable |",
  `| castVote after the first, same ${SCALING_SMALL} voters | ${fmt(largeSameVoters.meanAfterFirst)} (10,000) | ${fmt(small.meanAfterFirst)} (10) | ${s.castVoteScalingCause.meanAfterFirstVote.ratio.toFixed(3)} | |`,
  `| claim opening a bitmap word / into that word (10,000 members) | ${fmt(claimOpensWord)} | ${fmt(claimSharesHighWord)} | | ids ${CLAIM_NEW_WORD_IDS.join(", ")} / ${scale.claimWords.sameWordIds[0]}..${scale.claimWords.sameWordIds.at(-1)} |`,
  `| registry.approve by the timelock (revenue deposit reads the member count) | ${fmt(s.approveByTimelock.members10000)} (10,000) | ${fmt(s.approveByTimelock.members10)} (10) | ${s.approveByTimelock.ratio.toFixed(3)} | reads the member count at approval |`,
  `| requestAccess, the co-op's first (fresh counters) | ${fmt(s.requestAccessScaling.members10000)} (10,000) | ${fmt(s.requestAccessScaling.members10)} (10) | ${s.requestAccessScaling.ratio.toFixed(3)} | ${fmt(data.firstRequest)} on the ${data.members}-member co-op |`,
  `| queue of the approval proposal | ${fmt(data.approvalQueue)} | | | |`,
  "",
  "## Notes",
  "",
  ...notes.map((n) => `- ${n}`),
];
const table = lines.join("\n");
// The README shows the headline tables; the supplementary measures and notes stay in gas.md.
await updateReadmeSection(
  "gas",
  table.slice(0, table.indexOf("## Supplementary")).replaceAll("## ", "#### ") +
    "Details, supplementary measures and method: [bench/results/gas.md](bench/results/gas.md).",
);

await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, "gas.json"), JSON.stringify(result, null, 2) + "\n");
await writeFile(
  path.join(outDir, "gas.md"),
  `<!-- Generated by \`npm run bench:gas\` (bench/gas.ts); do not edit. -->\n\n${table}\n\n_${result.solc}; generated ${result.generatedAt}._\n`,
);
console.log(table);
console.log(
  `\nWrote ${path.relative(process.cwd(), outDir)}/gas.json and gas.md in ${result.durationSeconds.total} s.`,
);
const missed = Object.entries(targets).filter(([, t]) => !t.met);
if (missed.length)
  console.log(`Targets missed: ${missed.map(([k, t]) => `${k} (${t.actual})`).join(", ")}`);
await connection.close();
