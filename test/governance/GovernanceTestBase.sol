// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {CoopGovernor} from "../../contracts/CoopGovernor.sol";
import {Membership} from "../../contracts/Membership.sol";
import {CoopDeployer} from "../utils/CoopDeployer.sol";
import {Test} from "../utils/Test.sol";

/// @notice A deployed co-op (Ignition defaults, three founders with known keys) and the steps of a vote.
abstract contract GovernanceTestBase is Test, CoopDeployer {
    /// @dev A realistic start time, so `clock() - 1` and past lookups never underflow.
    uint256 internal constant START = 1_750_000_000;

    uint8 internal constant AGAINST = 0;
    uint8 internal constant FOR = 1;
    uint8 internal constant ABSTAIN = 2;

    bytes32 internal constant EIP712_DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );

    struct Proposal {
        address[] targets;
        uint256[] values;
        bytes[] calldatas;
        string description;
    }

    TimelockController internal timelock;
    Membership internal membership;
    CoopGovernor internal governor;
    CoopConfig internal config;

    address[] internal founders;
    uint256[] internal founderKeys;

    function setUp() public virtual {
        vm.warp(START);
        for (uint256 i = 0; i < 3; ++i) {
            (address founder, uint256 key) = makeAccount(string.concat("founder", Strings.toString(i)));
            founders.push(founder);
            founderKeys.push(key);
        }
        _deploy(_defaultConfig(founders));
        // Founders hold votes from the deployment second; proposing reads votes at `clock() - 1`.
        skip(1);
    }

    function _deploy(CoopConfig memory config_) internal {
        Coop memory coop = _deployCoop(config_);
        timelock = coop.timelock;
        membership = coop.membership;
        governor = coop.governor;
        config = config_;
    }

    // ---- membership as the timelock (what a passed vote does) ----

    function _admit(address account) internal returns (uint256 memberId) {
        vm.prank(address(timelock));
        memberId = membership.admit(account);
    }

    function _remove(address member) internal {
        vm.prank(address(timelock));
        membership.remove(member);
    }

    // ---- proposals ----

    function _proposal(
        address target,
        bytes memory data,
        string memory description
    ) internal pure returns (Proposal memory p) {
        p.targets = new address[](1);
        p.targets[0] = target;
        p.values = new uint256[](1);
        p.calldatas = new bytes[](1);
        p.calldatas[0] = data;
        p.description = description;
    }

    function _admitProposal(address account) internal view returns (Proposal memory) {
        return
            _proposal(
                address(membership),
                abi.encodeCall(Membership.admit, (account)),
                string.concat("Admit ", Strings.toHexString(account))
            );
    }

    function _id(Proposal memory p) internal view returns (uint256) {
        return governor.getProposalId(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
    }

    function _propose(address proposer, Proposal memory p) internal returns (uint256 proposalId) {
        vm.prank(proposer);
        proposalId = governor.propose(p.targets, p.values, p.calldatas, p.description);
    }

    function _vote(address voter, uint256 proposalId, uint8 support) internal {
        vm.prank(voter);
        governor.castVote(proposalId, support);
    }

    function _queue(Proposal memory p) internal {
        governor.queue(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
    }

    function _execute(Proposal memory p) internal {
        governor.execute(p.targets, p.values, p.calldatas, keccak256(bytes(p.description)));
    }

    function _warpToVoting(uint256 proposalId) internal {
        vm.warp(governor.proposalSnapshot(proposalId) + 1);
    }

    function _warpPastDeadline(uint256 proposalId) internal {
        vm.warp(governor.proposalDeadline(proposalId) + 1);
    }

    /// @dev The whole path of a decision: a founder proposes, every founder votes For, it is queued, and it runs
    /// through the timelock after its delay.
    function _passAndExecute(Proposal memory p) internal returns (uint256 proposalId) {
        proposalId = _passUntilReady(p);
        _execute(p);
    }

    /// @dev {_passAndExecute} up to the moment the timelock lets it run, so a test can expect what execution does.
    function _passUntilReady(Proposal memory p) internal returns (uint256 proposalId) {
        proposalId = _propose(founders[0], p);
        _warpToVoting(proposalId);
        for (uint256 i = 0; i < founders.length; ++i) {
            _vote(founders[i], proposalId, FOR);
        }
        _warpPastDeadline(proposalId);
        _queue(p);
        vm.warp(governor.proposalEta(proposalId));
    }

    function _state(uint256 proposalId) internal view returns (uint256) {
        return uint256(governor.state(proposalId));
    }

    function _stateBitmap(IGovernor.ProposalState proposalState) internal pure returns (bytes32) {
        return bytes32(1 << uint8(proposalState));
    }

    // ---- votes by signature ----

    function _domainSeparator() internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = governor
            .eip712Domain();
        return
            keccak256(
                abi.encode(
                    EIP712_DOMAIN_TYPEHASH,
                    keccak256(bytes(name)),
                    keccak256(bytes(version)),
                    chainId,
                    verifyingContract
                )
            );
    }

    function _ballotDigest(
        uint256 proposalId,
        uint8 support,
        address voter,
        uint256 nonce
    ) internal view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(governor.BALLOT_TYPEHASH(), proposalId, support, voter, nonce));
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    /// @dev A ballot as the dApp's relayer receives it: nonce 0, since a vote is its own replay protection.
    function _signBallot(uint256 privateKey, uint256 proposalId, uint8 support) internal view returns (bytes memory) {
        address voter = vm.addr(privateKey);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, _ballotDigest(proposalId, support, voter, 0));
        return abi.encodePacked(r, s, v);
    }
}
