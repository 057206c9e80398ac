import { describe, expect, it } from "vitest";
import { privacyLines, type MemberPrivacy } from "../src/lib/privacyUsed.ts";

const doc = (datasets: Partial<MemberPrivacy["datasets"][number]>[]): MemberPrivacy => ({
  cap: {
    epsilon: 1,
    period: { start: "2026-01-01T00:00:00.000Z", end: "2027-01-01T00:00:00.000Z" },
  },
  datasets: datasets.map((d) => ({
    datasetId: "1",
    answers: 3,
    privateAnswers: 2,
    periodPrivateAnswers: 2,
    epsilonUsed: 0.2,
    epsilonCap: 1,
    usedMillionths: "200000",
    capMillionths: "1000000",
    ...d,
  })),
});

describe("a member's privacy used this period", () => {
  it("reads each dataset as a share of the allowance, the answers that used it and the day it renews", () => {
    expect(
      privacyLines(doc([{}, { datasetId: "2", usedMillionths: "0", periodPrivateAnswers: 0 }])),
    ).toEqual([
      {
        datasetId: "1",
        share: 0.2,
        answers: 2,
        full: false,
        renews: Date.parse("2027-01-01T00:00:00Z"),
      },
      {
        datasetId: "2",
        share: 0,
        answers: 0,
        full: false,
        renews: Date.parse("2027-01-01T00:00:00Z"),
      },
    ]);
  });

  it("never says all used before it is, and says so when it is (a zero cap too)", () => {
    const [almost] = privacyLines(doc([{ usedMillionths: "999999" }]))!;
    expect(almost).toMatchObject({ share: 0.99, full: false });
    const [used] = privacyLines(doc([{ usedMillionths: "1000000" }]))!;
    expect(used).toMatchObject({ share: 1, full: true });
    const [over] = privacyLines(doc([{ usedMillionths: "1500000" }]))!;
    expect(over).toMatchObject({ share: 1, full: true });
    const [none] = privacyLines(doc([{ usedMillionths: "0", capMillionths: "0" }]))!;
    expect(none).toMatchObject({ share: 1, full: true });
  });

  it("rounds down to whole per cents, from exact integers, not floating ε", () => {
    const [line] = privacyLines(doc([{ usedMillionths: "333333", epsilonUsed: 0.9 }]))!;
    expect(line.share).toBe(0.33);
  });

  it("refuses an answer of another shape rather than showing a wrong figure", () => {
    expect(privacyLines(null)).toBeNull();
    expect(privacyLines({ datasets: [] })).toBeNull();
    expect(privacyLines(doc([{ usedMillionths: "-1" }]))).toBeNull();
    expect(privacyLines(doc([{ capMillionths: "0.5" }]))).toBeNull();
    expect(
      privacyLines({ ...doc([]), cap: { epsilon: 1, period: { start: "", end: "never" } } }),
    ).toBeNull();
    expect(privacyLines(doc([]))).toEqual([]);
  });
});
