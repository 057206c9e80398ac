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
        new DataAccessRegistry(
            address(timelock),
            membership,
            revenue,
            guardian,
            0,
            DURATION_LIMIT + 1,
            1_000_000,
            30 days
        );
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

    // ---- members cannot be partners, also at approval (issue 15) ----

    /// @dev Resign, request as a partner, be re-admitted, vote the request through: the approval is refused.
    function test_approve_revertsWhenThePartnerBecameAMember() public {
        address alice = founders[0];
        vm.prank(alice);
        membership.resign();
        uint256 requestId = _request(alice, FEE, DURATION);
        _admit(alice);
        bytes32 termsHash = registry.request(requestId).termsHash;
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryPartnerIsMember.selector, requestId, alice)
        );
        registry.approve(requestId, termsHash);
        // The co-op can still refuse it, and the fee goes back.
        vm.prank(address(timelock));
        registry.reject(requestId, termsHash);
        assertEq(registry.refundOf(alice), FEE);
    }

    function test_requestAccess_revertsForAMember() public {
        vm.deal(founders[0], FEE);
        vm.prank(founders[0]);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryMemberCannotRequest.selector, founders[0])
        );
        registry.requestAccess{value: FEE}(1, ACADEMIC, _scope(), DURATION, TERMS_URI, PARTNER_NAME);
    }

    // ---- the partner's name ----

    function test_requestAccess_recordsThePartnersName() public {
        uint256 requestId = _request(partner, FEE, DURATION);
        IDataAccessRegistry.RequestView memory r = registry.request(requestId);
        assertEq(r.partnerName, PARTNER_NAME);
        assertFalse(r.forMembers);
    }

    function testFuzz_requestAccess_revertsOnANameOutOfBounds(uint256 length) public {
        length = length % 2 == 0 ? 0 : bound(length, 65, 1_000);
        bytes memory name = new bytes(length);
        for (uint256 i = 0; i < length; ++i) name[i] = "a";
        vm.deal(partner, FEE);
        vm.prank(partner);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryInvalidPartnerName.selector, length, 64)
        );
        registry.requestAccess{value: FEE}(1, ACADEMIC, _scope(), DURATION, TERMS_URI, string(name));
    }

    /// @dev The name is part of the terms the vote binds to.
    function test_termsHash_bindsTheNameAndExactMode() public {
        uint256 first = _request(partner, FEE, DURATION);
        vm.deal(partner, FEE);
        vm.prank(partner);
        uint256 second = registry.requestAccess{value: FEE}(1, ACADEMIC, _scope(), DURATION, TERMS_URI, "Other name");
        IDataAccessRegistry.Scope memory exact = _scope();
        exact.exactTabulations = keccak256("tabulations");
        vm.deal(partner, FEE);
        vm.prank(partner);
        uint256 third = registry.requestAccess{value: FEE}(1, ACADEMIC, exact, DURATION, TERMS_URI, PARTNER_NAME);
        bytes32 h1 = registry.request(first).termsHash;
        bytes32 h2 = registry.request(second).termsHash;
        bytes32 h3 = registry.request(third).termsHash;
        // Recomputed for the first request id, only the name differing: different.
        assertTrue(h1 != h2 && h1 != h3 && h2 != h3);
        assertEq(registry.request(third).scope.exactTabulations, keccak256("tabulations"));
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryTermsMismatch.selector, third, h3, h1)
        );
        registry.approve(third, h1);
    }

    // ---- exact mode ----

    function test_requestAccess_revertsOnExactRows() public {
        IDataAccessRegistry.Scope memory scope = IDataAccessRegistry.Scope({
            fieldMask: 3,
            rowLevel: true,
            minCohort: 5,
            exactTabulations: keccak256("tabulations")
        });
        vm.deal(partner, FEE);
        vm.prank(partner);
        vm.expectRevert(IDataAccessRegistry.DataAccessRegistryExactModeNeedsAggregates.selector);
        registry.requestAccess{value: FEE}(1, ACADEMIC, scope, DURATION, TERMS_URI, PARTNER_NAME);
    }

    // ---- a grant to the members ----

    function test_grantToMembers_activeAtOnceWithNoFee() public {
        IDataAccessRegistry.Scope memory scope = _scope();
        vm.prank(address(timelock));
        vm.expectEmit(address(registry));
        emit IDataAccessRegistry.GrantedToMembers(1);
        uint256 grantId = registry.grantToMembers(1, 2, scope, DURATION, TERMS_URI);
        assertEq(grantId, 1);
        IDataAccessRegistry.RequestView memory g = registry.request(grantId);
        assertTrue(g.forMembers);
        assertEq(g.partner, address(timelock));
        assertEq(g.partnerName, "Members of the co-op");
        assertEq(g.fee, 0);
        assertEq(uint8(g.status), uint8(IDataAccessRegistry.Status.Approved));
        assertEq(g.end, _now() + DURATION);
        assertTrue(registry.isGrantActive(grantId));
        assertEq(registry.grantsOf(address(timelock))[0], grantId);
        assertEq(revenue.distribution(grantId).snapshot, 0, "no deposit");
        // The next partner request takes the next id.
        assertEq(_request(partner, FEE, DURATION), 2);
    }

    function test_grantToMembers_onlyTheTimelock() public {
        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, founders[0]));
        registry.grantToMembers(1, 2, _scope(), DURATION, TERMS_URI);
    }

    function test_grantToMembers_checksTheTerms() public {
        IDataAccessRegistry.Scope memory scope = _scope();
        scope.fieldMask = 1 << 3; // the dataset has three fields
        vm.prank(address(timelock));
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryInvalidFieldMask.selector, 1, 1 << 3, 3)
        );
        registry.grantToMembers(1, 2, scope, DURATION, TERMS_URI);
    }

    // ---- the privacy cap (issue 14) ----

    function test_privacyCap_setByTheConstructorAndByAVote() public {
        (uint64 epsilon, uint64 period) = registry.privacyCap();
        assertEq(epsilon, 1_000_000);
        assertEq(period, 30 days);
        vm.prank(address(timelock));
        vm.expectEmit(address(registry));
        emit IDataAccessRegistry.PrivacyCapSet(1_000_000, 30 days, 500_000, 365 days);
        registry.setPrivacyCap(500_000, 365 days);
        (epsilon, period) = registry.privacyCap();
        assertEq(epsilon, 500_000);
        assertEq(period, 365 days);

        vm.prank(founders[0]);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, founders[0]));
        registry.setPrivacyCap(1, 1 days);
    }

    function testFuzz_setPrivacyCap_revertsOutOfBounds(uint64 epsilon, uint64 period) public {
        bool valid = epsilon > 0 && epsilon <= 10_000_000 && period >= 1 days && period <= 5 * 365 days;
        vm.prank(address(timelock));
        if (!valid) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IDataAccessRegistry.DataAccessRegistryInvalidPrivacyCap.selector,
                    epsilon,
                    period,
                    10_000_000,
                    1 days,
                    5 * 365 days
                )
            );
        }
        registry.setPrivacyCap(epsilon, period);
        (uint64 e, uint64 p) = registry.privacyCap();
        assertEq(e, valid ? epsilon : 1_000_000);
        assertEq(p, valid ? period : 30 days);
    }

    function test_constructor_revertsOnAZeroPrivacyCap() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IDataAccessRegistry.DataAccessRegistryInvalidPrivacyCap.selector,
                0,
                30 days,
                10_000_000,
                1 days,
                5 * 365 days
            )
        );
        new DataAccessRegistry(address(timelock), membership, revenue, guardian, 0, 365 days, 0, 30 days);
    }

    // ---- the guardian pauses once per appointment (issue 15) ----

    function test_pause_guardianCannotPauseAgainAfterTheCoopUnpauses() public {
        vm.prank(guardian);
        registry.pause();
        assertFalse(registry.guardianCanPause());
        vm.prank(address(timelock));
        registry.unpause();

        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryGuardianPauseUsed.selector, guardian)
        );
        registry.pause();
        assertFalse(registry.paused());

        // The timelock still pauses; a new appointment gives the guardian one pause again.
        vm.prank(address(timelock));
        registry.setGuardian(guardian);
        assertTrue(registry.guardianCanPause());
        vm.prank(guardian);
        registry.pause();
        assertTrue(registry.paused());
    }
}
