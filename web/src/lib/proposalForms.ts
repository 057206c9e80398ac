/**
 * Proposals built from forms, never from raw calldata: each form's text inputs are checked here and turned
 * into the calls the timelock will make. Pure, so every rule is unit-tested; the screen shows the decoded
 * calls (lib/decode.ts) before anyone signs.
 */
import {
  type Abi,
  type AbiFunction,
  type Address,
  encodeFunctionData,
  getAddress,
  isAddress,
  parseEther,
  zeroAddress,
  zeroHash,
} from "viem";
import {
  accessLogAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import type { ContractName } from "@datacoop/protocol/contracts";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import type { MessageKey } from "../i18n/en.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { Call } from "./decode.ts";

export const PROPOSAL_KINDS = [
  "admit",
  "remove",
  "registerDataset",
  "revoke",
  "parameter",
  "membersGrant",
] as const;
export type ProposalKind = (typeof PROPOSAL_KINDS)[number];

export const PARAMETERS = [
  "votingDelay",
  "votingPeriod",
  "lateQuorum",
  "quorum",
  "timelockDelay",
  "minimumFee",
  "maxDuration",
  "treasuryShare",
  "revenueMode",
  "guardian",
  "operator",
] as const;
export type ParameterName = (typeof PARAMETERS)[number];

/** How each parameter's value is typed in. */
export const PARAMETER_INPUT: Record<
  ParameterName,
  "duration" | "percent" | "eth" | "mode" | "address"
> = {
  votingDelay: "duration",
  votingPeriod: "duration",
  lateQuorum: "duration",
  quorum: "percent",
  timelockDelay: "duration",
  minimumFee: "eth",
  maxDuration: "duration",
  treasuryShare: "percent",
  revenueMode: "mode",
  guardian: "address",
  operator: "address",
};

export type FormValues = Record<string, string>;
export type FormErrors = Partial<Record<string, MessageKey>>;
export type Built = { calls: Call[]; description: string };
export type BuildResult = { ok: true; value: Built } | { ok: false; errors: FormErrors };

const MAX_UINT32 = 2 ** 32 - 1;
const MAX_UINT48 = 2 ** 48 - 1;
const HUNDRED_YEARS = 100 * 365 * 86_400;

/**
 * A duration typed by a person: "90s", "10 min", "12h", "7d", "1d 12h", or a bare number of seconds.
 * Null when it is not one.
 */
export function parseDuration(input: string): number | null {
  const text = input.trim().toLowerCase();
  if (/^\d{1,12}$/.test(text)) return Number(text);
  const unit: Record<string, number> = { d: 86_400, h: 3_600, min: 60, m: 60, s: 1 };
  const part = /(\d{1,9})\s*(min|d|h|m|s)(?=\s|\d|$)/g;
  const parts = [...text.matchAll(part)];
  if (parts.length === 0) return null;
  if (text.replace(part, "").trim() !== "") return null;
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** A percentage with at most two decimals, 0 to 100; null when it is not one. */
export function parsePercent(input: string): number | null {
  const text = input.trim().replace(/%$/, "").trim().replace(",", ".");
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text)) return null;
  const value = Number(text);
  return value <= 100 ? value : null;
}

/** An amount of ether ("0.5", "1,25"), at least 0; null when it is not one. */
export function parseEth(input: string): bigint | null {
  const text = input.trim().replace(",", ".");
  if (!/^\d{1,18}(\.\d{1,18})?$/.test(text)) return null;
  return parseEther(text);
}

export function parseAddress(input: string): Address | null {
  const text = input.trim();
  return /^0x[0-9a-fA-F]{40}$/.test(text) && isAddress(text) ? getAddress(text) : null;
}

/** A whole id of at least 1 (request, grant, dataset). */
export function parseId(input: string): bigint | null {
  const text = input.trim();
  return /^[1-9]\d{0,30}$/.test(text) ? BigInt(text) : null;
}

