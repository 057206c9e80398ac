/**
 * What a member's signature for the relayer says (a ballot, a standing consent, a per-grant choice), field by field, in their language: shown before the wallet asks,
 * so the typed data the wallet then displays holds no surprise.
 */
import type { Address } from "viem";
import { PURPOSES, type PurposeKey } from "@datacoop/protocol/purposes.generated";
import type { MessageKey } from "../i18n/en.ts";
import { hasPurpose } from "./consentMask.ts";
import { type Eip712Domain } from "@datacoop/protocol/typedData";

type Translate = (key: MessageKey, vars?: Record<string, string | number | bigint>) => string;
type PurposeLabel = (key: PurposeKey) => { label: string };

export type SignedField = { label: string; value: string };

const signedFor = (t: Translate, domain: Eip712Domain): SignedField => ({
  label: t("sign.contract"),
  value: `${domain.name} ${domain.verifyingContract} (${domain.chainId})`,
});

/** A standing consent: the whole mask after the change, named purpose by purpose. */
export function consentFields(
  t: Translate,
  purpose: PurposeLabel,
  domain: Eip712Domain,
  member: Address,
  mask: bigint,
): SignedField[] {
  const allowed = PURPOSES.filter((p) => hasPurpose(mask, p.bit)).map((p) => purpose(p.key).label);
  return [
    signedFor(t, domain),
    { label: t("sign.member"), value: member },
    {
      label: t("sign.purposes"),
      value: allowed.length > 0 ? allowed.join(", ") : t("sign.purposes.none"),
    },
    { label: t("sign.valid"), value: t("sign.valid.value") },
  ];
}

/** A per-grant choice: the grant and what the member chose for it. */
export function grantChoiceFields(
  t: Translate,
  domain: Eip712Domain,
  member: Address,
  grantId: bigint,
  choice: 0 | 1 | 2,
): SignedField[] {
  const state = (["Default", "OptIn", "OptOut"] as const)[choice];
  return [
    signedFor(t, domain),
    { label: t("sign.member"), value: member },
    { label: t("sign.grant"), value: grantId.toString() },
    { label: t("sign.choice"), value: t(`choices.state.${state}`) },
    { label: t("sign.valid"), value: t("sign.valid.value") },
  ];
}

/** A ballot: the proposal and the member's choice on it. */
export function ballotFields(
  t: Translate,
  domain: Eip712Domain,
  voter: Address,
  proposalId: bigint,
  choice: string,
): SignedField[] {
  return [
    signedFor(t, domain),
    { label: t("sign.voter"), value: voter },
    { label: t("sign.proposal"), value: proposalId.toString() },
    { label: t("sign.support"), value: choice },
  ];
}
