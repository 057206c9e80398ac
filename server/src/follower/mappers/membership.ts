/** Membership events → rows. */
import { dec, lower, setOnce, type ContractMapper } from "./common.ts";

export const membership: ContractMapper = {
  events: {
    MembershipApplied: (a, row) => [
      row("membership_applications", { applicant: lower(a.applicant), uri: String(a.uri) }),
    ],
    MemberAdmitted: (a, row) => [
      row("member_changes", {
        member: lower(a.member),
        member_id: dec(a.memberId),
        admitted: true,
        resigned: null,
      }),
    ],
    MemberLeft: (a, row) => [
      row("member_changes", {
        member: lower(a.member),
        member_id: dec(a.memberId),
        admitted: false,
        resigned: Boolean(a.resigned),
      }),
    ],
    // ERC-5805: each member delegates to self at admission and to nobody at exit (Tally-style indexers).
    DelegateChanged: (a, row) => [
      row("delegate_changes", {
        delegator: lower(a.delegator),
        from_delegate: lower(a.fromDelegate),
        to_delegate: lower(a.toDelegate),
      }),
    ],
    ConsentRegistrySet: setOnce("membership", "consent_registry", "registry"),
  },
  settings: {
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  ignored: {
    Transfer: "the membership token's mint and burn; implied by MemberAdmitted and MemberLeft",
    Approval: "never emitted: the membership token is not transferable",
    ApprovalForAll: "never emitted: the membership token is not transferable",
    DelegateVotesChanged: "one vote per member: implied by MemberAdmitted and MemberLeft",
  },
};
