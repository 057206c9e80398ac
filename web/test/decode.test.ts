import { encodeFunctionData, getAddress, keccak256, toHex, zeroAddress } from "viem";
import { describe, expect, it } from "vitest";
import {
  governorAbi,
  membershipAbi,
  registryAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import { contracts } from "./support/contracts.ts";
import { en } from "../src/i18n/en.ts";
import { formatDuration, formatEth } from "../src/i18n/format.ts";
import { translate } from "../src/i18n/i18n.tsx";
import { decodeCall, decodeCalls, describeCall } from "../src/lib/decode.ts";

const ctx = {
  duration: (s: number) => formatDuration("en", s),
  eth: (w: bigint) => formatEth("en", w),
};
const alice = getAddress("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

const words = (target: `0x${string}`, calldata: `0x${string}`, value = 0n) => {
  const s = describeCall(decodeCall(contracts, { target, value, calldata }), ctx);
  return { text: translate(en, s.key, s.vars), warning: s.warning ?? false, details: s.details };
};

describe("decodeCall", () => {
  it("decodes a call to a co-op contract with its function and arguments", () => {
    const data = encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [alice] });
    // Addresses match whatever their case.
    const decoded = decodeCall(contracts, {
      target: contracts.membership.toUpperCase().replace("0X", "0x") as `0x${string}`,
      value: 0n,
      calldata: data,
    });
    expect(decoded).toMatchObject({ kind: "call", contract: "membership", functionName: "admit" });
    expect(decoded.kind === "call" && decoded.args).toEqual([alice]);
  });

  it("flags a target that is not a co-op contract", () => {
    const data = encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [alice] });
    const decoded = decodeCall(contracts, { target: alice, value: 0n, calldata: data });
    expect(decoded.kind).toBe("unknownTarget");
    expect(words(alice, data)).toEqual({
      text: `Call ${alice}, which is not a co-op contract: its effect is unknown.`,
      warning: true,
      details: data,
    });
  });

  it("flags data that is not a function of the target's ABI", () => {
    // admit() is the membership's, not the registry's.
    const data = encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [alice] });
    expect(
      decodeCall(contracts, { target: contracts.registry, value: 0n, calldata: data }).kind,
    ).toBe("undecodable");
    expect(words(contracts.registry, "0x1234").text).toBe(
      "Call the registry contract with data that is not one of its functions.",
    );
    expect(words(contracts.registry, "0x").warning).toBe(true);
  });

  it("flags a plain payment out of the treasury and ether sent with a call", () => {
    expect(words(alice, "0x", 10n ** 18n)).toEqual({
      text: `Pay 1 ETH from the treasury to ${alice}, which is not a co-op contract.`,
      warning: true,
      details: undefined,
    });
    const data = encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [alice] });
    expect(words(contracts.membership, data, 5n * 10n ** 17n)).toEqual({
      text: "Send 0.5 ETH with a call to admit.",
      warning: true,
      details: undefined,
    });
  });

  it("puts settings and grants in plain words", () => {
    const reg = (functionName: string, args: unknown[]) =>
      words(
        contracts.registry,
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
        encodeFunctionData({ abi: registryAbi, functionName, args } as never),
      );
    expect(reg("revoke", [3n, "misuse"]).text).toBe("Revoke grant 3 for good (reason: misuse).");
    expect(reg("approve", [4n, keccak256("0x01")]).text).toMatch(/^Approve access request 4:/);
    expect(reg("setMinimumFee", [25n * 10n ** 15n]).text).toBe(
      "Set the minimum fee of new requests to 0.025 ETH.",
    );
    expect(reg("setMaxDuration", [90n * 86_400n]).text).toBe(
      "Set the longest access a partner may ask for to 90 days.",
    );
    const dataset = reg("registerDataset", [
      "Soil",
      "https://x/s.json",
      keccak256("0x02"),
      ["a", "b"],
    ]);
    expect(dataset.text).toBe("Register the dataset “Soil” with the fields a, b.");
    // The link stays one click away, not in the sentence.
    expect(dataset.details).toBe("https://x/s.json");
    const gov = (functionName: string, args: unknown[]) =>
      words(
        contracts.governor,
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
        encodeFunctionData({ abi: governorAbi, functionName, args } as never),
      );
    expect(gov("setVotingPeriod", [3 * 86_400]).text).toBe("Set the voting time to 3 days.");
    expect(gov("updateQuorumNumerator", [60n]).text).toBe(
      "Set the turnout needed to 60% of the members.",
    );
    expect(gov("updateTimelock", [alice]).warning).toBe(true);
  });

  it("warns about handing out powers over the treasury, naming the role", () => {
    const data = encodeFunctionData({
      abi: timelockAbi,
      functionName: "grantRole",
      args: [keccak256(toHex("PROPOSER_ROLE")), alice],
    });
    expect(words(contracts.timelock, data)).toEqual({
      text: `Give the PROPOSER role over the treasury to ${alice}.`,
      warning: true,
      details: undefined,
    });
  });

  it("names a co-op function that has no plain-words form, and flags it", () => {
    const data = encodeFunctionData({
      abi: membershipAbi,
      functionName: "applyForMembership",
      args: ["https://a.example"],
    });
    expect(words(contracts.membership, data)).toEqual({
      text: "Make a change (applyForMembership, membership) that has no form here.",
      warning: true,
      details: "https://a.example",
    });
  });

  it("decodes lists and refuses lists of different lengths", () => {
    const data = encodeFunctionData({ abi: membershipAbi, functionName: "remove", args: [alice] });
    expect(
      decodeCalls(contracts, [contracts.membership, zeroAddress], [0n, 0n], [data, "0x"]).map(
        (d) => d.kind,
      ),
    ).toEqual(["call", "unknownTarget"]);
    expect(() => decodeCalls(contracts, [contracts.membership], [], [data])).toThrow(RangeError);
  });
});
