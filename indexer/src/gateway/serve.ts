/**
 * Serving a partner's signed query: in ONE transaction, use the nonce, read the chain view, decide, pick
 * the consenting members, check the cohorts, read the answer, and append the access-log entry. A denied
 * query commits its entry (and its used nonce) too; an error rolls everything back, so nothing is served
 * without its entry and no entry claims what was not served.
 */
import type { Address } from "viem";
import type { Db, Queryable } from "../store/db.ts";
import { appendEntry, type QueryEntry } from "./accessLog.ts";
import type { ChainView } from "./chainView.ts";
import { GatewayError } from "./errors.ts";
import { pseudonym, type GatewayKeys } from "./keys.ts";
import {
  consumeNonce,
  verifySignedQuery,
  type GatewayDomainConfig,
  type VerifiedRequest,
} from "./partnerAuth.ts";
import { cohortDigest, oneAwayFromAnswered, rememberCohorts } from "./cohortAudit.ts";
import {
  REASONS,
  checkCohort,
  decide,
  includesMember,
  type Decision,
  type GrantFacts,
} from "./policy.ts";
import { lockBudget, noisyMeasures, spendBudget } from "./privacy.ts";
import {
  checkQuery,
  fieldsOf,
  parseQuery,
  type AggregateQuery,
  type Query,
  type RowQuery,
} from "./query.ts";
import {
  aggregateSql,
  cohortSql,
  combinedAggregateSql,
  isDecomposable,
  cohortsByGroup,
  measureLabel,
  privateAggregateSql,
  readCohortRows,
  rowSql,
  type Scope,
} from "./querySql.ts";
import { loadDataset } from "./records.ts";
import type { DatasetSchema } from "./schema.ts";

export interface GatewayContext {
  db: Db;
  chain: ChainView;
  keys: GatewayKeys;
  domain: GatewayDomainConfig;
  /** Wall clock in seconds (injectable for tests). */
  now?: () => bigint;
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
  /** The access-log entry's sequence number and hash. */
  log: { seq: number; hash: string };
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
    | { allow: false; reason: string; status: number; message: string };
}

