/**
 * Serving partners' signed queries. Each query is decided in a transaction that reads the store's state —
 * the nonce, the indexed chain head, the dataset's revision — decides with the policy, picks the members
 * whose consent covers the grant, checks the cohorts, computes the answer with the in-memory engine
 * (engine.ts, over columns as of that revision; memory.ts) and appends the access-log entry. Queries that
 * arrive together share one transaction (group commit), decided in order, and nobody is answered before it
 * commits: nothing is served without its entry, and an error rolls the whole batch back (its queries are
 * then decided one by one). A denied query commits its entry (and its used nonce) too.
 */
import { createHash } from "node:crypto";
import type { Address } from "viem";
import type { RequesterOpening } from "@datacoop/protocol/accessLog/seal";
import type { Db, Queryable } from "../../store/db.ts";
import { appendEntries, type MemberSet, type QueryEntry } from "./accessLog.ts";
import type { ChainView } from "./chainView.ts";
import type { CohortDigest } from "../query/cohortAudit.ts";
import { evaluateAggregate, readRowPage, rowCohort, type EngineGroup } from "../query/engine.ts";
import { GatewayError, type ErrorCode } from "@datacoop/protocol/errors";
import { pseudonym, type GatewayKeys } from "../auth/keys.ts";
import {
  candidatesOf,
  digestOf,
  memberSetOfNumbers,
  memoryOf,
  ranksFor,
  type DatasetSnapshot,
  type GatewayMemory,
} from "./memory.ts";
import { verifySignedQuery, type VerifiedRequest } from "../auth/partnerAuth.ts";
import {
  REASONS,
  checkCohort,
  decide,
  type ChainClock,
  type CohortVerdict,
  type Decision,
  type GrantFacts,
} from "../query/policy.ts";
import { lockBudget, noisyMeasures, spendBudget } from "../query/privacy.ts";
import { checkQuery, fieldsOf, parseQuery, type Query } from "@datacoop/protocol/query";
import { measureLabel } from "../../../test/support/querySql.ts";
import { fieldOf } from "@datacoop/protocol/datasetSchema";
import { requireGrantee, type GatewayCounters } from "../auth/standing.ts";
import { type GatewayDomainConfig } from "@datacoop/protocol/typedData";

export interface GatewayContext {
  db: Db;
  chain: ChainView;
  keys: GatewayKeys;
  domain: GatewayDomainConfig;
  /** Wall clock in seconds (injectable for tests). */
  now?: () => bigint;
  /** Counts refusals that leave no trace (standing.ts). */
  counters?: GatewayCounters;
}

export interface GroupAnswer {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

export type Answer =
  | { shape: "rows"; rows: Record<string, unknown>[]; limit: number; offset: number }
  | {
      shape: "aggregate";
      groups: GroupAnswer[];
      suppressedGroups: number;
      noise: { epsilon: number } | null;
    };

export interface Served {
  answer: Answer;
  /** The access-log entry's sequence number and hash, and the opening of its seal's answer half. */
  log: { seq: number; hash: string; opening: RequesterOpening };
}

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));

/** Verifies, decides, serves and logs; throws a GatewayError (401/400/403/404) when not served. */
export async function serveSignedQuery(ctx: GatewayContext, body: unknown): Promise<Served> {
  const now = (ctx.now ?? nowSeconds)();
  const request = await verifySignedQuery(body, ctx.domain, now);
  const query = parseQuery(request.query);
  return serveQuery(ctx, request, query, now);
}

interface Denial {
  decision:
    | Extract<Decision, { allow: false }>
    | { allow: false; reason: ErrorCode; status: number; message: string };
}

interface Pending {
  request: VerifiedRequest;
  query: Query;
  now: bigint;
  resolve: (served: Served) => void;
  reject: (error: unknown) => void;
}

/** One decided query, waiting for its batch's transaction to commit. */
interface Decided {
  pending: Pending;
  /** Null for a replayed nonce (401, nothing written). */
  outcome: { answer: Answer | null; denial: Denial["decision"] | null; entry: number } | null;
}

const MAX_BATCH = 32;

/**
 * Queries arriving while a transaction is open wait for the next one, and each transaction decides a
 * whole batch in arrival order (group commit): the nonces, cohort digests and access-log entries of every
 * decision in it are written together, and nobody is answered before that commit.
 */
class Batcher {
  private queue: Pending[] = [];
  private running = false;
  private ctx: GatewayContext;
  constructor(ctx: GatewayContext) {
    this.ctx = ctx;
  }

