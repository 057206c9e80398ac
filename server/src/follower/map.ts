/**
 * Event → rows. Pure: each decoded log becomes zero or more rows of the chain-data tables
 * (see migrations.ts). Conventions, the same in every table:
 * - addresses are stored lowercase (`0xabc…`), hashes and bytes as lowercase 0x-hex;
 * - unsigned integers of 64 bits or more are decimal strings (numeric(78,0) columns), smaller ones numbers;
 * - every row carries block_number, log_index, block_time and tx_hash of its event.
 */
import { decodeFunctionData, keccak256, stringToHex, type Abi, type Hex } from "viem";
import {
  accessLogAbi,
  consentAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import type { ChainLog, RowInsert } from "./types.ts";

type Values = RowInsert["values"];

const lower = (v: unknown): string => String(v).toLowerCase();
const dec = (v: unknown): string => BigInt(v as bigint | number | string).toString();
const num = (v: unknown): number => Number(v);

/** Values that can go into a JSON column: bigints as decimal strings, addresses and bytes lowercase. */
function jsonable(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(jsonable);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
  }
  return v;
}

const CALL_ABIS: Abi[] = [
  membershipAbi,
  governorAbi,
  registryAbi,
  consentAbi,
  revenueAbi,
  accessLogAbi,
  timelockAbi,
];

/** Names the function a proposal's calldata calls on one of the co-op's contracts, if it is one. */
export function decodeCall(data: Hex): { functionName: string; args: unknown } | undefined {
  if (data.length < 10) return undefined;
  for (const abi of CALL_ABIS) {
    try {
      const { functionName, args } = decodeFunctionData({ abi, data });
      return { functionName, args: jsonable(args ?? []) };
    } catch {
      // not this contract's function
    }
  }
  return undefined;
}

