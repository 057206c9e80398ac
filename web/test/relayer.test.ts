import { hashTypedData, recoverTypedDataAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { ballotTypedData, relayOutcome, relayerUrl, voteRequestBody } from "../src/lib/relayer.ts";

const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
const domain = {
  name: "Valley Growers Data Co-op",
  version: "1",
  chainId: 31337,
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
} as const;
const ballot = { proposalId: 12345678901234567890n, support: 1, voter: account.address, nonce: 0n };

describe("relayer", () => {
  it("lives next to the read API", () => {
    expect(relayerUrl("http://127.0.0.1:8600/api")).toBe("http://127.0.0.1:8600/relayer");
    expect(relayerUrl("https://coop.example/indexer/api/")).toBe(
      "https://coop.example/indexer/relayer",
    );
    expect(relayerUrl("https://coop.example")).toBe("https://coop.example/relayer");
  });

  it("signs the governor's Ballot type, recoverable to the voter", async () => {
    const typed = ballotTypedData(domain, ballot);
    const signature = await account.signTypedData(typed);
    expect(await recoverTypedDataAddress({ ...typed, signature })).toBe(account.address);
    // The type string the governor hashes (OpenZeppelin's BALLOT_TYPEHASH).
    expect(hashTypedData(typed)).not.toBe(
      hashTypedData({ ...typed, message: { ...ballot, support: 0 } }),
    );
    expect(Object.keys(typed.types)).toEqual(["Ballot"]);
    expect(typed.types.Ballot.map((f) => `${f.type} ${f.name}`).join(",")).toBe(
      "uint256 proposalId,uint8 support,address voter,uint256 nonce",
    );
  });

  it("sends big integers as decimal strings", () => {
    expect(JSON.parse(voteRequestBody(ballot, "0xabcd"))).toEqual({
      voter: account.address,
      proposalId: "12345678901234567890",
      support: 1,
      nonce: "0",
      signature: "0xabcd",
    });
  });

  it("reads a relay's status: wait, sent, or failed with the contract's error", () => {
    const base = { id: "r", blockNumber: null, error: null };
    expect(relayOutcome({ ...base, status: "pending", txHash: null })).toEqual({ kind: "wait" });
    expect(relayOutcome({ ...base, status: "pending", txHash: "0x01" })).toEqual({
      kind: "sent",
      hash: "0x01",
    });
    expect(
      relayOutcome({
        ...base,
        status: "failed",
        txHash: "0x01",
        error: {
          code: "reverted",
          message: "The transaction reverted.",
          name: "GovernorAlreadyCastVote",
          args: [account.address],
        },
      }),
    ).toEqual({
      kind: "failed",
      message: `The transaction reverted. GovernorAlreadyCastVote(${account.address})`,
    });
  });
});
