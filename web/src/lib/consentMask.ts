/** Purpose masks as ConsentRegistry stores them: bit `n` set = consent to purpose `n`. */
import { ALL_PURPOSES, PURPOSES, type PurposeKey } from "@datacoop/protocol/purposes.generated";

export function hasPurpose(mask: bigint, bit: number): boolean {
  return ((mask >> BigInt(bit)) & 1n) === 1n;
}

export function withPurpose(mask: bigint, bit: number, on: boolean): bigint {
  const flag = 1n << BigInt(bit);
  return on ? mask | flag : mask & ~flag;
}

export function isValidMask(mask: bigint): boolean {
  return mask >= 0n && (mask & ~ALL_PURPOSES) === 0n;
}

/** What changes between two masks, as purpose keys in table order. */
export function maskChanges(
  from: bigint,
  to: bigint,
): { granted: PurposeKey[]; withdrawn: PurposeKey[] } {
  const granted: PurposeKey[] = [];
  const withdrawn: PurposeKey[] = [];
  for (const p of PURPOSES) {
    const before = hasPurpose(from, p.bit);
    const after = hasPurpose(to, p.bit);
    if (!before && after) granted.push(p.key);
    if (before && !after) withdrawn.push(p.key);
  }
  return { granted, withdrawn };
}
