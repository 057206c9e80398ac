// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ConsentRegistry} from "../../contracts/ConsentRegistry.sol";
import {DataAccessRegistry} from "../../contracts/DataAccessRegistry.sol";
import {Membership} from "../../contracts/Membership.sol";
import {Revenue} from "../../contracts/Revenue.sol";
import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {IDataAccessRegistry} from "../../contracts/interfaces/IDataAccessRegistry.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {IRevenue} from "../../contracts/interfaces/IRevenue.sol";
import {DataCoopDeployer} from "../utils/DataCoopDeployer.sol";
import {SmallMerkleTree} from "../utils/SmallMerkleTree.sol";
import {FuzzSelector, Test} from "../utils/Test.sol";

/// @notice Drives the data contracts at random and keeps a model of what should have happened: partners request,
/// withdraw and claim refunds; the timelock (a passed vote) approves, rejects, revokes and changes the revenue
/// mode; the guardian revokes and pauses; the operator posts by-use allocations; members (and relayers for them)
/// claim, set consent directly and by signature, leave and return; others try what they may not. Every call is
/// wrapped in try/catch and compared with the model, so the handler never reverts and a surprise is recorded
/// (`surprises`, `lastSurprise`) instead of being discarded by the fuzzer.
contract DataHandler is Test {
    uint256 public constant ACTORS = 7; // the first five are founders
    uint256 public constant FOUNDERS = 5;
    uint256 public constant PARTNERS = 2;
    uint256 public constant MAX_REQUESTS = 12;
    uint256 public constant MAX_FEE = 100 ether;
    /// @dev The claim period the test sets (the shortest allowed), so sweeps happen within a campaign.
    uint256 public constant CLAIM_PERIOD = 30 days;
    uint256 internal constant ALL_PURPOSES = 0x1ff;

    struct Req {
        address partner;
        uint256 fee;
        uint64 duration;
        IDataAccessRegistry.Status status;
        uint256 start;
        bool deposited;
        IRevenue.Mode mode;
        bool posted;
        uint256[4] amounts;
        uint256 allocated;
        uint256 claimedByUse;
        bool seenInactive; // approved, then seen revoked or expired
        uint256 claimCount; // members paid, both modes
        bool closed; // unclaimed shares swept back to the treasury
    }

    struct ConsentWrite {
        uint256 mask;
        uint256 time;
        uint256 seq; // handler step of the write
    }

    struct Stint {
        uint256 since;
        uint256 admittedSeq;
        uint256 leftSeq; // 0 while a member
        bool returning;
    }

    DataAccessRegistry public immutable registry;
    ConsentRegistry public immutable consent;
    Revenue public immutable revenue;
    Membership public immutable membership;
    TimelockController public immutable timelock;
    address public immutable guardian;
    address public immutable operator;

    address[] public actors;
    uint256[] internal _keys;
    address[] public partners;

    uint256 public currentTime;
    uint256 public seq;
    bool public paused;
    IRevenue.Mode public mode;

    // ---- models ----
    Req[] internal _reqs;
    mapping(uint256 grantId => mapping(address member => bool)) public claimedInModel;
    mapping(address actor => ConsentWrite) internal _consent;
    mapping(address actor => Stint[]) internal _stints;
    mapping(address actor => mapping(uint256 grantId => uint256 seq)) public choiceSeq;

    // ---- money seen moving ----
    uint256 public paidByPartners;
    uint256 public refundsReceived;
    uint256 public claimsReceived;
    uint256 public byUseClaimsReceived;
    uint256 public sweptInModel;

    // ---- what must never happen ----
    uint256 public surprises;
    string public lastSurprise;
    uint256 public privilegedSuccesses;
    string public lastPrivilegedSuccess;

    // ---- how much each action did ----
    uint256 public approvals;
    uint256 public revocations;
    uint256 public claims;
    uint256 public byUseClaims;
    uint256 public refunds;
    uint256 public consentWrites;
    uint256 public returns_;
    uint256 public sweeps;
    uint256 public replacements;
    uint256 public multiClaims;

    modifier step() {
        vm.warp(currentTime);
        ++seq;
        _;
        _noteInactive();
    }

    constructor(
        DataAccessRegistry registry_,
        ConsentRegistry consent_,
        Revenue revenue_,
        Membership membership_,
        TimelockController timelock_,
        address guardian_,
        address operator_,
        address[] memory actors_,
        uint256[] memory keys_,
        address[] memory partners_
    ) {
        registry = registry_;
        consent = consent_;
        revenue = revenue_;
        membership = membership_;
        timelock = timelock_;
        guardian = guardian_;
        operator = operator_;
        actors = actors_;
        _keys = keys_;
        partners = partners_;
        currentTime = _now();
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            _stints[actors_[i]].push(Stint(membership_.memberSince(actors_[i]), 0, 0, false));
        }
    }

    // =========================
    // Partners and their requests
    // =========================

    function requestAccess(uint256 partnerSeed, uint256 feeSeed, uint256 durationSeed) external step {
        if (_reqs.length >= MAX_REQUESTS) return;
        address partner = partners[partnerSeed % PARTNERS];
        // Mostly real fees, sometimes none or a few wei (rounding).
        uint256 fee = feeSeed % 4 == 0 ? bound(feeSeed >> 2, 0, 1_000) : bound(feeSeed >> 2, 0, MAX_FEE);
        uint64 duration = uint64(bound(durationSeed, 1, 60 days));
        vm.deal(partner, partner.balance + fee);
        vm.prank(partner);
        try registry.requestAccess{value: fee}(1, 0, _scope(), duration, "ipfs://terms", "Partner") returns (
            uint256 id
        ) {
            if (paused) return _surprise("requested while paused");
            if (id != _reqs.length + 1) return _surprise("request id");
            Req storage r = _reqs.push();
            r.partner = partner;
            r.fee = fee;
            r.duration = duration;
            r.status = IDataAccessRegistry.Status.Pending;
            paidByPartners += fee;
        } catch (bytes memory reason) {
            if (!paused) return _surprise("could not request");
            _expect(reason, abi.encodeWithSignature("EnforcedPause()"), "request while paused");
        }
    }

    function withdrawRequest(uint256 requestSeed, bool byOther) external step {
        (uint256 id, Req storage r) = _pickIn(requestSeed, IDataAccessRegistry.Status.Pending);
        if (id == 0) return;
        address caller = byOther ? partners[(_indexOfPartner(r.partner) + 1) % PARTNERS] : r.partner;
        vm.prank(caller);
        try registry.withdrawRequest(id) {
            if (byOther || r.status != IDataAccessRegistry.Status.Pending) return _surprise("withdrew");
            r.status = IDataAccessRegistry.Status.Withdrawn;
        } catch (bytes memory reason) {
            if (r.status != IDataAccessRegistry.Status.Pending) return _expectStatus(reason, id, r.status);
            if (!byOther) return _surprise("partner could not withdraw");
            _expect(
                reason,
                abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryNotPartner.selector, id, caller),
                "withdraw by another"
            );
        }
    }

    function claimRefund(uint256 partnerSeed) external step {
        address partner = partners[partnerSeed % PARTNERS];
        uint256 owed = _refundOwedInModel(partner) - _refundedTo[partner];
        uint256 before = partner.balance;
        vm.prank(partner);
        try registry.claimRefund() {
            if (owed == 0) return _surprise("refunded nothing owed");
            if (partner.balance - before != owed) return _surprise("refund amount");
            _refundedTo[partner] += owed;
            refundsReceived += owed;
            ++refunds;
        } catch (bytes memory reason) {
            if (owed != 0) return _surprise("could not claim a refund");
            _expect(
                reason,
                abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryNothingToRefund.selector, partner),
                "refund"
            );
        }
    }

    mapping(address partner => uint256) internal _refundedTo;

    // =====================================
    // The co-op's decisions (timelock) and the guardian
    // =====================================

    function approve(uint256 requestSeed) external step {
        (uint256 id, Req storage r) = _pickIn(requestSeed, IDataAccessRegistry.Status.Pending);
        if (id == 0) return;
        bytes32 termsHash = registry.request(id).termsHash;
        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        try registry.approve(id, termsHash) {
            if (r.status != IDataAccessRegistry.Status.Pending) return _surprise("approved a decided request");
            r.status = IDataAccessRegistry.Status.Approved;
            r.start = currentTime;
            r.deposited = r.fee != 0;
            r.mode = mode;
            ++approvals;
            _treasuryReceived += address(timelock).balance - before;
        } catch (bytes memory reason) {
            _expectStatus(reason, id, r.status);
        }
    }

    uint256 internal _treasuryReceived;

    function reject(uint256 requestSeed) external step {
        (uint256 id, Req storage r) = _pickIn(requestSeed, IDataAccessRegistry.Status.Pending);
        if (id == 0) return;
        bytes32 termsHash = registry.request(id).termsHash;
        vm.prank(address(timelock));
        try registry.reject(id, termsHash) {
            if (r.status != IDataAccessRegistry.Status.Pending) return _surprise("rejected a decided request");
            r.status = IDataAccessRegistry.Status.Rejected;
        } catch (bytes memory reason) {
            _expectStatus(reason, id, r.status);
        }
    }

    function revoke(uint256 requestSeed, bool byGuardian) external step {
        (uint256 id, Req storage r) = _pickIn(requestSeed, IDataAccessRegistry.Status.Approved);
        if (id == 0) return;
        vm.prank(byGuardian ? guardian : address(timelock));
        try registry.revoke(id, "revoked") {
            if (r.status != IDataAccessRegistry.Status.Approved || currentTime >= r.start + r.duration) {
                return _surprise("revoked what it could not");
            }
            r.status = IDataAccessRegistry.Status.Revoked;
            ++revocations;
        } catch (bytes memory reason) {
            if (r.status != IDataAccessRegistry.Status.Approved) return _expectStatus(reason, id, r.status);
            uint64 end = uint64(r.start + r.duration);
            if (currentTime < end) return _surprise("could not revoke an active grant");
            _expect(
                reason,
                abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryGrantExpired.selector, id, end),
                "revoke expired"
            );
        }
    }

    /// @dev The guardian pauses (once: after the co-op unpauses, its pause is used up), or the timelock unpauses.
    function pauseOrUnpause(bool doPause) external step {
        vm.prank(doPause ? guardian : address(timelock));
        if (doPause) {
            try registry.pause() {
                if (paused) return _surprise("paused twice");
                if (guardianPauseUsed) return _surprise("the guardian paused again");
                paused = true;
                guardianPauseUsed = true;
            } catch {
                if (!paused && !guardianPauseUsed) _surprise("guardian could not pause");
            }
        } else {
            try registry.unpause() {
                if (!paused) return _surprise("unpaused twice");
                paused = false;
            } catch {
                if (paused) _surprise("timelock could not unpause");
            }
        }
    }

    bool public guardianPauseUsed;

    function setMode(bool byUse) external step {
        IRevenue.Mode newMode = byUse ? IRevenue.Mode.ByUse : IRevenue.Mode.EqualSplit;
        vm.prank(address(timelock));
        try revenue.setMode(newMode) {
            mode = newMode;
        } catch {
            _surprise("timelock could not set the mode");
        }
    }

    // =========
    // Revenue
    // =========

    /// @dev An equal-split claim for an actor, sent by a relayer; if paid, the relayer tries again.
    function claimEqual(uint256 requestSeed, uint256 actorSeed) external step {
        (uint256 id, Req storage r) = _pickIn(requestSeed, IDataAccessRegistry.Status.Approved);
        if (id == 0) return;
        address member = actors[actorSeed % ACTORS];
        bool eligible =
            r.deposited &&
                r.mode == IRevenue.Mode.EqualSplit &&
                wasMemberAt(member, r.start - 1) &&
                !claimedInModel[id][member] &&
                !r.closed;
        uint256 perMember = revenue.distribution(id).perMember;
        uint256 before = member.balance;
        try revenue.claim(id, member) {
            if (!eligible) return _surprise("paid an ineligible or repeated equal-split claim");
            if (member.balance - before != perMember) return _surprise("equal-split amount");
            claimedInModel[id][member] = true;
            claimsReceived += perMember;
            ++r.claimCount;
            ++claims;
            try revenue.claim(id, member) {
                _surprise("an equal-split claim was paid twice");
            } catch (bytes memory reason) {
                _expect(
                    reason,
                    abi.encodeWithSelector(IRevenue.RevenueAlreadyClaimed.selector, id, member),
                    "double claim"
                );
            }
        } catch {
            if (eligible) _surprise("an eligible member could not claim");
        }
    }

    /// @dev The operator posts a four-member tree whose amounts may add up to more than the posted total.
    function postAllocation(uint256 requestSeed, uint256 amountsSeed, uint256 allocatedSeed) external step {
        (uint256 id, Req storage r) = _pickByUse(requestSeed, false);
        if (id == 0) return;
        uint256 memberShare = revenue.distribution(id).memberShare;
        uint256[4] memory amounts;
        for (uint256 i = 0; i < 4; ++i) {
            amounts[i] = memberShare == 0 ? 0 : uint256(keccak256(abi.encode(amountsSeed, i))) % (memberShare / 2 + 1);
        }
        uint256 allocated = bound(allocatedSeed, 0, memberShare);
        (bytes32 root, ) = SmallMerkleTree.build(_treeMembers(), amounts);
        bool expected = r.deposited && r.mode == IRevenue.Mode.ByUse && !r.posted && !r.closed;
        uint256 before = address(timelock).balance;
        vm.prank(operator);
        try revenue.postAllocation(id, root, allocated) {
            if (!expected) return _surprise("posted an allocation it could not");
            r.posted = true;
            r.amounts = amounts;
            r.allocated = allocated;
            _treasuryReceived += address(timelock).balance - before;
        } catch {
            if (expected) _surprise("operator could not post");
        }
    }

    /// @dev A by-use claim with a valid proof, sent by anyone; if paid, it is tried again.
    function claimByUse(uint256 requestSeed, uint256 leafSeed) external step {
        (uint256 id, Req storage r) = _pickByUse(requestSeed, true);
        if (id == 0 || !r.posted) return;
        uint256 i = leafSeed % 4;
        address member = actors[i];
        (, bytes32[][] memory proofs) = SmallMerkleTree.build(_treeMembers(), r.amounts);
        uint256 amount = r.amounts[i];
        bool expected =
            amount != 0 && !claimedInModel[id][member] && r.claimedByUse + amount <= r.allocated && !r.closed;
        uint256 before = member.balance;
        try revenue.claim(id, member, amount, proofs[i]) {
            if (!expected) return _surprise("paid a by-use claim beyond the posted total or twice");
            if (member.balance - before != amount) return _surprise("by-use amount");
            claimedInModel[id][member] = true;
            r.claimedByUse += amount;
            ++r.claimCount;
            byUseClaimsReceived += amount;
            ++byUseClaims;
            try revenue.claim(id, member, amount, proofs[i]) {
                _surprise("a by-use claim was paid twice");
            } catch {}
        } catch {
            if (expected) _surprise("a valid by-use claim failed");
        }
    }

    /// @dev A relayer claims two grants' shares for one actor in one call (an equal share, or a by-use allocation
    /// when the grant has one for the actor): paid in full when every part is due, refused as a whole otherwise.
    function claimMany(uint256 actorSeed, uint256 firstSeed, uint256 secondSeed) external step {
        (uint256 first, ) = _pickIn(firstSeed, IDataAccessRegistry.Status.Approved);
        (uint256 second, ) = _pickIn(secondSeed, IDataAccessRegistry.Status.Approved);
        if (first == 0 || second == 0 || first == second) return;
        uint256 i = actorSeed % ACTORS;
        address member = actors[i];
        uint256[2] memory ids = [first, second];
        uint256[] memory equal = new uint256[](2);
        IRevenue.Allocation[] memory allocations = new IRevenue.Allocation[](2);
        uint256 equalCount;
        uint256 allocationCount;
        uint256 total;
        bool due = true;
        for (uint256 k = 0; k < 2; ++k) {
            Req storage r = _reqs[ids[k] - 1];
            due = due && r.deposited && !r.closed && !claimedInModel[ids[k]][member];
            if (r.mode == IRevenue.Mode.ByUse && r.posted && i < 4) {
                (, bytes32[][] memory proofs) = SmallMerkleTree.build(_treeMembers(), r.amounts);
                allocations[allocationCount++] = IRevenue.Allocation(ids[k], r.amounts[i], proofs[i]);
                due = due && r.amounts[i] != 0 && r.claimedByUse + r.amounts[i] <= r.allocated;
                total += r.amounts[i];
            } else {
                equal[equalCount++] = ids[k];
                due = due && r.mode == IRevenue.Mode.EqualSplit && wasMemberAt(member, r.start - 1);
                total += revenue.distribution(ids[k]).perMember;
            }
        }
        assembly ("memory-safe") {
            mstore(equal, equalCount)
            mstore(allocations, allocationCount)
        }
        uint256 before = member.balance;
        try revenue.claimMany(member, equal, allocations) returns (uint256 paid) {
            if (!due) return _surprise("claimMany paid what was not due");
            if (paid != total || member.balance - before != total) return _surprise("claimMany amount");
            for (uint256 k = 0; k < 2; ++k) {
                Req storage r = _reqs[ids[k] - 1];
                claimedInModel[ids[k]][member] = true;
                ++r.claimCount;
                if (r.mode == IRevenue.Mode.ByUse) {
                    r.claimedByUse += r.amounts[i];
                    byUseClaimsReceived += r.amounts[i];
                } else {
                    claimsReceived += revenue.distribution(ids[k]).perMember;
                }
            }
            ++multiClaims;
        } catch {
            if (due) _surprise("claimMany refused what was due");
            if (member.balance != before) _surprise("a refused claimMany paid");
        }
    }

    /// @dev The co-op votes to replace a by-use grant's allocations; allowed only before its first claim.
    function replaceAllocation(uint256 requestSeed, uint256 amountsSeed, uint256 allocatedSeed) external step {
        (uint256 id, Req storage r) = _pickByUse(requestSeed, true);
        if (id == 0 || !r.posted) return;
        uint256 memberShare = revenue.distribution(id).memberShare;
        uint256[4] memory amounts;
        for (uint256 i = 0; i < 4; ++i) {
            amounts[i] = memberShare == 0 ? 0 : uint256(keccak256(abi.encode(amountsSeed, i))) % (memberShare / 2 + 1);
        }
        uint256 allocated = bound(allocatedSeed, 0, memberShare);
        (bytes32 root, ) = SmallMerkleTree.build(_treeMembers(), amounts);
        bool expected = !r.closed && r.claimCount == 0;
        uint256 topUp = allocated > r.allocated ? allocated - r.allocated : 0;
        uint256 back = allocated > r.allocated ? 0 : r.allocated - allocated;
        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        try revenue.replaceAllocation{value: topUp}(id, root, allocated) {
            if (!expected) return _surprise("replaced allocations after a claim or a sweep");
            if (address(timelock).balance + topUp != before + back) return _surprise("replacement money");
            r.amounts = amounts;
            r.allocated = allocated;
            _treasuryReceived = _treasuryReceived + back - topUp;
            ++replacements;
        } catch {
            if (expected) _surprise("could not replace allocations before any claim");
        }
    }

    /// @dev The co-op votes to sweep a grant's unclaimed shares back to the treasury once its claim period is over.
    function sweep(uint256 requestSeed) external step {
        (uint256 id, Req storage r) = _pick(requestSeed);
        if (id == 0) return;
        bool expected = r.deposited && !r.closed && currentTime >= r.start + CLAIM_PERIOD;
        uint256 unclaimed;
        if (r.deposited) {
            IRevenue.Distribution memory d = revenue.distribution(id);
            if (r.mode == IRevenue.Mode.EqualSplit) unclaimed = d.perMember * (d.memberCount - r.claimCount);
            else unclaimed = r.posted ? r.allocated - r.claimedByUse : d.memberShare;
        }
        uint256 before = address(timelock).balance;
        vm.prank(address(timelock));
        try revenue.sweep(id) returns (uint256 amount) {
            if (!expected) return _surprise("swept what it could not");
            if (amount != unclaimed || address(timelock).balance - before != amount) return _surprise("swept amount");
            r.closed = true;
            _treasuryReceived += amount;
            sweptInModel += amount;
            ++sweeps;
        } catch {
            if (expected) _surprise("could not sweep after the claim period");
        }
    }

    // ====================
    // Members and consent
    // ====================

    function admit(uint256 actorSeed) external step {
        address who = actors[actorSeed % ACTORS];
        bool member = isMember(who);
        vm.prank(address(timelock));
        try membership.admit(who) {
            if (member) return _surprise("admitted a member");
            bool returning = _stints[who].length != 0;
            _stints[who].push(Stint(currentTime, seq, 0, returning));
            if (returning) ++returns_;
        } catch {
            if (!member) _surprise("could not admit");
        }
    }

    function leave(uint256 actorSeed, bool resigns) external step {
        address who = actors[actorSeed % ACTORS];
        bool member = isMember(who);
        bool left;
        if (resigns) {
            vm.prank(who);
            try membership.resign() {
                left = true;
            } catch {}
        } else {
            vm.prank(address(timelock));
            try membership.remove(who) {
                left = true;
            } catch {}
        }
        if (left != member) return _surprise(member ? "a member could not leave" : "a non-member left");
        if (left) _stints[who][_stints[who].length - 1].leftSeq = seq;
    }

    function setConsent(uint256 actorSeed, uint256 mask) external step {
        address who = actors[actorSeed % ACTORS];
        mask = bound(mask, 0, ALL_PURPOSES);
        vm.prank(who);
        try consent.setConsent(mask) {
            _consent[who] = ConsentWrite(mask, currentTime, seq);
            ++consentWrites;
        } catch {
            _surprise("could not set consent");
        }
    }

    /// @dev A relayer sends a signature made now: the actor's own (accepted once, if it is the actor's latest decision
    /// of their current membership), or one made with another actor's key (refused, and nobody's consent changes).
    function setConsentBySig(uint256 actorSeed, uint256 signerSeed, uint256 mask) external step {
        uint256 i = actorSeed % ACTORS;
        uint256 signer = signerSeed % 2 == 0 ? i : (signerSeed >> 1) % ACTORS;
        address who = actors[i];
        mask = bound(mask, 0, ALL_PURPOSES);
        uint256 signedAt = currentTime;
        bytes memory signature = _signConsent(_keys[signer], who, mask, signedAt, currentTime);
        bytes memory refusal = _ownSignatureRefusal(who, signedAt);
        try consent.setConsentBySig(who, mask, signedAt, currentTime, signature) {
            if (signer != i) return _surprise("consent changed by another's signature");
            if (refusal.length != 0) return _surprise("a signature out of order was accepted");
            _consent[who] = ConsentWrite(mask, currentTime, seq);
            ++consentWrites;
            try consent.setConsentBySig(who, mask, signedAt, currentTime, signature) {
                _surprise("a consent signature was replayed");
            } catch (bytes memory reason) {
                _expect(
                    reason,
                    abi.encodeWithSelector(
                        IConsentRegistry.ConsentRegistryOutdatedSignature.selector,
                        who,
                        signedAt,
                        signedAt
                    ),
                    "replayed consent"
                );
            }
        } catch (bytes memory reason) {
            if (signer == i) {
                if (refusal.length == 0) return _surprise("the member's own signature was refused");
                return _expect(reason, refusal, "signature out of order");
            }
            _expect(
                reason,
                abi.encodeWithSelector(IConsentRegistry.ConsentRegistryInvalidSignature.selector, who),
                "forged consent"
            );
        }
    }

    function setGrantChoice(uint256 actorSeed, uint256 requestSeed, uint8 choice) external step {
        (uint256 id, ) = _pick(requestSeed);
        if (id == 0) return;
        address who = actors[actorSeed % ACTORS];
        vm.prank(who);
        try consent.setGrantChoice(id, IConsentRegistry.Choice(choice % 3)) {
            choiceSeq[who][id] = seq;
        } catch {
            _surprise("could not set a grant choice");
        }
    }

    function warp(uint256 secondsSeed) external step {
        // Mostly short hops (often none: the same second), sometimes past a grant's end.
        uint256 bucket = secondsSeed % 4;
        uint256 amount = secondsSeed >> 2;
        if (bucket == 0) currentTime += bound(amount, 0, 2);
        else if (bucket == 1) currentTime += bound(amount, 0, 1 hours);
        else if (bucket == 2) currentTime += bound(amount, 0, 10 days);
        else currentTime += bound(amount, 0, 45 days);
        vm.warp(currentTime);
    }

    // ===========================
    // What must fail: privilege
    // ===========================

    /// @dev A partner, a member, the guardian or the operator calls what only the timelock (or the operator) may.
    function tryPrivileged(uint256 callerSeed, uint256 requestSeed, uint256 which) external step {
        address[4] memory callers = [partners[callerSeed % PARTNERS], actors[callerSeed % ACTORS], guardian, operator];
        address caller = callers[(callerSeed >> 8) % 4];
        (uint256 id, ) = _pick(requestSeed);
        bytes memory data;
        address target = address(registry);
        uint256 kind = which % 6;
        if (kind == 0) data = abi.encodeCall(IDataAccessRegistry.approve, (id, _termsHash(id)));
        else if (kind == 1) data = abi.encodeCall(IDataAccessRegistry.reject, (id, _termsHash(id)));
        else if (kind == 2) data = abi.encodeCall(IDataAccessRegistry.setMaxDuration, (uint64(1)));
        else if (kind == 3) data = abi.encodeCall(IDataAccessRegistry.unpause, ());
        else if (kind == 4) {
            target = address(revenue);
            data = abi.encodeCall(IRevenue.setTreasuryShare, (uint16(0)));
        } else {
            if (caller == operator || caller == guardian) return;
            target = address(revenue);
            data = abi.encodeCall(IRevenue.postAllocation, (id, keccak256("forged"), 0));
        }
        vm.prank(caller);
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, ) = target.call(data);
        if (success) {
            ++privilegedSuccesses;
            lastPrivilegedSuccess = string.concat("call ", Strings.toString(kind), " succeeded");
        }
    }

    // =======
    // Views
    // =======

    function requestCount() external view returns (uint256) {
        return _reqs.length;
    }

    function req(uint256 id) external view returns (Req memory) {
        return _reqs[id - 1];
    }

    function consentWriteOf(address actor) external view returns (ConsentWrite memory) {
        return _consent[actor];
    }

    function isMember(address actor) public view returns (bool) {
        Stint[] storage stints = _stints[actor];
        return stints.length != 0 && stints[stints.length - 1].leftSeq == 0;
    }

    function wasMemberAt(address actor, uint256 time) public view returns (bool) {
        // A member at `time` if the last change at or before `time` was an admission (same-second changes: the
        // last one counts, as in a vote checkpoint).
        Stint[] storage stints = _stints[actor];
        for (uint256 k = stints.length; k > 0; --k) {
            Stint storage s = stints[k - 1];
            if (s.since > time) continue;
            return s.leftSeq == 0 || _leftAfter(s, time);
        }
        return false;
    }

    /// @dev The consent the contract should report now, by its documented rule: a member's last write, if made in
    /// their current membership (for a returning member, after the second of their return).
    function expectedConsent(address actor) public view returns (uint256) {
        if (!isMember(actor)) return 0;
        Stint storage s = _stints[actor][_stints[actor].length - 1];
        ConsentWrite storage w = _consent[actor];
        if (w.seq == 0) return 0;
        bool inForce = s.returning ? w.time > s.since : w.time >= s.since;
        return inForce ? w.mask : 0;
    }

    /// @dev Why the registry must refuse `actor`'s own consent signature made at `signedAt` (empty: it must accept):
    /// never admitted, made before their current (or last) membership, or not after their latest decision. (Relayed
    /// while out, it is accepted and stored, but never in force: see {expectedConsent}.)
    function _ownSignatureRefusal(address actor, uint256 signedAt) internal view returns (bytes memory) {
        if (_stints[actor].length == 0) {
            return abi.encodeWithSelector(IConsentRegistry.ConsentRegistryNotMember.selector, actor);
        }
        Stint storage s = _stints[actor][_stints[actor].length - 1];
        uint256 since = s.returning ? s.since + 1 : s.since;
        if (signedAt < since) {
            return
                abi.encodeWithSelector(
                    IConsentRegistry.ConsentRegistrySignedBeforeMembership.selector,
                    actor,
                    signedAt,
                    since
                );
        }
        ConsentWrite storage w = _consent[actor];
        if (w.seq != 0 && w.time >= signedAt) {
            return
                abi.encodeWithSelector(
                    IConsentRegistry.ConsentRegistryOutdatedSignature.selector,
                    actor,
                    signedAt,
                    w.time
                );
        }
        return "";
    }

    /// @dev The step at which `actor` last left (0 if never).
    function lastLeftSeq(address actor) public view returns (uint256 leftSeq) {
        Stint[] storage stints = _stints[actor];
        for (uint256 k = stints.length; k > 0; --k) {
            if (stints[k - 1].leftSeq != 0) return stints[k - 1].leftSeq;
        }
    }

    function treasuryReceived() external view returns (uint256) {
        return _treasuryReceived;
    }

    function refundOwedInModel(address partner) external view returns (uint256) {
        return _refundOwedInModel(partner) - _refundedTo[partner];
    }

    // =========
    // Internals
    // =========

    mapping(uint256 seq => uint256 time) internal _timeOfStep;

    function _leftAfter(Stint storage s, uint256 time) internal view returns (bool) {
        return _timeOfStep[s.leftSeq] > time;
    }

    function _noteInactive() internal {
        _timeOfStep[seq] = currentTime;
        for (uint256 k = 0; k < _reqs.length; ++k) {
            Req storage r = _reqs[k];
            if (r.start == 0) continue;
            if (r.status == IDataAccessRegistry.Status.Revoked || currentTime >= r.start + r.duration) {
                r.seenInactive = true;
            }
        }
    }

    function _refundOwedInModel(address partner) internal view returns (uint256 owed) {
        for (uint256 k = 0; k < _reqs.length; ++k) {
            Req storage r = _reqs[k];
            if (
                r.partner == partner &&
                (r.status == IDataAccessRegistry.Status.Rejected || r.status == IDataAccessRegistry.Status.Withdrawn)
            ) owed += r.fee;
        }
    }

    /// @dev Mostly a request in `status` (if any), sometimes any request, so that decisions meet live requests.
    function _pickIn(
        uint256 seed,
        IDataAccessRegistry.Status status
    ) internal view returns (uint256 id, Req storage r) {
        uint256 n = _reqs.length;
        if (seed % 4 != 0) {
            for (uint256 k = 0; k < n; ++k) {
                uint256 candidate = ((seed >> 2) + k) % n;
                if (_reqs[candidate].status == status) return (candidate + 1, _reqs[candidate]);
            }
        }
        return _pick(seed >> 2);
    }

    /// @dev Mostly a deposited by-use grant whose allocation is (`posted`) or is not yet posted, if any.
    function _pickByUse(uint256 seed, bool posted) internal view returns (uint256 id, Req storage r) {
        uint256 n = _reqs.length;
        if (seed % 4 != 0) {
            for (uint256 k = 0; k < n; ++k) {
                uint256 candidate = ((seed >> 2) + k) % n;
                Req storage c = _reqs[candidate];
                if (c.deposited && c.mode == IRevenue.Mode.ByUse && c.posted == posted) return (candidate + 1, c);
            }
        }
        return _pick(seed >> 2);
    }

    function _pick(uint256 seed) internal view returns (uint256 id, Req storage r) {
        if (_reqs.length == 0) return (0, _empty);
        id = (seed % _reqs.length) + 1;
        r = _reqs[id - 1];
    }

    Req internal _empty;

    function _indexOfPartner(address partner) internal view returns (uint256) {
        for (uint256 k = 0; k < PARTNERS; ++k) {
            if (partners[k] == partner) return k;
        }
        return 0;
    }

    function _termsHash(uint256 id) internal view returns (bytes32) {
        return id == 0 ? bytes32(0) : registry.request(id).termsHash;
    }

    function _treeMembers() internal view returns (address[4] memory) {
        return [actors[0], actors[1], actors[2], actors[3]];
    }

    function _scope() internal pure returns (IDataAccessRegistry.Scope memory) {
        return IDataAccessRegistry.Scope({fieldMask: 3, rowLevel: false, minCohort: 5, exactTabulations: bytes32(0)});
    }

    function _signConsent(
        uint256 key,
        address member,
        uint256 mask,
        uint256 signedAt,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(
                keccak256("SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)"),
                member,
                mask,
                signedAt,
                deadline
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _consentDigest(structHash));
        return abi.encodePacked(r, s, v);
    }

    function _consentDigest(bytes32 structHash) internal view returns (bytes32) {
        return _typedDataDigest(consent, structHash);
    }

    function _expectStatus(bytes memory reason, uint256 id, IDataAccessRegistry.Status status) internal {
        _expect(
            reason,
            abi.encodeWithSelector(IDataAccessRegistry.DataAccessRegistryUnexpectedStatus.selector, id, status),
            "status"
        );
    }

    function _expect(bytes memory reason, bytes memory expected, string memory what) internal {
        if (keccak256(reason) != keccak256(expected)) _surprise(string.concat(what, ": unexpected revert"));
    }

    function _surprise(string memory what) internal {
        ++surprises;
        lastSurprise = what;
    }
}

