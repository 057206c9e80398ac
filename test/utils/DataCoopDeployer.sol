// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessLogAnchor} from "../../contracts/AccessLogAnchor.sol";
import {ConsentRegistry} from "../../contracts/ConsentRegistry.sol";
import {DataAccessRegistry} from "../../contracts/DataAccessRegistry.sol";
import {Revenue} from "../../contracts/Revenue.sol";
import {IRevenue} from "../../contracts/interfaces/IRevenue.sol";
import {CoopDeployer} from "./CoopDeployer.sol";

/// @notice Deploys the whole co-op the way ignition/modules/DataCoop.ts does: governance ({CoopDeployer}), then
/// Revenue → DataAccessRegistry (taking the revenue contract) → Revenue.setRegistry by the deployer →
/// ConsentRegistry → Membership.setConsentRegistry by the deployer → AccessLogAnchor, everything owned by the
/// timelock.
abstract contract DataCoopDeployer is CoopDeployer {
    struct DataConfig {
        address guardian;
        address operator;
        uint16 treasuryBps;
        IRevenue.Mode revenueMode;
        uint256 minimumFee;
        uint64 maxDuration;
        uint48 claimPeriod;
        uint64 privacyEpsilonMillionths;
        uint64 privacyPeriod;
    }

    struct DataCoop {
        Coop coop;
        DataAccessRegistry registry;
        ConsentRegistry consent;
        Revenue revenue;
        AccessLogAnchor accessLog;
    }

    /// @dev The Ignition module's defaults, with the given guardian and operator.
    function _defaultDataConfig(address guardian, address operator) internal pure returns (DataConfig memory) {
        return
            DataConfig({
                guardian: guardian,
                operator: operator,
                treasuryBps: 1_000,
                revenueMode: IRevenue.Mode.EqualSplit,
                minimumFee: 0,
                maxDuration: 365 days,
                claimPeriod: 365 days,
                privacyEpsilonMillionths: 1_000_000,
                privacyPeriod: 30 days
            });
    }

    function _deployDataCoop(
        CoopConfig memory config,
        DataConfig memory data
    ) internal returns (DataCoop memory deployed) {
        deployed.coop = _deployCoop(config);
        address timelock = address(deployed.coop.timelock);
        deployed.revenue = new Revenue(
            timelock,
            deployed.coop.membership,
            data.operator,
            data.treasuryBps,
            data.revenueMode,
            data.claimPeriod
        );
        deployed.registry = new DataAccessRegistry(
            timelock,
            deployed.coop.membership,
            deployed.revenue,
            data.guardian,
            data.minimumFee,
            data.maxDuration,
            data.privacyEpsilonMillionths,
            data.privacyPeriod
        );
        deployed.revenue.setRegistry(address(deployed.registry));
        deployed.consent = new ConsentRegistry(deployed.coop.membership, deployed.registry);
        deployed.coop.membership.setConsentRegistry(address(deployed.consent));
        deployed.accessLog = new AccessLogAnchor(timelock, data.operator);
    }
}
