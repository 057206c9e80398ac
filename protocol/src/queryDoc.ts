/**
 * The query language described for people and for OpenAPI: a description of every part of the schemas
 * in query.ts, and examples (each checked against the schema by the gateway's OpenAPI test). Attached to
 * the very schema instances the gateway parses queries with (zod's global registry, which the OpenAPI
 * generator reads), so the description cannot describe another language than the one parsed. Import this
 * module before generating an OpenAPI document.
 */
import { z } from "zod";
import {
  LIMITS,
  aggregateQuerySchema,
  filterSchema,
  measureSchema,
  querySchema,
  rowQuerySchema,
} from "./query.ts";

type Meta = Parameters<typeof z.globalRegistry.add>[1];

/** The schemas that are OpenAPI components, with their names (the server registers them as such). */
export const QUERY_COMPONENTS: [z.ZodType, string][] = [];

function describe(schema: z.ZodType, meta: Meta): void {
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, meta);
}

const FIELD =
  "A field of the dataset's schema document, by name. Every field a query reads — selected, filtered, grouped, ordered or aggregated — must be in the grant's scope and must not be marked identifying.";
const SCALAR =
  "A value of the field's type: a string (at most 200 characters, no NUL), a finite number, or a boolean; dates are strings YYYY-MM-DD.";

export const EXAMPLE_AGGREGATE = {
  type: "aggregate",
  groupBy: ["region"],
  measures: [{ fn: "count" }, { fn: "mean", field: "yield_kg" }],
  where: [{ field: "harvested", op: "between", low: "2026-01-01", high: "2026-06-30" }],
} as const;

export const EXAMPLE_ROWS = {
  type: "rows",
  select: ["region", "crop", "yield_kg"],
  where: [{ field: "organic", op: "eq", value: true }],
  orderBy: [{ field: "yield_kg", desc: true }],
  limit: 100,
  offset: 0,
} as const;

const [comparison, membership, range] = filterSchema.options;
describe(comparison.shape.op, {
  description:
    "eq, ne: equal, not equal (any type). lt, lte, gt, gte: less than, at most, more than, at least (numbers, integers and dates only).",
});
describe(comparison.shape.value, { description: SCALAR });
describe(comparison, {
  description: "Keeps the records whose field compares with the value.",
  example: { field: "age", op: "gte", value: 40 },
});
describe(membership.shape.op, { description: "in: the field equals one of the values." });
describe(membership.shape.values, {
  description: `One to ${LIMITS.inValues} values of the field's type.`,
});
describe(membership, {
  description: "Keeps the records whose field is one of the values.",
  example: { field: "region", op: "in", values: ["north", "east"] },
});
describe(range.shape.op, {
  description: "between: low ≤ field ≤ high (numbers, integers, dates).",
});
describe(range, {
  description: "Keeps the records whose field lies between low and high, both included.",
  example: { field: "harvested", op: "between", low: "2026-01-01", high: "2026-03-31" },
});
for (const option of filterSchema.options) describe(option.shape.field, { description: FIELD });
describe(filterSchema, {
  description:
    "One condition on a field. The filters of a query all hold together (AND). The cohort rules apply to each: no filter may set apart fewer than k members from the rest.",
});

const [countMeasure, fieldMeasure, quantileMeasure] = measureSchema.options;
describe(countMeasure.shape.fn, {
  description:
    "count: the number of members in the group (a member counts once however many records they hold).",
});
describe(countMeasure, {
  description: "How many members each group holds. Labelled `count` in the answer.",
  example: { fn: "count" },
});
describe(fieldMeasure.shape.fn, {
  description:
    "sum, mean: over a number field. min, max: over a number or date field (exact mode only; a differentially private dataset refuses them with measure_not_private).",
});
describe(fieldMeasure.shape.field, { description: FIELD });
describe(fieldMeasure, {
  description: "A sum, mean, minimum or maximum of a field. Labelled `<fn>:<field>` in the answer.",
  example: { fn: "sum", field: "yield_kg" },
});
describe(quantileMeasure.shape.fn, {
  description: "quantiles: the field's values at the given fractions (exact mode only).",
});
describe(quantileMeasure.shape.field, { description: FIELD });
describe(quantileMeasure.shape.q, {
  description: `One to ${LIMITS.quantiles} fractions strictly between 0 and 1, e.g. 0.5 for the median.`,
});
describe(quantileMeasure, {
  description:
    "Quantiles of a number field. Labelled `quantiles:<field>` in the answer, as an array in the order of q.",
  example: { fn: "quantiles", field: "yield_kg", q: [0.25, 0.5, 0.75] },
});
describe(measureSchema, { description: "One figure computed for each group." });

