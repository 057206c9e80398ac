/**
 * Signatures of members whose account is a contract — a passkey account (OpenZeppelin's Account with
 * SignerWebAuthn), deployed or not yet. An ordinary wallet's signature is checked as before, by recovering
 * its signer from the bytes alone, with no call to the chain; only when that does not give the claimed
 * address is the chain asked:
 *
 * - a deployed account judges its own signature (ERC-1271 `isValidSignature`);
 * - an account not deployed yet sends its signature wrapped with its factory's deployment call (ERC-6492),
 *   which the node simulates in a read-only call (viem's universal validator) — nothing is deployed.
 *
 * An ECDSA-shaped signature (65 or 64 bytes) that does not recover to the address goes to the chain only
 * when the address holds code: a wrong wallet signature costs one `eth_getCode`, never a validator call.
 */
import type { Address, Hex, PublicClient } from "viem";
import { isHighS } from "@datacoop/protocol/signature";

/** What the gateway needs of a chain client to judge contract accounts' signatures. */
export type AccountChecker = Pick<PublicClient, "getCode" | "verifyHash">;

/** The longest signature accepted, in bytes: a WebAuthn assertion wrapped for ERC-6492 fits easily. */
export const MAX_SIGNATURE_BYTES = 4096;

export function isEcdsaShaped(signature: string): boolean {
  return signature.length === 132 || signature.length === 130;
}

async function hasCode(accounts: AccountChecker, address: Address): Promise<boolean> {
  const code = await accounts.getCode({ address }).catch(() => undefined);
  return code !== undefined && code !== "0x";
}

/**
 * Whether the contract account `address` accepts `signature` of `hash` (ERC-1271 if deployed, ERC-6492 if
 * not). False without a checker, for a malformed signature, and for an ECDSA-shaped signature of an address
 * without code (an EOA, whose signature recovery already judged).
 */
export async function accountSigned(
  accounts: AccountChecker | undefined,
  address: Address,
  hash: Hex,
  signature: Hex,
): Promise<boolean> {
  if (!accounts) return false;
  if (signature.length > 2 + 2 * MAX_SIGNATURE_BYTES) return false;
  if (isEcdsaShaped(signature) && !(await hasCode(accounts, address))) return false;
  return accounts.verifyHash({ address, hash, signature }).catch(() => false);
}

/**
 * Whether a high-s ECDSA signature must be refused as such (EIP-2): always for a wallet; a deployed
 * contract account's signature is its own to judge, whatever its bytes (as the contracts do).
 */
export async function refuseHighS(
  accounts: AccountChecker | undefined,
  address: Address,
  signature: string,
): Promise<boolean> {
  if (!isHighS(signature)) return false;
  return !accounts || !(await hasCode(accounts, address));
}
