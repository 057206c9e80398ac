// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @notice A four-leaf Merkle tree of `(address member, uint256 amount)` in the layout of OpenZeppelin's
/// StandardMerkleTree (double-hashed leaves, sorted pairs), which is what the gateway operator posts.
library SmallMerkleTree {
    function leaf(address member, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(member, amount))));
    }

    /// @dev The root and each leaf's proof.
    function build(
        address[4] memory members,
        uint256[4] memory amounts
    ) internal pure returns (bytes32 root, bytes32[][] memory proofs) {
        bytes32[4] memory leaves;
        for (uint256 i = 0; i < 4; ++i) {
            leaves[i] = leaf(members[i], amounts[i]);
        }
        bytes32 left = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32 right = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        root = Hashes.commutativeKeccak256(left, right);
        proofs = new bytes32[][](4);
        for (uint256 i = 0; i < 4; ++i) {
            proofs[i] = new bytes32[](2);
            proofs[i][0] = leaves[i ^ 1];
            proofs[i][1] = i < 2 ? right : left;
        }
    }
}
