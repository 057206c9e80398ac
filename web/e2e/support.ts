/**
 * The pieces of a real end-to-end run: the built dApp served by `vite preview` against a real local chain,
 * and Debian's Chromium driven by playwright-core.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { freePort } from "../../indexer/test/support/chain.ts";

export const WEB_ROOT = path.resolve(import.meta.dirname, "..");
export const SCREENSHOTS = path.join(WEB_ROOT, "test-results", "screenshots");
const VITE = path.join(WEB_ROOT, "..", "node_modules", ".bin", "vite");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Serves web/dist (built beforehand by `vite build`) with config.json for the given chain. */
export async function startPreview(deploymentFile: string, rpcUrl: string) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let output = "";
  const child: ChildProcess = spawn(VITE, ["preview", "--port", String(port), "--strictPort"], {
    cwd: WEB_ROOT,
    env: { ...process.env, COOP_DEPLOYMENT: deploymentFile, COOP_RPC_URL: rpcUrl },
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

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** True when the page is wider than the viewport (the phone would scroll sideways). */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

/** axe-core's serious and critical accessibility violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    type Result = {
      violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<Result> } }).axe;
    const { violations } = await axe.run(document);
    return violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
}