/// @notice Properties of the data contracts that hold after any sequence of the handler's actions.
/// @dev Each invariant runs its own campaign; runs and depth are set per function to keep the suite fast.
contract DataInvariantTest is Test, DataCoopDeployer {
    uint256 internal constant START = 1_750_000_000;

    DataHandler internal handler;
    DataAccessRegistry internal registry;
    ConsentRegistry internal consent;
    Revenue internal revenue;
    Membership internal membership;
    TimelockController internal timelock;
    address[] internal actors;
    address[] internal partners;

    function setUp() public {
        vm.warp(START);
        uint256 count = 7;
        uint256[] memory keys = new uint256[](count);
        address[] memory founders = new address[](5);
        for (uint256 i = 0; i < count; ++i) {
            (address actor, uint256 key) = makeAccount(string.concat("member", Strings.toString(i)));
            actors.push(actor);
            keys[i] = key;
            if (i < founders.length) founders[i] = actor;
        }
        partners.push(makeAddr("partner0"));
        partners.push(makeAddr("partner1"));
        address guardian = makeAddr("guardian");
        address operator = makeAddr("operator");

        DataCoop memory deployed = _deployDataCoop(_defaultConfig(founders), _defaultDataConfig(guardian, operator));
        registry = deployed.registry;
        consent = deployed.consent;
        revenue = deployed.revenue;
        membership = deployed.coop.membership;
        timelock = deployed.coop.timelock;
        string[] memory fields = new string[](2);
        fields[0] = "region";
        fields[1] = "yield_kg";
        vm.prank(address(timelock));
        registry.registerDataset("Harvests", "ipfs://schema", keccak256("schema"), fields);
        vm.prank(address(timelock));
        revenue.setClaimPeriod(uint48(30 days));
        skip(1);

        handler = new DataHandler(
            registry,
            consent,
            revenue,
            membership,
            timelock,
            guardian,
            operator,
            actors,
            keys,
            partners
        );
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](21);
        selectors[0] = DataHandler.requestAccess.selector;
        selectors[1] = DataHandler.withdrawRequest.selector;
        selectors[2] = DataHandler.claimRefund.selector;
        selectors[3] = DataHandler.approve.selector;
        selectors[4] = DataHandler.reject.selector;
        selectors[5] = DataHandler.revoke.selector;
        selectors[6] = DataHandler.pauseOrUnpause.selector;
        selectors[7] = DataHandler.setMode.selector;
        selectors[8] = DataHandler.claimEqual.selector;
        selectors[9] = DataHandler.postAllocation.selector;
        selectors[10] = DataHandler.claimByUse.selector;
        selectors[11] = DataHandler.admit.selector;
        selectors[12] = DataHandler.leave.selector;
        selectors[13] = DataHandler.setConsent.selector;
        selectors[14] = DataHandler.setConsentBySig.selector;
        selectors[15] = DataHandler.setGrantChoice.selector;
        selectors[16] = DataHandler.warp.selector;
        selectors[17] = DataHandler.tryPrivileged.selector;
        selectors[18] = DataHandler.claimMany.selector;
        selectors[19] = DataHandler.replaceAllocation.selector;
        selectors[20] = DataHandler.sweep.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @dev A grant is active exactly when the timelock approved it, its end is ahead, it is not revoked and the
    /// registry is not paused; once revoked or expired it is never active again.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 96
    function invariant_grantActiveOnlyWhenApprovedBeforeEndAndNotRevoked() public {
        _sync();
        uint256 count = handler.requestCount();
        assertEq(registry.requestCount(), count, "requests");
        for (uint256 id = 1; id <= count; ++id) {
            DataHandler.Req memory r = handler.req(id);
            IDataAccessRegistry.RequestView memory onChain = registry.request(id);
            assertEq(uint256(onChain.status), uint256(r.status), "status");
            bool expected =
                r.status == IDataAccessRegistry.Status.Approved && _now() < r.start + r.duration && !handler.paused();
            bool active = registry.isGrantActive(id);
            assertEq(active, expected, "active");
            if (r.seenInactive) assertFalse(active, "a revoked or expired grant is active again");
            if (r.start != 0) assertEq(onChain.start, r.start, "start is the approval by the timelock");
        }
        assertEq(handler.privilegedSuccesses(), 0, handler.lastPrivilegedSuccess());
        _assertNoSurprise();
    }

    /// @dev Every wei partners paid is in escrow, owed or paid back as a refund, or deposited; every deposited wei
    /// went to the treasury, to members, or is held for them; and the contracts hold exactly what they owe.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 96
    function invariant_feesAreConserved() public {
        _sync();
        (uint256 received, uint256 escrowed, uint256 refundable, uint256 refunded) = registry.totals();
        (
            uint256 deposited,
            uint256 toTreasury,
            uint256 claimed,
            uint256 claimable,
            uint256 awaiting,
            uint256 swept
        ) = revenue.totals();
        assertEq(swept, handler.sweptInModel(), "swept back to the treasury");
        assertLe(swept, toTreasury, "swept is part of the treasury's");
        assertEq(received, handler.paidByPartners(), "received what partners paid");
        assertEq(received, escrowed + refundable + refunded + deposited, "registry accounts");
        assertEq(deposited, toTreasury + claimed + claimable + awaiting, "revenue accounts");
        assertEq(address(registry).balance, escrowed + refundable, "registry holds escrow and refunds owed");
        assertEq(address(revenue).balance, claimable + awaiting, "revenue holds what members are owed");
        assertEq(address(timelock).balance, toTreasury, "treasury received its share");
        assertEq(handler.treasuryReceived(), toTreasury, "treasury payments seen");
        assertEq(refunded, handler.refundsReceived(), "refunds paid out");
        assertEq(claimed, handler.claimsReceived() + handler.byUseClaimsReceived(), "claims paid out");

        uint256 pending;
        uint256 count = handler.requestCount();
        for (uint256 id = 1; id <= count; ++id) {
            DataHandler.Req memory r = handler.req(id);
            if (r.status == IDataAccessRegistry.Status.Pending) pending += r.fee;
        }
        assertEq(escrowed, pending, "escrow is the pending fees");
        uint256 owed;
        for (uint256 k = 0; k < partners.length; ++k) {
            uint256 refund = registry.refundOf(partners[k]);
            assertEq(refund, handler.refundOwedInModel(partners[k]), "refund owed");
            owed += refund;
        }
        assertEq(refundable, owed, "refundable is what partners are owed");
        _assertNoSurprise();
    }

    /// @dev Each member's stored consent is their own last write (a forged signature changes nothing); what is in
    /// force follows the documented rule, and nothing written before a member last left is ever in force.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 96
    function invariant_consentChangesOnlyByTheMember() public {
        _sync();
        uint256 count = handler.requestCount();
        for (uint256 i = 0; i < actors.length; ++i) {
            address actor = actors[i];
            DataHandler.ConsentWrite memory w = handler.consentWriteOf(actor);
            (uint256 mask, uint48 updatedAt) = consent.storedConsent(actor);
            assertEq(mask, w.mask, "stored consent is the member's last write");
            assertEq(updatedAt, w.time, "written when the member wrote it");
            uint256 inForce = consent.consentOf(actor);
            assertEq(inForce, handler.expectedConsent(actor), "consent in force");
            uint256 leftSeq = handler.lastLeftSeq(actor);
            if (inForce != 0) assertGt(w.seq, leftSeq, "consent survived leaving");
            for (uint256 id = 1; id <= count; ++id) {
                if (consent.grantChoiceOf(actor, id) != IConsentRegistry.Choice.Default) {
                    assertGt(handler.choiceSeq(actor, id), leftSeq, "a grant choice survived leaving");
                }
            }
        }
        _assertNoSurprise();
    }

    /// @dev Each member is paid at most once per grant, and members of an equal split get exactly their share.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 96
    function invariant_noDoubleClaim() public {
        _sync();
        uint256 count = handler.requestCount();
        for (uint256 id = 1; id <= count; ++id) {
            IRevenue.Distribution memory d = revenue.distribution(id);
            uint256 paid;
            for (uint256 i = 0; i < actors.length; ++i) {
                bool claimed = handler.claimedInModel(id, actors[i]);
                assertEq(revenue.isClaimed(id, actors[i]), claimed, "claimed bit");
                if (claimed) ++paid;
            }
            assertEq(d.claims, paid, "claims counted");
            assertEq(d.closed, handler.req(id).closed, "closed by a sweep");
            if (d.mode == IRevenue.Mode.EqualSplit) {
                assertLe(paid, d.memberCount, "more claims than members at approval");
                assertLe(paid * d.perMember, d.memberShare, "paid beyond the member share");
            }
        }
        _assertNoSurprise();
    }

    /// @dev By-use claims never exceed the posted total, which never exceeds the grant's member share.
    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 96
    function invariant_merkleClaimsWithinMemberShare() public {
        _sync();
        uint256 count = handler.requestCount();
        for (uint256 id = 1; id <= count; ++id) {
            IRevenue.Distribution memory d = revenue.distribution(id);
            if (d.mode != IRevenue.Mode.ByUse) continue;
            DataHandler.Req memory r = handler.req(id);
            assertLe(d.claimed, d.allocated, "claims beyond the posted total");
            assertLe(d.allocated, d.memberShare, "posted beyond the member share");
            assertEq(d.claimed, r.claimedByUse, "by-use claims paid");
            assertEq(d.allocated, r.allocated, "posted total");
        }
        _assertNoSurprise();
    }

    /// @dev The handler's model agrees with the contracts on a known path (so a silent handler cannot pass).
    function test_handler_followsAGrantFromRequestToClaims() public {
        handler.requestAccess(0, 1 + (10 ether << 2), 30 days); // partner0, 10 ETH (bucket 1)
        handler.requestAccess(1, 1 + (2 ether << 2), 30 days);
        handler.setConsent(0, 1);
        handler.warp(1 + (1 hours << 2));
        handler.approve(0);
        handler.reject(1);
        handler.claimEqual(0, 0);
        handler.claimEqual(0, 1);
        handler.claimRefund(1);
        handler.leave(0, true);
        handler.admit(0);
        handler.revoke(0, true);
        handler.setConsentBySig(1, 5, 7); // signed with another actor's key: refused
        handler.setConsentBySig(1, 2, 7); // the member's own
        assertEq(handler.approvals(), 1, "approved");
        assertEq(handler.claims(), 2, "two claims");
        assertEq(handler.refunds(), 1, "one refund");
        assertEq(handler.revocations(), 1, "revoked");
        assertEq(handler.returns_(), 1, "returned");
        assertEq(handler.consentWrites(), 2, "consent writes");
        assertEq(consent.consentOf(actors[0]), 0, "consent void after leaving");
        assertEq(consent.consentOf(actors[1]), 7, "signed consent");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        invariant_feesAreConserved();
        invariant_grantActiveOnlyWhenApprovedBeforeEndAndNotRevoked();
    }

    /// @dev The revenue actions added for issue 15 on a known path: a by-use allocation replaced before any claim
    /// (the treasury tops it up), two grants claimed in one call, no replacement after a claim, and both grants
    /// swept once their claim period is over, after which nothing more is paid.
    function test_handler_replacesClaimsManyAndSweeps() public {
        handler.requestAccess(0, 1 + (10 ether << 2), 60 days);
        handler.requestAccess(1, 1 + (20 ether << 2), 60 days);
        handler.approve(1); // request 1, equal split
        handler.setMode(true);
        handler.approve(1); // request 2, by use
        handler.postAllocation(1, 7, 10 ether);
        handler.replaceAllocation(1, 9, 18 ether); // the whole member share: 8 ETH back from the treasury
        handler.claimMany(0, 1, 5); // founder 0: the equal share of 1 and the allocation of 2
        handler.replaceAllocation(1, 11, 5 ether); // refused: someone has claimed
        handler.warp(3 + (45 days << 2));
        handler.sweep(0);
        handler.sweep(1);
        handler.claimEqual(1, 1); // founder 1 on the swept grant 1: refused
        assertEq(handler.replacements(), 1, "replaced once");
        assertEq(handler.multiClaims(), 1, "claimed two grants in one call");
        assertEq(handler.sweeps(), 2, "both grants swept");
        assertEq(handler.claims(), 0, "nothing paid after the sweep");
        (, , , uint256 claimable, uint256 awaiting, uint256 swept) = revenue.totals();
        assertEq(claimable + awaiting, 0, "nothing left owed");
        assertGt(swept, 0, "unclaimed shares swept");
        assertEq(address(revenue).balance, 0, "nothing left locked");
        assertEq(handler.surprises(), 0, handler.lastSurprise());
        invariant_feesAreConserved();
        invariant_noDoubleClaim();
        invariant_merkleClaimsWithinMemberShare();
    }

    function _sync() internal {
        vm.warp(handler.currentTime());
    }

    function _assertNoSurprise() internal view {
        assertEq(handler.surprises(), 0, handler.lastSurprise());
    }
}
