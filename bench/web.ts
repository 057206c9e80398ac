/**
 * dApp benchmark: how much JavaScript a phone downloads first, and how long until a member can vote.
 *
 *   npm run bench:web
 *
 * Builds the dApp, sums the gzip size of the JavaScript the first page loads (the entry script and its
 * module preloads), then starts a real local chain with an open proposal, the indexer and the built dApp,
 * and opens the proposal in Debian's Chromium emulating a slow phone: 1.6 Mbps down, 750 kbps up, 150 ms
 * round trip (RPC and indexer calls included) and a 4× slower CPU, with the browser cache off. It records the
 * time from navigation start until the page shows the live tally and the For button is enabled for a
 * signed-in founder (the demo wallet, remembered from a first visit).
 *
 * Writes bench/results/web.json and the README block. A missed target is reported, not fatal.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { encodeFunctionData } from "viem";
import { freePort, REPO_ROOT, startChain } from "../indexer/test/support/chain.ts";
import { governorAbi, membershipAbi } from "../shared/abis.generated.ts";
import { launchChromium, startPreview, WEB_ROOT } from "../web/e2e/support.ts";
import { updateReadmeSection } from "./readme.ts";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { initialJsGzipBytes: 250 * 1024, usableMs: 4_000 };
const NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * 1024) / 8,
  uploadThroughput: (750 * 1024) / 8,
};
const CPU_SLOWDOWN = 4;

function step(message: string): void {
  process.stdout.write(`• ${message}\n`);
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const child = spawn(command, args, { cwd, env: process.env });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")}:\n${output}`)),
    );
  });
}

/** The JavaScript index.html loads before anything else: its module entry and the module preloads. */
async function initialJavaScript(): Promise<{ files: { file: string; gzipBytes: number }[] }> {
  const dist = path.join(WEB_ROOT, "dist");
  const html = await readFile(path.join(dist, "index.html"), "utf8");
  const refs = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((m) => m[1]!);
  if (refs.length === 0) throw new Error("web/dist/index.html loads no module script");
  const files = [];
  for (const ref of new Set(refs)) {
    const bytes = await readFile(path.join(dist, ref.replace(/^\.?\//, "")));
    files.push({ file: ref, gzipBytes: gzipSync(bytes, { level: 9 }).length });
  }
  return { files };
}

async function startIndexer(rpcUrl: string, deploymentFile: string, dataDir: string) {
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO_ROOT, "indexer", "src", "main.ts")],
    {
      cwd: path.join(REPO_ROOT, "indexer"),
      env: {
        ...process.env,
        RPC_URL: rpcUrl,
        DEPLOYMENT: deploymentFile,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "warn",
      },
    },
  );
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The indexer exited:\n${output}`);
    const ready = await fetch(`${url}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`The indexer did not get ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, stop: () => void child.kill("SIGTERM") };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const work = await mkdtemp(path.join(os.tmpdir(), "datacoop-bench-web-"));
const stops: (() => unknown)[] = [];
try {
  step("building the dApp");
  await run(path.join(REPO_ROOT, "node_modules", ".bin", "vite"), ["build"], WEB_ROOT);
  const { files } = await initialJavaScript();
  const initialJsGzipBytes = files.reduce((sum, f) => sum + f.gzipBytes, 0);
  step(`initial JavaScript: ${(initialJsGzipBytes / 1024).toFixed(1)} kB gzip`);

  step("starting a local chain with an open proposal");
  const chain = await startChain();
  stops.push(() => chain.stop());
  const { governor, membership } = chain.deployment.contracts;
  const { result: proposalId, request } = await chain.publicClient.simulateContract({
    account: chain.accounts[1]!,
    address: governor,
    abi: governorAbi,
    functionName: "propose",
    args: [
      [membership],
      [0n],
      [
        encodeFunctionData({
          abi: membershipAbi,
          functionName: "admit",
          args: [chain.accounts[10]!.address],
        }),
      ],
      "# Admit a new member\n\nA vegetable grower from the valley.",
    ],
  });
  await chain.publicClient.waitForTransactionReceipt({
    hash: await chain.wallet(1).writeContract(request),
  });
  await chain.testClient.increaseTime({ seconds: 2 });
  await chain.testClient.mine({ blocks: 1 });

  step("starting the indexer and the built dApp");
  const indexer = await startIndexer(chain.rpcUrl, chain.deploymentFile, path.join(work, "data"));
  stops.push(indexer.stop);
  process.env.COOP_INDEXER_URL = `${indexer.url}/api`;
  const preview = await startPreview(chain.deploymentFile, chain.rpcUrl);
  stops.push(preview.stop);

  const browser = await launchChromium();
  stops.push(() => browser.close());
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: "en-GB",
    isMobile: true,
    hasTouch: true,
  });
  // A first visit, unthrottled: the founder signs in with the demo wallet, which the dApp remembers.
  {
    const page = await context.newPage();
    await page.goto(preview.url);
    await page.getByRole("button", { name: "Connect a wallet" }).click();
    await page.getByRole("button", { name: "Founder 1", exact: true }).click();
    await page.getByText("Signed in: Founder 1").waitFor();
    await page.close();
  }

  const usableMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", NETWORK);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
    await page.goto(`${preview.url}#/proposals/${proposalId}`, { waitUntil: "commit" });
    // Milliseconds since navigation start, read in the page the moment the vote is possible.
    const handle = await page.waitForFunction(
      () => {
        const tally = document.querySelector('[data-testid="tally-for"]');
        const vote = [...document.querySelectorAll("button")].find(
          (b) => b.textContent?.trim() === "For",
        );
        return tally?.textContent?.trim() === "0" && vote && !vote.disabled
          ? performance.now()
          : false;
      },
      undefined,
      { polling: 25, timeout: 60_000 },
    );
    const ms = Math.round(Number(await handle.jsonValue()));
    usableMs.push(ms);
    step(`run ${i + 1}/${RUNS}: proposal page usable after ${ms} ms`);
    await page.close();
  }

  const sorted = [...usableMs].sort((a, b) => a - b);
  const result = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "unknown" },
    initialJavaScript: {
      gzipBytes: initialJsGzipBytes,
      files,
      target: TARGETS.initialJsGzipBytes,
      met: initialJsGzipBytes <= TARGETS.initialJsGzipBytes,
    },
    usableProposalPage: {
      conditions: {
        downloadMbps: 1.6,
        uploadKbps: 750,
        roundTripMs: NETWORK.latency,
        cpuSlowdown: CPU_SLOWDOWN,
        cache: "disabled",
        viewport: "360×640",
      },
      runsMs: usableMs,
      p50Ms: percentile(sorted, 50),
      maxMs: sorted[sorted.length - 1]!,
      targetMs: TARGETS.usableMs,
      met: percentile(sorted, 50) <= TARGETS.usableMs,
    },
  };
  await mkdir(path.join(REPO_ROOT, "bench", "results"), { recursive: true });
  await writeFile(
    path.join(REPO_ROOT, "bench", "results", "web.json"),
    JSON.stringify(result, null, 2) + "\n",
  );
  const mark = (met: boolean) => (met ? "yes" : "no");
  await updateReadmeSection(
    "web",
    [
      `Measured ${result.measuredAt.slice(0, 10)} on ${result.machine.cpus} cores (bench/results/web.json).`,
      "",
      "| dApp | Measured | Target | Met |",
      "| --- | --- | --- | --- |",
      `| initial JavaScript (gzip) | ${(initialJsGzipBytes / 1024).toFixed(1)} kB | ≤ 250 kB | ${mark(result.initialJavaScript.met)} |`,
      `| proposal page usable (live tally, vote enabled), slow phone, p50 of ${RUNS} | ${result.usableProposalPage.p50Ms} ms (max ${result.usableProposalPage.maxMs} ms) | ≤ 4,000 ms | ${mark(result.usableProposalPage.met)} |`,
    ].join("\n"),
  );
  step("wrote bench/results/web.json and the README block");
} finally {
  for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
}
