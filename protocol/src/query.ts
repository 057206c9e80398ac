/**
 * The partners' query language: JSON, declarative, small. Row queries select fields with filters and
 * pagination (row-level grants only); aggregate queries group by fields (or by declared bins of a number or
 * date field) and compute count / sum / mean / min / max / quantiles. Every size and number is bounded.
 * `checkQuery` then checks the query against the dataset's schema (known fields, values of the right type,
 * operators that fit the type). Aggregates are differentially private unless the grant's terms chose the
 * exact mode: `epsilon` and `recordsPerMember` set the query's privacy loss and contribution bound then
 * (see the gateway's README for the accounting), and min, max and quantiles are refused.
 */
import { z } from "zod";
import { GatewayError } from "./errors.ts";
import { fieldOf, type DatasetSchema, type FieldDef } from "./datasetSchema.ts";
import { EPSILON, RECORDS_PER_MEMBER, isWholeMillionths } from "./privacy.ts";

export const LIMITS = {
  selectFields: 64,
  filters: 16,
  inValues: 100,
  groupBy: 4,
  measures: 16,
  quantiles: 9,
  pageSize: 1000,
  maxOffset: 100_000,
  stringValue: 200,
  /** Bin edges of one group-by field (so at most 64 bins). */
  binEdges: 65,
} as const;

const fieldName = z.string().min(1).max(64);
const scalar = z.union([
  // Postgres text cannot hold NUL.
  z
    .string()
    .max(LIMITS.stringValue)
    .refine((v) => !v.includes("\0"), "a NUL character"),
  z.number().finite(),
  z.boolean(),
]);

export const filterSchema = z.discriminatedUnion("op", [
  z.strictObject({
    field: fieldName,
    op: z.enum(["eq", "ne", "lt", "lte", "gt", "gte"]),
    value: scalar,
  }),
  z.strictObject({
    field: fieldName,
    op: z.literal("in"),
    values: z.array(scalar).min(1).max(LIMITS.inValues),
  }),
  z.strictObject({
    field: fieldName,
    op: z.literal("between"),
    low: scalar,
    high: scalar,
  }),
]);
export type Filter = z.infer<typeof filterSchema>;

export const rowQuerySchema = z.strictObject({
  type: z.literal("rows"),
  select: z.array(fieldName).min(1).max(LIMITS.selectFields),
  where: z.array(filterSchema).max(LIMITS.filters).optional(),
  orderBy: z
    .array(z.strictObject({ field: fieldName, desc: z.boolean().optional() }))
    .max(4)
    .optional(),
  limit: z.number().int().min(1).max(LIMITS.pageSize).optional(),
  offset: z.number().int().min(0).max(LIMITS.maxOffset).optional(),
});
export type RowQuery = z.infer<typeof rowQuerySchema>;

export const measureSchema = z.discriminatedUnion("fn", [
  z.strictObject({ fn: z.literal("count") }),
  z.strictObject({ fn: z.enum(["sum", "mean", "min", "max"]), field: fieldName }),
  z.strictObject({
    fn: z.literal("quantiles"),
    field: fieldName,
    q: z.array(z.number().gt(0).lt(1)).min(1).max(LIMITS.quantiles),
  }),
]);
export type Measure = z.infer<typeof measureSchema>;

/** Half-open bins [e0, e1), [e1, e2), … of a number, integer or date field; values outside fall in no bin. */
export const binsSchema = z
  .array(z.union([z.number().finite(), z.string().max(10)]))
  .min(2)
  .max(LIMITS.binEdges);

/** A group-by term: a field's values, or the field's declared bins. */
export const groupSpecSchema = z.union([
  fieldName,
  z.strictObject({ field: fieldName, bins: binsSchema }),
]);
export type GroupSpec = z.infer<typeof groupSpecSchema>;

export const aggregateQuerySchema = z.strictObject({
  type: z.literal("aggregate"),
  groupBy: z.array(groupSpecSchema).max(LIMITS.groupBy).optional(),
  measures: z.array(measureSchema).min(1).max(LIMITS.measures),
  where: z.array(filterSchema).max(LIMITS.filters).optional(),
  /** Privacy loss this query spends (differential privacy): a multiple of 10⁻⁶ within EPSILON's bounds. */
  epsilon: z
    .number()
    .min(EPSILON.min)
    .max(EPSILON.max)
    .refine(isWholeMillionths, "epsilon is a multiple of 0.000001")
    .optional(),
  /** Records of each member counted at most (differential privacy; default 1). */
  recordsPerMember: z.number().int().min(1).max(RECORDS_PER_MEMBER.max).optional(),
});
export type AggregateQuery = z.infer<typeof aggregateQuerySchema>;

