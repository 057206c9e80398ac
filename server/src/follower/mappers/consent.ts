/** Consent registry events → rows. */
import { dec, lower, num, type ContractMapper } from "./common.ts";

/** The time the member made the decision (a signed one may be relayed later); null for older events. */
const decidedAt = (a: Record<string, unknown>) =>
  a.decidedAt === undefined ? null : dec(a.decidedAt);

export const consent: ContractMapper = {
  events: {
    ConsentSet: (a, row) => [
      row("consent_changes", {
        member: lower(a.member),
        mask: dec(a.mask),
        decided_at: decidedAt(a),
      }),
    ],
    GrantChoiceSet: (a, row) => [
      row("grant_choices", {
        member: lower(a.member),
        grant_id: dec(a.grantId),
        choice: num(a.choice),
        decided_at: decidedAt(a),
      }),
    ],
  },
  ignored: {
    EIP712DomainChanged: "the EIP-712 domain is fixed at deployment (ERC-5267 bookkeeping)",
    ConsentMoved:
      "not yet followed: the store counts a moved member's consent from the move (member_changes), so the " +
      "gateway shares nothing of theirs until the new account signs its consent again, stricter than the chain",
  },
};
