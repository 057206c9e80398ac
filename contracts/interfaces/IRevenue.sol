// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Revenue: shares each approved grant's fee between the co-op's treasury and its members.
/// @notice The data access registry deposits a grant's fee when the co-op approves it. The treasury share (basis
/// points set by a vote) is sent to the treasury, the timelock, at once; the members' share is split by the mode
/// in force at approval:
/// - EqualSplit: every member at approval (their vote at the second before, from the membership's checkpoints)
///   may claim `memberShare / memberCount`; the rounding remainder goes to the treasury.
/// - ByUse: the gateway operator posts a Merkle root of `(account, amount)` allocations for the grant, with their
///   total, no more than the members' share; the rest goes to the treasury when the root is posted.
/// Anyone may submit a claim (a relayer pays the gas); the money always goes to the member. Each member claims
/// once per grant; several grants' shares can be claimed in one call, paid in one transfer. Every member's operation
/// costs O(1) gas per grant whatever the number of members; a sweep (a vote) reads one word per 256 member numbers.
///
/// Nothing stays locked: what no member claims within the claim period the co-op sets (by-use shares allocated to
/// addresses that never became members included) goes back to the treasury by a vote ({sweep}), after which the
/// grant takes no more claims; and a by-use distribution posted wrong can be replaced by a vote before its first
/// claim ({replaceAllocation}). Every wei received stays accounted for in {totals}.
interface IRevenue {
    /// @notice How a grant's member share is divided.
    enum Mode {
        EqualSplit,
        ByUse
    }

    /// @notice A grant's distribution, as recorded at approval (and at root posting for ByUse). `claims` counts the
    /// members paid (read from the claim bitmap); `claimed` is what they were paid (both modes); `swept` is what went
    /// back to the treasury unclaimed (then the grant takes no more claims).
    struct Distribution {
        Mode mode;
        uint48 snapshot;
        uint128 memberShare;
        uint128 perMember;
        uint256 memberCount;
        bytes32 root;
        uint128 allocated;
        uint128 claimed;
        uint256 claims;
        uint128 swept;
        bool closed;
    }

    /// @notice One by-use allocation to claim: `amount` of grant `grantId`, proven by `proof`.
    struct Allocation {
        uint256 grantId;
        uint256 amount;
        bytes32[] proof;
    }

    /// @notice Grant `grantId`'s fee `amount` arrived: `toTreasury` went to the treasury and `memberShare` is for
    /// the members, split by `mode`. For EqualSplit, each of the `memberCount` members at `snapshot` may claim
    /// `perMember`.
    event Deposited(
        uint256 indexed grantId,
        Mode mode,
        uint256 amount,
        uint256 toTreasury,
        uint256 memberShare,
        uint256 memberCount,
        uint256 perMember,
        uint48 snapshot
    );

    /// @notice The allocations of grant `grantId` (ByUse) were posted: Merkle `root` over `allocated` wei; the
    /// unallocated `returned` went to the treasury.
    event AllocationPosted(uint256 indexed grantId, bytes32 root, uint256 allocated, uint256 returned);

    /// @notice `member` was paid `amount` for grant `grantId`.
    event Claimed(uint256 indexed grantId, address indexed member, uint256 amount);

    /// @notice The co-op replaced grant `grantId`'s allocations (before any claim): Merkle `root` over `allocated`
    /// wei, instead of `oldRoot` over `oldAllocated`. The difference came from (`fromTreasury`) or went back to
    /// (`toTreasury`) the treasury.
    event AllocationReplaced(
        uint256 indexed grantId,
        bytes32 oldRoot,
        uint256 oldAllocated,
        bytes32 root,
        uint256 allocated,
        uint256 fromTreasury,
        uint256 toTreasury
    );

    /// @notice What members had not claimed of grant `grantId`, `amount`, went back to the treasury; the grant takes
    /// no more claims.
    event Swept(uint256 indexed grantId, uint256 amount);

    /// @notice The claim period changed: shares of grants approved at least `newPeriod` seconds ago may be swept.
    event ClaimPeriodSet(uint48 oldPeriod, uint48 newPeriod);

