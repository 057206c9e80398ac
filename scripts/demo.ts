/**
 * Seeds a freshly deployed local co-op with a little history so every screen has something to show:
 * applications, an admission and a dataset decided by vote, members' consent, a partner's request
 * approved by vote (its fee split and partly claimed), another request still open for votes.
 * Local chain only: it moves the chain's clock forward.
 *
 *   npx hardhat run scripts/demo.ts --network localhost
 */
import { readFile } from "node:fs/promises";
import { network } from "hardhat";
import { PURPOSES } from "../shared/purposes.generated.js";

const { ethers, networkHelpers, networkName } = await network.getOrCreate();
if (networkName !== "localhost" && networkName !== "default") {
  throw new Error(
    `The demo moves the chain's clock; run it on the local chain, not ${networkName}.`,
  );
}

const deployment = JSON.parse(await readFile(`deployments/${networkName}.json`, "utf8")) as {
  contracts: Record<string, string>;
};
const at = deployment.contracts;
const membership = await ethers.getContractAt("Membership", at.membership);
const governor = await ethers.getContractAt("CoopGovernor", at.governor);
const registry = await ethers.getContractAt("DataAccessRegistry", at.registry);
const consent = await ethers.getContractAt("ConsentRegistry", at.consent);
const revenue = await ethers.getContractAt("Revenue", at.revenue);
const signers = await ethers.getSigners();
type Signer = (typeof signers)[number];
const founders = signers.slice(0, 5);
const [newcomer, applicant, partner, secondPartner] = [
  signers[5],
  signers[6],
  signers[10],
  signers[11],
];

function purposeBit(key: string): number {
  const purpose = PURPOSES.find((p) => p.key === key);
  if (!purpose) throw new Error(`unknown purpose ${key}`);
  return purpose.bit;
}

async function now(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest());
}

type Proposal = { targets: string[]; values: bigint[]; calldatas: string[]; description: string };

async function propose(proposer: Signer, p: Proposal): Promise<bigint> {
  await (
    await governor.connect(proposer).propose(p.targets, p.values, p.calldatas, p.description)
  ).wait();
  await networkHelpers.time.increase((await governor.votingDelay()) + 1n);
  return governor.hashProposal(p.targets, p.values, p.calldatas, ethers.id(p.description));
}

/** Proposes, votes (1 For, 0 Against, 2 Abstain per founder), waits, queues, waits, executes. */
async function decide(proposer: Signer, p: Proposal, votes: number[]): Promise<void> {
  const id = await propose(proposer, p);
  for (const [i, support] of votes.entries()) {
    await (await governor.connect(founders[i]).castVote(id, support)).wait();
  }
  await networkHelpers.time.increase((await governor.proposalDeadline(id)) - (await now()) + 1n);
  const hash = ethers.id(p.description);
  await (await governor.queue(p.targets, p.values, p.calldatas, hash)).wait();
  await networkHelpers.time.increase((await governor.proposalEta(id)) - (await now()) + 1n);
  await (await governor.execute(p.targets, p.values, p.calldatas, hash)).wait();
}

function single(target: string, calldata: string, description: string): Proposal {
  return { targets: [target], values: [0n], calldatas: [calldata], description };
}

console.log("Seeding demo data…");
await (await membership.connect(newcomer).applyForMembership("ipfs://demo/application-1")).wait();
await (await membership.connect(applicant).applyForMembership("ipfs://demo/application-2")).wait();

await decide(
  founders[1],
  single(
    at.membership,
    membership.interface.encodeFunctionData("admit", [newcomer.address]),
    `Admit ${newcomer.address} as a member`,
  ),
  [1, 1, 1, 1, 2],
);
console.log(
  `  admitted ${newcomer.address} by vote (member ${await membership.memberIdOf(newcomer.address)})`,
);

const fields = ["region", "crop", "hectares", "yield_t_per_ha", "rainfall_mm", "harvest_date"];
await decide(
  founders[0],
  single(
    at.registry,
    registry.interface.encodeFunctionData("registerDataset", [
      "Harvests 2026",
      "ipfs://demo/schemas/harvests-2026.json",
      ethers.id("harvests-2026-schema-v1"),
      fields,
    ]),
    "Register the dataset Harvests 2026",
  ),
  [1, 1, 1, 0, 1],
);
console.log(`  registered dataset 1 "Harvests 2026" (${fields.length} fields)`);

// Most members consent to research; one also to AI model training; one consents to nothing.
const research =
  (1 << purposeBit("ACADEMIC_RESEARCH")) | (1 << purposeBit("PUBLIC_INTEREST_RESEARCH"));
for (const [i, member] of [...founders, newcomer].entries()) {
  const mask = i === 3 ? 0 : i === 2 ? research | (1 << purposeBit("AI_MODEL_TRAINING")) : research;
  if (mask !== 0) await (await consent.connect(member).setConsent(mask)).wait();
}

// A university asks for aggregate yields by region and crop for academic research.
const scope = { fieldMask: 0b011011n, rowLevel: false, minCohort: 3 };
await (
  await registry
    .connect(partner)
    .requestAccess(
      1,
      purposeBit("ACADEMIC_RESEARCH"),
      scope,
      90 * 86_400,
      "ipfs://demo/terms/university-yields",
      {
        value: ethers.parseEther("1"),
      },
    )
).wait();
const [targets, values, calldatas, description] = await registry.approvalProposal(1);
await decide(
  founders[2],
  { targets: [...targets], values: [...values], calldatas: [...calldatas], description },
  [1, 1, 0, 1, 1],
);
console.log(`  request 1 approved by vote: grant active = ${await registry.isGrantActive(1)}`);
for (const member of founders.slice(0, 3)) {
  await (await revenue.connect(member)["claim(uint256,address)"](1, member.address)).wait();
}
console.log(`  three members claimed their share of grant 1`);

// A marketing firm's request for row-level data waits for the members' vote.
await (
  await registry
    .connect(secondPartner)
    .requestAccess(
      1,
      purposeBit("MARKETING"),
      { fieldMask: 0b000011n, rowLevel: true, minCohort: 1 },
      30 * 86_400,
      "ipfs://demo/terms/agrimarket",
      {
        value: ethers.parseEther("0.5"),
      },
    )
).wait();
const [t2, v2, c2, d2] = await registry.approvalProposal(2);
const open = await propose(founders[4], {
  targets: [...t2],
  values: [...v2],
  calldatas: [...c2],
  description: d2,
});
await (await governor.connect(founders[0]).castVote(open, 0)).wait();
await (await governor.connect(founders[4]).castVote(open, 1)).wait();
console.log(`  request 2 (marketing, row-level) is open for votes as proposal ${open}`);
console.log(
  `Members: ${await membership.memberCount()}; requests: ${await registry.requestCount()}`,
);
