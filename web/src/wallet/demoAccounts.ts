/**
 * The local chain's well-known test accounts (Hardhat's default mnemonic). Only ever offered when the co-op
 * runs on the local chain (31337): these keys are public and must never hold anything real.
 */
export const DEMO_CHAIN_ID = 31337;
export const DEMO_MNEMONIC = "test test test test test test test test test test test junk";

/** Accounts offered in the picker: the five founders of `npm start`'s co-op and three non-members. */
/**
 * Addresses are the mnemonic's (a unit test derives them again): a page that reconnects a demo account
 * shows it at once, and the slow key derivation waits until something is signed.
 */
export const DEMO_ACCOUNTS = [
  { index: 0, role: "founder", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
  { index: 1, role: "founder", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
  { index: 2, role: "founder", address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  { index: 3, role: "founder", address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
  { index: 4, role: "founder", address: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" },
  { index: 5, role: "visitor", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" },
  { index: 6, role: "visitor", address: "0x976EA74026E726554dB657fA54763abd0C3a0aa9" },
  { index: 7, role: "visitor", address: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" },
] as const;

export type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

export function demoConnectorId(index: number): string {
  return `demo-${index}`;
}
