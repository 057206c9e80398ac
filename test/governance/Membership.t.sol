// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Membership} from "../../contracts/Membership.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {GovernanceTestBase} from "./GovernanceTestBase.sol";

contract MembershipTest is GovernanceTestBase {
    address internal alice;
    address internal bob;
    address internal stranger;

    function setUp() public override {
        super.setUp();
        alice = makeAddr("alice");
        bob = makeAddr("bob");
        stranger = makeAddr("stranger");
    }

    // ---- constructor ----

    function test_constructor_admitsFoundersWithDenseIds() public view {
        assertEq(membership.memberCount(), 3);
        assertEq(membership.lastMemberId(), 3);
        for (uint256 i = 0; i < founders.length; ++i) {
            assertEq(membership.memberIdOf(founders[i]), i + 1);
            assertEq(membership.ownerOf(i + 1), founders[i]);
            assertEq(membership.getVotes(founders[i]), 1);
            assertEq(membership.memberSince(founders[i]), START);
        }
        assertEq(membership.owner(), address(timelock));
        assertEq(membership.name(), "DataCoop");
        assertEq(membership.symbol(), "COOP");
    }

    function test_constructor_revertsOnDuplicateFounder() public {
        address[] memory twice = new address[](2);
        twice[0] = alice;
        twice[1] = alice;
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipAlreadyMember.selector, alice));
        new Membership("DataCoop", "COOP", address(timelock), twice);
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new Membership("DataCoop", "COOP", address(0), founders);
    }

    // ---- admit ----

    function test_admit_givesNextIdAndOneVote() public {
        vm.expectEmit(address(membership));
        emit IMembership.MemberAdmitted(alice, 4);
        assertEq(_admit(alice), 4);

        assertTrue(membership.isMember(alice));
        assertEq(membership.memberIdOf(alice), 4);
        assertEq(membership.ownerOf(4), alice);
        assertEq(membership.balanceOf(alice), 1);
        assertEq(membership.getVotes(alice), 1);
        assertEq(membership.delegates(alice), alice);
        assertEq(membership.memberCount(), 4);
        assertEq(membership.lastMemberId(), 4);
        assertEq(membership.memberSince(alice), _now());
    }

    function test_admit_revertsWhenCallerIsNotTimelock() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, founders[0]));
        membership.admit(alice);
    }

    function test_admit_revertsWhenAlreadyMember() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipAlreadyMember.selector, founders[1]));
        membership.admit(founders[1]);
    }

    function test_admit_revertsForZeroAddress() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidOwner.selector, address(0)));
        membership.admit(address(0));
    }

    function test_admit_returningMemberKeepsIdAndGetsNewSince() public {
        _admit(alice);
        _admit(bob);
        vm.prank(alice);
        membership.resign();
        skip(1 days);

        vm.expectEmit(address(membership));
        emit IMembership.MemberAdmitted(alice, 4);
        assertEq(_admit(alice), 4);
        assertEq(membership.lastMemberId(), 5);
        assertEq(membership.ownerOf(4), alice);
        assertEq(membership.memberSince(alice), _now());
        assertEq(membership.getVotes(alice), 1);
    }

    // ---- remove ----

    function test_remove_burnsTokenAndVote() public {
        vm.expectEmit(address(membership));
        emit IMembership.MemberLeft(founders[1], 2, false);
        _remove(founders[1]);

        assertFalse(membership.isMember(founders[1]));
        assertEq(membership.memberIdOf(founders[1]), 2);
        assertEq(membership.memberSince(founders[1]), 0);
        assertEq(membership.getVotes(founders[1]), 0);
        assertEq(membership.memberCount(), 2);
        assertEq(membership.lastMemberId(), 3);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 2));
        membership.ownerOf(2);
    }

    function test_remove_revertsWhenCallerIsNotTimelock() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, founders[0]));
        membership.remove(founders[1]);
    }

    function test_remove_revertsWhenNotMember() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNotMember.selector, stranger));
        membership.remove(stranger);
    }

    // ---- resign ----

    function test_resign_burnsOwnToken() public {
        vm.expectEmit(address(membership));
        emit IMembership.MemberLeft(founders[2], 3, true);
        vm.prank(founders[2]);
        membership.resign();

        assertFalse(membership.isMember(founders[2]));
        assertEq(membership.getVotes(founders[2]), 0);
        assertEq(membership.memberCount(), 2);
    }

    function test_resign_revertsWhenNotMember() public {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNotMember.selector, stranger));
        membership.resign();
    }

    function test_resign_revertsOnSecondResignation() public {
        vm.startPrank(founders[0]);
        membership.resign();
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNotMember.selector, founders[0]));
        membership.resign();
        vm.stopPrank();
    }

    // ---- applyForMembership ----

    function test_applyForMembership_emitsApplication() public {
        vm.expectEmit(address(membership));
        emit IMembership.MembershipApplied(stranger, "ipfs://application");
        vm.prank(stranger);
        membership.applyForMembership("ipfs://application");
        assertFalse(membership.isMember(stranger));
    }

    function test_applyForMembership_revertsForMember() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipAlreadyMember.selector, founders[0]));
        membership.applyForMembership("ipfs://again");
    }

    // ---- views ----

    function test_memberIdOf_isZeroForNeverAdmitted() public view {
        assertEq(membership.memberIdOf(stranger), 0);
        assertEq(membership.memberIdOf(address(0)), 0);
        assertEq(membership.memberSince(stranger), 0);
        assertFalse(membership.isMember(stranger));
    }

    /// @dev The interface promises a boolean for any account; relayers and the consent registry may pass the zero
    /// address (e.g. an unset field) and expect `false`, not a revert.
    function test_isMember_zeroAddressIsNotMember() public view {
        assertFalse(membership.isMember(address(0)));
    }

    function test_memberSince_zeroAddressIsZero() public view {
        assertEq(membership.memberSince(address(0)), 0);
    }

    function test_clock_isTimestamp() public view {
        assertEq(membership.clock(), _now());
        assertEq(membership.CLOCK_MODE(), "mode=timestamp");
    }

    function test_getPastVotes_followsAdmissionAndResignation() public {
        uint256 beforeAdmission = _now();
        skip(10);
        _admit(alice);
        uint256 admitted = _now();
        skip(10);
        vm.prank(alice);
        membership.resign();
        uint256 resigned = _now();
        skip(10);

        assertEq(membership.getPastVotes(alice, beforeAdmission), 0);
        assertEq(membership.getPastVotes(alice, admitted), 1);
        assertEq(membership.getPastVotes(alice, resigned - 1), 1);
        assertEq(membership.getPastVotes(alice, resigned), 0);
        assertEq(membership.getPastTotalSupply(beforeAdmission), 3);
        assertEq(membership.getPastTotalSupply(admitted), 4);
        assertEq(membership.getPastTotalSupply(resigned), 3);
    }

    function test_getPastVotes_revertsForFutureTimepoint() public {
        uint256 nowTs = _now();
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, nowTs, uint48(nowTs)));
        membership.getPastVotes(alice, nowTs);
    }

    // ---- soulbound ----

    function test_transferFrom_revertsNonTransferable() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 1));
        membership.transferFrom(founders[0], alice, 1);
    }

    function test_safeTransferFrom_revertsNonTransferable() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 1));
        membership.safeTransferFrom(founders[0], alice, 1);

        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 1));
        membership.safeTransferFrom(founders[0], alice, 1, "");
    }

    function test_transferFrom_revertsEvenForTimelock() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 2));
        membership.transferFrom(founders[1], alice, 2);
    }

    function test_approve_revertsNonTransferable() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 1));
        membership.approve(alice, 1);
    }

    function test_setApprovalForAll_revertsNonTransferable() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 0));
        membership.setApprovalForAll(alice, true);
    }

    function test_delegate_revertsDelegationDisabled() public {
        vm.prank(founders[0]);
        vm.expectRevert(IMembership.MembershipDelegationDisabled.selector);
        membership.delegate(founders[1]);
    }

    function test_delegateBySig_revertsDelegationDisabled() public {
        vm.expectRevert(IMembership.MembershipDelegationDisabled.selector);
        membership.delegateBySig(founders[1], 0, type(uint256).max, 27, bytes32(0), bytes32(0));
    }

    /// @dev As ERC721Votes with self-delegation at admission and the token burned at exit: a member delegates to
    /// themselves, anyone else to nobody.
    function test_delegates_isSelfForMembersOnly() public {
        assertEq(membership.delegates(founders[0]), founders[0]);
        assertEq(membership.delegates(stranger), address(0));
        vm.prank(founders[0]);
        membership.resign();
        assertEq(membership.delegates(founders[0]), address(0));
    }
}
