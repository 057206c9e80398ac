/**
 * The partners' query language: JSON, declarative, small. Row queries select fields with filters and
 * pagination (row-level grants only); aggregate queries group by fields and compute count / sum / mean /
 * min / max / quantiles. Every size is bounded. `checkQuery` then checks the query against the dataset's
 * schema (known fields, values of the right type, operators that fit the type).
 */
import { z } from "zod";
import { GatewayError } from "./errors.ts";
import { fieldOf, type DatasetSchema, type FieldDef } from "./datasetSchema.ts";

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

export const aggregateQuerySchema = z.strictObject({
  type: z.literal("aggregate"),
  groupBy: z.array(fieldName).max(LIMITS.groupBy).optional(),
  measures: z.array(measureSchema).min(1).max(LIMITS.measures),
  where: z.array(filterSchema).max(LIMITS.filters).optional(),
  /** Privacy budget this query spends, for datasets that require differential privacy. */
  epsilon: z.number().min(0.001).max(10).optional(),
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

/** Every field the query reads, in first-use order, without repeats. */
export function fieldsOf(query: Query): string[] {
  const names: string[] = [];
  if (query.type === "rows") {
    names.push(...query.select, ...(query.orderBy ?? []).map((o) => o.field));
  } else {
    names.push(...(query.groupBy ?? []));
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
    const groups = query.groupBy ?? [];
    if (new Set(groups).size !== groups.length) throw bad("groupBy names a field twice.");
  }
}
