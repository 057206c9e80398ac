// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ConsentRegistry} from "../../contracts/ConsentRegistry.sol";
import {Membership} from "../../contracts/Membership.sol";
import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {DataTestBase} from "./DataTestBase.sol";

contract ConsentRegistryTest is DataTestBase {
    uint256 internal constant ALL_PURPOSES = 0x1ff;

    // ---- leaving voids consent, whatever the timing (regressions: same-second return revived old consent) ----

    function test_consentOf_voidAfterRemovalAndReturnInTheSameSecond() public {
        address alice = founders[0];
        vm.prank(alice);
        consent.setConsent(1);
        assertEq(consent.consentOf(alice), 1, "in force before leaving");

        _remove(alice);
        assertEq(consent.consentOf(alice), 0, "no consent while out");
        _admit(alice);

        assertEq(consent.consentOf(alice), 0, "old consent revived");
        assertFalse(consent.covers(alice, ACADEMIC, 0), "covered by old consent");
        (uint256 stored, uint48 updatedAt) = consent.storedConsent(alice);
        assertEq(stored, 1, "stored entry kept");
        assertEq(updatedAt, _now(), "stamped in the second of the return");
    }

    function test_grantChoiceOf_voidAfterResigningAndReturningInTheSameSecond() public {
        address alice = founders[0];
        uint256 grantId = _request(partner, FEE, DURATION);
        vm.startPrank(alice);
        consent.setGrantChoice(grantId, IConsentRegistry.Choice.OptIn);
        membership.resign();
        vm.stopPrank();
        _admit(alice);

        assertEq(uint8(consent.grantChoiceOf(alice, grantId)), uint8(IConsentRegistry.Choice.Default));
        assertFalse(consent.isCovered(alice, grantId), "covered by an old opt-in");
    }

    /// @dev A signature from an earlier membership, relayed after the member returns, is refused outright.
    function test_setConsentBySig_revertsWhenSignedBeforeTheCurrentMembership() public {
        address alice = founders[0];
        uint256 deadline = _now() + 30 days;
        uint256 signedAt = _now();
        bytes memory signature = _signConsent(founderKeys[0], alice, 3, signedAt, deadline);
        skip(1 hours);
        _remove(alice);
        skip(1 hours);
        _admit(alice);
        skip(1);

        uint256 since = membership.unambiguousSince(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistrySignedBeforeMembership.selector,
                alice,
                signedAt,
                since
            )
        );
        consent.setConsentBySig(alice, 3, signedAt, deadline, signature);
        assertEq(consent.consentOf(alice), 0, "consent signed in the previous membership revived");
    }

    /// @dev Relayed while the member is out: stored, never in force, not even after they return.
    function test_setConsentBySig_relayedWhileOutIsNeverInForce() public {
        address alice = founders[0];
        uint256 deadline = _now() + 1 days;
        uint256 signedAt = _now();
        bytes memory signature = _signConsent(founderKeys[0], alice, 3, signedAt, deadline);
        skip(1);
        _remove(alice);
        consent.setConsentBySig(alice, 3, signedAt, deadline, signature);
        assertEq(consent.consentOf(alice), 0, "in force while out");
        skip(1);
        _admit(alice);
        skip(1);
        assertEq(consent.consentOf(alice), 0, "revived by the return");
        assertEq(consent.membershipValidFrom(alice), membership.unambiguousSince(alice));
    }

    /// @dev Someone never admitted: refused.
    function test_setConsentBySig_revertsForSomeoneNeverAdmitted() public {
        (address stranger, uint256 key) = makeAccount("stranger");
        uint256 deadline = _now() + 1 days;
        bytes memory signature = _signConsent(key, stranger, 3, _now(), deadline);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNotMember.selector, stranger));
        consent.setConsentBySig(stranger, 3, _now(), deadline, signature);
    }

    /// @dev Only Membership reports admissions; the founders were recorded at deployment.
    function test_onAdmitted_onlyMembership() public {
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNotMembership.selector, address(this)));
        consent.onAdmitted(founders[0], 1);
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            assertEq(consent.membershipValidFrom(founders[i]), START, "founder recorded");
        }
        address newcomer = makeAddr("newcomer");
        _admit(newcomer);
        assertEq(consent.membershipValidFrom(newcomer), _now());
    }

    /// @dev The wiring that feeds {onAdmitted}: the deployer only, once, and only a registry serving this membership.
    function test_setConsentRegistry_deployerOnceAndMatchingOnly() public {
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipConsentRegistryLocked.selector, address(this)));
        membership.setConsentRegistry(address(consent));

        address[] memory none = new address[](0);
        Membership fresh = new Membership("Other", "OTH", address(timelock), none);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipConsentRegistryMismatch.selector, consent));
        fresh.setConsentRegistry(address(consent));
        ConsentRegistry matching = new ConsentRegistry(fresh, registry);
        vm.prank(partner);
        vm.expectRevert(abi.encodeWithSelector(IMembership.MembershipConsentRegistryLocked.selector, partner));
        fresh.setConsentRegistry(address(matching));
        fresh.setConsentRegistry(address(matching));
        assertEq(fresh.consentRegistry(), address(matching));
    }

    // ---- the latest decision wins, whatever the order of relays (issue 15's first finding) ----

    /// @dev The attack: an older signature kept by the relayer, sent after the member withdrew directly.
    function test_setConsentBySig_revertsWhenOlderThanADirectWithdrawal() public {
        address alice = founders[0];
        uint256 signedAt = _now();
        uint256 deadline = _now() + 1 days;
        bytes memory consentAll = _signConsent(founderKeys[0], alice, ALL_PURPOSES, signedAt, deadline);
        skip(10 minutes);
        vm.prank(alice);
        consent.setConsent(0);

        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryOutdatedSignature.selector, alice, signedAt, _now())
        );
        consent.setConsentBySig(alice, ALL_PURPOSES, signedAt, deadline, consentAll);
        assertEq(consent.consentOf(alice), 0, "withdrawal undone");
    }

    /// @dev Two signatures, the withdrawal signed last, relayed in the wrong order: the withdrawal stands.
    function test_setConsentBySig_revertsWhenOlderThanASignedWithdrawal() public {
        address alice = founders[0];
        uint256 deadline = _now() + 1 days;
        uint256 givenAt = _now();
        bytes memory give = _signConsent(founderKeys[0], alice, 1, givenAt, deadline);
        skip(1);
        uint256 withdrawnAt = _now();
        bytes memory withdraw = _signConsent(founderKeys[0], alice, 0, withdrawnAt, deadline);

        consent.setConsentBySig(alice, 0, withdrawnAt, deadline, withdraw);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistryOutdatedSignature.selector,
                alice,
                givenAt,
                withdrawnAt
            )
        );
        consent.setConsentBySig(alice, 1, givenAt, deadline, give);
        assertEq(consent.consentOf(alice), 0);
        (, uint48 updatedAt) = consent.storedConsent(alice);
        assertEq(updatedAt, withdrawnAt, "the entry keeps the decision's time");
    }

    /// @dev A grant opt-out made directly is not undone by an older signed opt-in.
    function test_setGrantChoiceBySig_revertsWhenOlderThanADirectOptOut() public {
        address alice = founders[0];
        uint256 grantId = _request(partner, FEE, DURATION);
        uint256 signedAt = _now();
        uint256 deadline = _now() + 1 days;
        bytes memory optIn = _signGrantChoice(
            founderKeys[0],
            alice,
            grantId,
            IConsentRegistry.Choice.OptIn,
            signedAt,
            deadline
        );
        skip(1);
        vm.prank(alice);
        consent.setGrantChoice(grantId, IConsentRegistry.Choice.OptOut);

        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryOutdatedSignature.selector, alice, signedAt, _now())
        );
        consent.setGrantChoiceBySig(alice, grantId, IConsentRegistry.Choice.OptIn, signedAt, deadline, optIn);
        assertEq(uint8(consent.grantChoiceOf(alice, grantId)), uint8(IConsentRegistry.Choice.OptOut));
        assertFalse(consent.isCovered(alice, grantId));
    }

    /// @dev Orders are per entry: a grant choice signed earlier still applies after a later standing-consent change.
    function test_setGrantChoiceBySig_orderIsPerEntry() public {
        address alice = founders[0];
        uint256 grantId = _request(partner, FEE, DURATION);
        uint256 signedAt = _now();
        uint256 deadline = _now() + 1 days;
        bytes memory optOut = _signGrantChoice(
            founderKeys[0],
            alice,
            grantId,
            IConsentRegistry.Choice.OptOut,
            signedAt,
            deadline
        );
        skip(1);
        vm.prank(alice);
        consent.setConsent(ALL_PURPOSES);
        consent.setGrantChoiceBySig(alice, grantId, IConsentRegistry.Choice.OptOut, signedAt, deadline, optOut);
        assertFalse(consent.isCovered(alice, grantId));
        assertEq(consent.consentOf(alice), ALL_PURPOSES);
    }

    /// @dev Two signatures of the same second cannot be ordered: the first relayed stands.
    function test_setConsentBySig_revertsForASecondSignatureOfTheSameSecond() public {
        address alice = founders[0];
        uint256 signedAt = _now();
        uint256 deadline = _now() + 1 days;
        consent.setConsentBySig(
            alice,
            0,
            signedAt,
            deadline,
            _signConsent(founderKeys[0], alice, 0, signedAt, deadline)
        );
        bytes memory other = _signConsent(founderKeys[0], alice, 1, signedAt, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistryOutdatedSignature.selector,
                alice,
                signedAt,
                signedAt
            )
        );
        consent.setConsentBySig(alice, 1, signedAt, deadline, other);
    }

    /// @dev A time in the future would outrank the member's later decisions.
    function test_setConsentBySig_revertsWhenSignedInTheFuture() public {
        address alice = founders[0];
        uint256 signedAt = _now() + 1;
        uint256 deadline = _now() + 1 days;
        bytes memory signature = _signConsent(founderKeys[0], alice, 1, signedAt, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistrySignedInFuture.selector, signedAt, _now())
        );
        consent.setConsentBySig(alice, 1, signedAt, deadline, signature);
        skip(1);
        consent.setConsentBySig(alice, 1, signedAt, deadline, signature);
        assertEq(consent.consentOf(alice), 1, "valid once its time has come");
    }

    /// @dev A direct change is always the latest decision, even in the second of a relayed signature.
    function test_setConsent_overridesASignatureOfTheSameSecond() public {
        address alice = founders[0];
        uint256 deadline = _now() + 1 days;
        consent.setConsentBySig(alice, 1, _now(), deadline, _signConsent(founderKeys[0], alice, 1, _now(), deadline));
        vm.prank(alice);
        consent.setConsent(0);
        assertEq(consent.consentOf(alice), 0);
    }

    function test_consentOf_returningMemberCountsFromTheNextSecond() public {
        address alice = founders[0];
        _remove(alice);
        skip(1);
        _admit(alice);
        vm.prank(alice);
        consent.setConsent(5);
        // Stamped in the second of the return: cannot be told apart from a choice made before it.
        assertEq(consent.consentOf(alice), 0);
        assertEq(membership.unambiguousSince(alice), _now() + 1);

        skip(1);
        vm.prank(alice);
        consent.setConsent(5);
        assertEq(consent.consentOf(alice), 5);
    }

    function test_consentOf_newMemberCountsFromTheSecondOfAdmission() public {
        address newcomer = makeAddr("newcomer");
        _admit(newcomer);
        vm.prank(newcomer);
        consent.setConsent(1);
        assertEq(membership.unambiguousSince(newcomer), _now());
        assertEq(consent.consentOf(newcomer), 1);
    }

    function test_unambiguousSince_isZeroForNonMembers() public {
        address alice = founders[0];
        assertEq(membership.unambiguousSince(address(0)), 0);
        assertEq(membership.unambiguousSince(makeAddr("stranger")), 0);
        _remove(alice);
        assertEq(membership.unambiguousSince(alice), 0);
    }

    /// @dev Set, leave, return with any gaps (zero included), by removal or resignation: nothing set before the
    /// return is in force, and a setting made after it is.
    function testFuzz_consent_voidAfterLeavingWhateverTheTiming(
        uint256 memberSeed,
        uint256 mask,
        uint256 leaveGap,
        uint256 returnGap,
        bool resigns,
        bool setWhileOut
    ) public {
        uint256 i = memberSeed % FOUNDERS;
        address member = founders[i];
        mask = bound(mask, 1, ALL_PURPOSES);
        uint256 grantId = _request(partner, FEE, DURATION);

        vm.startPrank(member);
        consent.setConsent(mask);
        consent.setGrantChoice(grantId, IConsentRegistry.Choice.OptIn);
        vm.stopPrank();
        skip(bound(leaveGap, 0, 3));
        if (resigns) {
            vm.prank(member);
            membership.resign();
        } else {
            _remove(member);
        }
        skip(bound(returnGap, 0, 3));
        if (setWhileOut) {
            // Signed and relayed while out: stored, never in force.
            uint256 signedAt = _now();
            bytes memory signature = _signConsent(founderKeys[i], member, mask, signedAt, signedAt + 1 days);
            try consent.setConsentBySig(member, mask, signedAt, signedAt + 1 days, signature) {} catch {}
        }
        _admit(member);

        assertEq(consent.consentOf(member), 0, "consent");
        assertEq(uint8(consent.grantChoiceOf(member, grantId)), uint8(IConsentRegistry.Choice.Default), "choice");
        for (uint8 purpose = 0; purpose < 9; ++purpose) {
            assertFalse(consent.covers(member, purpose, grantId), "covered");
        }

        skip(1);
        vm.prank(member);
        consent.setConsent(mask);
        assertEq(consent.consentOf(member), mask, "a new setting after the return");
    }

    // ---- only the member (or their signature) changes their consent ----

    /// @dev Whoever calls changes only their own entry; the founders' entries stay as they set them.
    function testFuzz_setConsent_changesOnlyTheCallersEntry(address caller, uint256 mask) public {
        mask = bound(mask, 0, ALL_PURPOSES);
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            vm.prank(founders[i]);
            consent.setConsent(1 << i);
        }
        skip(1);
        vm.prank(caller);
        consent.setConsent(mask);

        (uint256 stored, ) = consent.storedConsent(caller);
        assertEq(stored, mask, "caller's own entry");
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            if (founders[i] == caller) continue;
            (uint256 other, ) = consent.storedConsent(founders[i]);
            assertEq(other, 1 << i, "another member's entry changed");
            assertEq(consent.consentOf(founders[i]), 1 << i, "another member's consent changed");
        }
    }

    /// @dev A signature changes a member's consent only if made with that member's key, and only once.
    function testFuzz_setConsentBySig_onlyTheMembersKeyOnce(uint256 memberSeed, uint256 key, uint256 mask) public {
        uint256 i = memberSeed % FOUNDERS;
        address member = founders[i];
        key = bound(key, 1, SECP256K1_N - 1);
        mask = bound(mask, 1, ALL_PURPOSES);
        uint256 signedAt = _now();
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signConsent(key, member, mask, signedAt, deadline);

        if (key != founderKeys[i]) {
            vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidSignature.selector, member));
            consent.setConsentBySig(member, mask, signedAt, deadline, signature);
            assertEq(consent.consentOf(member), 0, "changed by someone else's key");
            signature = _signConsent(founderKeys[i], member, mask, signedAt, deadline);
        }
        consent.setConsentBySig(member, mask, signedAt, deadline, signature);
        assertEq(consent.consentOf(member), mask, "the member's own signature");

        skip(1);
        vm.prank(member);
        consent.setConsent(0);
        vm.expectRevert(
            abi.encodeWithSelector(IConsentRegistry.ConsentRegistryOutdatedSignature.selector, member, signedAt, _now())
        );
        consent.setConsentBySig(member, mask, signedAt, deadline, signature);
        assertEq(consent.consentOf(member), 0, "replayed");
    }

    /// @dev A grant-choice signature is bound to its member, grant, choice and time, and counts once.
    function testFuzz_setGrantChoiceBySig_boundToItsTerms(uint256 otherSeed, uint8 choiceSeed) public {
        address member = founders[0];
        address other = founders[1 + (otherSeed % (FOUNDERS - 1))];
        uint256 grantId = _request(partner, FEE, DURATION);
        _request(partner, FEE, DURATION);
        IConsentRegistry.Choice choice = IConsentRegistry.Choice(1 + (choiceSeed % 2));
        skip(5);
        uint256 signedAt = _now() - 3;
        uint256 deadline = _now() + 1 hours;
        bytes memory signature = _signGrantChoice(founderKeys[0], member, grantId, choice, signedAt, deadline);

        bytes memory invalid = abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidSignature.selector, other);
        vm.expectRevert(invalid);
        consent.setGrantChoiceBySig(other, grantId, choice, signedAt, deadline, signature);
        invalid = abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidSignature.selector, member);
        vm.expectRevert(invalid);
        consent.setGrantChoiceBySig(member, grantId + 1, choice, signedAt, deadline, signature);
        vm.expectRevert(invalid);
        consent.setGrantChoiceBySig(member, grantId, IConsentRegistry.Choice.Default, signedAt, deadline, signature);
        vm.expectRevert(invalid);
        consent.setGrantChoiceBySig(member, grantId, choice, signedAt + 1, deadline, signature);

        consent.setGrantChoiceBySig(member, grantId, choice, signedAt, deadline, signature);
        assertEq(uint8(consent.grantChoiceOf(member, grantId)), uint8(choice));
        (IConsentRegistry.Choice stored, uint48 updatedAt) = consent.storedGrantChoice(member, grantId);
        assertEq(uint8(stored), uint8(choice));
        assertEq(updatedAt, signedAt, "stamped with the signing time, not the relay's");
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentRegistry.ConsentRegistryOutdatedSignature.selector,
                member,
                signedAt,
                signedAt
            )
        );
        consent.setGrantChoiceBySig(member, grantId, choice, signedAt, deadline, signature);
    }

    function testFuzz_setConsent_revertsOutsideThePurposeTable(uint256 mask) public {
        vm.assume(mask > ALL_PURPOSES);
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidMask.selector, mask));
        vm.prank(founders[0]);
        consent.setConsent(mask);
    }

    function testFuzz_setConsentBySig_revertsAfterTheDeadline(uint256 late) public {
        uint256 deadline = _now();
        bytes memory signature = _signConsent(founderKeys[0], founders[0], 1, _now(), deadline);
        uint256 signedAt = _now();
        skip(bound(late, 1, 365 days));
        vm.expectRevert(abi.encodeWithSelector(IConsentRegistry.ConsentRegistryExpiredSignature.selector, deadline));
        consent.setConsentBySig(founders[0], 1, signedAt, deadline, signature);
    }

    /// @dev The per-grant choice overrides the standing consent both ways; the purpose comes from the grant.
    function testFuzz_isCovered_choiceOverridesStandingConsent(uint256 mask, uint8 choiceSeed) public {
        address member = founders[0];
        mask = bound(mask, 0, ALL_PURPOSES);
        uint256 grantId = _request(partner, FEE, DURATION);
        IConsentRegistry.Choice choice = IConsentRegistry.Choice(choiceSeed % 3);
        vm.startPrank(member);
        consent.setConsent(mask);
        consent.setGrantChoice(grantId, choice);
        vm.stopPrank();

        bool expected =
            choice == IConsentRegistry.Choice.OptIn || (choice == IConsentRegistry.Choice.Default && mask & 1 != 0);
        assertEq(consent.isCovered(member, grantId), expected);
        assertFalse(consent.isCovered(makeAddr("outsider"), grantId), "a non-member is never covered");
    }
}
