/**
 * A dataset's schema document: the fields (in the on-chain bit order), their types and units, which of
 * them identify a person, and the defaults of its differentially private aggregates. The on-chain
 * registration carries the schema's URI, its hash and the field names; the gateway accepts a document only
 * if keccak256 of its canonical JSON is that hash and its fields are those names, in that order.
 */
import type { Hex } from "viem";
import { z } from "zod";
import { EPSILON, RECORDS_PER_MEMBER, isWholeMillionths } from "./privacy.ts";
import { canonicalHash } from "./canonical.ts";
import { GatewayError } from "./errors.ts";

export const FIELD_TYPES = ["number", "integer", "string", "boolean", "date"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A language tag (BCP 47, e.g. "sw", "hi", "pt-BR") naming a label's language. */
const languageTag = z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, "a language tag");
/** A text in several languages, for people: { "en": "Yield", "sw": "Mavuno" }. */
const labels = z.record(languageTag, z.string().min(1).max(200));

const fieldSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a field name is a short identifier"),
    type: z.enum(FIELD_TYPES),
    unit: z.string().max(64).optional(),
    description: z.string().max(1000).optional(),
    /** Identifies a person (a name, a phone number, an exact location): never served. */
    identifying: z.boolean().optional(),
    /** Contributions must carry it (default true). */
    required: z.boolean().optional(),
    /** Bounds of numbers: contributions outside are rejected; differential privacy clamps to them. */
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    /** The allowed values of a string field. */
    enum: z.array(z.string().max(200)).min(1).max(1000).optional(),
    maxLength: z.number().int().min(1).max(10_000).optional(),
    /** What members read instead of the field's name, by language (the dApp's forms and tables). */
    labels: labels.optional(),
    /** What members read for each allowed value of an enum, by language. */
    enumLabels: z.record(z.string().max(200), labels).optional(),
  })
  .refine((f) => f.min === undefined || f.max === undefined || f.min <= f.max, "min is above max")
  .refine(
    (f) =>
      (f.min === undefined && f.max === undefined) || f.type === "number" || f.type === "integer",
    "only numbers have bounds",
  )
  .refine((f) => f.enum === undefined || f.type === "string", "only strings have an enum")
  .refine(
    (f) =>
      f.enumLabels === undefined ||
      (f.enum !== undefined && Object.keys(f.enumLabels).every((v) => f.enum!.includes(v))),
    "enumLabels name only values of the enum",
  );

export type FieldDef = z.infer<typeof fieldSchema>;

export const schemaDocumentSchema = z.strictObject({
  name: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  fields: z.array(fieldSchema).min(1).max(256),
  /**
   * Defaults of this dataset's differentially private aggregates (every aggregate is, unless a grant's
   * terms chose the exact mode): the ε a query spends when it names none, and the records of each member
   * a query counts when it names no bound. The cap per member is an on-chain term, not part of the schema.
   */
  privacy: z
    .strictObject({
      defaultEpsilon: z
        .number()
        .min(EPSILON.min)
        .max(EPSILON.max)
        .refine(isWholeMillionths, "epsilon is a multiple of 0.000001")
        .optional(),
      recordsPerMember: z.number().int().min(1).max(RECORDS_PER_MEMBER.max).optional(),
      /**
       * Earlier documents' terms, still accepted so that a registered hash keeps matching: every aggregate
       * is differentially private now, and the per-grant budget gave way to the per-member cap.
       */
      differentialPrivacy: z.literal(true).optional(),
      epsilonBudget: z.number().positive().max(100).optional(),
    })
    .optional(),
});

export type SchemaDocument = z.infer<typeof schemaDocumentSchema>;

/** A dataset as the gateway uses it: its id and its accepted schema document. */
export interface DatasetSchema {
  datasetId: bigint;
  schemaHash: Hex;
  fields: readonly FieldDef[];
  privacy: SchemaDocument["privacy"] | null;
}

/** What the registry holds about a dataset. */
export interface DatasetRegistration {
  datasetId: bigint;
  schemaHash: Hex;
  fields: readonly string[];
  retired?: boolean;
}

/** Checks `document` against the on-chain registration; throws a 422 GatewayError when it does not fit. */
export function acceptSchemaDocument(
  document: unknown,
  registration: DatasetRegistration,
): DatasetSchema {
  let hash: Hex;
  try {
    hash = canonicalHash(document);
  } catch {
    throw new GatewayError(422, "schema_invalid", "The schema document is not plain JSON.");
  }
  if (hash.toLowerCase() !== registration.schemaHash.toLowerCase()) {
    throw new GatewayError(
      422,
      "schema_hash_mismatch",
      `The schema document hashes to ${hash}, but dataset ${registration.datasetId} was registered with ${registration.schemaHash}.`,
    );
  }
  // Postgres text and jsonb cannot hold NUL.
  if (JSON.stringify(document).includes("\\u0000")) {
    throw new GatewayError(422, "schema_invalid", "The schema document contains a NUL character.");
  }
  const parsed = schemaDocumentSchema.safeParse(document);
  if (!parsed.success) {
    throw new GatewayError(422, "schema_invalid", z.prettifyError(parsed.error));
  }
  const names = parsed.data.fields.map((f) => f.name);
  if (new Set(names).size !== names.length) {
    throw new GatewayError(422, "schema_invalid", "The schema names a field twice.");
  }
  if (
    names.length !== registration.fields.length ||
    names.some((n, i) => n !== registration.fields[i])
  ) {
    throw new GatewayError(
      422,
      "schema_fields_mismatch",
      `The schema's fields (${names.join(", ")}) are not the registered fields (${registration.fields.join(", ")}), in order.`,
    );
  }
  return {
    datasetId: registration.datasetId,
    schemaHash: hash,
    fields: parsed.data.fields,
    privacy: parsed.data.privacy ?? null,
  };
}

export function fieldOf(schema: DatasetSchema, name: string): FieldDef | undefined {
  return schema.fields.find((f) => f.name === name);
}

/** The field names a grant's on-chain field mask allows (bit i = field i). */
export function fieldsFromMask(mask: bigint, fields: readonly string[]): string[] {
  return fields.filter((_, i) => ((mask >> BigInt(i)) & 1n) === 1n);
}
