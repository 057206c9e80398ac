/**
 * The HTTP server: health and readiness, the read API under /api, the data gateway under /gateway, the
 * OpenAPI document (both APIs) and Swagger UI.
 * `createServer` returns the Hono app before listening, so other parts (the data gateway) can mount
 * their routes on it; the OpenAPI document is generated per request and includes them.
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { swaggerUI } from "@hono/swagger-ui";
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { cors } from "hono/cors";
import { readApi } from "../api/index.ts";
import type { Relayer } from "../relayer/relayer.ts";
import { relayerRoutes } from "../relayer/routes.ts";
import { proofRoutes, type ProofRoutesOptions } from "../operator/routes.ts";
import type { FollowerStatus } from "../follower/follower.ts";
import { gatewayRoutes, type GatewayRoutesOptions } from "../gateway/serving/routes.ts";
import { silentLogger, type Logger } from "../log.ts";
import { errorHandler, notFound, validationHook } from "./errors.ts";
import type { Db } from "../store/db.ts";
import { createReadiness, type ReadyBody } from "./ready.ts";

export interface ServerOptions {
  db: Db;
  /** Anything with the follower's status (the follower itself). */
  follower: { status(): FollowerStatus };
  /** What /ready answers (default: the follower's status and a probe of the store, ready.ts). */
  ready?: () => Promise<ReadyBody>;
  logger?: Logger;
  /** Shown in the OpenAPI document. */
  version?: string;
  /** Serves the data gateway under /gateway (its context, keys and sign-in settings). */
  gateway?: Omit<GatewayRoutesOptions, "mountPath">;
  /** Serves the relayer (members' signed votes and consent changes) under /relayer. */
  relayer?: Pick<Relayer, "submit" | "relay" | "state">;
  /** Serves the access log's proofs and by-use revenue distributions under /proofs. */
  proofs?: ProofRoutesOptions;
  /** Browser origins allowed to call /api, /gateway, /relayer and /proofs (the dApp's), e.g. "http://127.0.0.1:5173". */
  corsOrigins?: readonly string[];
}

/** Where the data gateway is mounted. */
export const GATEWAY_PATH = "/gateway";
/** Where the relayer is mounted. */
export const RELAYER_PATH = "/relayer";

/** Where the access log's proofs are mounted. */
export const PROOFS_PATH = "/proofs";

export interface Server {
  app: OpenAPIHono;
  /** Starts listening; resolves with the bound port. */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting connections and waits for open requests to end. */
  /** Stops listening; requests in progress get `graceMs` (default 5 s), then their connections are cut. */
  close(graceMs?: number): Promise<void>;
}

const Status = z
  .object({
    ready: z.boolean(),
    role: z.enum(["writer", "reader"]).openapi({
      description:
        "writer: this process follows the chain into the store (one per store); reader: it serves the store another process writes",
    }),
    phase: z.enum(["idle", "backfill", "following", "stopped", "failed"]),
    migrated: z.boolean(),
    caughtUp: z.boolean(),
    checkpoint: z
      .object({ number: z.string().openapi({ example: "1234" }), hash: z.string() })
      .nullable(),
    head: z.string().nullable().openapi({ description: "The node's latest block, as last seen" }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: "The error that stopped the follower, if it stopped" }),
    reason: z
      .object({
        code: z.enum([
          "store_unavailable",
          "log_broken",
          "follower_failed",
          "follower_failing",
          "follower_stalled",
          "starting",
          "catching_up",
          "behind",
          "chain_unavailable",
          "stopped",
        ]),
        message: z.string(),
      })
      .nullable()
      .openapi({
        description:
          "Why the process is not ready (null when it is): the store does not answer, the access log failed its verification, the follower stopped or is failing, not caught up with the chain, or (a reader) the store is behind the chain",
      }),
  })
  .openapi("IndexerStatus");

const health = createRoute({
  method: "get",
  path: "/health",
  summary: "Liveness: the process answers",
  responses: {
    200: {
      description: "Alive",
      content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } },
    },
  },
});

const ready = createRoute({
  method: "get",
  path: "/ready",
  summary:
    "Readiness: the store answers, the access log verifies, and the store is caught up with the chain",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: Status } } },
    503: {
      description: "Not ready: `reason` says why",
      content: { "application/json": { schema: Status } },
    },
  },
});

export function createServer(options: ServerOptions): Server {
  const log = options.logger ?? silentLogger;
  const app = new OpenAPIHono({ defaultHook: validationHook });

  if (options.corsOrigins?.length) {
    const origins = [...options.corsOrigins];
    const policy = cors({
      origin: (origin) => (origins.includes(origin) ? origin : null),
      allowMethods: ["GET", "POST", "OPTIONS"],
      allowHeaders: ["content-type", "authorization"],
      maxAge: 600,
    });
    app.use("/api/*", policy);
    app.use(`${GATEWAY_PATH}/*`, policy);
    app.use(RELAYER_PATH, policy);
    app.use(`${RELAYER_PATH}/*`, policy);
    app.use(`${PROOFS_PATH}/*`, policy);
  }

  app.openapi(health, (c) => c.json({ status: "ok" as const }, 200));
  const readiness =
    options.ready ?? createReadiness({ db: options.db, follower: options.follower });
  app.openapi(ready, async (c) => {
    const body = await readiness();
    return body.ready ? c.json(body, 200) : c.json(body, 503);
  });
  app.route("/api", readApi(options.db));
  if (options.gateway) {
    app.route(
      GATEWAY_PATH,
      gatewayRoutes({
        log: (event) => log.error(event, "gateway"),
        ...options.gateway,
        mountPath: GATEWAY_PATH,
      }),
    );
  }

  if (options.relayer) {
    app.route(
      RELAYER_PATH,
      relayerRoutes({
        relayer: options.relayer,
        mountPath: RELAYER_PATH,
        log: (event) => log.error(event, "relayer"),
      }),
    );
  }
  if (options.proofs) app.route(PROOFS_PATH, proofRoutes(options.proofs));

  app.doc("/openapi.json", {
    openapi: "3.0.3",
    info: {
      title: "DataCoop indexer",
      version: options.version ?? "0.1.0",
      description:
        "The co-op's on-chain state as indexed from its contracts (/api); the data gateway (/gateway): members' sign-in and records, partners' signed queries; the access log's proofs and by-use revenue (/proofs); and the relayer (/relayer): members' signed votes and consent changes, sent with the co-op's gas. Integers of 64 bits and more are decimal strings.",
    },
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));

  app.notFound(notFound);
  app.onError(errorHandler({ log: (event) => log.error(event, "request failed") }));

  let server: ServerType | null = null;
  return {
    app,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) =>
          resolve(info.port),
        );
        server.once("error", reject);
      });
    },
    close(graceMs = 5_000) {
      return new Promise((resolve, reject) => {
        if (!server) return resolve();
        const s = server as ServerType & {
          closeIdleConnections?: () => void;
          closeAllConnections?: () => void;
        };
        server = null;
        // Requests in progress get `graceMs` to finish; then their connections are cut (a client that
        // never finishes sending its request would otherwise hold the close for minutes).
        const cut = setTimeout(() => s.closeAllConnections?.(), graceMs);
        cut.unref();
        s.close((error) => {
          clearTimeout(cut);
          if (error) reject(error);
          else resolve();
        });
        // Idle keep-alive connections would hold close() open.
        s.closeIdleConnections?.();
      });
    },
  };
}