    /// @notice The mode applied to grants approved from now changed.
    event ModeSet(Mode oldMode, Mode newMode);

    /// @notice The treasury share, in basis points, changed.
    event TreasuryShareSet(uint16 oldBps, uint16 newBps);

    /// @notice The gateway operator, who posts ByUse allocations, changed (zero: none).
    event OperatorSet(address indexed oldOperator, address indexed newOperator);

    /// @notice The data access registry, the only depositor, was set (once, at deployment).
    event RegistrySet(address indexed registry);

    /// @notice The treasury share is at most 10,000 basis points; `bps` is not.
    error RevenueInvalidTreasuryShare(uint16 bps);

    /// @notice Only the data access registry deposits; `account` is not it.
    error RevenueNotRegistry(address account);

    /// @notice Only the deployer sets the registry, once; `account` may not.
    error RevenueRegistryLocked(address account);

    /// @notice `registry` does not name this contract as its revenue contract.
    error RevenueRegistryMismatch(address registry);

    /// @notice Grant `grantId` already has its fee.
    error RevenueAlreadyDeposited(uint256 grantId);

    /// @notice Grant `grantId` has no deposit.
    error RevenueUnknownGrant(uint256 grantId);

    /// @notice Grant `grantId` is split by `mode`, which does not allow this.
    error RevenueWrongMode(uint256 grantId, Mode mode);

    /// @notice Only the gateway operator or the timelock posts allocations; `account` is neither.
    error RevenueNotOperator(address account);

    /// @notice Grant `grantId` already has its allocations.
    error RevenueAllocationAlreadyPosted(uint256 grantId);

    /// @notice Grant `grantId` has no allocations yet.
    error RevenueAllocationNotPosted(uint256 grantId);

    /// @notice A Merkle root is not zero.
    error RevenueZeroRoot();

    /// @notice `allocated` exceeds grant `grantId`'s member share `memberShare`.
    error RevenueAllocationTooLarge(uint256 grantId, uint256 allocated, uint256 memberShare);

    /// @notice Claims on grant `grantId` would exceed its allocated total `allocated`.
    error RevenueAllocationExceeded(uint256 grantId, uint256 allocated);

    /// @notice `member` was not a member at grant `grantId`'s snapshot.
    error RevenueNotEligible(uint256 grantId, address member);

    /// @notice `account` was never a member.
    error RevenueNotMember(address account);

    /// @notice `member` already claimed grant `grantId`.
    error RevenueAlreadyClaimed(uint256 grantId, address member);

    /// @notice The proof does not show an allocation of `amount` to `member` in grant `grantId`.
    error RevenueInvalidProof(uint256 grantId, address member, uint256 amount);

    /// @notice Sending `amount` to `account` failed; nothing was recorded.
    error RevenueTransferFailed(address account, uint256 amount);

    /// @notice The claim period must be between `minPeriod` and `maxPeriod` seconds.
    error RevenueInvalidClaimPeriod(uint256 period, uint256 minPeriod, uint256 maxPeriod);

    /// @notice Grant `grantId`'s shares may be swept only from `openAt` (its approval plus the claim period).
    error RevenueClaimPeriodNotOver(uint256 grantId, uint256 openAt);

    /// @notice Grant `grantId`'s unclaimed shares went back to the treasury: it takes no more claims.
    error RevenueClosed(uint256 grantId);

    /// @notice Grant `grantId`'s allocations can no longer be replaced: members have claimed `claimed` wei of them.
    error RevenueAllocationClaimed(uint256 grantId, uint256 claimed);

    /// @notice Replacing the allocations needs `expected` wei from the treasury with the call; `given` came.
    error RevenueWrongTopUp(uint256 expected, uint256 given);

    /// @notice A claim call names no grant, or claims an allocation of 0.
    error RevenueNothingToClaim();

    /// @notice Records grant `grantId`'s fee (`msg.value`) with the mode in force. Only the registry, at approval.
    function deposit(uint256 grantId) external payable;

    /// @notice Posts grant `grantId`'s allocations: Merkle `root` of leaves
    /// `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))` summing to `allocated`. The rest of the
    /// member share goes to the treasury. Only the gateway operator or the timelock, once per ByUse grant.
    function postAllocation(uint256 grantId, bytes32 root, uint256 allocated) external;

