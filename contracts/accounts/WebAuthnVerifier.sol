// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable-next-line max-line-length
import {ERC7913WebAuthnVerifier} from "@openzeppelin/contracts/utils/cryptography/verifiers/ERC7913WebAuthnVerifier.sol";

/// @title WebAuthnVerifier
/// @notice OpenZeppelin's stateless ERC-7913 WebAuthn verifier (user presence and user verification required),
/// deployed once per chain and named by every passkey account's keys.
contract WebAuthnVerifier is ERC7913WebAuthnVerifier {}
