/**
 * What a member reads when something did not go through: what happened and what to do next, in plain
 * words, never viem's message. Every custom error of the co-op's contracts (and the OpenZeppelin ones they
 * inherit), every refusal code of the relayer and every code of the data gateway is mapped here; the tests fail
 * when one is missing.
 */
import type { MessageKey } from "../i18n/en.ts";
import { QUERY_REFUSALS } from "./answers.ts";
import type { ReadableError } from "./errors.ts";
import type { Service } from "./gateway.ts";

/** Custom errors by name → the sentence that explains them. */
export const CONTRACT_ERRORS: Record<string, MessageKey> = {
  // Votes and proposals
  GovernorMemberCountingNoVote: "err.noVote",
  GovernorAlreadyCastVote: "err.alreadyVoted",
  GovernorUnexpectedProposalState: "err.proposalStep",
  GovernorAlreadyQueuedProposal: "err.proposalStep",
  GovernorProposalQueueingNotRequired: "err.proposalStep",
  GovernorProposalQueueingFailed: "err.proposalStep",
  GovernorUnableToCancel: "err.proposalStep",
  GovernorNonexistentProposal: "err.noProposal",
  GovernorRestrictedProposer: "err.proposeMembersOnly",
  GovernorInsufficientProposerVotes: "err.proposeMembersOnly",
  GovernorInvalidProposalLength: "err.invalidValue",
  GovernorInvalidVoteType: "err.invalidValue",
  GovernorInvalidVoteParams: "err.invalidValue",
  GovernorInvalidQuorumFraction: "err.invalidValue",
  GovernorInvalidVotingPeriod: "err.invalidValue",
  GovernorMemberCountingExtensionTooLarge: "err.invalidValue",
  CoopGovernorInvalidQuorum: "err.invalidValue",
  CoopGovernorInvalidVotingDelay: "err.invalidValue",
  GovernorInvalidSignature: "err.signature",
  GovernorOnlyExecutor: "err.coopOnly",
  GovernorDisabledDeposit: "err.noPayment",
  TimelockUnexpectedOperationState: "err.notYet",
  TimelockUnexecutedPredecessor: "err.notYet",
  TimelockInsufficientDelay: "err.invalidValue",
  TimelockInvalidOperationLength: "err.invalidValue",
  TimelockUnauthorizedCaller: "err.coopOnly",
  VotesExpiredSignature: "err.expired",
  InvalidAccountNonce: "err.staleSignature",
  ERC5805FutureLookup: "err.tryLater",
  // Membership
  MembershipAlreadyMember: "err.alreadyMember",
  MembershipExpiredSignature: "err.expired",
  MembershipInvalidSignature: "err.signature",
  MembershipMoveTargetUsed: "err.alreadyMember",
  MembershipMovedAway: "err.movedAway",
  MembershipNotMember: "err.notMember",
  MembershipNonTransferable: "err.soulbound",
  MembershipDelegationDisabled: "err.soulbound",
  ERC721IncorrectOwner: "err.soulbound",
  ERC721InsufficientApproval: "err.soulbound",
  ERC721InvalidApprover: "err.soulbound",
  ERC721InvalidOperator: "err.soulbound",
  ERC721InvalidOwner: "err.soulbound",
  ERC721InvalidReceiver: "err.soulbound",
  ERC721InvalidSender: "err.soulbound",
  ERC721NonexistentToken: "err.notMember",
  // Consent
  ConsentRegistryExpiredSignature: "err.expired",
  ConsentRegistryInvalidSignature: "err.signature",
  ConsentRegistryInvalidMask: "err.invalidValue",
  ConsentRegistryInvalidPurpose: "err.invalidValue",
  ConsentRegistryUnknownGrant: "err.noGrant",
  // Datasets, requests and grants
  DataAccessRegistryCohortTooSmall: "err.cohortTooSmall",
  DataAccessRegistryDatasetRetired: "err.datasetClosed",
  DataAccessRegistryUnknownDataset: "err.datasetClosed",
  DataAccessRegistryDurationTooLong: "err.durationTooLong",
  DataAccessRegistryMaxDurationTooLong: "err.invalidValue",
  DataAccessRegistryZeroDuration: "err.invalidValue",
  DataAccessRegistryEmptyTermsURI: "err.invalidValue",
  DataAccessRegistryFeeTooLow: "err.feeTooLow",
  DataAccessRegistryGrantExpired: "err.noGrant",
  DataAccessRegistryInvalidFieldCount: "err.invalidValue",
  DataAccessRegistryInvalidFieldMask: "err.invalidValue",
  DataAccessRegistryInvalidPurpose: "err.invalidValue",
  DataAccessRegistryMemberCannotRequest: "err.memberCannotRequest",
  DataAccessRegistryNotPartner: "err.notYourRequest",
  DataAccessRegistryNothingToRefund: "err.nothingToRefund",
  DataAccessRegistryRefundFailed: "err.paymentFailed",
  DataAccessRegistryTermsMismatch: "err.termsChanged",
  DataAccessRegistryUnauthorized: "err.coopOnly",
  DataAccessRegistryUnexpectedStatus: "err.requestDecided",
  DataAccessRegistryUnknownRequest: "err.requestDecided",
  EnforcedPause: "err.paused",
  ExpectedPause: "err.proposalStep",
  // Fees
  RevenueAlreadyClaimed: "err.alreadyClaimed",
  RevenueNotEligible: "err.notEligible",
  RevenueNotMember: "err.notEligible",
  RevenueInvalidProof: "err.badProof",
  RevenueAllocationNotPosted: "err.tryLater",
  RevenueUnknownGrant: "err.noGrant",
  RevenueWrongMode: "err.badProof",
  RevenueTransferFailed: "err.paymentFailed",
  RevenueInvalidTreasuryShare: "err.invalidValue",
  RevenueAllocationAlreadyPosted: "err.coopOnly",
  RevenueAllocationExceeded: "err.coopOnly",
  RevenueAllocationTooLarge: "err.coopOnly",
  RevenueAlreadyDeposited: "err.coopOnly",
  RevenueNotOperator: "err.coopOnly",
  RevenueNotRegistry: "err.coopOnly",
  RevenueRegistryLocked: "err.coopOnly",
  RevenueRegistryMismatch: "err.coopOnly",
  RevenueZeroRoot: "err.coopOnly",
  // The access log and the co-op's powers
  AccessLogAnchorNotOperator: "err.coopOnly",
  AccessLogAnchorSizeNotIncreasing: "err.coopOnly",
  AccessLogAnchorWrongPrevious: "err.coopOnly",
  AccessLogAnchorZeroRoot: "err.coopOnly",
  AccessControlBadConfirmation: "err.coopOnly",
  AccessControlUnauthorizedAccount: "err.coopOnly",
  OwnableInvalidOwner: "err.coopOnly",
  OwnableUnauthorizedAccount: "err.coopOnly",
  // Ordered consent, bounded governance, partner names, closing and sweeping shares
  MembershipConsentRegistryLocked: "err.coopOnly",
  MembershipConsentRegistryMismatch: "err.coopOnly",
  CoopGovernorExpiredSignature: "err.expired",
  CoopGovernorInvalidVotingPeriod: "err.invalidValue",
  GovernorAlreadyInitializedLatestProposalId: "err.coopOnly",
  DataAccessRegistryExactModeNeedsAggregates: "err.exactNeedsAggregates",
  DataAccessRegistryGuardianPauseUsed: "err.coopOnly",
  DataAccessRegistryInvalidPartnerName: "err.partnerName",
  DataAccessRegistryInvalidPrivacyCap: "err.invalidValue",
  DataAccessRegistryPartnerIsMember: "err.memberCannotRequest",
  ConsentRegistryNotMember: "err.notMember",
  ConsentRegistryNotMembership: "err.coopOnly",
  ConsentRegistryOutdatedSignature: "err.outdatedChoice",
  ConsentRegistrySignedBeforeMembership: "err.outdatedChoice",
  ConsentRegistrySignedInFuture: "err.clockAhead",
  RevenueAllocationClaimed: "err.coopOnly",
  RevenueClaimPeriodNotOver: "err.coopOnly",
  RevenueClosed: "err.claimClosed",
  RevenueInvalidClaimPeriod: "err.invalidValue",
  RevenueNothingToClaim: "err.nothingToCollect",
  RevenueWrongTopUp: "err.coopOnly",
  // Faults no member action should meet
  ReentrantReceiverRefused: "err.paymentFailed",
  ReentrancyGuardReentrantCall: "err.paymentFailed",
  FailedCall: "err.paymentFailed",
  InsufficientBalance: "err.paymentFailed",
  CheckpointUnorderedInsertion: "err.internal",
  SafeCastOverflowedUintDowncast: "err.invalidValue",
  InvalidShortString: "err.invalidValue",
  StringTooLong: "err.invalidValue",
  StringsInsufficientHexLength: "err.invalidValue",
};