describe(rowQuerySchema.shape.type, { description: "rows: the records themselves." });
describe(rowQuerySchema.shape.select, {
  description: `The fields to return, 1 to ${LIMITS.selectFields}. Each row also carries \`member\`, the member's pseudonym under this grant.`,
});
describe(rowQuerySchema.shape.where, {
  description: `Up to ${LIMITS.filters} filters, all holding together.`,
});
describe(rowQuerySchema.shape.orderBy, {
  description:
    "Up to 4 sort keys, the first most significant; desc sorts downwards. Without it rows come in an order keyed per grant (stable, and unrelated to the members' addresses).",
});
describe(rowQuerySchema.shape.orderBy.unwrap().element.shape.desc, {
  description: "Sort downwards (default: upwards).",
});
describe(rowQuerySchema.shape.limit, {
  description: `Rows per page, 1 to ${LIMITS.pageSize} (default 100).`,
});
describe(rowQuerySchema.shape.offset, {
  description: `Rows skipped before the page, 0 to ${LIMITS.maxOffset} (default 0).`,
});
describe(rowQuerySchema, {
  description:
    "Records of the consenting members, one row per record, pseudonymised: only under a grant whose scope allows rows, and only when the rows come from at least k members.",
  example: EXAMPLE_ROWS,
});

describe(aggregateQuerySchema.shape.type, { description: "aggregate: figures per group." });
describe(aggregateQuerySchema.shape.groupBy, {
  description: `Up to ${LIMITS.groupBy} fields whose combinations of values form the groups (none: one group, the whole cohort). Groups of fewer than k members are suppressed.`,
});
describe(aggregateQuerySchema.shape.measures, {
  description: `1 to ${LIMITS.measures} figures computed for each group.`,
});
describe(aggregateQuerySchema.shape.where, {
  description: `Up to ${LIMITS.filters} filters, all holding together, applied before grouping.`,
});
describe(aggregateQuerySchema.shape.epsilon, {
  description:
    "The privacy loss this query may spend, from 0.001 to 10, for datasets answered with differential privacy (the dataset's default when absent). A smaller epsilon means more noise. Ignored by exact-mode datasets.",
});
describe(aggregateQuerySchema, {
  description:
    "Counts, sums, means (and, in exact mode only, minima, maxima and quantiles) per group of the consenting members' records.",
  example: EXAMPLE_AGGREGATE,
});

describe(querySchema, {
  description:
    "A query in the gateway's language: plain JSON, declarative, every size bounded. `type` chooses rows or aggregate. The partner signs keccak256 of its canonical JSON (RFC 8785), so the query sent must be the query signed.",
  examples: [EXAMPLE_AGGREGATE, EXAMPLE_ROWS],
});

QUERY_COMPONENTS.push(
  [comparison, "ComparisonFilter"],
  [membership, "InFilter"],
  [range, "BetweenFilter"],
  [filterSchema, "Filter"],
  [countMeasure, "CountMeasure"],
  [fieldMeasure, "FieldMeasure"],
  [quantileMeasure, "QuantilesMeasure"],
  [rowQuerySchema, "RowQuery"],
  [aggregateQuerySchema, "AggregateQuery"],
  [measureSchema, "Measure"],
  [querySchema, "Query"],
);