export const querySchema = z.discriminatedUnion("type", [rowQuerySchema, aggregateQuerySchema]);
export type Query = z.infer<typeof querySchema>;

/** Parses untrusted JSON into a query; a 400 GatewayError when it is not one. */
export function parseQuery(input: unknown): Query {
  const parsed = querySchema.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError(400, "query_invalid", z.prettifyError(parsed.error));
  }
  return parsed.data;
}

/** The field a group-by term groups on. */
export function groupField(spec: GroupSpec): string {
  return typeof spec === "string" ? spec : spec.field;
}

/** The declared bins of a group-by term, if any. */
export function groupBins(spec: GroupSpec): readonly (number | string)[] | null {
  return typeof spec === "string" ? null : spec.bins;
}

/** An aggregate's group-by fields, in order. */
export function groupFields(query: AggregateQuery): string[] {
  return (query.groupBy ?? []).map(groupField);
}

/** The key under which an answer reports a measure ("count", "sum:field", …). */
export function measureLabel(m: Measure): string {
  return m.fn === "count" ? "count" : `${m.fn}:${m.field}`;
}

/** Every field the query reads, in first-use order, without repeats. */
export function fieldsOf(query: Query): string[] {
  const names: string[] = [];
  if (query.type === "rows") {
    names.push(...query.select, ...(query.orderBy ?? []).map((o) => o.field));
  } else {
    names.push(...groupFields(query));
    for (const m of query.measures) if (m.fn !== "count") names.push(m.field);
  }
  names.push(...(query.where ?? []).map((f) => f.field));
  return [...new Set(names)];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isDate(value: unknown): value is string {
  if (typeof value !== "string" || !DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Whether `value` is a value of `field`'s type (not checking bounds or enums). */
export function hasType(field: FieldDef, value: unknown): boolean {
  switch (field.type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "date":
      return isDate(value);
  }
}

const ORDERED = new Set(["number", "integer", "date"]);
const NUMERIC = new Set(["number", "integer"]);

/** Checks the query against the schema: known fields, typed values, fitting operators (400 otherwise). */
export function checkQuery(query: Query, schema: DatasetSchema): void {
  const bad = (message: string) => new GatewayError(400, "query_invalid", message);
  const field = (name: string) => {
    const f = fieldOf(schema, name);
    if (!f)
      throw new GatewayError(
        400,
        "field_unknown",
        `Dataset ${schema.datasetId} has no field "${name}".`,
      );
    return f;
  };
  for (const name of fieldsOf(query)) field(name);
  for (const filter of query.where ?? []) {
    const f = field(filter.field);
    const values =
      filter.op === "in"
        ? filter.values
        : filter.op === "between"
          ? [filter.low, filter.high]
          : [filter.value];
    for (const v of values) {
      if (!hasType(f, v)) throw bad(`Filter on "${f.name}" needs ${f.type} values.`);
    }
    if (["lt", "lte", "gt", "gte", "between"].includes(filter.op) && !ORDERED.has(f.type)) {
      throw bad(`"${filter.op}" needs a number or date field; "${f.name}" is a ${f.type}.`);
    }
  }
  if (query.type === "aggregate") {
    for (const m of query.measures) {
      if (m.fn === "count") continue;
      const f = field(m.field);
      if ((m.fn === "sum" || m.fn === "mean" || m.fn === "quantiles") && !NUMERIC.has(f.type)) {
        throw bad(`"${m.fn}" needs a number field; "${f.name}" is a ${f.type}.`);
      }
      if ((m.fn === "min" || m.fn === "max") && !ORDERED.has(f.type)) {
        throw bad(`"${m.fn}" needs a number or date field; "${f.name}" is a ${f.type}.`);
      }
    }
    const groups = groupFields(query);
    if (new Set(groups).size !== groups.length) throw bad("groupBy names a field twice.");
    for (const spec of query.groupBy ?? []) {
      const bins = groupBins(spec);
      if (!bins) continue;
      const f = field(groupField(spec));
      if (!ORDERED.has(f.type)) {
        throw bad(`Bins need a number or date field; "${f.name}" is a ${f.type}.`);
      }
      if (!bins.every((v) => hasType(f.type === "integer" ? { ...f, type: "number" } : f, v))) {
        throw bad(`The bins of "${f.name}" need ${f.type === "date" ? "dates" : "numbers"}.`);
      }
      for (let i = 1; i < bins.length; i++) {
        if (!(bins[i] > bins[i - 1])) throw bad(`The bins of "${f.name}" must increase.`);
      }
    }
  }
}
