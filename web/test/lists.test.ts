import { describe, expect, it } from "vitest";
import { formatDay } from "../src/i18n/format.ts";
import type { ApiGrant, ApiProposal } from "../src/lib/indexerApi.ts";
import { apiUrl } from "../src/lib/indexerApi.ts";
import { requestProposals } from "../src/lib/proposal.ts";
import { type Abi, decodeFunctionData, encodeFunctionData, zeroHash } from "viem";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import {
  requestAccessArgs,
  requestAccessFunction,
  takesPartnerName,
  validateRequest,
} from "../src/lib/requestForm.ts";
import { parseRoute } from "../src/lib/route.ts";
import { bars, perDay, turnout } from "../src/lib/series.ts";
import { buildTimeline } from "../src/lib/timeline.ts";

const proposal = (over: Partial<ApiProposal>): ApiProposal => ({
  proposalId: "111",
  proposer: "0xaa",
  description: "# Admit Ana",
  state: "Executed",
  voteStart: "0",
  voteEnd: "0",
  deadline: "0",
  extended: false,
  forVotes: "3",
  againstVotes: "0",
  abstainVotes: "0",
  voters: "3",
  quorum: "3",
  snapshotMembers: "5",
  quorumReached: true,
  eta: null,
  queuedAt: "200",
  executedAt: "300",
  canceledAt: null,
  createdBlock: "1",
  createdAt: "100",
  txHash: "0x01",
  ...over,
});

describe("request form", () => {
  const good = {
    datasetId: "1",
    purpose: "0",
    fields: ["ph"],
    rowLevel: false,
    minCohort: "5",
    days: "30",
    fee: "0.1",
    termsUri: "https://uni.example/terms",
    partnerName: " Valley Research Institute ",
  };
  const rules = { minimumFee: 10n ** 16n, maxDuration: 365n * 86_400n };

  it("accepts a complete request and converts its units", () => {
    expect(validateRequest(good, rules)).toEqual({
      ok: true,
      value: {
        datasetId: 1n,
        purpose: 0,
        rowLevel: false,
        minCohort: 5,
        duration: 30n * 86_400n,
        fee: 10n ** 17n,
        termsUri: "https://uni.example/terms",
        partnerName: "Valley Research Institute",
      },
    });
  });

  it("names every problem at once, against the co-op's minimum fee and longest duration", () => {
    expect(
      validateRequest(
        {
          ...good,
          purpose: "9",
          fields: [],
          minCohort: "0",
          days: "400",
          fee: "0.001",
          termsUri: "x",
          partnerName: "é".repeat(33),
        },
        rules,
      ),
    ).toEqual({
      ok: false,
      errors: {
        purpose: "form.error.purpose",
        fields: "request.error.fields",
        minCohort: "request.error.k",
        days: "request.error.daysMax",
        fee: "request.error.feeMin",
        termsUri: "form.error.uri",
        partnerName: "request.error.name",
      },
    });
    // 64 bytes is the registry's limit (MAX_PARTNER_NAME): 32 two-byte letters pass, 33 do not; blank is refused.
    expect(validateRequest({ ...good, partnerName: "é".repeat(32) }, rules).ok).toBe(true);
    expect(validateRequest({ ...good, partnerName: "   " }, rules)).toMatchObject({
      errors: { partnerName: "request.error.name" },
    });
    expect(validateRequest({ ...good, days: "0", fee: "free" }, rules)).toMatchObject({
      errors: { days: "request.error.days", fee: "form.error.eth" },
    });
  });
});