function describe(values: FormValues, errors: FormErrors): string | null {
  const title = (values.title ?? "").trim();
  if (title === "") errors.title = "form.error.title";
  else if (title.length > 200 || title.includes("\n")) errors.title = "form.error.titleLong";
  const reason = (values.reason ?? "").trim();
  if (reason.length > 5_000) errors.reason = "form.error.reasonLong";
  if (errors.title) return null;
  return reason === "" ? `# ${title}` : `# ${title}\n\n${reason}`;
}

/** The fields of a schema document, checked the way the gateway checks them. */
export function parseSchemaDocument(
  text: string,
): { ok: true; document: unknown; fields: string[] } | { ok: false; error: MessageKey } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, error: "form.error.schemaJson" };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc))
    return { ok: false, error: "form.error.schemaJson" };
  const fields = (doc as { fields?: unknown }).fields;
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > 256)
    return { ok: false, error: "form.error.schemaFields" };
  const names: string[] = [];
  const types = ["number", "integer", "string", "boolean", "date"];
  for (const f of fields) {
    const name = (f as { name?: unknown })?.name;
    const type = (f as { type?: unknown })?.type;
    if (typeof name !== "string" || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name))
      return { ok: false, error: "form.error.schemaFieldName" };
    if (typeof type !== "string" || !types.includes(type))
      return { ok: false, error: "form.error.schemaFieldType" };
    if (names.includes(name)) return { ok: false, error: "form.error.schemaDuplicate" };
    names.push(name);
  }
  return { ok: true, document: doc, fields: names };
}

function call(
  contracts: Record<ContractName, Address>,
  contract: ContractName,
  data: `0x${string}`,
): Call {
  return { target: contracts[contract], value: 0n, calldata: data };
}

function parameterCalls(
  contracts: Record<ContractName, Address>,
  name: ParameterName,
  raw: string,
  errors: FormErrors,
): Call[] {
  const bad = (key: MessageKey) => {
    errors.value = key;
    return [];
  };
  switch (PARAMETER_INPUT[name]) {
    case "duration": {
      const seconds = parseDuration(raw);
      if (seconds === null) return bad("form.error.duration");
      if (name === "votingPeriod" && (seconds < 1 || seconds > MAX_UINT32))
        return bad("form.error.durationRange");
      if (name === "maxDuration" && (seconds < 1 || seconds > HUNDRED_YEARS))
        return bad("form.error.durationRange");
      if (seconds > MAX_UINT48) return bad("form.error.durationRange");
      const n = BigInt(seconds);
      if (name === "timelockDelay")
        return [
          call(
            contracts,
            "timelock",
            encodeFunctionData({ abi: timelockAbi, functionName: "updateDelay", args: [n] }),
          ),
        ];
      if (name === "maxDuration")
        return [
          call(
            contracts,
            "registry",
            encodeFunctionData({ abi: registryAbi, functionName: "setMaxDuration", args: [n] }),
          ),
        ];
      const fn =
        name === "votingDelay"
          ? ("setVotingDelay" as const)
          : name === "votingPeriod"
            ? ("setVotingPeriod" as const)
            : ("setLateQuorumVoteExtension" as const);
      return [
        call(
          contracts,
          "governor",
          encodeFunctionData({
            abi: governorAbi,
            functionName: fn,
            args: [seconds],
          }),
        ),
      ];
    }
    case "percent": {
      const percent = parsePercent(raw);
      if (percent === null) return bad("form.error.percent");
      if (name === "quorum") {
        if (!Number.isInteger(percent) || percent < 1) return bad("form.error.quorum");
        return [
          call(
            contracts,
            "governor",
            encodeFunctionData({
              abi: governorAbi,
              functionName: "updateQuorumNumerator",
              args: [BigInt(percent)],
            }),
          ),
        ];
      }
      return [
        call(
          contracts,
          "revenue",
          encodeFunctionData({
            abi: revenueAbi,
            functionName: "setTreasuryShare",
            args: [Math.round(percent * 100)],
          }),
        ),
      ];
    }
    case "eth": {
      const wei = parseEth(raw);
      if (wei === null) return bad("form.error.eth");
      return [
        call(
          contracts,
          "registry",
          encodeFunctionData({ abi: registryAbi, functionName: "setMinimumFee", args: [wei] }),
        ),
      ];
    }
    case "mode": {
      if (raw !== "equal" && raw !== "byUse") return bad("form.error.mode");
      return [
        call(
          contracts,
          "revenue",
          encodeFunctionData({
            abi: revenueAbi,
            functionName: "setMode",
            args: [raw === "equal" ? 0 : 1],
          }),
        ),
      ];
    }
    case "address": {
      const address = raw.trim() === "" && name === "guardian" ? zeroAddress : parseAddress(raw);
      if (address === null) return bad("form.error.address");
      if (name === "guardian")
        return [
          call(
            contracts,
            "registry",
            encodeFunctionData({ abi: registryAbi, functionName: "setGuardian", args: [address] }),
          ),
        ];
      if (address === zeroAddress) return bad("form.error.address");
      // The gateway operator anchors the access log and posts by-use revenue allocations.
      return [
        call(
          contracts,
          "accessLog",
          encodeFunctionData({ abi: accessLogAbi, functionName: "setOperator", args: [address] }),
        ),
        call(
          contracts,
          "revenue",
          encodeFunctionData({ abi: revenueAbi, functionName: "setOperator", args: [address] }),
        ),
      ];
    }
  }
}

