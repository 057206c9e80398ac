/** The read API (members, proposals, datasets, requests, grants, consents, revenue, anchors). */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env } from "hono";
import { TABLE_NAMES } from "../follower/migrations.ts";
import type { Db } from "../store/db.ts";
import { accessRoutes } from "./access.ts";
import { errorHandler, notFound, validationHook } from "../http/errors.ts";
import { governanceRoutes } from "./governance.ts";
import { membersRoutes } from "./members.ts";
import { revenueRoutes } from "./revenue.ts";

export interface ReadApiOptions {
  /**
   * The chain's "now" in unix seconds, for states that depend on time (proposal states, active grants).
   * Default: the later of the wall clock and the latest indexed event's block time.
   */
  now?: () => Promise<bigint> | bigint;
}

export interface ApiContext {
  db: Db;
  /** Unix seconds `at` from the query, or now. */
  time(at: string | undefined): Promise<string>;
}

export type Api = OpenAPIHono;

/** Routes under /api, described in the OpenAPI document. */
export function readApi(db: Db, options: ReadApiOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });

  const latestEventTime = `SELECT max(t)::text AS t FROM (${TABLE_NAMES.map(
    (t) => `(SELECT block_time AS t FROM ${t} ORDER BY block_number DESC LIMIT 1)`,
  ).join(" UNION ALL ")}) x`;
  const now = async (): Promise<bigint> => {
    if (options.now) return options.now();
    const wall = BigInt(Math.floor(Date.now() / 1000));
    const { rows } = await db.query<{ t: string | null }>(latestEventTime);
    const latest = rows[0]?.t ? BigInt(rows[0].t) : 0n;
    return latest > wall ? latest : wall;
  };
  const ctx: ApiContext = {
    db,
    async time(at) {
      return at ?? (await now()).toString();
    },
  };

  membersRoutes(app, ctx);
  governanceRoutes(app, ctx);
  accessRoutes(app, ctx);
  revenueRoutes(app, ctx);

  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "DataCoop read API",
      version: "1",
      description:
        "The co-op's chain data as indexed: members, proposals, datasets, requests, grants, consents, revenue, anchors. Big integers are decimal strings; addresses lowercase.",
    },
  });

  app.notFound(notFound);
  app.onError(errorHandler({ log: (event) => console.error(event) }));
  return app;
}
