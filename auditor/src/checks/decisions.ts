/**
 * Decisions traced to proposals: every event only the co-op's vote may cause (an admission, a removal, a
 * dataset, a grant's approval, rejection or revocation, a role or parameter change) was executed by the
 * timelock for a passed governor proposal in the same transaction — or happened at deployment (in a
 * constructor, or by the deployer before it gave up its temporary admin role), or is an act the design
 * allows outside a vote (a member's resignation, a role renounced by its holder, the guardian's
 * revocation or pause). Builds the report's timeline of decisions.
 */
import type { Address, Hex } from "viem";
import {
  ROLE_NAMES,
  ZERO_ADDRESS,
  at,
  result,
  same,
  short,
  type AuditContext,
} from "../context.ts";
import type { CheckResult, TimelineEntry, Violation } from "../report.ts";
import { label, type AuditEvent } from "../scan.ts";
import type { ProposalFacts } from "./proposals.ts";

/** Events that only the co-op's vote may cause, by contract, and how the report counts them. */
export const GOVERNED: Record<string, Record<string, string>> = {
  membership: {
    MemberAdmitted: "admissions",
    MemberLeft: "removals",
    OwnershipTransferred: "ownership changes",
    ConsentRegistrySet: "parameter changes",
  },
  registry: {
    DatasetRegistered: "dataset registrations",
    DatasetRetired: "dataset retirements",
    RequestApproved: "grant approvals",
    RequestRejected: "request rejections",
    GrantRevoked: "revocations",
    Paused: "pauses",
    Unpaused: "unpauses",
    GuardianSet: "parameter changes",
    MinimumFeeSet: "parameter changes",
    MaxDurationSet: "parameter changes",
    PrivacyCapSet: "parameter changes",
    GrantedToMembers: "grants to members",
    OwnershipTransferred: "ownership changes",
  },
  revenue: {
    ModeSet: "parameter changes",
    TreasuryShareSet: "parameter changes",
    OperatorSet: "parameter changes",
    RegistrySet: "parameter changes",
    ClaimPeriodSet: "parameter changes",
    Swept: "sweeps",
    AllocationReplaced: "replaced allocations",
    OwnershipTransferred: "ownership changes",
  },
  accessLog: { OperatorSet: "parameter changes", OwnershipTransferred: "ownership changes" },
  governor: {
    VotingDelaySet: "parameter changes",
    VotingPeriodSet: "parameter changes",
    QuorumNumeratorUpdated: "parameter changes",
    LateQuorumVoteExtensionSet: "parameter changes",
    TimelockChange: "parameter changes",
  },
  timelock: {
    RoleGranted: "role changes",
    RoleRevoked: "role changes",
    RoleAdminChanged: "role changes",
    MinDelayChange: "parameter changes",
  },
};

export async function checkDecisions(
  ctx: AuditContext,
  proposals: Map<bigint, ProposalFacts>,
): Promise<{ check: CheckResult; timeline: TimelineEntry[] }> {
  const { client, events, byTx, contracts: c, deployer, setupEnd } = ctx;
  const decisionViolations: Violation[] = [];
  const counts = new Map<string, { vote: number; deployment: number; other: number }>();
  const count = (kind: string, how: "vote" | "deployment" | "other") => {
    const entry = counts.get(kind) ?? { vote: 0, deployment: 0, other: 0 };
    entry[how]++;
    counts.set(kind, entry);
  };
  const senders = new Map<Hex, Address>();
  const sender = async (hash: Hex) => {
    let from = senders.get(hash);
    if (!from) {
      from = (await client.getTransaction({ hash })).from;
      senders.set(hash, from);
    }
    return from;
  };
  const createdBy = async (hash: Hex, address: Address) => {
    const receipt = await client.getTransactionReceipt({ hash });
    return same(receipt.contractAddress, address);
  };
  const timeline: TimelineEntry[] = [];
  const record = (e: AuditEvent, kind: string, how: TimelineEntry["how"], proposalId?: bigint) => {
    count(kind, how === "vote" ? "vote" : how === "deployment" ? "deployment" : "other");
    timeline.push({
      blockNumber: e.blockNumber.toString(),
      transactionHash: e.transactionHash,
      event: label(e),
      what: describe(e),
      how,
      ...(proposalId === undefined ? {} : { proposalId: proposalId.toString() }),
    });
  };
  let guardian: string = ZERO_ADDRESS;
  let registrySets = 0;
  let consentRegistrySets = 0;
  for (const e of events) {
    if (e.contract === "registry" && e.name === "GuardianSet")
      guardian = String(e.args.newGuardian);
    const kind = GOVERNED[e.contract]?.[e.name];
    if (!kind) continue;
    const tx = byTx.get(e.transactionHash) ?? [];
    const executions = tx.filter((x) => x.contract === "governor" && x.name === "ProposalExecuted");
    const byTimelock = tx.some(
      (x) =>
        x.contract === "timelock" && x.name === "CallExecuted" && same(x.args.target, e.address),
    );
    if (executions.length > 0 && byTimelock) {
      const failed = executions.find(
        (x) => proposals.get(x.args.proposalId as bigint)?.passed === false,
      );
      if (failed)
        decisionViolations.push(
          at(
            e,
            `${label(e)} came from proposal ${short(failed.args.proposalId as bigint)}, which had not passed.`,
          ),
        );
      record(e, kind, "vote", executions[0]!.args.proposalId as bigint);
      continue;
    }
    // Acts the design allows outside a vote.
    if (e.name === "MemberLeft" && e.args.resigned === true) {
      record(e, "resignations", "member");
      continue;
    }
    if (
      e.contract === "timelock" &&
      e.name === "RoleRevoked" &&
      same(e.args.account, e.args.sender)
    ) {
      record(e, "role renunciations", "holder");
      continue;
    }
    if (
      (e.name === "GrantRevoked" && same(e.args.by, guardian)) ||
      (e.name === "Paused" && same(e.args.account, guardian))
    ) {
      record(e, `${kind} by the guardian`, "guardian");
      continue;
    }
    // The membership's one-time wiring to the consent registry, like the revenue contract's below.
    if (e.name === "ConsentRegistrySet") {
      consentRegistrySets++;
      if (
        consentRegistrySets === 1 &&
        same(e.args.registry, c.consent) &&
        deployer &&
        same(await sender(e.transactionHash), deployer)
      ) {
        record(e, kind, "deployment");
        continue;
      }
    }
    if (e.name === "RegistrySet") {
      registrySets++;
      if (
        registrySets === 1 &&
        same(e.args.registry, c.registry) &&
        deployer &&
        same(await sender(e.transactionHash), deployer)
      ) {
        record(e, kind, "deployment");
        continue;
      }
    }
    // A constructor's own events (initial owner, founders, settings): visible in the creation transaction.
    if (await createdBy(e.transactionHash, e.address)) {
      record(e, kind, "deployment");
      continue;
    }
    // Set-up by the deployer before it gave up its temporary admin role, not through the timelock.
    const executedByTimelock = tx.some(
      (x) => x.contract === "timelock" && x.name === "CallExecuted",
    );
    if (
      e.blockNumber <= setupEnd &&
      !executedByTimelock &&
      deployer &&
      same(await sender(e.transactionHash), deployer)
    ) {
      record(e, kind, "deployment");
      continue;
    }
    decisionViolations.push(
      at(
        e,
        `${describe(e)} outside governance: no passed proposal executed it through the timelock.`,
      ),
    );
    record(e, kind, "bypass");
  }
  const decisionNotes = [...counts.entries()].map(([kind, n]) => {
    const parts = [
      n.vote && `${n.vote} by vote`,
      n.deployment && `${n.deployment} at deployment`,
      n.other && `${n.other} otherwise`,
    ].filter(Boolean);
    return `${kind}: ${parts.join(", ")}`;
  });
  if (deployer) decisionNotes.unshift(`deployer ${deployer}; set-up ended in block ${setupEnd}.`);
  return {
    check: result(
      "decisions",
      "Every admission, removal, dataset, grant decision and parameter change came from a passed vote",
      decisionNotes,
      decisionViolations,
    ),
    timeline,
  };
}

