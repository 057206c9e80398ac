// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IAccessLogAnchor} from "./interfaces/IAccessLogAnchor.sol";

/// @title AccessLogAnchor
/// @notice Keeps the latest anchor of the gateway's access log; the full chain of anchors is in the events.
/// @dev The owner is the co-op's timelock. An anchor reads and writes two slots: the root, and the operator packed
/// with the latest size and batch count (the operator check needs that slot anyway).
contract AccessLogAnchor is IAccessLogAnchor, Ownable {
    struct State {
        address operator;
        uint64 size;
        uint32 count;
    }

    bytes32 private _root;
    State private _state;

    constructor(address timelock, address initialOperator) Ownable(timelock) {
        _setOperator(initialOperator);
    }

    /// @inheritdoc IAccessLogAnchor
    function anchor(bytes32 root, uint64 size, bytes32 previousRoot) external {
        State memory state = _state;
        if (msg.sender != state.operator) revert AccessLogAnchorNotOperator(msg.sender);
        if (root == bytes32(0)) revert AccessLogAnchorZeroRoot();
        bytes32 latestRoot = _root;
        if (previousRoot != latestRoot) revert AccessLogAnchorWrongPrevious(latestRoot, previousRoot);
        if (size <= state.size) revert AccessLogAnchorSizeNotIncreasing(state.size, size);

        _root = root;
        state.size = size;
        // Checked: 2^32 batches would take more than a century at one per second; fail loudly rather than wrap.
        ++state.count;
        _state = state;
        emit Anchored(state.count, root, size, previousRoot, block.timestamp);
    }

    /// @inheritdoc IAccessLogAnchor
    function setOperator(address newOperator) external onlyOwner {
        _setOperator(newOperator);
    }

    /// @inheritdoc IAccessLogAnchor
    function latest() external view returns (bytes32 root, uint64 size, uint256 index) {
        State memory state = _state;
        return (_root, state.size, state.count);
    }

    /// @inheritdoc IAccessLogAnchor
    function operator() external view returns (address) {
        return _state.operator;
    }

    function _setOperator(address newOperator) private {
        emit OperatorSet(_state.operator, newOperator);
        _state.operator = newOperator;
    }
}
