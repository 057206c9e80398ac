/**
 * Gas benchmark: the co-op's governance (Membership + CoopGovernor with GovernorMemberCounting) against two
 * OpenZeppelin references on the same chain and under the same method — the governor OpenZeppelin's Contracts Wizard
 * writes (CountingSimple, QuorumFraction, TimelockControl: contracts/reference/WizardGovernor.sol) and the same plus
 * GovernorPreventLateQuorum (contracts/reference/ReferenceGovernor.sol), both on ERC721Votes — and the co-op's data
 * actions (data access registry, consent, revenue, access-log anchor), which have no OpenZeppelin counterpart. Our
 * stack is the whole co-op as deployed by the Ignition module "DataCoop".
 *
 *   npm run bench:gas
 *
 * Each governance method runs on its own fresh chain with the three stacks deployed identically: "all For" (the
 * headline: 100 voters, all For) and "cycling" (the earlier method: support cycling For, Against, Abstain).
 * Writes bench/results/gas.json and bench/results/gas.md, updates the README's gas section and prints the tables.
 * A missed target is reported, not fatal: this is a measurement, not a test.
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
  // CoopGovernor requires one vote to propose (fixed); the references get the same threshold.
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
const METHODS = {
  allFor: { label: "all For", support: (_i: number) => 1 },
  cycling: { label: "cycling For/Against/Abstain", support: (i: number) => SUPPORT_CYCLE[i % 3] },
} as const;
type Method = keyof typeof METHODS;

// Data actions: each is measured for this many members (ids 1..n) and averaged.
const DATA_SAMPLE = 10;
const ANCHORS = 5;
const FEE = 10n ** 18n;
const SCOPE = {
  fieldMask: 0b111n,
  rowLevel: false,
  minCohort: 5,
  exactTabulations: `0x${"00".repeat(32)}`,
};
const FIELDS = ["region", "crop", "yield_kg", "rainfall_mm", "farm_size_ha"];
const DURATION = 30 * 86_400;
const TERMS_URI = "ipfs://terms-of-request";
const PARTNER_NAME = "Valley Research Institute";
const PURPOSE = 0; // academic research
const CONSENT_FIRST = 0b11n; // academic and public-interest research
const CONSENT_CHANGED = 0b1n;
const OPT_OUT = 2; // IConsentRegistry.Choice.OptOut
// Members whose claims each open a fresh bitmap word at 10,000 members (words 19, 23, 27, 31, 35).
const CLAIM_NEW_WORD_IDS = [5_001, 6_001, 7_001, 8_001, 9_001];

/** Upper bounds on ours / reference (the wizard governor unless said otherwise). */
const TARGETS = {
  castVote: 0.7,
  castVoteLateQuorum: 0.6,
  castVoteBySig: 0.7,
  admit: 0.8,
  // Proposing pays once for what every vote then saves: the proposal's tally slot (snapshot and deadline copied
  // there, a fresh slot) and its sequential number (GovernorSequentialProposalId: two more slots, both fresh on the
  // co-op's first proposal). One member proposes; every member votes.
  propose: 2.0,
  other: 1.1,
  scalingDeviation: 0.02,
} as const;

const ACTIONS = [
  "admit",
  "propose",
  "castVote",
  "castVoteBySigFirst",
  "castVoteBySigLater",
  "queue",
  "execute",
  "resign",
] as const;
type Action = (typeof ACTIONS)[number];
const ACTION_LABELS: Record<Action, string> = {
  admit: "admit (OpenZeppelin: mint + self-delegate, one transaction)",
  propose: "propose",
  castVote: "castVote",
  castVoteBySigFirst: "castVoteBySig, a member's first ballot",
  castVoteBySigLater: "castVoteBySig, a member's second ballot",
  queue: "queue",
  execute: "execute",
  resign: "resign (OpenZeppelin: burn)",
};

