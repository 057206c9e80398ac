import { describe, expect, it } from "vitest";
import { describeAddress, type Directory, partnerName } from "../src/lib/who.ts";
import { contracts } from "./support/contracts.ts";

const me = "0x00000000000000000000000000000000000000aa";
const member = "0x00000000000000000000000000000000000000bb";
const partner = "0x00000000000000000000000000000000000000cc";
const silent = "0x00000000000000000000000000000000000000dd";
const applicant = "0x00000000000000000000000000000000000000ee";
const directory: Directory = {
  me,
  members: new Map([
    [me, "3"],
    [member, "7"],
  ]),
  partners: new Map([
    [partner, "Northfield University"],
    [silent, ""],
  ]),
  applicants: new Map([[applicant, 1_781_136_000]]),
  contracts,
};

describe("who an address is", () => {
  it("names you, members by number, partners by their own name, applicants and the co-op's contracts", () => {
    expect(describeAddress(me.toUpperCase().replace("0X", "0x"), directory)).toEqual({
      key: "who.youMember",
      vars: { id: "3" },
    });
    expect(describeAddress(member, directory)).toEqual({ key: "who.member", vars: { id: "7" } });
    expect(describeAddress(partner, directory)).toEqual({
      key: "who.partnerNamed",
      vars: { name: "Northfield University" },
    });
    expect(describeAddress(silent, directory)).toEqual({ key: "who.partnerUnnamed", vars: {} });
    expect(describeAddress(applicant, directory)).toEqual({
      key: "who.applicant",
      vars: {},
      applied: 1_781_136_000,
    });
    expect(describeAddress(contracts.timelock, directory)).toEqual({
      key: "who.contract.timelock",
      vars: {},
    });
    expect(describeAddress("0x00000000000000000000000000000000000000ff", directory)).toEqual({
      key: "who.outside",
      vars: {},
    });
    expect(describeAddress(me, { ...directory, members: new Map() })).toEqual({
      key: "who.you",
      vars: {},
    });
  });

  it("takes a partner's name as one trimmed line of at most 80 characters", () => {
    expect(partnerName("  Northfield\n  University ")).toBe("Northfield University");
    expect(partnerName("x".repeat(200))).toHaveLength(80);
    expect(partnerName("   ")).toBeUndefined();
    expect(partnerName(42)).toBeUndefined();
  });
});
