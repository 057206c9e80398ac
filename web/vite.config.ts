import type { IncomingMessage, ServerResponse } from "node:http";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vitest/config";
import { runtimeConfigJson } from "./scripts/runtime-config.ts";

/** Serves config.json (deployment, RPC and indexer URLs) in dev and preview; writes it at build if asked. */
function runtimeConfig(): Plugin {
  const serve = (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    if (!req.url?.split("?")[0]?.endsWith("/config.json")) return next();
    res.setHeader("content-type", "application/json");
    res.setHeader("cache-control", "no-store");
    try {
      res.end(runtimeConfigJson(process.env));
    } catch (error) {
      res.statusCode = 500;
      res.end(
        JSON.stringify({ error: { code: "NO_DEPLOYMENT", message: (error as Error).message } }),
      );
    }
  };
  return {
    name: "coop-runtime-config",
    configureServer: (server) => void server.middlewares.use(serve),
    configurePreviewServer: (server) => void server.middlewares.use(serve),
    generateBundle() {
      if (process.env.COOP_DEPLOYMENT)
        this.emitFile({
          type: "asset",
          fileName: "config.json",
          source: runtimeConfigJson(process.env),
        });
    },
  };
}

export default defineConfig({
  base: "./",
  plugins: [react(), runtimeConfig()],
  server: { host: "127.0.0.1", port: 5173 },
  preview: { host: "127.0.0.1", port: 4173 },
  build: { target: "es2022" },
  test: {
    include: ["test/**/*.test.ts", "e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // The browser waits on a real chain: give polled expectations time on a slow CI machine.
    expect: { poll: { timeout: 20_000, interval: 100 } },
  },
});