/**
 * The registry's `grantToMembers(datasetId, purpose, scope, duration, termsURI)` — a grant to the co-op's
 * own members, no fee, approved by the vote itself (contracts stage 1) — when the registry's ABI has it and
 * its scope is one this form can fill (field mask, rows or totals, smallest group, exact tabulations).
 */
export function grantToMembersFunction(abi: Abi = registryAbi): AbiFunction | undefined {
  const fn = abi.find(
    (item): item is AbiFunction => item.type === "function" && item.name === "grantToMembers",
  );
  const scope = fn?.inputs[2] as { type: string; components?: { name?: string }[] } | undefined;
  const known = ["fieldMask", "rowLevel", "minCohort", "exactTabulations"];
  if (
    !fn ||
    fn.inputs.length !== 5 ||
    scope?.type !== "tuple" ||
    !scope.components?.every((c) => known.includes(c.name ?? ""))
  )
    return undefined;
  return fn;
}

/** The benchmarking purpose's bit (the generated purpose table). */
const BENCHMARKING = PURPOSES.find((p) => p.key === "MEMBER_BENCHMARKING")!.bit;
/** What a grant to the members points to for its terms, when the proposer gives no link. */
export const MEMBERS_GRANT_TERMS =
  "data:text/plain,Benchmarks for the co-op's members: totals over groups only, no fee.";

