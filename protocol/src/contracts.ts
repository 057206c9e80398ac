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

/**
 * Members' passkey accounts (issue 18): the factory and the WebAuthn verifier, one of each per chain, recorded in
 * the deployment record's optional `accounts` (older records have none), and the account every clone runs (no
 * address of its own: each member's account is `accountFactory.accountAddress(qx, qy, 0)`). Their ABIs are generated
 * beside the co-op's (`<key>Abi`, and in `ACCOUNT_ABIS`). The follower does not watch them: accounts hold no
 * co-op state, and every co-op action an account takes shows in the co-op's own contracts' events.
 */
export const ACCOUNT_CONTRACTS = {
  accountFactory: {
    name: "PasskeyAccountFactory",
    source: "contracts/accounts/PasskeyAccountFactory.sol",
  },
  webAuthnVerifier: { name: "WebAuthnVerifier", source: "contracts/accounts/WebAuthnVerifier.sol" },
  passkeyAccount: { name: "PasskeyAccount", source: "contracts/accounts/PasskeyAccount.sol" },
} as const;

/** The account contracts with an address in the deployment record's `accounts`. */
export const ACCOUNT_DEPLOYMENT_NAMES = ["accountFactory", "webAuthnVerifier"] as const;