describe("timeline", () => {
  it("puts every decision newest first, each with its transaction or block", () => {
    const grant = {
      grantId: "1",
      partner: "0xbb",
      approvedAt: "400",
      approvedTx: "0x02",
      revokedAt: "500",
      revokedBlock: "9",
      revokeReason: "misuse",
    } as unknown as ApiGrant;
    const entries = buildTimeline({
      members: [
        { address: "0xcc", memberId: "6", since: "300", sinceBlock: "7", delegate: "0xcc" },
      ],
      proposals: [proposal({})],
      votes: [
        {
          voter: "0xdd",
          support: "For",
          weight: "1",
          reason: "",
          blockNumber: "3",
          blockTime: "150",
          txHash: "0x03",
          proposalId: "111",
        },
      ],
      grants: [grant],
      anchors: [
        {
          batchIndex: "0",
          root: "0xee",
          size: "4",
          previousRoot: "0x00",
          anchoredAt: "600",
          blockNumber: "10",
          blockTime: "600",
          txHash: "0x04",
        },
      ],
    });
    expect(entries.map((e) => [e.time, e.key])).toEqual([
      [600, "timeline.anchor"],
      [500, "timeline.revocation"],
      [400, "timeline.grant"],
      [300, "timeline.executed"],
      [300, "timeline.admission"],
      [200, "timeline.queued"],
      [150, "timeline.vote.For"],
      [100, "timeline.proposal"],
    ]);
    expect(entries.find((e) => e.kind === "proposal")).toMatchObject({
      vars: { title: "Admit Ana" },
      txHash: "0x01",
      href: "#/proposals/111",
    });
    expect(entries.find((e) => e.kind === "admission")).toMatchObject({ block: "7" });
  });
});

describe("series", () => {
  it("counts per day with empty days, and turnout per proposal", () => {
    const day = 86_400;
    const iso = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
    expect(perDay([day * 10 + 5, day * 10 + 50, day * 12], iso)).toEqual([
      { label: "1970-01-11", value: 2 },
      { label: "1970-01-12", value: 0 },
      { label: "1970-01-13", value: 1 },
    ]);
    expect(perDay([], iso)).toEqual([]);
    expect(perDay([0, day * 100], iso, 3).length).toBe(3);
    // Axis labels come from the reader's language (here Hindi's day and month).
    expect(perDay([day * 161], (t) => formatDay("hi", t))[0]!.label).toBe("11 जून");
    expect(
      turnout(
        [
          proposal({ createdAt: "200", voters: "1", snapshotMembers: "4" }),
          proposal({ createdAt: "100", voters: "3", snapshotMembers: "5" }),
        ],
        iso,
      ).map((p) => p.value),
    ).toEqual([0.6, 0.25]);
  });

  it("scales bars to the largest value or a given maximum", () => {
    const b = bars(
      [
        { label: "a", value: 1 },
        { label: "b", value: 2 },
      ],
      100,
      50,
    );
    expect(b.map((x) => x.height)).toEqual([25, 50]);
    expect(b[1]!.y).toBe(0);
    expect(bars([{ label: "a", value: 0.5 }], 10, 10, 1)[0]!.height).toBe(5);
    expect(bars([{ label: "a", value: 0 }], 10, 10)[0]!.height).toBe(0);
  });
});

describe("routes and lists", () => {
  it("parses the new screens' routes", () => {
    expect(parseRoute("#/propose/admit?member=0xab&title=x")).toEqual({
      page: "propose",
      kind: "admit",
      params: { member: "0xab", title: "x" },
    });
    expect(parseRoute("#/propose")).toEqual({ page: "propose", params: {} });
    expect(parseRoute("#/partner/12")).toEqual({ page: "partner", grantId: "12" });
    expect(parseRoute("#/partner/x")).toEqual({ page: "partner" });
    expect(parseRoute("#/data")).toEqual({ page: "data" });
    expect(parseRoute("#/audit")).toEqual({ page: "audit" });
  });

  it("builds read API URLs with only the parameters set", () => {
    expect(
      apiUrl("http://x/api/", "/requests", { status: "Pending", partner: undefined, limit: 5 }),
    ).toBe("http://x/api/requests?status=Pending&limit=5");
  });

  it("finds the proposals that decide a request by their titles", () => {
    const ps = [
      proposal({ proposalId: "1", description: "# Approve data access request 1\n\nGrant…" }),
      proposal({ proposalId: "2", description: "# Approve data access request 12" }),
      proposal({ proposalId: "3", description: "# Reject data access request 1" }),
    ];
    expect(requestProposals(ps, "1").map((p) => p.proposalId)).toEqual(["1", "3"]);
  });
});