/** The relayer's refusal and failure codes (indexer/src/relayer) → the sentence that explains them. */
export const RELAYER_CODES: Record<string, MessageKey> = {
  rate_limited: "err.relayerLimit",
  busy: "err.relayerBusy",
  budget_exhausted: "err.relayerBudget",
  relayer_underfunded: "err.relayerBudget",
  too_expensive: "err.relayerTooExpensive",
  chain_unavailable: "err.network",
  bad_signature: "err.signature",
  // A wallet that signs with the high-s twin (the relayer accepts only low-s signatures, EIP-2).
  signature_high_s: "err.signature",
  deadline_passed: "err.expired",
  nonce_not_current: "err.staleSignature",
  nonce_used: "err.staleSignature",
  // A consent change or grant choice older than the member's latest decision, or from before membership.
  signature_outdated: "err.outdatedChoice",
  already_relayed: "err.alreadyRelayed",
  // A claim of a share already collected, never owed, or of no such grant (the relayer refuses it before sending).
  nothing_to_claim: "err.nothingToCollect",
  not_member: "err.notMember",
  would_revert: "err.internal",
  not_sent: "err.relayerNotSent",
  dropped: "err.relayerNotSent",
  reverted: "err.internal",
  relay_timeout: "err.relayTimeout",
  not_found: "err.relayerMissing",
  request_invalid: "err.internal",
  body_too_large: "err.internal",
};

