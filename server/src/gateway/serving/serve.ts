/**
 * Serving queries. A `Gateway` is one gateway process's serving state, made explicit: what it keeps in
 * memory (memory.ts), its copy of the privacy ledger (ledger.ts) and of the exact mode's differencing
 * memory (exactMemory.ts), the tabulations documents it holds, and its queue of queries. Several gateways
 * (processes, or objects in one process) may serve one store: everything that decides — nonces, the
 * ledger, the differencing memory, the log — is in the store, read to its end in each transaction.
 *
 * Each query is decided in a transaction that reads the store's state — the nonce, the indexed chain head,
 * the dataset's revision, the dataset's guard (guards.ts) for aggregates — decides with the policy, picks
 * the members whose consent covers the grant, computes the answer (decide.ts) and appends the access-log
 * entry. Queries that arrive together share one transaction (group commit), decided in order, and nobody
 * is answered before it commits: nothing is served without its entry and its charge, and an error rolls
 * the whole batch back (its queries are then decided one by one). A denied query commits its entry (and
 * its used nonce) too.
 */
import type { Address, Hex } from "viem";
import type { RequesterOpening } from "@datacoop/protocol/accessLog/seal";
import type { Db, Queryable } from "../../store/db.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import { DEFAULT_PRIVACY_CAP } from "@datacoop/protocol/privacy";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { parseQuery, type Query } from "@datacoop/protocol/query";
import { onRecordsChanged } from "../records/changes.ts";
import type { GatewayKeys } from "../auth/keys.ts";
import { verifySignedQuery, type VerifiedRequest } from "../auth/partnerAuth.ts";
import { requireGrantee, type GatewayCounters } from "../auth/standing.ts";
import type { GatewayDomainConfig } from "@datacoop/protocol/typedData";
import type { PrivateAnswer } from "../query/privacy.ts";
import { appendEntries, type MemberSet, type QueryEntry } from "./accessLog.ts";
import type { ChainView, PrivacyCap } from "./chainView.ts";
import { decideOne, type BatchState, type OneDecision, type Pending } from "./decide.ts";
import { ExactMemory, storeCohorts, type DatasetCohorts } from "./exactMemory.ts";
import { lockGuards, saveGuard } from "./guards.ts";
import { PrivacyLedger, committed, storeCharges, type DatasetLedger } from "./ledger.ts";
import { GatewayMemory } from "./memory.ts";
import { TabulationsStore } from "./tabulationsStore.ts";

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

/** A member's query under a grant to the co-op's members, authenticated by their gateway session. */
export interface SessionRequest {
  via: "session";
  signer: Address;
  grantId: bigint;
  datasetId: bigint;
  query: unknown;
  queryHash: Hex;
  nonce: null;
  deadline: null;
}

export type QueryRequest = (VerifiedRequest & { via?: "signature" }) | SessionRequest;

export interface GroupAnswer {
  key: Record<string, unknown>;
  values: Record<string, unknown>;
}

export type Answer =
  | { shape: "rows"; rows: Record<string, unknown>[]; limit: number; offset: number }
  | {
      shape: "aggregate";
      /** private: differential privacy (the default); exact: the exact mode the grant's terms chose. */
      mode: "private" | "exact";
      groups: GroupAnswer[];
      /** Groups not shown (under differential privacy: of the public domain, decided on noisy counts). */
      suppressedGroups: number;
      /** The noise added (differential privacy), or null (exact). */
      noise: PrivateAnswer["noise"] | null;
    };

export interface Served {
  answer: Answer;
  /** The access-log entry's sequence number and hash, and the opening of its seal's answer half. */
  log: { seq: number; hash: string; opening: RequesterOpening };
}

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000));

/** Most queries decided in one transaction, so the follower's commits wait less. */
const MAX_BATCH = 32;

interface Queued extends Pending {
  resolve: (served: Served) => void;
  reject: (error: unknown) => void;
}

/** One gateway's serving state over a store (see the file's header). */
export class Gateway {
  readonly memory = new GatewayMemory();
  readonly ledger = new PrivacyLedger();
  readonly exact = new ExactMemory();
  readonly tabulations = new TabulationsStore();
  private queue: Queued[] = [];
  private running = false;
  private readonly unsubscribe: () => void;
  readonly ctx: GatewayContext;

  constructor(ctx: GatewayContext) {
    this.ctx = ctx;
    // Contributions and erasures this process commits update its copy of the dataset in place.
    this.unsubscribe = onRecordsChanged(ctx.db, (change) => this.memory.apply(change));
  }

  now(): bigint {
    return (this.ctx.now ?? nowSeconds)();
  }

  /** Verifies a partner's (or a member's) signed query, then serves it (throws a GatewayError when not). */
  async serveSigned(body: unknown): Promise<Served> {
    const now = this.now();
    const request = await verifySignedQuery(body, this.ctx.domain, now);
    const query = parseQuery(request.query);
    await this.requireStanding(request.signer);
    return this.serve(request, query, now);
  }

