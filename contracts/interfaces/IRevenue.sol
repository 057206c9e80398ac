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
/// once per grant. Every operation costs O(1) gas whatever the number of members.
interface IRevenue {
    /// @notice How a grant's member share is divided.
    enum Mode {
        EqualSplit,
        ByUse
    }

    /// @notice A grant's distribution, as recorded at approval (and at root posting for ByUse).
    struct Distribution {
        Mode mode;
        uint48 snapshot;
        uint128 memberShare;
        uint128 perMember;
        uint256 memberCount;
        bytes32 root;
        uint128 allocated;
        uint128 claimed;
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

    /// @notice Wei received from the registry: `deposited` = `toTreasury` + `claimed` + `claimable` (owed to members)
    /// + `awaitingAllocation` (ByUse grants without a root yet).
    function totals()
        external
        view
        returns (uint256 deposited, uint256 toTreasury, uint256 claimed, uint256 claimable, uint256 awaitingAllocation);

    /// @notice The mode applied to grants approved from now.
    function mode() external view returns (Mode);

    /// @notice The treasury share, in basis points.
    function treasuryShare() external view returns (uint16);

    /// @notice The gateway operator.
    function operator() external view returns (address);

    /// @notice The data access registry.
    function registry() external view returns (address);
}
