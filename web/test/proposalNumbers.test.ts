import { encodeAbiParameters, encodeEventTopics, type Log } from "viem";
import { describe, expect, it } from "vitest";
import { governorAbi } from "@datacoop/protocol/abis.generated";
import { createdProposalId, liveState } from "../src/lib/proposal.ts";
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

describe("the proposal a transaction created", () => {
  it("is read from the governor's ProposalCreated log, not from any other contract's", () => {
    const governor = "0x1000000000000000000000000000000000000003";
    const args = {
      proposalId: 7n,
      proposer: "0x00000000000000000000000000000000000000aa",
      targets: [governor],
      values: [0n],
      signatures: [""],
      calldatas: ["0x" as const],
      voteStart: 1n,
      voteEnd: 2n,
      description: "# Hi",
    } as const;
    const log = {
      address: governor,
      topics: encodeEventTopics({ abi: governorAbi, eventName: "ProposalCreated" }),
      data: encodeAbiParameters(
        governorAbi.find((i) => i.type === "event" && i.name === "ProposalCreated")!.inputs,
        Object.values(args) as never,
      ),
      blockHash: null,
      blockNumber: null,
      logIndex: null,
      transactionHash: null,
      transactionIndex: null,
      removed: false,
    } as unknown as Log;
    expect(createdProposalId([log], governor)).toBe(7n);
    expect(
      createdProposalId(
        [{ ...log, address: "0x00000000000000000000000000000000000000ff" }],
        governor,
      ),
    ).toBeUndefined();
    expect(createdProposalId([], governor)).toBeUndefined();
  });
});

describe("an open proposal's state by the chain's clock", () => {
  it("follows the governor's rule: pending until the snapshot, active until the deadline", () => {
    const p = { state: "Pending", voteStart: "100", deadline: "700" };
    expect(liveState(p, 100)).toBe("pending");
    expect(liveState(p, 101)).toBe("active");
    expect(liveState({ ...p, state: "Active" }, 700)).toBe("active");
    // Past the deadline the outcome is the API's to say, once it has seen it.
    expect(liveState({ ...p, state: "Active" }, 701)).toBe("active");
    expect(liveState({ ...p, state: "Defeated" }, 150)).toBe("defeated");
  });
});
