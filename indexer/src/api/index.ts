/** The read API (members, proposals, datasets, requests, grants, consents, revenue). */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Db } from "../store/db.ts";

/** Routes under /api, described in the OpenAPI document. */
export function readApi(_db: Db): OpenAPIHono {
  return new OpenAPIHono();
}
