// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {ConsentRegistry} from "../../contracts/ConsentRegistry.sol";
import {DataAccessRegistry} from "../../contracts/DataAccessRegistry.sol";
import {Membership} from "../../contracts/Membership.sol";
import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {IDataAccessRegistry} from "../../contracts/interfaces/IDataAccessRegistry.sol";
import {DataCoopDeployer} from "../utils/DataCoopDeployer.sol";
import {Test, FuzzSelector} from "../utils/Test.sol";

/// @notice Members decide (directly, or by signing for a relayer), leave and return, while a relayer sends any
/// signature it ever received, in any order, as often as it likes. The handler keeps its own model of every decision
/// and when it was made, independent of the registry's rule.
/// @dev One decision per member, entry and second: two decisions of one second have no order to check against.
contract ConsentOrderHandler is Test {
    uint256 internal constant ACTORS = 4;
    uint256 internal constant ENTRIES = 2; // 0: standing consent; 1: the choice for grant 1
    uint256 internal constant GRANT = 1;
    uint256 internal constant LIFETIME = 2 days; // how long a signature may be relayed

    /// @dev A decision as the member made it.
    struct Decision {
        uint256 actor;
        uint256 entry;
        uint256 value;
        uint256 madeAt;
        bool signed;
        bool submitted; // reached the chain: made directly, or relayed before its deadline while the signer was in
        bytes signature;
    }

    /// @dev A stay in the co-op: from `since` (and from the next second for a returning member), `active` while in.
    struct Stint {
        uint256 since;
        bool returning;
        bool active;
    }

    ConsentRegistry public immutable consent;
    Membership public immutable membership;
    address public immutable timelock;
    address[] public actors;
    uint256[] internal _keys;

    uint256 public currentTime;
    Decision[] internal _decisions;
    mapping(uint256 actor => Stint) public stints;
    mapping(uint256 actor => bool) public everAdmitted;
    mapping(uint256 actor => mapping(uint256 entry => uint256 time)) internal _lastDecisionAt;

    uint256 public accepted;
    uint256 public refusedAsOutdated;
    uint256 public refusedBeforeMembership;
    uint256 public surprises;
    string public lastSurprise;

    modifier step() {
        vm.warp(currentTime);
        _;
    }

    constructor(
        ConsentRegistry consent_,
        Membership membership_,
        address timelock_,
        address[] memory actors_,
        uint256[] memory keys_,
        uint256 founders
    ) {
        consent = consent_;
        membership = membership_;
        timelock = timelock_;
        actors = actors_;
        _keys = keys_;
        currentTime = _now();
        for (uint256 i = 0; i < founders; ++i) {
            stints[i] = Stint(membership_.memberSince(actors_[i]), false, true);
            everAdmitted[i] = true;
        }
    }

    // ---- members decide ----

    /// @dev A direct call: always the member's latest decision.
    function decideDirectly(uint256 actorSeed, uint256 entrySeed, uint256 value) external step {
        (uint256 i, uint256 entry) = _pick(actorSeed, entrySeed);
        value = _value(entry, value);
        vm.prank(actors[i]);
        if (entry == 0) consent.setConsent(value);
        else consent.setGrantChoice(GRANT, IConsentRegistry.Choice(value));
        _decisions.push(Decision(i, entry, value, currentTime, false, true, ""));
        _lastDecisionAt[i][entry] = currentTime;
    }

    /// @dev The member signs a decision now and hands it to the relayer, which may send it later, or never.
    function sign(uint256 actorSeed, uint256 entrySeed, uint256 value) external step {
        (uint256 i, uint256 entry) = _pick(actorSeed, entrySeed);
        value = _value(entry, value);
        bytes32 structHash =
            entry == 0
                ? keccak256(
                    abi.encode(
                        keccak256("SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)"),
                        actors[i],
                        value,
                        currentTime,
                        currentTime + LIFETIME
                    )
                )
                : keccak256(
                    abi.encode(
                        keccak256(
                            "SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline)"
                        ),
                        actors[i],
                        GRANT,
                        value,
                        currentTime,
                        currentTime + LIFETIME
                    )
                );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_keys[i], _typedDataDigest(consent, structHash));
        _decisions.push(Decision(i, entry, value, currentTime, true, false, abi.encodePacked(r, s, v)));
        _lastDecisionAt[i][entry] = currentTime;
    }

    /// @dev The relayer sends any signature it holds: new, old, already sent, from an earlier membership.
    function relay(uint256 decisionSeed) external step {
        if (_decisions.length == 0) return;
        Decision storage d = _decisions[decisionSeed % _decisions.length];
        if (!d.signed) return;
        address member = actors[d.actor];
        uint256 deadline = d.madeAt + LIFETIME;
        bool success;
        bytes memory reason;
        if (d.entry == 0) {
            try consent.setConsentBySig(member, d.value, d.madeAt, deadline, d.signature) {
                success = true;
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            try
                consent.setGrantChoiceBySig(
                    member,
                    GRANT,
                    IConsentRegistry.Choice(d.value),
                    d.madeAt,
                    deadline,
                    d.signature
                )
            {
                success = true;
            } catch (bytes memory r) {
                reason = r;
            }
        }
        // Relayed while its signer is out, it cannot reach their record (they have none in force).
        if (currentTime <= deadline && stints[d.actor].active) d.submitted = true;
        if (success) {
            ++accepted;
            return;
        }
        bytes4 selector = bytes4(reason);
        if (selector == IConsentRegistry.ConsentRegistryOutdatedSignature.selector) ++refusedAsOutdated;
        else if (selector == IConsentRegistry.ConsentRegistrySignedBeforeMembership.selector) ++refusedBeforeMembership;
        else if (
            selector != IConsentRegistry.ConsentRegistryNotMember.selector &&
            selector != IConsentRegistry.ConsentRegistryExpiredSignature.selector
        ) _surprise("a relay failed for an unexpected reason");
    }

    // ---- membership and time ----

    function leave(uint256 actorSeed, bool resigns) external step {
        uint256 i = actorSeed % ACTORS;
        if (!stints[i].active) return;
        if (resigns) {
            vm.prank(actors[i]);
            membership.resign();
        } else {
            vm.prank(timelock);
            membership.remove(actors[i]);
        }
        stints[i].active = false;
    }

    function admit(uint256 actorSeed) external step {
        uint256 i = actorSeed % ACTORS;
        if (stints[i].active) return;
        vm.prank(timelock);
        membership.admit(actors[i]);
        stints[i] = Stint(currentTime, everAdmitted[i], true);
        everAdmitted[i] = true;
    }

    function warp(uint256 secondsSeed) external step {
        // Mostly short hops (several decisions close together), sometimes past a signature's lifetime.
        uint256 hop = secondsSeed % 4 == 0 ? 1 hours + (secondsSeed % 3 days) : 1 + (secondsSeed % 30);
        currentTime += hop;
        vm.warp(currentTime);
    }

    // ---- the model ----

    /// @dev What must be in force for `actor`'s `entry`: the latest of their decisions that reached the chain and
    /// were made in their current membership (from the second after a return); nothing when they are out.
    function expected(uint256 i, uint256 entry) public view returns (uint256 value) {
        Stint memory s = stints[i];
        if (!s.active) return 0;
        uint256 from = s.returning ? s.since + 1 : s.since;
        uint256 latest;
        bool found;
        for (uint256 k = 0; k < _decisions.length; ++k) {
            Decision storage d = _decisions[k];
            if (d.actor != i || d.entry != entry || !d.submitted || d.madeAt < from) continue;
            if (!found || d.madeAt > latest) {
                latest = d.madeAt;
                value = d.value;
                found = true;
            }
        }
    }

    function decisionCount() external view returns (uint256) {
        return _decisions.length;
    }

    function _pick(uint256 actorSeed, uint256 entrySeed) internal returns (uint256 i, uint256 entry) {
        i = actorSeed % ACTORS;
        entry = entrySeed % ENTRIES;
        if (_lastDecisionAt[i][entry] == currentTime) {
            currentTime += 1;
            vm.warp(currentTime);
        }
    }

    function _value(uint256 entry, uint256 seed) internal pure returns (uint256) {
        return entry == 0 ? seed % 512 : seed % 3;
    }

    function _surprise(string memory what) internal {
        ++surprises;
        lastSurprise = what;
    }
}

