/**
 * Deploys the co-op with Ignition and writes its deployment record: the chain id, the deployment block
 * (where the indexer and the auditor start reading), the deployer and every contract's address. The
 * indexer, the gateway, the dApp and the auditor read that file instead of hand-copied addresses.
 *
 *   npm run deploy -- --network localhost                      the local chain (npm start does it)
 *   npm run deploy -- --network sepolia                        Sepolia: SEPOLIA_RPC_URL, SEPOLIA_PRIVATE_KEY
 *   npm run deploy -- --network custom                         any EVM chain: COOP_RPC_URL, COOP_DEPLOYER_KEY
 *
 * Keys and URLs come from Hardhat's keystore (`npx hardhat keystore set NAME`) or the environment.
 * Settings:
 *   COOP_PARAMETERS        Ignition parameters (default ignition/parameters/<network>.json): founders, …
 *   COOP_DEPLOYMENT_OUT    the record (default deployments/<network>.json; deployments/chain-<id>.json for custom)
 *   COOP_DEPLOYMENT_ID     Ignition's deployment id (default chain-<chain id>)
 *   COOP_IGNITION_DIR      where Ignition's journal goes: <dir>/deployments/<id> (default ignition/; a
 *                          throwaway chain's is kept with its state, outside the checkout)
 *   ETHERSCAN_API_KEY      when set (keystore or environment), the sources are verified on the block explorer
 *
 * Before sending anything it checks every parameter (scripts/deployParameters.ts: names, founders, durations,
 * addresses, quorum, shares, the privacy cap, unknown keys) and refuses, with every problem listed, without a
 * single transaction. After deploying it checks that the deployer kept no power: the timelock owns every
 * contract and holds its own admin role, the governor is its only proposer, canceller and executor. Any
 * deviation fails the command.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ACCOUNT_DEPLOYMENT_NAMES, CONTRACTS } from "@datacoop/protocol/contracts";
import hre, { network } from "hardhat";
import DataCoop from "../ignition/modules/DataCoop.js";
import { checkParameters, ParameterError, type CoopParameters } from "./deployParameters.js";

const LOCAL_CHAIN_ID = 31337;
const ZERO = "0x0000000000000000000000000000000000000000";

class DeployError extends Error {}

const connection = await network.getOrCreate();
const { ethers, ignition, networkName } = connection;

async function readParameters(file: string): Promise<Record<string, Record<string, unknown>>> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new DeployError(
      error.code === "ENOENT"
        ? `No parameters at ${file}. Copy ignition/parameters/example.json there and fill in the founders ` +
            `(or point COOP_PARAMETERS at your file).`
        : `Cannot read ${file}: ${error.message}`,
    );
  });
  try {
    return JSON.parse(text) as Record<string, Record<string, unknown>>;
  } catch (error) {
    throw new DeployError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Every parameter, checked (and defaults filled in) before anything is sent. */
function validParameters(raw: unknown, file: string): CoopParameters {
  try {
    return checkParameters(raw, file);
  } catch (error) {
    if (error instanceof ParameterError) throw new DeployError(error.message);
    throw error;
  }
}

