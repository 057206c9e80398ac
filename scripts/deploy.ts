/**
 * Deploys the co-op with Ignition and writes deployments/<network>.json: the chain id, the block to start
 * indexing from and every contract's address. The indexer, the dApp and the auditor CLI read that file
 * instead of hand-copied addresses.
 *
 *   npx hardhat run scripts/deploy.ts --network localhost
 *   COOP_PARAMETERS=ignition/parameters/sepolia.json npx hardhat run scripts/deploy.ts --network sepolia
 *
 * COOP_DEPLOYMENT_OUT overrides the output file and COOP_DEPLOYMENT_ID names Ignition's deployment
 * (tests use both to deploy several local chains side by side).
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { network } from "hardhat";
import DataCoop from "../ignition/modules/DataCoop.js";

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;

const parametersPath = path.resolve(
  process.env.COOP_PARAMETERS ?? `ignition/parameters/${networkName}.json`,
);
const outputPath = path.resolve(
  process.env.COOP_DEPLOYMENT_OUT ?? `deployments/${networkName}.json`,
);
const deploymentId = process.env.COOP_DEPLOYMENT_ID;
const chainId = Number((await ethers.provider.getNetwork()).chainId);

// Ignition resumes an interrupted deployment; keep the first recorded start block in that case.
const previous = await readFile(outputPath, "utf8").then(
  (text) => JSON.parse(text) as { chainId: number; startBlock: number },
  () => undefined,
);
const startBlock =
  previous && previous.chainId === chainId
    ? previous.startBlock
    : (await ethers.provider.getBlockNumber()) + 1;

const deployed = await ignition.deploy(DataCoop, { parameters: parametersPath, deploymentId });

const contracts: Record<string, string> = {};
for (const [name, contract] of Object.entries(deployed)) {
  contracts[name] = await contract.getAddress();
}

await mkdir(path.dirname(outputPath), { recursive: true });
await writeFile(
  outputPath,
  JSON.stringify({ network: networkName, chainId, startBlock, contracts }, null, 2) + "\n",
);
console.log(
  `Deployed to ${networkName} (chain ${chainId}); addresses in ${path.relative(process.cwd(), outputPath)}`,
);
for (const [name, address] of Object.entries(contracts))
  console.log(`  ${name.padEnd(12)} ${address}`);
