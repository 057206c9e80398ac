/**
 * Exact aggregate answers: only under a grant whose voted terms chose the exact mode, and only a tabulation
 * those terms declare (policy.ts has checked both). Exact figures need every defence that noise would
 * otherwise give, so before any cell is released:
 *
 * 1. **k members and k records** in every cell, and no filter or group key separating between 1 and k − 1
 *    members or records from the rest (policy.ts `checkCohort`). An ungrouped answer failing it is refused;
 *    a cell failing it is suppressed.
 * 2. **No complement**: the suppressed cells together (the answer's total minus the cells shown) must hold
 *    0 or at least k members and records; otherwise the smallest shown cells are suppressed too.
 * 3. **No differencing, across every grant, partner and time**: each cell, and the answer's total and its
 *    suppressed remainder (which a partner can compute), is compared with every cohort an exact answer of
 *    this dataset ever released (exactMemory.ts). A cell too close to one is suppressed; a total or a
 *    remainder too close refuses the whole answer (`differencing`).
 *
 * k is the grant's k, at least 2 (so one member is never enough). The cells released, the total and the
 * remainder are remembered in the store with the batch. An exact answer is served again for the same grant,
 * chain head, dataset revision and query: it releases nothing new.
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "@datacoop/protocol/canonical";
import { groupField, measureLabel, type AggregateQuery } from "@datacoop/protocol/query";
import { evaluateAggregate, type EngineGroup } from "../query/engine.ts";
import { REASONS, checkCohort } from "../query/policy.ts";
import type { AllowedQuery, OneDecision } from "./decide.ts";
import { conflict, memberSet, type ExactCohort } from "./exactMemory.ts";
import { memberSetOfNumbers, recordHashesOf } from "./memory.ts";

/** A digest naming a cell: the query's filters (in a canonical order), its group-by terms and the key. */
export function cellKey(query: AggregateQuery, key: readonly unknown[]): string {
  const where = (query.where ?? []).map((f) => canonicalJson(f)).sort();
  return createHash("sha256")
    .update(canonicalJson({ where, groupBy: query.groupBy ?? [], key }))
    .digest("hex")
    .slice(0, 32);
}

const hex = (w: number) => (w >>> 0).toString(16).padStart(8, "0");

