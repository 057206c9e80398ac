import { type Abi, decodeFunctionData, getAddress, zeroAddress, zeroHash } from "viem";
import { describe, expect, it } from "vitest";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { en } from "../src/i18n/en.ts";
import { formatDuration, formatEth } from "../src/i18n/format.ts";
import { translate } from "../src/i18n/i18n.tsx";
import { decodeCall, describeCall } from "../src/lib/decode.ts";
import {
  buildProposal,
  grantToMembersFunction,
  MEMBERS_GRANT_TERMS,
  parseAddress,
  parseDuration,
  parseEth,
  parsePercent,
  parseSchemaDocument,
  type ProposalKind,
} from "../src/lib/proposalForms.ts";
import { contracts } from "./support/contracts.ts";

const ctx = {
  duration: (s: number) => formatDuration("en", s),
  eth: (w: bigint) => formatEth("en", w),
};
const alice = getAddress("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

function sentences(kind: ProposalKind, values: Record<string, string>) {
  const result = buildProposal(kind, { title: "A title", ...values }, contracts);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value.calls.map((c) => {
    const s = describeCall(decodeCall(contracts, c), ctx);
    return translate(en, s.key, s.vars);
  });
}

function errors(kind: ProposalKind, values: Record<string, string>) {
  const result = buildProposal(kind, values, contracts);
  return result.ok ? {} : result.errors;
}

describe("parsers", () => {
  it("reads durations as people type them", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("10 min")).toBe(600);
    expect(parseDuration("1d 12h")).toBe(129_600);
    expect(parseDuration(" 2h30m ")).toBe(9_000);
    expect(parseDuration("7 days")).toBeNull();
    expect(parseDuration("-5s")).toBeNull();
    expect(parseDuration("")).toBeNull();
  });

  it("reads percentages, ether amounts and addresses", () => {
    expect(parsePercent("12.5 %")).toBe(12.5);
    expect(parsePercent("12,25")).toBe(12.25);
    expect(parsePercent("100.01")).toBeNull();
    expect(parsePercent("1.234")).toBeNull();
    expect(parseEth("0,5")).toBe(5n * 10n ** 17n);
    expect(parseEth("1e18")).toBeNull();
    expect(parseEth("-1")).toBeNull();
    expect(parseAddress(alice.toLowerCase())).toBe(alice);
    expect(parseAddress("0xabc")).toBeNull();
    // A mixed-case address with a wrong checksum is a typo.
    expect(parseAddress("0xAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")).toBeNull();
  });
});

