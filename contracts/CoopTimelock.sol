// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title CoopTimelock
/// @notice The co-op's executor and treasury: OpenZeppelin's TimelockController with bounds on its delay.
/// @dev The delay is between {MIN_DELAY} and {MAX_DELAY}, in the constructor and in {updateDelay}:
/// - at least 1 minute, so members (and the guardian) see a passed decision before it runs — a member who disagrees
///   can leave before it takes effect; 1 minute still lets a test chain run, a real co-op uses a day or more;
/// - at most 30 days, because every decision waits for the delay, the one that repairs it too: a unit slip (three
///   days typed in milliseconds) would otherwise hold every decision, the repair included, for years.
/// Everything else is OpenZeppelin's: the roles, the operations, the events.
contract CoopTimelock is TimelockController {
    /// @notice The shortest delay: 1 minute.
    uint256 public constant MIN_DELAY = 1 minutes;
    /// @notice The longest delay: 30 days.
    uint256 public constant MAX_DELAY = 30 days;

    /// @notice The delay must be between `minDelay` and `maxDelay` seconds.
    error CoopTimelockInvalidDelay(uint256 delay, uint256 minDelay, uint256 maxDelay);

    constructor(
        uint256 minDelay,
        address[] memory proposers,
        address[] memory executors,
        address admin
    ) TimelockController(minDelay, proposers, executors, admin) {
        _checkDelay(minDelay);
    }

    /// @notice Changes the delay, within the bounds. Only the timelock itself (a passed vote, after the current delay).
    function updateDelay(uint256 newDelay) public override {
        if (msg.sender != address(this)) revert TimelockUnauthorizedCaller(msg.sender);
        _checkDelay(newDelay);
        super.updateDelay(newDelay);
    }

    function _checkDelay(uint256 delay) private pure {
        if (delay < MIN_DELAY || delay > MAX_DELAY) revert CoopTimelockInvalidDelay(delay, MIN_DELAY, MAX_DELAY);
    }
}
