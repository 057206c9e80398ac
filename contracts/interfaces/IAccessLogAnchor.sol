// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Access-log anchor: the gateway's append-only access log, anchored batch by batch.
/// @notice The gateway appends every access decision to a hash-chained log and, batch by batch, posts the Merkle
/// root of the whole log so far with its size (number of entries). Each anchor names the previous root, so the
/// anchors form a chain that auditors replay from the {Anchored} events; the contract keeps only the latest.
/// Only the gateway operator, an address the co-op sets by vote, anchors.
interface IAccessLogAnchor {
    /// @notice Batch `index` (from 1): the log's first `size` entries have Merkle root `root`; it follows
    /// `previousRoot` (zero for the first batch).
    event Anchored(uint256 indexed index, bytes32 indexed root, uint64 size, bytes32 previousRoot, uint256 timestamp);

    /// @notice The gateway operator changed (zero: none).
    event OperatorSet(address indexed oldOperator, address indexed newOperator);

    /// @notice Only the gateway operator anchors; `account` is not it.
    error AccessLogAnchorNotOperator(address account);

    /// @notice The anchor names `previousRoot` but the latest root is `latestRoot`.
    error AccessLogAnchorWrongPrevious(bytes32 latestRoot, bytes32 previousRoot);

    /// @notice The log only grows: `size` must exceed the latest size `latestSize`.
    error AccessLogAnchorSizeNotIncreasing(uint64 latestSize, uint64 size);

    /// @notice A root is not zero.
    error AccessLogAnchorZeroRoot();

    /// @notice Anchors the log's first `size` entries under `root`, following `previousRoot`. Only the operator.
    function anchor(bytes32 root, uint64 size, bytes32 previousRoot) external;

    /// @notice Sets the gateway operator (zero: none). Only the timelock.
    function setOperator(address newOperator) external;

    /// @notice The latest anchor: its `root`, the log `size` it covers and its batch `index` (0: none yet).
    function latest() external view returns (bytes32 root, uint64 size, uint256 index);

    /// @notice The gateway operator.
    function operator() external view returns (address);
}
