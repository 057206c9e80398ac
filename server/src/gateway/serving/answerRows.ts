/**
 * Row answers (row-level grants only): the records themselves, members replaced by per-grant pseudonyms,
 * in the grant's keyed order. The result set must cover at least k members, and no filter may separate
 * fewer than k of them. A row-level grant hands records over: it is outside differential privacy, and the
 * privacy ledger does not count it.
 */
import type { RowQuery } from "@datacoop/protocol/query";
import { pseudonym } from "../auth/keys.ts";
import { readRowPage, rowCohort } from "../query/engine.ts";
import { checkCohort } from "../query/policy.ts";
import type { AllowedQuery, OneDecision } from "./decide.ts";
import { memberSetOfNumbers, ranksFor } from "./memory.ts";

export async function answerRows(q: AllowedQuery): Promise<OneDecision> {
  const { gw, state, pending, grant, snapshot, data } = q;
  const query = pending.query as RowQuery;
  const keys = gw.ctx.keys;
  // Rows depend only on the grant, the chain head, the dataset's revision and the query.
  const cacheKey =
    state.chain.head === undefined
      ? undefined
      : `rows|${grant.id}|${state.chain.head}|${snapshot.revision}|${pending.request.queryHash}`;
  const known = cacheKey === undefined ? undefined : gw.memory.answerFor<OneDecision>(cacheKey);
  if (known) return known;

  const scope = {
    covered: await gw.memory.covered(state.tx, gw.ctx.chain, state.chain.head, grant, snapshot),
  };
  const cohort = rowCohort(data, query, scope);
  const verdict = checkCohort(
    { members: cohort.members, records: cohort.records, removedBy: cohort.removedBy },
    q.obligations.k,
  );
  if (!verdict.ok) {
    return q.refuse({
      allow: false,
      reason: verdict.reason,
      status: 403,
      message: verdict.message,
    });
  }
  const keyed = ranksFor(snapshot, pseudonym(keys, grant.id, "order"));
  const page = readRowPage(data, query, scope, keyed.rank, keyed.order);
  const numbers = page.rows.map((r) => data.member[r]);
  const rows = page.values.map((values, i) => {
    const record: Record<string, unknown> = {
      member: pseudonym(keys, grant.id, snapshot.addressOf.get(numbers[i])!),
    };
    query.select.forEach((name, j) => (record[name] = values[j] ?? null));
    return record;
  });
  return {
    cacheKey,
    answer: { shape: "rows", rows, limit: query.limit ?? 100, offset: query.offset ?? 0 },
    denial: null,
    entry: q.allowed({ rows: rows.length }),
    members: memberSetOfNumbers(snapshot, keys, [numbers]),
  };
}
