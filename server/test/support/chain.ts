/**
 * A real local chain for tests: a Hardhat node on a free port with the whole co-op deployed by the same
 * Ignition module and deploy script that `npm start` uses, and viem clients for the 20 test accounts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  type Address,
  type HDAccount,
  publicActions,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { parseDeployment, type Deployment } from "@datacoop/protocol/deployment";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../../..");
const HARDHAT = path.join(REPO_ROOT, "node_modules", ".bin", "hardhat");
const MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's default accounts: 0–4 are the founders, 8 the operator, 9 the guardian. */
export const accounts: HDAccount[] = Array.from({ length: 20 }, (_, i) =>
  mnemonicToAccount(MNEMONIC, { addressIndex: i }),
);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(HARDHAT, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`hardhat ${args.join(" ")} failed:\n${output}`)),
    );
  });
}

async function waitForRpc(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error("The Hardhat node exited while starting");
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The Hardhat node did not answer at ${url}`);
}

export function clients(rpcUrl: string) {
  const transport = http(rpcUrl, { batch: false, retryCount: 0 });
  const publicClient = createPublicClient({ chain: hardhat, transport });
  const testClient = createTestClient({ chain: hardhat, mode: "hardhat", transport }).extend(
    publicActions,
  );
  const wallet = (account: HDAccount | number) =>
    createWalletClient({
      chain: hardhat,
      transport,
      account: typeof account === "number" ? accounts[account] : account,
    });
  return { publicClient, testClient, wallet };
}

export type TestChain = Awaited<ReturnType<typeof startChain>>;

/** Starts a node and deploys the co-op (about 10 s). Call `stop()` when done. */
export async function startChain() {
  const port = await freePort();
  const rpcUrl = `http://127.0.0.1:${port}`;
  const node = spawn(HARDHAT, ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const tmp = await mkdtemp(path.join(os.tmpdir(), "coop-chain-"));
  const deploymentId = `test-${process.pid}-${port}`;
  const stop = async () => {
    node.kill("SIGKILL");
    await rm(tmp, { recursive: true, force: true });
    await rm(path.join(REPO_ROOT, "ignition", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
  };
  try {
    await waitForRpc(rpcUrl, node);
    const deploymentFile = path.join(tmp, "deployment.json");
    await run(["run", "scripts/deploy.ts", "--network", "localhost"], {
      RPC_URL: rpcUrl,
      COOP_DEPLOYMENT_OUT: deploymentFile,
      COOP_DEPLOYMENT_ID: deploymentId,
    });
    const deployment: Deployment = parseDeployment(
      await readFile(deploymentFile, "utf8"),
      deploymentFile,
    );
    return { rpcUrl, deployment, deploymentFile, accounts, ...clients(rpcUrl), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type { Address };
