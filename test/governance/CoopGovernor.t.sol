// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {CoopGovernor} from "../../contracts/CoopGovernor.sol";
import {Membership} from "../../contracts/Membership.sol";
import {GovernorMemberCounting} from "../../contracts/governance/GovernorMemberCounting.sol";
import {GovernanceTestBase} from "./GovernanceTestBase.sol";

contract CoopGovernorTest is GovernanceTestBase {
    /// @dev Solidity panic code for popping an empty array (OZ's DoubleEndedQueue reverts with it).
    uint256 internal constant PANIC_EMPTY_ARRAY_POP = 0x31;

    address internal alice;
    address internal stranger;
    uint256 internal aliceKey;

    function setUp() public override {
        super.setUp();
        (alice, aliceKey) = makeAccount("alice");
        stranger = makeAddr("stranger");
    }

    // ---- deployment ----

    function test_deploy_wiresTimelockLikeIgnition() public view {
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(governor)), "governor proposes");
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(governor)), "governor cancels");
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(governor)), "governor executes");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "timelock is own admin");
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(governor)), "governor is no admin");
        // Execution is not open to anyone.
        assertFalse(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "no open executor role");

        bytes32[4] memory roles = [
            timelock.DEFAULT_ADMIN_ROLE(),
            timelock.PROPOSER_ROLE(),
            timelock.CANCELLER_ROLE(),
            timelock.EXECUTOR_ROLE()
        ];
        for (uint256 i = 0; i < roles.length; ++i) {
            assertFalse(timelock.hasRole(roles[i], address(this)), "deployer keeps no role");
            for (uint256 j = 0; j < founders.length; ++j) {
                assertFalse(timelock.hasRole(roles[i], founders[j]), "founders hold no role");
            }
        }

        assertEq(address(governor.timelock()), address(timelock));
        assertEq(address(governor.token()), address(membership));
        assertEq(membership.owner(), address(timelock));
        assertEq(timelock.getMinDelay(), 86_400);
    }

    function test_deploy_appliesSettings() public view {
        assertEq(governor.name(), "DataCoop");
        assertEq(governor.votingDelay(), 3_600);
        assertEq(governor.votingPeriod(), 3 * 86_400);
        assertEq(governor.lateQuorumVoteExtension(), 86_400);
        assertEq(governor.quorumNumerator(), 50);
        assertEq(governor.quorumDenominator(), 100);
        assertEq(governor.proposalThreshold(), 1);
        assertEq(governor.COUNTING_MODE(), "support=bravo&quorum=for,abstain");
        assertEq(governor.CLOCK_MODE(), "mode=timestamp");
        assertEq(governor.clock(), _now());
    }

    function test_constructor_revertsWhenExtensionExceedsPeriod() public {
        CoopGovernor.Settings memory settings = _settings();
        settings.lateQuorumExtension = settings.votingPeriod + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                GovernorMemberCounting.GovernorMemberCountingExtensionTooLarge.selector,
                settings.lateQuorumExtension,
                settings.votingPeriod
            )
        );
        new CoopGovernor("DataCoop", membership, timelock, settings);
    }

    function test_constructor_revertsOnVotingPeriodOutOfBounds() public {
        CoopGovernor.Settings memory settings = _settings();
        settings.lateQuorumExtension = 0;
        uint32[3] memory periods = [uint32(0), 5 minutes - 1, 30 days + 1];
        for (uint256 i = 0; i < periods.length; ++i) {
            settings.votingPeriod = periods[i];
            vm.expectRevert(
                abi.encodeWithSelector(
                    CoopGovernor.CoopGovernorInvalidVotingPeriod.selector,
                    periods[i],
                    5 minutes,
                    30 days
                )
            );
            new CoopGovernor("DataCoop", membership, timelock, settings);
        }
        settings.votingPeriod = 30 days;
        assertEq(new CoopGovernor("DataCoop", membership, timelock, settings).votingPeriod(), 30 days);
    }

    function test_constructor_revertsOnVotingDelayAboveBound() public {
        CoopGovernor.Settings memory settings = _settings();
        settings.votingDelay = 30 days + 1;
        vm.expectRevert(
            abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidVotingDelay.selector, 30 days + 1, 30 days)
        );
        new CoopGovernor("DataCoop", membership, timelock, settings);
    }

    function test_constructor_revertsOnQuorumOutOfRange() public {
        CoopGovernor.Settings memory settings = _settings();
        uint256[4] memory percents = [uint256(0), 4, 51, 100];
        for (uint256 i = 0; i < percents.length; ++i) {
            settings.quorumPercent = percents[i];
            vm.expectRevert(
                abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidQuorum.selector, percents[i], 5, 50)
            );
            new CoopGovernor("DataCoop", membership, timelock, settings);
        }
    }

    /// @dev A co-op name of any length deploys: the EIP-712 domain has its own short name.
    function test_constructor_acceptsLongName() public {
        string memory longName = "Enyorata Loviluku Women's Co-operative";
        CoopGovernor longNamed = new CoopGovernor(longName, membership, timelock, _settings());
        assertEq(longNamed.name(), longName);
        (, string memory domainName, string memory version, , address verifyingContract, , ) = longNamed.eip712Domain();
        assertEq(domainName, "DataCoop Governor");
        assertEq(version, "1");
        assertEq(verifyingContract, address(longNamed));
    }

    // ---- propose ----

    function test_propose_setsSnapshotAndDeadline() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);

        assertEq(proposalId, _id(p));
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Pending));
        assertEq(governor.proposalProposer(proposalId), founders[0]);
        assertEq(governor.proposalSnapshot(proposalId), _now() + 3_600);
        assertEq(governor.proposalDeadline(proposalId), _now() + 3_600 + 3 * 86_400);
        assertTrue(governor.proposalNeedsQueuing(proposalId));
    }

    function test_propose_revertsForNonMember() public {
        Proposal memory p = _admitProposal(alice);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, stranger, 0, 1));
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function test_propose_revertsForMemberAdmittedThisSecond() public {
        _admit(alice);
        Proposal memory p = _admitProposal(stranger);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, alice, 0, 1));
        governor.propose(p.targets, p.values, p.calldatas, p.description);

        skip(1);
        assertEq(_propose(alice, p), _id(p));
    }

    function test_propose_revertsForMemberWhoLeft() public {
        vm.prank(founders[2]);
        membership.resign();
        skip(1);
        Proposal memory p = _admitProposal(alice);
        vm.prank(founders[2]);
        vm.expectRevert(
            abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, founders[2], 0, 1)
        );
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function test_propose_revertsForDuplicate() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        vm.prank(founders[1]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                IGovernor.ProposalState.Pending,
                bytes32(0)
            )
        );
        governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function test_state_revertsForUnknownProposal() public {
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorNonexistentProposal.selector, 42));
        governor.state(42);
    }

    // ---- castVote ----

    function test_castVote_countsEachSupportOnce() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);

        vm.expectEmit(address(governor));
        emit IGovernor.VoteCast(founders[0], proposalId, FOR, 1, "");
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, AGAINST);
        _vote(founders[2], proposalId, ABSTAIN);

        (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) = governor.proposalVotes(proposalId);
        assertEq(againstVotes, 1);
        assertEq(forVotes, 1);
        assertEq(abstainVotes, 1);
        for (uint256 i = 0; i < founders.length; ++i) {
            assertTrue(governor.hasVoted(proposalId, founders[i]));
        }
        assertFalse(governor.hasVoted(proposalId, stranger));
    }

    function test_castVote_revertsWhenPending() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        vm.prank(founders[0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                IGovernor.ProposalState.Pending,
                _stateBitmap(IGovernor.ProposalState.Active)
            )
        );
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_revertsAfterDeadline() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpPastDeadline(proposalId);
        vm.prank(founders[0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                IGovernor.ProposalState.Defeated,
                _stateBitmap(IGovernor.ProposalState.Active)
            )
        );
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_revertsWhenAlreadyVoted() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[1], proposalId, FOR);

        vm.prank(founders[1]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, founders[1]));
        governor.castVote(proposalId, AGAINST);
    }

    function test_castVote_revertsForMemberAdmittedAfterSnapshot() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        _warpToVoting(proposalId);
        _admit(alice);
        skip(1);

        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(GovernorMemberCounting.GovernorMemberCountingNoVote.selector, alice, snapshot)
        );
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_revertsForNonMember() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        _warpToVoting(proposalId);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(GovernorMemberCounting.GovernorMemberCountingNoVote.selector, stranger, snapshot)
        );
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_allowsMemberWhoLeftAfterSnapshot() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _remove(founders[2]);

        _vote(founders[2], proposalId, AGAINST);
        (uint256 againstVotes, , ) = governor.proposalVotes(proposalId);
        assertEq(againstVotes, 1);
    }

    /// @dev Member numbers are permanent, so leaving and coming back does not clear the voter bit.
    function test_castVote_revertsForReadmittedMemberWhoVoted() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[1], proposalId, FOR);
        vm.prank(founders[1]);
        membership.resign();
        _admit(founders[1]);
        skip(1);

        vm.prank(founders[1]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, founders[1]));
        governor.castVote(proposalId, FOR);
    }

    function test_castVote_revertsOnInvalidSupport() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        vm.prank(founders[0]);
        vm.expectRevert(IGovernor.GovernorInvalidVoteType.selector);
        governor.castVote(proposalId, 3);
    }

    // ---- quorum and outcome ----

    function test_quorum_roundsUpShareOfMembersAtSnapshot() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        _warpToVoting(proposalId);
        // 50 % of 3 members is 1.5: two members are needed.
        assertEq(governor.quorum(snapshot), 2);

        _admit(alice);
        _admit(stranger);
        skip(1);
        assertEq(governor.quorum(snapshot), 2, "later admissions do not move a past quorum");
        assertEq(governor.quorum(_now() - 1), 3, "five members need three");
    }

    function test_state_defeatedWithoutQuorum() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _warpPastDeadline(proposalId);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Defeated));
    }

    function test_state_defeatedOnTie() public {
        _admit(alice);
        skip(1);
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, FOR);
        _vote(founders[2], proposalId, AGAINST);
        _vote(alice, proposalId, AGAINST);
        _warpPastDeadline(proposalId);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Defeated));
    }

    function test_state_abstainCountsTowardQuorum() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, ABSTAIN);
        _warpPastDeadline(proposalId);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Succeeded));
    }

    // ---- late quorum ----

    function test_castVote_extendsDeadlineWhenQuorumReachedLate() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        uint256 originalDeadline = governor.proposalDeadline(proposalId);
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);

        vm.warp(originalDeadline - 10);
        uint64 extended = uint64(_now() + 86_400);
        vm.expectEmit(address(governor));
        emit GovernorMemberCounting.ProposalExtended(proposalId, extended);
        _vote(founders[1], proposalId, FOR);

        assertEq(governor.proposalDeadline(proposalId), extended);
        vm.warp(originalDeadline + 1);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Active), "still open after the old deadline");
        _vote(founders[2], proposalId, AGAINST);
        vm.warp(extended + 1);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Succeeded));
    }

    function test_castVote_keepsDeadlineWhenQuorumReachedEarly() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        uint256 originalDeadline = governor.proposalDeadline(proposalId);
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, FOR);
        assertEq(governor.proposalDeadline(proposalId), originalDeadline);
    }

    // ---- queue / execute ----

    function test_execute_admitsMemberThroughTimelock() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, FOR);
        _warpPastDeadline(proposalId);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Succeeded));

        _queue(p);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Queued));
        assertEq(governor.proposalEta(proposalId), _now() + 86_400);

        vm.warp(governor.proposalEta(proposalId));
        _execute(p);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Executed));
        assertTrue(membership.isMember(alice));
        assertEq(membership.memberIdOf(alice), 4);
    }

    function test_execute_revertsBeforeTimelockDelay() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, FOR);
        _warpPastDeadline(proposalId);
        _queue(p);

        bytes32 descriptionHash = keccak256(bytes(p.description));
        bytes32 operationId = timelock.hashOperationBatch(
            p.targets,
            p.values,
            p.calldatas,
            0,
            bytes20(address(governor)) ^ descriptionHash
        );
        vm.warp(governor.proposalEta(proposalId) - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                TimelockController.TimelockUnexpectedOperationState.selector,
                operationId,
                bytes32(1 << uint8(TimelockController.OperationState.Ready))
            )
        );
        governor.execute(p.targets, p.values, p.calldatas, descriptionHash);
    }

    function test_queue_revertsWhenDefeated() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        _warpPastDeadline(proposalId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                IGovernor.ProposalState.Defeated,
                _stateBitmap(IGovernor.ProposalState.Succeeded)
            )
        );
        _queue(p);
    }

    // ---- cancel ----

    function test_cancel_byProposerWhilePending() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        vm.prank(founders[0]);
        governor.cancel(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Canceled));
    }

    function test_cancel_revertsForOtherMember() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        vm.prank(founders[1]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, proposalId, founders[1]));
        governor.cancel(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
    }

    function test_cancel_revertsOnceVotingStarted() public {
        Proposal memory p = _admitProposal(alice);
        uint256 proposalId = _propose(founders[0], p);
        _warpToVoting(proposalId);
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorUnableToCancel.selector, proposalId, founders[0]));
        governor.cancel(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
    }

    // ---- settings through governance ----

    function test_setVotingDelay_revertsForNonExecutor() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, founders[0]));
        governor.setVotingDelay(1);
    }

    /// @dev Even the timelock cannot call the governor's settings outside an executed proposal.
    function test_setVotingDelay_revertsWhenTimelockCallsOutsideProposal() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", PANIC_EMPTY_ARRAY_POP));
        governor.setVotingDelay(1);
    }

    function test_setVotingDelay_throughGovernance() public {
        Proposal memory p = _proposal(address(governor), abi.encodeCall(CoopGovernor.setVotingDelay, (7_200)), "delay");
        _passUntilReady(p);
        vm.expectEmit(address(governor));
        emit CoopGovernor.VotingDelaySet(3_600, 7_200);
        _execute(p);
        assertEq(governor.votingDelay(), 7_200);
    }

    function test_setVotingPeriod_throughGovernance() public {
        _passAndExecute(
            _proposal(address(governor), abi.encodeCall(CoopGovernor.setVotingPeriod, (5 * 86_400)), "period")
        );
        assertEq(governor.votingPeriod(), 5 * 86_400);
    }

    function test_setVotingPeriod_revertsBelowExtension() public {
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(CoopGovernor.setVotingPeriod, (86_399)),
            "too short"
        );
        _passUntilReady(p);
        vm.expectRevert(
            abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidVotingPeriod.selector, 86_399, 5 minutes, 30 days)
        );
        _execute(p);
    }

    /// @dev Three days typed in milliseconds: refused, so the repair is not held open for years.
    function test_setVotingPeriod_revertsAboveBound() public {
        uint32 unitSlip = 3 * 86_400 * 1_000;
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(CoopGovernor.setVotingPeriod, (unitSlip)),
            "unit slip"
        );
        _passUntilReady(p);
        vm.expectRevert(
            abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidVotingPeriod.selector, unitSlip, 5 minutes, 30 days)
        );
        _execute(p);
        assertEq(governor.votingPeriod(), 3 * 86_400);
    }

    function test_setVotingDelay_revertsAboveBound() public {
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(CoopGovernor.setVotingDelay, (30 days + 1)),
            "far snapshot"
        );
        _passUntilReady(p);
        vm.expectRevert(
            abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidVotingDelay.selector, 30 days + 1, 30 days)
        );
        _execute(p);
    }

    function test_setLateQuorumVoteExtension_throughGovernance() public {
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(GovernorMemberCounting.setLateQuorumVoteExtension, (3_600)),
            "extension"
        );
        _passUntilReady(p);
        vm.expectEmit(address(governor));
        emit GovernorMemberCounting.LateQuorumVoteExtensionSet(86_400, 3_600);
        _execute(p);
        assertEq(governor.lateQuorumVoteExtension(), 3_600);
    }

    function test_setLateQuorumVoteExtension_revertsAboveVotingPeriod() public {
        uint48 tooLong = 3 * 86_400 + 1;
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(GovernorMemberCounting.setLateQuorumVoteExtension, (tooLong)),
            "extension too long"
        );
        _passUntilReady(p);
        vm.expectRevert(
            abi.encodeWithSelector(
                GovernorMemberCounting.GovernorMemberCountingExtensionTooLarge.selector,
                tooLong,
                3 * 86_400
            )
        );
        _execute(p);
    }

    function test_updateQuorumNumerator_appliesToLaterSnapshotsOnly() public {
        uint256 before = _propose(founders[1], _admitProposal(alice));
        uint256 beforeSnapshot = governor.proposalSnapshot(before);

        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (10)),
            "a tenth"
        );
        _passUntilReady(p);
        vm.expectEmit(address(governor));
        emit GovernorVotesQuorumFraction.QuorumNumeratorUpdated(50, 10);
        _execute(p);
        assertEq(governor.quorumNumerator(), 10);
        assertEq(governor.quorum(beforeSnapshot), 2, "a past snapshot keeps its quorum");
        skip(1);
        assertEq(governor.quorum(_now() - 1), 1);
    }

    function test_updateQuorumNumerator_revertsBelowBound() public {
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (4)),
            "almost no quorum"
        );
        _passUntilReady(p);
        vm.expectRevert(abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidQuorum.selector, 4, 5, 50));
        _execute(p);
    }

    /// @dev A quorum above half would let one absent member (of two) block every decision; 100 % lets any one.
    function test_updateQuorumNumerator_revertsAboveHalf() public {
        Proposal memory p = _proposal(
            address(governor),
            abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (100)),
            "everyone"
        );
        _passUntilReady(p);
        vm.expectRevert(abi.encodeWithSelector(CoopGovernor.CoopGovernorInvalidQuorum.selector, 100, 5, 50));
        _execute(p);
        assertEq(governor.quorumNumerator(), 50);
    }

    /// @dev At the highest quorum, the co-op decides with every member but one away.
    function test_quorum_atMostAllButOneMember() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        _vote(founders[1], proposalId, FOR);
        // founders[2] stays away.
        _warpPastDeadline(proposalId);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Succeeded));
    }

    function test_updateQuorumNumerator_revertsForNonExecutor() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, founders[0]));
        governor.updateQuorumNumerator(10);
    }

    function test_relay_revertsForNonExecutor() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorOnlyExecutor.selector, stranger));
        governor.relay(address(membership), 0, abi.encodeCall(Membership.admit, (stranger)));
    }

    // ---- the timelock keeps no back door ----

    function test_timelock_schedule_revertsForDeployer() public {
        bytes32 proposerRole = timelock.PROPOSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector,
                address(this),
                proposerRole
            )
        );
        timelock.schedule(address(membership), 0, abi.encodeCall(Membership.admit, (stranger)), 0, 0, 86_400);
    }

    function test_timelock_grantRole_revertsForDeployer() public {
        bytes32 adminRole = timelock.DEFAULT_ADMIN_ROLE();
        bytes32 proposerRole = timelock.PROPOSER_ROLE();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(this), adminRole)
        );
        timelock.grantRole(proposerRole, address(this));
    }

    function test_timelock_updateDelay_revertsForGovernor() public {
        vm.prank(address(governor));
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, address(governor))
        );
        timelock.updateDelay(0);
    }

    // ---- castVoteBySig ----

    function test_castVoteBySig_countsRelayedBallot() public {
        _admit(alice);
        skip(1);
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);

        bytes memory signature = _signBallot(aliceKey, proposalId, FOR);
        vm.prank(stranger); // the relayer pays the gas
        governor.castVoteBySig(proposalId, FOR, alice, signature);

        (, uint256 forVotes, ) = governor.proposalVotes(proposalId);
        assertEq(forVotes, 1);
        assertTrue(governor.hasVoted(proposalId, alice));
        // No nonce is written: the vote itself refuses a replay.
        assertEq(governor.nonces(alice), 0);
    }

    function test_castVoteBySig_revertsOnReplay() public {
        _admit(alice);
        skip(1);
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);
        bytes memory signature = _signBallot(aliceKey, proposalId, FOR);
        governor.castVoteBySig(proposalId, FOR, alice, signature);

        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, alice));
        governor.castVoteBySig(proposalId, FOR, alice, signature);
    }

    function test_castVoteBySig_revertsForOtherProposal() public {
        _admit(alice);
        skip(1);
        uint256 first = _propose(founders[0], _admitProposal(stranger));
        uint256 second = _propose(founders[1], _admitProposal(makeAddr("other")));
        _warpToVoting(second);

        bytes memory signature = _signBallot(aliceKey, first, FOR);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, alice));
        governor.castVoteBySig(second, FOR, alice, signature);
    }

    function test_castVoteBySig_revertsForOtherSupport() public {
        _admit(alice);
        skip(1);
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);

        bytes memory signature = _signBallot(aliceKey, proposalId, AGAINST);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, alice));
        governor.castVoteBySig(proposalId, FOR, alice, signature);
    }

    function test_castVoteBySig_revertsForOtherVoter() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);

        // A founder's ballot presented as another founder's.
        bytes memory signature = _signBallot(founderKeys[0], proposalId, FOR);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, founders[1]));
        governor.castVoteBySig(proposalId, FOR, founders[1], signature);
    }

    function test_castVoteBySig_revertsAfterDirectVote() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(stranger));
        _warpToVoting(proposalId);
        bytes memory signature = _signBallot(founderKeys[2], proposalId, AGAINST);
        _vote(founders[2], proposalId, FOR);

        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, founders[2]));
        governor.castVoteBySig(proposalId, AGAINST, founders[2], signature);
    }

    // ---- helpers ----

    function _settings() private pure returns (CoopGovernor.Settings memory) {
        return
            CoopGovernor.Settings({
                votingDelay: 3_600,
                votingPeriod: 3 * 86_400,
                lateQuorumExtension: 86_400,
                quorumPercent: 50
            });
    }
}
