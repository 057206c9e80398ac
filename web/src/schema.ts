/**
 * A dataset's schema document, as the gateway holds it (`GET /gateway/datasets/{id}/schema`), checked
 * against the fingerprint registered on-chain. When the gateway does not have it yet, the document at the
 * dataset's link is used if the browser can read it (https, data:) and it matches; then the member may
 * hand it to the gateway. Failing both, only the field names are known.
 */
import { useQuery } from "@tanstack/react-query";
import { useAppConfig } from "./appConfig.tsx";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { GatewayError, gatewayFetch, gatewayUrl } from "./lib/gateway.ts";
import type { ApiDataset } from "./lib/indexerApi.ts";
import type { SchemaDocument, SchemaField } from "./lib/schemaDoc.ts";

export { fieldLabel } from "./lib/schemaDoc.ts";

export type DatasetSchema = {
  fields: SchemaField[];
  document: SchemaDocument | null;
  /** gateway: the gateway holds it; link: read from the dataset's link, the gateway lacks it; names: neither. */
  source: "gateway" | "link" | "names";
};

function matches(doc: unknown, hash: string): doc is SchemaDocument {
  try {
    return (
      canonicalHash(doc).toLowerCase() === hash.toLowerCase() &&
      Array.isArray((doc as SchemaDocument).fields)
    );
  } catch {
    return false;
  }
}

export function useDatasetSchema(dataset: ApiDataset | undefined) {
  const { indexerUrl } = useAppConfig();
  const base = gatewayUrl(indexerUrl);
  return useQuery({
    queryKey: ["schema", base, dataset?.datasetId, dataset?.schemaHash],
    enabled: dataset !== undefined,
    staleTime: Infinity,
    queryFn: async (): Promise<DatasetSchema> => {
      const d = dataset!;
      try {
        const held = await gatewayFetch<{ document: unknown }>(
          base,
          `/datasets/${d.datasetId}/schema`,
        );
        if (matches(held.document, d.schemaHash))
          return { fields: held.document.fields, document: held.document, source: "gateway" };
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
      }
      if (/^(https?:|data:)/.test(d.schemaUri)) {
        try {
          const doc: unknown = await (await fetch(d.schemaUri)).json();
          if (matches(doc, d.schemaHash))
            return { fields: doc.fields, document: doc, source: "link" };
        } catch {
          // Unreadable from here: fall through to the names alone.
        }
      }
      return {
        fields: d.fields.map((name) => ({ name, type: "string" as const, required: false })),
        document: null,
        source: "names",
      };
    },
  });
}
