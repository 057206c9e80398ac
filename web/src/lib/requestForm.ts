/** A partner's access request, checked before anything is signed. Pure and unit-tested. */
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
  /** The name the partner gives (shown to members as the partner's own claim). */
  partnerName: string;
};

/** The longest partner name the registry takes, in UTF-8 bytes (DataAccessRegistry.MAX_PARTNER_NAME). */
export const MAX_PARTNER_NAME_BYTES = 64;

export type CheckedRequest = {
  datasetId: bigint;
  purpose: number;
  rowLevel: boolean;
  minCohort: number;
  duration: bigint;
  fee: bigint;
  termsUri: string;
  partnerName: string;
};

export function validateRequest(
  input: RequestInput,
  rules: { minimumFee: bigint; maxDuration: bigint },
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
  const partnerName = input.partnerName.trim();
  const nameBytes = new TextEncoder().encode(partnerName).length;
  if (nameBytes === 0 || nameBytes > MAX_PARTNER_NAME_BYTES)
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
      partnerName,
    },
  };
}
