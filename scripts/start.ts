/**
 * `npm start`: a local co-op on this machine. Starts a local chain, deploys the contracts with Ignition,
 * seeds demo data, then runs the indexer (read API and data gateway) and the dApp until Ctrl-C.
 *
 *   chain    http://127.0.0.1:8545   (RPC_URL)
 *   indexer  http://127.0.0.1:8600   (INDEXER_PORT; API docs at /docs)
 *   dApp     http://127.0.0.1:5173   (WEB_PORT)
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const hardhat = path.join(root, "node_modules", ".bin", "hardhat");
const rpcUrl = process.env.RPC_URL ?? "http://127.0.0.1:8545";
const indexerPort = process.env.INDEXER_PORT ?? "8600";
const webPort = process.env.WEB_PORT ?? "5173";
const children: ChildProcess[] = [];

function run(args: string[], label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(hardhat, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed (exit code ${code})`)),
    );
  });
}

async function waitForRpc(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The local chain did not answer at ${rpcUrl} within ${timeoutMs / 1000} s.`);
}

function shutdown(code: number): never {
  for (const child of children) child.kill("SIGTERM");
  process.exit(code);
}
process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  const { port, hostname } = new URL(rpcUrl);
  console.log(`Starting a local chain at ${rpcUrl}…`);
  const node = spawn(hardhat, ["node", "--hostname", hostname, "--port", port || "8545"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(node);
  node.on("exit", (code) => {
    console.error(`The local chain stopped (exit code ${code}).`);
    shutdown(1);
  });
  await waitForRpc(60_000);

  // A new local chain starts empty: forget any earlier local deployment.
  await rm(path.join(root, "ignition", "deployments", "chain-31337"), {
    recursive: true,
    force: true,
  });
  await rm(path.join(root, "deployments", "localhost.json"), { force: true });
  // …and the indexer's copy of the old chain.
  await rm(path.join(root, "indexer", ".data", "chain-31337"), { recursive: true, force: true });
  await run(["run", "scripts/deploy.ts", "--network", "localhost"], "Deployment");
  await run(["run", "scripts/demo.ts", "--network", "localhost"], "Demo data");

  const indexerUrl = `http://127.0.0.1:${indexerPort}`;
  const service = (
    label: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd = root,
  ) => {
    const child = spawn(command, args, {
      cwd,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    children.push(child);
    child.on("exit", (code) => {
      console.error(`The ${label} stopped (exit code ${code}).`);
      shutdown(1);
    });
  };
  // Started directly (not through npm) so that stopping it stops the process itself.
  service("indexer", process.execPath, [path.join(root, "indexer", "src", "main.ts")], {
    RPC_URL: rpcUrl,
    PORT: indexerPort,
    DATA_DIR: path.join(root, "indexer", ".data", "chain-31337"),
  });
  const vite = path.join(root, "node_modules", ".bin", "vite");
  service(
    "dApp",
    vite,
    ["--host", "127.0.0.1", "--port", webPort, "--strictPort"],
    { COOP_RPC_URL: rpcUrl, COOP_INDEXER_URL: indexerUrl },
    path.join(root, "web"),
  );

  console.log(`
The co-op is running:
  dApp     http://127.0.0.1:${webPort}
  indexer  ${indexerUrl}  (API docs at ${indexerUrl}/docs)
  chain    ${rpcUrl}  (chain id 31337)
Press Ctrl-C to stop.`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  shutdown(1);
}