describe("a partner's request in the shape the registry takes", () => {
  const checked = {
    datasetId: 1n,
    purpose: 0,
    rowLevel: false,
    minCohort: 5,
    duration: 30n * 86_400n,
    fee: 10n ** 17n,
    termsUri: "https://uni.example/terms",
    fieldMask: 6n,
  };
  const rules = { minimumFee: 0n, maxDuration: 365n * 86_400n };
  const input = {
    datasetId: "1",
    purpose: "0",
    fields: ["ph"],
    rowLevel: false,
    minCohort: "5",
    days: "30",
    fee: "0.1",
    termsUri: "https://uni.example/terms",
  };
  // requestAccess as the contracts' stage 1 declares it: an exact-mode term and the partner's name.
  const stage1 = [
    {
      type: "function",
      name: "requestAccess",
      stateMutability: "payable",
      inputs: [
        { name: "datasetId", type: "uint256" },
        { name: "purpose", type: "uint8" },
        {
          name: "scope",
          type: "tuple",
          components: [
            { name: "fieldMask", type: "uint256" },
            { name: "rowLevel", type: "bool" },
            { name: "minCohort", type: "uint32" },
            { name: "exactTabulations", type: "bytes32" },
          ],
        },
        { name: "duration", type: "uint64" },
        { name: "termsURI", type: "string" },
        { name: "partnerName", type: "string" },
      ],
      outputs: [{ name: "requestId", type: "uint256" }],
    },
  ] as const satisfies Abi;

  it("asks for the partner's name only when the registry takes one, 1 to 64 bytes", () => {
    const fn = requestAccessFunction(stage1);
    expect(takesPartnerName(fn)).toBe(true);
    const needs = { ...rules, needsName: true };
    expect(
      validateRequest({ ...input, partnerName: "  Northfield University " }, needs),
    ).toMatchObject({
      ok: true,
      value: { partnerName: "Northfield University" },
    });
    expect(validateRequest({ ...input, partnerName: " " }, needs)).toMatchObject({
      ok: false,
      errors: { partnerName: "request.error.name" },
    });
    // 22 characters of 3 bytes each: 66 bytes, over the registry's 64.
    expect(validateRequest({ ...input, partnerName: "कृ".repeat(11) }, needs)).toMatchObject({
      ok: false,
      errors: { partnerName: "request.error.name" },
    });
    // A registry from before partner names (its ABI has no sixth input) takes none.
    const plain = validateRequest(input, { ...rules, needsName: false });
    expect(plain.ok && plain.value).toBeTruthy();
    expect(plain.ok && plain.value).not.toHaveProperty("partnerName");
  });

  it("encodes for this deployment's registry and for the next stage's, decoded back the same", () => {
    const today = requestAccessFunction(registryAbi as Abi);
    const args = requestAccessArgs(today, checked);
    const data = encodeFunctionData({ abi: [today], functionName: "requestAccess", args });
    expect(decodeFunctionData({ abi: [today], data }).args).toEqual(args);
    expect(args).toHaveLength(takesPartnerName(today) ? 6 : 5);

    const fn = requestAccessFunction(stage1);
    const next = requestAccessArgs(fn, { ...checked, partnerName: "Northfield University" });
    const encoded = encodeFunctionData({
      abi: stage1,
      functionName: "requestAccess",
      args: next as never,
    });
    expect(decodeFunctionData({ abi: stage1, data: encoded }).args).toEqual([
      1n,
      0,
      { fieldMask: 6n, rowLevel: false, minCohort: 5, exactTabulations: zeroHash },
      30n * 86_400n,
      "https://uni.example/terms",
      "Northfield University",
    ]);
  });
});