  submit(request: VerifiedRequest, query: Query, now: bigint): Promise<Served> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, query, now, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await runBatch(this.ctx, batch);
        } catch {
          // Something unexpected failed the batch and rolled it back: decide each query on its own, so
          // one bad query fails alone.
          for (const p of batch) {
            try {
              await runBatch(this.ctx, [p]);
            } catch (error) {
              p.reject(error);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
  }
}

const batchers = new WeakMap<GatewayContext, Batcher>();

export async function serveQuery(
  ctx: GatewayContext,
  request: VerifiedRequest,
  query: Query,
  now: bigint,
): Promise<Served> {
  // No standing (holds no grant of the co-op): refused before any nonce is used or entry written.
  await requireGrantee(ctx, request.signer);
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new Batcher(ctx)));
  return batcher.submit(request, query, now);
}

/** Decides a batch in one transaction, then answers each query (or throws its refusal) after the commit. */
async function runBatch(ctx: GatewayContext, batch: Pending[]): Promise<void> {
  const memory = memoryOf(ctx.db, ctx.keys);
  const remembered: { grantId: bigint; digests: CohortDigest[] }[] = [];
  const toKeep: OneDecision[] = [];
  const { decided, stored } = await ctx.db.transaction(async (tx) => {
    remembered.length = 0;
    toKeep.length = 0;
    const fresh = await useNonces(tx, batch);
    const chain = await ctx.chain.clock(tx);
    const revisions = await memory.revisions(
      tx,
      batch.map((p) => p.request.datasetId),
    );
    const entries: { body: QueryEntry; members: MemberSet; answer: Answer | null }[] = [];
    const decided: Decided[] = [];
    const batchDigests = new Map<string, Map<number, bigint[]>>();
    for (const [i, pending] of batch.entries()) {
      if (!fresh[i]) {
        decided.push({ pending, outcome: null });
        continue;
      }
      const result = await decideOne(ctx, tx, memory, chain, revisions, pending, batchDigests);
      if (result.digests.length > 0) {
        remembered.push({ grantId: pending.request.grantId, digests: result.digests });
      }
      decided.push({
        pending,
        outcome: { answer: result.answer, denial: result.denial, entry: entries.length },
      });
      if (result.cacheKey) toKeep.push(result);
      entries.push({ body: result.entry, members: result.members, answer: result.answer });
    }
    const all = remembered.flatMap((r) =>
      r.digests
        .filter((d) => !memory.isAnswered(r.grantId, d))
        .map((d) => ({ grantId: r.grantId, ...d })),
    );
    if (all.length > 0) {
      await tx.query(
        `INSERT INTO gateway_cohort_digests (grant_id, n, digest)
         SELECT g, n, d FROM unnest($1::numeric[], $2::int[], $3::text[]) AS t(g, n, d)
         ON CONFLICT DO NOTHING`,
        [
          all.map((d) => d.grantId.toString()),
          all.map((d) => d.n),
          all.map((d) => d.digest.toString(16).padStart(32, "0")),
        ],
      );
    }
    const stored = await appendEntries(tx, entries, new Date(), memory.storedSets);
    return { decided, stored };
  });
  for (const r of remembered) memory.remember(r.grantId, r.digests);
  for (const d of toKeep) memory.keepAnswer(d.cacheKey!, { ...d, digests: [] });
  memory.setsStored(stored.filter((e) => e.members > 0).map((e) => e.membersHash));
  for (const { pending, outcome } of decided) {
    if (!outcome) {
      pending.reject(
        new GatewayError(401, "nonce_reused", "This request was already received (nonce used)."),
      );
      continue;
    }
    const e = stored[outcome.entry]!;
    const log = { seq: e.seq, hash: e.hash, opening: e.opening };
    if (outcome.denial) {
      const d = outcome.denial;
      pending.reject(new GatewayError(d.status as 403, d.reason, d.message, { log }));
    } else {
      pending.resolve({ answer: outcome.answer!, log });
    }
  }
}

/** Uses up every query's nonce in one statement; false for a nonce used before (or twice in the batch). */
async function useNonces(tx: Queryable, batch: readonly Pending[]): Promise<boolean[]> {
  const keyOf = (p: Pending) => `${p.request.signer.toLowerCase()}:${p.request.nonce}`;
  const first = new Map<string, number>();
  batch.forEach((p, i) => {
    if (!first.has(keyOf(p))) first.set(keyOf(p), i);
  });
  const unique = [...first.values()].map((i) => batch[i]!);
  const { rows } = await tx.query<{ signer: string; nonce: string }>(
    `INSERT INTO gateway_partner_nonces (signer, nonce, deadline)
     SELECT * FROM unnest($1::text[], $2::numeric[], $3::bigint[])
     ON CONFLICT (signer, nonce) DO NOTHING RETURNING signer, nonce::text AS nonce`,
    [
      unique.map((p) => p.request.signer.toLowerCase()),
      unique.map((p) => p.request.nonce.toString()),
      unique.map((p) => p.request.deadline.toString()),
    ],
  );
  const used = new Set(rows.map((r) => `${r.signer}:${r.nonce}`));
  // Amortised clean-up: a used nonce only matters until its deadline.
  if (batch.some((p) => p.request.nonce % 64n === 0n)) {
    await tx.query("DELETE FROM gateway_partner_nonces WHERE deadline < $1", [
      batch[0]!.now.toString(),
    ]);
  }
  return batch.map((p, i) => first.get(keyOf(p)) === i && used.has(keyOf(p)));
}

