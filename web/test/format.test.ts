import { describe, expect, it } from "vitest";
import {
  estimateChainTime,
  formatCountdown,
  fraction,
  isValidApplicationUri,
  parseProposalId,
  shortAddress,
  splitDuration,
} from "../src/lib/format.ts";

const units = { days: "d", hours: "h", minutes: "min", seconds: "s" };

describe("countdown", () => {
  it("splits seconds into days, hours, minutes and seconds", () => {
    expect(splitDuration(90_061)).toEqual({ days: 1, hours: 1, minutes: 1, seconds: 1 });
    expect(splitDuration(-5)).toEqual({ days: 0, hours: 0, minutes: 0, seconds: 0 });
  });

  it("shows the two largest units", () => {
    expect(formatCountdown(2 * 86_400 + 3 * 3_600 + 59, units)).toBe("2 d 3 h");
    expect(formatCountdown(3_600 + 5 * 60, units)).toBe("1 h 05 min");
    expect(formatCountdown(9 * 60 + 5, units)).toBe("9 min 05 s");
    expect(formatCountdown(42.9, units)).toBe("42 s");
    expect(formatCountdown(-1, units)).toBe("0 s");
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
