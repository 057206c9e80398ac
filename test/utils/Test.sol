// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/// @notice The cheatcodes these tests use. Hardhat's Solidity test runner serves them at the standard address
/// (forge-std is not on the npm registry, so it is not a dependency).
interface Vm {
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function getBlockTimestamp() external view returns (uint256);
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function deal(address account, uint256 newBalance) external;
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function expectEmit(address emitter) external;
    function assume(bool condition) external pure;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function label(address account, string calldata newLabel) external;
}

/// @notice Target of an invariant campaign: which functions of `addr` the fuzzer may call (forge-std's layout,
/// read by the runner through {Test-targetSelectors}).
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

/// @notice Minimal base for Solidity tests: the cheatcodes, assertions that revert with both values, `bound`,
/// and the invariant-target hooks the runner reads.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    /// @dev secp256k1 group order: valid private keys are 1 .. SECP256K1_N - 1.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    error TestBoundInvalidRange(uint256 min, uint256 max);

    address[] private _targetContracts;
    FuzzSelector[] private _targetSelectors;

    // ---- invariant targets (read by the runner) ----

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selector) internal {
        _targetSelectors.push(selector);
    }

    // ---- helpers ----

    /// @dev An address with a known private key, labelled in traces.
    function makeAccount(string memory name) internal returns (address account, uint256 privateKey) {
        privateKey = (uint256(keccak256(bytes(name))) % (SECP256K1_N - 1)) + 1;
        account = vm.addr(privateKey);
        vm.label(account, name);
    }

    function makeAddr(string memory name) internal returns (address account) {
        (account, ) = makeAccount(name);
    }

    /// @dev Reads the clock through the cheatcode: the optimizer may reuse a `block.timestamp` read across a warp.
    function _now() internal view returns (uint256) {
        return vm.getBlockTimestamp();
    }

    function skip(uint256 seconds_) internal {
        vm.warp(_now() + seconds_);
    }

    /// @dev Maps `x` onto [min, max] uniformly enough for fuzzing, keeping small values as they are.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        if (min > max) revert TestBoundInvalidRange(min, max);
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    // ---- assertions ----

    function fail(string memory message) internal pure {
        revert(string.concat("assertion failed: ", message));
    }

    function assertTrue(bool condition) internal pure {
        assertTrue(condition, "");
    }

    function assertTrue(bool condition, string memory message) internal pure {
        if (!condition) fail(string.concat("expected true; ", message));
    }

    function assertFalse(bool condition) internal pure {
        assertFalse(condition, "");
    }

    function assertFalse(bool condition, string memory message) internal pure {
        if (condition) fail(string.concat("expected false; ", message));
    }

    function assertEq(uint256 left, uint256 right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left != right) fail(_pair("!=", Strings.toString(left), Strings.toString(right), message));
    }

    function assertEq(address left, address right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(address left, address right, string memory message) internal pure {
        if (left != right) fail(_pair("!=", Strings.toHexString(left), Strings.toHexString(right), message));
    }

    function assertEq(bool left, bool right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(bool left, bool right, string memory message) internal pure {
        if (left != right) fail(_pair("!=", left ? "true" : "false", right ? "true" : "false", message));
    }

    function assertEq(bytes32 left, bytes32 right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(bytes32 left, bytes32 right, string memory message) internal pure {
        if (left != right) {
            fail(_pair("!=", Strings.toHexString(uint256(left), 32), Strings.toHexString(uint256(right), 32), message));
        }
    }

    function assertEq(string memory left, string memory right) internal pure {
        assertEq(left, right, "");
    }

    function assertEq(string memory left, string memory right, string memory message) internal pure {
        if (keccak256(bytes(left)) != keccak256(bytes(right))) fail(_pair("!=", left, right, message));
    }

    function assertNotEq(uint256 left, uint256 right, string memory message) internal pure {
        if (left == right) fail(_pair("==", Strings.toString(left), Strings.toString(right), message));
    }

    function assertLe(uint256 left, uint256 right) internal pure {
        assertLe(left, right, "");
    }

    function assertLe(uint256 left, uint256 right, string memory message) internal pure {
        if (left > right) fail(_pair(">", Strings.toString(left), Strings.toString(right), message));
    }

    function assertLt(uint256 left, uint256 right) internal pure {
        assertLt(left, right, "");
    }

    function assertLt(uint256 left, uint256 right, string memory message) internal pure {
        if (left >= right) fail(_pair(">=", Strings.toString(left), Strings.toString(right), message));
    }

    function assertGe(uint256 left, uint256 right) internal pure {
        assertGe(left, right, "");
    }

    function assertGe(uint256 left, uint256 right, string memory message) internal pure {
        if (left < right) fail(_pair("<", Strings.toString(left), Strings.toString(right), message));
    }

    function assertGt(uint256 left, uint256 right) internal pure {
        assertGt(left, right, "");
    }

    function assertGt(uint256 left, uint256 right, string memory message) internal pure {
        if (left <= right) fail(_pair("<=", Strings.toString(left), Strings.toString(right), message));
    }

    /// @dev The EIP-712 digest `signer` would sign for `structHash`, from the contract's own domain (ERC-5267).
    function _typedDataDigest(IERC5267 signer, bytes32 structHash) internal view returns (bytes32) {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract, , ) = signer
            .eip712Domain();
        bytes32 domainSeparator = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256(bytes(version)),
                chainId,
                verifyingContract
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function _pair(
        string memory op,
        string memory left,
        string memory right,
        string memory message
    ) private pure returns (string memory) {
        return string.concat(left, " ", op, " ", right, bytes(message).length == 0 ? "" : "; ", message);
    }
}