const DATA_ACTIONS = [
  "requestAccess",
  "sponsor",
  "approve",
  "setConsent",
  "setConsentChange",
  "setConsentBySig",
  "setConsentBySigChange",
  "optOut",
  "claim",
  "claimMany",
  "anchor",
] as const;
type DataAction = (typeof DATA_ACTIONS)[number];
/** Upper bounds in gas; actions without one are reported only. */
const DATA_TARGETS: Partial<Record<DataAction, number>> = {
  setConsent: 50_000,
  setConsentChange: 30_000,
  setConsentBySig: 55_000,
  setConsentBySigChange: 55_000,
  claim: 55_000,
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
  setConsentBySig: `setConsentBySig, a member's first setting, signed with its time and relayed (mean over ${DATA_SAMPLE} other members)`,
  setConsentBySigChange: `setConsentBySig changing that setting by a later signature (mean over the same ${DATA_SAMPLE})`,
  optOut: `ConsentRegistry.setGrantChoice(grantId, OptOut), first choice on the grant (mean over ${DATA_SAMPLE})`,
  claim: `Revenue equal-split claim sent by a relayer to a member who has ETH (mean over ${DATA_SAMPLE})`,
  claimMany: `Revenue.claimMany of two grants' equal shares in one call and one transfer, sent by a relayer (mean over ${DATA_SAMPLE})`,
  anchor: `AccessLogAnchor.anchor by the operator, anchors 2..${ANCHORS + 1} (mean)`,
};

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const started = Date.now();

type Connection = Awaited<ReturnType<typeof network.create>>;
const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;
const [relayer] = await ethers.getSigners();

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
async function impersonate(address: string, conn: Connection = connection): Promise<Signer> {
  await conn.networkHelpers.impersonateAccount(address);
  await conn.networkHelpers.setBalance(address, 10n ** 21n);
  return conn.ethers.getSigner(address);
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

/** The id of a proposal just made, from its ProposalCreated event (sequential on ours, a hash on OpenZeppelin's). */
async function proposalIdOf(
  tx: Promise<ContractTransactionResponse>,
  gov: {
    interface: {
      parseLog(log: { topics: string[]; data: string }): { name: string; args: unknown[] } | null;
    };
  },
): Promise<{ id: bigint; gas: number }> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  for (const log of receipt.logs) {
    const parsed = gov.interface.parseLog({ topics: [...log.topics], data: log.data });
    if (parsed?.name === "ProposalCreated")
      return { id: parsed.args[0] as bigint, gas: Number(receipt.gasUsed) };
  }
  throw new Error("no ProposalCreated event");
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
      .requestAccess(1, PURPOSE, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE }),
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

// ---------------------------------------------------------------------------------------------- the three stacks

type StackLabel = "ours" | "wizard" | "lateQuorum";
const STACKS: StackLabel[] = ["ours", "wizard", "lateQuorum"];