/**
 * Every code the data gateway answers with (server/src/gateway; a test scans its sources and fails on one missing
 * here) → a sentence that says what happened and what to do. A query's refusals are answers.ts's QUERY_REFUSALS
 * (what to change in the query); the rest are sign-in, records, schemas and the service itself.
 */
export const GATEWAY_CODES: Record<string, MessageKey> = {
  ...QUERY_REFUSALS,
  group_not_public: "refusal.groupNotPublic",
  groups_too_many: "refusal.groupsTooMany",
  tabulation_not_declared: "refusal.notDeclared",
  tabulations_unknown: "refusal.tabulationsUnknown",
  no_grant: "refusal.noGrant",
  signature_high_s: "refusal.again",
  // Sign-in (EIP-4361) and sessions.
  siwe_invalid: "gw.session",
  siwe_domain: "gw.session",
  siwe_uri: "gw.session",
  siwe_chain: "gw.session",
  siwe_expired: "gw.session",
  siwe_nonce: "gw.session",
  session_missing: "gw.session",
  session_invalid: "gw.session",
  no_standing: "gw.noStanding",
  not_member: "contribute.err.notMember",
  // A member's records.
  batch_invalid: "gw.batch",
  batch_too_large: "gw.batch",
  csv_invalid: "gw.batch",
  records_invalid: "gw.batch",
  records_unknown: "gw.recordsUnknown",
  // A dataset's schema document, an exact grant's tabulations.
  schema_invalid: "gw.schema",
  schema_hash_mismatch: "gw.schema",
  schema_fields_mismatch: "gw.schema",
  grant_not_exact: "gw.tabulations",
  tabulations_mismatch: "gw.tabulations",
  tabulations_invalid: "gw.tabulations",
  // The request itself, and the service.
  invalid_request: "gw.invalid",
  body_invalid: "gw.invalid",
  body_too_deep: "gw.invalid",
  body_too_large: "gw.invalid",
  unsupported_media_type: "gw.invalid",
  not_found: "gw.notFound",
  store_unavailable: "gw.unavailable",
  log_broken: "gw.logBroken",
};

/** The sentence for a gateway code (a refusal of a query first: what to change). */
export function gatewayErrorKey(code: string | undefined): MessageKey {
  return (code && GATEWAY_CODES[code]) || "refusal.other";
}

export type PlainError = { key: MessageKey; vars: Record<string, string> };

/** Each service's codes: the relayer and the gateway share some (`rate_limited`, `not_member`, `not_found`…). */
const CODES_OF: Record<Service, Record<string, MessageKey>> = {
  relayer: RELAYER_CODES,
  gateway: GATEWAY_CODES,
};

/** The sentence for a service's code: that service's own meaning, never the other's. */
function codeKey(code: string | undefined, service: Service | undefined): MessageKey | undefined {
  if (!code) return undefined;
  if (service) return CODES_OF[service][code];
  // A code whose service nobody said: only a code one service alone uses is worded.
  const inRelayer = code in RELAYER_CODES;
  const inGateway = code in GATEWAY_CODES;
  if (inRelayer && inGateway && RELAYER_CODES[code] !== GATEWAY_CODES[code]) return undefined;
  return RELAYER_CODES[code] ?? GATEWAY_CODES[code];
}

/**
 * The sentence for `error`: the contract's own reason first (it is the most precise), then the code of the
 * service that sent it (`service`, else the error's own `service`: the relayer's `rate_limited` is its limit per
 * member, the gateway's is too many queries), then the kind of failure (refused in the wallet, wrong network,
 * no ETH, no connection).
 */
export function plainError(error: ReadableError, network: string, service?: Service): PlainError {
  const vars = { network, code: error.errorName ?? error.code ?? error.kind };
  if (error.kind === "rejected") return { key: "err.rejected", vars };
  if (error.kind === "chain") return { key: "err.chain", vars };
  if (error.errorName && CONTRACT_ERRORS[error.errorName])
    return { key: CONTRACT_ERRORS[error.errorName], vars };
  const byCode = codeKey(error.code, service ?? error.service);
  if (byCode) return { key: byCode, vars };
  if (error.kind === "funds") return { key: "err.noFunds", vars };
  if (error.kind === "network") return { key: "err.network", vars };
  if (error.kind === "reverted") return { key: "err.internal", vars };
  return { key: "err.unknown", vars };
}
