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
/// the membership's timestamp clock.
contract Revenue is IRevenue, Ownable, ReentrancyGuardTransient {
    using SafeCast for uint256;

    /// @dev What every claim reads, in one slot; `snapshot` is never 0 once deposited.
    struct Split {
        Mode mode;
        uint48 snapshot;
        uint128 perMember;
        uint64 memberCount;
    }

    /// @dev ByUse allocations: `allocated` and `claimed` share a slot because each claim checks one against the other.
    struct Pool {
        bytes32 root;
        uint128 allocated;
        uint128 claimed;
    }

    /// @dev Running totals, in wei, two per slot. `claimed` shares its slot with `deposited`, which is non-zero
    /// before any claim, so a claim updates a written slot instead of paying for a fresh one.
    struct Totals {
        uint128 deposited;
        uint128 claimed;
        uint128 toTreasury;
        uint128 awaitingAllocation;
    }

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

    constructor(
        address timelock,
        IMembership membership,
        address initialOperator,
        uint16 initialTreasuryBps,
        Mode initialMode
    ) Ownable(timelock) {
        _membership = membership;
        _votes = IVotes(address(membership));
        _deployer = msg.sender;
        _setOperator(initialOperator);
        _setTreasuryShare(initialTreasuryBps);
        _setMode(initialMode);
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
            memberCount: memberCount.toUint64()
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
        _requireMode(grantId, Mode.ByUse);
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
        Split memory split = _requireMode(grantId, Mode.EqualSplit);
        if (_votes.getPastVotes(member, split.snapshot) == 0) revert RevenueNotEligible(grantId, member);
        _markClaimed(grantId, member);
        uint256 amount = split.perMember;
        _totals.claimed += split.perMember;
        emit Claimed(grantId, member, amount);
        _pay(member, amount);
    }

    /// @inheritdoc IRevenue
    function claim(uint256 grantId, address member, uint256 amount, bytes32[] calldata proof) external nonReentrant {
        _requireMode(grantId, Mode.ByUse);
        Pool storage pool = _pools[grantId];
        bytes32 root = pool.root;
        if (root == bytes32(0)) revert RevenueAllocationNotPosted(grantId);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(member, amount))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert RevenueInvalidProof(grantId, member, amount);
        _markClaimed(grantId, member);
        // The posted total caps the claims even if the operator's tree adds up to more.
        uint256 claimed = pool.claimed + amount;
        if (claimed > pool.allocated) revert RevenueAllocationExceeded(grantId, pool.allocated);
        pool.claimed = uint128(claimed);
        _totals.claimed += uint128(amount);
        emit Claimed(grantId, member, amount);
        _pay(member, amount);
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
        return
            Distribution({
                mode: split.mode,
                snapshot: split.snapshot,
                memberShare: uint128(_memberShares[grantId]),
                perMember: split.perMember,
                memberCount: split.memberCount,
                root: pool.root,
                allocated: pool.allocated,
                claimed: pool.claimed
            });
    }

    /// @inheritdoc IRevenue
    function claimableOf(uint256 grantId, address member) external view returns (uint256) {
        Split memory split = _splits[grantId];
        if (split.snapshot == 0 || split.mode != Mode.EqualSplit) return 0;
        if (_votes.getPastVotes(member, split.snapshot) == 0 || isClaimed(grantId, member)) return 0;
        return split.perMember;
    }

    /// @inheritdoc IRevenue
    function totals()
        external
        view
        returns (uint256 deposited, uint256 toTreasury, uint256 claimed, uint256 claimable, uint256 awaitingAllocation)
    {
        Totals memory t = _totals;
        return (
            t.deposited,
            t.toTreasury,
            t.claimed,
            t.deposited - t.toTreasury - t.claimed - t.awaitingAllocation,
            t.awaitingAllocation
        );
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

    function _requireMode(uint256 grantId, Mode expected) private view returns (Split memory split) {
        split = _splits[grantId];
        if (split.snapshot == 0) revert RevenueUnknownGrant(grantId);
        if (split.mode != expected) revert RevenueWrongMode(grantId, split.mode);
    }

    function _markClaimed(uint256 grantId, address member) private {
        uint256 memberId = _membership.memberIdOf(member);
        if (memberId == 0) revert RevenueNotMember(member);
        uint256 bit = 1 << (memberId & 0xff);
        uint256 bits = _claimedBits[grantId][memberId >> 8];
        if (bits & bit != 0) revert RevenueAlreadyClaimed(grantId, member);
        _claimedBits[grantId][memberId >> 8] = bits | bit;
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

    function _setOperator(address newOperator) private {
        emit OperatorSet(_operator, newOperator);
        _operator = newOperator;
    }
}
