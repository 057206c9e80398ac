/**
 * Proposals built from forms, never from raw calldata: each form's text inputs are checked here and turned
 * into the calls the timelock will make. Pure, so every rule is unit-tested; the screen shows the decoded
 * calls (lib/decode.ts) before anyone signs.
 */
import {
  type Address,
  encodeFunctionData,
  getAddress,
  isAddress,
  parseEther,
  zeroAddress,
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
import type { MessageKey } from "../i18n/en.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { Call } from "./decode.ts";

export const PROPOSAL_KINDS = [
  "admit",
  "remove",
  "registerDataset",
  "revoke",
  "parameter",
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
  return parts.reduce((sum, [, n, u]) => sum + Number(n) * unit[u!]!, 0);
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

/** Checks a form and builds its calls and description; every problem is reported at once. */
export function buildProposal(
  kind: ProposalKind,
  values: FormValues,
  contracts: Record<ContractName, Address>,
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
  }
  const description = describe(values, errors);
  if (Object.keys(errors).length > 0 || description === null) return { ok: false, errors };
  return { ok: true, value: { calls, description } };
}
