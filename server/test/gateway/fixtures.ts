/** Shared test data for the gateway: a small dataset schema, a grant, a chain clock. */
import type { Address } from "viem";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { ChainClock, GrantFacts } from "../../src/gateway/query/policy.ts";
import {
  acceptSchemaDocument,
  type DatasetSchema,
  type SchemaDocument,
} from "@datacoop/protocol/datasetSchema";

export const PARTNER = "0x00000000000000000000000000000000000000a1" as Address;
export const OTHER_PARTNER = "0x00000000000000000000000000000000000000b2" as Address;

export const farmDocument: SchemaDocument = {
  name: "Harvests",
  fields: [
    { name: "name", type: "string", identifying: true },
    { name: "region", type: "string", enum: ["north", "south", "east", "west"] },
    { name: "crop", type: "string", maxLength: 40 },
    { name: "yield_kg", type: "number", unit: "kg", min: 0, max: 10_000 },
    { name: "hectares", type: "number", unit: "ha", min: 0, max: 100, required: false },
    { name: "organic", type: "boolean", required: false },
    { name: "harvested", type: "date" },
    { name: "age", type: "integer", unit: "years", min: 16, max: 120 },
  ],
};

export function datasetSchema(
  document: SchemaDocument = farmDocument,
  datasetId = 1n,
): DatasetSchema {
  return acceptSchemaDocument(document, {
    datasetId,
    schemaHash: canonicalHash(document),
    fields: document.fields.map((f) => f.name),
  });
}

export const ALL_FIELDS = ["region", "crop", "yield_kg", "hectares", "organic", "harvested", "age"];

export function grant(overrides: Partial<GrantFacts> = {}): GrantFacts {
  return {
    id: 7n,
    grantee: PARTNER,
    datasetId: 1n,
    purpose: 0,
    scope: { fields: ALL_FIELDS, rowLevel: false, k: 3 },
    start: 1_000n,
    end: 2_000n,
    approvedAtBlock: 10n,
    revokedAtBlock: null,
    ...overrides,
  };
}

export function clock(overrides: Partial<ChainClock> = {}): ChainClock {
  return {
    latestBlock: 20n,
    latestTime: 1_500n,
    finalizedBlock: 15n,
    registryPaused: false,
    ...overrides,
  };
}
