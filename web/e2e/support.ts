/**
 * The pieces of a real end-to-end run: the built dApp served by `vite preview` against a real local chain,
 * and Debian's Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { type Browser, chromium, type Page } from "playwright-core";
import { http as viemHttp } from "viem";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { auditMigrations } from "../../server/src/operator/migrations.ts";
import { createOperator, type Operator } from "../../server/src/operator/operator.ts";
import { createFollower } from "../../server/src/follower/follower.ts";
import { sqlChainView } from "../../server/src/follower/chainView.ts";
import { domain } from "../../server/src/follower/domain.ts";
import { keysFromSecret } from "../../server/src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../server/src/gateway/migrations.ts";
import { relayerMigrations } from "../../server/src/relayer/migrations.ts";
import { createRelayer } from "../../server/src/relayer/relayer.ts";
import { createServer } from "../../server/src/http/app.ts";
import { openDb } from "../../server/src/store/db.ts";
import { migrate } from "../../server/src/store/migrate.ts";
import { accounts, freePort, type TestChain } from "../../server/test/support/chain.ts";
import { testLogger } from "../../server/test/support/wait.ts";

export const WEB_ROOT = path.resolve(import.meta.dirname, "..");
export const SCREENSHOTS = path.join(WEB_ROOT, "test-results", "screenshots");
const VITE = path.join(WEB_ROOT, "..", "node_modules", ".bin", "vite");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The gateway operator's anchoring, as ANCHOR_EVERY and ANCHOR_INTERVAL_MS set it. */
export interface AnchorOptions {
  every: number;
  intervalMs: number;
}

/**
 * The indexer as `npm run indexer` runs it, in this process: the follower on embedded PGlite, the read API,
 * the data gateway (members signing in from the dApp's origin) and the relayer; with `anchoring`, also the
 * gateway operator (the access log's proofs under /proofs, and its anchoring loop with the local operator
 * key, Hardhat's account 8; with `allocateOnGrantEnd`, also the posting of by-use revenue distributions).
 */
