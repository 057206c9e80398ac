import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The co-op's governance: soulbound membership, the Governor and the Timelock that owns everything.
 * After this module the Timelock is its own admin, the Governor is its only proposer, canceller and
 * executor, and the deployer keeps no role.
 *
 * Parameters (module id "Governance"): name, symbol, founders, votingDelay, votingPeriod,
 * lateQuorumExtension (seconds), quorumPercent, timelockDelay (seconds).
 */
export default buildModule("Governance", (m) => {
  const deployer = m.getAccount(0);

  const name = m.getParameter("name", "DataCoop");
  const symbol = m.getParameter("symbol", "COOP");
  const founders = m.getParameter<string[]>("founders");
  const votingDelay = m.getParameter("votingDelay", 3_600);
  const votingPeriod = m.getParameter("votingPeriod", 3 * 86_400);
  const lateQuorumExtension = m.getParameter("lateQuorumExtension", 86_400);
  const quorumPercent = m.getParameter("quorumPercent", 50);
  const timelockDelay = m.getParameter("timelockDelay", 86_400);

  // The deployer is the timelock's admin only while wiring; it renounces at the end.
  const timelock = m.contract("CoopTimelock", [timelockDelay, [], [], deployer]);
  const membership = m.contract("Membership", [name, symbol, timelock, founders]);
  const governor = m.contract("CoopGovernor", [
    name,
    membership,
    timelock,
    { votingDelay, votingPeriod, lateQuorumExtension, quorumPercent },
  ]);

  const proposerRole = m.staticCall(timelock, "PROPOSER_ROLE", [], 0, { id: "proposerRole" });
  const cancellerRole = m.staticCall(timelock, "CANCELLER_ROLE", [], 0, { id: "cancellerRole" });
  const executorRole = m.staticCall(timelock, "EXECUTOR_ROLE", [], 0, { id: "executorRole" });
  const adminRole = m.staticCall(timelock, "DEFAULT_ADMIN_ROLE", [], 0, { id: "adminRole" });

  const grants = [
    m.call(timelock, "grantRole", [proposerRole, governor], { id: "grantProposer" }),
    m.call(timelock, "grantRole", [cancellerRole, governor], { id: "grantCanceller" }),
    m.call(timelock, "grantRole", [executorRole, governor], { id: "grantExecutor" }),
  ];
  m.call(timelock, "renounceRole", [adminRole, deployer], { id: "renounceAdmin", after: grants });

  return { timelock, membership, governor };
});
