/**
 * One query decided inside its batch's transaction (serve.ts): the policy (policy.ts) says whether it may
 * run and how — rows, a differentially private aggregate (the default), or an exact aggregate (a grant
 * whose voted terms chose the exact mode) — and the answer is computed by answerRows.ts, answerPrivate.ts
 * or answerExact.ts. Everything but the writes, which the batch makes together: the access-log entries,
 * the privacy ledger's charges and the exact mode's remembered cohorts.
 */
import { createHash } from "node:crypto";
import type { ErrorCode } from "@datacoop/protocol/errors";
import { fieldsOf, type Query } from "@datacoop/protocol/query";
import type { Queryable } from "../../store/db.ts";
import { memberCommitment } from "../auth/keys.ts";
import type { DatasetColumns } from "../query/engine.ts";
import {
  REASONS,
  decide,
  isExactGrant,
  type ChainClock,
  type Decision,
  type GrantFacts,
  type Obligations,
} from "../query/policy.ts";
import type { MemberSet, QueryEntry } from "./accessLog.ts";
import type { PrivacyCap } from "./chainView.ts";
import type { DatasetCohorts, ExactCohort } from "./exactMemory.ts";
import type { Guard } from "./guards.ts";
import type { DatasetLedger, PendingCharge } from "./ledger.ts";
import type { DatasetSnapshot } from "./memory.ts";
import type { Answer, Gateway, QueryRequest } from "./serve.ts";
import { answerRows } from "./answerRows.ts";
import { answerPrivate } from "./answerPrivate.ts";
import { answerExact } from "./answerExact.ts";

/** A refusal as returned to the requester and logged. */
export interface Denial {
  allow: false;
  reason: ErrorCode;
  status: number;
  message: string;
}

/** What one query's decision produced (its answer or refusal, its log entry and member set). */
export interface OneDecision {
  /** Set when the outcome may be served again for the same state (kept after the commit). */
  cacheKey?: string;
  answer: Answer | null;
  denial: Denial | null;
  entry: QueryEntry;
  members: MemberSet;
}

/** What a batch's transaction read and what it will write, shared by its decisions in order. */
export interface BatchState {
  tx: Queryable;
  chain: ChainClock;
  revisions: Map<string, string>;
  /** The guards of the batch's aggregate datasets, locked by this transaction (guards.ts). */
  guards: Map<string, Guard>;
  /** The co-op's privacy cap, read once per batch when needed. */
  cap: () => Promise<PrivacyCap>;
  /** A dataset's privacy ledger for a period, up to date with the store (its guard is locked). */
  ledger: (datasetId: bigint, period: bigint) => Promise<DatasetLedger>;
  /** A dataset's remembered exact cohorts, up to date with the store (its guard is locked). */
  exactCohorts: (datasetId: bigint) => Promise<DatasetCohorts>;
  /** The same, if this batch has read it already. */
  exactCohortsIfKnown: (datasetId: bigint) => Promise<DatasetCohorts | undefined>;
  charges: PendingCharge[];
  newCohorts: Map<string, ExactCohort[]>;
  /** Index, in the batch's entries, of the entry of the decision being made. */
  entryIndex: number;
}

export interface Pending {
  request: QueryRequest;
  query: Query;
  now: bigint;
}

/** Everything an answer path needs about one allowed query. */
export interface AllowedQuery {
  gw: Gateway;
  state: BatchState;
  pending: Pending;
  grant: GrantFacts;
  snapshot: DatasetSnapshot;
  data: DatasetColumns;
  obligations: Obligations;
  /** The entry of an allowed answer with these counts. */
  allowed: (counts: Partial<QueryEntry>) => QueryEntry;
  refuse: (denial: Denial) => OneDecision;
}

export const NOBODY: MemberSet = {
  count: 0,
  hash: createHash("sha256").update("").digest("hex"),
  commitments: () => [],
};

/** Decides one query and computes its answer. */
export async function decideOne(
  gw: Gateway,
  state: BatchState,
  pending: Pending,
): Promise<OneDecision> {
  const { request, query, now } = pending;
  const { tx, chain } = state;
  const view = gw.ctx.chain;
  const grant = await gw.memory.grant(tx, view, chain.head, request.grantId);
  const snapshot = await gw.memory.dataset(
    tx,
    request.datasetId,
    state.revisions.get(request.datasetId.toString()),
  );
  const schema = snapshot?.schema ?? null;
  // A member querying under a grant to the co-op's members is logged by commitment, never by address.
  const requester =
    request.via === "session" || grant?.toMembers
      ? `member:${memberCommitment(gw.ctx.keys, request.signer)}`
      : request.signer.toLowerCase();
  const entry = (
    partial: Partial<QueryEntry> & Pick<QueryEntry, "decision" | "reason" | "message">,
  ): QueryEntry => ({
    kind: "query",
    partner: requester,
    grantId: request.grantId.toString(),
    datasetId: request.datasetId.toString(),
    purpose: grant?.purpose ?? null,
    queryHash: request.queryHash,
    fields: fieldsOf(query),
    shape: query.type,
    latestBlock: chain.latestBlock.toString(),
    finalizedBlock: chain.finalizedBlock.toString(),
    ...partial,
  });
  const refuse = (d: Denial): OneDecision => ({
    answer: null,
    denial: d,
    entry: entry({ decision: "deny", reason: d.reason, message: d.message }),
    members: NOBODY,
  });

  if (grant && request.via === "session" && !grant.toMembers) {
    return refuse({
      allow: false,
      reason: "not_grantee",
      status: REASONS.not_grantee,
      message: `Grant ${grant.id} was made to a partner, who signs each query; a session queries only grants made to the co-op's members.`,
    });
  }
  const decision: Decision = decide({
    grant,
    chain,
    now,
    request: { ...request, query },
    schema,
    signerIsMember: grant?.toMembers ? await view.isMember(tx, request.signer) : false,
    tabulations:
      grant && isExactGrant(grant)
        ? await gw.tabulations.get(tx, grant.scope.exactTabulations!)
        : null,
  });
  if (!decision.allow) return refuse(decision);
  // decide() allowed: the grant and the schema exist.
  const g = grant as GrantFacts;
  const snap = snapshot as DatasetSnapshot;
  if (!snap.data) {
    return refuse({
      allow: false,
      reason: "dataset_unknown",
      status: REASONS.dataset_unknown,
      message: `The gateway holds no records table for dataset ${g.datasetId}.`,
    });
  }
  const allowedQuery: AllowedQuery = {
    gw,
    state,
    pending,
    grant: g,
    snapshot: snap,
    data: snap.data,
    obligations: decision.obligations,
    allowed: (counts) =>
      entry({
        decision: "allow",
        reason: "allowed",
        message: decision.message,
        purpose: g.purpose,
        mode: decision.obligations.mode,
        ...counts,
      }),
    refuse,
  };
  switch (decision.obligations.mode) {
    case "rows":
      return answerRows(allowedQuery);
    case "private":
      return answerPrivate(allowedQuery);
    case "exact":
      return answerExact(allowedQuery);
  }
}