export async function startIndexer(
  chain: TestChain,
  dappOrigin: string,
  options: { anchoring?: AnchorOptions; allocateOnGrantEnd?: boolean } = {},
) {
  const db = await openDb({});
  const { deployment } = chain;
  const follower = createFollower({
    db,
    client: chain.publicClient,
    deployment,
    domain,
    confirmations: 0,
    pollInterval: 50,
    logger: testLogger,
  });
  await follower.migrate();
  await migrate(db, gatewayMigrations);
  await migrate(db, relayerMigrations);
  await migrate(db, auditMigrations);
  // The relayer as on the local chain by default: Hardhat's account 19 pays members' signed votes.
  const relayer = await createRelayer({
    db,
    client: chain.publicClient,
    account: accounts[19]!,
    deployment,
    limits: { gasBudgetWei: 10n ** 18n },
    pollIntervalMs: 50,
    logger: testLogger,
  });
  await relayer.start();
  const keys = keysFromSecret(randomBytes(32).toString("hex"));
  // On the local chain the operator key defaults to Hardhat's account 8, which the deployment makes the operator.
  const operator: Operator | undefined = options.anchoring
    ? createOperator({
        db,
        client: chain.publicClient,
        transport: viemHttp(chain.rpcUrl, { retryCount: 5, retryDelay: 50 }),
        deployment,
        keys,
        intervalMs: options.anchoring.intervalMs,
        every: options.anchoring.every,
        allocateOnGrantEnd: options.allocateOnGrantEnd ?? false,
        logger: testLogger,
      })
    : undefined;
  if (operator && operator.address !== accounts[8]!.address)
    throw new Error(`The operator is ${operator.address}, not account 8`);
  const server = createServer({
    relayer,
    db,
    follower,
    logger: testLogger,
    corsOrigins: [dappOrigin],
    gateway: {
      db,
      chain: sqlChainView({ chainId: deployment.chainId, confirmations: 0 }),
      keys,
      domain: { chainId: deployment.chainId, registry: deployment.contracts.registry },
      siwe: { domain: new URL(dappOrigin).host, uri: dappOrigin, chainId: deployment.chainId },
    },
    ...(operator ? { proofs: operator.proofs } : {}),
  });
  const port = await server.listen(0);
  const running = follower.run();
  await operator?.start();
  const base = `http://127.0.0.1:${port}`;
  /** Waits until the follower has indexed the node's latest block. */
  async function caughtUp() {
    const target = await chain.publicClient.getBlockNumber({ cacheTime: 0 });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = follower.status();
      if (s.phase === "failed") throw new Error(`The follower failed: ${s.error?.message}`);
      if (s.checkpoint && s.checkpoint.number >= target) return;
      if (Date.now() > deadline) throw new Error(`Block ${target} was not indexed in time`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  /** Waits until the chain's latest anchor covers the whole access log; returns its size and batch count. */
  async function logAnchored() {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await db.query<{ size: string }>(
        "SELECT count(*)::text AS size FROM gateway_access_log",
      );
      const [, size, batches] = await chain.publicClient.readContract({
        address: deployment.contracts.accessLog,
        abi: accessLogAbi,
        functionName: "latest",
      });
      if (size > 0n && size === BigInt(rows[0]!.size)) {
        await caughtUp();
        return { size: Number(size), batches: Number(batches) };
      }
      if (Date.now() > deadline) throw new Error("The access log was not anchored in time");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    apiUrl: `${base}/api`,
    gatewayUrl: `${base}/gateway`,
    caughtUp,
    logAnchored,
    /** The indexer's database, for tests that play a gateway gone wrong. */
    db,
    async stop() {
      await operator?.stop();
      await relayer.stop();
      await follower.stop();
      await running.catch(() => undefined);
      await server.close();
      await db.close();
    },
  };
}

/** Serves web/dist (built beforehand by `vite build`) with config.json for the given chain. */
export async function startPreview(
  deploymentFile: string,
  rpcUrl: string,
  options: { port?: number; indexerUrl?: string } = {},
) {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}/`;
  let output = "";
  const child: ChildProcess = spawn(VITE, ["preview", "--port", String(port), "--strictPort"], {
    cwd: WEB_ROOT,
    env: {
      ...process.env,
      COOP_DEPLOYMENT: deploymentFile,
      COOP_RPC_URL: rpcUrl,
      ...(options.indexerUrl ? { COOP_INDEXER_URL: options.indexerUrl } : {}),
    },
  });
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited:\n${output}`);
    try {
      const res = await fetch(`${url}config.json`);
      if (res.ok) break;
      throw new Error(`config.json: HTTP ${res.status} ${await res.text()}`);
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`vite preview did not start: ${error}\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { url, stop: () => void child.kill("SIGTERM") };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The screenshots the README shows, rewritten when UPDATE_SCREENSHOTS is set. */
export const PUBLISHED_SCREENSHOTS = path.join(WEB_ROOT, "screenshots");

export async function screenshot(
  page: Page,
  name: string,
  options: { publish?: boolean } = {},
): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  if (options.publish && process.env.UPDATE_SCREENSHOTS) {
    await mkdir(PUBLISHED_SCREENSHOTS, { recursive: true });
    await page.screenshot({
      path: path.join(PUBLISHED_SCREENSHOTS, `${name}.png`),
      fullPage: true,
    });
  }
}

/** True when the page is wider than the viewport (the phone would scroll sideways). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/**
 * axe-core's violations at the bar: serious, critical and moderate ones (minor ones aside), each
 * with the elements it found them on.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = {
      violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<Result> } }).axe;
    const { violations } = await axe.run(document);
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical" || v.impact === "moderate")
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}

/** Words for seconds in the app's languages: a member never reads a length of time in seconds. */
const SECONDS = /\b(seconds?|secs?|segundos?|secondes?|sekunde)\b|सेकंड/i;

/**
 * Whatever a member can read on the page now that is not plain words: hex (addresses, hashes), long ids
 * (a governor's 77-digit proposal ids), amounts in wei, lengths of time in seconds, raw field names such
 * as `mean:yield_t_per_ha`. Hidden text (an address one click away) is not read, so it does not count.
 */
export async function jargonOnScreen(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  const found: string[] = [];
  for (const [name, re] of [
    ["hex", /0x[0-9a-fA-F]{6,}/g],
    ["long id", /\d{12,}/g],
    ["wei", /\bwei\b/gi],
    ["raw field", /\b(count|sum|mean|min|max|quantiles):[a-z_]+/g],
    ["seconds", new RegExp(SECONDS.source, "gi")],
  ] as const)
    for (const m of text.matchAll(re)) {
      const at = m.index ?? 0;
      found.push(`${name}: …${text.slice(Math.max(0, at - 30), at + m[0].length + 30)}…`);
    }
  return found;
}

/** The checks every member screen passes: no sideways scrolling on the phone, no jargon, axe clean. */
export async function checkScreen(page: Page, name: string, options: { publish?: boolean } = {}) {
  await screenshot(page, name, options);
  const problems = [
    ...((await scrollsSideways(page)) ? [`${name} scrolls sideways`] : []),
    ...(await jargonOnScreen(page)),
    ...(await seriousViolations(page)),
  ];
  return problems;
}
