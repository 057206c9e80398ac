/**
 * A partner's answer made readable: column headers from the schema's labels ("Average of Yield (t/ha)",
 * not `mean:yield_t_per_ha`), numbers rounded in the reader's language, allowed values and yes/no by their
 * labels; and what to change when the co-op refuses a query. Pure, so it is unit-tested.
 */
import type { MessageKey } from "../i18n/en.ts";
import { enumLabel, fieldHeading, humanize, type SchemaField } from "./schemaDoc.ts";

/** "mean:yield_t_per_ha" → { fn: "mean", field: "yield_t_per_ha" }; "count" → { fn: "count" }. */
export function columnParts(column: string): { fn?: string; field?: string } {
  if (column === "count") return { fn: "count" };
  const m = /^(sum|mean|min|max|quantiles):(.+)$/.exec(column);
  return m ? { fn: m[1], field: m[2] } : { field: column };
}

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A column's header for people. */
export function columnHeading(
  column: string,
  fields: readonly SchemaField[] | undefined,
  lang: string,
  t: T,
): string {
  const { fn, field } = columnParts(column);
  const f = field ? fields?.find((x) => x.name === field) : undefined;
  const name = f ? fieldHeading(f, lang) : field ? humanize(field) : "";
  if (fn === "count") return t("query.fn.count");
  if (fn) return t(`query.col.${fn}` as MessageKey, { field: name });
  return name;
}

/** A cell for people: numbers rounded (2 decimals), enum values and yes/no by their labels. */
export function cellText(
  value: unknown,
  column: string,
  fields: readonly SchemaField[] | undefined,
  lang: string,
  t: T,
  number: (v: number, digits?: number) => string,
): string {
  if (value === null || value === undefined) return "";
  const { fn, field } = columnParts(column);
  const f = field ? fields?.find((x) => x.name === field) : undefined;
  if (typeof value === "number") return number(value, fn === "count" ? 0 : 2);
  if (typeof value === "boolean") return t(value ? "contribute.yes" : "contribute.no");
  if (Array.isArray(value))
    return value.map((v) => cellText(v, column, fields, lang, t, number)).join(", ");
  if (typeof value === "string" && f?.enum && !fn) return enumLabel(f, value, lang);
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The gateway's refusal codes (indexer/src/gateway/policy.ts, serve.ts) → what happened and what to change. */
export const QUERY_REFUSALS: Record<string, MessageKey> = {
  cohort_too_small: "refusal.cohort",
  filter_isolates: "refusal.filter",
  differencing: "refusal.differencing",
  field_not_in_scope: "refusal.scope",
  field_identifying: "refusal.identifying",
  field_unknown: "refusal.scope",
  rows_not_allowed: "refusal.rows",
  measure_not_private: "refusal.measure",
  field_unbounded: "refusal.measure",
  budget_exhausted: "refusal.budget",
  grant_expired: "refusal.ended",
  grant_revoked: "refusal.ended",
  grant_unknown: "refusal.ended",
  not_grantee: "refusal.notYours",
  dataset_mismatch: "refusal.notYours",
  grant_not_started: "refusal.notYet",
  grant_not_final: "refusal.notYet",
  grant_not_approved: "refusal.notYet",
  registry_paused: "refusal.paused",
  dataset_unknown: "refusal.noSchema",
  query_invalid: "refusal.invalid",
  request_invalid: "refusal.invalid",
  nonce_reused: "refusal.again",
  deadline_passed: "refusal.again",
  deadline_too_far: "refusal.again",
  bad_signature: "refusal.again",
  rate_limited: "refusal.rateLimited",
};

export function refusalKey(code: string | undefined): MessageKey {
  return (code && QUERY_REFUSALS[code]) || "refusal.other";
}
