/** Revenue events → rows. */
import { dec, lower, num, setOnce, type ContractMapper } from "./common.ts";

export const revenue: ContractMapper = {
  events: {
    Deposited: (a, row) => [
      row("revenue_deposits", {
        grant_id: dec(a.grantId),
        mode: num(a.mode),
        amount: dec(a.amount),
        to_treasury: dec(a.toTreasury),
        member_share: dec(a.memberShare),
        member_count: dec(a.memberCount),
        per_member: dec(a.perMember),
        snapshot: dec(a.snapshot),
      }),
    ],
    AllocationPosted: (a, row) => [
      row("revenue_allocations", {
        grant_id: dec(a.grantId),
        root: lower(a.root),
        allocated: dec(a.allocated),
        returned: dec(a.returned),
      }),
    ],
    AllocationReplaced: (a, row) => [
      row("revenue_replacements", {
        grant_id: dec(a.grantId),
        old_root: lower(a.oldRoot),
        old_allocated: dec(a.oldAllocated),
        root: lower(a.root),
        allocated: dec(a.allocated),
        from_treasury: dec(a.fromTreasury),
        to_treasury: dec(a.toTreasury),
      }),
    ],
    Claimed: (a, row) => [
      row("revenue_claims", {
        grant_id: dec(a.grantId),
        member: lower(a.member),
        amount: dec(a.amount),
      }),
    ],
    Swept: (a, row) => [row("revenue_sweeps", { grant_id: dec(a.grantId), amount: dec(a.amount) })],
    RegistrySet: setOnce("revenue", "registry", "registry"),
  },
  settings: {
    ModeSet: ["mode", "oldMode", "newMode"],
    TreasuryShareSet: ["treasury_bps", "oldBps", "newBps"],
    ClaimPeriodSet: ["claim_period", "oldPeriod", "newPeriod"],
    OperatorSet: ["operator", "oldOperator", "newOperator"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
};
