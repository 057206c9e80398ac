/**
 * The numbers of the co-op's differential privacy that a client needs to know: how much privacy loss (ε)
 * one query may spend, how finely ε is counted, and how many records of one member a query may count.
 * The gateway's README explains the accounting; the cap per member and period is an on-chain term.
 */

/** ε one differentially private query may spend (default: when the query and the schema name none). */
export const EPSILON = { min: 0.001, max: 1, default: 0.1 } as const;

/** ε is counted in millionths, exactly: every ε is a multiple of 10⁻⁶. */
export const EPSILON_UNIT = 1_000_000;

/** ε as an exact integer number of millionths (callers validate that it is a multiple of 10⁻⁶). */
export function epsilonMillionths(epsilon: number): bigint {
  return BigInt(Math.round(epsilon * EPSILON_UNIT));
}

/** Whether ε is a whole number of millionths (false for anything not finite, never a throw). */
export function isWholeMillionths(epsilon: number): boolean {
  const units = Math.round(epsilon * EPSILON_UNIT);
  return Number.isSafeInteger(units) && units / EPSILON_UNIT === epsilon;
}

/** Millionths of ε as a decimal number (exact: the nearest double to the decimal). */
export function epsilonFromMillionths(millionths: bigint): number {
  return Number(millionths) / EPSILON_UNIT;
}

/** Records of one member a differentially private aggregate counts at most (its contribution bound). */
export const RECORDS_PER_MEMBER = { default: 1, max: 1000 } as const;

/**
 * The privacy cap the gateway applies when the chain states none: ε = 1 per member and dataset per
 * 365 days, periods counted from the unix epoch.
 */
export const DEFAULT_PRIVACY_CAP = {
  epsilonMillionths: 1_000_000n,
  periodSeconds: 365n * 86_400n,
  since: 0n,
} as const;