function membersGrantCalls(
  contracts: Record<ContractName, Address>,
  values: FormValues,
  errors: FormErrors,
  abi?: Abi,
): Call[] {
  const fn = grantToMembersFunction(abi);
  if (!fn) {
    errors.kind = "form.error.membersGrant";
    return [];
  }
  const datasetId = parseId(values.datasetId ?? "");
  if (datasetId === null) errors.datasetId = "form.error.id";
  const mask = /^[1-9]\d{0,77}$/.test(values.fieldMask ?? "") ? BigInt(values.fieldMask) : null;
  if (mask === null) errors.fieldMask = "request.error.fields";
  const k = (values.minCohort ?? "").trim();
  if (!/^\d{1,10}$/.test(k) || Number(k) < 1 || Number(k) > MAX_UINT32)
    errors.minCohort = "request.error.k";
  const d = (values.days ?? "").trim();
  const days = /^\d{1,6}$/.test(d) ? Number(d) : 0;
  if (days < 1) errors.days = "request.error.days";
  const termsUri = (values.termsUri ?? "").trim() || MEMBERS_GRANT_TERMS;
  if (!/^(https?:\/\/|ipfs:\/\/|ar:\/\/|data:)\S/.test(termsUri) || termsUri.length > 2_000)
    errors.termsUri = "form.error.uri";
  if (datasetId === null || mask === null || errors.minCohort || errors.days || errors.termsUri)
    return [];
  const scope: Record<string, unknown> = {
    fieldMask: mask,
    // Members compare themselves with totals over groups, never with one another's rows.
    rowLevel: false,
    minCohort: Number(k),
    // Differentially private answers (the default), never the exact mode.
    exactTabulations: zeroHash,
  };
  const components = (fn.inputs[2] as unknown as { components: readonly { name: string }[] })
    .components;
  return [
    call(
      contracts,
      "registry",
      encodeFunctionData({
        abi: [fn],
        functionName: "grantToMembers",
        args: [
          datasetId,
          BENCHMARKING,
          Object.fromEntries(components.map((c) => [c.name, scope[c.name]])),
          BigInt(days * 86_400),
          termsUri,
        ],
      }),
    ),
  ];
}

/**
 * Checks a form and builds its calls and description; every problem is reported at once. `abi` stands for
 * the registry's ABI where a test gives the one the contracts' next stage has.
 */
export function buildProposal(
  kind: ProposalKind,
  values: FormValues,
  contracts: Record<ContractName, Address>,
  abi?: { registry?: Abi },
): BuildResult {
  const errors: FormErrors = {};
  let calls: Call[] = [];
  switch (kind) {
    case "admit":
    case "remove": {
      const member = parseAddress(values.member ?? "");
      if (member === null || member === zeroAddress) errors.member = "form.error.address";
      else
        calls = [
          call(
            contracts,
            "membership",
            encodeFunctionData({ abi: membershipAbi, functionName: kind, args: [member] }),
          ),
        ];
      break;
    }
    case "registerDataset": {
      const name = (values.name ?? "").trim();
      if (name === "" || name.length > 200) errors.name = "form.error.datasetName";
      const uri = (values.schemaUri ?? "").trim();
      if (!/^(https?:\/\/|ipfs:\/\/|ar:\/\/|data:)\S+$/.test(uri) || uri.length > 4_000)
        errors.schemaUri = "form.error.uri";
      const schema = parseSchemaDocument(values.schema ?? "");
      if (!schema.ok) errors.schema = schema.error;
      if (!errors.name && !errors.schemaUri && schema.ok)
        calls = [
          call(
            contracts,
            "registry",
            encodeFunctionData({
              abi: registryAbi,
              functionName: "registerDataset",
              args: [name, uri, canonicalHash(schema.document), schema.fields],
            }),
          ),
        ];
      break;
    }
    case "revoke": {
      const id = parseId(values.grantId ?? "");
      if (id === null) errors.grantId = "form.error.id";
      const reason = (values.revokeReason ?? "").trim();
      if (reason === "" || reason.length > 500) errors.revokeReason = "form.error.revokeReason";
      if (id !== null && !errors.revokeReason)
        calls = [
          call(
            contracts,
            "registry",
            encodeFunctionData({ abi: registryAbi, functionName: "revoke", args: [id, reason] }),
          ),
        ];
      break;
    }
    case "parameter": {
      const name = values.parameter as ParameterName;
      if (!PARAMETERS.includes(name)) errors.parameter = "form.error.parameter";
      else calls = parameterCalls(contracts, name, values.value ?? "", errors);
      break;
    }
    case "membersGrant":
      calls = membersGrantCalls(contracts, values, errors, abi?.registry);
      break;
  }
  const description = describe(values, errors);
  if (Object.keys(errors).length > 0 || description === null) return { ok: false, errors };
  return { ok: true, value: { calls, description } };
}