interface OneDecision {
  /** Set when the outcome may be kept for the same grant, head, revision and query (after commit). */
  cacheKey?: string;
  answer: Answer | null;
  denial: Denial["decision"] | null;
  entry: QueryEntry;
  members: MemberSet;
  digests: CohortDigest[];
}

const NOBODY: MemberSet = {
  count: 0,
  hash: createHash("sha256").update("").digest("hex"),
  commitments: () => [],
};

/** Decides one query and computes its answer (everything but the writes, which the batch makes). */
async function decideOne(
  ctx: GatewayContext,
  tx: Queryable,
  memory: GatewayMemory,
  chain: ChainClock,
  revisions: Map<string, string>,
  pending: Pending,
  batchDigests: Map<string, Map<number, bigint[]>>,
): Promise<OneDecision> {
  const { request, query, now } = pending;
  const grant = await memory.grant(tx, ctx.chain, chain.head, request.grantId);
  const snapshot = await memory.dataset(
    tx,
    request.datasetId,
    revisions.get(request.datasetId.toString()),
  );
  const schema = snapshot?.schema ?? null;
  const entry = (
    partial: Partial<QueryEntry> & Pick<QueryEntry, "decision" | "reason" | "message">,
  ): QueryEntry => ({
    kind: "query",
    partner: request.signer.toLowerCase(),
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
  const refuse = (d: Denial["decision"]): OneDecision => ({
    answer: null,
    denial: d,
    entry: entry({ decision: "deny", reason: d.reason, message: d.message }),
    members: NOBODY,
    digests: [],
  });

  const dp = schema?.privacy && query.type === "aggregate" && grant ? schema.privacy : null;
  const epsilonSpent = dp && grant ? await lockBudget(tx, grant.id) : 0;
  const decision = decide({
    grant,
    chain,
    now,
    request: { ...request, query },
    schema,
    epsilonSpent,
  });
  if (!decision.allow) return refuse(decision);
  // decide() allowed: the grant and schema exist.
  const g = grant as GrantFacts;
  const snap = snapshot as DatasetSnapshot;
  // Values of the wrong type, operators that do not fit a field: refused, and logged like any decision.
  try {
    checkQuery(query, snap.schema);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return refuse({
      allow: false,
      reason: error.code,
      status: error.status,
      message: error.message,
    });
  }
  const data = snap.data;
  if (!data) {
    return refuse({
      allow: false,
      reason: "dataset_unknown",
      status: REASONS.dataset_unknown,
      message: `The gateway holds no records table for dataset ${g.datasetId}.`,
    });
  }
  // An exact answer depends only on the grant, the chain head, the dataset's revision and the query: one
  // already committed under the same four is served again (decided, nonce used and logged as ever). Cohorts
  // answered since cannot change it: a cohort one member away from it would have been suppressed.
  const cacheKey =
    decision.obligations.epsilon === null && chain.head !== undefined
      ? `${g.id}|${chain.head}|${snap.revision}|${request.queryHash}`
      : null;
  const known = cacheKey === null ? undefined : memory.answerFor<OneDecision>(cacheKey);
  if (known) return { ...known, digests: [] };
  const allowed = (counts: Partial<QueryEntry>) =>
    entry({
      decision: "allow",
      reason: "allowed",
      message: decision.message,
      purpose: g.purpose,
      ...counts,
    });
  const computed = await (async (): Promise<OneDecision> => {
    const scope = { covered: await memory.covered(tx, ctx.chain, chain.head, g, snap) };
    const k = decision.obligations.k;
    const epsilon = decision.obligations.epsilon;
    const cohortDenial = (verdict: Extract<CohortVerdict, { ok: false }>): OneDecision =>
      refuse({ allow: false, reason: verdict.reason, status: 403, message: verdict.message });

    if (query.type === "rows") {
      const cohort = rowCohort(data, query, scope);
      const verdict = checkCohort(cohort, k);
      if (!verdict.ok) return cohortDenial(verdict);
      const keyed = ranksFor(snap, pseudonym(ctx.keys, g.id, "order"));
      const page = readRowPage(data, query, scope, keyed.rank, keyed.order);
      const numbers = page.rows.map((r) => data.member[r]!);
      const rows = page.values.map((values, i) => {
        const record: Record<string, unknown> = {
          member: pseudonym(ctx.keys, g.id, snap.addressOf.get(numbers[i]!)! as Address),
        };
        query.select.forEach((name, j) => (record[name] = values[j] ?? null));
        return record;
      });
      return {
        answer: { shape: "rows", rows, limit: query.limit ?? 100, offset: query.offset ?? 0 },
        denial: null,
        entry: allowed({ rows: rows.length }),
        members: memberSetOfNumbers(snap, ctx.keys, [numbers]),
        digests: [],
      };
    }

    const { groups } = evaluateAggregate(data, query, scope, { private: epsilon !== null });
    const grouped = (query.groupBy ?? []).length > 0;
    if (!grouped) {
      const verdict = checkCohort(groups[0]!.cohort, k);
      if (!verdict.ok) return cohortDenial(verdict);
    }
    const kept = groups.filter((group) => !grouped || checkCohort(group.cohort, k).ok);
    let suppressed = groups.length - kept.length;
    if (epsilon !== null) await spendBudget(tx, g.id, epsilon);

    // Exact answers: no answered cohort may be exactly one member away from another (cohortAudit.ts).
    let flagged = kept.map(() => false);
    let digests: CohortDigest[] = [];
    if (epsilon === null && kept.length > 0) {
      digests = kept.map((group) => digestOf(snap, ctx.keys, group.members));
      const stored = await memory.answered(tx, g.id);
      const inBatch = batchDigests.get(g.id.toString()) ?? new Map<number, bigint[]>();
      const known = (n: number) => [
        ...(stored.get(n) ?? []),
        ...(inBatch.get(n) ?? []),
        ...digests.filter((d) => d.n === n).map((d) => d.digest),
      ];
      const sizes = digests.flatMap((d) => [d.n - 1, d.n + 1]);
      if (sizes.some((n) => known(n).length > 0)) {
        const candidates = candidatesOf(snap, ctx.keys);
        flagged = digests.map((c) =>
          [c.n - 1, c.n + 1].some((n) => known(n).some((d) => candidates.has(d ^ c.digest))),
        );
      }
    }
    if (!grouped && flagged[0]) {
      return refuse({
        allow: false,
        reason: "differencing",
        status: REASONS.differencing,
        message:
          "This answer would differ from an earlier one by exactly one member, revealing that member.",
      });
    }
    const answered: EngineGroup[] = [];
    const answeredDigests: CohortDigest[] = [];
    kept.forEach((group, i) => {
      if (flagged[i]) {
        suppressed++;
        return;
      }
      answered.push(group);
      if (epsilon === null) answeredDigests.push(digests[i]!);
    });
    if (answeredDigests.length > 0) {
      const inBatch = batchDigests.get(g.id.toString()) ?? new Map<number, bigint[]>();
      for (const d of answeredDigests) inBatch.set(d.n, [...(inBatch.get(d.n) ?? []), d.digest]);
      batchDigests.set(g.id.toString(), inBatch);
    }
    const bounds =
      epsilon === null
        ? []
        : query.measures.map((m) => {
            const f = m.fn === "count" ? undefined : fieldOf(snap.schema, m.field);
            return { fn: m.fn as "count" | "sum" | "mean", min: f?.min, max: f?.max };
          });
    const out: GroupAnswer[] = answered.map((group) => {
      const key: Record<string, unknown> = {};
      (query.groupBy ?? []).forEach((name, j) => (key[name] = group.key[j] ?? null));
      const values: Record<string, unknown> = {};
      const noisy = epsilon === null ? null : noisyMeasures(group.private!, bounds, epsilon);
      query.measures.forEach((m, i) => {
        values[measureLabel(m)] = noisy ? noisy[i] : (group.values[i] ?? null);
      });
      return { key, values };
    });
    return {
      answer: {
        shape: "aggregate",
        groups: out,
        suppressedGroups: suppressed,
        noise: epsilon === null ? null : { epsilon },
      },
      denial: null,
      entry: allowed({
        groups: out.length,
        suppressedGroups: suppressed,
        ...(epsilon !== null ? { epsilon } : {}),
      }),
      members: memberSetOfNumbers(
        snap,
        ctx.keys,
        answered.map((group) => group.members),
      ),
      digests: answeredDigests,
    };
  })();
  return cacheKey === null ? computed : { ...computed, cacheKey };
}