/// @notice Issue 15's first finding as a property: a member's consent in force is always their latest decision in
/// their current membership, whatever order (and however often) signatures are relayed in.
contract ConsentOrderInvariantTest is Test, DataCoopDeployer {
    uint256 internal constant START = 1_750_000_000;

    ConsentOrderHandler internal handler;
    ConsentRegistry internal consent;
    Membership internal membership;
    address[] internal actors;

    function setUp() public {
        vm.warp(START);
        uint256 count = 4;
        uint256[] memory keys = new uint256[](count);
        address[] memory founders = new address[](3);
        for (uint256 i = 0; i < count; ++i) {
            (address actor, uint256 key) = makeAccount(string.concat("member", Strings.toString(i)));
            actors.push(actor);
            keys[i] = key;
            if (i < founders.length) founders[i] = actor;
        }
        DataCoop memory deployed = _deployDataCoop(
            _defaultConfig(founders),
            _defaultDataConfig(address(0), address(0))
        );
        consent = deployed.consent;
        membership = deployed.coop.membership;
        DataAccessRegistry registry = deployed.registry;
        address timelock = address(deployed.coop.timelock);
        string[] memory fields = new string[](1);
        fields[0] = "yield_kg";
        vm.prank(timelock);
        registry.registerDataset("Harvests", "ipfs://schema", keccak256("schema"), fields);
        address partner = makeAddr("partner");
        vm.prank(partner);
        registry.requestAccess(
            1,
            0,
            IDataAccessRegistry.Scope({fieldMask: 1, rowLevel: false, minCohort: 2, exactTabulations: bytes32(0)}),
            30 days,
            "ipfs://terms",
            "Partner"
        );
        skip(1);

        handler = new ConsentOrderHandler(consent, membership, timelock, actors, keys, founders.length);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](8);
        selectors[0] = ConsentOrderHandler.decideDirectly.selector;
        selectors[1] = ConsentOrderHandler.sign.selector;
        selectors[2] = ConsentOrderHandler.sign.selector;
        selectors[3] = ConsentOrderHandler.relay.selector;
        selectors[4] = ConsentOrderHandler.relay.selector;
        selectors[5] = ConsentOrderHandler.leave.selector;
        selectors[6] = ConsentOrderHandler.admit.selector;
        selectors[7] = ConsentOrderHandler.warp.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 80
    function invariant_consentInForceIsTheLatestDecisionOfTheCurrentMembership() public {
        vm.warp(handler.currentTime());
        for (uint256 i = 0; i < actors.length; ++i) {
            assertEq(consent.consentOf(actors[i]), handler.expected(i, 0), "standing consent");
            assertEq(uint256(consent.grantChoiceOf(actors[i], 1)), handler.expected(i, 1), "grant choice");
        }
        assertEq(handler.surprises(), 0, handler.lastSurprise());
    }

    /// @dev The attack of issue 15 in one sequence: consent signed, withdrawn by a later signature, the old one
    /// relayed after the withdrawal and again after leaving and returning; and a direct opt-out it cannot undo.
    function test_handler_olderSignaturesNeverWin() public {
        handler.sign(0, 0, 511); // decision 0: consent to everything
        handler.warp(5);
        handler.sign(0, 0, 0); // decision 1: withdraw
        handler.relay(1);
        handler.relay(0); // the older one, after the withdrawal: refused
        assertEq(consent.consentOf(actors[0]), 0, "withdrawal undone");
        handler.leave(0, true);
        handler.warp(5);
        handler.admit(0);
        handler.warp(5);
        handler.relay(0); // from the earlier membership: refused
        assertEq(consent.consentOf(actors[0]), 0, "earlier membership revived");
        handler.sign(0, 1, 1); // decision 2: opt in to grant 1
        handler.warp(5);
        handler.decideDirectly(0, 1, 2); // opt out, directly
        handler.relay(2);
        assertEq(uint256(consent.grantChoiceOf(actors[0], 1)), 2, "direct opt-out undone");
        assertEq(handler.refusedAsOutdated(), 2, "refused as outdated");
        assertEq(handler.refusedBeforeMembership(), 1, "refused as from an earlier membership");
        invariant_consentInForceIsTheLatestDecisionOfTheCurrentMembership();
    }
}
