/**
 * The commands the README gives a newcomer, run as they would run them: `npm run indexer -- <flags>`
 * against a chain of their own, and a deployment that leaves the checkout as it was.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { freePort, REPO_ROOT, startChain, type TestChain } from "../support/chain.ts";

/** Every path under the checkout's ignition/ (ignored files included), relative to it. */
async function ignitionFiles(): Promise<string[]> {
  const entries = await readdir(path.join(REPO_ROOT, "ignition"), { recursive: true });
  return entries.sort();
}

describe("the front door", () => {
  let chain: TestChain;
  let checkoutBefore: string[];
  let tmp: string;

  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-front-door-"));
    checkoutBefore = await ignitionFiles();
    chain = await startChain();
  });
  after(async () => {
    await chain?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it("deploys without writing into the checkout: Ignition's journal stays with the chain", async () => {
    assert.deepEqual(await ignitionFiles(), checkoutBefore);
    assert.ok(
      existsSync(path.join(chain.ignitionDir, "deployments", chain.deploymentId, "journal.jsonl")),
      "the journal is in the chain's own folder",
    );
  });

  it("`npm run indexer -- --rpc-url URL --deployment FILE` follows that chain", async () => {
    const port = await freePort();
    let output = "";
    // npm as a newcomer types it; the flags must reach the server, not npm.
    const child = spawn(
      "npm",
      [
        "run",
        "indexer",
        "--",
        "--rpc-url",
        chain.rpcUrl,
        "--deployment",
        chain.deploymentFile,
        "--port",
        String(port),
        "--data-dir",
        path.join(tmp, "store"),
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, GATEWAY_SECRET: randomBytes(32).toString("hex"), LOG_LEVEL: "warn" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      const deadline = Date.now() + 120_000;
      let ready: { status: number; body: unknown } | undefined;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) break;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/ready`);
          ready = { status: res.status, body: await res.json() };
          if (res.status === 200) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.equal(ready?.status, 200, `not ready: ${JSON.stringify(ready)}\n${output}`);
      assert.doesNotMatch(output, /Unexpected argument|Unknown option/);
      const members = await fetch(`http://127.0.0.1:${port}/api/members`);
      assert.equal(members.status, 200);
      const { items } = (await members.json()) as { items: unknown[] };
      assert.ok(items.length > 0, "the founders of the deployed co-op are listed");
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  });
});
