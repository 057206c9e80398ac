// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRevenue} from "../../contracts/interfaces/IRevenue.sol";
import {SmallMerkleTree} from "../utils/SmallMerkleTree.sol";
import {DataTestBase} from "./DataTestBase.sol";

contract RevenueTest is DataTestBase {
    uint256 internal constant MAX_FEE = 1_000_000 ether;

    function _grantByUse(uint256 fee) internal returns (uint256 grantId, uint256 memberShare) {
        vm.prank(address(timelock));
        revenue.setMode(IRevenue.Mode.ByUse);
        grantId = _request(partner, fee, DURATION);
        _approve(grantId);
        memberShare = revenue.distribution(grantId).memberShare;
    }

    // ---- Merkle claims cannot exceed the grant's member share ----

    /// @dev Whatever tree the operator posts (its amounts may add up to more than the posted total), claims in any
    /// order are paid while they fit the posted total, which fits the member share; each member is paid once.
    function testFuzz_claimByUse_neverExceedsTheMemberShare(
        uint256 fee,
        uint256[4] memory amounts,
        uint256 allocated,
        uint256 order
    ) public {
        (uint256 grantId, uint256 memberShare) = _grantByUse(bound(fee, 1, MAX_FEE));
        allocated = bound(allocated, 0, memberShare);
        address[4] memory members = [founders[0], founders[1], founders[2], founders[3]];
        for (uint256 i = 0; i < 4; ++i) {
            amounts[i] = bound(amounts[i], 0, memberShare);
        }
        (bytes32 root, bytes32[][] memory proofs) = SmallMerkleTree.build(members, amounts);
        vm.prank(operator);
        revenue.postAllocation(grantId, root, allocated);
        assertEq(address(revenue).balance, allocated, "held for members");

        uint256 claimed;
        for (uint256 k = 0; k < 4; ++k) {
            uint256 i = ((order % 4) + k) % 4;
            claimed = _claimByUse(grantId, members[i], amounts[i], proofs[i], claimed, allocated);
        }
        IRevenue.Distribution memory d = revenue.distribution(grantId);
        assertEq(d.claimed, claimed, "claimed");
        assertLe(d.claimed, d.allocated, "claims within the posted total");
        assertLe(d.allocated, memberShare, "posted total within the member share");
        assertEq(address(revenue).balance, allocated - claimed, "what is left is still held");
    }

    /// @dev One member's claim: paid if it fits what is left of the posted total, refused otherwise; never twice,
    /// never for another amount. Returns the new total claimed.
    function _claimByUse(
        uint256 grantId,
        address member,
        uint256 amount,
        bytes32[] memory proof,
        uint256 claimed,
        uint256 allocated
    ) internal returns (uint256) {
        if (amount == 0) {
            // Nothing to pay: refused, so that a claim always moves money.
            vm.expectRevert(IRevenue.RevenueNothingToClaim.selector);
            revenue.claim(grantId, member, amount, proof);
            return claimed;
        }
        if (claimed + amount > allocated) {
            vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAllocationExceeded.selector, grantId, allocated));
            revenue.claim(grantId, member, amount, proof);
            return claimed;
        }
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueInvalidProof.selector, grantId, member, amount + 1));
        revenue.claim(grantId, member, amount + 1, proof);
        uint256 before = member.balance;
        revenue.claim(grantId, member, amount, proof);
        assertEq(member.balance - before, amount, "paid");
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAlreadyClaimed.selector, grantId, member));
        revenue.claim(grantId, member, amount, proof);
        return claimed + amount;
    }

    function testFuzz_postAllocation_revertsAboveTheMemberShare(uint256 fee, uint256 extra) public {
        (uint256 grantId, uint256 memberShare) = _grantByUse(bound(fee, 1, MAX_FEE));
        uint256 allocated = memberShare + bound(extra, 1, type(uint128).max);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IRevenue.RevenueAllocationTooLarge.selector, grantId, allocated, memberShare)
        );
        revenue.postAllocation(grantId, keccak256("root"), allocated);
    }

    // ---- no double claim ----

    /// @dev In the equal split every member at approval is paid once, whoever sends the claim, even after leaving
    /// and returning; nobody admitted later is paid; the members are owed exactly what was set aside for them.
    function testFuzz_claimEqualSplit_oncePerMemberAtApproval(uint256 fee, uint256 leaverSeed, bool returns_) public {
        fee = bound(fee, 1, MAX_FEE);
        uint256 grantId = _request(partner, fee, DURATION);
        _approve(grantId);
        address newcomer = makeAddr("newcomer");
        _admit(newcomer);
        address leaver = founders[leaverSeed % FOUNDERS];
        _remove(leaver);
        if (returns_) {
            skip(1);
            _admit(leaver);
        }

        IRevenue.Distribution memory d = revenue.distribution(grantId);
        assertEq(d.memberCount, FOUNDERS);
        assertEq(d.perMember * d.memberCount, d.memberShare, "members owed exactly their share");
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            address member = founders[i];
            uint256 before = member.balance;
            vm.prank(founders[(i + 1) % FOUNDERS]); // a relayer: another member
            revenue.claim(grantId, member);
            assertEq(member.balance - before, d.perMember, "paid the member");
            vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAlreadyClaimed.selector, grantId, member));
            revenue.claim(grantId, member);
            assertEq(revenue.claimableOf(grantId, member), 0);
        }
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueNotEligible.selector, grantId, newcomer));
        revenue.claim(grantId, newcomer);
        assertEq(address(revenue).balance, 0, "nothing left over");
    }

    // ---- nothing stays locked: sweeps and replaced distributions (issue 15) ----

    /// @dev Shares allocated to an address that never became a member cannot be claimed; after the claim period a
    /// vote sends them, with every other unclaimed share, back to the treasury, and the grant takes no more claims.
    function test_sweep_returnsNonMembersAndUnclaimedSharesAfterThePeriod() public {
        (uint256 grantId, uint256 memberShare) = _grantByUse(10 ether);
        address outsider = makeAddr("never a member");
        address[4] memory accounts = [founders[0], outsider, founders[1], founders[2]];
        uint256[4] memory amounts = [uint256(1 ether), 2 ether, 3 ether, 0];
        (bytes32 root, bytes32[][] memory proofs) = SmallMerkleTree.build(accounts, amounts);
        vm.prank(operator);
        revenue.postAllocation(grantId, root, 6 ether);

        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueNotMember.selector, outsider));
        revenue.claim(grantId, outsider, 2 ether, proofs[1]);
        revenue.claim(grantId, founders[0], 1 ether, proofs[0]);

        uint256 openAt = revenue.sweepableAt(grantId);
        assertEq(openAt, _now() + 365 days - 1 + 1, "approval plus the claim period");
        vm.warp(openAt - 1);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueClaimPeriodNotOver.selector, grantId, openAt));
        revenue.sweep(grantId);

        vm.warp(openAt);
        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        vm.expectEmit(address(revenue));
        emit IRevenue.Swept(grantId, 5 ether);
        assertEq(revenue.sweep(grantId), 5 ether);
        assertEq(address(timelock).balance - before, 5 ether, "back to the treasury");
        assertEq(address(revenue).balance, 0, "nothing locked");

        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueClosed.selector, grantId));
        revenue.claim(grantId, founders[1], 3 ether, proofs[2]);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueClosed.selector, grantId));
        revenue.sweep(grantId);

        IRevenue.Distribution memory d = revenue.distribution(grantId);
        assertTrue(d.closed);
        assertEq(d.swept, 5 ether);
        assertEq(d.claims, 1);
        _assertAccounted(5 ether);
        assertEq(memberShare, 9 ether);
    }

    function test_sweep_equalSplitReturnsOnlyWhatWasNotClaimed() public {
        uint256 grantId = _request(partner, 10 ether, DURATION);
        _approve(grantId);
        revenue.claim(grantId, founders[0]);
        revenue.claim(grantId, founders[1]);
        IRevenue.Distribution memory d = revenue.distribution(grantId);
        vm.warp(revenue.sweepableAt(grantId));
        vm.prank(address(timelock));
        assertEq(revenue.sweep(grantId), d.perMember * 3);
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueClosed.selector, grantId));
        revenue.claim(grantId, founders[2]);
        assertEq(revenue.claimableOf(grantId, founders[2]), 0);
    }

    /// @dev An operator that never posts: the whole member share comes back after the period.
    function test_sweep_byUseWithoutAllocations() public {
        (uint256 grantId, uint256 memberShare) = _grantByUse(10 ether);
        vm.warp(revenue.sweepableAt(grantId));
        vm.prank(address(timelock));
        assertEq(revenue.sweep(grantId), memberShare);
        (, , , , uint256 awaiting, ) = revenue.totals();
        assertEq(awaiting, 0);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueClosed.selector, grantId));
        revenue.postAllocation(grantId, keccak256("late"), 0);
    }

    function test_sweep_revertsForAnyoneButTheTimelock() public {
        uint256 grantId = _request(partner, 10 ether, DURATION);
        _approve(grantId);
        vm.warp(revenue.sweepableAt(grantId));
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSignature("OwnableUnauthorizedAccount(address)", operator));
        revenue.sweep(grantId);
    }

    function test_setClaimPeriod_bounded() public {
        uint48[2] memory wrong = [uint48(30 days - 1), uint48(3_650 days + 1)];
        for (uint256 i = 0; i < 2; ++i) {
            vm.prank(address(timelock));
            vm.expectRevert(
                abi.encodeWithSelector(IRevenue.RevenueInvalidClaimPeriod.selector, wrong[i], 30 days, 3_650 days)
            );
            revenue.setClaimPeriod(wrong[i]);
        }
        vm.prank(address(timelock));
        vm.expectEmit(address(revenue));
        emit IRevenue.ClaimPeriodSet(365 days, 30 days);
        revenue.setClaimPeriod(30 days);
        assertEq(revenue.claimPeriod(), 30 days);
    }

    /// @dev A wrong root is corrected by a vote before anyone claims: less goes back to the treasury, more comes
    /// from it with the call; after the first claim, the distribution stands.
    function test_replaceAllocation_beforeTheFirstClaimOnly() public {
        (uint256 grantId, uint256 memberShare) = _grantByUse(10 ether);
        address[4] memory accounts = [founders[0], founders[1], founders[2], founders[3]];
        uint256[4] memory wrongAmounts = [uint256(1 ether), 0, 0, 0];
        (bytes32 wrongRoot, ) = SmallMerkleTree.build(accounts, wrongAmounts);
        vm.prank(operator);
        revenue.postAllocation(grantId, wrongRoot, 1 ether);

        uint256[4] memory amounts = [uint256(2 ether), 2 ether, 2 ether, 2 ether];
        (bytes32 root, bytes32[][] memory proofs) = SmallMerkleTree.build(accounts, amounts);
        vm.deal(address(timelock), 100 ether);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueWrongTopUp.selector, 7 ether, 0));
        revenue.replaceAllocation(grantId, root, 8 ether);

        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        vm.expectEmit(address(revenue));
        emit IRevenue.AllocationReplaced(grantId, wrongRoot, 1 ether, root, 8 ether, 7 ether, 0);
        revenue.replaceAllocation{value: 7 ether}(grantId, root, 8 ether);
        assertEq(before - address(timelock).balance, 7 ether, "topped up from the treasury");
        assertEq(address(revenue).balance, 8 ether);
        assertLe(8 ether, memberShare);

        revenue.claim(grantId, founders[0], 2 ether, proofs[0]);
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAllocationClaimed.selector, grantId, 2 ether));
        revenue.replaceAllocation(grantId, wrongRoot, 1 ether);

        (uint256 deposited, uint256 toTreasury, uint256 claimed, uint256 claimable, uint256 awaiting, ) = revenue
            .totals();
        assertEq(deposited, toTreasury + claimed + claimable + awaiting, "every wei accounted for");
        assertEq(claimable, 6 ether);
    }

    function test_replaceAllocation_smallerSendsTheDifferenceToTheTreasury() public {
        (uint256 grantId, ) = _grantByUse(10 ether);
        vm.prank(operator);
        revenue.postAllocation(grantId, keccak256("too generous"), 5 ether);
        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        revenue.replaceAllocation(grantId, keccak256("right"), 2 ether);
        assertEq(address(timelock).balance - before, 3 ether);
        assertEq(address(revenue).balance, 2 ether);
    }

    // ---- several grants in one claim ----

    function test_claimMany_paysEqualSharesAndAllocationsInOneTransfer() public {
        uint256 first = _request(partner, 10 ether, DURATION);
        _approve(first);
        uint256 second = _request(partner, 20 ether, DURATION);
        _approve(second);
        (uint256 third, ) = _grantByUse(10 ether);
        address[4] memory accounts = [founders[0], founders[1], founders[2], founders[3]];
        uint256[4] memory amounts = [uint256(1 ether), 1 ether, 1 ether, 1 ether];
        (bytes32 root, bytes32[][] memory proofs) = SmallMerkleTree.build(accounts, amounts);
        vm.prank(operator);
        revenue.postAllocation(third, root, 4 ether);

        uint256[] memory equal = new uint256[](2);
        equal[0] = first;
        equal[1] = second;
        IRevenue.Allocation[] memory allocations = new IRevenue.Allocation[](1);
        allocations[0] = IRevenue.Allocation(third, 1 ether, proofs[0]);
        uint256 expected = revenue.distribution(first).perMember + revenue.distribution(second).perMember + 1 ether;
        address member = founders[0];
        uint256 before = member.balance;
        vm.prank(makeAddr("relayer"));
        assertEq(revenue.claimMany(member, equal, allocations), expected);
        assertEq(member.balance - before, expected, "paid to the member");
        assertTrue(revenue.isClaimed(first, member) && revenue.isClaimed(second, member));
        assertTrue(revenue.isClaimed(third, member));

        // Any claim already made refuses the whole call.
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAlreadyClaimed.selector, first, member));
        revenue.claimMany(member, equal, new IRevenue.Allocation[](0));
        vm.expectRevert(IRevenue.RevenueNothingToClaim.selector);
        revenue.claimMany(member, new uint256[](0), new IRevenue.Allocation[](0));
    }

    /// @dev The same grant twice in one call is paid once.
    function test_claimMany_revertsOnAGrantNamedTwice() public {
        uint256 grantId = _request(partner, 10 ether, DURATION);
        _approve(grantId);
        uint256[] memory twice = new uint256[](2);
        twice[0] = grantId;
        twice[1] = grantId;
        vm.expectRevert(abi.encodeWithSelector(IRevenue.RevenueAlreadyClaimed.selector, grantId, founders[0]));
        revenue.claimMany(founders[0], twice, new IRevenue.Allocation[](0));
        assertFalse(revenue.isClaimed(grantId, founders[0]));
    }

    /// @dev Every wei received is with the treasury, paid to members, owed to them or awaiting allocation.
    function _assertAccounted(uint256 expectedSwept) internal view {
        (
            uint256 deposited,
            uint256 toTreasury,
            uint256 claimed,
            uint256 claimable,
            uint256 awaiting,
            uint256 swept
        ) = revenue.totals();
        assertEq(deposited, toTreasury + claimed + claimable + awaiting, "every wei accounted for");
        assertEq(swept, expectedSwept, "swept");
        assertEq(address(revenue).balance, claimable + awaiting, "held what is owed");
    }
}
