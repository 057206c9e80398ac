// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {GovernanceTestBase} from "./GovernanceTestBase.sol";

contract GovernanceFuzzTest is GovernanceTestBase {
    uint256 internal constant ACTORS = 8;
    uint256 internal constant STEPS = 40;

    enum Op {
        Admit,
        Resign,
        Remove
    }

    /// @dev What a random membership sequence left behind, step by step.
    struct History {
        uint256[] times; // when step k happened
        uint256[] memberMasks; // bit i set: actors[i] was a member after step k
        uint256[] ids; // member number the model gave actors[i] (0: never admitted)
        uint256 lastId;
    }

    address[] internal actors;

    function setUp() public override {
        super.setUp();
        for (uint256 i = 0; i < ACTORS; ++i) {
            actors.push(makeAddr(string.concat("actor", Strings.toString(i))));
        }
    }

    // ---- membership sequences ----

    /// @dev After every admit / resign / remove: at most one token per address, each token where it was minted,
    /// member numbers dense (1..lastMemberId), given once per address and never changed, and a failing step
    /// fails with the exact error.
    function testFuzz_membershipSequence_keepsOneTokenPerAddressAndPermanentIds(uint256 seed) public {
        History memory h = _runSequence(seed);
        assertEq(membership.lastMemberId(), h.lastId);

        uint256 holders;
        for (uint256 i = 0; i < ACTORS; ++i) {
            if (h.ids[i] != 0) ++holders;
        }
        assertEq(h.lastId, holders + founders.length, "one number per admitted address, none skipped");
    }

    /// @dev A member's past votes are 0 or 1 at every timepoint, match the membership then, and the past total
    /// supply is the member count then.
    function testFuzz_getPastVotes_isZeroOrOneAtEveryTimepoint(uint256 seed, uint256 probe) public {
        History memory h = _runSequence(seed);
        skip(1);

        for (uint256 k = 0; k < h.times.length; ++k) {
            // Of several steps in one second, the checkpoint keeps the last.
            if (k + 1 < h.times.length && h.times[k + 1] == h.times[k]) continue;
            _assertPastMembership(h.times[k], h.memberMasks[k]);
        }
        // Between steps: the last step at or before the probe decides.
        uint256 t = bound(probe, START, _now() - 1);
        uint256 mask = 0;
        for (uint256 k = 0; k < h.times.length && h.times[k] <= t; ++k) {
            mask = h.memberMasks[k];
        }
        _assertPastMembership(t, mask);
    }

    // ---- quorum ----

    /// @dev Quorum is ceil(members at snapshot × percent / 100), whatever happens to membership afterwards, and a
    /// proposal with only For votes passes exactly when they reach it.
    function testFuzz_quorum_isCeilOfShareOfMembersAtSnapshot(
        uint256 memberCount,
        uint256 percent,
        uint256 joinersAfter,
        uint256 forVotes
    ) public {
        memberCount = bound(memberCount, 1, 40);
        percent = bound(percent, 5, 50);
        joinersAfter = bound(joinersAfter, 0, 5);
        forVotes = bound(forVotes, 0, memberCount);
        _redeploy(memberCount, percent);

        uint256 proposalId = _propose(founders[0], _admitProposal(makeAddr("applicant")));
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        _warpToVoting(proposalId);
        // Membership changes after the snapshot must not matter.
        for (uint256 i = 0; i < joinersAfter; ++i) {
            _admit(makeAddr(string.concat("late", Strings.toString(i))));
        }
        if (memberCount > 1) _remove(founders[memberCount - 1]);

        uint256 expected = (memberCount * percent + 99) / 100;
        assertEq(governor.quorum(snapshot), expected, "quorum at snapshot");

        for (uint256 i = 0; i < forVotes; ++i) {
            _vote(founders[i], proposalId, FOR);
        }
        _warpPastDeadline(proposalId);
        bool passes = forVotes >= expected && forVotes > 0;
        assertEq(
            _state(proposalId),
            uint256(passes ? IGovernor.ProposalState.Succeeded : IGovernor.ProposalState.Defeated),
            "outcome"
        );
    }

    /// @dev A proposal that lost stays lost when governance later lowers (or raises) the quorum: the quorum of a
    /// past snapshot is fixed.
    function testFuzz_updateQuorumNumerator_doesNotReviveDefeated(
        uint256 memberCount,
        uint256 percent,
        uint256 newPercent,
        uint256 forVotes
    ) public {
        memberCount = bound(memberCount, 1, 20);
        percent = bound(percent, 5, 50);
        newPercent = bound(newPercent, 5, 50);
        _redeploy(memberCount, percent);

        uint256 quorumThen = (memberCount * percent + 99) / 100;
        // Short of quorum (and with no vote at all when one vote would be enough).
        forVotes = bound(forVotes, 0, quorumThen - 1);

        Proposal memory lost = _admitProposal(makeAddr("applicant"));
        uint256 lostId = _propose(founders[0], lost);
        _warpToVoting(lostId);
        for (uint256 i = 0; i < forVotes; ++i) {
            _vote(founders[i], lostId, FOR);
        }
        _warpPastDeadline(lostId);
        assertEq(_state(lostId), uint256(IGovernor.ProposalState.Defeated));

        _passAndExecute(
            _proposal(
                address(governor),
                abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (newPercent)),
                "change quorum"
            )
        );
        assertEq(governor.quorumNumerator(), newPercent);
        assertEq(governor.quorum(governor.proposalSnapshot(lostId)), quorumThen, "past quorum unchanged");
        assertEq(_state(lostId), uint256(IGovernor.ProposalState.Defeated), "still defeated");

        vm.expectRevert(
            abi.encodeWithSelector(
                IGovernor.GovernorUnexpectedProposalState.selector,
                lostId,
                IGovernor.ProposalState.Defeated,
                _stateBitmap(IGovernor.ProposalState.Succeeded)
            )
        );
        _queue(lost);
    }

    // ---- votes by signature ----

    /// @dev A ballot signed by any key counts once for the proposal it names, and nowhere else.
    function testFuzz_castVoteBySig_acceptedOnceForItsProposalOnly(uint256 privateKey, uint256 support) public {
        privateKey = bound(privateKey, 1, SECP256K1_N - 1);
        support = bound(support, 0, 2);
        address voter = vm.addr(privateKey);
        vm.assume(voter.code.length == 0 && !membership.isMember(voter));
        _admit(voter);
        skip(1);

        uint256 signed = _propose(founders[0], _admitProposal(makeAddr("first")));
        uint256 other = _propose(founders[1], _admitProposal(makeAddr("second")));
        _warpToVoting(other);
        bytes memory signature = _signBallot(privateKey, signed, uint8(support));
        bytes memory invalid = abi.encodeWithSelector(IGovernor.GovernorInvalidSignature.selector, voter);

        vm.expectRevert(invalid);
        governor.castVoteBySig(other, uint8(support), voter, signature);

        assertEq(governor.castVoteBySig(signed, uint8(support), voter, signature), 1);
        _assertSingleBallot(signed, support);

        // Replayed, it meets the vote already cast: no nonce is needed to refuse it.
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voter));
        governor.castVoteBySig(signed, uint8(support), voter, signature);
        vm.expectRevert(invalid);
        governor.castVoteBySig(other, uint8(support), voter, signature);
        vm.prank(voter);
        vm.expectRevert(abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voter));
        governor.castVote(signed, uint8(support));

        // A ballot for the other proposal still counts.
        assertFalse(governor.hasVoted(other, voter));
        governor.castVoteBySig(other, uint8(support), voter, _signBallot(privateKey, other, uint8(support)));
        assertTrue(governor.hasVoted(other, voter));
    }

    // ---- helpers ----

    function _assertSingleBallot(uint256 proposalId, uint256 support) private view {
        (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) = governor.proposalVotes(proposalId);
        assertEq(againstVotes + forVotes + abstainVotes, 1, "one ballot counted");
        assertEq([againstVotes, forVotes, abstainVotes][support], 1, "counted as signed");
    }

    /// @dev Replaces the co-op with one of `memberCount` founders and the given quorum.
    function _redeploy(uint256 memberCount, uint256 percent) private {
        delete founders;
        delete founderKeys;
        for (uint256 i = 0; i < memberCount; ++i) {
            uint256 key = 1_000 + i;
            founders.push(vm.addr(key));
            founderKeys.push(key);
        }
        CoopConfig memory config_ = _defaultConfig(founders);
        config_.quorumPercent = percent;
        _deploy(config_);
        skip(1);
    }

    /// @dev Plays STEPS random admit / resign / remove steps over the actors, checking each against a model.
    function _runSequence(uint256 seed) private returns (History memory h) {
        h.times = new uint256[](STEPS);
        h.memberMasks = new uint256[](STEPS);
        h.ids = new uint256[](ACTORS);
        h.lastId = founders.length;
        uint256 mask = 0;

        for (uint256 k = 0; k < STEPS; ++k) {
            uint256 r = uint256(keccak256(abi.encode(seed, k)));
            // Several steps may share a timestamp: then the last one is what checkpoints keep.
            skip(r % 3 == 0 ? 0 : (r >> 8) % 1 days);
            uint256 i = (r >> 64) % ACTORS;
            address who = actors[i];
            bool member = mask & (1 << i) != 0;
            Op op = Op((r >> 128) % 3);

            if (op == Op.Admit) {
                if (member) {
                    vm.prank(address(timelock));
                    vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipAlreadyMember.selector, who));
                    membership.admit(who);
                } else {
                    if (h.ids[i] == 0) h.ids[i] = ++h.lastId;
                    assertEq(_admit(who), h.ids[i], "a returning member gets the same number");
                    mask |= 1 << i;
                }
            } else {
                vm.prank(op == Op.Resign ? who : address(timelock));
                if (!member) vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNotMember.selector, who));
                if (op == Op.Resign) membership.resign();
                else membership.remove(who);
                mask &= ~(1 << i);
            }

            h.times[k] = _now();
            h.memberMasks[k] = mask;
            _assertCurrentMembership(h, mask);
        }
    }

    function _assertCurrentMembership(History memory h, uint256 mask) private view {
        uint256 count = founders.length;
        for (uint256 i = 0; i < ACTORS; ++i) {
            address who = actors[i];
            bool member = mask & (1 << i) != 0;
            if (member) ++count;
            assertEq(membership.balanceOf(who), member ? 1 : 0, "one token at most");
            assertEq(membership.getVotes(who), member ? 1 : 0, "one vote at most");
            assertEq(membership.isMember(who), member);
            assertEq(membership.memberIdOf(who), h.ids[i], "member number kept for life");
            if (h.ids[i] == 0) continue;
            if (member) {
                assertEq(membership.ownerOf(h.ids[i]), who, "token stays with its member");
            } else {
                try membership.ownerOf(h.ids[i]) returns (address owner) {
                    fail(string.concat("burned token has owner ", Strings.toHexString(owner)));
                } catch (bytes memory reason) {
                    assertEq(
                        keccak256(reason),
                        keccak256(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, h.ids[i]))
                    );
                }
            }
        }
        assertEq(membership.memberCount(), count, "member count");
        assertEq(membership.lastMemberId(), h.lastId, "ids are dense");
    }

    function _assertPastMembership(uint256 timepoint, uint256 mask) private view {
        uint256 count = founders.length;
        for (uint256 i = 0; i < ACTORS; ++i) {
            uint256 votes = membership.getPastVotes(actors[i], timepoint);
            assertLe(votes, 1, "past votes at most one");
            bool member = mask & (1 << i) != 0;
            assertEq(votes, member ? 1 : 0, "past votes follow membership");
            if (member) ++count;
        }
        assertEq(membership.getPastTotalSupply(timepoint), count, "past member count");
    }
}
