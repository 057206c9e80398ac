// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {CoopGovernor} from "../../contracts/CoopGovernor.sol";
import {CoopTimelock} from "../../contracts/CoopTimelock.sol";
import {GovernorMemberCounting} from "../../contracts/governance/GovernorMemberCounting.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {GovernanceTestBase} from "./GovernanceTestBase.sol";

/// @notice What standard tooling (Tally and other ERC-5805 / IGovernor indexers) relies on, the bounds of the
/// timelock, and proposals signed by members and sent by a relayer.
contract GovernorStandardsTest is GovernanceTestBase {
    address internal alice;
    uint256 internal aliceKey;
    address internal relayer;

    function setUp() public override {
        super.setUp();
        (alice, aliceKey) = makeAccount("alice");
        relayer = makeAddr("relayer");
    }

    // ---- sequential proposal ids ----

    function test_propose_numbersProposalsFromOne() public {
        Proposal memory first = _admitProposal(alice);
        Proposal memory second = _admitProposal(relayer);
        assertEq(_propose(founders[0], first), 1);
        assertEq(_propose(founders[1], second), 2);
        assertEq(_id(first), 1, "getProposalId names the stored number");
        assertEq(_id(second), 2);
        assertEq(governor.latestProposalId(), 2);
        assertEq(governor.proposalProposer(2), founders[1]);
    }

    function test_propose_sameCallsWithAnotherDescriptionGetTheNextNumber() public {
        Proposal memory p = _admitProposal(alice);
        assertEq(_propose(founders[0], p), 1);
        p.description = "Admit alice, second try";
        assertEq(_propose(founders[0], p), 2);
    }

    // ---- events in OpenZeppelin's order ----

    /// @dev GovernorPreventLateQuorum emits `ProposalExtended` from `_tallyUpdated`, after `VoteCast`.
    function test_castVote_emitsVoteCastBeforeProposalExtended() public {
        uint256 proposalId = _propose(founders[0], _admitProposal(alice));
        _warpToVoting(proposalId);
        _vote(founders[0], proposalId, FOR);
        uint256 lateAt = governor.proposalDeadline(proposalId) - 10;
        vm.warp(lateAt);
        uint64 extended = uint64(lateAt + governor.lateQuorumVoteExtension());

        vm.expectEmit(address(governor));
        emit IGovernor.VoteCast(founders[1], proposalId, FOR, 1, "");
        vm.expectEmit(address(governor));
        emit GovernorMemberCounting.ProposalExtended(proposalId, extended);
        _vote(founders[1], proposalId, FOR);
        assertEq(governor.proposalDeadline(proposalId), extended);
    }

    // ---- ERC-5805 delegation events ----

    function test_admit_emitsSelfDelegation() public {
        vm.expectEmit(address(membership));
        emit IERC721.Transfer(address(0), alice, 4);
        vm.expectEmit(address(membership));
        emit IVotes.DelegateChanged(alice, address(0), alice);
        vm.expectEmit(address(membership));
        emit IVotes.DelegateVotesChanged(alice, 0, 1);
        vm.expectEmit(address(membership));
        emit IMembership.MemberAdmitted(alice, 4);
        _admit(alice);
        assertEq(membership.delegates(alice), alice);
    }

    function test_resign_emitsDelegationEnded() public {
        vm.expectEmit(address(membership));
        emit IERC721.Transfer(founders[1], address(0), 2);
        vm.expectEmit(address(membership));
        emit IVotes.DelegateChanged(founders[1], founders[1], address(0));
        vm.expectEmit(address(membership));
        emit IVotes.DelegateVotesChanged(founders[1], 1, 0);
        vm.expectEmit(address(membership));
        emit IMembership.MemberLeft(founders[1], 2, true);
        vm.prank(founders[1]);
        membership.resign();
        assertEq(membership.delegates(founders[1]), address(0));
    }

    function test_remove_emitsDelegationEnded() public {
        vm.expectEmit(address(membership));
        emit IVotes.DelegateChanged(founders[2], founders[2], address(0));
        _remove(founders[2]);
    }

    // ---- ERC-165 ----

    function test_supportsInterface_governorAndMembership() public view {
        assertTrue(governor.supportsInterface(type(IGovernor).interfaceId), "IGovernor");
        assertTrue(governor.supportsInterface(type(IERC165).interfaceId), "ERC-165 on the governor");
        assertFalse(governor.supportsInterface(0xffffffff));
        assertTrue(membership.supportsInterface(type(IERC721).interfaceId), "ERC-721");
        assertTrue(membership.supportsInterface(type(IERC165).interfaceId), "ERC-165 on the membership");
        assertFalse(membership.supportsInterface(0xffffffff));
    }

    // ---- timelock delay bounds ----

    function test_timelock_constructor_revertsOnDelayOutOfBounds() public {
        uint256[3] memory delays = [uint256(0), 1 minutes - 1, 30 days + 1];
        for (uint256 i = 0; i < delays.length; ++i) {
            vm.expectRevert(
                abi.encodeWithSelector(CoopTimelock.CoopTimelockInvalidDelay.selector, delays[i], 1 minutes, 30 days)
            );
            new CoopTimelock(delays[i], new address[](0), new address[](0), address(this));
        }
    }

    function test_timelock_updateDelay_revertsAboveBound() public {
        Proposal memory p = _proposal(
            address(timelock),
            abi.encodeCall(TimelockController.updateDelay, (86_400 * 1_000)),
            "a day in milliseconds"
        );
        _passUntilReady(p);
        // The timelock reverts with its own error; TimelockController reports the failed call as such.
        vm.expectRevert(
            abi.encodeWithSelector(CoopTimelock.CoopTimelockInvalidDelay.selector, 86_400 * 1_000, 1 minutes, 30 days)
        );
        _execute(p);
        assertEq(timelock.getMinDelay(), 86_400);
    }

    function test_timelock_updateDelay_withinBoundsThroughGovernance() public {
        _passAndExecute(
            _proposal(address(timelock), abi.encodeCall(TimelockController.updateDelay, (2 days)), "two days")
        );
        assertEq(timelock.getMinDelay(), 2 days);
    }

    // ---- proposeBySig ----

    function test_proposeBySig_recordsTheSignerAsProposer() public {
        _admit(alice);
        skip(1);
        Proposal memory p = _admitProposal(relayer);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signProposal(aliceKey, p, alice, deadline);

        vm.prank(relayer);
        uint256 proposalId = governor.proposeBySig(
            p.targets,
            p.values,
            p.calldatas,
            p.description,
            alice,
            deadline,
            signature
        );
        assertEq(proposalId, 1);
        assertEq(governor.proposalProposer(proposalId), alice);
        assertEq(_state(proposalId), uint256(IGovernor.ProposalState.Pending));
    }

    function test_proposeBySig_revertsOnReplay() public {
        Proposal memory p = _admitProposal(alice);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signProposal(founderKeys[0], p, founders[0], deadline);
        uint256 proposalId = governor.proposeBySig(
            p.targets,
            p.values,
            p.calldatas,
            p.description,
            founders[0],
            deadline,
            signature
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                proposalId,
                IGovernor.ProposalState.Pending,
                bytes32(0)
            )
        );
        governor.proposeBySig(p.targets, p.values, p.calldatas, p.description, founders[0], deadline, signature);
        assertEq(governor.latestProposalId(), 1, "no second proposal");
    }

    function test_proposeBySig_revertsWhenExpired() public {
        Proposal memory p = _admitProposal(alice);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signProposal(founderKeys[0], p, founders[0], deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(CoopGovernor.CoopGovernorExpiredSignature.selector, deadline));
        governor.proposeBySig(p.targets, p.values, p.calldatas, p.description, founders[0], deadline, signature);
    }

    function test_proposeBySig_revertsForAnotherSigner() public {
        Proposal memory p = _admitProposal(alice);
        uint256 deadline = _now() + 1 hours;
        // founder 1's signature presented as founder 0's proposal.
        bytes memory signature = _signProposal(founderKeys[1], p, founders[0], deadline);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, founders[0]));
        governor.proposeBySig(p.targets, p.values, p.calldatas, p.description, founders[0], deadline, signature);
    }

    function test_proposeBySig_revertsForAlteredCalls() public {
        Proposal memory p = _admitProposal(alice);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signProposal(founderKeys[0], p, founders[0], deadline);
        // The relayer swaps the admitted account.
        Proposal memory altered = _admitProposal(relayer);
        altered.description = p.description;
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, founders[0]));
        governor.proposeBySig(
            altered.targets,
            altered.values,
            altered.calldatas,
            altered.description,
            founders[0],
            deadline,
            signature
        );
    }

    function test_proposeBySig_revertsForNonMember() public {
        Proposal memory p = _admitProposal(alice);
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signProposal(aliceKey, p, alice, deadline);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, alice, 0, 1));
        governor.proposeBySig(p.targets, p.values, p.calldatas, p.description, alice, deadline, signature);
    }

    /// @dev A description ending in `#proposer=<address>` is that address's alone: signed by another member, refused.
    function test_proposeBySig_keepsFrontRunningProtection() public {
        Proposal memory p = _admitProposal(alice);
        p.description = string.concat("Admit alice#proposer=", Strings.toHexString(founders[0]));
        uint256 deadline = _now() + 1 hours;

        bytes memory byOther = _signProposal(founderKeys[1], p, founders[1], deadline);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorRestrictedProposer.selector, founders[1]));
        governor.proposeBySig(p.targets, p.values, p.calldatas, p.description, founders[1], deadline, byOther);

        // Nobody else may take it directly either.
        vm.prank(founders[2]);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorRestrictedProposer.selector, founders[2]));
        governor.propose(p.targets, p.values, p.calldatas, p.description);

        bytes memory byOwner = _signProposal(founderKeys[0], p, founders[0], deadline);
        uint256 proposalId = governor.proposeBySig(
            p.targets,
            p.values,
            p.calldatas,
            p.description,
            founders[0],
            deadline,
            byOwner
        );
        assertEq(governor.proposalProposer(proposalId), founders[0]);
    }

    // ---- helpers ----

    function _signProposal(
        uint256 key,
        Proposal memory p,
        address proposer,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32[] memory calldataHashes = new bytes32[](p.calldatas.length);
        for (uint256 i = 0; i < p.calldatas.length; ++i) {
            calldataHashes[i] = keccak256(p.calldatas[i]);
        }
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256(
                    "Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,"
                    "uint256 deadline)"
                ),
                proposer,
                keccak256(abi.encodePacked(p.targets)),
                keccak256(abi.encodePacked(p.values)),
                keccak256(abi.encodePacked(calldataHashes)),
                keccak256(bytes(p.description)),
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _typedDataDigest(governor, structHash));
        return abi.encodePacked(r, s, v);
    }
}
