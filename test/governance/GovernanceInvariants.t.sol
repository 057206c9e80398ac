// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Governor} from "@openzeppelin/contracts/governance/Governor.sol";
import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {GovernorVotesQuorumFraction} from "@openzeppelin/contracts/governance/extensions/GovernorVotesQuorumFraction.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {CoopGovernor} from "../../contracts/CoopGovernor.sol";
import {Membership} from "../../contracts/Membership.sol";
import {GovernorMemberCounting} from "../../contracts/governance/GovernorMemberCounting.sol";
import {IMembership} from "../../contracts/interfaces/IMembership.sol";
import {CoopDeployer} from "../utils/CoopDeployer.sol";
import {FuzzSelector, Test} from "../utils/Test.sol";

/// @notice Drives the co-op at random for the invariant suite and keeps a model of what should have happened.
/// Every call it makes is wrapped in try/catch and compared with the model, so the handler itself never reverts
/// and a surprise is recorded (`surprises`, `lastSurprise`) instead of being discarded by the fuzzer.
/// The timelock is pranked only where a passed vote would call: admit / remove on Membership.
contract GovernanceHandler is Test {
    uint256 public constant ACTORS = 10;
    uint256 public constant FOUNDERS = 3;
    uint256 public constant MAX_PROPOSALS = 8;

    struct Change {
        uint48 time;
        bool member;
    }

    Membership public immutable membership;
    CoopGovernor public immutable governor;
    TimelockController public immutable timelock;
    address public immutable deployer;

    address[] public actors;
    uint256[] internal _keys;

    /// @dev The handler's clock: each call starts by warping to it, whatever the runner did to the block.
    uint256 public currentTime;

    // ---- membership model ----
    mapping(address account => Change[]) internal _history;
    mapping(address account => uint256) public idOf;
    mapping(uint256 memberId => address) public holderOf;
    uint256 public lastId;
    uint256 public memberCount;

    // ---- proposal model ----
    uint256[] public proposalIds;
    mapping(uint256 proposalId => mapping(address voter => bool)) public voted;
    mapping(uint256 proposalId => uint256[3]) internal _tally;
    mapping(uint256 proposalId => uint256) public voterCount;
    mapping(uint256 proposalId => bool) public seenDefeated;
    uint256 public quorumChanges;
    uint256 internal _descriptionNonce;

    // ---- what must never happen ----
    uint256 public surprises;
    string public lastSurprise;
    uint256 public privilegedSuccesses;
    string public lastPrivilegedSuccess;
    uint256 public transfersSucceeded;

    // ---- how much each action did (to see the campaign reaches the interesting paths) ----
    uint256 public votesCounted;
    uint256 public votesRejected;
    uint256 public sigVotesCounted;
    uint256 public privilegedAttempts;

    /// @dev Every action runs at the handler's time and afterwards notes which proposals have been defeated.
    modifier step() {
        vm.warp(currentTime);
        _;
        _refreshDefeated();
    }

    constructor(
        Membership membership_,
        CoopGovernor governor_,
        TimelockController timelock_,
        address deployer_,
        address[] memory actors_,
        uint256[] memory keys_,
        uint256 foundedAt
    ) {
        membership = membership_;
        governor = governor_;
        timelock = timelock_;
        deployer = deployer_;
        actors = actors_;
        _keys = keys_;
        currentTime = _now();
        // The first FOUNDERS actors were admitted by the constructor, at deployment.
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            address founder = actors_[i];
            idOf[founder] = i + 1;
            holderOf[i + 1] = founder;
            _history[founder].push(Change(uint48(foundedAt), true));
        }
        lastId = FOUNDERS;
        memberCount = FOUNDERS;
    }

    // =====================================================================
    // Membership, as a passed vote (the timelock) or the member would do it
    // =====================================================================

    function admit(uint256 actorSeed) external step {
        address who = _actor(actorSeed);
        bool member = isMemberInModel(who);
        vm.prank(address(timelock));
        try membership.admit(who) returns (uint256 memberId) {
            if (member) {
                _surprise("admitted a member twice");
                return;
            }
            if (idOf[who] == 0) {
                idOf[who] = ++lastId;
                holderOf[lastId] = who;
            }
            if (memberId != idOf[who]) {
                _surprise("admission gave another member number");
                return;
            }
            _record(who, true);
        } catch (bytes memory reason) {
            if (!member) {
                _surprise("could not admit a non-member");
                return;
            }
            _expect(reason, abi.encodeWithSelector(IMembership.MembershipAlreadyMember.selector, who), "admit");
        }
    }

    function remove(uint256 actorSeed) external step {
        address who = _actor(actorSeed);
        vm.prank(address(timelock));
        try membership.remove(who) {
            _left(who, "removed a non-member");
        } catch (bytes memory reason) {
            _notMember(who, reason, "remove");
        }
    }

    function resign(uint256 actorSeed) external step {
        address who = _actor(actorSeed);
        vm.prank(who);
        try membership.resign() {
            _left(who, "a non-member resigned");
        } catch (bytes memory reason) {
            _notMember(who, reason, "resign");
        }
    }

    function warp(uint256 secondsSeed) external step {
        // Mostly short hops, sometimes past a whole voting period.
        uint256 bucket = secondsSeed % 4;
        uint256 amount = secondsSeed >> 2;
        if (bucket == 0) currentTime += bound(amount, 0, 60);
        else if (bucket == 1) currentTime += bound(amount, 0, 2 hours);
        else if (bucket == 2) currentTime += bound(amount, 0, 1 days);
        else currentTime += bound(amount, 0, 4 days);
        vm.warp(currentTime);
    }

    // =========
    // Proposals
    // =========

    function propose(uint256 actorSeed) external step {
        if (proposalIds.length >= MAX_PROPOSALS) return;
        address proposer = _actor(actorSeed);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _call(
            address(membership),
            abi.encodeCall(IMembership.applyForMembership, ("ipfs://proposal"))
        );
        string memory description = _nextDescription("proposal");
        bool eligible = wasMemberAt(proposer, currentTime - 1);

        vm.prank(proposer);
        try governor.propose(targets, values, calldatas, description) returns (uint256 proposalId) {
            if (!eligible) {
                _surprise("a non-member proposed");
                return;
            }
            proposalIds.push(proposalId);
        } catch (bytes memory reason) {
            if (eligible) {
                _surprise("a member could not propose");
                return;
            }
            _expect(
                reason,
                abi.encodeWithSelector(IGovernor.GovernorInsufficientProposerVotes.selector, proposer, 0, 1),
                "propose"
            );
        }
    }

    /// @dev A direct vote; if it counts, the same member immediately tries again.
    function vote(uint256 actorSeed, uint256 proposalSeed, uint256 supportSeed) external step {
        if (proposalIds.length == 0) return;
        uint256 proposalId = _pickProposal(proposalSeed);
        address voter = actors[_pickVoter(actorSeed, proposalId)];
        uint8 support = uint8(supportSeed % 4); // 3 is not a valid choice
        if (_castAndCheck(voter, proposalId, support, "")) {
            _castAndCheck(voter, proposalId, uint8((supportSeed >> 8) % 3), "");
        }
    }

    /// @dev A relayed vote signed with the member's key; if it counts, the relayer replays it.
    function voteBySig(uint256 actorSeed, uint256 proposalSeed, uint256 supportSeed) external step {
        if (proposalIds.length == 0) return;
        uint256 proposalId = _pickProposal(proposalSeed);
        uint256 i = _pickVoter(actorSeed, proposalId);
        address voter = actors[i];
        uint8 support = uint8(supportSeed % 3);
        bytes memory signature = _signBallot(_keys[i], proposalId, support);
        if (_castAndCheck(voter, proposalId, support, signature)) {
            ++sigVotesCounted;
            try governor.castVoteBySig(proposalId, support, voter, signature) {
                _surprise("a signed ballot counted twice");
            } catch (bytes memory reason) {
                _expect(reason, abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voter), "replay");
            }
        }
    }

    /// @dev The whole governance path to a new quorum: propose, every member at the snapshot votes For, queue, wait
    /// the timelock delay, execute. Proposals that lost before must stay lost.
    function changeQuorum(uint256 proposerSeed, uint256 percentSeed) external step {
        // A quorum change spans days and ends every open vote: keep it rare.
        if (percentSeed % 4 != 0 || proposalIds.length >= MAX_PROPOSALS) return;
        address proposer = _firstEligibleProposer(proposerSeed);
        if (proposer == address(0)) return;
        uint256 newPercent = bound(percentSeed >> 2, 5, 50);
        (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) = _call(
            address(governor),
            abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (newPercent))
        );
        string memory description = _nextDescription("quorum");
        bytes32 descriptionHash = keccak256(bytes(description));

        vm.prank(proposer);
        uint256 proposalId;
        try governor.propose(targets, values, calldatas, description) returns (uint256 id) {
            proposalId = id;
        } catch {
            _surprise("a member could not propose a quorum change");
            return;
        }
        proposalIds.push(proposalId);

        _advanceTo(governor.proposalSnapshot(proposalId) + 1);
        for (uint256 i = 0; i < ACTORS; ++i) {
            _castAndCheck(actors[i], proposalId, 1, "");
        }
        _advanceTo(governor.proposalDeadline(proposalId) + 1);
        // The proposer may have left in the same second, leaving nobody to vote: then it simply lost.
        if (voterCount[proposalId] == 0) return;
        if (governor.state(proposalId) != IGovernor.ProposalState.Succeeded) {
            _surprise("a unanimous vote did not pass");
            return;
        }
        try governor.queue(targets, values, calldatas, descriptionHash) {} catch {
            _surprise("could not queue a passed proposal");
            return;
        }
        _advanceTo(governor.proposalEta(proposalId));
        try governor.execute(targets, values, calldatas, descriptionHash) {} catch {
            _surprise("could not execute a queued proposal");
            return;
        }
        if (governor.quorumNumerator() != newPercent) {
            _surprise("quorum change not applied");
            return;
        }
        ++quorumChanges;
    }

    // =====================================
    // What must fail: transfers and privilege
    // =====================================

    function tryTransfer(uint256 fromSeed, uint256 toSeed, uint256 how) external step {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        uint256 memberId = idOf[from];
        if (memberId == 0 || !isMemberInModel(from)) return;
        bytes memory nonTransferable = abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, memberId);

        // The holder itself, and even the timelock (the token's contract owner), cannot move it.
        vm.prank(how % 2 == 0 ? from : address(timelock));
        try membership.transferFrom(from, to, memberId) {
            ++transfersSucceeded;
        } catch (bytes memory reason) {
            _expect(reason, nonTransferable, "transferFrom");
        }
        vm.prank(from);
        try membership.safeTransferFrom(from, to, memberId, "") {
            ++transfersSucceeded;
        } catch (bytes memory reason) {
            _expect(reason, nonTransferable, "safeTransferFrom");
        }
        vm.prank(from);
        try membership.approve(to, memberId) {
            ++transfersSucceeded;
        } catch (bytes memory reason) {
            _expect(reason, nonTransferable, "approve");
        }
        vm.prank(from);
        try membership.setApprovalForAll(to, true) {
            ++transfersSucceeded;
        } catch (bytes memory reason) {
            _expect(reason, abi.encodeWithSelector(IMembership.MembershipNonTransferable.selector, 0), "approveAll");
        }
        vm.prank(from);
        try membership.delegate(to) {
            ++transfersSucceeded;
        } catch (bytes memory reason) {
            _expect(reason, abi.encodeWithSelector(IMembership.MembershipDelegationDisabled.selector), "delegate");
        }
    }

    /// @dev Someone other than the timelock (a member, the deployer, anyone) calls a privileged function directly.
    function tryPrivileged(address caller, uint256 callerSeed, uint256 which) external step {
        // Governor and timelock are the two legitimate holders of power here.
        if (callerSeed % 3 == 0) caller = deployer;
        else if (callerSeed % 3 == 1) caller = _actor(callerSeed >> 2);
        if (caller == address(governor) || caller == address(timelock) || caller == address(vm)) caller = deployer;
        address newcomer = _actor(which >> 8);
        ++privilegedAttempts;

        (address target, bytes memory data, string memory name) = _privilegedCall(which % 16, caller, newcomer);
        vm.prank(caller);
        (bool ok, ) = target.call(data);
        if (ok) {
            ++privilegedSuccesses;
            lastPrivilegedSuccess = string.concat(name, " by ", Strings.toHexString(caller));
        }
    }

    // =====
    // Model
    // =====

    function proposalCount() external view returns (uint256) {
        return proposalIds.length;
    }

    function tally(uint256 proposalId) external view returns (uint256 against, uint256 for_, uint256 abstain) {
        uint256[3] storage t = _tally[proposalId];
        return (t[0], t[1], t[2]);
    }

    function isMemberInModel(address account) public view returns (bool) {
        Change[] storage changes = _history[account];
        return changes.length != 0 && changes[changes.length - 1].member;
    }

    /// @notice Whether the model says `account` was a member at `timepoint` (the last change at or before it).
    function wasMemberAt(address account, uint256 timepoint) public view returns (bool) {
        Change[] storage changes = _history[account];
        for (uint256 k = changes.length; k > 0; --k) {
            if (changes[k - 1].time <= timepoint) return changes[k - 1].member;
        }
        return false;
    }

    // ========
    // Internal
    // ========

    /// @dev Casts (by signature when one is given) and checks the outcome against the model: only the proposal's
    /// state, membership at the snapshot, an earlier ballot and the support value decide. Returns whether it counted.
    function _castAndCheck(
        address voter,
        uint256 proposalId,
        uint8 support,
        bytes memory signature
    ) internal returns (bool counted) {
        bytes memory expected = _expectedVoteError(voter, proposalId, support);
        bool success;
        bytes memory reason;
        if (signature.length == 0) {
            vm.prank(voter);
            try governor.castVote(proposalId, support) returns (uint256 weight) {
                success = true;
                if (weight != 1) _surprise("a vote weighed other than one");
            } catch (bytes memory r) {
                reason = r;
            }
        } else {
            try governor.castVoteBySig(proposalId, support, voter, signature) returns (uint256 weight) {
                success = true;
                if (weight != 1) _surprise("a signed vote weighed other than one");
            } catch (bytes memory r) {
                reason = r;
            }
        }

        if (success) {
            if (expected.length != 0) {
                _surprise(string.concat("vote counted that should fail by ", Strings.toHexString(voter)));
                return false;
            }
            voted[proposalId][voter] = true;
            ++_tally[proposalId][support];
            ++voterCount[proposalId];
            ++votesCounted;
            return true;
        }
        ++votesRejected;
        if (expected.length == 0) {
            _surprise(string.concat("eligible vote rejected for ", Strings.toHexString(voter)));
        } else {
            _expect(reason, expected, "vote");
        }
        return false;
    }

    function _expectedVoteError(address voter, uint256 proposalId, uint8 support) internal view returns (bytes memory) {
        IGovernor.ProposalState state = governor.state(proposalId);
        if (state != IGovernor.ProposalState.Active) {
            return
                abi.encodeWithSelector(
                    IGovernor.GovernorUnexpectedProposalState.selector,
                    proposalId,
                    state,
                    bytes32(1 << uint8(IGovernor.ProposalState.Active))
                );
        }
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        if (!wasMemberAt(voter, snapshot)) {
            return
                abi.encodeWithSelector(GovernorMemberCounting.GovernorMemberCountingNoVote.selector, voter, snapshot);
        }
        if (voted[proposalId][voter]) {
            return abi.encodeWithSelector(IGovernor.GovernorAlreadyCastVote.selector, voter);
        }
        if (support > 2) return abi.encodeWithSelector(IGovernor.GovernorInvalidVoteType.selector);
        return "";
    }

    function _privilegedCall(
        uint256 which,
        address caller,
        address newcomer
    ) internal view returns (address target, bytes memory data, string memory name) {
        address m = address(membership);
        address g = address(governor);
        address t = address(timelock);
        if (which == 0) return (m, abi.encodeCall(Membership.admit, (newcomer)), "admit");
        if (which == 1) return (m, abi.encodeCall(Membership.remove, (newcomer)), "remove");
        if (which == 2) return (m, abi.encodeCall(Ownable.transferOwnership, (caller)), "transferOwnership");
        if (which == 3) return (m, abi.encodeCall(Ownable.renounceOwnership, ()), "renounceOwnership");
        if (which == 4) return (g, abi.encodeCall(GovernorVotesQuorumFraction.updateQuorumNumerator, (1)), "quorum");
        if (which == 5) return (g, abi.encodeCall(CoopGovernor.setVotingDelay, (0)), "setVotingDelay");
        if (which == 6) return (g, abi.encodeCall(CoopGovernor.setVotingPeriod, (1 days)), "setVotingPeriod");
        if (which == 7) {
            return (g, abi.encodeCall(GovernorMemberCounting.setLateQuorumVoteExtension, (0)), "setExtension");
        }
        if (which == 8) {
            return (g, abi.encodeCall(Governor.relay, (m, 0, abi.encodeCall(Membership.admit, (newcomer)))), "relay");
        }
        if (which == 9) return (g, abi.encodeWithSignature("updateTimelock(address)", caller), "updateTimelock");
        bytes memory admitCall = abi.encodeCall(Membership.admit, (newcomer));
        if (which == 10) {
            return (t, abi.encodeCall(TimelockController.schedule, (m, 0, admitCall, 0, 0, 1 days)), "schedule");
        }
        if (which == 11) {
            return (t, abi.encodeCall(TimelockController.execute, (m, 0, admitCall, 0, 0)), "execute");
        }
        if (which == 12) {
            return (t, abi.encodeCall(IAccessControl.grantRole, (timelock.PROPOSER_ROLE(), caller)), "grantRole");
        }
        if (which == 13) {
            return (t, abi.encodeCall(IAccessControl.revokeRole, (timelock.PROPOSER_ROLE(), g)), "revokeRole");
        }
        if (which == 14) return (t, abi.encodeCall(TimelockController.updateDelay, (0)), "updateDelay");
        bytes32 operationId = timelock.hashOperation(m, 0, admitCall, 0, 0);
        return (t, abi.encodeCall(TimelockController.cancel, (operationId)), "cancel");
    }

    function _record(address who, bool member) internal {
        Change[] storage changes = _history[who];
        uint48 time = uint48(currentTime);
        // Checkpoints keep the last change of a second; so does the model.
        if (changes.length != 0 && changes[changes.length - 1].time == time) {
            changes[changes.length - 1].member = member;
        } else {
            changes.push(Change(time, member));
        }
        if (member) ++memberCount;
        else --memberCount;
    }

    function _left(address who, string memory ifNotMember) internal {
        if (!isMemberInModel(who)) {
            _surprise(ifNotMember);
            return;
        }
        _record(who, false);
    }

    function _notMember(address who, bytes memory reason, string memory what) internal {
        if (isMemberInModel(who)) {
            _surprise(string.concat(what, " failed for a member"));
            return;
        }
        _expect(reason, abi.encodeWithSelector(IMembership.MembershipNotMember.selector, who), what);
    }

    function _refreshDefeated() internal {
        for (uint256 k = 0; k < proposalIds.length; ++k) {
            uint256 proposalId = proposalIds[k];
            if (!seenDefeated[proposalId] && governor.state(proposalId) == IGovernor.ProposalState.Defeated) {
                seenDefeated[proposalId] = true;
            }
        }
    }

    function _advanceTo(uint256 time) internal {
        if (time > currentTime) currentTime = time;
        vm.warp(currentTime);
        _refreshDefeated();
    }

    function _firstEligibleProposer(uint256 seed) internal view returns (address) {
        for (uint256 k = 0; k < ACTORS; ++k) {
            address candidate = actors[(seed + k) % ACTORS];
            if (wasMemberAt(candidate, currentTime - 1)) return candidate;
        }
        return address(0);
    }

    /// @dev Mostly a proposal open for voting (if any), sometimes any proposal, so both paths get exercised.
    function _pickProposal(uint256 seed) internal view returns (uint256) {
        uint256 n = proposalIds.length;
        uint256 start = seed >> 2;
        if (seed % 4 != 0) {
            for (uint256 k = 0; k < n; ++k) {
                uint256 proposalId = proposalIds[(start + k) % n];
                if (governor.state(proposalId) == IGovernor.ProposalState.Active) return proposalId;
            }
        }
        return proposalIds[start % n];
    }

    /// @dev Mostly a member at the snapshot who has not voted yet (if any), sometimes anyone.
    function _pickVoter(uint256 seed, uint256 proposalId) internal view returns (uint256) {
        uint256 start = seed >> 2;
        uint256 snapshot = governor.proposalSnapshot(proposalId);
        if (seed % 4 != 0 && snapshot < currentTime) {
            for (uint256 k = 0; k < ACTORS; ++k) {
                uint256 i = (start + k) % ACTORS;
                if (wasMemberAt(actors[i], snapshot) && !voted[proposalId][actors[i]]) return i;
            }
        }
        return start % ACTORS;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % ACTORS];
    }

    function _call(
        address target,
        bytes memory data
    ) internal pure returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas) {
        targets = new address[](1);
        targets[0] = target;
        values = new uint256[](1);
        calldatas = new bytes[](1);
        calldatas[0] = data;
    }

    function _nextDescription(string memory kind) internal returns (string memory) {
        return string.concat(kind, " #", Strings.toString(++_descriptionNonce));
    }

    function _signBallot(uint256 key, uint256 proposalId, uint8 support) internal view returns (bytes memory) {
        address voter = vm.addr(key);
        bytes32 structHash = keccak256(abi.encode(governor.BALLOT_TYPEHASH(), proposalId, support, voter, uint256(0)));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _typedDataDigest(governor, structHash));
        return abi.encodePacked(r, s, v);
    }

    function _expect(bytes memory reason, bytes memory expected, string memory what) internal {
        if (keccak256(reason) != keccak256(expected)) _surprise(string.concat(what, ": unexpected revert"));
    }

    function _surprise(string memory what) internal {
        ++surprises;
        lastSurprise = what;
    }
}

