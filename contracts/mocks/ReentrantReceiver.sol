// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ReentrantReceiver
/// @notice Test double for a hostile partner or member contract: it forwards calls, and when paid it either
/// refuses the payment or calls back into a target once, recording what happened.
contract ReentrantReceiver {
    address public reentryTarget;
    bytes public reentryData;
    bool public refusePayments;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryError;
    uint256 public received;

    error ReentrantReceiverRefused();

    /// @notice Calls `data` on `target` when paid next.
    function setReentry(address target, bytes calldata data) external {
        reentryTarget = target;
        reentryData = data;
    }

    /// @notice Makes every payment to this contract revert (or not).
    function setRefusePayments(bool refuse) external {
        refusePayments = refuse;
    }

    /// @notice Calls `target` with `data` and `msg.value`, as this contract; bubbles up a revert as it is.
    function execute(address target, bytes calldata data) external payable returns (bytes memory) {
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory result) = target.call{value: msg.value}(data);
        if (!success) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
        return result;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        if (refusePayments) revert ReentrantReceiverRefused();
        received += msg.value;
        if (reentryTarget != address(0) && !reentryAttempted) {
            reentryAttempted = true;
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory result) = reentryTarget.call(reentryData);
            reentrySucceeded = success;
            reentryError = result;
        }
    }
}
