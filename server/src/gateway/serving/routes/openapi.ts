/** The OpenAPI document of every route registered before, and the interactive docs over it. */
import { swaggerUI } from "@hono/swagger-ui";
import { zodToOpenAPIRegistry } from "@asteasolutions/zod-to-openapi";
import { QUERY_COMPONENTS } from "@datacoop/protocol/queryDoc";
import { SCHEMA_DOCUMENT_COMPONENTS } from "@datacoop/protocol/datasetSchemaDoc";
import type { RouteContext } from "./context.ts";
import type { GatewayApp } from "./shared.ts";

// The query language and the schema-document format, described in protocol/ (queryDoc.ts,
// datasetSchemaDoc.ts), become named components of the document.
for (const [schema, refId] of [...QUERY_COMPONENTS, ...SCHEMA_DOCUMENT_COMPONENTS]) {
  if (!zodToOpenAPIRegistry.get(schema)) zodToOpenAPIRegistry.add(schema, { _internal: { refId } });
}

/** GET /openapi.json and /docs: register last, so the document has every route. */
export function openapiRoutes(app: GatewayApp, ctx: RouteContext): void {
  const { options } = ctx;

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "DataCoop gateway",
      version: "1",
      description: "Members' records and partners' signed queries.",
    },
  });

  app.get("/docs", swaggerUI({ url: `${options.mountPath ?? "/gateway"}/openapi.json` }));
}
