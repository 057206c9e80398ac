import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// The compiler comes from the `solc` npm package (solcjs) so that no download
// server is needed; its version is read from the package so the two cannot drift.
const require = createRequire(import.meta.url);
// `require` returns `any`; the package file of solc has a string `version`.
const { version: solcVersion } = require("solc/package.json") as { version: string };
const solcPath = require.resolve("solc/soljson.js");

const compiler = {
  version: solcVersion,
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 10_000 },
    evmVersion: "cancun",
  },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  // Ignition keeps each deployment's journal in <this>/deployments/<id>. A real chain's stays in
  // ignition/ (commit it with the deployment record, as Hardhat advises); a throwaway chain's goes with
  // that chain's state, outside the checkout (npm start, tests and benchmarks set COOP_IGNITION_DIR).
  paths: { ignition: process.env.COOP_IGNITION_DIR || "ignition" },
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
    },
    npmFilesToBuild: ["@openzeppelin/contracts/governance/TimelockController.sol"],
  },
  test: {
    mocha: { timeout: 120_000 },
    solidity: {
      fuzz: { runs: 256 },
    },
  },
  networks: {
    // The chain `npm start` runs: its genesis time can be given so that a replayed history keeps its hashes.
    demo: {
      type: "edr-simulated",
      chainType: "l1",
      ...(process.env.COOP_GENESIS_DATE ? { initialDate: process.env.COOP_GENESIS_DATE } : {}),
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    // Any EVM chain by URL (a testnet, an L2, a node standing in for one).
    custom: {
      type: "http",
      chainType: "generic",
      url: configVariable("COOP_RPC_URL"),
      accounts: [configVariable("COOP_DEPLOYER_KEY")],
    },
  },
  // Sources are verified on Etherscan (and its multichain API) when ETHERSCAN_API_KEY is set.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY", { default: "" }) },
    blockscout: { enabled: false },
    sourcify: { enabled: false },
  },
});