describe("buildProposal", () => {
  it("admits and removes a member", () => {
    expect(sentences("admit", { member: alice })).toEqual([`Admit ${alice} as a member.`]);
    expect(sentences("remove", { member: alice })).toEqual([`Remove ${alice} from the co-op.`]);
    expect(errors("admit", { title: "x", member: zeroAddress })).toEqual({
      member: "form.error.address",
    });
  });

  it("writes the title and the reason into the description", () => {
    const result = buildProposal(
      "admit",
      { title: " Admit Ana ", reason: "She farms up the valley.", member: alice },
      contracts,
    );
    expect(result.ok && result.value.description).toBe("# Admit Ana\n\nShe farms up the valley.");
    expect(errors("admit", { member: alice })).toEqual({ title: "form.error.title" });
    expect(errors("admit", { member: alice, title: "a\nb" })).toEqual({
      title: "form.error.titleLong",
    });
    // Every problem at once.
    expect(errors("revoke", { grantId: "0", revokeReason: "" })).toEqual({
      grantId: "form.error.id",
      revokeReason: "form.error.revokeReason",
      title: "form.error.title",
    });
  });

  it("registers a dataset whose hash is the gateway's hash of the schema document", () => {
    const schema = {
      name: "Soil",
      fields: [
        { name: "region", type: "string" },
        { name: "ph", type: "number", min: 0, max: 14 },
      ],
    };
    const result = buildProposal(
      "registerDataset",
      {
        title: "Register soil",
        name: "Soil readings",
        schemaUri: "https://coop.example/soil.json",
        schema: JSON.stringify(schema, null, 2),
      },
      contracts,
    );
    if (!result.ok) throw new Error("refused");
    const { args } = decodeFunctionData({
      abi: registryAbi,
      data: result.value.calls[0].calldata,
    });
    expect(args).toEqual([
      "Soil readings",
      "https://coop.example/soil.json",
      canonicalHash(schema),
      ["region", "ph"],
    ]);
  });

  it("refuses schema documents the gateway would refuse", () => {
    const doc = (fields: unknown) => JSON.stringify({ fields });
    expect(parseSchemaDocument("{").ok).toBe(false);
    expect(parseSchemaDocument(doc([]))).toEqual({ ok: false, error: "form.error.schemaFields" });
    expect(parseSchemaDocument(doc([{ name: "1x", type: "string" }]))).toEqual({
      ok: false,
      error: "form.error.schemaFieldName",
    });
    expect(parseSchemaDocument(doc([{ name: "a", type: "text" }]))).toEqual({
      ok: false,
      error: "form.error.schemaFieldType",
    });
    expect(
      parseSchemaDocument(
        doc([
          { name: "a", type: "string" },
          { name: "a", type: "number" },
        ]),
      ),
    ).toEqual({ ok: false, error: "form.error.schemaDuplicate" });
    expect(
      errors("registerDataset", { title: "t", name: "", schemaUri: "ftp://x", schema: "[]" }),
    ).toEqual({
      name: "form.error.datasetName",
      schemaUri: "form.error.uri",
      schema: "form.error.schemaJson",
    });
  });

  it("revokes a grant with a reason", () => {
    expect(sentences("revoke", { grantId: "7", revokeReason: "terms broken" })).toEqual([
      "Revoke grant 7 for good (reason: terms broken).",
    ]);
  });

  it("changes each parameter through the contract that holds it", () => {
    const p = (parameter: string, value: string) => sentences("parameter", { parameter, value });
    expect(p("votingDelay", "1h")).toEqual(["Set the time before voting opens to 1 hour."]);
    expect(p("votingPeriod", "3d")).toEqual(["Set the voting time to 3 days."]);
    expect(p("lateQuorum", "2 min")).toEqual([
      "Set the extra voting time after a late turnout to 2 minutes.",
    ]);
    expect(p("quorum", "40")).toEqual(["Set the turnout needed to 40% of the members."]);
    expect(p("timelockDelay", "2d")).toEqual([
      "Set the waiting time before decisions take effect to 2 days.",
    ]);
    expect(p("minimumFee", "0.1")).toEqual(["Set the minimum fee of new requests to 0.1 ETH."]);
    expect(p("maxDuration", "365d")).toEqual([
      "Set the longest access a partner may ask for to 365 days.",
    ]);
    expect(p("treasuryShare", "12.5")).toEqual(["Keep 12.5% of each fee in the co-op's treasury."]);
    expect(p("revenueMode", "byUse")).toEqual([
      "Share the fees of future grants by whose data was used.",
    ]);
    expect(p("guardian", "")).toEqual([
      `Make ${zeroAddress} the guardian, who can revoke grants and pause.`,
    ]);
    expect(p("operator", alice)).toEqual([
      `Make ${alice} the gateway operator.`,
      `Make ${alice} the gateway operator.`,
    ]);
  });

  it("refuses parameter values out of range", () => {
    const e = (parameter: string, value: string) =>
      errors("parameter", { title: "t", parameter, value }).value;
    expect(e("quorum", "0")).toBe("form.error.quorum");
    expect(e("quorum", "33.5")).toBe("form.error.quorum");
    expect(e("votingPeriod", "0")).toBe("form.error.durationRange");
    expect(e("votingPeriod", "50000d")).toBe("form.error.durationRange");
    expect(e("maxDuration", "36600d")).toBe("form.error.durationRange");
    expect(e("votingDelay", "soon")).toBe("form.error.duration");
    expect(e("minimumFee", "lots")).toBe("form.error.eth");
    expect(e("revenueMode", "random")).toBe("form.error.mode");
    expect(e("operator", "")).toBe("form.error.address");
    expect(errors("parameter", { title: "t", parameter: "owner", value: "x" })).toEqual({
      parameter: "form.error.parameter",
    });
  });
});

