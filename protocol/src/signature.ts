/**
 * EIP-2: of the two valid ECDSA signatures of a message by one key, (r, s) and (r, n − s), only the one
 * with s ≤ n/2 is accepted, as the co-op's contracts (OpenZeppelin's ECDSA) and Ethereum transactions
 * do. Recovery libraries (viem's included) accept both, so every place that checks a signature refuses the
 * high-s twin itself, before recovering anything: the twin would otherwise be a second, different-looking
 * copy of a signature already seen.
 */

/** Half the order of secp256k1's group: the largest s a signature may have. */
export const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * The s of a 65-byte signature (r ‖ s ‖ v) or of a 64-byte compact one (EIP-2098: r ‖ yParity·2²⁵⁵ + s);
 * undefined for any other form (an ERC-1271 smart account's signature, say).
 */
export function signatureS(signature: string): bigint | undefined {
  if (!/^0x[0-9a-fA-F]*$/.test(signature)) return undefined;
  if (signature.length === 132) return BigInt(`0x${signature.slice(66, 130)}`);
  if (signature.length === 130) {
    return BigInt(`0x${signature.slice(66, 130)}`) & ((1n << 255n) - 1n);
  }
  return undefined;
}

/** Whether `signature` is an ECDSA signature whose s is above n/2 (the malleable twin of a low-s one). */
export function isHighS(signature: string): boolean {
  const s = signatureS(signature);
  return s !== undefined && s > SECP256K1_HALF_N;
}

export const HIGH_S_MESSAGE =
  "The signature's s is above n/2 (EIP-2): send the low-s form your wallet makes, not its malleable twin.";
