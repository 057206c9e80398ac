import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import Governance from "./Governance.js";

const NONE = "0x0000000000000000000000000000000000000000";

/**
 * The whole co-op: governance (module "Governance") plus the data access registry, consent registry, revenue
 * split and access-log anchor, every one owned by the timelock.
 *
 * The registry and the revenue contract know each other: the revenue contract is deployed first, the registry
 * takes it in its constructor, and the deployer then names the registry in the revenue contract — a setter only
 * the deployer may call, once, after which it is locked; the membership likewise names the consent registry, which it
 * tells of every admission. After this module no externally owned account keeps an
 * admin power, except the two roles given by parameters and changeable by vote: the guardian (revoke a grant,
 * pause the registry) and the gateway operator (anchor the access log, post by-use allocations).
 *
 * Parameters (module id "DataCoop"): guardian and operator (addresses, default none), treasuryBps (default 1000,
 * i.e. 10 %), revenueMode (0 equal split, 1 by use; default 0), minimumFee (wei, default 0), maxDuration
 * (seconds, default 365 days), claimPeriod (seconds members have to claim a grant's shares before a vote may sweep
 * them back to the treasury; 30 days to 10 years, default 365 days), privacyEpsilonMillionths and privacyPeriod
 * (the privacy cap the gateway enforces on each member's data across all grants: at most ε = epsilonMillionths /
 * 1,000,000 per period seconds; ε above 0 and at most 10, a period from 1 day to 5 years; default ε = 1 per 30 days).
 */
export default buildModule("DataCoop", (m) => {
  const { timelock, membership, governor } = m.useModule(Governance);

  const guardian = m.getParameter<string>("guardian", NONE);
  const operator = m.getParameter<string>("operator", NONE);
  const treasuryBps = m.getParameter("treasuryBps", 1_000);
  const revenueMode = m.getParameter("revenueMode", 0);
  const minimumFee = m.getParameter<bigint>("minimumFee", 0n);
  const maxDuration = m.getParameter("maxDuration", 365 * 86_400);
  const claimPeriod = m.getParameter("claimPeriod", 365 * 86_400);
  const privacyEpsilonMillionths = m.getParameter("privacyEpsilonMillionths", 1_000_000);
  const privacyPeriod = m.getParameter("privacyPeriod", 30 * 86_400);

  const revenue = m.contract("Revenue", [
    timelock,
    membership,
    operator,
    treasuryBps,
    revenueMode,
    claimPeriod,
  ]);
  const registry = m.contract("DataAccessRegistry", [
    timelock,
    membership,
    revenue,
    guardian,
    minimumFee,
    maxDuration,
    privacyEpsilonMillionths,
    privacyPeriod,
  ]);
  m.call(revenue, "setRegistry", [registry]);
  const consent = m.contract("ConsentRegistry", [membership, registry]);
  // Membership tells the consent registry of every admission; like setRegistry, a one-time wiring by the deployer.
  m.call(membership, "setConsentRegistry", [consent]);
  const accessLog = m.contract("AccessLogAnchor", [timelock, operator]);
  // Members' passkey accounts: a stateless WebAuthn verifier and the CREATE2 factory of accounts (no owner, no power).
  const webAuthnVerifier = m.contract("WebAuthnVerifier");
  const accountFactory = m.contract("PasskeyAccountFactory", [webAuthnVerifier]);

  return {
    timelock,
    membership,
    governor,
    registry,
    consent,
    revenue,
    accessLog,
    webAuthnVerifier,
    accountFactory,
  };
});
