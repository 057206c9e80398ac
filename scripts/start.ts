/**
 * `npm start`: a running demo co-op on this machine, until Ctrl-C.
 *
 *   1. a local chain (Hardhat node);
 *   2. on the first run: the contracts deployed with Ignition and the demo history seeded (scripts/demo.ts);
 *      on later runs: the chain's history replayed from the journal, same blocks, same hashes;
 *   3. the indexer (read API and data gateway, PGlite in the state folder), and the members' records
 *      contributed through the gateway on the first run;
 *   4. the dApp, built once and served by `vite preview`.
 *
 *   npm start                 start, or resume where the last run stopped
 *   npm start -- --reset      forget everything and start a new demo co-op
 *
 * Settings (environment): RPC_PORT (8545), INDEXER_PORT (8600), WEB_PORT (5173), COOP_STATE_DIR (.data/demo:
 * the chain's journal, the indexer's store, the gateway's secret), COOP_DEPLOYMENT_OUT
 * (deployments/localhost.json), COOP_DEPLOYMENT_ID (Ignition's id, chain-31337).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseDeployment } from "@datacoop/protocol/deployment";
import {
  extendJournal,
  loadJournal,
  replayJournal,
  saveJournal,
  type Journal,
} from "./chainJournal.ts";
import {
  FOUNDERS,
  GUARDIAN,
  MARKET,
  OPERATOR,
  PROMISED,
  UNIVERSITY,
  account,
  seedChain,
  seedGateway,
} from "./demo.ts";

const root = path.resolve(import.meta.dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const env = process.env;
const rpcPort = Number(env.RPC_PORT ?? 8545);
const indexerPort = Number(env.INDEXER_PORT ?? 8600);
const webPort = Number(env.WEB_PORT ?? 5173);
const stateDir = path.resolve(root, env.COOP_STATE_DIR ?? ".data/demo");
const deploymentFile = path.resolve(root, env.COOP_DEPLOYMENT_OUT ?? "deployments/localhost.json");
const deploymentId = env.COOP_DEPLOYMENT_ID ?? "chain-31337";
const journalFile = path.join(stateDir, "chain.json");
const seededMarker = path.join(stateDir, "gateway-seeded");
const rpcUrl = `http://127.0.0.1:${rpcPort}`;
const indexerUrl = `http://127.0.0.1:${indexerPort}`;
const webUrl = `http://127.0.0.1:${webPort}`;

let args: { reset: boolean };
try {
  args = parseArgs({
    options: { reset: { type: "boolean", default: false } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\nUsage: npm start [-- --reset]`);
  process.exit(2);
}

const step = (message: string) => console.log(`▸ ${message}`);
const detail = (message: string) => {
  if (process.stdout.isTTY) process.stdout.write(`\r  ${message}\x1b[K`);
};
const endDetail = () => {
  if (process.stdout.isTTY) process.stdout.write("\r\x1b[K");
};

// Node scripts run on this Node (22), whatever `node` is first on PATH.
// ---- children -----------------------------------------------------------------------------------------
const children: { label: string; child: ChildProcess }[] = [];
let stopping = false;

function start(
  label: string,
  command: string,
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; log: string },
) {
  const log = createWriteStream(path.join(stateDir, options.log), { flags: "a" });
  // Its own process group, so that stopping it stops whatever it started too.
  const child = spawn(command, argv, {
    cwd: options.cwd ?? root,
    env: { ...env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push({ label, child });
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(
      `\nThe ${label} stopped (${signal ?? `exit code ${code}`}); see ${path.join(stateDir, options.log)}.`,
    );
    void shutdown(1);
  });
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild({ child }: { child: ChildProcess }) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

let journal: Journal | undefined;
async function persistJournal() {
  if (!journal) return;
  if ((await extendJournal(rpcUrl, journal)) > 0) await saveJournal(journalFile, journal);
}

async function shutdown(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  console.log("\nStopping…");
  clearInterval(autosave);
  const chain = children.find((c) => c.label === "local chain");
  try {
    if (chain && chain.child.exitCode === null) await persistJournal();
  } catch (error) {
    console.error(`Could not save the chain's latest blocks: ${(error as Error).message}`);
  }
  // The services first (the indexer closes its store cleanly), the chain last.
  await Promise.all(children.filter((c) => c !== chain).map(stopChild));
  if (chain) await stopChild(chain);
  console.log("Stopped. `npm start` resumes; `npm start -- --reset` starts a new co-op.");
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
let autosave: NodeJS.Timeout | undefined;

// ---- helpers ------------------------------------------------------------------------------------------
async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) await new Promise(() => undefined);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s.`);
}

const answers = (url: string, init?: RequestInit) => async () => (await fetch(url, init)).ok;

function runToEnd(
  label: string,
  command: string,
  argv: string[],
  extraEnv: NodeJS.ProcessEnv,
  cwd = root,
) {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    const child = spawn(command, argv, {
      cwd,
      env: { ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} failed:\n${output}`)),
    );
  });
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs,
    );
  }
  return newest;
}

async function webIsBuilt(): Promise<boolean> {
  const web = path.join(root, "web");
  const built = await stat(path.join(web, "dist", "index.html")).catch(() => undefined);
  if (!built) return false;
  const sources = Math.max(
    await newestMtime(path.join(web, "src")),
    (await stat(path.join(web, "index.html"))).mtimeMs,
    (await stat(path.join(web, "vite.config.ts"))).mtimeMs,
  );
  return built.mtimeMs >= sources;
}

// ---- main ---------------------------------------------------------------------------------------------
async function main() {
  if (args.reset) {
    step("Forgetting the previous demo co-op (--reset)");
    await rm(stateDir, { recursive: true, force: true });
    await rm(deploymentFile, { force: true });
    await rm(path.join(root, "ignition", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
  }
  await mkdir(stateDir, { recursive: true });
  journal = await loadJournal(journalFile);
  if (journal && !existsSync(deploymentFile)) {
    throw new Error(
      `The chain's journal is in ${stateDir} but the deployment ${deploymentFile} is gone: run \`npm start -- --reset\`.`,
    );
  }
  const genesis = journal ? new Date(journal.genesisTime * 1000).toISOString() : undefined;

  step(`Starting the local chain at ${rpcUrl}`);
  start(
    "local chain",
    process.execPath,
    [
      bin("hardhat"),
      "node",
      "--network",
      "demo",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(rpcPort),
    ],
    {
      env: genesis ? { COOP_GENESIS_DATE: genesis } : {},
      log: "chain.log",
    },
  );
  await waitFor(
    "The local chain",
    answers(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    }),
    60_000,
  );

  if (journal) {
    step(`Resuming: replaying ${journal.blocks.length} blocks`);
    await replayJournal(rpcUrl, journal, (done, total) =>
      detail(`block ${done} of ${total}`),
    ).catch((error: Error) => {
      throw new Error(
        `The saved chain could not be restored (${error.message}). Start over with \`npm start -- --reset\`.`,
      );
    });
    endDetail();
  } else {
    const block0 = (await (
      await fetch(rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "eth_getBlockByNumber",
          params: ["0x0", false],
        }),
      })
    ).json()) as { result: { timestamp: string } };
    // A new chain: whatever the state folder held belongs to another one. The journal is kept only once
    // the history is complete, so stopping half-way simply starts over next time.
    await rm(path.join(stateDir, "indexer"), { recursive: true, force: true });
    await rm(seededMarker, { force: true });
    const fresh: Journal = {
      chainId: 31337,
      genesisTime: Number(block0.result.timestamp),
      blocks: [],
    };
    step("Deploying the co-op's contracts with Ignition (the first run compiles them too)");
    await rm(path.join(root, "ignition", "deployments", deploymentId), {
      recursive: true,
      force: true,
    });
    await runToEnd(
      "The deployment",
      process.execPath,
      [bin("hardhat"), "run", "scripts/deploy.ts", "--network", "localhost"],
      {
        RPC_URL: rpcUrl,
        COOP_PARAMETERS: path.join(root, "ignition", "parameters", "demo.json"),
        COOP_DEPLOYMENT_OUT: deploymentFile,
        COOP_DEPLOYMENT_ID: deploymentId,
      },
    );
    step("Seeding the demo co-op's history (votes, datasets, consent, requests, fees)");
    await seedChain(
      rpcUrl,
      parseDeployment(await readFile(deploymentFile, "utf8"), deploymentFile),
      detail,
    );
    endDetail();
    await extendJournal(rpcUrl, fresh);
    await saveJournal(journalFile, fresh);
    journal = fresh;
  }
  autosave = setInterval(() => void persistJournal().catch(() => undefined), 5_000);

  step(`Starting the indexer and gateway at ${indexerUrl}`);
  start("indexer", process.execPath, [path.join(root, "server", "src", "main.ts")], {
    env: {
      RPC_URL: rpcUrl,
      DEPLOYMENT: deploymentFile,
      PORT: String(indexerPort),
      DATA_DIR: path.join(stateDir, "indexer"),
      SIWE_URI: webUrl,
      LOG_LEVEL: env.LOG_LEVEL ?? "info",
    },
    log: "indexer.log",
  });
  await waitFor("The indexer", answers(`${indexerUrl}/ready`));

  if (!existsSync(seededMarker)) {
    step(
      `Members contribute their records through the gateway (${PROMISED.records.toLocaleString("en")})`,
    );
    await seedGateway(
      `${indexerUrl}/gateway`,
      { domain: new URL(webUrl).host, uri: webUrl, chainId: 31337 },
      detail,
    );
    endDetail();
    await writeFile(seededMarker, new Date().toISOString());
  }

  if (!(await webIsBuilt())) {
    step("Building the dApp (once, and again when its sources change)");
    await runToEnd(
      "The dApp's build",
      process.execPath,
      [bin("vite"), "build"],
      {},
      path.join(root, "web"),
    );
  }
  step(`Serving the dApp at ${webUrl}`);
  start(
    "dApp",
    process.execPath,
    [bin("vite"), "preview", "--host", "127.0.0.1", "--port", String(webPort), "--strictPort"],
    {
      cwd: path.join(root, "web"),
      env: {
        COOP_DEPLOYMENT: deploymentFile,
        COOP_RPC_URL: rpcUrl,
        COOP_INDEXER_URL: `${indexerUrl}/api`,
      },
      log: "dapp.log",
    },
  );
  await waitFor("The dApp", answers(`${webUrl}/config.json`));

  const a = (i: number) => account(i).address;
  console.log(`
The Valley Growers data co-op is running (${PROMISED.members} members, ${PROMISED.datasets} datasets, ${PROMISED.records.toLocaleString("en")} records, a vote open):

  dApp               ${webUrl}
  read API, gateway  ${indexerUrl}/api, ${indexerUrl}/gateway   (interactive docs: ${indexerUrl}/docs)
  local chain        ${rpcUrl}   (chain id 31337)

Demo accounts (Hardhat's public test keys; the dApp's wallet picker offers the members and partners):
  founders (members)      ${FOUNDERS.map((i) => `#${i} ${a(i)}`).join("\n                          ")}
  university (partner)    #${UNIVERSITY} ${a(UNIVERSITY)}
  AgriMarket (partner)    #${MARKET} ${a(MARKET)}
  guardian / operator     #${GUARDIAN} ${a(GUARDIAN)} / #${OPERATOR} ${a(OPERATOR)}

Audit it:  npm run audit -- --rpc ${rpcUrl} --deployment ${path.relative(process.cwd(), deploymentFile)}
Ready. Press Ctrl-C to stop; \`npm start\` resumes where you left off, \`npm start -- --reset\` starts over.`);
}

main().catch((error: unknown) => {
  endDetail();
  console.error(`\n${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