/** The event in words, for the report and the timeline. */
export function describe(e: AuditEvent): string {
  const what: Record<string, string> = {
    MemberAdmitted: `Member ${e.args.member} was admitted`,
    MemberLeft: `Member ${e.args.member} ${e.args.resigned ? "resigned" : "was removed"}`,
    DatasetRegistered: `Dataset ${e.args.datasetId} was registered`,
    DatasetRetired: `Dataset ${e.args.datasetId} was retired`,
    RequestApproved: `Grant ${e.args.requestId} to ${e.args.partner} was approved`,
    RequestRejected: `Request ${e.args.requestId} was rejected`,
    GrantRevoked: `Grant ${e.args.grantId} was revoked by ${e.args.by}`,
    Paused: `The registry was paused by ${e.args.account}`,
    Unpaused: "The registry was unpaused",
    GuardianSet: `The guardian became ${e.args.newGuardian}`,
    OperatorSet: `The operator became ${e.args.newOperator}`,
    MinimumFeeSet: `The minimum fee became ${e.args.newMinimumFee} wei`,
    MaxDurationSet: `The longest grant became ${e.args.newMaxDuration} s`,
    TreasuryShareSet: `The treasury share became ${e.args.newBps} basis points`,
    ModeSet: `The revenue mode became ${Number(e.args.newMode) === 0 ? "equal split" : "by use"}`,
    RegistrySet: `The revenue contract was wired to the registry ${e.args.registry}`,
    VotingDelaySet: `The voting delay became ${e.args.newVotingDelay} s`,
    VotingPeriodSet: `The voting period became ${e.args.newVotingPeriod} s`,
    QuorumNumeratorUpdated: `The quorum became ${e.args.newQuorumNumerator} %`,
    LateQuorumVoteExtensionSet: `The late-quorum extension became ${e.args.newVoteExtension} s`,
    MinDelayChange: `The timelock delay became ${e.args.newDuration} s`,
    RoleGranted: `The timelock's ${ROLE_NAMES.get(e.args.role as string) ?? e.args.role} was granted to ${e.args.account} by ${e.args.sender}`,
    RoleRevoked: `The timelock's ${ROLE_NAMES.get(e.args.role as string) ?? e.args.role} was revoked from ${e.args.account} by ${e.args.sender}`,
    OwnershipTransferred: `Ownership passed from ${e.args.previousOwner} to ${e.args.newOwner}`,
    ConsentRegistrySet: `The membership was wired to the consent registry ${e.args.registry}`,
    PrivacyCapSet: `The privacy cap became ε = ${Number(e.args.epsilonMillionths) / 1e6} per ${e.args.period} s`,
    GrantedToMembers: `Grant ${e.args.grantId} was made to the co-op's members`,
    ClaimPeriodSet: `The claim period became ${e.args.newPeriod} s`,
    Swept: `${e.args.amount} wei unclaimed of grant ${e.args.grantId} went back to the treasury`,
    AllocationReplaced: `Grant ${e.args.grantId}'s by-use allocations were replaced (${e.args.oldAllocated} → ${e.args.allocated} wei)`,
  };
  return what[e.name] ?? label(e);
}
