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
}