/** Setting events, per contract: event name → [setting, old value arg, new value arg]. */
const SETTINGS: Record<string, Record<string, [string, string, string]>> = {
  governor: {
    VotingDelaySet: ["voting_delay", "oldVotingDelay", "newVotingDelay"],
    VotingPeriodSet: ["voting_period", "oldVotingPeriod", "newVotingPeriod"],
    LateQuorumVoteExtensionSet: ["late_quorum_extension", "oldVoteExtension", "newVoteExtension"],
    QuorumNumeratorUpdated: ["quorum_numerator", "oldQuorumNumerator", "newQuorumNumerator"],
    TimelockChange: ["timelock", "oldTimelock", "newTimelock"],
  },
  registry: {
    GuardianSet: ["guardian", "oldGuardian", "newGuardian"],
    MinimumFeeSet: ["minimum_fee", "oldMinimumFee", "newMinimumFee"],
    MaxDurationSet: ["max_duration", "oldMaxDuration", "newMaxDuration"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  revenue: {
    ModeSet: ["mode", "oldMode", "newMode"],
    TreasuryShareSet: ["treasury_bps", "oldBps", "newBps"],
    OperatorSet: ["operator", "oldOperator", "newOperator"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  accessLog: {
    OperatorSet: ["operator", "oldOperator", "newOperator"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  membership: {
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
  timelock: {
    MinDelayChange: ["min_delay", "oldDuration", "newDuration"],
  },
};

const settingValue = (v: unknown): string =>
  typeof v === "bigint" || typeof v === "number" ? dec(v) : lower(v);

export function mapLog(log: ChainLog): RowInsert[] {
  const a = log.args;
  const row = (table: string, values: Values): RowInsert => ({
    table,
    values: {
      ...values,
      block_number: log.blockNumber.toString(),
      log_index: log.logIndex,
      block_time: log.blockTime.toString(),
      tx_hash: log.transactionHash.toLowerCase(),
    },
  });

  const setting = SETTINGS[log.contract]?.[log.eventName];
  if (setting) {
    const [name, oldArg, newArg] = setting;
    return [
      row("settings_changes", {
        contract: log.contract,
        setting: name,
        old_value: settingValue(a[oldArg]),
        new_value: settingValue(a[newArg]),
      }),
    ];
  }

  switch (`${log.contract}.${log.eventName}`) {
    // Membership
    case "membership.MembershipApplied":
      return [
        row("membership_applications", { applicant: lower(a.applicant), uri: String(a.uri) }),
      ];
    case "membership.MemberAdmitted":
      return [
        row("member_changes", {
          member: lower(a.member),
          member_id: dec(a.memberId),
          admitted: true,
          resigned: null,
        }),
      ];
    case "membership.MemberLeft":
      return [
        row("member_changes", {
          member: lower(a.member),
          member_id: dec(a.memberId),
          admitted: false,
          resigned: Boolean(a.resigned),
        }),
      ];

    // Governor
    case "governor.ProposalCreated": {
      const targets = a.targets as string[];
      const values = a.values as bigint[];
      const signatures = a.signatures as string[];
      const calldatas = a.calldatas as Hex[];
      const description = String(a.description);
      const proposalId = dec(a.proposalId);
      return [
        row("proposals", {
          proposal_id: proposalId,
          proposer: lower(a.proposer),
          vote_start: dec(a.voteStart),
          vote_end: dec(a.voteEnd),
          description,
          description_hash: keccak256(stringToHex(description)),
          action_count: targets.length,
        }),
        ...targets.map((target, i) => {
          const call = decodeCall(calldatas[i]);
          return row("proposal_actions", {
            proposal_id: proposalId,
            action_index: i,
            target: lower(target),
            value: dec(values[i]),
            signature: signatures[i] ?? "",
            calldata: calldatas[i].toLowerCase(),
            function_name: call?.functionName ?? null,
            args: call ? JSON.stringify(call.args) : null,
          });
        }),
      ];
    }
    case "governor.VoteCast":
    case "governor.VoteCastWithParams":
      return [
        row("votes", {
          proposal_id: dec(a.proposalId),
          voter: lower(a.voter),
          support: num(a.support),
          weight: dec(a.weight),
          reason: String(a.reason),
          params: a.params === undefined ? null : lower(a.params),
        }),
      ];
    case "governor.ProposalQueued":
      return [row("proposal_queued", { proposal_id: dec(a.proposalId), eta: dec(a.etaSeconds) })];
    case "governor.ProposalExecuted":
      return [row("proposal_executed", { proposal_id: dec(a.proposalId) })];
    case "governor.ProposalCanceled":
      return [row("proposal_canceled", { proposal_id: dec(a.proposalId) })];
    case "governor.ProposalExtended":
      return [
        row("proposal_extended", {
          proposal_id: dec(a.proposalId),
          extended_deadline: dec(a.extendedDeadline),
        }),
      ];

    // Timelock
    case "timelock.CallScheduled":
    case "timelock.CallExecuted":
      return [
        row("timelock_calls", {
          operation_id: lower(a.id),
          call_index: dec(a.index),
          executed: log.eventName === "CallExecuted",
          target: lower(a.target),
          value: dec(a.value),
          data: lower(a.data),
          predecessor: a.predecessor === undefined ? null : lower(a.predecessor),
          delay: a.delay === undefined ? null : dec(a.delay),
        }),
      ];
    case "timelock.Cancelled":
      return [row("timelock_cancellations", { operation_id: lower(a.id) })];
    case "timelock.RoleGranted":
    case "timelock.RoleRevoked":
      return [
        row("timelock_roles", {
          role: lower(a.role),
          account: lower(a.account),
          granted: log.eventName === "RoleGranted",
          sender: lower(a.sender),
        }),
      ];

    // Data access registry
    case "registry.DatasetRegistered": {
      const fields = a.fields as string[];
      return [
        row("datasets", {
          dataset_id: dec(a.datasetId),
          name: String(a.name),
          schema_uri: String(a.schemaURI),
          schema_hash: lower(a.schemaHash),
          fields: JSON.stringify(fields),
          field_count: fields.length,
        }),
      ];
    }
    case "registry.DatasetRetired":
      return [row("dataset_retirements", { dataset_id: dec(a.datasetId) })];
    case "registry.RequestCreated": {
      const scope = a.scope as { fieldMask: bigint; rowLevel: boolean; minCohort: number };
      return [
        row("requests", {
          request_id: dec(a.requestId),
          partner: lower(a.partner),
          dataset_id: dec(a.datasetId),
          purpose: num(a.purpose),
          field_mask: dec(scope.fieldMask),
          row_level: Boolean(scope.rowLevel),
          min_cohort: num(scope.minCohort),
          duration: dec(a.duration),
          terms_uri: String(a.termsURI),
          fee: dec(a.fee),
          terms_hash: lower(a.termsHash),
        }),
      ];
    }
    case "registry.RequestApproved":
      return [
        row("request_approvals", {
          request_id: dec(a.requestId),
          partner: lower(a.partner),
          start_time: dec(a.start),
          end_time: dec(a.end),
        }),
      ];
    case "registry.RequestRejected":
      return [
        row("request_rejections", { request_id: dec(a.requestId), partner: lower(a.partner) }),
      ];
    case "registry.RequestWithdrawn":
      return [
        row("request_withdrawals", { request_id: dec(a.requestId), partner: lower(a.partner) }),
      ];
    case "registry.GrantRevoked":
      return [
        row("grant_revocations", {
          grant_id: dec(a.grantId),
          revoked_by: lower(a.by),
          reason: String(a.reason),
        }),
      ];
    case "registry.RefundClaimed":
      return [row("refund_claims", { partner: lower(a.partner), amount: dec(a.amount) })];
    case "registry.Paused":
    case "registry.Unpaused": {
      const paused = log.eventName === "Paused";
      return [
        row("settings_changes", {
          contract: "registry",
          setting: "paused",
          old_value: String(!paused),
          new_value: String(paused),
        }),
      ];
    }

    case "revenue.RegistrySet":
      return [
        row("settings_changes", {
          contract: "revenue",
          setting: "registry",
          old_value: null,
          new_value: lower(a.registry),
        }),
      ];

    // Consent registry
    case "consent.ConsentSet":
      return [row("consent_changes", { member: lower(a.member), mask: dec(a.mask) })];
    case "consent.GrantChoiceSet":
      return [
        row("grant_choices", {
          member: lower(a.member),
          grant_id: dec(a.grantId),
          choice: num(a.choice),
        }),
      ];

    // Revenue
    case "revenue.Deposited":
      return [
        row("revenue_deposits", {
          grant_id: dec(a.grantId),
          mode: num(a.mode),
          amount: dec(a.amount),
          to_treasury: dec(a.toTreasury),
          member_share: dec(a.memberShare),
          member_count: dec(a.memberCount),
          per_member: dec(a.perMember),
          snapshot: dec(a.snapshot),
        }),
      ];
    case "revenue.AllocationPosted":
      return [
        row("revenue_allocations", {
          grant_id: dec(a.grantId),
          root: lower(a.root),
          allocated: dec(a.allocated),
          returned: dec(a.returned),
        }),
      ];
    case "revenue.Claimed":
      return [
        row("revenue_claims", {
          grant_id: dec(a.grantId),
          member: lower(a.member),
          amount: dec(a.amount),
        }),
      ];

    // Access-log anchor
    case "accessLog.Anchored":
      return [
        row("access_log_anchors", {
          batch_index: dec(a.index),
          root: lower(a.root),
          size: dec(a.size),
          previous_root: lower(a.previousRoot),
          anchored_at: dec(a.timestamp),
        }),
      ];

    default:
      // ERC-721 Transfer/Approval, vote-delegation bookkeeping, EIP-712 domain changes, timelock salts:
      // implied by the events above or of no use to queries.
      return [];
  }
}