/** The first block in which `address` has code (binary search: O(log n) calls, any RPC provider). */
async function creationBlock(address: string, from: number, to: number): Promise<number> {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if ((await ethers.provider.getCode(address, mid)) === "0x") low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Everything that would leave power outside the members' votes, in words; empty when all is well. */
async function remainingPowers(
  contracts: Record<string, string>,
  deployer: string,
): Promise<string[]> {
  const problems: string[] = [];
  const timelock = await ethers.getContractAt("TimelockController", contracts.timelock);
  const roles = {
    DEFAULT_ADMIN_ROLE: await timelock.DEFAULT_ADMIN_ROLE(),
    PROPOSER_ROLE: await timelock.PROPOSER_ROLE(),
    CANCELLER_ROLE: await timelock.CANCELLER_ROLE(),
    EXECUTOR_ROLE: await timelock.EXECUTOR_ROLE(),
  };
  for (const [name, role] of Object.entries(roles)) {
    if (await timelock.hasRole(role, deployer))
      problems.push(`the deployer ${deployer} still holds the timelock's ${name}`);
    if (await timelock.hasRole(role, ZERO))
      problems.push(`the timelock's ${name} is open to everyone (granted to the zero address)`);
  }
  if (!(await timelock.hasRole(roles.DEFAULT_ADMIN_ROLE, contracts.timelock)))
    problems.push("the timelock is not its own admin");
  for (const name of ["PROPOSER_ROLE", "CANCELLER_ROLE", "EXECUTOR_ROLE"] as const) {
    if (!(await timelock.hasRole(roles[name], contracts.governor)))
      problems.push(`the governor lacks the timelock's ${name}`);
  }
  for (const key of ["membership", "registry", "revenue", "accessLog"] as const) {
    const contractName = CONTRACTS[key].name;
    const contract = await ethers.getContractAt(contractName, contracts[key]);
    const owner = String(await contract.owner());
    if (owner.toLowerCase() !== contracts.timelock.toLowerCase())
      problems.push(`${contractName} is owned by ${owner}, not by the timelock`);
  }
  const governor = await ethers.getContractAt("CoopGovernor", contracts.governor);
  if ((await governor.timelock()).toLowerCase() !== contracts.timelock.toLowerCase())
    problems.push("the governor does not execute through the timelock");
  const revenue = await ethers.getContractAt("Revenue", contracts.revenue);
  if ((await revenue.registry()).toLowerCase() !== contracts.registry.toLowerCase())
    problems.push("the revenue contract is not wired to the registry");
  const membership = await ethers.getContractAt("Membership", contracts.membership);
  if ((await membership.consentRegistry()).toLowerCase() !== contracts.consent.toLowerCase())
    problems.push("the membership does not report admissions to the consent registry");
  return problems;
}

/** Verifies the sources when an explorer API key is configured; says why not otherwise. */
async function verifySources(chainId: number, deploymentId: string): Promise<boolean> {
  if (chainId === LOCAL_CHAIN_ID) return false;
  let apiKey: string;
  try {
    apiKey = await hre.config.verify.etherscan.apiKey.get();
  } catch {
    apiKey = "";
  }
  if (apiKey.trim() === "") {
    console.log(
      "Source verification skipped: no ETHERSCAN_API_KEY. Set it (`npx hardhat keystore set ETHERSCAN_API_KEY`, " +
        `or the environment) and run \`npx hardhat ignition verify ${deploymentId} --network ${networkName}\`.`,
    );
    return false;
  }
  console.log("Verifying the sources on the block explorer…");
  await hre.tasks.getTask(["ignition", "verify"]).run({ deploymentId, force: false });
  return process.exitCode === undefined || process.exitCode === 0;
}

async function main(): Promise<void> {
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const parametersPath = path.resolve(
    process.env.COOP_PARAMETERS ?? `ignition/parameters/${networkName}.json`,
  );
  const outputPath = path.resolve(
    process.env.COOP_DEPLOYMENT_OUT ??
      (networkName === "custom"
        ? `deployments/chain-${chainId}.json`
        : `deployments/${networkName}.json`),
  );
  const deploymentId = process.env.COOP_DEPLOYMENT_ID || `chain-${chainId}`;

  const parameters = validParameters(
    await readParameters(parametersPath),
    path.relative(process.cwd(), parametersPath),
  );
  const founders = parameters.Governance.founders;
  const [signer] = await ethers.getSigners();
  if (!signer) throw new DeployError(`No deployer account configured for ${networkName}.`);
  const deployer = await signer.getAddress();
  const balance = await ethers.provider.getBalance(deployer);
  console.log(
    `Deploying "${parameters.Governance.name}" to ${networkName} (chain ${chainId}) ` +
      `with ${founders.length} founders, from ${deployer} (${ethers.formatEther(balance)} ETH).`,
  );
  if (balance === 0n) throw new DeployError(`The deployer ${deployer} has no ETH to pay for gas.`);

  // Ignition resumes an interrupted deployment; keep the first recorded start block in that case.
  const previous = await readFile(outputPath, "utf8").then(
    (text) => JSON.parse(text) as { chainId: number; startBlock: number },
    () => undefined,
  );
  const searchFrom =
    previous && previous.chainId === chainId
      ? previous.startBlock
      : (await ethers.provider.getBlockNumber()) + 1;

  // Exactly the parameters checked above, defaults included.
  const deployed = await ignition.deploy(DataCoop, {
    parameters: { ...parameters },
    deploymentId,
    displayUi: chainId !== LOCAL_CHAIN_ID && Boolean(process.stdout.isTTY),
  });
  const contracts: Record<string, string> = {};
  const accounts: Record<string, string> = {};
  for (const [name, contract] of Object.entries(deployed)) {
    const into = (ACCOUNT_DEPLOYMENT_NAMES as readonly string[]).includes(name)
      ? accounts
      : contracts;
    into[name] = await contract.getAddress();
  }

  const problems = await remainingPowers(contracts, deployer);
  if (problems.length > 0) {
    throw new DeployError(
      `The deployment left power outside the members' votes:\n${problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "Do not use this deployment.",
    );
  }
  console.log(
    "Checked: the deployer holds no role; the timelock owns every contract and is its own admin; " +
      "the governor is its only proposer, canceller and executor.",
  );

  const latest = await ethers.provider.getBlockNumber();
  const startBlock = await creationBlock(contracts.timelock, Math.min(searchFrom, latest), latest);
  const block = await ethers.provider.getBlock(startBlock);
  const verified = await verifySources(chainId, deploymentId);

  const record = {
    network: networkName,
    chainId,
    startBlock,
    deployedAt: block ? new Date(block.timestamp * 1000).toISOString() : undefined,
    deployer,
    ignitionDeploymentId: deploymentId,
    sourcesVerified: verified,
    contracts,
    accounts,
  };
  await mkdir(path.dirname(outputPath), { recursive: true });
  await writeFile(outputPath, JSON.stringify(record, null, 2) + "\n");
  console.log(
    `Deployed to ${networkName} (chain ${chainId}, from block ${startBlock}); record in ${path.relative(process.cwd(), outputPath)}`,
  );
  for (const [name, address] of Object.entries({ ...contracts, ...accounts }))
    console.log(`  ${name.padEnd(12)} ${address}`);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof DeployError)) throw error;
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
}
