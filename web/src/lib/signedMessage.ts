/**
 * What a member's signature for the relayer says (a ballot, a standing consent, a per-grant choice), field
 * by field, in their language and in plain words, shown before the wallet asks; each technical value (the
 * contract's address, the member's address, the proposal's id) one click away, so the typed data the
 * wallet then displays holds no surprise.
 */
import type { Address } from "viem";
import { PURPOSES, type PurposeKey } from "@datacoop/protocol/purposes.generated";
import type { MessageKey } from "../i18n/en.ts";
import { hasPurpose } from "./consentMask.ts";
import { type Eip712Domain } from "@datacoop/protocol/typedData";

type Translate = (key: MessageKey, vars?: Record<string, string | number | bigint>) => string;
type PurposeLabel = (key: PurposeKey) => { label: string };

/** `exact`: the value as the wallet will show it, for whoever checks. */
export type SignedField = { label: string; value: string; exact?: string };

/** Who signs and for which contract: the co-op's name, the signer's plain name and address. */
export type Signer = { coop: string; domain: Eip712Domain; member: string; me: Address };

const signedFor = (t: Translate, s: Signer): SignedField => ({
  label: t("sign.contract"),
  value: t("sign.contract.value", { coop: s.coop }),
  exact: `${s.domain.name} ${s.domain.verifyingContract} (chain ${s.domain.chainId})`,
});

const signer = (t: Translate, s: Signer, label: MessageKey): SignedField => ({
  label: t(label),
  value: s.member,
  exact: s.me,
});

/** A standing consent: the whole mask after the change, named purpose by purpose. */
export function consentFields(
  t: Translate,
  purpose: PurposeLabel,
  s: Signer,
  mask: bigint,
): SignedField[] {
  const allowed = PURPOSES.filter((p) => hasPurpose(mask, p.bit)).map((p) => purpose(p.key).label);
  return [
    signedFor(t, s),
    signer(t, s, "sign.member"),
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
  s: Signer,
  grantId: bigint,
  choice: 0 | 1 | 2,
): SignedField[] {
  const state = (["Default", "OptIn", "OptOut"] as const)[choice];
  return [
    signedFor(t, s),
    signer(t, s, "sign.member"),
    { label: t("sign.grant"), value: t("sign.grant.value", { id: grantId }) },
    { label: t("sign.choice"), value: t(`choices.state.${state}`) },
    { label: t("sign.valid"), value: t("sign.valid.value") },
  ];
}

/** A ballot: the proposal (by its short number), the member's choice on it, and their reason. */
export function ballotFields(
  t: Translate,
  s: Signer,
  proposal: { id: bigint; number: number | undefined },
  choice: string,
  reason: string,
): SignedField[] {
  return [
    signedFor(t, s),
    signer(t, s, "sign.voter"),
    {
      label: t("sign.proposal"),
      value:
        proposal.number !== undefined
          ? t("proposal.number", { number: proposal.number })
          : t("sign.proposal.unnumbered"),
      exact: proposal.id.toString(),
    },
    { label: t("sign.support"), value: choice },
    ...(reason ? [{ label: t("sign.reason"), value: reason }] : []),
  ];
}

/** A proposal: who proposes it and how many changes it makes (the changes are listed above it). */
export function proposeFields(t: Translate, s: Signer, changes: number): SignedField[] {
  return [
    signedFor(t, s),
    signer(t, s, "sign.proposer"),
    { label: t("sign.changes"), value: t("sign.changes.value", { count: changes }) },
    { label: t("sign.valid"), value: t("sign.valid.value") },
  ];
}
