/**
 * The schema-document format described for people and for OpenAPI, attached to the schema instances of
 * datasetSchema.ts (zod's global registry, read by the OpenAPI generator), with an example checked against
 * the schema by the gateway's OpenAPI test. Import this module before generating an OpenAPI document.
 */
import { z } from "zod";
import { FIELD_TYPES, schemaDocumentSchema } from "./datasetSchema.ts";

type Meta = Parameters<typeof z.globalRegistry.add>[1];

/** The schemas that are OpenAPI components, with their names (the server registers them as such). */
export const SCHEMA_DOCUMENT_COMPONENTS: [z.ZodType, string][] = [];

function describe(schema: z.ZodType, meta: Meta): void {
  if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, meta);
}

export const EXAMPLE_SCHEMA_DOCUMENT = {
  name: "Harvests",
  description: "One record per field and harvest.",
  fields: [
    { name: "farmer", type: "string", identifying: true, description: "Never served." },
    { name: "region", type: "string", enum: ["north", "south", "east", "west"] },
    { name: "yield_kg", type: "number", unit: "kg", min: 0, max: 10000 },
    { name: "organic", type: "boolean", required: false },
    { name: "harvested", type: "date" },
  ],
  privacy: { differentialPrivacy: true, epsilonBudget: 10, defaultEpsilon: 0.5 },
} as const;

const doc = schemaDocumentSchema.shape;
const field = doc.fields.element.shape;
describe(field.name, {
  description:
    "The field's name (a short identifier); the fields come in the order of the on-chain field mask's bits.",
});
describe(field.type, {
  description: `One of ${FIELD_TYPES.join(", ")}. Dates are strings YYYY-MM-DD; integers are safe integers.`,
});
describe(field.unit, { description: "The unit values are in, for people (kg, ha, USD…)." });
describe(field.description, { description: "What the field holds, for people." });
describe(field.identifying, {
  description:
    "It identifies a person (a name, a phone number, an exact location): never served, whatever a grant's scope says.",
});
describe(field.required, { description: "Contributions must carry it (default true)." });
describe(field.min, {
  description: "Numbers only: the smallest value accepted; differential privacy clamps to it.",
});
describe(field.max, {
  description: "Numbers only: the largest value accepted; differential privacy clamps to it.",
});
describe(field.enum, { description: "Strings only: the values allowed (1 to 1,000)." });
describe(field.maxLength, {
  description: "Strings only: the longest value accepted (default 1,000).",
});
describe(doc.fields.element, {
  description: "One field of the dataset.",
  example: { name: "yield_kg", type: "number", unit: "kg", min: 0, max: 10000 },
});
describe(doc.fields, { description: "1 to 256 fields, exactly the registered ones, in order." });
describe(doc.name, { description: "The dataset's name, for people." });
describe(doc.description, { description: "What the dataset holds, for people." });
const privacy = doc.privacy.unwrap().shape;
describe(privacy.differentialPrivacy, {
  description: "Aggregates are answered with differential privacy.",
});
describe(privacy.epsilonBudget, { description: "The privacy loss one grant may spend in total." });
describe(privacy.defaultEpsilon, { description: "The epsilon a query spends when it names none." });
describe(doc.privacy, {
  description: "Present when the dataset's aggregates must be differentially private.",
});
describe(schemaDocumentSchema, {
  description:
    "A dataset's schema document: its fields (types, units, bounds, which identify a person) and whether aggregates are differentially private. The registry holds keccak256 of its canonical JSON (RFC 8785) and the field names; the gateway accepts this document and no other.",
  example: EXAMPLE_SCHEMA_DOCUMENT,
});

SCHEMA_DOCUMENT_COMPONENTS.push(
  [doc.fields.element, "SchemaField"],
  [schemaDocumentSchema, "SchemaDocument"],
);
