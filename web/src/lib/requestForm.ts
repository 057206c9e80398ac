/** A partner's access request, checked before anything is signed. Pure and unit-tested. */
import { type Abi, type AbiFunction, zeroHash } from "viem";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import type { MessageKey } from "../i18n/en.ts";
import { parseEth, parseId } from "./proposalForms.ts";

export type RequestInput = {
  datasetId: string;
  purpose: string;
  fields: string[];
  rowLevel: boolean;
  minCohort: string;
  days: string;
  fee: string;
  termsUri: string;
  /** How the partner names itself to the members, once the registry takes a name (contracts stage 1). */
  partnerName?: string;
};

export type CheckedRequest = {
  datasetId: bigint;
  purpose: number;
  rowLevel: boolean;
  minCohort: number;
  duration: bigint;
  fee: bigint;
  termsUri: string;
  partnerName?: string;
};

/** The longest partner name the registry takes, in UTF-8 bytes (DataAccessRegistryInvalidPartnerName). */
export const PARTNER_NAME_BYTES = 64;

export function validateRequest(
  input: RequestInput,
  rules: { minimumFee: bigint; maxDuration: bigint; needsName?: boolean },
):
  { ok: true; value: CheckedRequest } | { ok: false; errors: Partial<Record<string, MessageKey>> } {
  const errors: Partial<Record<string, MessageKey>> = {};
  const datasetId = parseId(input.datasetId);
  if (datasetId === null) errors.datasetId = "form.error.id";
  const purpose = Number(input.purpose);
  if (!PURPOSES.some((p) => p.bit === purpose)) errors.purpose = "form.error.purpose";
  if (input.fields.length === 0) errors.fields = "request.error.fields";
  const k = input.minCohort.trim();
  const minCohort = Number(k);
  if (!/^\d{1,10}$/.test(k) || minCohort < 1 || minCohort > 2 ** 32 - 1)
    errors.minCohort = "request.error.k";
  const d = input.days.trim();
  const duration = /^\d{1,6}$/.test(d) ? BigInt(d) * 86_400n : null;
  if (duration === null || duration === 0n) errors.days = "request.error.days";
  else if (duration > rules.maxDuration) errors.days = "request.error.daysMax";
  const fee = parseEth(input.fee);
  if (fee === null) errors.fee = "form.error.eth";
  else if (fee < rules.minimumFee) errors.fee = "request.error.feeMin";
  const termsUri = input.termsUri.trim();
  if (!/^(https?:\/\/|ipfs:\/\/|ar:\/\/)\S+$/.test(termsUri) || termsUri.length > 2_000)
    errors.termsUri = "form.error.uri";
  // Every registry since contracts stage 1 takes the partner's name; an older deployment's ABI says not.
  const needsName = rules.needsName ?? true;
  const partnerName = (input.partnerName ?? "").trim();
  const bytes = new TextEncoder().encode(partnerName).length;
  if (needsName && (bytes === 0 || bytes > PARTNER_NAME_BYTES))
    errors.partnerName = "request.error.name";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      datasetId: datasetId!,
      purpose,
      rowLevel: input.rowLevel,
      minCohort,
      duration: duration!,
      fee: fee!,
      termsUri,
      ...(needsName ? { partnerName } : {}),
    },
  };
}

/** The registry's `requestAccess`, as this deployment's ABI declares it. */
export function requestAccessFunction(abi: Abi = registryAbi): AbiFunction {
  return abi.find(
    (item): item is AbiFunction => item.type === "function" && item.name === "requestAccess",
  )!;
}

/** Whether `requestAccess` takes the partner's name (its sixth input, contracts stage 1). */
export function takesPartnerName(fn: AbiFunction = requestAccessFunction()): boolean {
  return fn.inputs[5]?.name === "partnerName";
}

/**
 * The arguments of `requestAccess` for a checked request, in the shape the ABI declares: the scope by its
 * components' names (differentially private answers — no exact tabulations — unless the form asks), then
 * the partner's name when the registry takes one.
 */
export function requestAccessArgs(
  fn: AbiFunction,
  r: CheckedRequest & { fieldMask: bigint },
): readonly unknown[] {
  const scope: Record<string, unknown> = {
    fieldMask: r.fieldMask,
    rowLevel: r.rowLevel,
    minCohort: r.minCohort,
    exactTabulations: zeroHash,
  };
  const components = (fn.inputs[2] as unknown as { components: readonly { name: string }[] })
    .components;
  const args: unknown[] = [
    r.datasetId,
    r.purpose,
    Object.fromEntries(components.map((c) => [c.name, scope[c.name]])),
    r.duration,
    r.termsUri,
  ];
  if (takesPartnerName(fn)) args.push(r.partnerName ?? "");
  return args;
}