  /**
   * No standing (holds no grant of the co-op, and is not a member, who may hold the co-op's grants to its
   * members): refused before any nonce is used or entry written (standing.ts).
   */
  async requireStanding(signer: Address): Promise<void> {
    try {
      await requireGrantee(this.ctx, signer);
    } catch (error) {
      if (!(await this.ctx.chain.isMember(this.ctx.db, signer))) throw error;
    }
  }

  /** Serves a signed-in member's query under a grant made to the co-op's members. */
  async serveSession(
    member: Address,
    body: { grantId: bigint; datasetId: bigint; query: unknown },
  ): Promise<Served> {
    let queryHash: Hex;
    try {
      queryHash = canonicalHash(body.query);
    } catch {
      throw new GatewayError(400, "invalid_request", "The query is not plain JSON.");
    }
    const request: SessionRequest = {
      via: "session",
      signer: member,
      grantId: body.grantId,
      datasetId: body.datasetId,
      query: body.query,
      queryHash,
      nonce: null,
      deadline: null,
    };
    return this.serve(request, parseQuery(body.query), this.now());
  }

  /** Decides, answers and logs a verified request (queued for the next batch). */
  serve(request: QueryRequest, query: Query, now: bigint): Promise<Served> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, query, now, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  /** Stops following the store's changes (the gateway is not used after). */
  close(): void {
    this.unsubscribe();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await runBatch(this, batch);
        } catch {
          // Something unexpected failed the batch and rolled it back: decide each query on its own, so
          // one bad query fails alone.
          for (const p of batch) {
            try {
              await runBatch(this, [p]);
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

/** Verifies, decides, serves and logs; throws a GatewayError (401/400/403/404) when not served. */
export function serveSignedQuery(gateway: Gateway, body: unknown): Promise<Served> {
  return gateway.serveSigned(body);
}

/** Decides, serves and logs a verified request of a signer with standing. */
export async function serveQuery(
  gateway: Gateway,
  request: QueryRequest,
  query: Query,
  now: bigint,
): Promise<Served> {
  await gateway.requireStanding(request.signer);
  return gateway.serve(request, query, now);
}

/** One decided query, waiting for its batch's transaction to commit. */
interface Decided {
  pending: Queued;
  /** Null for a replayed nonce (401, nothing written). */
  outcome: { decision: OneDecision; entry: number } | null;
}

/** Decides a batch in one transaction, then answers each query (or throws its refusal) after the commit. */
async function runBatch(gw: Gateway, batch: Queued[]): Promise<void> {
  const { ctx } = gw;
  let state: BatchState | null = null;
  let outcome: { decided: Decided[]; stored: Awaited<ReturnType<typeof appendEntries>> };
  try {
    outcome = await ctx.db.transaction(async (tx) => {
      const fresh = await useNonces(tx, batch);
      const chain = await ctx.chain.clock(tx);
      const revisions = await gw.memory.revisions(
        tx,
        batch.map((p) => p.request.datasetId),
      );
      // Aggregates read and extend the ledger and the differencing memory: one process at a time.
      const guards = await lockGuards(
        tx,
        batch
          .filter((p, i) => fresh[i] && p.query.type === "aggregate")
          .map((p) => p.request.datasetId),
      );
      state = batchState(gw, tx, chain, revisions, guards);
      const entries: { body: QueryEntry; members: MemberSet; answer: Answer | null }[] = [];
      const decided: Decided[] = [];
      for (const [i, pending] of batch.entries()) {
        if (!fresh[i]) {
          decided.push({ pending, outcome: null });
          continue;
        }
        state.entryIndex = entries.length;
        const decision = await decideOne(gw, state, pending);
        decided.push({ pending, outcome: { decision, entry: entries.length } });
        entries.push({ body: decision.entry, members: decision.members, answer: decision.answer });
      }
      const stored = await appendEntries(tx, entries, new Date(), gw.memory.storedSets);
      await writeState(tx, state, stored);
      return { decided, stored };
    });
  } catch (error) {
    // Rolled back: what memory added for this batch was never stored.
    if (state) forgetState(gw, state);
    throw error;
  }
  if (state) commitState(gw, state);
  const { decided, stored } = outcome;
  for (const d of decided) {
    const kept = d.outcome?.decision;
    if (kept?.cacheKey) gw.memory.keepAnswer(kept.cacheKey, kept);
  }
  gw.memory.setsStored(stored.filter((e) => e.members > 0).map((e) => e.membersHash));
  for (const { pending, outcome: o } of decided) {
    if (!o) {
      pending.reject(
        new GatewayError(401, "nonce_reused", "This request was already received (nonce used)."),
      );
      continue;
    }
    const e = stored[o.entry]!;
    const log = { seq: e.seq, hash: e.hash, opening: e.opening };
    const d = o.decision;
    if (d.denial) {
      pending.reject(
        new GatewayError(d.denial.status as 403, d.denial.reason, d.denial.message, { log }),
      );
    } else {
      pending.resolve({ answer: d.answer!, log });
    }
  }
}

function batchState(
  gw: Gateway,
  tx: Queryable,
  chain: BatchState["chain"],
  revisions: Map<string, string>,
  guards: BatchState["guards"],
): BatchState {
  let cap: Promise<PrivacyCap> | null = null;
  const ledgers = new Map<string, DatasetLedger>();
  const cohorts = new Map<string, DatasetCohorts>();
  const guardOf = (datasetId: bigint) => {
    const guard = guards.get(datasetId.toString());
    if (!guard) throw new Error(`dataset ${datasetId}'s guard is not locked`);
    return guard;
  };
  return {
    tx,
    chain,
    revisions,
    guards,
    cap: () =>
      (cap ??= gw.ctx.chain.privacyCap
        ? gw.ctx.chain.privacyCap(tx, gw.now())
        : Promise.resolve({ ...DEFAULT_PRIVACY_CAP })),
    async ledger(datasetId, period) {
      const key = `${datasetId}:${period}`;
      let ledger = ledgers.get(key);
      if (!ledger) {
        ledger = await gw.ledger.sync(tx, guardOf(datasetId), period);
        ledgers.set(key, ledger);
      }
      return ledger;
    },
    async exactCohortsIfKnown(datasetId) {
      return cohorts.get(datasetId.toString());
    },
    async exactCohorts(datasetId) {
      const key = datasetId.toString();
      let known = cohorts.get(key);
      if (!known) {
        known = await gw.exact.sync(tx, guardOf(datasetId));
        cohorts.set(key, known);
      }
      return known;
    },
    charges: [],
    newCohorts: new Map(),
    entryIndex: 0,
  };
}

/** Writes the batch's charges and cohorts after its entries, and moves the datasets' guards. */
async function writeState(
  tx: Queryable,
  state: BatchState,
  stored: readonly { seq: number }[],
): Promise<void> {
  const logSeqs = stored.map((e) => e.seq);
  for (const [key, guard] of state.guards) {
    const charges = state.charges.filter((c) => c.datasetId.toString() === key);
    const cohorts = state.newCohorts.get(key) ?? [];
    if (charges.length === 0 && cohorts.length === 0) continue;
    if (charges.length > 0) {
      const ledger = await state.ledger(guard.datasetId, charges[0]!.period);
      await storeCharges(tx, ledger, guard, charges, logSeqs);
    }
    await storeCohorts(tx, guard, await state.exactCohortsIfKnown(guard.datasetId), cohorts);
    await saveGuard(tx, guard);
  }
}

/** After the commit: the in-memory copies are as of the guards just written. */
function commitState(gw: Gateway, state: BatchState): void {
  for (const [key, guard] of state.guards) {
    const charges = state.charges.filter((c) => c.datasetId.toString() === key);
    const ledger = gw.ledger.peek(guard.datasetId);
    if (ledger) committed(ledger, guard, charges);
    const cohorts = state.newCohorts.get(key) ?? [];
    gw.exact.committed(
      guard.datasetId,
      guard.cohortSeq,
      cohorts.map((c) => c.setHash),
    );
  }
}

function forgetState(gw: Gateway, state: BatchState): void {
  for (const guard of state.guards.values()) {
    gw.ledger.forget(guard.datasetId);
    gw.exact.forget(guard.datasetId);
  }
}

/**
 * Uses up every signed query's nonce in one statement; false for a nonce used before (or twice in the
 * batch). Session requests carry none.
 */
async function useNonces(tx: Queryable, batch: readonly Pending[]): Promise<boolean[]> {
  const keyOf = (p: Pending) => `${p.request.signer.toLowerCase()}:${p.request.nonce}`;
  const first = new Map<string, number>();
  batch.forEach((p, i) => {
    if (p.request.nonce !== null && !first.has(keyOf(p))) first.set(keyOf(p), i);
  });
  const unique = [...first.values()].map((i) => batch[i]!);
  const used = new Set<string>();
  if (unique.length > 0) {
    const { rows } = await tx.query<{ signer: string; nonce: string }>(
      `INSERT INTO gateway_partner_nonces (signer, nonce, deadline)
       SELECT * FROM unnest($1::text[], $2::numeric[], $3::bigint[])
       ON CONFLICT (signer, nonce) DO NOTHING RETURNING signer, nonce::text AS nonce`,
      [
        unique.map((p) => p.request.signer.toLowerCase()),
        unique.map((p) => p.request.nonce!.toString()),
        unique.map((p) => p.request.deadline!.toString()),
      ],
    );
    for (const r of rows) used.add(`${r.signer}:${r.nonce}`);
    // Amortised clean-up: a used nonce only matters until its deadline.
    if (unique.some((p) => p.request.nonce! % 64n === 0n)) {
      await tx.query("DELETE FROM gateway_partner_nonces WHERE deadline < $1", [
        batch[0]!.now.toString(),
      ]);
    }
  }
  return batch.map(
    (p, i) => p.request.nonce === null || (first.get(keyOf(p)) === i && used.has(keyOf(p))),
  );
}
