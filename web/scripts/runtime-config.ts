/**
 * The dApp's runtime configuration, `config.json` next to `index.html`: the deployment written by
 * scripts/deploy.ts plus where to reach the chain and the indexer. Read from environment variables in this
 * one place; `vite` and `vite preview` serve it, and `vite build` writes it into dist/ when COOP_DEPLOYMENT
 * is set.
 *
 *   COOP_DEPLOYMENT          deployment file (default: ../deployments/localhost.json, from `npm start`)
 *   COOP_RPC_URL             JSON-RPC URL the dApp reads the chain from (default: http://127.0.0.1:8545)
 *   COOP_INDEXER_URL         the indexer's read API (default: http://127.0.0.1:8600/api)
 *   COOP_WALLETCONNECT_PROJECT_ID  enables WalletConnect when set (default: unset, WalletConnect hidden)
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const WEB_ROOT = path.resolve(import.meta.dirname, "..");

export type RuntimeConfigEnv = Partial<Record<string, string>>;

export function deploymentPath(env: RuntimeConfigEnv): string {
  return path.resolve(WEB_ROOT, env.COOP_DEPLOYMENT ?? "../deployments/localhost.json");
}

/** The JSON text of config.json; throws with a readable message when the deployment file is missing. */
export function runtimeConfigJson(env: RuntimeConfigEnv): string {
  const file = deploymentPath(env);
  let deployment: unknown;
  try {
    deployment = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `Cannot read the deployment file ${file} (${(error as Error).message}). ` +
        "Run `npm start` at the repository root, or set COOP_DEPLOYMENT.",
      { cause: error },
    );
  }
  const config = {
    deployment,
    rpcUrl: env.COOP_RPC_URL ?? "http://127.0.0.1:8545",
    indexerUrl: env.COOP_INDEXER_URL ?? "http://127.0.0.1:8600/api",
    walletConnectProjectId: env.COOP_WALLETCONNECT_PROJECT_ID || undefined,
  };
  return JSON.stringify(config, null, 2) + "\n";
}
