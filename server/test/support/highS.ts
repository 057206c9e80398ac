/** The high-s twin of a signature (EIP-2), as an attacker would send it. */
/** The order of secp256k1's group. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The other valid signature of the same message by the same key: s → n − s, the recovery bit flipped. */
export function highSTwin(signature: `0x${string}`): `0x${string}` {
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  const twin = v === 27 ? 28 : v === 28 ? 27 : v ^ 1;
  return `${signature.slice(0, 66)}${(N - s).toString(16).padStart(64, "0")}${twin.toString(16).padStart(2, "0")}` as `0x${string}`;
}
