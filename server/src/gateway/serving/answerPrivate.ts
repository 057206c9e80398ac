/**
 * Differentially private aggregate answers (the default for every aggregate). Who is read, and charged:
 * every member whose consent covers the grant (a contributor of the dataset, member now, not opted out)
 * and whose privacy loss this period stays within the co-op's cap with this query's ε; everyone else is
 * left out of the answer, whatever their records. Those members are charged the query's ε in the privacy
 * ledger (ledger.ts) whether or not a record of theirs passes the filters, so being charged or left out
 * depends on consent and on earlier queries, never on the data. The charged set is the access-log entry's
 * member set, and the entry carries the ε charged: the log commits to both.
 *
 * The answer is the plan's exact per-cell sums (query/private.ts) plus exact discrete Laplace noise, post-
 * processed from the noisy values only (query/privacy.ts). Nothing exact is returned or logged: no count of
 * members or records, no refusal that depends on the data.
 *
 * A repeated query — same grant, chain head, dataset revision, query, charged set and period — is served
 * the same noisy answer again, and charged nothing: releasing one output twice loses no more privacy than
 * releasing it once, and averaging repeats gains nothing.
 */
import type { AggregateQuery } from "@datacoop/protocol/query";
import { epsilonFromMillionths } from "@datacoop/protocol/privacy";
import { evaluatePrivate } from "../query/private.ts";
import { privateAnswer } from "../query/privacy.ts";
import type { AllowedQuery, OneDecision } from "./decide.ts";
import { periodStartOf } from "./ledger.ts";
import type { MemberSet } from "./accessLog.ts";
import { memberSetOfNumbers, type DatasetSnapshot } from "./memory.ts";
import type { Gateway } from "./serve.ts";

/**
 * The charged set as an access-log member set, kept with the ledger's answer (the same `charged` array is
 * returned while nobody's total changes, as for a query served again).
 */
const chargedSets = new WeakMap<
  Int32Array,
  { snapshot: DatasetSnapshot; gw: Gateway; set: MemberSet }
>();

function chargedSetOf(snapshot: DatasetSnapshot, gw: Gateway, charged: Int32Array): MemberSet {
  const known = chargedSets.get(charged);
  if (known && known.snapshot === snapshot && known.gw === gw) return known.set;
  const set = memberSetOfNumbers(snapshot, gw.ctx.keys, [charged]);
  chargedSets.set(charged, { snapshot, gw, set });
  return set;
}

export async function answerPrivate(q: AllowedQuery): Promise<OneDecision> {
  const { gw, state, pending, grant, snapshot, data } = q;
  const query = pending.query as AggregateQuery;
  const plan = q.obligations.plan!;
  const datasetId = grant.datasetId;
  const guard = state.guards.get(datasetId.toString())!;
  const cap = await state.cap();
  const now = pending.now > state.chain.latestTime ? pending.now : state.chain.latestTime;
  const current = periodStartOf(cap, now);
  // Periods never go back, even if a clock does.
  const period = current > guard.periodStart ? current : guard.periodStart;
  const ledger = await state.ledger(datasetId, period);
  const covered = await gw.memory.covered(
    state.tx,
    gw.ctx.chain,
    state.chain.head,
    grant,
    snapshot,
  );
  const epsilon = Number(plan.epsilonMillionths);
  const { scope, charged } = ledger.include(covered, epsilon, Number(cap.epsilonMillionths));
  const chargedSet = chargedSetOf(snapshot, gw, charged);

  const cacheKey =
    state.chain.head === undefined
      ? undefined
      : `private|${grant.id}|${state.chain.head}|${snapshot.revision}|${pending.request.queryHash}|${chargedSet.hash}|${period}`;
  const known = cacheKey === undefined ? undefined : gw.memory.answerFor<OneDecision>(cacheKey);
  if (known?.answer?.shape === "aggregate") {
    return {
      ...known,
      entry: q.allowed({
        groups: known.answer.groups.length,
        suppressedGroups: known.answer.suppressedGroups,
        epsilon: 0,
        servedAgain: true,
      }),
    };
  }

  const sums = evaluatePrivate(data, query, { covered: scope }, plan);
  const noisy = privateAnswer(plan, snapshot.schema, sums);
  if (charged.length > 0) {
    ledger.add(charged, epsilon);
    state.charges.push({
      datasetId,
      grantId: grant.id,
      period,
      millionths: plan.epsilonMillionths,
      membersHash: chargedSet.hash,
      charged,
      bound: snapshot.bound,
      entry: state.entryIndex,
    });
  }
  return {
    cacheKey,
    answer: {
      shape: "aggregate",
      mode: "private",
      groups: noisy.groups,
      suppressedGroups: noisy.suppressedGroups,
      noise: noisy.noise,
    },
    denial: null,
    entry: q.allowed({
      groups: noisy.groups.length,
      suppressedGroups: noisy.suppressedGroups,
      epsilon: charged.length > 0 ? epsilonFromMillionths(plan.epsilonMillionths) : 0,
    }),
    members: chargedSet,
  };
}
