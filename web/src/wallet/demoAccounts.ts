/**
 * The local chain's well-known test accounts (Hardhat's default mnemonic). Only ever offered when the co-op
 * runs on the local chain (31337): these keys are public and must never hold anything real.
 */
export const DEMO_CHAIN_ID = 31337;
export const DEMO_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * Accounts offered in the picker: every account `npm start`'s co-op gives a role (scripts/demo.ts) — the
 * five founders, the seven farmers admitted by vote (named by their farm), the two partners — and three
 * accounts that are not members (account 5 is the demo's applicant). Never the gateway operator's (8),
 * the guardian's (9) or the relayer's (19) keys: those act for the co-op, not for a person using the dApp.
 * Addresses are the mnemonic's (a unit test derives them again, and checks the roles against the demo): a
 * page that reconnects a demo account shows it at once, and the slow key derivation waits until something
 * is signed.
 */
export const DEMO_ACCOUNTS = [
  { index: 0, role: "founder", address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
  { index: 1, role: "founder", address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
  { index: 2, role: "founder", address: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" },
  { index: 3, role: "founder", address: "0x90F79bf6EB2c4f870365E785982E1f101E93b906" },
  { index: 4, role: "founder", address: "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65" },
  {
    index: 10,
    role: "farmer",
    name: "Farm 10",
    address: "0xBcd4042DE499D14e55001CcbB24a551F3b954096",
  },
  {
    index: 11,
    role: "farmer",
    name: "Farm 11",
    address: "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
  },
  {
    index: 12,
    role: "farmer",
    name: "Farm 12",
    address: "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a",
  },
  {
    index: 13,
    role: "farmer",
    name: "Farm 13",
    address: "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
  },
  {
    index: 14,
    role: "farmer",
    name: "Farm 14",
    address: "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097",
  },
  {
    index: 16,
    role: "farmer",
    name: "Farm 16",
    address: "0x2546BcD3c84621e976D8185a91A922aE77ECEc30",
  },
  {
    index: 17,
    role: "farmer",
    name: "Farm 17",
    address: "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
  },
  {
    index: 18,
    role: "partner",
    name: "Northfield University",
    address: "0xdD2FD4581271e230360230F9337D5c0430Bf44C0",
  },
  {
    index: 15,
    role: "partner",
    name: "AgriMarket Ltd",
    address: "0xcd3B766CCDd6AE721141F452C550Ca635964ce71",
  },
  { index: 5, role: "visitor", address: "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc" },
  { index: 6, role: "visitor", address: "0x976EA74026E726554dB657fA54763abd0C3a0aa9" },
  { index: 7, role: "visitor", address: "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955" },
] as const;

export type DemoAccount = (typeof DEMO_ACCOUNTS)[number];

export function demoConnectorId(index: number): string {
  return `demo-${index}`;
}
