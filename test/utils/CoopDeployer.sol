// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";
import {CoopTimelock} from "../../contracts/CoopTimelock.sol";
import {CoopGovernor} from "../../contracts/CoopGovernor.sol";
import {Membership} from "../../contracts/Membership.sol";

/// @notice Deploys the co-op's governance the way ignition/modules/Governance.ts does: Timelock (deployer as
/// temporary admin) → Membership (owned by the timelock) → CoopGovernor, then the governor becomes the timelock's
/// only proposer, canceller and executor and the deployer (this contract) renounces the admin role.
abstract contract CoopDeployer {
    struct CoopConfig {
        string name;
        string symbol;
        address[] founders;
        uint48 votingDelay;
        uint32 votingPeriod;
        uint48 lateQuorumExtension;
        uint256 quorumPercent;
        uint256 timelockDelay;
    }

    struct Coop {
        TimelockController timelock;
        Membership membership;
        CoopGovernor governor;
    }

    /// @dev The Ignition module's defaults.
    function _defaultConfig(address[] memory founders) internal pure returns (CoopConfig memory) {
        return
            CoopConfig({
                name: "DataCoop",
                symbol: "COOP",
                founders: founders,
                votingDelay: 3_600,
                votingPeriod: 3 * 86_400,
                lateQuorumExtension: 86_400,
                quorumPercent: 50,
                timelockDelay: 86_400
            });
    }

    function _deployCoop(CoopConfig memory config) internal returns (Coop memory coop) {
        coop.timelock = new CoopTimelock(config.timelockDelay, new address[](0), new address[](0), address(this));
        coop.membership = new Membership(config.name, config.symbol, address(coop.timelock), config.founders);
        coop.governor = new CoopGovernor(
            config.name,
            coop.membership,
            coop.timelock,
            CoopGovernor.Settings({
                votingDelay: config.votingDelay,
                votingPeriod: config.votingPeriod,
                lateQuorumExtension: config.lateQuorumExtension,
                quorumPercent: config.quorumPercent
            })
        );

        TimelockController timelock = coop.timelock;
        timelock.grantRole(timelock.PROPOSER_ROLE(), address(coop.governor));
        timelock.grantRole(timelock.CANCELLER_ROLE(), address(coop.governor));
        timelock.grantRole(timelock.EXECUTOR_ROLE(), address(coop.governor));
        timelock.renounceRole(timelock.DEFAULT_ADMIN_ROLE(), address(this));
    }
}
