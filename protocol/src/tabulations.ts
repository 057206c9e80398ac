/**
 * The exact mode's terms: a tabulations document, declared in a grant request and voted with it. A grant
 * whose on-chain `exactTabulations` is zero is served differentially private aggregates only (the
 * default); a non-zero value is keccak256 of the canonical JSON (RFC 8785) of this document, and the
 * gateway then answers exactly — but only the tabulations declared here:
 *
 * - `groupBy`: the group-by terms, exactly (fields, or fields with declared bins), in this order;
 * - `measures`: the measures the query may ask, among count, sum and mean (never min, max or quantiles,
 *   which return one member's value);
 * - `filters`: the fields the query may filter on; with `bins`, only `gte` at one of the declared edges,
 *   and at most one such field per query; without, only `eq`.
 *
 * Filters are narrow on purpose: every set a partner can ask about is then a "cylinder" (some fields
 * fixed to one value, at most one field above an edge), whose overlaps are nested. The difference of two
 * nested sets is what the gateway's differencing memory compares, two answers at a time; `in`, `lt` or a
 * second field with edges would let three or more answers add and subtract to a small set it never sees
 * (two regions' totals minus a third; a rectangle from four quadrants).
 *
 * Anyone may publish the document to the gateway (`POST /gateway/grants/{grantId}/tabulations`): only the
 * one whose hash the members voted is accepted. EXACT_MODE_RISKS (exactMode.ts) says what the exact mode
 * still cannot protect; the dApp shows it next to these terms before the vote.
 */
import { z } from "zod";
import { canonicalHash, canonicalJson } from "./canonical.ts";
import { fieldOf, type DatasetSchema } from "./datasetSchema.ts";
import {
  binsSchema,
  checkQuery,
  groupSpecSchema,
  type AggregateQuery,
  type Query,
} from "./query.ts";

const fieldName = z.string().min(1).max(64);

export const tabulationSchema = z.strictObject({
  groupBy: z.array(groupSpecSchema).max(4),
  measures: z
    .array(
      z.discriminatedUnion("fn", [
        z.strictObject({ fn: z.literal("count") }),
        z.strictObject({ fn: z.enum(["sum", "mean"]), field: fieldName }),
      ]),
    )
    .min(1)
    .max(16),
  filters: z
    .array(z.strictObject({ field: fieldName, bins: binsSchema.optional() }))
    .max(16)
    .optional(),
});
export type Tabulation = z.infer<typeof tabulationSchema>;

export const tabulationsDocumentSchema = z.strictObject({
  name: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  tabulations: z.array(tabulationSchema).min(1).max(32),
});
export type TabulationsDocument = z.infer<typeof tabulationsDocumentSchema>;

/** The grant term `exactTabulations` for this document. */
export function tabulationsHash(document: TabulationsDocument): `0x${string}` {
  return canonicalHash(document);
}

/**
 * Problems of the document against the dataset's schema (each declared tabulation must itself be a valid
 * query of the dataset); empty when it fits.
 */
export function checkTabulations(document: TabulationsDocument, schema: DatasetSchema): string[] {
  const problems: string[] = [];
  document.tabulations.forEach((t, i) => {
    try {
      checkQuery({ type: "aggregate", groupBy: t.groupBy, measures: t.measures }, schema);
    } catch (error) {
      problems.push(`tabulation ${i}: ${(error as Error).message}`);
    }
    for (const f of t.filters ?? []) {
      const def = fieldOf(schema, f.field);
      if (!def) problems.push(`tabulation ${i}: no field "${f.field}"`);
      else if (f.bins) {
        try {
          checkQuery(
            {
              type: "aggregate",
              groupBy: [{ field: f.field, bins: f.bins }],
              measures: [{ fn: "count" }],
            },
            schema,
          );
        } catch (error) {
          problems.push(`tabulation ${i}, filter "${f.field}": ${(error as Error).message}`);
        }
      }
    }
  });
  return problems;
}

/** Why `query` is not one of the declared tabulations, or null when it is. */
export function undeclared(document: TabulationsDocument, query: Query): string | null {
  if (query.type !== "aggregate") return "Only aggregates are declared.";
  if (query.epsilon !== undefined || query.recordsPerMember !== undefined) {
    return "An exact answer takes no epsilon and no recordsPerMember.";
  }
  const reasons = document.tabulations.map((t) => mismatch(t, query));
  return reasons.every((r) => r !== null)
    ? `No declared tabulation fits: ${reasons.map((r, i) => `${i}: ${r}`).join("; ")}`
    : null;
}

function mismatch(t: Tabulation, query: AggregateQuery): string | null {
  const groupBy = query.groupBy ?? [];
  if (canonicalJson(groupBy) !== canonicalJson(t.groupBy)) return "another groupBy";
  const measures = new Set(t.measures.map((m) => canonicalJson(m)));
  for (const m of query.measures) {
    if (!measures.has(canonicalJson(m))) return `the measure ${canonicalJson(m)} is not declared`;
  }
  let edged = 0;
  for (const f of query.where ?? []) {
    const declared = (t.filters ?? []).find((d) => d.field === f.field);
    if (!declared) return `no filter on "${f.field}" is declared`;
    if (declared.bins) {
      if (f.op !== "gte" || !declared.bins.includes(f.value as never)) {
        return `"${f.field}" is filtered only with gte at a declared edge`;
      }
      if (++edged > 1) return "at most one field is filtered at an edge";
    } else if (f.op !== "eq") {
      return `"${f.field}" is filtered only with eq`;
    }
  }
  return null;
}
