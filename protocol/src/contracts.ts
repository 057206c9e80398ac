/**
 * The co-op's contracts, declared once. Each has a key — its name in the deployment record
 * (`deployment.contracts.<key>`) and in `ABIS` — the Solidity contract it is, and the source the compiler
 * builds it from. `npm run generate` writes abis.generated.ts from this table (`<key>Abi` and `ABIS`);
 * the deployment record's schema, the follower, the auditor, the deploy check and the dApp take their list
 * of contracts from here.
 */
export const CONTRACTS = {
  membership: { name: "Membership", source: "contracts/Membership.sol" },
  governor: { name: "CoopGovernor", source: "contracts/CoopGovernor.sol" },
  registry: { name: "DataAccessRegistry", source: "contracts/DataAccessRegistry.sol" },
  consent: { name: "ConsentRegistry", source: "contracts/ConsentRegistry.sol" },
  revenue: { name: "Revenue", source: "contracts/Revenue.sol" },
  accessLog: { name: "AccessLogAnchor", source: "contracts/AccessLogAnchor.sol" },
  timelock: {
    name: "TimelockController",
    source: "@openzeppelin/contracts/governance/TimelockController.sol",
  },
} as const;

/** A contract's key in the deployment record. */
export type ContractName = keyof typeof CONTRACTS;

/** The keys, in the table's order. */
export const CONTRACT_NAMES = Object.keys(CONTRACTS) as ContractName[];