export async function serveQuery(
  ctx: GatewayContext,
  request: VerifiedRequest,
  query: Query,
  now: bigint,
): Promise<Served> {
  const outcome = await ctx.db.transaction(
    async (tx): Promise<Served | (Denial & { log: Served["log"] })> => {
      await consumeNonce(tx, request, now);
      const chain = await ctx.chain.clock(tx);
      const grant = await ctx.chain.grant(tx, request.grantId);
      const schema = await loadDataset(tx, request.datasetId);
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
      const refuse = async (d: Denial["decision"]) => {
        const e = await appendEntry(
          tx,
          ctx.keys,
          entry({ decision: "deny", reason: d.reason, message: d.message }),
          [],
        );
        return { decision: d, log: { seq: e.seq, hash: e.hash } };
      };

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
      const s = schema as DatasetSchema;
      // Values of the wrong type, operators that do not fit a field: refused, and logged like any decision.
      try {
        checkQuery(query, s);
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error;
        return refuse({
          allow: false,
          reason: error.code,
          status: error.status,
          message: error.message,
        });
      }

      const { scope, memberOf } = await readScope(ctx.db, tx, ctx.chain, g);
      const k = decision.obligations.k;
      const epsilon = decision.obligations.epsilon;
      // Exact aggregates without quantiles take one pass for the cohorts and the measures together.
      const onePass = query.type === "aggregate" && epsilon === null && isDecomposable(query);
      const cohortStatement = onePass
        ? combinedAggregateSql(query as AggregateQuery, s, scope)
        : cohortSql(query, s, scope);
      const result = (await tx.query(cohortStatement.text, cohortStatement.values)).rows;
      const cohortResult = onePass ? result.filter((r) => Number(r.kind) === 0) : result;
      const groupMembers = onePass ? result.filter((r) => Number(r.kind) === 1) : [];
      const addresses = (list: readonly (number | string)[]) =>
        list.map((n) => memberOf(Number(n)));
      const cohortRows = readCohortRows(query, cohortResult);

      if (query.type === "rows" || !(query.groupBy ?? []).length) {
        const row = cohortRows[0] ?? { n: 0, removed: [] };
        const verdict = checkCohort({ members: row.n, removedBy: row.removed }, k);
        if (!verdict.ok) {
          return refuse({
            allow: false,
            reason: verdict.reason,
            status: 403,
            message: verdict.message,
          });
        }
      }

      let answer: Answer;
      let members: string[];
      let counts: Partial<QueryEntry>;
      if (query.type === "rows") {
        ({ answer, members } = await readRows(tx, ctx.keys, g, query, s, scope, memberOf));
        counts = { rows: answer.shape === "rows" ? answer.rows.length : 0 };
      } else {
        const groups = cohortsByGroup(cohortRows, (query.groupBy ?? []).length);
        const allowedKeys = new Set<string>();
        for (const [key, cohort] of groups) if (checkCohort(cohort, k).ok) allowedKeys.add(key);
        if (epsilon !== null) await spendBudget(tx, g.id, epsilon);
        const rows = onePass
          ? withGroupMembers(query, cohortResult, groupMembers, addresses)
          : (
              await tx.query<Record<string, unknown>>(
                ...sqlArgs(
                  epsilon === null
                    ? aggregateSql(query, s, scope)
                    : privateAggregateSql(query, s, scope),
                ),
              )
            ).rows.map((row) => ({
              ...row,
              members: addresses((row.members as number[] | null) ?? []),
            }));
        // Noised answers need no memory of earlier cohorts; exact ones do (see cohortAudit.ts).
        const audit =
          epsilon === null
            ? (lists: string[][]) =>
                oneAwayFromAnswered(
                  tx,
                  ctx.keys,
                  g.id,
                  lists.map((l) => cohortDigest(ctx.keys, l)),
                  () => everyContributor(tx, g.datasetId),
                )
            : async (lists: string[][]) => lists.map(() => false);
        const read = await readAggregate(query, s, rows, allowedKeys, epsilon, audit);
        if (read.ungroupedFlagged) {
          return refuse({
            allow: false,
            reason: "differencing",
            status: REASONS.differencing,
            message:
              "This answer would differ from an earlier one by exactly one member, revealing that member.",
          });
        }
        if (epsilon === null) {
          await rememberCohorts(
            tx,
            g.id,
            read.answeredCohorts.map((l) => cohortDigest(ctx.keys, l)),
          );
        }
        answer = read.answer;
        members = read.members;
        counts = {
          groups: read.answer.shape === "aggregate" ? read.answer.groups.length : 0,
          suppressedGroups: read.answer.shape === "aggregate" ? read.answer.suppressedGroups : 0,
          ...(epsilon !== null ? { epsilon } : {}),
        };
      }
      const e = await appendEntry(
        tx,
        ctx.keys,
        entry({
          decision: "allow",
          reason: "allowed",
          message: decision.message,
          purpose: g.purpose,
          ...counts,
        }),
        members,
      );
      return { answer, log: { seq: e.seq, hash: e.hash } };
    },
  );
  if ("decision" in outcome) {
    const d = outcome.decision;
    throw new GatewayError(d.status as 403, d.reason, d.message, { log: outcome.log });
  }
  return outcome;
}

/** Every member who ever contributed to the dataset (erased records included). */
async function everyContributor(tx: Queryable, datasetId: bigint): Promise<string[]> {
  const { rows } = await tx.query<{ member: string }>(
    "SELECT member FROM gateway_contributors WHERE dataset_id = $1",
    [datasetId.toString()],
  );
  return rows.map((r) => r.member);
}

interface Contributors {
  count: number;
  members: string[];
  numbers: number[];
  byNumber: Map<number, string>;
}