/** The registry's grantToMembers as the contracts' stage 1 declares it (IDataAccessRegistry). */
const scopeOf = (names: string[]) => ({
  name: "scope",
  type: "tuple",
  internalType: "struct IDataAccessRegistry.Scope",
  components: names.map((name) => ({
    name,
    type: { fieldMask: "uint256", rowLevel: "bool", minCohort: "uint32" }[name] ?? "bytes32",
  })),
});
const grantToMembersAbi = (names: string[]) =>
  [
    {
      type: "function",
      name: "grantToMembers",
      stateMutability: "nonpayable",
      inputs: [
        { name: "datasetId", type: "uint256" },
        { name: "purpose", type: "uint8" },
        scopeOf(names),
        { name: "duration", type: "uint64" },
        { name: "termsURI", type: "string" },
      ],
      outputs: [{ name: "grantId", type: "uint256" }],
    },
  ] as const satisfies Abi;
const stage1 = grantToMembersAbi(["fieldMask", "rowLevel", "minCohort", "exactTabulations"]);

describe("a grant to the co-op's own members (benchmarks)", () => {
  const form = {
    title: "Benchmarks",
    datasetId: "1",
    fieldMask: "24",
    minCohort: "10",
    days: "365",
  };

  it("is offered only when the registry has grantToMembers with a scope the form can fill", () => {
    expect(grantToMembersFunction(stage1)?.name).toBe("grantToMembers");
    expect(
      grantToMembersFunction(grantToMembersAbi(["fieldMask", "rowLevel", "minCohort"])),
    ).toBeDefined();
    expect(grantToMembersFunction(grantToMembersAbi(["fieldMask", "partner"]))).toBeUndefined();
    expect(grantToMembersFunction([])).toBeUndefined();
    const without = buildProposal("membersGrant", form, contracts, { registry: [] });
    expect(without.ok ? {} : without.errors).toEqual({ kind: "form.error.membersGrant" });
  });

  it("builds one call: the benchmarking purpose, totals only, private answers, no fee, days in seconds", () => {
    const built = buildProposal("membersGrant", form, contracts, { registry: stage1 });
    if (!built.ok) throw new Error(JSON.stringify(built.errors));
    expect(built.value.calls).toHaveLength(1);
    const [only] = built.value.calls;
    expect(only.target).toBe(contracts.registry);
    expect(only.value).toBe(0n);
    const { functionName, args } = decodeFunctionData({ abi: stage1, data: only.calldata });
    expect(functionName).toBe("grantToMembers");
    const bit = PURPOSES.find((p) => p.key === "MEMBER_BENCHMARKING")!.bit;
    expect(args).toEqual([
      1n,
      bit,
      { fieldMask: 24n, rowLevel: false, minCohort: 10, exactTabulations: zeroHash },
      365n * 86_400n,
      MEMBERS_GRANT_TERMS,
    ]);
    expect(built.value.description).toBe("# Benchmarks");
  });

  it("reports every problem of the form at once", () => {
    const result = buildProposal(
      "membersGrant",
      {
        title: "",
        datasetId: "x",
        fieldMask: "0",
        minCohort: "0",
        days: "0",
        termsUri: "file:///x",
      },
      contracts,
      { registry: stage1 },
    );
    expect(result.ok ? {} : result.errors).toEqual({
      title: "form.error.title",
      datasetId: "form.error.id",
      fieldMask: "request.error.fields",
      minCohort: "request.error.k",
      days: "request.error.days",
      termsUri: "form.error.uri",
    });
  });

  it("is read before signing in plain words", () => {
    const s = describeCall(
      {
        kind: "call",
        contract: "registry",
        functionName: "grantToMembers",
        args: [1n, 9, { fieldMask: 24n }, 86_400n, MEMBERS_GRANT_TERMS],
        value: 0n,
        target: contracts.registry,
      },
      ctx,
    );
    expect(translate(en, s.key, s.vars)).toBe(
      "Give the co-op's own members access for benchmarking, with no fee.",
    );
    expect(s.warning).toBeFalsy();
  });
});