/// @notice Properties of membership, voting and the timelock that hold after any sequence of the handler's actions
/// (admissions and removals by the timelock, resignations, time passing, proposals, direct and signed votes with
/// repeats, quorum changes through governance, transfer attempts, and privileged calls from anyone else).
/// @dev Each invariant runs its own campaign; runs and depth are set per function to keep the suite fast.
contract GovernanceInvariantTest is Test, CoopDeployer {
    uint256 internal constant START = 1_750_000_000;

    GovernanceHandler internal handler;
    Membership internal membership;
    CoopGovernor internal governor;
    TimelockController internal timelock;
    address[] internal actors;

    function setUp() public {
        vm.warp(START);
        uint256 count = 10;
        uint256[] memory keys = new uint256[](count);
        address[] memory founders = new address[](3);
        for (uint256 i = 0; i < count; ++i) {
            (address actor, uint256 key) = makeAccount(string.concat("member", Strings.toString(i)));
            actors.push(actor);
            keys[i] = key;
            if (i < founders.length) founders[i] = actor;
        }

        Coop memory coop = _deployCoop(_defaultConfig(founders));
        membership = coop.membership;
        governor = coop.governor;
        timelock = coop.timelock;
        skip(1);

        handler = new GovernanceHandler(membership, governor, timelock, address(this), actors, keys, START);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = GovernanceHandler.admit.selector;
        selectors[1] = GovernanceHandler.remove.selector;
        selectors[2] = GovernanceHandler.resign.selector;
        selectors[3] = GovernanceHandler.warp.selector;
        selectors[4] = GovernanceHandler.propose.selector;
        selectors[5] = GovernanceHandler.vote.selector;
        selectors[6] = GovernanceHandler.voteBySig.selector;
        selectors[7] = GovernanceHandler.changeQuorum.selector;
        selectors[8] = GovernanceHandler.tryTransfer.selector;
        selectors[9] = GovernanceHandler.tryPrivileged.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_votesAtMostOne() public {
        _sync();
        address[] memory seen = _seen();
        for (uint256 i = 0; i < seen.length; ++i) {
            address account = seen[i];
            uint256 votes = membership.getVotes(account);
            assertLe(votes, 1, "votes");
            assertLe(membership.balanceOf(account), 1, "tokens");
            assertLe(membership.getPastVotes(account, _now() - 1), 1, "past votes");
            assertEq(votes, handler.isMemberInModel(account) ? 1 : 0, "votes follow membership");
        }
        _assertNoSurprise();
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_sumOfVotesEqualsMemberCount() public {
        _sync();
        uint256 sum;
        uint256 pastSum;
        for (uint256 i = 0; i < actors.length; ++i) {
            sum += membership.getVotes(actors[i]);
            pastSum += membership.getPastVotes(actors[i], _now() - 1);
        }
        assertEq(sum, membership.memberCount(), "sum of votes");
        assertEq(sum, handler.memberCount(), "model member count");
        assertEq(pastSum, membership.getPastTotalSupply(_now() - 1), "sum of past votes");
        _assertNoSurprise();
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_tokensNeverMove() public {
        _sync();
        uint256 lastId = membership.lastMemberId();
        assertEq(lastId, handler.lastId(), "member numbers given");
        for (uint256 id = 1; id <= lastId; ++id) {
            address holder = handler.holderOf(id);
            assertEq(membership.memberIdOf(holder), id, "number kept by the address that got it");
            try membership.ownerOf(id) returns (address owner) {
                assertEq(owner, holder, "token owner");
                assertTrue(handler.isMemberInModel(holder), "only members hold tokens");
            } catch {
                assertFalse(handler.isMemberInModel(holder), "every member holds a token");
            }
        }
        assertEq(handler.transfersSucceeded(), 0, "a transfer, approval or delegation succeeded");
        _assertNoSurprise();
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_tallyMatchesVoters() public {
        _sync();
        uint256 proposals = handler.proposalCount();
        for (uint256 k = 0; k < proposals; ++k) {
            uint256 proposalId = handler.proposalIds(k);
            uint256 snapshot = governor.proposalSnapshot(proposalId);
            (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes) = governor.proposalVotes(proposalId);
            (uint256 againstSeen, uint256 forSeen, uint256 abstainSeen) = handler.tally(proposalId);
            assertEq(againstVotes, againstSeen, "against");
            assertEq(forVotes, forSeen, "for");
            assertEq(abstainVotes, abstainSeen, "abstain");
            assertEq(againstVotes + forVotes + abstainVotes, handler.voterCount(proposalId), "distinct voters");

            for (uint256 i = 0; i < actors.length; ++i) {
                bool voted = handler.voted(proposalId, actors[i]);
                assertEq(governor.hasVoted(proposalId, actors[i]), voted, "hasVoted");
                // Only members at the snapshot voted, whoever joined or left since.
                if (voted && snapshot < _now()) {
                    assertTrue(handler.wasMemberAt(actors[i], snapshot), "voter was a member at the snapshot");
                    assertEq(membership.getPastVotes(actors[i], snapshot), 1, "voter had a vote at the snapshot");
                }
            }
        }
        // The handler compared every vote's outcome with membership at the snapshot.
        _assertNoSurprise();
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_noPrivilegeWithoutTimelock() public {
        _sync();
        assertEq(handler.privilegedSuccesses(), 0, handler.lastPrivilegedSuccess());

        bytes32[4] memory roles = [
            timelock.DEFAULT_ADMIN_ROLE(),
            timelock.PROPOSER_ROLE(),
            timelock.CANCELLER_ROLE(),
            timelock.EXECUTOR_ROLE()
        ];
        for (uint256 r = 0; r < roles.length; ++r) {
            assertFalse(timelock.hasRole(roles[r], address(this)), "deployer holds a timelock role");
            assertFalse(timelock.hasRole(roles[r], address(handler)), "handler holds a timelock role");
            for (uint256 i = 0; i < actors.length; ++i) {
                assertFalse(timelock.hasRole(roles[r], actors[i]), "a member holds a timelock role");
            }
        }
        assertTrue(timelock.hasRole(roles[0], address(timelock)), "timelock is its own admin");
        assertTrue(timelock.hasRole(roles[1], address(governor)), "governor proposes");
        assertTrue(timelock.hasRole(roles[2], address(governor)), "governor cancels");
        assertTrue(timelock.hasRole(roles[3], address(governor)), "governor executes");
        assertFalse(timelock.hasRole(roles[3], address(0)), "execution is not open");
        assertEq(membership.owner(), address(timelock), "membership owner");
        assertEq(address(governor.timelock()), address(timelock), "governor's timelock");
        assertEq(timelock.getMinDelay(), 86_400, "timelock delay");
        _assertNoSurprise();
    }

    /// hardhat-config: invariant.runs = 64
    /// hardhat-config: invariant.depth = 128
    function invariant_quorumChangeDoesNotReviveDefeated() public {
        _sync();
        uint256 proposals = handler.proposalCount();
        for (uint256 k = 0; k < proposals; ++k) {
            uint256 proposalId = handler.proposalIds(k);
            if (handler.seenDefeated(proposalId)) {
                assertEq(
                    uint256(governor.state(proposalId)),
                    uint256(IGovernor.ProposalState.Defeated),
                    "a defeated proposal changed state"
                );
            }
        }
        _assertNoSurprise();
    }

    /// @dev The handler's model agrees with the contracts on a known path (so a silent handler cannot pass the suite).
    function test_handler_countsSignedVoteAndRejectsReplay() public {
        handler.propose(0);
        assertEq(handler.proposalCount(), 1, "proposed");
        handler.warp(3 + (2 hours << 2)); // the long-hop bucket: 2 hours, past the voting delay
        handler.voteBySig(1, 1, 1);
        handler.vote(2, 1, 0);
        assertEq(handler.sigVotesCounted(), 1, "signed vote counted");
        assertEq(handler.votesCounted(), 2, "both votes counted");
        uint256 proposalId = handler.proposalIds(0);
        (uint256 againstVotes, uint256 forVotes, ) = governor.proposalVotes(proposalId);
        assertEq(forVotes, 1);
        assertEq(againstVotes, 1);
        assertEq(handler.surprises(), 0, handler.lastSurprise());
    }

    function _sync() internal {
        vm.warp(handler.currentTime());
    }

    function _seen() internal view returns (address[] memory seen) {
        seen = new address[](actors.length + 4);
        for (uint256 i = 0; i < actors.length; ++i) {
            seen[i] = actors[i];
        }
        seen[actors.length] = address(this);
        seen[actors.length + 1] = address(handler);
        seen[actors.length + 2] = address(timelock);
        seen[actors.length + 3] = address(governor);
    }

    function _assertNoSurprise() internal view {
        assertEq(handler.surprises(), 0, handler.lastSurprise());
    }
}
