// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {LowLevelCall} from "@openzeppelin/contracts/utils/LowLevelCall.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IDataAccessRegistry} from "./interfaces/IDataAccessRegistry.sol";
import {IMembership} from "./interfaces/IMembership.sol";
import {IRevenue} from "./interfaces/IRevenue.sol";

/// @title Revenue
/// @notice Splits approved grants' fees between the treasury and the members; members (or relayers for them) pull
/// their shares.
/// @dev The owner is the co-op's timelock, which is also the treasury: its share is sent at once (the timelock is
/// trusted and accepts ETH), so only members' money stays here. Who claimed is a bitmap per grant indexed by member
/// number; the deposit writes bit 0 (no member has number 0) so that the word of the first 255 members is already
/// non-zero and their claims do not pay for a fresh storage slot. The snapshot is the second before approval, on
/// the membership's timestamp clock. An equal-split claim reads the grant's one-slot split, looks the member up once
/// ({IMembership-voterAt}), sets its bit and updates one running total: no per-grant counter is written, so a sweep
/// counts the claimed bits instead (one word per 256 member numbers: a governance action, never a member's).
contract Revenue is IRevenue, Ownable, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @dev What every claim reads, in one slot; `snapshot` is never 0 once deposited. `closed` is set when the
    /// unclaimed rest was swept.
    struct Split {
        Mode mode;
        uint48 snapshot;
        uint128 perMember;
        uint56 memberCount;
        bool closed;
    }

    /// @dev ByUse allocations: `allocated` and `claimed` share a slot because each claim checks one against the other.
    struct Pool {
        bytes32 root;
        uint128 allocated;
        uint128 claimed;
    }

    /// @dev Running totals, in wei, two per slot. `claimed` shares its slot with `deposited`, which is non-zero
    /// before any claim, so a claim updates a written slot instead of paying for a fresh one. `toTreasury` is net of
    /// top-ups the treasury sent back and includes `swept`.
    struct Totals {
        uint128 deposited;
        uint128 claimed;
        uint128 toTreasury;
        uint128 awaitingAllocation;
        uint128 swept;
    }

    /// @notice The shortest claim period: 30 days, so members always have time to claim.
    uint48 public constant MIN_CLAIM_PERIOD = 30 days;
    /// @notice The longest claim period: 10 years.
    uint48 public constant MAX_CLAIM_PERIOD = 3_650 days;

    uint16 private constant _MAX_BPS = 10_000;

    IMembership private immutable _membership;
    IVotes private immutable _votes;
    address private immutable _deployer;

    mapping(uint256 grantId => Split) private _splits;
    mapping(uint256 grantId => uint256) private _memberShares;
    mapping(uint256 grantId => Pool) private _pools;
    mapping(uint256 grantId => mapping(uint256 word => uint256 bits)) private _claimedBits;
    Totals private _totals;
    address private _registry;
    address private _operator;
    Mode private _mode;
    uint16 private _treasuryBps;
    uint48 private _claimPeriod;

    constructor(
        address timelock,
        IMembership membership,
        address initialOperator,
        uint16 initialTreasuryBps,
        Mode initialMode,
        uint48 initialClaimPeriod
    ) Ownable(timelock) {
        _membership = membership;
        _votes = IVotes(address(membership));
        _deployer = msg.sender;
        _setOperator(initialOperator);
        _setTreasuryShare(initialTreasuryBps);
        _setMode(initialMode);
        _setClaimPeriod(initialClaimPeriod);
    }

    /// @inheritdoc IRevenue
    function deposit(uint256 grantId) external payable {
        if (msg.sender != _registry) revert RevenueNotRegistry(msg.sender);
        if (_splits[grantId].snapshot != 0) revert RevenueAlreadyDeposited(grantId);

        uint256 amount = msg.value;
        uint256 toTreasury = (amount * _treasuryBps) / _MAX_BPS;
        uint256 memberShare = amount - toTreasury;
        uint48 snapshot = Time.timestamp() - 1;
        Mode grantMode = _mode;
        uint256 memberCount;
        uint256 perMember;
        Totals memory sums = _totals;
        if (grantMode == Mode.EqualSplit) {
            memberCount = _votes.getPastTotalSupply(snapshot);
            if (memberCount != 0) perMember = memberShare / memberCount;
            // The rounding remainder goes to the treasury, so members are owed exactly perMember * memberCount.
            toTreasury += memberShare - perMember * memberCount;
            memberShare = perMember * memberCount;
        } else {
            sums.awaitingAllocation += memberShare.toUint128();
        }
        sums.deposited += amount.toUint128();
        sums.toTreasury += toTreasury.toUint128();

        _splits[grantId] = Split({
            mode: grantMode,
            snapshot: snapshot,
            perMember: perMember.toUint128(),
            memberCount: memberCount.toUint56(),
            closed: false
        });
        _memberShares[grantId] = memberShare;
        _claimedBits[grantId][0] = 1;
        _totals = sums;
        emit Deposited(grantId, grantMode, amount, toTreasury, memberShare, memberCount, perMember, snapshot);
        _payTreasury(toTreasury);
    }

    /// @inheritdoc IRevenue
    function postAllocation(uint256 grantId, bytes32 root, uint256 allocated) external {
        if (msg.sender != _operator && msg.sender != owner()) revert RevenueNotOperator(msg.sender);
        _requireOpen(grantId, Mode.ByUse);
        if (root == bytes32(0)) revert RevenueZeroRoot();
        Pool storage pool = _pools[grantId];
        if (pool.root != bytes32(0)) revert RevenueAllocationAlreadyPosted(grantId);
        uint256 memberShare = _memberShares[grantId];
        if (allocated > memberShare) revert RevenueAllocationTooLarge(grantId, allocated, memberShare);

        uint256 returned = memberShare - allocated;
        pool.root = root;
        // Fits: allocated <= memberShare, which was a uint128 at deposit.
        pool.allocated = uint128(allocated);
        Totals memory sums = _totals;
        sums.awaitingAllocation -= uint128(memberShare);
        sums.toTreasury += uint128(returned);
        _totals = sums;
        emit AllocationPosted(grantId, root, allocated, returned);
        _payTreasury(returned);
    }

    /// @inheritdoc IRevenue
    function claim(uint256 grantId, address member) external nonReentrant {
        uint256 amount = _claimEqual(grantId, member);
        _totals.claimed += uint128(amount);
        _pay(member, amount);
    }

    /// @inheritdoc IRevenue
    function claim(uint256 grantId, address member, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        _claimAllocation(grantId, member, amount, proof);
        _totals.claimed += uint128(amount);
        _pay(member, amount);
    }

    /// @inheritdoc IRevenue
    function claimMany(
        address member,
        uint256[] calldata equalGrantIds,
        Allocation[] calldata allocations
    ) external nonReentrant returns (uint256 total) {
        if (equalGrantIds.length == 0 && allocations.length == 0) revert RevenueNothingToClaim();
        for (uint256 i = 0; i < equalGrantIds.length; ++i) {
            total += _claimEqual(equalGrantIds[i], member);
        }
        for (uint256 i = 0; i < allocations.length; ++i) {
            Allocation calldata a = allocations[i];
            _claimAllocation(a.grantId, member, a.amount, a.proof);
            total += a.amount;
        }
        // Fits: every amount was checked against a uint128 share, and all of them against the running totals.
        _totals.claimed += total.toUint128();
        _pay(member, total);
    }

    /// @inheritdoc IRevenue
    function replaceAllocation(uint256 grantId, bytes32 root, uint256 allocated) external payable onlyOwner {
        _requireOpen(grantId, Mode.ByUse);
        if (root == bytes32(0)) revert RevenueZeroRoot();
        Pool storage pool = _pools[grantId];
        // Every by-use claim pays something, so nothing claimed means no claim yet.
        if (pool.claimed != 0) revert RevenueAllocationClaimed(grantId, pool.claimed);
        bytes32 oldRoot = pool.root;
        if (oldRoot == bytes32(0)) revert RevenueAllocationNotPosted(grantId);
        uint256 memberShare = _memberShares[grantId];
        if (allocated > memberShare) revert RevenueAllocationTooLarge(grantId, allocated, memberShare);

        uint256 oldAllocated = pool.allocated;
        // The treasury got `memberShare - oldAllocated` at posting: a larger allocation takes part of it back.
        uint256 fromTreasury = allocated > oldAllocated ? allocated - oldAllocated : 0;
        uint256 back = oldAllocated - (allocated - fromTreasury);
        if (msg.value != fromTreasury) revert RevenueWrongTopUp(fromTreasury, msg.value);
        pool.root = root;
        // Fits: allocated <= memberShare, a uint128 at deposit.
        pool.allocated = uint128(allocated);
        Totals memory sums = _totals;
        // Cannot underflow: fromTreasury <= memberShare - oldAllocated, which toTreasury received at posting.
        sums.toTreasury = sums.toTreasury - uint128(fromTreasury) + uint128(back);
        _totals = sums;
        emit AllocationReplaced(grantId, oldRoot, oldAllocated, root, allocated, fromTreasury, back);
        _payTreasury(back);
    }

    /// @inheritdoc IRevenue
    function sweep(uint256 grantId) external onlyOwner returns (uint256 amount) {
        Split memory split = _splits[grantId];
        if (split.snapshot == 0) revert RevenueUnknownGrant(grantId);
        if (split.closed) revert RevenueClosed(grantId);
        uint256 openAt = _sweepableAt(split);
        if (block.timestamp < openAt) revert RevenueClaimPeriodNotOver(grantId, openAt);

        Totals memory sums = _totals;
        if (split.mode == Mode.EqualSplit) {
            amount = uint256(split.perMember) * (split.memberCount - _claimCount(grantId));
        } else {
            Pool memory pool = _pools[grantId];
            if (pool.root == bytes32(0)) {
                amount = _memberShares[grantId];
                sums.awaitingAllocation -= uint128(amount);
            } else {
                amount = pool.allocated - pool.claimed;
            }
        }
        split.closed = true;
        _splits[grantId] = split;
        // Fits: at most a grant's member share, a uint128.
        sums.toTreasury += uint128(amount);
        sums.swept += uint128(amount);
        _totals = sums;
        emit Swept(grantId, amount);
        _payTreasury(amount);
    }

    /// @inheritdoc IRevenue
    function setClaimPeriod(uint48 newPeriod) external onlyOwner {
        _setClaimPeriod(newPeriod);
    }

    /// @inheritdoc IRevenue
    function setMode(Mode newMode) external onlyOwner {
        _setMode(newMode);
    }

    /// @inheritdoc IRevenue
    function setTreasuryShare(uint16 newBps) external onlyOwner {
        _setTreasuryShare(newBps);
    }

    /// @inheritdoc IRevenue
    function setOperator(address newOperator) external onlyOwner {
        _setOperator(newOperator);
    }

    /// @inheritdoc IRevenue
    function setRegistry(address registry_) external {
        if (msg.sender != _deployer || _registry != address(0)) revert RevenueRegistryLocked(msg.sender);
        if (IDataAccessRegistry(registry_).revenue() != address(this)) revert RevenueRegistryMismatch(registry_);
        _registry = registry_;
        emit RegistrySet(registry_);
    }

    /// @inheritdoc IRevenue
    function distribution(uint256 grantId) external view returns (Distribution memory) {
        Split memory split = _splits[grantId];
        Pool memory pool = _pools[grantId];
        bool equal = split.mode == Mode.EqualSplit;
        uint256 memberShare = _memberShares[grantId];
        uint256 claims = split.snapshot == 0 ? 0 : _claimCount(grantId);
        uint256 claimed = equal ? uint256(split.perMember) * claims : pool.claimed;
        uint256 swept;
        if (split.closed) {
            if (equal) swept = memberShare - claimed;
            else swept = pool.root == bytes32(0) ? memberShare : pool.allocated - pool.claimed;
        }
        return
            Distribution({
                mode: split.mode,
                snapshot: split.snapshot,
                memberShare: uint128(memberShare),
                perMember: split.perMember,
                memberCount: split.memberCount,
                root: pool.root,
                allocated: pool.allocated,
                // Fits: claims never exceed the member share, a uint128.
                claimed: uint128(claimed),
                claims: claims,
                swept: uint128(swept),
                closed: split.closed
            });
    }

    /// @inheritdoc IRevenue
    function claimableOf(uint256 grantId, address member) external view returns (uint256) {
        Split memory split = _splits[grantId];
        if (split.snapshot == 0 || split.mode != Mode.EqualSplit || split.closed) return 0;
        if (_votes.getPastVotes(member, split.snapshot) == 0 || isClaimed(grantId, member)) return 0;
        return split.perMember;
    }

    /// @inheritdoc IRevenue
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
        )
    {
        Totals memory t = _totals;
        return (
            t.deposited,
            t.toTreasury,
            t.claimed,
            t.deposited - t.toTreasury - t.claimed - t.awaitingAllocation,
            t.awaitingAllocation,
            t.swept
        );
    }

    /// @inheritdoc IRevenue
    function claimPeriod() external view returns (uint48) {
        return _claimPeriod;
    }

    /// @inheritdoc IRevenue
    function sweepableAt(uint256 grantId) external view returns (uint256) {
        Split memory split = _splits[grantId];
        return split.snapshot == 0 ? 0 : _sweepableAt(split);
    }

    /// @inheritdoc IRevenue
    function mode() external view returns (Mode) {
        return _mode;
    }

    /// @inheritdoc IRevenue
    function treasuryShare() external view returns (uint16) {
        return _treasuryBps;
    }

    /// @inheritdoc IRevenue
    function operator() external view returns (address) {
        return _operator;
    }

    /// @inheritdoc IRevenue
    function registry() external view returns (address) {
        return _registry;
    }

    /// @inheritdoc IRevenue
    function isClaimed(uint256 grantId, address member) public view returns (bool) {
        uint256 memberId = _membership.memberIdOf(member);
        return memberId != 0 && _claimedBits[grantId][memberId >> 8] & (1 << (memberId & 0xff)) != 0;
    }

    function _requireOpen(uint256 grantId, Mode expected) private view returns (Split memory split) {
        split = _splits[grantId];
        if (split.snapshot == 0) revert RevenueUnknownGrant(grantId);
        if (split.mode != expected) revert RevenueWrongMode(grantId, split.mode);
        if (split.closed) revert RevenueClosed(grantId);
    }

    /// @dev Records `member`'s equal share of `grantId` as claimed and returns it; the caller updates the running
    /// total and pays.
    function _claimEqual(uint256 grantId, address member) private returns (uint256 amount) {
        Split memory split = _requireOpen(grantId, Mode.EqualSplit);
        (uint256 memberId, uint256 votes) = _membership.voterAt(member, split.snapshot);
        if (votes == 0) revert RevenueNotEligible(grantId, member);
        _markClaimed(grantId, member, memberId);
        amount = split.perMember;
        emit Claimed(grantId, member, amount);
    }

    /// @dev Records `member`'s proven allocation of `grantId` as claimed; the caller updates the total and pays.
    function _claimAllocation(uint256 grantId, address member, uint256 amount, bytes32[] calldata proof) private {
        _requireOpen(grantId, Mode.ByUse);
        if (amount == 0) revert RevenueNothingToClaim();
        Pool storage pool = _pools[grantId];
        bytes32 root = pool.root;
        if (root == bytes32(0)) revert RevenueAllocationNotPosted(grantId);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(member, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert RevenueInvalidProof(grantId, member, amount);
        _markClaimed(grantId, member, _membership.memberIdOf(member));
        // The posted total caps the claims even if the operator's tree adds up to more.
        uint256 claimed = pool.claimed + amount;
        if (claimed > pool.allocated) revert RevenueAllocationExceeded(grantId, pool.allocated);
        pool.claimed = uint128(claimed);
        emit Claimed(grantId, member, amount);
    }

    /// @dev Members who claimed `grantId`: the bits set in its bitmap, one word per 256 member numbers, less the
    /// bit the deposit pre-wrote.
    function _claimCount(uint256 grantId) private view returns (uint256 count) {
        uint256 words = (_membership.lastMemberId() >> 8) + 1;
        mapping(uint256 => uint256) storage bits = _claimedBits[grantId];
        for (uint256 w = 0; w < words; ++w) {
            count += _popcount(bits[w]);
        }
        // Cannot underflow: the deposit set bit 0 of word 0.
        unchecked {
            return count - 1;
        }
    }

    /// @dev Set bits of `x` (SWAR).
    function _popcount(uint256 x) private pure returns (uint256) {
        if (x == type(uint256).max) return 256;
        // Unchecked on purpose: each step adds bit counts within fields too wide to carry out of them, and the last
        // multiplication's wrap-around is what adds every byte's count (255 at most here) into the top byte.
        unchecked {
            x = x - ((x >> 1) & 0x5555555555555555555555555555555555555555555555555555555555555555);
            x =
                (x & 0x3333333333333333333333333333333333333333333333333333333333333333) +
                ((x >> 2) & 0x3333333333333333333333333333333333333333333333333333333333333333);
            x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f;
            return (x * 0x0101010101010101010101010101010101010101010101010101010101010101) >> 248;
        }
    }

    function _markClaimed(uint256 grantId, address member, uint256 memberId) private {
        if (memberId == 0) revert RevenueNotMember(member);
        uint256 bit = 1 << (memberId & 0xff);
        uint256 bits = _claimedBits[grantId][memberId >> 8];
        if (bits & bit != 0) revert RevenueAlreadyClaimed(grantId, member);
        _claimedBits[grantId][memberId >> 8] = bits | bit;
    }

    function _sweepableAt(Split memory split) private view returns (uint256) {
        // The snapshot is the second before approval.
        return uint256(split.snapshot) + 1 + _claimPeriod;
    }

    /// @dev Sends without copying return data, so a receiver cannot make the claim pay for a large return.
    function _pay(address to, uint256 amount) private {
        if (amount == 0) return;
        if (!LowLevelCall.callNoReturn(to, amount, "")) revert RevenueTransferFailed(to, amount);
    }

    function _payTreasury(uint256 amount) private {
        if (amount != 0) Address.sendValue(payable(owner()), amount);
    }

    function _setMode(Mode newMode) private {
        emit ModeSet(_mode, newMode);
        _mode = newMode;
    }

    function _setTreasuryShare(uint16 newBps) private {
        if (newBps > _MAX_BPS) revert RevenueInvalidTreasuryShare(newBps);
        emit TreasuryShareSet(_treasuryBps, newBps);
        _treasuryBps = newBps;
    }

    function _setClaimPeriod(uint48 newPeriod) private {
        if (newPeriod < MIN_CLAIM_PERIOD || newPeriod > MAX_CLAIM_PERIOD) {
            revert RevenueInvalidClaimPeriod(newPeriod, MIN_CLAIM_PERIOD, MAX_CLAIM_PERIOD);
        }
        emit ClaimPeriodSet(_claimPeriod, newPeriod);
        _claimPeriod = newPeriod;
    }

    function _setOperator(address newOperator) private {
        emit OperatorSet(_operator, newOperator);
        _operator = newOperator;
    }
}
