/**
 * The pieces of a real end-to-end run: the built dApp served by `vite preview` against a real local chain,
 * and Chromium (Debian's, or the npm registry's: chromium.ts) driven by playwright-core.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { findChromium } from "./chromium.ts";
import { accounts, freePort, type TestChain } from "@datacoop/server/testing/chain";
import { startNode } from "@datacoop/server/testing/node";

export const WEB_ROOT = path.resolve(import.meta.dirname, "..");
export const SCREENSHOTS = path.join(WEB_ROOT, "test-results", "screenshots");
const VITE = path.join(WEB_ROOT, "..", "node_modules", ".bin", "vite");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** The gateway operator's anchoring, as ANCHOR_EVERY and ANCHOR_INTERVAL_MS set it. */
export interface AnchorOptions {
  every: number;
  intervalMs: number;
}

/**
 * The server as `npm run server` runs it (createNode), in this process: the follower on embedded PGlite,
 * the read API, the data gateway (members signing in from the dApp's origin) and the relayer (Hardhat's
 * account 19, as on the local chain by default); with `anchoring`, also the gateway operator (the access
 * log's proofs under /proofs, and its anchoring loop with the local operator key, Hardhat's account 8;
 * with `allocateOnGrantEnd`, also the posting of by-use revenue distributions).
 */
export async function startIndexer(
  chain: TestChain,
  dappOrigin: string,
  options: { anchoring?: AnchorOptions; allocateOnGrantEnd?: boolean } = {},
) {
  const { deployment } = chain;
  const node = await startNode(chain, {
    follower: { pollIntervalMs: 50 },
    gateway: {
      siwe: { domain: new URL(dappOrigin).host, uri: dappOrigin, chainId: deployment.chainId },
    },
    relayer: { account: accounts[19], limits: { gasBudgetWei: 10n ** 18n }, pollIntervalMs: 50 },
    operator: options.anchoring
      ? { ...options.anchoring, allocateOnGrantEnd: options.allocateOnGrantEnd ?? false }
      : false,
  });
  const { db } = node;
  if (options.anchoring && node.operator?.address !== accounts[8].address)
    throw new Error(`The operator is ${node.operator?.address}, not account 8`);
  /** Waits until the follower has indexed the node's latest block. */
  const caughtUp = () => node.indexed();
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
      if (size > 0n && size === BigInt(rows[0].size)) {
        await caughtUp();
        return { size: Number(size), batches: Number(batches) };
      }
      if (Date.now() > deadline) throw new Error("The access log was not anchored in time");
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    apiUrl: `${node.url}/api`,
    gatewayUrl: `${node.url}/gateway`,
    caughtUp,
    logAnchored,
    /** The server's database, for tests that play a gateway gone wrong. */
    db,
    stop: () => node.stop(),
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
      if (Date.now() > deadline)
        throw new Error(`vite preview did not start: ${String(error)}\n${output}`, {
          cause: error,
        });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { url, stop: () => void child.kill("SIGTERM") };
}

export async function launchChromium(): Promise<Browser> {
  const browser = await findChromium();
  return chromium.launch({
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env },
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
