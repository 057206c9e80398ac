// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC721Votes} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IMembership} from "./interfaces/IMembership.sol";

/// @title Membership
/// @notice Soulbound ERC-721 with ERC-5805 votes: one token and one vote per member, active from admission.
/// @dev The owner is the co-op's timelock. Votes are checkpointed by timestamp (ERC-6372) so past member
/// counts and past votes serve as proposal snapshots.
contract Membership is IMembership, ERC721Votes, Ownable {
    /// @dev Member number (kept for life), start of the current membership, and whether it is a return (the
    /// account was a member before), packed in one slot.
    struct Record {
        uint64 memberId;
        uint48 since;
        bool returning;
    }

    mapping(address account => Record) private _records;
    // One slot: member numbers given, members now, and when that count last changed. Quorum reads the count at
    // a proposal's snapshot; when nobody joined or left since, it is the current count, with no checkpoint search.
    uint64 private _lastMemberId;
    uint64 private _memberCount;
    uint48 private _countChangedAt;

    constructor(
        string memory name_,
        string memory symbol_,
        address timelock,
        address[] memory founders
    ) ERC721(name_, symbol_) EIP712(name_, "1") Ownable(timelock) {
        for (uint256 i = 0; i < founders.length; ++i) {
            _admit(founders[i]);
        }
    }

    /// @inheritdoc IMembership
    function admit(address account) external onlyOwner returns (uint256) {
        return _admit(account);
    }

    /// @inheritdoc IMembership
    function remove(address member) external onlyOwner {
        _leave(member, false);
    }

    /// @inheritdoc IMembership
    function resign() external {
        _leave(_msgSender(), true);
    }

    /// @inheritdoc IMembership
    function applyForMembership(string calldata uri) external {
        address applicant = _msgSender();
        if (balanceOf(applicant) != 0) revert MembershipAlreadyMember(applicant);
        emit MembershipApplied(applicant, uri);
    }

    /// @inheritdoc IMembership
    function isMember(address account) external view returns (bool) {
        return account != address(0) && balanceOf(account) != 0;
    }

    /// @inheritdoc IMembership
    function memberIdOf(address account) external view returns (uint256) {
        return _records[account].memberId;
    }

    /// @inheritdoc IMembership
    function memberSince(address account) external view returns (uint256) {
        return account == address(0) || balanceOf(account) == 0 ? 0 : _records[account].since;
    }

    /// @inheritdoc IMembership
    function unambiguousSince(address account) external view returns (uint256) {
        if (account == address(0) || balanceOf(account) == 0) return 0;
        Record memory record = _records[account];
        // Cannot overflow: a uint48 timestamp plus one fits in a uint256.
        unchecked {
            return record.returning ? uint256(record.since) + 1 : record.since;
        }
    }

    /// @inheritdoc IMembership
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @notice Members at `timepoint` (a past timestamp): the quorum base of proposals with that snapshot.
    function getPastTotalSupply(uint256 timepoint) public view override returns (uint256) {
        uint48 current = clock();
        if (timepoint >= current) revert ERC5805FutureLookup(timepoint, current);
        if (timepoint >= _countChangedAt) return _memberCount;
        return super.getPastTotalSupply(timepoint);
    }

    /// @inheritdoc IMembership
    function lastMemberId() external view returns (uint256) {
        return _lastMemberId;
    }

    /// @notice Every member votes for themselves, from admission, without a delegation step.
    function delegates(address account) public pure override returns (address) {
        return account;
    }

    /// @notice Disabled: each member holds their own vote.
    function delegate(address) public pure override {
        revert MembershipDelegationDisabled();
    }

    /// @notice Disabled: each member holds their own vote.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) public pure override {
        revert MembershipDelegationDisabled();
    }

    /// @notice Disabled: membership cannot be transferred.
    function approve(address, uint256 tokenId) public pure override {
        revert MembershipNonTransferable(tokenId);
    }

    /// @notice Disabled: membership cannot be transferred.
    function setApprovalForAll(address, bool) public pure override {
        revert MembershipNonTransferable(0);
    }

    /// @notice Timestamps, so the co-op behaves the same on L1 and L2s (ERC-6372).
    function clock() public view override returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc Votes
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _admit(address account) private returns (uint256 memberId) {
        if (balanceOf(account) != 0) revert MembershipAlreadyMember(account);
        Record memory record = _records[account];
        record.returning = record.memberId != 0;
        if (!record.returning) record.memberId = ++_lastMemberId;
        uint48 now_ = clock();
        record.since = now_;
        _records[account] = record;
        memberId = record.memberId;
        // Cannot overflow: member numbers are uint64 and there are never more members than numbers.
        unchecked {
            ++_memberCount;
        }
        _countChangedAt = now_;
        // The zero address never gets a member number: `balanceOf` above rejects it.
        _mint(account, memberId);
        emit MemberAdmitted(account, memberId);
    }

    function _leave(address member, bool resigned) private {
        if (balanceOf(member) == 0) revert MembershipNotMember(member);
        uint256 memberId = _records[member].memberId;
        // Cannot underflow: `member` holds a token, so the count is at least one.
        unchecked {
            --_memberCount;
        }
        _countChangedAt = clock();
        _burn(memberId);
        emit MemberLeft(member, memberId, resigned);
    }

    /// @dev Tokens are only minted and burned, never moved.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        address from = _ownerOf(tokenId);
        if (from != address(0) && to != address(0)) revert MembershipNonTransferable(tokenId);
        return super._update(to, tokenId, auth);
    }
}
