import { describe, expect, it } from "vitest";
import { numberProposals, resolveProposal } from "../src/lib/proposalNumbers.ts";
import { requestPhase } from "../src/lib/requestStatus.ts";

const long = (n: number) => (10n ** 70n + BigInt(n)).toString();

describe("short proposal numbers", () => {
  it("numbers proposals by their order of creation from the newest-first list", () => {
    const page = { items: [{ proposalId: long(3) }, { proposalId: long(2) }], total: 5, offset: 1 };
    expect([...numberProposals(page)]).toEqual([
      [long(3), 4],
      [long(2), 3],
    ]);
  });

  it("uses the governor's own numbers when it keeps them", () => {
    const page = {
      items: [{ proposalId: "9" }, { proposalId: long(1), number: "8" }],
      total: 2,
      offset: 0,
    };
    expect([...numberProposals(page)]).toEqual([
      ["9", 9],
      [long(1), 8],
    ]);
  });

  it("resolves a typed number to the governor's id, and a long id to itself", () => {
    const numbers = new Map([
      [long(3), 4],
      [long(2), 3],
    ]);
    expect(resolveProposal(4n, numbers)).toBe(BigInt(long(3)));
    expect(resolveProposal(BigInt(long(2)), numbers)).toBe(BigInt(long(2)));
    expect(resolveProposal(4n, undefined)).toBeUndefined();
    // A number the list does not know yet is taken as a sequential id.
    expect(resolveProposal(12n, numbers)).toBe(12n);
  });
});

describe("where a partner's request stands", () => {
  it("never says a request is waiting when it was refused, nor refused when only a vote failed", () => {
    expect(requestPhase("Rejected", [{ state: "Defeated" }])).toBe("rejected");
    expect(requestPhase("Pending", [{ state: "Defeated" }])).toBe("voteFailed");
    expect(requestPhase("Pending", [{ state: "Defeated" }, { state: "Active" }])).toBe("voting");
    expect(requestPhase("Pending", [{ state: "Queued" }])).toBe("votePassed");
    expect(requestPhase("Pending", [])).toBe("waitingSponsor");
    expect(requestPhase("Approved", [{ state: "Executed" }])).toBe("approved");
    expect(requestPhase("Withdrawn", [])).toBe("withdrawn");
    expect(requestPhase("Revoked", [])).toBe("revoked");
  });
});
