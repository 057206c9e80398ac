/** Data access registry events → rows. */
import { dec, lower, num, type ContractMapper, type EventMapper } from "./common.ts";

interface Scope {
  fieldMask: bigint;
  rowLevel: boolean;
  minCohort: number;
  exactTabulations?: string;
}

const paused: EventMapper = (_a, row, log) => {
  const now = log.eventName === "Paused";
  return [
    row("settings_changes", {
      contract: "registry",
      setting: "paused",
      old_value: String(!now),
      new_value: String(now),
    }),
  ];
};

export const registry: ContractMapper = {
  events: {
    DatasetRegistered: (a, row) => {
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
    },
    DatasetRetired: (a, row) => [row("dataset_retirements", { dataset_id: dec(a.datasetId) })],
    RequestCreated: (a, row) => {
      const scope = a.scope as Scope;
      const exact = scope.exactTabulations;
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
          partner_name: a.partnerName === undefined ? null : String(a.partnerName),
          // Zero means differentially private answers (the default): stored as null.
          exact_tabulations: exact === undefined || BigInt(exact) === 0n ? null : lower(exact),
        }),
      ];
    },
    RequestApproved: (a, row) => [
      row("request_approvals", {
        request_id: dec(a.requestId),
        partner: lower(a.partner),
        start_time: dec(a.start),
        end_time: dec(a.end),
      }),
    ],
    GrantedToMembers: (a, row) => [row("member_grants", { grant_id: dec(a.grantId) })],
    RequestRejected: (a, row) => [
      row("request_rejections", { request_id: dec(a.requestId), partner: lower(a.partner) }),
    ],
    RequestWithdrawn: (a, row) => [
      row("request_withdrawals", { request_id: dec(a.requestId), partner: lower(a.partner) }),
    ],
    GrantRevoked: (a, row) => [
      row("grant_revocations", {
        grant_id: dec(a.grantId),
        revoked_by: lower(a.by),
        reason: String(a.reason),
      }),
    ],
    RefundClaimed: (a, row) => [
      row("refund_claims", { partner: lower(a.partner), amount: dec(a.amount) }),
    ],
    PrivacyCapSet: (a, row) => [
      row("privacy_cap_changes", {
        old_epsilon_millionths: dec(a.oldEpsilonMillionths),
        old_period: dec(a.oldPeriod),
        epsilon_millionths: dec(a.epsilonMillionths),
        period: dec(a.period),
      }),
    ],
    Paused: paused,
    Unpaused: paused,
  },
  settings: {
    GuardianSet: ["guardian", "oldGuardian", "newGuardian"],
    MinimumFeeSet: ["minimum_fee", "oldMinimumFee", "newMinimumFee"],
    MaxDurationSet: ["max_duration", "oldMaxDuration", "newMaxDuration"],
    OwnershipTransferred: ["owner", "previousOwner", "newOwner"],
  },
};
