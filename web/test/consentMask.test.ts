import { describe, expect, it } from "vitest";
import { ALL_PURPOSES, PURPOSE_COUNT } from "@datacoop/protocol/purposes.generated";
import { hasPurpose, isValidMask, maskChanges, withPurpose } from "../src/lib/consentMask.ts";

describe("purpose masks", () => {
  it("sets and clears single purposes", () => {
    let mask = 0n;
    mask = withPurpose(mask, 0, true);
    mask = withPurpose(mask, 6, true);
    expect(mask).toBe(0b1000001n);
    expect(hasPurpose(mask, 6)).toBe(true);
    expect(hasPurpose(mask, 5)).toBe(false);
    expect(withPurpose(mask, 0, false)).toBe(0b1000000n);
    expect(withPurpose(mask, 0, true)).toBe(mask);
  });

  it("knows the valid masks from the generated table", () => {
    expect(isValidMask(ALL_PURPOSES)).toBe(true);
    expect(isValidMask(0n)).toBe(true);
    expect(isValidMask(1n << BigInt(PURPOSE_COUNT))).toBe(false);
    expect(isValidMask(-1n)).toBe(false);
  });

  it("lists what a change grants and withdraws, in table order", () => {
    expect(maskChanges(0b0010_0001n, 0b1000_0011n)).toEqual({
      granted: ["PUBLIC_INTEREST_RESEARCH", "OFFICIAL_STATISTICS"],
      withdrawn: ["MARKETING"],
    });
    expect(maskChanges(5n, 5n)).toEqual({ granted: [], withdrawn: [] });
  });
});