/** Per store and dataset: every contributor's number (numbers never change; rows are never deleted). */
const contributorCache = new WeakMap<object, Map<string, Contributors>>();

async function contributorsOf(
  store: object,
  tx: Queryable,
  datasetId: bigint,
): Promise<Contributors> {
  let byDataset = contributorCache.get(store);
  if (!byDataset) contributorCache.set(store, (byDataset = new Map()));
  const key = datasetId.toString();
  const { rows: counted } = await tx.query<{ n: string }>(
    "SELECT count(*) AS n FROM gateway_contributors WHERE dataset_id = $1",
    [key],
  );
  const count = Number(counted[0]!.n);
  const cached = byDataset.get(key);
  if (cached && cached.count === count) return cached;
  const { rows } = await tx.query<{ member: string; member_no: number }>(
    "SELECT member, member_no FROM gateway_contributors WHERE dataset_id = $1",
    [key],
  );
  const fresh: Contributors = {
    count: rows.length,
    members: rows.map((r) => r.member),
    numbers: rows.map((r) => Number(r.member_no)),
    byNumber: new Map(rows.map((r) => [Number(r.member_no), r.member])),
  };
  byDataset.set(key, fresh);
  return fresh;
}

/**
 * The members whose consent covers the grant as of the latest block, as their numbers in the dataset. Only
 * members known to be covered are read (an include list, never an exclude list): a contributor this
 * process has not seen yet is left out rather than let in unchecked.
 */
async function readScope(
  store: object,
  tx: Queryable,
  chain: ChainView,
  grant: GrantFacts,
): Promise<{ scope: Scope; memberOf: (n: number) => string }> {
  const contributors = await contributorsOf(store, tx, grant.datasetId);
  const facts = contributors.members.length
    ? await chain.consentFacts(tx, grant, contributors.members)
    : new Map();
  const include: number[] = [];
  contributors.members.forEach((m, i) => {
    const f = facts.get(m);
    if (f !== undefined && includesMember(f, grant.purpose)) include.push(contributors.numbers[i]!);
  });
  const memberOf = (n: number) => {
    const m = contributors.byNumber.get(n);
    if (m === undefined) throw new Error(`member number ${n} is not a known contributor`);
    return m;
  };
  return { scope: { datasetId: grant.datasetId, include, exclude: [] }, memberOf };
}

async function readRows(
  tx: Queryable,
  keys: GatewayKeys,
  grant: GrantFacts,
  query: RowQuery,
  schema: DatasetSchema,
  scope: Scope,
  memberOf: (n: number) => string,
): Promise<{ answer: Answer; members: string[] }> {
  const salt = pseudonym(keys, grant.id, "order");
  const sql = rowSql(query, schema, scope, salt);
  const { rows } = await tx.query<Record<string, unknown>>(sql.text, sql.values);
  const members = new Set<string>();
  const out = rows.map((row) => {
    const member = memberOf(Number(row.member));
    members.add(member);
    const record: Record<string, unknown> = {
      member: pseudonym(keys, grant.id, member as Address),
    };
    query.select.forEach((name, i) => {
      const v = row[`c${i}`];
      record[name] = v ?? null;
    });
    return record;
  });
  return {
    answer: { shape: "rows", rows: out, limit: query.limit ?? 100, offset: query.offset ?? 0 },
    members: [...members],
  };
}