export async function answerExact(q: AllowedQuery): Promise<OneDecision> {
  const { gw, state, pending, grant, snapshot, data } = q;
  const query = pending.query as AggregateQuery;
  const cacheKey =
    state.chain.head === undefined
      ? undefined
      : `exact|${grant.id}|${state.chain.head}|${snapshot.revision}|${pending.request.queryHash}`;
  const known = cacheKey === undefined ? undefined : gw.memory.answerFor<OneDecision>(cacheKey);
  if (known) return known;

  const k = Math.max(2, q.obligations.k);
  const scope = {
    covered: await gw.memory.covered(state.tx, gw.ctx.chain, state.chain.head, grant, snapshot),
  };
  const recordHashes = recordHashesOf(snapshot, gw.ctx.keys);
  const { groups } = evaluateAggregate(data, query, scope, { recordHashes });
  const grouped = (query.groupBy ?? []).length > 0;
  const differencing = () =>
    q.refuse({
      allow: false,
      reason: "differencing",
      status: REASONS.differencing,
      message:
        "This answer would differ from an earlier exact answer of this dataset by fewer than k members or records.",
    });

  // 1. The k rules.
  if (!grouped) {
    const verdict = checkCohort(groups[0].cohort, k);
    if (!verdict.ok) {
      return q.refuse({
        allow: false,
        reason: verdict.reason,
        status: 403,
        message: verdict.message,
      });
    }
  }
  let shown: EngineGroup[] = [];
  const hidden: EngineGroup[] = [];
  for (const group of groups) (checkCohort(group.cohort, k).ok ? shown : hidden).push(group);

  // 2. The complement: the hidden cells together hold 0 or at least k members and records.
  const union = (list: readonly EngineGroup[]) => {
    const set = memberSet(new Set(list.flatMap((g) => [...g.members])));
    let members = 0;
    for (const byte of set.bitmap) for (let b = byte; b > 0; b &= b - 1) members++;
    return { ...set, members, records: list.reduce((n, g) => n + g.cohort.records, 0) };
  };
  const small = (u: { members: number; records: number }) =>
    (u.members > 0 && u.members < k) || (u.records > 0 && u.records < k);
  const bySize = [...shown].sort(
    (a, b) => a.cohort.members - b.cohort.members || a.cohort.records - b.cohort.records,
  );
  while (bySize.length > 0 && small(union(hidden))) hidden.push(bySize.shift()!);
  shown = shown.filter((g) => bySize.includes(g));

  // 3. Differencing against every exact answer of the dataset, and within this one.
  const memory = await state.exactCohorts(grant.datasetId);
  const released: ExactCohort[] = [];
  const clash = (c: ExactCohort) =>
    memory.check(c) !== null || released.some((r) => conflict(c, r) !== null);
  const cohortOf = (group: EngineGroup, cell: string | null): ExactCohort => ({
    cell,
    members: group.members.length,
    records: group.cohort.records,
    ...memberSet(group.members),
    recordDigest: `${hex(group.recordDigest![0])}${hex(group.recordDigest![1])}`,
    k,
  });
  const answered: EngineGroup[] = [];
  for (const group of shown) {
    const c = cohortOf(group, cellKey(query, group.key));
    if (clash(c)) {
      if (!grouped) return differencing();
      hidden.push(group);
      continue;
    }
    released.push(c);
    answered.push(group);
  }
  shown = answered;
  if (grouped) {
    // The total (all cells) and the remainder (the hidden ones) are released too, in effect.
    const digestOf = (list: readonly EngineGroup[]) => {
      let w0 = 0;
      let w1 = 0;
      for (const g of list) {
        w0 ^= g.recordDigest![0];
        w1 ^= g.recordDigest![1];
      }
      return `${hex(w0)}${hex(w1)}`;
    };
    const all = union(groups);
    const total: ExactCohort = {
      cell: hidden.length === 0 ? cellKey({ ...query, groupBy: [] }, []) : null,
      members: all.members,
      records: all.records,
      bitmap: all.bitmap,
      setHash: all.setHash,
      recordDigest: digestOf(groups),
      k,
    };
    if (total.members > 0) {
      if (clash(total)) return differencing();
      released.push(total);
    }
    if (hidden.length > 0) {
      const rest = union(hidden);
      const remainder: ExactCohort = {
        cell: null,
        members: rest.members,
        records: rest.records,
        bitmap: rest.bitmap,
        setHash: rest.setHash,
        recordDigest: digestOf(hidden),
        k,
      };
      if (clash(remainder)) return differencing();
      released.push(remainder);
    }
  }
  const pendingCohorts = state.newCohorts.get(grant.datasetId.toString()) ?? [];
  for (const c of released) {
    if (memory.has(c)) continue;
    memory.add(c);
    pendingCohorts.push(c);
  }
  state.newCohorts.set(grant.datasetId.toString(), pendingCohorts);

  const names = (query.groupBy ?? []).map(groupField);
  const out = shown.map((group) => {
    const key: Record<string, unknown> = {};
    names.forEach((name, j) => (key[name] = group.key[j] ?? null));
    const values: Record<string, unknown> = {};
    query.measures.forEach((m, i) => (values[measureLabel(m)] = group.values[i] ?? null));
    return { key, values };
  });
  return {
    cacheKey,
    answer: {
      shape: "aggregate",
      mode: "exact",
      groups: out,
      suppressedGroups: grouped ? hidden.length : 0,
      noise: null,
    },
    denial: null,
    entry: q.allowed({ groups: out.length, suppressedGroups: grouped ? hidden.length : 0 }),
    members: memberSetOfNumbers(
      snapshot,
      gw.ctx.keys,
      shown.map((group) => group.members),
    ),
  };
}
