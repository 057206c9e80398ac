// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {PasskeyAccount} from "./PasskeyAccount.sol";

/// @title PasskeyAccountFactory
/// @notice Makes members' passkey accounts at addresses known before they exist (CREATE2 clones of one
/// {PasskeyAccount}): the address depends only on the first passkey's public key and a salt, so a member can apply,
/// sign and be admitted before anything is deployed, and the co-op's relayer deploys the account when it is first
/// needed. Anyone may call {createAccount}; the account it makes can only ever be controlled by that passkey.
contract PasskeyAccountFactory {
    /// @notice The account implementation every clone runs.
    PasskeyAccount public immutable implementation;

    /// @notice An account was created for the passkey (`qx`, `qy`) with `salt`.
    event PasskeyAccountCreated(address indexed account, bytes32 qx, bytes32 qy, uint256 salt);

    constructor(address webAuthnVerifier) {
        implementation = new PasskeyAccount(webAuthnVerifier);
    }

    /// @notice The account of passkey (`qx`, `qy`) with `salt` (0 for a member's first account), deployed or not.
    function accountAddress(bytes32 qx, bytes32 qy, uint256 salt) public view returns (address) {
        return Clones.predictDeterministicAddress(address(implementation), _salt(qx, qy, salt));
    }

    /// @notice Creates the account of passkey (`qx`, `qy`) with `salt`, or returns it if it exists (idempotent, so
    /// an ERC-6492 factory call may run more than once).
    function createAccount(bytes32 qx, bytes32 qy, uint256 salt) external returns (address account) {
        account = accountAddress(qx, qy, salt);
        if (account.code.length != 0) return account;
        Clones.cloneDeterministic(address(implementation), _salt(qx, qy, salt));
        PasskeyAccount(payable(account)).initialize(qx, qy);
        emit PasskeyAccountCreated(account, qx, qy, salt);
    }

    function _salt(bytes32 qx, bytes32 qy, uint256 salt) private pure returns (bytes32) {
        return keccak256(abi.encode(qx, qy, salt));
    }
}