function typedKey(
  query: AggregateQuery,
  schema: DatasetSchema,
  key: (string | null)[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  (query.groupBy ?? []).forEach((name, j) => {
    const v = key[j] ?? null;
    const type = schema.fields.find((f) => f.name === name)?.type;
    out[name] =
      v === null
        ? null
        : type === "number" || type === "integer"
          ? Number(v)
          : type === "boolean"
            ? v === "true"
            : v;
  });
  return out;
}

const sqlArgs = (sql: { text: string; values: unknown[] }) => [sql.text, sql.values] as const;

/** The full groups of a one-pass answer, each with the members it used. */
function withGroupMembers(
  query: AggregateQuery,
  combined: Record<string, unknown>[],
  memberRows: Record<string, unknown>[],
  addresses: (numbers: readonly string[]) => string[],
): Record<string, unknown>[] {
  const nGroups = (query.groupBy ?? []).length;
  const keyOf = (row: Record<string, unknown>) =>
    JSON.stringify(Array.from({ length: nGroups }, (_, j) => row[`g${j}`] ?? null));
  // Groups whose records all fail the filters are not part of the answer at all.
  const full = combined.filter(
    (row) => nGroups === 0 || (Number(row.gs) === 0 && Number(row.n) > 0),
  );
  const byKey = new Map<string, string[]>();
  for (const row of memberRows) {
    const joined = row.member as string | null;
    byKey.set(keyOf(row), joined ? addresses(joined.split(",")) : []);
  }
  return full.map((row) => ({ ...row, members: byKey.get(keyOf(row)) ?? [] }));
}

async function readAggregate(
  query: AggregateQuery,
  schema: DatasetSchema,
  rows: Record<string, unknown>[],
  allowedKeys: Set<string>,
  epsilon: number | null,
  audit: (memberLists: string[][]) => Promise<boolean[]>,
): Promise<{
  answer: Answer;
  members: string[];
  answeredCohorts: string[][];
  ungroupedFlagged: boolean;
}> {
  const nGroups = (query.groupBy ?? []).length;
  const grouped = nGroups > 0;
  const groups: GroupAnswer[] = [];
  const members = new Set<string>();
  const answeredCohorts: string[][] = [];
  let suppressed = 0;
  const keyOf = (row: Record<string, unknown>) =>
    Array.from({ length: nGroups }, (_, j) => (row[`g${j}`] ?? null) as string | null);
  const membersOf = (row: Record<string, unknown>) => (row.members as string[] | null) ?? [];
  // Ungrouped answers were checked before reading; grouped ones group by group.
  const kept = rows.filter((row) => !grouped || allowedKeys.has(JSON.stringify(keyOf(row))));
  suppressed += rows.length - kept.length;
  const flagged = await audit(kept.map(membersOf));
  if (!grouped && flagged[0]) {
    return {
      answer: emptyAnswer(epsilon),
      members: [],
      answeredCohorts: [],
      ungroupedFlagged: true,
    };
  }
  for (const [i, row] of kept.entries()) {
    const key = keyOf(row);
    if (flagged[i]) {
      suppressed++;
      continue;
    }
    const values: Record<string, unknown> = {};
    if (epsilon === null) {
      query.measures.forEach((m, i) => {
        const v = row[`m${i}`];
        values[measureLabel(m)] = m.fn === "count" ? Number(v) : (v ?? null);
      });
    } else {
      const bounds = query.measures.map((m) => {
        const f = m.fn === "count" ? undefined : schema.fields.find((x) => x.name === m.field);
        return { fn: m.fn as "count" | "sum" | "mean", min: f?.min, max: f?.max };
      });
      const noisy = noisyMeasures(
        {
          members: Number(row.members_n),
          sums: query.measures.map((m, i) => (m.fn === "count" ? null : Number(row[`s${i}`]))),
        },
        bounds,
        epsilon,
      );
      query.measures.forEach((m, i) => (values[measureLabel(m)] = noisy[i]));
    }
    for (const m of membersOf(row)) members.add(m);
    answeredCohorts.push(membersOf(row));
    groups.push({ key: typedKey(query, schema, key), values });
  }
  return {
    answer: {
      shape: "aggregate",
      groups,
      suppressedGroups: suppressed,
      noise: epsilon === null ? null : { epsilon },
    },
    members: [...members],
    answeredCohorts,
    ungroupedFlagged: false,
  };
}

function emptyAnswer(epsilon: number | null): Answer {
  return {
    shape: "aggregate",
    groups: [],
    suppressedGroups: 0,
    noise: epsilon === null ? null : { epsilon },
  };
}
