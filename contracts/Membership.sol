// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC6372} from "@openzeppelin/contracts/interfaces/IERC6372.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {IConsentRegistry} from "./interfaces/IConsentRegistry.sol";
import {IMembership} from "./interfaces/IMembership.sol";

/// @title Membership
/// @notice Soulbound ERC-721 with ERC-5805 votes: one token and one vote per member, active from admission.
/// @dev The owner is the co-op's timelock. Votes are by timestamp (ERC-6372) so past member counts and past votes
/// serve as proposal snapshots.
///
/// Every member always holds exactly one vote, delegated to themselves, so a member's vote history is the history of
/// their memberships. It is kept in one slot per member (`Record`: member number, start and end of the latest
/// membership, whether they are in it now) instead of OpenZeppelin's ERC721Votes checkpoints plus ERC721's balance
/// and owner slots: an admission writes three fresh slots (the record, the token's holder, the member count's
/// checkpoint) instead of six, and a vote or a claim learns the voter's member number and past vote from one slot in
/// one call ({voterAt}). Only a member who returns needs more: their earlier memberships are checkpointed then, so
/// {getPastVotes} still answers for any past time. The ERC-721 and ERC-5805 views and events are those of
/// OpenZeppelin's ERC721Votes with self-delegation at admission: `Transfer`, `DelegateChanged(member, 0, member)` and
/// `DelegateVotesChanged(member, 0, 1)` at admission; `Transfer`, `DelegateChanged(member, member, 0)` and
/// `DelegateVotesChanged(member, 1, 0)` at exit.
///
/// A member whose account is a contract (a passkey account) acts by signature, relayed by anyone:
/// {applyForMembershipBySig} and {resignBySig} (EIP-712 domain "DataCoop Membership", version "1"; ERC-1271 for
/// contracts; one nonce per account). A membership moves to a new account only by a vote ({moveMembership}).
contract Membership is IMembership, IERC5805, ERC721, Ownable, EIP712, Nonces {
    using Checkpoints for Checkpoints.Trace208;

    /// @dev Member number (kept for life), start and end of the latest membership, whether the account is in it now,
    /// and whether it had an earlier one (then {_earlier} holds those), packed in one slot.
    struct Record {
        uint64 memberId;
        uint48 since;
        uint48 leftAt;
        bool active;
        bool returning;
        bool movedAway;
    }

    /// @notice Type of a signed application ({applyForMembershipBySig}).
    bytes32 public constant APPLY_TYPEHASH = keccak256(
        "ApplyForMembership(address applicant,string uri,uint256 nonce,uint256 deadline)"
    );
    /// @notice Type of a signed resignation ({resignBySig}).
    bytes32 public constant RESIGN_TYPEHASH = keccak256("Resign(address member,uint256 nonce,uint256 deadline)");

    mapping(address account => Record) private _records;
    mapping(uint256 memberId => address) private _holders;
    /// @dev Votes of a returning member during their memberships before the latest one (1 inside, 0 outside).
    mapping(address account => Checkpoints.Trace208) private _earlier;
    /// @dev Members, checkpointed at every change (the quorum base of past snapshots).
    Checkpoints.Trace208 private _memberCounts;
    // One slot: member numbers given, members now, and when that count last changed. Quorum reads the count at
    // a proposal's snapshot; when nobody joined or left since, it is the current count, with no checkpoint search.
    uint64 private _lastMemberId;
    uint64 private _memberCount;
    uint48 private _countChangedAt;
    /// @dev Told of every admission, so a member's consent entry exists (and knows their membership's start) before
    /// their first decision. Set once by the deployer while wiring the deployment.
    IConsentRegistry private _consentRegistry;
    address private immutable _deployer;

    constructor(
        string memory name_,
        string memory symbol_,
        address timelock,
        address[] memory founders
    ) ERC721(name_, symbol_) Ownable(timelock) EIP712("DataCoop Membership", "1") {
        _deployer = msg.sender;
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
    function resignBySig(address member, uint256 deadline, bytes calldata signature) external {
        _checkSignature(
            member,
            keccak256(abi.encode(RESIGN_TYPEHASH, member, _useNonce(member), deadline)),
            deadline,
            signature
        );
        _leave(member, true);
    }

    /// @inheritdoc IMembership
    function applyForMembershipBySig(
        address applicant,
        string calldata uri,
        uint256 deadline,
        bytes calldata signature
    ) external {
        _checkSignature(
            applicant,
            keccak256(abi.encode(APPLY_TYPEHASH, applicant, keccak256(bytes(uri)), _useNonce(applicant), deadline)),
            deadline,
            signature
        );
        if (_records[applicant].active) revert MembershipAlreadyMember(applicant);
        emit MembershipApplied(applicant, uri);
    }

    /// @inheritdoc IMembership
    function moveMembership(address from, address to) external onlyOwner {
        if (to == address(0)) revert ERC721InvalidOwner(address(0));
        Record memory record = _records[from];
        if (!record.active) revert MembershipNotMember(from);
        if (_records[to].memberId != 0) revert MembershipMoveTargetUsed(to);
        uint48 now_ = clock();
        uint256 memberId = record.memberId;
        // The new account takes the record as it is: the same member number and the same start, so whatever dates
        // from the membership (its consent, its votes and shares at past snapshots) holds for it. Votes and claims are
        // counted once per member number, so the two accounts never both count.
        _records[to] = record;
        record.active = false;
        record.leftAt = now_;
        record.movedAway = true;
        _records[from] = record;
        _holders[memberId] = to;
        emit Transfer(from, to, memberId);
        emit DelegateChanged(from, from, address(0));
        emit DelegateVotesChanged(from, 1, 0);
        emit DelegateChanged(to, address(0), to);
        emit DelegateVotesChanged(to, 0, 1);
        emit MembershipMoved(from, to, memberId);
        IConsentRegistry registry = _consentRegistry;
        if (address(registry) != address(0)) registry.onMoved(from, to);
    }

    /// @inheritdoc IMembership
    function hasMovedAway(address account) external view returns (bool) {
        return _records[account].movedAway;
    }

    /// @inheritdoc IMembership
    function setConsentRegistry(address registry) external {
        if (msg.sender != _deployer || address(_consentRegistry) != address(0)) {
            revert MembershipConsentRegistryLocked(msg.sender);
        }
        if (IConsentRegistry(registry).membership() != address(this)) {
            revert MembershipConsentRegistryMismatch(registry);
        }
        _consentRegistry = IConsentRegistry(registry);
        emit ConsentRegistrySet(registry);
    }

    /// @inheritdoc IMembership
    function consentRegistry() external view returns (address) {
        return address(_consentRegistry);
    }

    /// @inheritdoc IMembership
    function applyForMembership(string calldata uri) external {
        address applicant = _msgSender();
        if (_records[applicant].active) revert MembershipAlreadyMember(applicant);
        emit MembershipApplied(applicant, uri);
    }

    /// @inheritdoc IMembership
    function isMember(address account) external view returns (bool) {
        return _records[account].active;
    }

    /// @inheritdoc IMembership
    function memberIdOf(address account) external view returns (uint256) {
        return _records[account].memberId;
    }

    /// @inheritdoc IMembership
    function memberSince(address account) external view returns (uint256) {
        Record memory record = _records[account];
        return record.active ? record.since : 0;
    }

    /// @inheritdoc IMembership
    function unambiguousSince(address account) external view returns (uint256) {
        Record memory record = _records[account];
        if (!record.active) return 0;
        // Cannot overflow: a uint48 timestamp plus one fits in a uint256.
        unchecked {
            return record.returning ? uint256(record.since) + 1 : record.since;
        }
    }

    /// @inheritdoc IMembership
    function voterAt(address account, uint256 timepoint) external view returns (uint256 memberId, uint256 votes) {
        _requirePast(timepoint);
        Record memory record = _records[account];
        return (record.memberId, _votesAt(account, record, timepoint));
    }

    /// @inheritdoc IMembership
    function memberCount() external view returns (uint256) {
        return _memberCount;
    }

    /// @inheritdoc IMembership
    function lastMemberId() external view returns (uint256) {
        return _lastMemberId;
    }

    /// @inheritdoc IVotes
    function getVotes(address account) external view returns (uint256) {
        return _records[account].active ? 1 : 0;
    }

    /// @inheritdoc IVotes
    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        _requirePast(timepoint);
        return _votesAt(account, _records[account], timepoint);
    }

    /// @notice Members at `timepoint` (a past timestamp): the quorum base of proposals with that snapshot.
    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        _requirePast(timepoint);
        if (timepoint >= _countChangedAt) return _memberCount;
        // Fits: timepoint is below a uint48 timestamp.
        return _memberCounts.upperLookupRecent(uint48(timepoint));
    }

    /// @notice Every member votes for themselves, from admission, without a delegation step; others have no delegate.
    function delegates(address account) external view returns (address) {
        return _records[account].active ? account : address(0);
    }

    /// @notice Disabled: each member holds their own vote.
    function delegate(address) external pure {
        revert MembershipDelegationDisabled();
    }

    /// @notice Disabled: each member holds their own vote.
    function delegateBySig(address, uint256, uint256, uint8, bytes32, bytes32) external pure {
        revert MembershipDelegationDisabled();
    }

    /// @notice Timestamps, so the co-op behaves the same on L1 and L2s (ERC-6372).
    function clock() public view returns (uint48) {
        return Time.timestamp();
    }

    /// @inheritdoc IERC6372
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external pure returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice 1 for a member, 0 otherwise (ERC-721).
    function balanceOf(address owner) public view override returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _records[owner].active ? 1 : 0;
    }

    /// @notice Disabled: membership cannot be transferred.
    function approve(address, uint256 tokenId) public pure override {
        revert MembershipNonTransferable(tokenId);
    }

    /// @notice Disabled: membership cannot be transferred.
    function setApprovalForAll(address, bool) public pure override {
        revert MembershipNonTransferable(0);
    }

    function _admit(address account) private returns (uint256 memberId) {
        if (account == address(0)) revert ERC721InvalidOwner(address(0));
        Record memory record = _records[account];
        if (record.active) revert MembershipAlreadyMember(account);
        // Its member number now belongs to another account.
        if (record.movedAway) revert MembershipMovedAway(account);
        uint48 now_ = clock();
        if (record.memberId == 0) {
            record.memberId = ++_lastMemberId;
        } else {
            // The earlier membership moves to the checkpoints, so past votes keep their answer. A stay that began
            // and ended in one second never held a vote at the end of any second, like OpenZeppelin's checkpoints.
            Checkpoints.Trace208 storage earlier = _earlier[account];
            earlier.push(record.since, 1);
            earlier.push(record.leftAt, 0);
            record.returning = true;
        }
        record.since = now_;
        record.leftAt = 0;
        record.active = true;
        _records[account] = record;
        memberId = record.memberId;
        _holders[memberId] = account;
        _changeCount(true, now_);
        emit Transfer(address(0), account, memberId);
        emit DelegateChanged(account, address(0), account);
        emit DelegateVotesChanged(account, 0, 1);
        emit MemberAdmitted(account, memberId);
        IConsentRegistry registry = _consentRegistry;
        if (address(registry) != address(0)) {
            // Cannot overflow: a uint48 timestamp plus one second.
            unchecked {
                registry.onAdmitted(account, record.returning ? now_ + 1 : now_);
            }
        }
    }

    function _leave(address member, bool resigned) private {
        Record memory record = _records[member];
        if (!record.active) revert MembershipNotMember(member);
        uint48 now_ = clock();
        record.active = false;
        record.leftAt = now_;
        _records[member] = record;
        uint256 memberId = record.memberId;
        delete _holders[memberId];
        _changeCount(false, now_);
        emit Transfer(member, address(0), memberId);
        emit DelegateChanged(member, member, address(0));
        emit DelegateVotesChanged(member, 1, 0);
        emit MemberLeft(member, memberId, resigned);
    }

    function _checkSignature(
        address signer,
        bytes32 structHash,
        uint256 deadline,
        bytes calldata signature
    ) private view {
        if (block.timestamp > deadline) revert MembershipExpiredSignature(deadline);
        if (!SignatureChecker.isValidSignatureNowCalldata(signer, _hashTypedDataV4(structHash), signature)) {
            revert MembershipInvalidSignature(signer);
        }
    }

    function _changeCount(bool up, uint48 now_) private {
        uint64 count = _memberCount;
        // Cannot overflow or underflow: there are never more members than member numbers (uint64), and a member
        // leaves only when the count includes them.
        unchecked {
            count = up ? count + 1 : count - 1;
        }
        _memberCount = count;
        _countChangedAt = now_;
        _memberCounts.push(now_, count);
    }

    /// @dev The vote `account` held at the end of second `timepoint`: the latest membership from its record, an
    /// earlier one from the checkpoints written when the account returned.
    function _votesAt(address account, Record memory record, uint256 timepoint) private view returns (uint256) {
        if (timepoint >= record.since) {
            return record.memberId != 0 && (record.active || timepoint < record.leftAt) ? 1 : 0;
        }
        // Fits: timepoint is below the record's uint48 start.
        return record.returning ? _earlier[account].upperLookupRecent(uint48(timepoint)) : 0;
    }

    function _requirePast(uint256 timepoint) private view {
        uint48 current = clock();
        if (timepoint >= current) revert ERC5805FutureLookup(timepoint, current);
    }

    /// @dev The holder of member number `tokenId`, zero while nobody holds it (ERC-721's view of a burned token).
    function _ownerOf(uint256 tokenId) internal view override returns (address) {
        return _holders[tokenId];
    }

    /// @dev Memberships are given and ended by {_admit} and {_leave}, never moved: ERC-721's transfers (whose `auth`
    /// is the caller, never zero) revert. ERC-721's own mint and burn (`auth` zero) are never called.
    function _update(address, uint256 tokenId, address auth) internal pure override returns (address) {
        if (auth != address(0)) revert MembershipNonTransferable(tokenId);
        return address(0);
    }
}
