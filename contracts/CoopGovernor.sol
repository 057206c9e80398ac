// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorNoncesKeyed} from "@openzeppelin/contracts/governance/extensions/GovernorNoncesKeyed.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
// solhint-disable-next-line max-line-length
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernorMemberCounting} from "./governance/GovernorMemberCounting.sol";
import {IMembership} from "./interfaces/IMembership.sol";

/// @title CoopGovernor
/// @notice The co-op's Governor: any member proposes, every member has one vote (For / Against / Abstain),
/// quorum is a share of the members at the snapshot (rounded up), late quorum extends voting, votes may be cast
/// by signature with per-proposal nonces (so a relayer can pay the gas), and every decision runs through the
/// timelock after its delay. Standard IGovernor interface and events.
contract CoopGovernor is
    Governor,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorMemberCounting,
    GovernorTimelockControl,
    GovernorNoncesKeyed
{
    using SafeCast for uint256;

    /// @notice Governance parameters, in seconds and percent.
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 lateQuorumExtension;
        uint256 quorumPercent;
    }

    /// @notice The longest voting delay governance may set: 30 days.
    uint48 public constant MAX_VOTING_DELAY = 30 days;

    IMembership private immutable _membership;

    uint48 private _votingDelay;
    uint32 private _votingPeriod;

    /// @notice The voting delay changed.
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);

    /// @notice The voting period changed.
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);

    /// @notice The voting delay may not exceed `maxVotingDelay` seconds.
    error CoopGovernorInvalidVotingDelay(uint256 votingDelay, uint256 maxVotingDelay);

    /// @notice The quorum must be between 1 and 100 percent of the members.
    error CoopGovernorInvalidQuorum(uint256 quorumPercent);

    constructor(
        string memory name_,
        IMembership membership,
        TimelockController timelock,
        Settings memory settings
    )
        Governor(name_)
        GovernorVotes(IVotes(address(membership)))
        GovernorVotesQuorumFraction(settings.quorumPercent)
        GovernorMemberCounting(settings.lateQuorumExtension)
        GovernorTimelockControl(timelock)
    {
        if (settings.lateQuorumExtension > settings.votingPeriod) {
            revert GovernorMemberCountingExtensionTooLarge(settings.lateQuorumExtension, settings.votingPeriod);
        }
        _membership = membership;
        _setVotingDelay(settings.votingDelay);
        _setVotingPeriod(settings.votingPeriod);
    }

    /// @notice Sets the delay between a proposal and the start of voting. Only through a passed vote.
    function setVotingDelay(uint48 newVotingDelay) external onlyGovernance {
        _setVotingDelay(newVotingDelay);
    }

    /// @notice Sets how long voting lasts. Only through a passed vote.
    function setVotingPeriod(uint32 newVotingPeriod) external onlyGovernance {
        _setVotingPeriod(newVotingPeriod);
    }

    /// @inheritdoc IGovernor
    function votingDelay() public view override returns (uint256) {
        return _votingDelay;
    }

    /// @inheritdoc IGovernor
    function votingPeriod() public view override returns (uint256) {
        return _votingPeriod;
    }

    /// @notice One member is enough to propose; non-members cannot.
    function proposalThreshold() public pure override returns (uint256) {
        return 1;
    }

    /// @notice The membership's clock: timestamps (ERC-6372). Read locally to save a call per vote.
    function clock() public view override(Governor, GovernorVotes) returns (uint48) {
        return Time.timestamp();
    }

    /// @notice Machine-readable clock description (ERC-6372): timestamps.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override(Governor, GovernorVotes) returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice Members needed at `timepoint`: the quorum share of the member count then, rounded up.
    function quorum(uint256 timepoint) public view override(Governor, GovernorVotesQuorumFraction) returns (uint256) {
        return
            Math.mulDiv(
                token().getPastTotalSupply(timepoint),
                quorumNumerator(timepoint),
                quorumDenominator(),
                Math.Rounding.Ceil
            );
    }

    /// @inheritdoc IGovernor
    function state(uint256 proposalId) public view override(Governor, GovernorTimelockControl) returns (ProposalState) {
        return super.state(proposalId);
    }

    /// @inheritdoc IGovernor
    function proposalNeedsQueuing(
        uint256 proposalId
    ) public view override(Governor, GovernorTimelockControl) returns (bool) {
        return super.proposalNeedsQueuing(proposalId);
    }

    /// @inheritdoc GovernorMemberCounting
    function proposalDeadline(
        uint256 proposalId
    ) public view override(Governor, GovernorMemberCounting) returns (uint256) {
        return super.proposalDeadline(proposalId);
    }

    function _setVotingDelay(uint48 newVotingDelay) private {
        // A far-future snapshot would make every later proposal unusable, with no vote left to undo it.
        if (newVotingDelay > MAX_VOTING_DELAY) revert CoopGovernorInvalidVotingDelay(newVotingDelay, MAX_VOTING_DELAY);
        emit VotingDelaySet(_votingDelay, newVotingDelay);
        _votingDelay = newVotingDelay;
    }

    function _setVotingPeriod(uint32 newVotingPeriod) private {
        if (newVotingPeriod == 0 || newVotingPeriod < lateQuorumVoteExtension()) {
            revert GovernorInvalidVotingPeriod(newVotingPeriod);
        }
        emit VotingPeriodSet(_votingPeriod, newVotingPeriod);
        _votingPeriod = newVotingPeriod;
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator == 0 || newQuorumNumerator > quorumDenominator()) {
            revert CoopGovernorInvalidQuorum(newQuorumNumerator);
        }
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    function _memberIdOf(address account) internal view override returns (uint256) {
        return _membership.memberIdOf(account);
    }

    function _queueOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint48) {
        return super._queueOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _executeOperations(
        uint256 proposalId,
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) {
        super._executeOperations(proposalId, targets, values, calldatas, descriptionHash);
    }

    function _cancel(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) internal override(Governor, GovernorTimelockControl) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }

    function _useCheckedNonce(address owner, uint256 nonce) internal override(Nonces, GovernorNoncesKeyed) {
        super._useCheckedNonce(owner, nonce);
    }

    function _validateVoteSig(
        uint256 proposalId,
        uint8 support,
        address voter,
        bytes memory signature
    ) internal override(Governor, GovernorNoncesKeyed) returns (bool) {
        return super._validateVoteSig(proposalId, support, voter, signature);
    }

    function _validateExtendedVoteSig(
        uint256 proposalId,
        uint8 support,
        address voter,
        string memory reason,
        bytes memory params,
        bytes memory signature
    ) internal override(Governor, GovernorNoncesKeyed) returns (bool) {
        return super._validateExtendedVoteSig(proposalId, support, voter, reason, params, signature);
    }
}
