// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {AccessLogAnchor} from "../../contracts/AccessLogAnchor.sol";
import {ConsentRegistry} from "../../contracts/ConsentRegistry.sol";
import {DataAccessRegistry} from "../../contracts/DataAccessRegistry.sol";
import {Membership} from "../../contracts/Membership.sol";
import {Revenue} from "../../contracts/Revenue.sol";
import {IConsentRegistry} from "../../contracts/interfaces/IConsentRegistry.sol";
import {IDataAccessRegistry} from "../../contracts/interfaces/IDataAccessRegistry.sol";
import {DataCoopDeployer} from "../utils/DataCoopDeployer.sol";
import {Test} from "../utils/Test.sol";

/// @notice The whole co-op (Ignition defaults; five founders with known keys, a guardian, a gateway operator, a
/// partner), one registered dataset, and the steps the tests repeat. Timelock calls are what a passed vote does.
abstract contract DataTestBase is Test, DataCoopDeployer {
    /// @dev A realistic start time, so `clock() - 1` and past lookups never underflow.
    uint256 internal constant START = 1_750_000_000;
    uint256 internal constant FOUNDERS = 5;
    uint256 internal constant FEE = 1 ether;
    uint64 internal constant DURATION = 30 days;
    uint8 internal constant ACADEMIC = 0;
    string internal constant TERMS_URI = "ipfs://terms";
    string internal constant PARTNER_NAME = "Valley Research Institute";

    bytes32 internal constant SET_CONSENT_TYPEHASH = keccak256(
        "SetConsent(address member,uint256 mask,uint256 signedAt,uint256 deadline)"
    );
    bytes32 internal constant SET_GRANT_CHOICE_TYPEHASH = keccak256(
        "SetGrantChoice(address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline)"
    );

    TimelockController internal timelock;
    Membership internal membership;
    DataAccessRegistry internal registry;
    ConsentRegistry internal consent;
    Revenue internal revenue;
    AccessLogAnchor internal accessLog;

    address[] internal founders;
    uint256[] internal founderKeys;
    address internal guardian;
    address internal operator;
    address internal partner;

    function setUp() public virtual {
        vm.warp(START);
        for (uint256 i = 0; i < FOUNDERS; ++i) {
            (address founder, uint256 key) = makeAccount(string.concat("founder", Strings.toString(i)));
            founders.push(founder);
            founderKeys.push(key);
        }
        guardian = makeAddr("guardian");
        operator = makeAddr("operator");
        partner = makeAddr("partner");
        DataCoop memory deployed = _deployDataCoop(_defaultConfig(founders), _defaultDataConfig(guardian, operator));
        timelock = deployed.coop.timelock;
        membership = deployed.coop.membership;
        registry = deployed.registry;
        consent = deployed.consent;
        revenue = deployed.revenue;
        accessLog = deployed.accessLog;
        _registerDataset();
        skip(1);
    }

    // ---- what a passed vote does ----

    function _registerDataset() internal returns (uint256 datasetId) {
        string[] memory fields = new string[](3);
        fields[0] = "region";
        fields[1] = "crop";
        fields[2] = "yield_kg";
        vm.prank(address(timelock));
        datasetId = registry.registerDataset("Harvests", "ipfs://schema", keccak256("schema"), fields);
    }

    function _admit(address account) internal {
        vm.prank(address(timelock));
        membership.admit(account);
    }

    function _remove(address member) internal {
        vm.prank(address(timelock));
        membership.remove(member);
    }

    function _approve(uint256 requestId) internal {
        bytes32 termsHash = registry.request(requestId).termsHash;
        vm.prank(address(timelock));
        registry.approve(requestId, termsHash);
    }

    // ---- partners ----

    function _scope() internal pure returns (IDataAccessRegistry.Scope memory) {
        return IDataAccessRegistry.Scope({fieldMask: 3, rowLevel: false, minCohort: 5, exactTabulations: bytes32(0)});
    }

    function _request(address from, uint256 fee, uint64 duration) internal returns (uint256 requestId) {
        vm.deal(from, from.balance + fee);
        vm.prank(from);
        requestId = registry.requestAccess{value: fee}(1, ACADEMIC, _scope(), duration, TERMS_URI, PARTNER_NAME);
    }

    // ---- consent signatures ----

    function _consentDigest(bytes32 structHash) internal view returns (bytes32) {
        return _typedDataDigest(consent, structHash);
    }

    function _signConsent(
        uint256 key,
        address member,
        uint256 mask,
        uint256 signedAt,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(abi.encode(SET_CONSENT_TYPEHASH, member, mask, signedAt, deadline));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _consentDigest(structHash));
        return abi.encodePacked(r, s, v);
    }

    function _signGrantChoice(
        uint256 key,
        address member,
        uint256 grantId,
        IConsentRegistry.Choice choice,
        uint256 signedAt,
        uint256 deadline
    ) internal view returns (bytes memory) {
        bytes32 structHash = keccak256(
            abi.encode(SET_GRANT_CHOICE_TYPEHASH, member, grantId, choice, signedAt, deadline)
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, _consentDigest(structHash));
        return abi.encodePacked(r, s, v);
    }
}
