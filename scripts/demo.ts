/**
 * Seeds a freshly deployed local co-op with a little history so every screen has something to show:
 * an application, an admission decided by vote and carried out through the timelock, and an open
 * proposal with votes on it. Local chain only: it moves the chain's clock forward.
 *
 *   npx hardhat run scripts/demo.ts --network localhost
 */
import { readFile } from "node:fs/promises";
import { network } from "hardhat";

const { ethers, networkHelpers, networkName } = await network.getOrCreate();
if (networkName !== "localhost" && networkName !== "default") {
  throw new Error(
    `The demo moves the chain's clock; run it on the local chain, not ${networkName}.`,
  );
}

const deployment = JSON.parse(await readFile(`deployments/${networkName}.json`, "utf8")) as {
  contracts: Record<string, string>;
};
const membership = await ethers.getContractAt("Membership", deployment.contracts.membership);
const governor = await ethers.getContractAt("CoopGovernor", deployment.contracts.governor);
const signers = await ethers.getSigners();
const founders = signers.slice(0, 5);
const [newcomer, applicant] = [signers[5], signers[6]];

async function propose(proposer: (typeof signers)[number], calldata: string, description: string) {
  const targets = [await membership.getAddress()];
  await (await governor.connect(proposer).propose(targets, [0n], [calldata], description)).wait();
  const descriptionHash = ethers.id(description);
  const id = await governor.hashProposal(targets, [0n], [calldata], descriptionHash);
  return { id, targets, calldata, descriptionHash };
}

// Flows that need the chain's clock to move.
async function passTime(seconds: bigint) {
  await networkHelpers.time.increase(seconds);
}

console.log("Seeding demo data…");
await (await membership.connect(newcomer).applyForMembership("ipfs://demo/application-1")).wait();
await (await membership.connect(applicant).applyForMembership("ipfs://demo/application-2")).wait();

const admission = await propose(
  founders[1],
  membership.interface.encodeFunctionData("admit", [newcomer.address]),
  `Admit ${newcomer.address} as a member`,
);
await passTime((await governor.votingDelay()) + 1n);
for (const [i, founder] of founders.entries()) {
  await (await governor.connect(founder).castVote(admission.id, i === 4 ? 2 : 1)).wait();
}
await passTime(
  (await governor.proposalDeadline(admission.id)) - BigInt(await networkHelpers.time.latest()) + 1n,
);
await (
  await governor.queue(admission.targets, [0n], [admission.calldata], admission.descriptionHash)
).wait();
await passTime(
  (await governor.proposalEta(admission.id)) - BigInt(await networkHelpers.time.latest()) + 1n,
);
await (
  await governor.execute(admission.targets, [0n], [admission.calldata], admission.descriptionHash)
).wait();
console.log(
  `  admitted ${newcomer.address} by vote (member ${await membership.memberIdOf(newcomer.address)})`,
);

const open = await propose(
  founders[2],
  membership.interface.encodeFunctionData("admit", [applicant.address]),
  `Admit ${applicant.address} as a member`,
);
await passTime((await governor.votingDelay()) + 1n);
await (await governor.connect(founders[0]).castVote(open.id, 1)).wait();
await (await governor.connect(founders[3]).castVote(open.id, 0)).wait();
console.log(`  proposal ${open.id} open for votes`);
console.log(`Members: ${await membership.memberCount()}`);
