/**
 * The gateway's policy: pure functions over plain data, used by every route that serves data.
 *
 * `decide` says whether a partner's query may run at all (the grant, the signer, the dataset, the scope and
 * the query's shape); `checkCohort` then applies the cohort rules to the sizes the data query found (groups
 * of at least k members, filters that do not isolate fewer than k); `includesMember` says whether one
 * member's records may be used under a grant, from their consent facts.
 *
 * Timing: a grant's approval counts only once its block is final; a revocation, a pause, an expiry and a
 * consent withdrawal count as soon as the gateway has seen them (the latest indexed block, and the wall
 * clock for expiry), so the gateway errs on the side of not serving.
 */
import type { Address } from "viem";
import { fieldsOf, type Query } from "@datacoop/protocol/query";
import type { DatasetSchema } from "@datacoop/protocol/datasetSchema";

/** A grant as the chain records it. Times are unix seconds, `end` exclusive; blocks are block numbers. */
export interface GrantFacts {
  id: bigint;
  grantee: Address;
  datasetId: bigint;
  /** Purpose bit (protocol/src/purposes.generated.ts). */
  purpose: number;
  scope: {
    /** Field names the grant may read. */
    fields: readonly string[];
    /** Rows (pseudonymised) allowed, or aggregates only. */
    rowLevel: boolean;
    /** Minimum cohort size k. */
    k: number;
  };
  /** Null until approved. */
  start: bigint | null;
  end: bigint | null;
  approvedAtBlock: bigint | null;
  revokedAtBlock: bigint | null;
}

/** Where the gateway's view of the chain stands. */
export interface ChainClock {
  latestBlock: bigint;
  /** Timestamp of the latest indexed block (seconds). */
  latestTime: bigint;
  /** Highest block treated as final. */
  finalizedBlock: bigint;
  /** The registry is paused as of the latest indexed block: no grant is active. */
  registryPaused: boolean;
  /**
   * Names the indexed chain state (latest block number and hash): every fact read from the chain is the
   * same for the same head, so the gateway may keep what it derived from them until the head moves.
   * Absent when the view cannot tell (nothing is kept then).
   */
  head?: string;
}

export interface PolicyRequest {
  /** The address that signed the request. */
  signer: Address;
  grantId: bigint;
  datasetId: bigint;
  query: Query;
}

export interface PolicyInput {
  /** Null when no such grant (or request) is known. */
  grant: GrantFacts | null;
  chain: ChainClock;
  /** Wall-clock time of the request (seconds). */
  now: bigint;
  request: PolicyRequest;
  /** Null when the gateway holds no accepted schema for the dataset. */
  schema: DatasetSchema | null;
  /** Privacy budget the grant has already spent (differentially private datasets). */
  epsilonSpent?: number;
}

export const REASONS = {
  grant_unknown: 404,
  dataset_unknown: 404,
  field_unknown: 400,
  not_grantee: 403,
  dataset_mismatch: 403,
  grant_not_approved: 403,
  grant_not_final: 403,
  grant_not_started: 403,
  grant_expired: 403,
  grant_revoked: 403,
  registry_paused: 403,
  field_not_in_scope: 403,
  field_identifying: 403,
  rows_not_allowed: 403,
  measure_not_private: 403,
  field_unbounded: 403,
  budget_exhausted: 403,
  cohort_too_small: 403,
  filter_isolates: 403,
  differencing: 403,
} as const;

export type ReasonCode = keyof typeof REASONS;

/** What an allowed query must do with its answer. */
export interface Obligations {
  shape: "rows" | "aggregate";
  k: number;
  /** Replace member addresses with per-grant pseudonyms (row answers). */
  pseudonymise: boolean;
  /** Laplace noise with this epsilon (the whole query's), or none. */
  epsilon: number | null;
}

export type Decision =
  | { allow: true; reason: "allowed"; message: string; obligations: Obligations }
  | { allow: false; reason: ReasonCode; status: number; message: string };

function deny(reason: ReasonCode, message: string): Decision {
  return { allow: false, reason, status: REASONS[reason], message };
}

