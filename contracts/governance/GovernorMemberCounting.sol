// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title GovernorMemberCounting
/// @notice For / Against / Abstain counting for one-member-one-vote governors, with late-quorum protection.
/// @dev Same semantics as OpenZeppelin's GovernorCountingSimple + GovernorPreventLateQuorum, laid out for a
/// co-op where every member has one vote and a permanent member number:
/// - who voted is a bitmap indexed by member number (a vote usually flips a bit in an already written word);
/// - the three tallies, the quorum at the snapshot and the extended deadline share one storage slot, so a vote
///   writes one tally slot and the late-quorum check reads the cached quorum instead of recomputing it;
/// - a vote looks the voter up once ({_voterAt}: member number and vote at the snapshot).
/// Both mechanisms live in one module because they share that slot. Events and their order are OpenZeppelin's.
abstract contract GovernorMemberCounting is Governor {
    using SafeCast for uint256;

    enum VoteType {
        Against,
        For,
        Abstain
    }

    /// @dev One slot per proposal. `quorumPlusOne` is the quorum at the snapshot plus one, cached by the first
    /// vote (0 means not cached yet); the snapshot is in the past once voting is open, so it cannot change.
    struct ProposalTally {
        uint48 againstVotes;
        uint48 forVotes;
        uint48 abstainVotes;
        uint48 quorumPlusOne;
        uint48 extendedDeadline;
    }

    mapping(uint256 proposalId => ProposalTally) private _tallies;
    mapping(uint256 proposalId => mapping(uint256 word => uint256 bits)) private _voted;
    uint48 private _lateQuorumVoteExtension;

    /// @notice Quorum was first reached late, so voting on `proposalId` now ends at `extendedDeadline`.
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);

    /// @notice The late-quorum extension changed.
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);

    /// @notice `account` had no vote at the proposal's snapshot (it was not a member then).
    error GovernorMemberCountingNoVote(address account, uint256 snapshot);

    /// @notice The late-quorum extension may not be longer than the voting period.
    error GovernorMemberCountingExtensionTooLarge(uint256 extension, uint256 maxExtension);

    constructor(uint48 initialVoteExtension) {
        _lateQuorumVoteExtension = initialVoteExtension;
        emit LateQuorumVoteExtensionSet(0, initialVoteExtension);
    }

    /// @inheritdoc IGovernor
    // solhint-disable-next-line func-name-mixedcase
    function COUNTING_MODE() public pure virtual override returns (string memory) {
        return "support=bravo&quorum=for,abstain";
    }

    /// @inheritdoc IGovernor
    function hasVoted(uint256 proposalId, address account) public view virtual override returns (bool) {
        uint256 memberId = _memberIdOf(account);
        if (memberId == 0) return false;
        return _voted[proposalId][memberId >> 8] & (1 << (memberId & 0xff)) != 0;
    }

    /// @notice The tallies of `proposalId`, in GovernorCountingSimple's order.
    function proposalVotes(
        uint256 proposalId
    ) public view virtual returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) {
        ProposalTally storage tally = _tallies[proposalId];
        return (tally.againstVotes, tally.forVotes, tally.abstainVotes);
    }

    /// @notice Deadline of `proposalId`, including a late-quorum extension.
    function proposalDeadline(uint256 proposalId) public view virtual override returns (uint256) {
        return Math.max(super.proposalDeadline(proposalId), _tallies[proposalId].extendedDeadline);
    }

    /// @notice How long voting stays open after quorum is first reached.
    function lateQuorumVoteExtension() public view virtual returns (uint48) {
        return _lateQuorumVoteExtension;
    }

    /// @notice Sets the late-quorum extension. Only through a passed vote.
    function setLateQuorumVoteExtension(uint48 newVoteExtension) public virtual onlyGovernance {
        _setLateQuorumVoteExtension(newVoteExtension);
    }

    function _setLateQuorumVoteExtension(uint48 newVoteExtension) internal virtual {
        uint256 maxExtension = votingPeriod();
        if (newVoteExtension > maxExtension) {
            revert GovernorMemberCountingExtensionTooLarge(newVoteExtension, maxExtension);
        }
        emit LateQuorumVoteExtensionSet(_lateQuorumVoteExtension, newVoteExtension);
        _lateQuorumVoteExtension = newVoteExtension;
    }

    /// @dev The permanent member number of `account` (0 if never a member): the index into the voter bitmap.
    function _memberIdOf(address account) internal view virtual returns (uint256);

    /// @dev `account`'s member number and its votes at `timepoint`, in one lookup.
    function _voterAt(
        address account,
        uint256 timepoint
    ) internal view virtual returns (uint256 memberId, uint256 votes);

    /// @inheritdoc Governor
    function _quorumReached(uint256 proposalId) internal view virtual override returns (bool) {
        ProposalTally storage tally = _tallies[proposalId];
        uint256 cached = tally.quorumPlusOne;
        uint256 required = cached == 0 ? quorum(proposalSnapshot(proposalId)) : cached - 1;
        return required <= uint256(tally.forVotes) + tally.abstainVotes;
    }

    /// @inheritdoc Governor
    function _voteSucceeded(uint256 proposalId) internal view virtual override returns (bool) {
        ProposalTally storage tally = _tallies[proposalId];
        return tally.forVotes > tally.againstVotes;
    }

    /// @notice Governor's vote casting with one lookup of the voter (member number and vote at the snapshot).
    /// @dev The same steps and events as OpenZeppelin's {Governor-_castVote}: the state check, the count, `VoteCast`
    /// (or `VoteCastWithParams`), then {_tallyUpdated}, where the late-quorum extension is decided, so a vote that
    /// reaches quorum late emits `VoteCast` before `ProposalExtended`.
    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256) {
        _validateStateBitmap(proposalId, _encodeStateBitmap(ProposalState.Active));
        (uint256 memberId, uint256 weight) = _voterAt(account, proposalSnapshot(proposalId));
        _count(proposalId, account, memberId, support, weight);
        if (params.length == 0) {
            emit VoteCast(account, proposalId, support, weight, reason);
        } else {
            emit VoteCastWithParams(account, proposalId, support, weight, reason, params);
        }
        _tallyUpdated(proposalId);
        return weight;
    }

    /// @inheritdoc Governor
    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 totalWeight,
        bytes memory // params
    ) internal virtual override returns (uint256) {
        _count(proposalId, account, _memberIdOf(account), support, totalWeight);
        return totalWeight;
    }

    /// @dev Late-quorum protection, as in OpenZeppelin's GovernorPreventLateQuorum: the first vote that reaches quorum
    /// keeps voting open for the extension from now.
    function _tallyUpdated(uint256 proposalId) internal virtual override {
        super._tallyUpdated(proposalId);
        ProposalTally memory tally = _tallies[proposalId];
        // The vote just counted cached the quorum, so `quorumPlusOne` is not zero here.
        if (tally.extendedDeadline != 0 || tally.quorumPlusOne - 1 > uint256(tally.forVotes) + tally.abstainVotes) {
            return;
        }
        uint48 extendedDeadline = clock() + _lateQuorumVoteExtension;
        if (extendedDeadline > super.proposalDeadline(proposalId)) {
            emit ProposalExtended(proposalId, extendedDeadline);
        }
        _tallies[proposalId].extendedDeadline = extendedDeadline;
    }

    function _count(uint256 proposalId, address account, uint256 memberId, uint8 support, uint256 weight) private {
        if (weight == 0) revert GovernorMemberCountingNoVote(account, proposalSnapshot(proposalId));

        // A vote at the snapshot implies the account was admitted, so it has a member number.
        uint256 bit = 1 << (memberId & 0xff);
        mapping(uint256 => uint256) storage voted = _voted[proposalId];
        uint256 bits = voted[memberId >> 8];
        if (bits & bit != 0) revert GovernorAlreadyCastVote(account);
        voted[memberId >> 8] = bits | bit;

        ProposalTally memory tally = _tallies[proposalId];
        uint48 votes = weight.toUint48();
        if (support == uint8(VoteType.Against)) {
            tally.againstVotes += votes;
        } else if (support == uint8(VoteType.For)) {
            tally.forVotes += votes;
        } else if (support == uint8(VoteType.Abstain)) {
            tally.abstainVotes += votes;
        } else {
            revert GovernorInvalidVoteType();
        }
        if (tally.quorumPlusOne == 0) {
            tally.quorumPlusOne = (quorum(proposalSnapshot(proposalId)) + 1).toUint48();
        }
        _tallies[proposalId] = tally;
    }
}