/** What the benchmark does on each stack; each implementation uses its own contracts' API. */
interface Stack {
  label: StackLabel;
  /** Gas of admitting `account` as member `memberId` with its vote, in one transaction, as the timelock. */
  admit(account: string, memberId: number): Promise<number>;
  /** A call that costs the same on every stack: the timelock re-setting its own delay. */
  sameCostCall(): { target: string; data: string };
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

async function ourStack(coop: Coop): Promise<Stack> {
  const { membership, governor, timelock, timelockAddress, asTimelock } = coop;
  const governorAddress = await governor.getAddress();
  const [sender] = await coop.e.getSigners();
  return {
    label: "ours",
    admit: (account) => gasOf(membership.connect(asTimelock).admit(account)),
    sameCostCall: () => ({
      target: timelockAddress,
      data: timelock.interface.encodeFunctionData("updateDelay", [SETTINGS.timelockDelay]),
    }),
    propose: (from, target, data, description) =>
      proposalIdOf(governor.connect(from).propose([target], [0], [data], description), governor),
    castVote: (from, id, support) => gasOf(governor.connect(from).castVote(id, support)),
    async castVoteBySig(voter, id, support) {
      // A ballot carries nonce 0: one vote per member per proposal already refuses a replay.
      const signature = await signBallot(governorAddress, voter, id, support, 0n, governor);
      return gasOf(governor.connect(sender).castVoteBySig(id, support, voter.address, signature));
    },
    deadline: (id) => governor.proposalDeadline(id),
    queue: (target, data, description) =>
      gasOf(governor.connect(sender).queue([target], [0], [data], coop.e.id(description))),
    execute: (target, data, description) =>
      gasOf(governor.connect(sender).execute([target], [0], [data], coop.e.id(description))),
    resign: (member) => gasOf(membership.connect(member).resign()),
  };
}

/** OpenZeppelin's stock governance on `conn`: the wizard's governor, or the same with late-quorum protection. */
async function referenceStack(
  conn: Connection,
  label: "wizard" | "lateQuorum",
  founders: string[],
): Promise<Stack> {
  const e = conn.ethers;
  const [deployer] = await e.getSigners();
  const deployerAddress = await deployer.getAddress();
  const timelockContract = await e.deployContract("TimelockController", [
    SETTINGS.timelockDelay,
    [],
    [],
    deployerAddress,
  ]);
  const timelockAddress = await timelockContract.getAddress();
  const membership = await e.deployContract("ReferenceMembership", [NAME, SYMBOL, deployerAddress]);
  const membershipAddress = await membership.getAddress();
  const { votingDelay, votingPeriod, proposalThreshold, lateQuorumExtension, quorumPercent } =
    SETTINGS;
  const governor =
    label === "wizard"
      ? await e.deployContract("WizardGovernor", [
          NAME,
          membershipAddress,
          timelockAddress,
          votingDelay,
          votingPeriod,
          proposalThreshold,
          quorumPercent,
        ])
      : await e.deployContract("ReferenceGovernor", [
          NAME,
          membershipAddress,
          timelockAddress,
          { votingDelay, votingPeriod, proposalThreshold, lateQuorumExtension, quorumPercent },
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
  // Founders get member numbers 1..n as in Membership, minted and self-delegated as admit does.
  for (const [i, founder] of founders.entries()) {
    await (await membership.admit(founder, i + 1)).wait();
  }
  await (await membership.transferOwnership(timelockAddress)).wait();

  const timelock = await impersonate(timelockAddress, conn);
  return {
    label,
    admit: (account, memberId) => gasOf(membership.connect(timelock).admit(account, memberId)),
    sameCostCall: () => ({
      target: timelockAddress,
      data: timelockContract.interface.encodeFunctionData("updateDelay", [SETTINGS.timelockDelay]),
    }),
    propose: (from, target, data, description) =>
      proposalIdOf(governor.connect(from).propose([target], [0], [data], description), governor),
    castVote: (from, id, support) => gasOf(governor.connect(from).castVote(id, support)),
    async castVoteBySig(voter, id, support) {
      const nonce = await governor.nonces(voter.address);
      const signature = await signBallot(governorAddress, voter, id, support, nonce, governor);
      return gasOf(governor.connect(deployer).castVoteBySig(id, support, voter.address, signature));
    },
    deadline: (id) => governor.proposalDeadline(id),
    queue: (target, data, description) =>
      gasOf(governor.connect(deployer).queue([target], [0], [data], e.id(description))),
    execute: (target, data, description) =>
      gasOf(governor.connect(deployer).execute([target], [0], [data], e.id(description))),
    resign: (member, memberId) => gasOf(membership.connect(member).burn(memberId)),
  };
}

// ---------------------------------------------------------------------------------------------- side by side

const founderWallets = Array.from({ length: FOUNDERS }, (_, i) => wallet(`founder ${i + 1}`));
const founders = founderWallets.map((w) => w.address);
const newcomer = wallet("newcomer").address;

type Measured = Record<StackLabel, Record<Action, number>>;

/**
 * One method on a fresh chain: the three stacks with the same founders and settings, then the same steps on each.
 * Proposal P (the timelock re-setting its delay: the same payload everywhere) takes every member's castVote and is
 * queued and executed; proposals S1 and S2 take every member's first and second signed ballot.
 */
async function sideBySide(method: Method, conn: Connection) {
  const support = METHODS[method].support;
  const coop = await deployCoop(conn, founders);
  const stacks = [
    await ourStack(coop),
    await referenceStack(conn, "wizard", founders),
    await referenceStack(conn, "lateQuorum", founders),
  ];
  const signers = await Promise.all(founders.map((f) => impersonate(f, conn)));
  await conn.networkHelpers.time.increase(10);
  const gas = Object.fromEntries(STACKS.map((l) => [l, {} as Record<Action, number>])) as Measured;
  const spread: Record<string, { min: number; max: number; first: number }> = {};

  for (const stack of stacks) gas[stack.label].admit = await stack.admit(newcomer, FOUNDERS + 1);
  await conn.networkHelpers.time.increase(10);

  const descriptions = {
    p: `Keep the timelock delay at ${SETTINGS.timelockDelay} seconds`,
    s1: "Keep the timelock delay (first signed ballots)",
    s2: "Keep the timelock delay (second signed ballots)",
  };
  const ids = new Map<Stack, { p: bigint; s1: bigint; s2: bigint }>();
  for (const stack of stacks) {
    const call = stack.sameCostCall();
    const p = await stack.propose(signers[0], call.target, call.data, descriptions.p);
    const s1 = await stack.propose(signers[1], call.target, call.data, descriptions.s1);
    const s2 = await stack.propose(signers[2], call.target, call.data, descriptions.s2);
    gas[stack.label].propose = p.gas;
    ids.set(stack, { p: p.id, s1: s1.id, s2: s2.id });
  }
  await conn.networkHelpers.time.increase(SETTINGS.votingDelay + 1);

  for (const stack of stacks) {
    const { p, s1, s2 } = ids.get(stack)!;
    const samples: Record<"castVote" | "castVoteBySigFirst" | "castVoteBySigLater", number[]> = {
      castVote: [],
      castVoteBySigFirst: [],
      castVoteBySigLater: [],
    };
    for (let i = 0; i < FOUNDERS; i++)
      samples.castVote.push(await stack.castVote(signers[i], p, support(i)));
    for (let i = 0; i < FOUNDERS; i++)
      samples.castVoteBySigFirst.push(await stack.castVoteBySig(founderWallets[i], s1, support(i)));
    for (let i = 0; i < FOUNDERS; i++)
      samples.castVoteBySigLater.push(await stack.castVoteBySig(founderWallets[i], s2, support(i)));
    for (const [action, values] of Object.entries(samples) as [keyof typeof samples, number[]][]) {
      gas[stack.label][action] = mean(values);
      spread[`${stack.label}.${action}`] = {
        first: values[0],
        min: Math.min(...values),
        max: Math.max(...values),
      };
    }
  }

  let latestDeadline = 0n;
  for (const stack of stacks) {
    const deadline = await stack.deadline(ids.get(stack)!.p);
    if (deadline > latestDeadline) latestDeadline = deadline;
  }
  await conn.networkHelpers.time.increaseTo(latestDeadline + 1n);
  for (const stack of stacks) {
    const call = stack.sameCostCall();
    gas[stack.label].queue = await stack.queue(call.target, call.data, descriptions.p);
  }
  await conn.networkHelpers.time.increase(SETTINGS.timelockDelay + 1);
  for (const stack of stacks) {
    const call = stack.sameCostCall();
    gas[stack.label].execute = await stack.execute(call.target, call.data, descriptions.p);
    gas[stack.label].resign = await stack.resign(signers[FOUNDERS - 1], FOUNDERS);
  }
  return { gas, spread, coop, signers };
}

const headline = await sideBySide("allFor", connection);
const cyclingChain = await network.create();
const cycling = await sideBySide("cycling", cyclingChain);
await cyclingChain.close();
const coop = headline.coop;
const founderSigners = headline.signers;
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
  const { id: proposalId, gas: sponsor } = await proposalIdOf(
    governor.connect(founderSigners[0]).propose(...call, description),
    governor,
  );
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

  // Consent by signature: a member's first setting, signed with its time and relayed; then a later change.
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
      { name: "signedAt", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
  };
  const signedConsent = async (member: Wallet, mask: bigint) => {
    const signedAt = BigInt(await time.latest());
    const deadline = signedAt + 3_600n;
    const signature = await member.signTypedData(domain, types, {
      member: member.address,
      mask,
      signedAt,
      deadline,
    });
    return gasOf(
      consent.connect(relayer).setConsentBySig(member.address, mask, signedAt, deadline, signature),
    );
  };
  const bySigMembers = founderWallets.slice(DATA_SAMPLE, 2 * DATA_SAMPLE);
  const bySig: number[] = [];
  for (const member of bySigMembers) bySig.push(await signedConsent(member, CONSENT_FIRST));
  await time.increase(60);
  const bySigChange: number[] = [];
  for (const member of bySigMembers) bySigChange.push(await signedConsent(member, CONSENT_CHANGED));

  // Two grants' equal shares in one call: a second grant, approved directly by the timelock.
  const second = await requestAccess(coop);
  const { termsHash } = await registry.request(second.id);
  await (await registry.connect(coop.asTimelock).approve(second.id, termsHash)).wait();
  const many: number[] = [];
  for (const member of founderSigners.slice(2 * DATA_SAMPLE, 3 * DATA_SAMPLE)) {
    many.push(
      await gasOf(
        coop.revenue
          .connect(relayer)
          .claimMany(await member.getAddress(), [request.id, second.id], []),
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
    setConsentBySigChange: bySigChange,
    claimMany: many,
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
  const totalSupplySelector = membership.interface.getFunction("getPastTotalSupply").selector;

  async function voteRound(label: string, voterIds: number[]) {
    const proposer = await signerOf(1);
    const subject = e.getAddress(e.dataSlice(e.id(`datacoop gas bench: ${label}`), 12));
    const data = membership.interface.encodeFunctionData("admit", [subject]);
    const description = `Admit ${subject} (${label})`;
    const { id } = await proposalIdOf(
      governor.connect(proposer).propose([membershipAddress], [0], [data], description),
      governor,
    );
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
      "WizardGovernor",
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

// Governance against the references, for each method.
type Row = {
  ours: number;
  wizard: number;
  lateQuorum: number;
  vsWizard: number;
  vsLateQuorum: number;
};
const rowsOf = (g: Measured) =>
  Object.fromEntries(
    ACTIONS.map((a) => [
      a,
      {
        ours: g.ours[a],
        wizard: g.wizard[a],
        lateQuorum: g.lateQuorum[a],
        vsWizard: ratio(g.ours[a], g.wizard[a]),
        vsLateQuorum: ratio(g.ours[a], g.lateQuorum[a]),
      },
    ]),
  ) as Record<Action, Row>;
const actions = { allFor: rowsOf(headline.gas), cycling: rowsOf(cycling.gas) };

/** The targets of each action, on the headline (all For) method. */
const targetsOf = (action: Action): { wizard: number; lateQuorum?: number } =>
  action === "castVote"
    ? { wizard: TARGETS.castVote, lateQuorum: TARGETS.castVoteLateQuorum }
    : action === "castVoteBySigFirst" || action === "castVoteBySigLater"
      ? { wizard: TARGETS.castVoteBySig }
      : action === "admit"
        ? { wizard: TARGETS.admit }
        : action === "propose"
          ? { wizard: TARGETS.propose }
          : { wizard: TARGETS.other };
const targetText = (action: Action) => {
  const t = targetsOf(action);
  return `<= ${t.wizard.toFixed(2)}${t.lateQuorum === undefined ? "" : ` (<= ${t.lateQuorum.toFixed(2)} vs late quorum)`}`;
};
const targets: Record<string, { target: string; actual: number; met: boolean }> = {};
for (const action of ACTIONS) {
  const t = targetsOf(action);
  const row = actions.allFor[action];
  targets[action] = {
    target: `ours / wizard <= ${t.wizard.toFixed(2)}`,
    actual: row.vsWizard,
    met: row.vsWizard <= t.wizard,
  };
  if (t.lateQuorum !== undefined) {
    targets[`${action}LateQuorum`] = {
      target: `ours / wizard + late quorum <= ${t.lateQuorum.toFixed(2)}`,
      actual: row.vsLateQuorum,
      met: row.vsLateQuorum <= t.lateQuorum,
    };
  }
}
const metAll = (action: Action) =>
  targets[action].met && (targets[`${action}LateQuorum`]?.met ?? true);

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
  `Three stacks, deployed the same way on one chain per method, with the same ${FOUNDERS} founders (member numbers 1..${FOUNDERS}) and settings: ours is the whole co-op deployed by the Ignition module "DataCoop"; "OZ wizard" is OpenZeppelin's Contracts Wizard governor (Settings, CountingSimple, Votes, QuorumFraction, TimelockControl) on ERC721Votes; "OZ + late quorum" adds GovernorPreventLateQuorum. The OpenZeppelin founders were minted and self-delegated before the votes.`,
  `Methods: "all For" (the headline and the targets): ${FOUNDERS} voters, every one For; "cycling": the same ${FOUNDERS} voters with support cycling For, Against, Abstain (the earlier method, which spreads the writes over three tally slots), on a fresh chain.`,
  "admit: ours Membership.admit by the (impersonated) timelock; OpenZeppelin's ReferenceMembership.admit, mint plus self-delegation in one transaction by the timelock, the same outcome (a member with a vote).",
  "propose, queue, execute: a proposal with the same payload on every stack (the timelock re-setting its own delay) and the same description, sent by a member (propose) and a relayer (queue, execute). Ours is the co-op's first proposal: it writes the proposal's tally slot (snapshot and deadline, read by every vote instead of OpenZeppelin's proposal record) and its sequential number (the number's slot and the latest number, fresh on the first proposal), so its target is 2.00, not 1.10: one member proposes, every member votes.",
  `castVote: mean over the ${FOUNDERS} members on one proposal. castVoteBySig: EIP-712 Ballot signatures sent by a relayer, mean over the ${FOUNDERS} members on a second proposal (each member's first signed ballot) and a third (their second): OpenZeppelin uses nonces(voter), which a member's first ballot writes from zero; ours signs nonce 0 and writes no nonce (a member votes once per proposal, which refuses a replay).`,
  "resign: ours Membership.resign(); OpenZeppelin's burn(tokenId) by the holder.",
  `castVoteScaling (ours only): the mean castVote of the same ${SCALING_SMALL} voters (member ids 1..${SCALING_SMALL}, one bitmap word) in a ${SCALING_SMALL}-member co-op and in a ${fmt(SCALING_LARGE)}-member co-op. The ${fmt(SCALING_LARGE - SCALING_SMALL)} admissions were sent one per block by the impersonated timelock (${scale.admitSeconds.toFixed(1)} s), so the member count has one checkpoint per admission.`,
  lookupSmall && lookupLarge
    ? `castVoteScaling detail: the first vote (${fmt(small.firstVote)} vs ${fmt(largeSameVoters.firstVote)}), which caches the quorum and so reads the member count at the snapshot among its checkpoints: getPastTotalSupply costs ${fmt(lookupSmall.gas)} gas (${lookupSmall.sloads} SLOADs) among 1 checkpoint and ${fmt(lookupLarge.gas)} (${lookupLarge.sloads} SLOADs) among ${fmt(SCALING_LARGE - SCALING_SMALL + 1)} (Membership answers from its last count when nobody joined or left after the snapshot), a difference of ${fmt(lookupExtra!)}. Without it the mean at ${fmt(SCALING_LARGE)} members would be ${fmt(supplementary.castVoteScalingCause.meanWithoutQuorumLookup!.members10000)} (ratio ${supplementary.castVoteScalingCause.meanWithoutQuorumLookup!.ratio}); votes after the first: ${fmt(small.meanAfterFirst)} vs ${fmt(largeSameVoters.meanAfterFirst)} (ratio ${supplementary.castVoteScalingCause.meanAfterFirstVote.ratio}; at ${SCALING_SMALL} members the vote reaching quorum pays ${quorumReachedExtra === null ? "-" : `+${fmt(quorumReachedExtra)}`} to record the late-quorum deadline).`
    : "castVoteScaling cause: the first vote's trace was not available.",
  `Spread-out voters (supplementary): ${SCALING_VOTERS} voters with ids 1, ${1 + SCALING_LARGE / SCALING_VOTERS}, ... at ${fmt(SCALING_LARGE)} members average ${fmt(spread.mean)} because almost every vote opens a 256-id bitmap word (zero to non-zero, ${fmt(spread.opensBitmapWord ?? 0)} per vote) instead of flipping a bit in a written one (${fmt(spread.bitmapWordAlreadyWritten ?? 0)}); ${SCALING_VOTERS} voters in one word (ids ${DENSE_FIRST_ID}..${DENSE_FIRST_ID + SCALING_VOTERS - 1}) average ${fmt(dense.mean)}. The cost depends on how many voters share a word, not on the number of members.`,
  `Data actions (ours only; no OpenZeppelin counterpart): measured on the side-by-side co-op (${data.members} members after the governance actions); the approval passed a real vote. The 10 / 10,000 columns come from the scaling chain, where the same members (ids 1..${DATA_SAMPLE}) do the same actions on the co-op's first grant, approved directly by the timelock; the 10-member run is rolled back before the co-op grows, so only the member count differs.`,
  `claim: the equal split pays ETH with a plain call; every claimant already has ETH (a payment to an empty account would add 25,000). Members 1..255 claim into the bitmap word the deposit pre-wrote; a claim that opens another word costs ${fmt(claimOpensWord)} (vs ${fmt(claimSharesHighWord)} for later claims in that word), like a vote.`,
  "setConsentBySig: signed with the time of the decision (no nonce): the member's consent slot, written at admission with the first second of their membership (Membership reports each admission to the registry), holds everything the call checks and writes, so a first setting and a change cost the same and neither calls Membership.",
  "claimMany: two grants' equal shares claimed for one member in one call, paid in one transfer.",
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
  methods: Object.fromEntries(Object.entries(METHODS).map(([k, v]) => [k, v.label])),
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
  voteSpread: { allFor: headline.spread, cycling: cycling.spread },
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
  "## Governance: ours vs OpenZeppelin",
  "",
  `${FOUNDERS} voters; gas means. Ratios are ours / OpenZeppelin; the targets apply to the "all For" columns; the last two columns repeat the ratios under the earlier cycling method (For/Against/Abstain).`,
  "",
  "| Action | Ours | OZ wizard | Ours / wizard | OZ + late quorum | Ours / late quorum | Target (ours / wizard) | Met | Cycling: ours / wizard | Cycling: ours / late quorum |",
  "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |",
  ...ACTIONS.map((a) => {
    const r = actions.allFor[a];
    const c = actions.cycling[a];
    return `| ${ACTION_LABELS[a]} | ${fmt(r.ours)} | ${fmt(r.wizard)} | ${r.vsWizard.toFixed(3)} | ${fmt(r.lateQuorum)} | ${r.vsLateQuorum.toFixed(3)} | ${targetText(a)} | ${tick(metAll(a))} | ${c.vsWizard.toFixed(3)} | ${c.vsLateQuorum.toFixed(3)} |`;
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