/** Whether `input.request` may run under `input.grant` now. */
export function decide(input: PolicyInput): Decision {
  const { grant, chain, request, schema } = input;
  if (!grant) return deny("grant_unknown", `No grant ${request.grantId}.`);
  if (grant.id !== request.grantId) return deny("grant_unknown", `No grant ${request.grantId}.`);
  if (grant.grantee.toLowerCase() !== request.signer.toLowerCase()) {
    return deny("not_grantee", `Grant ${grant.id} was not made to ${request.signer}.`);
  }
  if (grant.datasetId !== request.datasetId) {
    return deny(
      "dataset_mismatch",
      `Grant ${grant.id} is for dataset ${grant.datasetId}, not dataset ${request.datasetId}.`,
    );
  }
  // Revocation and pause first: they count as soon as seen, whatever else holds.
  if (grant.revokedAtBlock !== null) {
    return deny("grant_revoked", `Grant ${grant.id} was revoked at block ${grant.revokedAtBlock}.`);
  }
  if (chain.registryPaused)
    return deny("registry_paused", "The registry is paused: no grant is active.");
  if (grant.approvedAtBlock === null || grant.start === null || grant.end === null) {
    return deny("grant_not_approved", `Request ${grant.id} has not been approved.`);
  }
  if (grant.approvedAtBlock > chain.finalizedBlock) {
    return deny(
      "grant_not_final",
      `Grant ${grant.id} was approved at block ${grant.approvedAtBlock}, which is not final yet (final: ${chain.finalizedBlock}).`,
    );
  }
  const now = input.now > chain.latestTime ? input.now : chain.latestTime;
  if (now < grant.start)
    return deny("grant_not_started", `Grant ${grant.id} starts at ${grant.start}.`);
  if (now >= grant.end) return deny("grant_expired", `Grant ${grant.id} ended at ${grant.end}.`);
  if (!schema || schema.datasetId !== grant.datasetId) {
    return deny("dataset_unknown", `The gateway has no schema for dataset ${grant.datasetId}.`);
  }

  const { query } = request;
  const allowed = new Set(grant.scope.fields);
  for (const name of fieldsOf(query)) {
    if (!schema.fields.some((f) => f.name === name)) {
      return deny("field_unknown", `Dataset ${schema.datasetId} has no field "${name}".`);
    }
    if (!allowed.has(name)) {
      return deny("field_not_in_scope", `Field "${name}" is not in grant ${grant.id}'s scope.`);
    }
    if (schema.fields.find((f) => f.name === name)?.identifying) {
      return deny("field_identifying", `Field "${name}" identifies a person and is never served.`);
    }
  }
  if (query.type === "rows" && !grant.scope.rowLevel) {
    return deny("rows_not_allowed", `Grant ${grant.id} allows aggregates only.`);
  }

  let epsilon: number | null = null;
  if (query.type === "aggregate" && schema.privacy) {
    for (const m of query.measures) {
      if (m.fn === "min" || m.fn === "max" || m.fn === "quantiles") {
        return deny(
          "measure_not_private",
          `Dataset ${schema.datasetId} requires differentially private aggregates: count, sum and mean only.`,
        );
      }
      if (m.fn === "sum" || m.fn === "mean") {
        const f = schema.fields.find((x) => x.name === m.field);
        if (f?.min === undefined || f.max === undefined) {
          return deny("field_unbounded", `Field "${m.field}" has no bounds to clamp to.`);
        }
      }
    }
    epsilon = query.epsilon ?? schema.privacy.defaultEpsilon;
    const spent = input.epsilonSpent ?? 0;
    // A tiny tolerance so that spending the budget in equal parts can reach it exactly.
    if (spent + epsilon > schema.privacy.epsilonBudget + 1e-9) {
      return deny(
        "budget_exhausted",
        `Grant ${grant.id} has spent ${spent} of its privacy budget ${schema.privacy.epsilonBudget}; this query needs ${epsilon}.`,
      );
    }
  }

  return {
    allow: true,
    reason: "allowed",
    message: `Allowed under grant ${grant.id}.`,
    obligations: {
      shape: query.type,
      k: grant.scope.k,
      pseudonymise: query.type === "rows",
      epsilon,
    },
  };
}

/**
 * One cohort of an answer: the rows of a row query, or one group of an aggregate. `members` counts the
 * distinct members in it; `removedBy[i]` counts the distinct members whose data the i-th term of its
 * predicate (each filter, then each group key) removes, compared with the same predicate without that term.
 */
export interface Cohort {
  members: number;
  removedBy: readonly number[];
}

export type CohortVerdict =
  { ok: true } | { ok: false; reason: "cohort_too_small" | "filter_isolates"; message: string };

/**
 * The k rules for one cohort: at least k members, and no term of its predicate that singles out between 1
 * and k−1 members (otherwise two queries differing by that term would tell those members' values apart).
 */
export function checkCohort(cohort: Cohort, k: number): CohortVerdict {
  if (cohort.members < k) {
    return {
      ok: false,
      reason: "cohort_too_small",
      message: `The answer covers fewer than ${k} members.`,
    };
  }
  for (const removed of cohort.removedBy) {
    if (removed > 0 && removed < k) {
      return {
        ok: false,
        reason: "filter_isolates",
        message: `A filter or group separates fewer than ${k} members from the rest.`,
      };
    }
  }
  return { ok: true };
}

/**
 * A member's consent, as of the latest indexed block. The "since" and "at" fields are block timestamps
 * (seconds): the consent registry compares a setting's time with the member's `unambiguousSince`, so a
 * setting stored in an earlier membership never counts, even when the member returned in the same second.
 */
export interface ConsentFacts {
  /** Whether they are a member now. */
  isMember: boolean;
  /** From when their settings count: admission time, plus one second for a returning member (null when not a member). */
  memberSince: bigint | null;
  /** Their standing consent mask (purpose bits) and the time it was set (null: never). */
  consentMask: bigint;
  consentSetAt: bigint | null;
  /** Their choice for this grant and the time it was made (null: never). */
  grantChoice: "default" | "optIn" | "optOut";
  grantChoiceAt: bigint | null;
}

/**
 * Whether a member's records may be used under a grant for `purpose`: a member now; not opted out of the
 * grant; and opted in to it, or standing consent covering the purpose. Choices made before the current
 * membership began are not in force (as in the consent registry).
 */
export function includesMember(facts: ConsentFacts, purpose: number): boolean {
  if (!facts.isMember || facts.memberSince === null) return false;
  const since = facts.memberSince;
  const choiceInForce =
    facts.grantChoiceAt !== null && facts.grantChoiceAt >= since ? facts.grantChoice : "default";
  if (choiceInForce === "optOut") return false;
  if (choiceInForce === "optIn") return true;
  const maskInForce =
    facts.consentSetAt !== null && facts.consentSetAt >= since ? facts.consentMask : 0n;
  return ((maskInForce >> BigInt(purpose)) & 1n) === 1n;
}
