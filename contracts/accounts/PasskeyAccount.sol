// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";

/// @title PasskeyAccount
/// @notice A member's account signed by the passkeys on their phones (WebAuthn, P-256): OpenZeppelin's {Account}
/// (ERC-4337) with {MultiSignerERC7913} at threshold one, each signer an ERC-7913 key
/// `abi.encodePacked(webAuthnVerifier, qx, qy)` checked by OpenZeppelin's {ERC7913WebAuthnVerifier} (user presence and
/// user verification required, P-256 through the EIP-7951 / RIP-7212 precompile when the chain has it, else
/// OpenZeppelin's Solidity implementation). The co-op's contracts check its signatures through ERC-1271
/// ({isValidSignature}); the relayer pays every transaction, so the account never needs ETH. Claims are paid to it, and
/// it spends only by a call its own passkey signed ({executeBySig}, ERC-7821 batches).
/// @dev A signature is `abi.encode(bytes[] signers, bytes[] signatures)` (MultiSignerERC7913's encoding) with one
/// signer, its key as above, and one signature, `abi.encode(WebAuthn.WebAuthnAuth)`; the WebAuthn challenge is the
/// 32-byte hash itself (base64url in clientDataJSON), i.e. the EIP-712 digest of the co-op's typed data, unwrapped.
///
/// No ERC-7739 rehashing: it defends an account whose key also controls other accounts against a signature made for
/// one being replayed on another. Every typed message of the co-op names the account it speaks for (`voter`,
/// `member`, `proposer`, `applicant`) and the verifying contract, and {executeBySig} is bound to this account's own
/// domain, so a passkey shared by two accounts still cannot move one with the other's signature; and the envelope would
/// make every member's phone sign a nested TypedDataSign instead of the digest that wallets and the relayer already
/// compute. Accounts are clones (ERC-1167) made by {PasskeyAccountFactory}, which initialises each in the same
/// transaction, so no-one can take an account over before its passkey does.
contract PasskeyAccount is Account, EIP712, ERC7821, MultiSignerERC7913, Initializable, IERC1271 {
    /// @notice Type of a signed call of the account ({executeBySig}), EIP-712 domain "DataCoop Passkey Account",
    /// version "1", verifying contract the account: `Execute(bytes32 mode,bytes executionData,uint256 nonce,
    /// uint256 deadline)`.
    bytes32 public constant EXECUTE_TYPEHASH = keccak256(
        "Execute(bytes32 mode,bytes executionData,uint256 nonce,uint256 deadline)"
    );

    /// @notice The stateless WebAuthn verifier every signer key names (its first 20 bytes).
    address public immutable webAuthnVerifier;

    uint256 private _executeNonce;

    /// @notice A signed call reached past its deadline.
    error PasskeyAccountExpiredSignature(uint256 deadline);

    /// @notice A signed call was not signed by one of the account's passkeys (or not for this nonce).
    error PasskeyAccountInvalidSignature();

    /// @notice `signer` is not a WebAuthn key of this account's verifier (`verifier ‖ qx ‖ qy`, 84 bytes).
    error PasskeyAccountInvalidKey(bytes signer);

    /// @notice A signed call of the account ran: `nonce` is used.
    event SignedExecution(uint256 indexed nonce);

    constructor(
        address verifier
    )
        EIP712("DataCoop Passkey Account", "1")
        // The implementation itself holds one unusable key (the zero point) so that the threshold can be set; its
        // initializer is disabled. Clones start with empty storage and get their key from {initialize}.
        MultiSignerERC7913(_keys(verifier, bytes32(0), bytes32(0)), 1)
    {
        webAuthnVerifier = verifier;
        _disableInitializers();
    }

    /// @notice Sets the first passkey (P-256 public key `qx`, `qy`). Called once, by the factory, in the transaction
    /// that creates the clone.
    function initialize(bytes32 qx, bytes32 qy) external initializer {
        _addSigners(_keys(webAuthnVerifier, qx, qy));
        _setThreshold(1);
    }

    /// @notice ERC-1271: the magic value when `signature` is a WebAuthn assertion of `hash` by one of the account's
    /// passkeys (encoding in the contract's description), `0xffffffff` otherwise.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        return _rawSignatureValidation(hash, signature) ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice Runs an ERC-7821 execution (`mode` single-batch `0x01000000000000000000…`, `executionData`
    /// `abi.encode(Call[])` with `Call(address target, uint256 value, bytes data)`) that one of the account's passkeys
    /// signed as `Execute(mode, executionData, nonce, deadline)` for the current {executeNonce}. Anyone may relay it.
    /// Adding or removing a passkey is such a call to the account itself ({addSigners}, {removeSigners}).
    function executeBySig(
        bytes32 mode,
        bytes calldata executionData,
        uint256 deadline,
        bytes calldata signature
    ) external payable {
        if (block.timestamp > deadline) revert PasskeyAccountExpiredSignature(deadline);
        uint256 nonce = _executeNonce++;
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(EXECUTE_TYPEHASH, mode, keccak256(executionData), nonce, deadline))
        );
        if (!_rawSignatureValidation(digest, signature)) revert PasskeyAccountInvalidSignature();
        emit SignedExecution(nonce);
        // The account calls itself: {ERC7821} authorises its own calls.
        this.execute(mode, executionData);
    }

    /// @notice The nonce the next {executeBySig} must be signed for.
    function executeNonce() external view returns (uint256) {
        return _executeNonce;
    }

    /// @notice Adds passkeys (each `abi.encodePacked(webAuthnVerifier, qx, qy)`). Only the account itself (a signed
    /// call, {executeBySig}) or the ERC-4337 entry point.
    function addSigners(bytes[] memory signers) external onlyEntryPointOrSelf {
        for (uint256 i = 0; i < signers.length; ++i) {
            _requireKey(signers[i]);
        }
        _addSigners(signers);
    }

    /// @notice Removes passkeys; at least one stays. Only the account itself or the ERC-4337 entry point.
    function removeSigners(bytes[] memory signers) external onlyEntryPointOrSelf {
        _removeSigners(signers);
    }

    /// @dev The account's own calls (a signed call) and the entry point may execute.
    function _erc7821AuthorizedExecutor(
        address caller,
        bytes32 mode,
        bytes calldata executionData
    ) internal view override returns (bool) {
        return caller == address(entryPoint()) || super._erc7821AuthorizedExecutor(caller, mode, executionData);
    }

    function _requireKey(bytes memory signer) private view {
        if (signer.length != 84 || address(bytes20(signer)) != webAuthnVerifier)
            revert PasskeyAccountInvalidKey(signer);
    }

    function _keys(address verifier, bytes32 qx, bytes32 qy) private pure returns (bytes[] memory keys) {
        keys = new bytes[](1);
        keys[0] = abi.encodePacked(verifier, qx, qy);
    }
}
