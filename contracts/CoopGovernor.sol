// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
// solhint-disable-next-line max-line-length
import {GovernorSequentialProposalId} from "@openzeppelin/contracts/governance/extensions/GovernorSequentialProposalId.sol";
import {GovernorTimelockControl} from "@openzeppelin/contracts/governance/extensions/GovernorTimelockControl.sol";
import {GovernorVotes} from "@openzeppelin/contracts/governance/extensions/GovernorVotes.sol";
// solhint-disable-next-line max-line-length
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";
import {GovernorMemberCounting} from "./governance/GovernorMemberCounting.sol";
import {IMembership} from "./interfaces/IMembership.sol";

/// @title CoopGovernor
/// @notice The co-op's Governor: any member proposes (also by signature, through a relayer), every member has one
/// vote (For / Against / Abstain), quorum is a share of the members at the snapshot (rounded up), late quorum extends
/// voting, votes may be cast by signature (so a relayer can pay the gas), and every decision runs through the
/// timelock after its delay. Proposals are numbered 1, 2, 3, … (OpenZeppelin's GovernorSequentialProposalId).
/// Standard IGovernor interface and events.
///
/// Every setting has bounds, checked in the constructor and in its setter, so that no single passed vote — a unit
/// slip included — can leave the co-op unable to decide again:
/// - voting delay 0 to 30 days: a far-future snapshot would make every later proposal, the repair too, wait for it;
/// - voting period 5 minutes to 30 days: a period of seconds closes every vote before members can cast it, and one of
///   years (three days typed in milliseconds) keeps the repair open as long; 5 minutes still lets a test chain run;
/// - late-quorum extension 0 to the voting period;
/// - quorum 5 to 50 % of the members at the snapshot, rounded up: at most half, so one absent member (or any
///   minority that stays away) cannot block every decision — with n ≥ 2 members, ⌈n/2⌉ ≤ n − 1 — and at least 5 %,
///   so a handful of members cannot decide alone for a large co-op while the others are away.
/// The timelock's own delay is bounded by {CoopTimelock}.
///
/// Signatures: EIP-712 domain name "DataCoop Governor", version "1". The domain name is fixed rather than the co-op's
/// name because OpenZeppelin 5.7's EIP712 keeps its name in an immutable `ShortString` and reverts
/// (`StringTooLong`) on a name of 32 bytes or more — its storage fallback for long names was removed, only its storage
/// slot remains. The co-op's full name, of any length, is kept in storage and returned by {name}. Wallets and relayers
/// read the domain from {eip712Domain} (ERC-5267). Ballots keep OpenZeppelin's `Ballot` and `ExtendedBallot` types
/// with `nonce` always 0 ({nonces} stays 0): a member votes once per proposal, so the vote itself refuses a replay
/// and no nonce needs to be written.
contract CoopGovernor is
    Governor,
    GovernorVotes,
    GovernorVotesQuorumFraction,
    GovernorMemberCounting,
    GovernorSequentialProposalId,
    GovernorTimelockControl
{
    /// @notice Governance parameters, in seconds and percent.
    struct Settings {
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 lateQuorumExtension;
        uint256 quorumPercent;
    }

    /// @notice Type of a signed proposal ({proposeBySig}).
    bytes32 public constant PROPOSE_TYPEHASH = keccak256(
        "Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,"
        "uint256 deadline)"
    );

    /// @notice The longest voting delay governance may set: 30 days.
    uint48 public constant MAX_VOTING_DELAY = 30 days;
    /// @notice The shortest voting period: 5 minutes.
    uint32 public constant MIN_VOTING_PERIOD = 5 minutes;
    /// @notice The longest voting period: 30 days.
    uint32 public constant MAX_VOTING_PERIOD = 30 days;
    /// @notice The lowest quorum: 5 % of the members.
    uint256 public constant MIN_QUORUM_PERCENT = 5;
    /// @notice The highest quorum: 50 % of the members.
    uint256 public constant MAX_QUORUM_PERCENT = 50;

    string private constant _DOMAIN_NAME = "DataCoop Governor";

    IMembership private immutable _membership;

    string private _coopName;
    uint48 private _votingDelay;
    uint32 private _votingPeriod;

    /// @notice The voting delay changed.
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);

    /// @notice The voting period changed.
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);

    /// @notice The voting delay may not exceed `maxVotingDelay` seconds.
    error CoopGovernorInvalidVotingDelay(uint256 votingDelay, uint256 maxVotingDelay);

    /// @notice The voting period must be between `minVotingPeriod` and `maxVotingPeriod` seconds, and at least the
    /// late-quorum extension.
    error CoopGovernorInvalidVotingPeriod(uint256 votingPeriod, uint256 minVotingPeriod, uint256 maxVotingPeriod);

    /// @notice The quorum must be between `minQuorumPercent` and `maxQuorumPercent` percent of the members.
    error CoopGovernorInvalidQuorum(uint256 quorumPercent, uint256 minQuorumPercent, uint256 maxQuorumPercent);

    /// @notice The signed proposal expired at `deadline`.
    error CoopGovernorExpiredSignature(uint256 deadline);

    constructor(
        string memory name_,
        IMembership membership,
        TimelockController timelock,
        Settings memory settings
    )
        Governor(_DOMAIN_NAME)
        GovernorVotes(IVotes(address(membership)))
        GovernorVotesQuorumFraction(settings.quorumPercent)
        GovernorMemberCounting(settings.lateQuorumExtension)
        GovernorTimelockControl(timelock)
    {
        if (settings.lateQuorumExtension > settings.votingPeriod) {
            revert GovernorMemberCountingExtensionTooLarge(settings.lateQuorumExtension, settings.votingPeriod);
        }
        _membership = membership;
        _coopName = name_;
        _setVotingDelay(settings.votingDelay);
        _setVotingPeriod(settings.votingPeriod);
    }

    /// @notice Sets the delay between a proposal and the start of voting, at most {MAX_VOTING_DELAY}. Only through a
    /// passed vote.
    function setVotingDelay(uint48 newVotingDelay) external onlyGovernance {
        _setVotingDelay(newVotingDelay);
    }

    /// @notice Sets how long voting lasts, from {MIN_VOTING_PERIOD} to {MAX_VOTING_PERIOD} and at least the late-quorum
    /// extension. Only through a passed vote.
    function setVotingPeriod(uint32 newVotingPeriod) external onlyGovernance {
        _setVotingPeriod(newVotingPeriod);
    }

    /// @notice {propose} for `proposer`, a member who signed
    /// `Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,
    /// uint256 deadline)` (EIP-712, this governor's domain; ERC-1271 for smart accounts). Anyone may relay it; the
    /// proposal is `proposer`'s, exactly as if they had sent it: the same threshold (a member at the previous second)
    /// and the same front-running protection (a description ending in `#proposer=<address>` is accepted only for that
    /// address). A signature makes one proposal: relayed again it names the same proposal, which already exists, so it
    /// reverts with `GovernorUnexpectedProposalState`.
    /// @return proposalId the new proposal's number.
    function proposeBySig(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer,
        uint256 deadline,
        bytes memory signature
    ) external returns (uint256) {
        if (block.timestamp > deadline) revert CoopGovernorExpiredSignature(deadline);
        bytes32 digest = _hashTypedDataV4(
            _proposeStructHash(targets, values, calldatas, description, proposer, deadline)
        );
        if (!SignatureChecker.isValidSignatureNow(proposer, digest, signature))
            revert GovernorInvalidSignature(proposer);
        return _proposeAs(targets, values, calldatas, description, proposer);
    }

    /// @notice Anyone may propose who was a member at the previous second. See {IGovernor-propose}.
    function propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description
    ) public override returns (uint256) {
        return _proposeAs(targets, values, calldatas, description, _msgSender());
    }

    /// @notice The co-op's name, in full (the EIP-712 domain uses "DataCoop Governor"; see the contract's description).
    function name() public view override returns (string memory) {
        return _coopName;
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

    /// @inheritdoc GovernorSequentialProposalId
    function getProposalId(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        bytes32 descriptionHash
    ) public view override(Governor, GovernorSequentialProposalId) returns (uint256) {
        return super.getProposalId(targets, values, calldatas, descriptionHash);
    }

    function _proposeAs(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) private returns (uint256) {
        if (!_isValidDescriptionForProposer(proposer, description)) revert GovernorRestrictedProposer(proposer);
        uint256 proposerVotes = getVotes(proposer, clock() - 1);
        if (proposerVotes < 1) revert GovernorInsufficientProposerVotes(proposer, proposerVotes, 1);
        return _propose(targets, values, calldatas, description, proposer);
    }

    function _proposeStructHash(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer,
        uint256 deadline
    ) private pure returns (bytes32) {
        bytes32[] memory calldataHashes = new bytes32[](calldatas.length);
        for (uint256 i = 0; i < calldatas.length; ++i) {
            calldataHashes[i] = keccak256(calldatas[i]);
        }
        return
            keccak256(
                abi.encode(
                    PROPOSE_TYPEHASH,
                    proposer,
                    keccak256(abi.encodePacked(targets)),
                    keccak256(abi.encodePacked(values)),
                    keccak256(abi.encodePacked(calldataHashes)),
                    keccak256(bytes(description)),
                    deadline
                )
            );
    }

    function _setVotingDelay(uint48 newVotingDelay) private {
        if (newVotingDelay > MAX_VOTING_DELAY) revert CoopGovernorInvalidVotingDelay(newVotingDelay, MAX_VOTING_DELAY);
        emit VotingDelaySet(_votingDelay, newVotingDelay);
        _votingDelay = newVotingDelay;
    }

    function _setVotingPeriod(uint32 newVotingPeriod) private {
        if (
            newVotingPeriod < MIN_VOTING_PERIOD ||
            newVotingPeriod > MAX_VOTING_PERIOD ||
            newVotingPeriod < lateQuorumVoteExtension()
        ) {
            revert CoopGovernorInvalidVotingPeriod(newVotingPeriod, MIN_VOTING_PERIOD, MAX_VOTING_PERIOD);
        }
        emit VotingPeriodSet(_votingPeriod, newVotingPeriod);
        _votingPeriod = newVotingPeriod;
    }

    function _updateQuorumNumerator(uint256 newQuorumNumerator) internal override {
        if (newQuorumNumerator < MIN_QUORUM_PERCENT || newQuorumNumerator > MAX_QUORUM_PERCENT) {
            revert CoopGovernorInvalidQuorum(newQuorumNumerator, MIN_QUORUM_PERCENT, MAX_QUORUM_PERCENT);
        }
        super._updateQuorumNumerator(newQuorumNumerator);
    }

    /// @dev Ballots are checked with nonce 0 and no nonce is used: one vote per member per proposal refuses replays.
    function _validateVoteSig(
        uint256 proposalId,
        uint8 support,
        address voter,
        bytes memory signature
    ) internal view override returns (bool) {
        return
            SignatureChecker.isValidSignatureNow(
                voter,
                _hashTypedDataV4(keccak256(abi.encode(BALLOT_TYPEHASH, proposalId, support, voter, 0))),
                signature
            );
    }

    /// @dev As {_validateVoteSig}, for `ExtendedBallot`.
    function _validateExtendedVoteSig(
        uint256 proposalId,
        uint8 support,
        address voter,
        string memory reason,
        bytes memory params,
        bytes memory signature
    ) internal view override returns (bool) {
        return
            SignatureChecker.isValidSignatureNow(
                voter,
                _hashTypedDataV4(
                    keccak256(
                        abi.encode(
                            EXTENDED_BALLOT_TYPEHASH,
                            proposalId,
                            support,
                            voter,
                            0,
                            keccak256(bytes(reason)),
                            keccak256(params)
                        )
                    )
                ),
                signature
            );
    }

    function _memberIdOf(address account) internal view override returns (uint256) {
        return _membership.memberIdOf(account);
    }

    function _voterAt(address account, uint256 timepoint) internal view override returns (uint256, uint256) {
        return _membership.voterAt(account, timepoint);
    }

    function _castVote(
        uint256 proposalId,
        address account,
        uint8 support,
        string memory reason,
        bytes memory params
    ) internal override(Governor, GovernorMemberCounting) returns (uint256) {
        return super._castVote(proposalId, account, support, reason, params);
    }

    function _propose(
        address[] memory targets,
        uint256[] memory values,
        bytes[] memory calldatas,
        string memory description,
        address proposer
    ) internal override(Governor, GovernorSequentialProposalId, GovernorMemberCounting) returns (uint256) {
        return super._propose(targets, values, calldatas, description, proposer);
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
    ) internal override(Governor, GovernorTimelockControl, GovernorMemberCounting) returns (uint256) {
        return super._cancel(targets, values, calldatas, descriptionHash);
    }

    function _executor() internal view override(Governor, GovernorTimelockControl) returns (address) {
        return super._executor();
    }
}
