// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {DataAccessRegistry} from "../../contracts/DataAccessRegistry.sol";
import {IDataAccessRegistry} from "../../contracts/interfaces/IDataAccessRegistry.sol";
import {DataTestBase} from "./DataTestBase.sol";

contract DataAccessRegistryTest is DataTestBase {
    uint64 internal constant DURATION_LIMIT = 100 * 365 days;

    // ---- the longest duration is capped, so no grant's end overflows (regression) ----

    function test_setMaxDuration_revertsAboveTheLimit() public {
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAccessRegistry.DataAccessRegistryMaxDurationTooLong.selector,
                type(uint64).max,
                DURATION_LIMIT
            )
        );
        registry.setMaxDuration(type(uint64).max);
        assertEq(registry.maxDuration(), 365 days, "unchanged");
    }

    function test_constructor_revertsAboveTheLimit() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAccessRegistry.DataAccessRegistryMaxDurationTooLong.selector,
                DURATION_LIMIT + 1,
                DURATION_LIMIT
            )
        );
        new DataAccessRegistry(address(timelock), membership, revenue, guardian, 0, DURATION_LIMIT + 1);
    }

    function test_approve_grantAtTheLimitEndsWithinRange() public {
        vm.prank(address(timelock));
        registry.setMaxDuration(DURATION_LIMIT);
        uint256 grantId = _request(partner, FEE, DURATION_LIMIT);
        _approve(grantId);

        IDataAccessRegistry.RequestView memory grant = registry.request(grantId);
        assertEq(grant.end, _now() + DURATION_LIMIT);
        assertTrue(registry.isGrantActive(grantId));
        vm.prank(guardian);
        registry.revoke(grantId, "ends too late");
        assertFalse(registry.isGrantActive(grantId));
    }

    /// @dev Whatever longest duration the co-op sets, it is either refused with the exact error or every grant
    /// within it ends at start + duration, is active until then and never after.
    function testFuzz_setMaxDuration_keepsEveryGrantEndInRange(uint64 newMax, uint64 duration, uint256 at) public {
        vm.prank(address(timelock));
        if (newMax > DURATION_LIMIT) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDataAccessRegistry.DataAccessRegistryMaxDurationTooLong.selector,
                    newMax,
                    DURATION_LIMIT
                )
            );
            registry.setMaxDuration(newMax);
            return;
        }
        registry.setMaxDuration(newMax);
        if (newMax == 0) return;
        duration = uint64(bound(duration, 1, newMax));
        uint256 grantId = _request(partner, FEE, duration);
        skip(bound(at, 0, 10 * 365 days));
        _approve(grantId);
        uint256 start = _now();

        assertEq(registry.request(grantId).end, start + duration, "end");
        assertTrue(registry.isGrantActive(grantId), "active from approval");
        vm.warp(start + duration - 1);
        assertTrue(registry.isGrantActive(grantId), "active until the end");
        vm.warp(start + duration);
        assertFalse(registry.isGrantActive(grantId), "inactive at the end");
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAccessRegistry.DataAccessRegistryGrantExpired.selector,
                grantId,
                uint64(start + duration)
            )
        );
        registry.revoke(grantId, "too late");
    }

    // ---- a grant is active only if approved by the timelock, before its end, and not revoked ----

    /// @dev A random life for one request: decided (approve, reject, withdraw, or nothing), maybe revoked, at
    /// random times. Whenever it is looked at, it is active exactly when the model says so, and once it stops
    /// being active it stays so.
    function testFuzz_isGrantActive_onlyApprovedBeforeEndAndNotRevoked(
        uint256 decision,
        uint256 revokeSeed,
        uint256 decideAfter,
        uint256 revokeAfter,
        uint256 probeSeed
    ) public {
        uint64 duration = uint64(bound(probeSeed >> 128, 1, 60 days));
        uint256 grantId = _request(partner, FEE, duration);
        assertFalse(registry.isGrantActive(grantId), "active before a decision");
        skip(bound(decideAfter, 0, 30 days));

        uint256 kind = decision % 4;
        bytes32 termsHash = registry.request(grantId).termsHash;
        if (kind == 0) {
            vm.prank(address(timelock));
            registry.approve(grantId, termsHash);
        } else if (kind == 1) {
            vm.prank(address(timelock));
            registry.reject(grantId, termsHash);
        } else if (kind == 2) {
            vm.prank(partner);
            registry.withdrawRequest(grantId);
        }
        // Nobody but the timelock approves: the partner, the guardian and a member all fail.
        address[3] memory others = [partner, guardian, founders[0]];
        for (uint256 k = 0; k < others.length; ++k) {
            vm.prank(others[k]);
            vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, others[k]));
            registry.approve(grantId, termsHash);
        }
        uint256 start = _now();
        uint256 end = start + duration;

        bool revoked;
        skip(bound(revokeAfter, 0, 90 days));
        if (kind == 0 && revokeSeed % 2 == 0 && _now() < end) {
            vm.prank(revokeSeed % 4 == 0 ? guardian : address(timelock));
            registry.revoke(grantId, "revoked");
            revoked = true;
        }
        bool everInactive;
        for (uint256 k = 0; k < 6; ++k) {
            bool expected = kind == 0 && !revoked && _now() < end;
            bool active = registry.isGrantActive(grantId);
            assertEq(active, expected, "active");
            if (everInactive) assertFalse(active, "became active again");
            if (!active) everInactive = true;
            skip(bound(probeSeed >> (k * 20), 0, 20 days));
        }
    }
}
