/**
 * The local chain's well-known test accounts (Hardhat's default mnemonic). Only ever offered when the co-op
 * runs on the local chain (31337): these keys are public and must never hold anything real.
 */
export const DEMO_CHAIN_ID = 31337;
export const DEMO_MNEMONIC = "test test test test test test test test test test test junk";

/** Accounts offered in the picker: the five founders of `npm start`'s co-op and three non-members. */
export const DEMO_ACCOUNTS = [
  { index: 0, role: "founder" },
  { index: 1, role: "founder" },
  { index: 2, role: "founder" },
  { index: 3, role: "founder" },
  { index: 4, role: "founder" },
  { index: 5, role: "visitor" },
  { index: 6, role: "visitor" },
  { index: 7, role: "visitor" },
] as const;

export type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

export function demoConnectorId(index: number): string {
  return `demo-${index}`;
}
