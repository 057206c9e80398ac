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
    // A membership moved by vote (lost phone): the old account leaves and the new one holds the member number.
    // Both rows share the log's position; member_count_at sums them to no change.
    MembershipMoved: (a, row) => [
      row("member_changes", {
        member: lower(a.from),
        member_id: dec(a.memberId),
        admitted: false,
        resigned: false,
      }),
      row("member_changes", {
        member: lower(a.to),
        member_id: dec(a.memberId),
        admitted: true,
        resigned: null,
      }),
    ],
    ConsentRegistrySet: setOnce("membership", "consent_registry", "registry"),
  },
  settings: {
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  ignored: {
    EIP712DomainChanged: "the EIP-712 domain is fixed at deployment (ERC-5267 bookkeeping)",
    Transfer:
      "the membership token's mint, burn and move; implied by MemberAdmitted, MemberLeft and MembershipMoved",
    Approval: "never emitted: the membership token is not transferable",
    ApprovalForAll: "never emitted: the membership token is not transferable",
    DelegateVotesChanged:
      "one vote per member: implied by MemberAdmitted, MemberLeft and MembershipMoved",
  },
};