    /// @notice Pays `member` its equal share of grant `grantId`. Anyone may call.
    function claim(uint256 grantId, address member) external;

    /// @notice Pays `member` its allocation `amount` of grant `grantId`, proven by `proof`. Anyone may call.
    function claim(uint256 grantId, address member, uint256 amount, bytes32[] calldata proof) external;

    /// @notice Pays `member`, in one transfer, its equal shares of the grants `equalGrantIds` and its allocations
    /// `allocations` of by-use grants: each claimed as {claim} would (the same checks, events and errors; one
    /// refused claim refuses the call). Anyone may call, e.g. a relayer for a member with no ETH.
    /// @return total what `member` was paid.
    function claimMany(
        address member,
        uint256[] calldata equalGrantIds,
        Allocation[] calldata allocations
    ) external returns (uint256 total);

    /// @notice Replaces grant `grantId`'s by-use allocations with Merkle `root` over `allocated` wei (at most the
    /// member share), as long as no member has claimed. When `allocated` is more than before, the call brings the
    /// difference from the treasury (`msg.value`); when less, the difference goes back to it. Only the timelock.
    function replaceAllocation(uint256 grantId, bytes32 root, uint256 allocated) external payable;

    /// @notice Sends what members have not claimed of grant `grantId` (unclaimed equal shares; unclaimed or
    /// unposted by-use shares, those of addresses that never became members included) back to the treasury, once
    /// the claim period since its approval is over; the grant then takes no more claims. Only the timelock.
    /// @return amount the wei swept.
    function sweep(uint256 grantId) external returns (uint256 amount);

    /// @notice Sets the claim period: how long, from approval, members have to claim before their shares may be
    /// swept; between {MIN_CLAIM_PERIOD} and {MAX_CLAIM_PERIOD}. Only the timelock.
    function setClaimPeriod(uint48 newPeriod) external;

    /// @notice Sets the mode for grants approved from now. Only the timelock.
    function setMode(Mode newMode) external;

    /// @notice Sets the treasury share, in basis points, for grants approved from now. Only the timelock.
    function setTreasuryShare(uint16 newBps) external;

    /// @notice Sets the gateway operator (zero: none). Only the timelock.
    function setOperator(address newOperator) external;

    /// @notice Sets the data access registry. Only the deployer, once, while wiring the deployment.
    function setRegistry(address registry) external;

    /// @notice Grant `grantId`'s distribution.
    function distribution(uint256 grantId) external view returns (Distribution memory);

    /// @notice What `member` can claim from grant `grantId` under EqualSplit now (0 if not eligible or claimed).
    function claimableOf(uint256 grantId, address member) external view returns (uint256);

    /// @notice Whether `member` has claimed grant `grantId`.
    function isClaimed(uint256 grantId, address member) external view returns (bool);

    /// @notice Every wei received from the registry: `deposited` = `toTreasury` (net of what the treasury sent back
    /// to top up replaced allocations, and including `swept`) + `claimed` + `claimable` (owed to members) +
    /// `awaitingAllocation` (ByUse grants without a root yet). `swept` is the part of `toTreasury` that went back
    /// unclaimed. The contract's balance is `claimable + awaitingAllocation`.
    function totals()
        external
        view
        returns (
            uint256 deposited,
            uint256 toTreasury,
            uint256 claimed,
            uint256 claimable,
            uint256 awaitingAllocation,
            uint256 swept
        );

    /// @notice How long, from approval, members have to claim before their shares may be swept.
    function claimPeriod() external view returns (uint48);

    /// @notice When grant `grantId`'s unclaimed shares may be swept (0 if it has no deposit).
    function sweepableAt(uint256 grantId) external view returns (uint256);

    /// @notice The mode applied to grants approved from now.
    function mode() external view returns (Mode);

    /// @notice The treasury share, in basis points.
    function treasuryShare() external view returns (uint16);

    /// @notice The gateway operator.
    function operator() external view returns (address);

    /// @notice The data access registry.
    function registry() external view returns (address);
}
