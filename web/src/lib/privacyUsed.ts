/**
 * "Privacy used x of y this period": the gateway's `GET /gateway/me/privacy` (the privacy branch's route)
 * says, per dataset, how much of the co-op's privacy cap the answers that included the member's data have
 * charged them this period. Members read it as a share of their allowance and the day it renews; never ε.
 * Pure, unit-tested.
 */

/** The route's answer, as the privacy branch documents it. */
export type MemberPrivacy = {
  cap: { epsilon: number; period: { start: string; end: string } };
  datasets: {
    datasetId: string;
    answers: number;
    privateAnswers: number;
    periodPrivateAnswers: number;
    epsilonUsed: number;
    epsilonCap: number;
    usedMillionths: string;
    capMillionths: string;
  }[];
};

export type PrivacyLine = {
  datasetId: string;
  /** The share of this period's allowance used, in [0, 1], to the whole per cent (never 100 % before it is). */
  share: number;
  /** The answers that charged the member this period. */
  answers: number;
  /** Used up: the member's data is left out of private answers until `renews`. */
  full: boolean;
  /** When the period renews (ms since the epoch). */
  renews: number;
};

const DIGITS = /^\d{1,30}$/;

/** Each dataset's line, in the order the gateway gives them; null when the answer is not of this shape. */
export function privacyLines(doc: unknown): PrivacyLine[] | null {
  const d = doc as Partial<MemberPrivacy> | null;
  const renews = Date.parse(d?.cap?.period?.end ?? "");
  if (!d || !Array.isArray(d.datasets) || !Number.isFinite(renews)) return null;
  const lines: PrivacyLine[] = [];
  for (const row of d.datasets) {
    if (!DIGITS.test(row?.usedMillionths ?? "") || !DIGITS.test(row?.capMillionths ?? ""))
      return null;
    const used = BigInt(row.usedMillionths);
    const cap = BigInt(row.capMillionths);
    const full = cap === 0n || used >= cap;
    // Per mille first, then whole per cents, rounded down so that 99.6 % reads 99 %, not "all used".
    const perMille = full ? 1000n : (used * 1000n) / cap;
    lines.push({
      datasetId: String(row.datasetId),
      share: full ? 1 : Number(perMille / 10n) / 100,
      answers: Number.isSafeInteger(row.periodPrivateAnswers) ? row.periodPrivateAnswers : 0,
      full,
      renews,
    });
  }
  return lines;
}
