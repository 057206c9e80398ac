// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @title GovernorMemberCounting
/// @notice For / Against / Abstain counting for one-member-one-vote governors, with late-quorum protection.
/// @dev Same semantics and events as OpenZeppelin's GovernorCountingSimple + GovernorPreventLateQuorum, laid out for a
/// co-op where every member has one vote and a permanent member number:
/// - who voted is a bitmap indexed by member number (a vote usually flips a bit in an already written word);
/// - one slot per proposal holds everything a vote reads and writes: the three tallies, the quorum at the snapshot
///   (cached by the first vote), the snapshot and the deadline (copied there when the proposal is made, the
///   deadline moved by a late-quorum extension) and whether it was cancelled. A vote checks that the proposal is
///   active from that slot instead of OpenZeppelin's proposal record, looks the voter up once ({_voterAt}: member
///   number and vote at the snapshot), and writes the slot once. Making a proposal writes the slot (a fresh one),
///   so voting, which every member does, costs less than proposing, which one member does.
/// OpenZeppelin's proposal record stays the source of {state}; the slot only mirrors it.
abstract contract GovernorMemberCounting is Governor {
    using SafeCast for uint256;

    enum VoteType {
        Against,
        For,
        Abstain
    }

    /// @dev One slot per proposal. `quorumPlusOne` is the quorum at the snapshot plus one, cached by the first vote (0:
    /// not cached yet; the snapshot is in the past once voting is open, so it cannot change). `snapshot` is 0 until the
    /// proposal exists. `deadline` includes a late-quorum extension; `extended` is set by the vote that first reaches
    /// quorum (whether or not that moved the deadline).
    struct ProposalTally {
        uint32 againstVotes;
        uint32 forVotes;
        uint32 abstainVotes;
        uint32 quorumPlusOne;
        uint48 snapshot;
        uint48 deadline;
        bool extended;
        bool canceled;
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
        ProposalTally storage tally = _tallies[proposalId];
        return tally.snapshot == 0 ? super.proposalDeadline(proposalId) : tally.deadline;
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

    /// @dev Copies the new proposal's snapshot and deadline into its tally slot.
    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._propose(targets, values, calldatas, description, proposer);
        ProposalTally storage tally = _tallies[proposalId];
        // Fit: OpenZeppelin keeps both as uint48 timepoints.
        tally.snapshot = uint48(proposalSnapshot(proposalId));
        tally.deadline = uint48(super.proposalDeadline(proposalId));
    }

    /// @dev Marks the proposal cancelled in its tally slot, so that a vote needs no other read to refuse it.
    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal virtual override returns (uint256 proposalId) {
        proposalId = super._cancel(targets, values, calldatas, descriptionHash);
        _tallies[proposalId].canceled = true;
    }

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

    /// @notice Governor's vote casting from the proposal's tally slot, with one lookup of the voter.
    /// @dev The same checks, errors and events as OpenZeppelin's {Governor-_castVote} with GovernorCountingSimple and
    /// GovernorPreventLateQuorum: the proposal must be Active (when the slot says otherwise, {state} produces
    /// OpenZeppelin's error), the vote is counted, `VoteCast` (or `VoteCastWithParams`) is emitted, then — on the vote
    /// that first reaches quorum — `ProposalExtended` when the extension moves the deadline.
    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal virtual override returns (uint256) {
        ProposalTally memory tally = _tallies[proposalId];
        uint48 now_ = clock();
        if (tally.canceled || tally.snapshot >= now_ || tally.deadline < now_) {
            _validateStateBitmap(proposalId, _encodeStateBitmap(ProposalState.Active));
        }
        (uint256 memberId, uint256 weight) = _voterAt(account, tally.snapshot);
        _count(tally, proposalId, account, memberId, support, weight);
        if (params.length == 0) {
            emit VoteCast(account, proposalId, support, weight, reason);
        } else {
            emit VoteCastWithParams(account, proposalId, support, weight, reason, params);
        }
        // Late-quorum protection, as in GovernorPreventLateQuorum: the first vote that reaches quorum keeps voting open
        // for the extension from now. The vote just counted cached the quorum, so `quorumPlusOne` is not zero here.
        if (!tally.extended && tally.quorumPlusOne - 1 <= uint256(tally.forVotes) + tally.abstainVotes) {
            tally.extended = true;
            uint48 extendedDeadline = now_ + _lateQuorumVoteExtension;
            if (extendedDeadline > tally.deadline) {
                tally.deadline = extendedDeadline;
                emit ProposalExtended(proposalId, extendedDeadline);
            }
        }
        _tallies[proposalId] = tally;
        return weight;
    }

    /// @inheritdoc Governor
    /// @dev Not reached by this module's {_castVote}, which counts in place; kept so that Governor's own path counts
    /// the same way.
    function _countVote(
        uint256 proposalId,
        address account,
        uint8 support,
        uint256 totalWeight,
        bytes memory // params
    ) internal virtual override returns (uint256) {
        ProposalTally memory tally = _tallies[proposalId];
        _count(tally, proposalId, account, _memberIdOf(account), support, totalWeight);
        _tallies[proposalId] = tally;
        return totalWeight;
    }

    /// @dev Records the vote in the bitmap and adds it to `tally` (in memory; the caller writes it back).
    function _count(
        ProposalTally memory tally,
        uint256 proposalId,
        address account,
        uint256 memberId,
        uint8 support,
        uint256 weight
    ) private {
        if (weight == 0) revert GovernorMemberCountingNoVote(account, tally.snapshot);

        // A vote at the snapshot implies the account was admitted, so it has a member number.
        uint256 bit = 1 << (memberId & 0xff);
        mapping(uint256 => uint256) storage voted = _voted[proposalId];
        uint256 bits = voted[memberId >> 8];
        if (bits & bit != 0) revert GovernorAlreadyCastVote(account);
        voted[memberId >> 8] = bits | bit;

        uint32 votes = weight.toUint32();
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
            tally.quorumPlusOne = (quorum(tally.snapshot) + 1).toUint32();
        }
    }
}
