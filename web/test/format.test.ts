import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatDay,
  formatDuration,
  formatEth,
  formatList,
  formatNumber,
  formatPercent,
  formatTimeLeft,
} from "../src/i18n/format.ts";
import {
  estimateChainTime,
  fraction,
  isValidApplicationUri,
  parseProposalId,
  parseProposalNumber,
  shortAddress,
} from "../src/lib/format.ts";

/** French and others put no-break spaces between number and unit: compare them as plain spaces. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("time left", () => {
  it("shows the two largest units in the reader's words, never seconds", () => {
    expect(formatTimeLeft("en", 2 * 86_400 + 3 * 3_600 + 59, "soon")).toBe("2 days 3 hours");
    expect(formatTimeLeft("en", 3_600 + 5 * 60, "soon")).toBe("1 hour 5 minutes");
    expect(formatTimeLeft("en", 9 * 60 + 5, "soon")).toBe("9 minutes");
    expect(formatTimeLeft("en", 42.9, "soon")).toBe("soon");
    expect(formatTimeLeft("en", -1, "soon")).toBe("soon");
    expect(plain(formatTimeLeft("fr", 2 * 86_400 + 3 * 3_600, ""))).toBe("2 jours 3 heures");
    expect(formatTimeLeft("sw", 2 * 86_400, "")).toBe("siku 2");
    expect(formatTimeLeft("hi", 3_600 + 5 * 60, "")).toBe("1 घंटा 5 मिनट");
  });
});

describe("durations, amounts and numbers", () => {
  it("gives lengths of time in days when they are a day or more", () => {
    expect(formatDuration("en", 120 * 86_400)).toBe("120 days");
    expect(formatDuration("en", 36 * 3_600)).toBe("1.5 days");
    expect(formatDuration("en", 2 * 3_600)).toBe("2 hours");
    expect(formatDuration("en", 30)).toBe("1 minute");
    expect(formatDuration("sw", 120 * 86_400)).toBe("siku 120");
    expect(formatDuration("hi", 7 * 86_400)).toBe("7 दिन");
  });

  it("writes ether amounts in the reader's digits, rounded, with the unit", () => {
    expect(formatEth("en", 157_500_000_000_000_000n)).toBe("0.1575 ETH");
    expect(plain(formatEth("fr", 157_500_000_000_000_000n))).toBe("0,1575 ETH");
    expect(formatEth("en", 123_456_789_000_000_000n)).toBe("0.1235 ETH");
    expect(formatEth("en", 0n)).toBe("0 ETH");
    expect(formatEth("en", 1n)).toBe("< 0.0001 ETH");
  });

  it("rounds numbers for people, keeping small values readable", () => {
    expect(formatNumber("en", 3.159488888888888)).toBe("3.16");
    expect(formatNumber("fr", 3.159488888888888)).toBe("3,16");
    expect(formatNumber("en", 0.000123)).toBe("0.000123");
    expect(formatNumber("hi", 1_234_567.891)).toBe("12,34,567.89");
    expect(formatNumber("en", Number.NaN)).toBe("—");
    expect(formatCount("es", 1_234_567)).toBe("1.234.567");
    expect(plain(formatPercent("fr", 0.42))).toBe("42 %");
  });

  it("names chart days and lists in the reader's language", () => {
    const june11 = Date.UTC(2026, 5, 11) / 1000;
    expect(formatDay("en", june11)).toBe("Jun 11");
    expect(formatDay("fr", june11)).toBe("11 juin");
    expect(formatDay("hi", june11)).toBe("11 जून");
    expect(formatList("sw", ["a", "b", "c"])).toBe("a, b na c");
  });
});

describe("fraction", () => {
  it("is a share in [0, 1]", () => {
    expect(fraction(1n, 3n)).toBeCloseTo(0.3333, 4);
    expect(fraction(5n, 3n)).toBe(1);
    expect(fraction(0n, 3n)).toBe(0);
    expect(fraction(0n, 0n)).toBe(1);
  });
});

describe("parseProposalNumber", () => {
  it("reads a number as people write it", () => {
    for (const text of ["7", " no. 7", "No 7", "#7", "n° 7", "№7"])
      expect(parseProposalNumber(text), text).toBe(7n);
    expect(parseProposalNumber("seven")).toBeNull();
  });
});

describe("parseProposalId", () => {
  it("accepts decimal and hex uint256 values", () => {
    expect(parseProposalId(" 42 ")).toBe(42n);
    expect(parseProposalId("0x2a")).toBe(42n);
    expect(parseProposalId((2n ** 256n - 1n).toString())).toBe(2n ** 256n - 1n);
  });

  it("rejects anything else", () => {
    for (const bad of ["", "0", "-1", "1.5", "abc", "0x", (2n ** 256n).toString(), "1e5"])
      expect(parseProposalId(bad), bad).toBeNull();
  });
});

describe("isValidApplicationUri", () => {
  it("accepts web, IPFS and Arweave links", () => {
    for (const ok of ["https://example.org/me", "http://coop.local/a", "ipfs://bafy123", "ar://x1"])
      expect(isValidApplicationUri(ok), ok).toBe(true);
  });

  it("rejects empty, relative, other schemes and oversized input", () => {
    for (const bad of [
      "",
      "   ",
      "me.pdf",
      "javascript:alert(1)",
      "ftp://x",
      "https://",
      "ipfs:// x",
    ])
      expect(isValidApplicationUri(bad), bad).toBe(false);
    expect(isValidApplicationUri(`https://a.org/${"x".repeat(2_000)}`)).toBe(false);
  });
});

describe("shortAddress", () => {
  it("keeps the start and the end", () => {
    expect(shortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266")).toBe("0xf39F…2266");
    expect(shortAddress("0x1234")).toBe("0x1234");
  });
});

describe("estimateChainTime", () => {
  it("follows a chain whose blocks lead the wall clock, ticking from when the block was seen", () => {
    expect(estimateChainTime(1_000_000, 2_000n, 995_000)).toBe(2_005);
  });

  it("never goes behind the wall clock while no block is made", () => {
    expect(estimateChainTime(1_000_000, 900n, 950_000)).toBe(1_000);
    expect(estimateChainTime(1_000_000)).toBe(1_000);
  });
});
