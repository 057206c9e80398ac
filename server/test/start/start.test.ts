/**
 * `npm start` as a newcomer runs it (on free ports, in a temporary state folder): it reaches ready with
 * the chain, the indexer, the gateway and the dApp answering, the demo co-op is what the README promises,
 * Ctrl-C leaves no process behind, and a second start resumes the same co-op without seeding it again;
 * a SIGKILLed `npm start` leaves no process behind either, and a start while a previous run still holds
 * its ports says which process it is.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { createSiweMessage } from "viem/siwe";
import { audit } from "@datacoop/auditor";
import { account, MEMBERS, PROMISED, RECORDS_PER_MEMBER } from "../../../scripts/demo.ts";
import { freePort, REPO_ROOT } from "../support/chain.ts";
import { alive, descendants } from "../support/processes.ts";

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startCoop(env: NodeJS.ProcessEnv, options: { npm?: boolean } = {}): Run {
  let output = "";
  // Directly, or as a newcomer types it: `npm start` (npm, then node through the script's exec).
  const child = options.npm
    ? spawn("npm", ["start"], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          ...env,
          PATH: `${path.join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH}`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      })
    : spawn(process.execPath, [path.join(REPO_ROOT, "scripts", "start.ts")], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      });
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function untilReady(run: Run, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (!/^Ready\./m.test(run.output())) {
    if (run.child.exitCode !== null) throw new Error(`npm start exited:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`npm start was not ready in time:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopAndCheck(run: Run) {
  const pids = descendants(run.child.pid!);
  assert.ok(
    pids.length >= 3,
    `expected the chain, indexer and dApp, found ${pids.length} processes`,
  );
  run.child.kill("SIGINT");
  assert.equal(await run.exited, 0, run.output());
  assert.match(run.output(), /Stopped\./);
  const left = pids.filter(alive);
  assert.deepEqual(left, [], `processes left behind: ${left.join(", ")}`);
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
};

describe("npm start", () => {
  let tmp: string | undefined;
  const deploymentId = `test-start-${process.pid}`;
  const runs: Run[] = [];
  after(async () => {
    for (const run of runs) if (run.child.exitCode === null) run.child.kill("SIGKILL");
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("runs the demo co-op, stops cleanly, and resumes it", async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-start-"));
    const ports = new Set<number>();
    while (ports.size < 3) ports.add(await freePort());
    const [rpcPort, indexerPort, webPort] = [...ports];
    const env = {
      RPC_PORT: String(rpcPort),
      INDEXER_PORT: String(indexerPort),
      WEB_PORT: String(webPort),
      COOP_STATE_DIR: path.join(tmp, "state"),
      COOP_DEPLOYMENT_OUT: path.join(tmp, "deployment.json"),
      COOP_DEPLOYMENT_ID: deploymentId,
      LOG_LEVEL: "warn",
    };
    const rpcUrl = `http://127.0.0.1:${rpcPort}`;
    const api = `http://127.0.0.1:${indexerPort}/api`;
    const gateway = `http://127.0.0.1:${indexerPort}/gateway`;
    const web = `http://127.0.0.1:${webPort}`;

    const first = startCoop(env);
    runs.push(first);
    await untilReady(first);
    assert.match(first.output(), /Seeding the demo co-op's history/);
    assert.match(first.output(), /Members contribute their records/);
    // Ignition's journal of this throwaway chain stays with its state, not in the checkout.
    assert.ok(
      existsSync(
        path.join(env.COOP_STATE_DIR, "ignition", "deployments", deploymentId, "journal.jsonl"),
      ),
    );
    assert.ok(!existsSync(path.join(REPO_ROOT, "ignition", "deployments", deploymentId)));

    // Everything answers.
    const chainId = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    }).then((r) => r.json() as Promise<{ result: string }>);
    assert.equal(Number(chainId.result), 31337);
    assert.equal((await get(`http://127.0.0.1:${indexerPort}/ready`)).status, 200);
    assert.equal((await fetch(`${gateway}/openapi.json`)).status, 200);
    const config = await get(`${web}/config.json`);
    assert.equal(config.status, 200);
    assert.equal(config.body.deployment.chainId, 31337);
    const page = await fetch(web);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root">|<script type="module"/);

    // The promised co-op.
    const deployment = JSON.parse(await readFile(env.COOP_DEPLOYMENT_OUT, "utf8"));
    assert.deepEqual(config.body.deployment.contracts, deployment.contracts);
    const state = async () => ({
      members: (await get(`${api}/members?limit=1`)).body.total,
      datasets: (await get(`${api}/datasets?limit=1`)).body.total,
      requests: (await get(`${api}/requests?limit=1`)).body.total,
      proposals: (await get(`${api}/proposals?limit=50`)).body,
    });
    const seeded = await state();
    assert.equal(seeded.members, PROMISED.members);
    assert.equal(seeded.datasets, PROMISED.datasets);
    assert.equal(seeded.requests, PROMISED.requests);
    assert.equal(seeded.proposals.total, PROMISED.proposals);
    const states = seeded.proposals.items.map((p: { state: string }) => p.state).sort();
    assert.deepEqual(states, [
      "Active",
      "Executed",
      "Executed",
      "Executed",
      "Executed",
      "Executed",
    ]);
    const grants = (await get(`${api}/requests?limit=10`)).body.items.map(
      (r: { status: string }) => r.status,
    );
    assert.deepEqual(grants.sort(), ["Approved", "Pending", "Rejected", "Revoked"]);

    // A member's records came in through the gateway.
    const member = account(MEMBERS[7]);
    const nonce = await get(`${gateway}/auth/nonce`);
    const message = createSiweMessage({
      domain: `127.0.0.1:${webPort}`,
      address: member.address,
      uri: web,
      version: "1",
      chainId: 31337,
      nonce: nonce.body.nonce,
      issuedAt: new Date(),
    });
    const login = await fetch(`${gateway}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message, signature: await member.signMessage({ message }) }),
    }).then((r) => r.json() as Promise<{ token: string }>);
    const own = await fetch(`${gateway}/datasets/2/records?limit=1000`, {
      headers: { authorization: `Bearer ${login.token}` },
    }).then((r) => r.json() as Promise<{ records: unknown[] }>);
    assert.equal(own.records.length, RECORDS_PER_MEMBER.soil);

    // The auditor accepts the demo co-op.
    const report = await audit({ rpcUrl, deployment });
    assert.equal(report.ok, true, JSON.stringify(report.checks, null, 2));

    await stopAndCheck(first);

    // A second start resumes: same chain, no seeding, the same co-op.
    const second = startCoop(env);
    runs.push(second);
    await untilReady(second);
    assert.match(second.output(), /Resuming: replaying \d+ blocks/);
    assert.doesNotMatch(second.output(), /Seeding|Members contribute/);
    const resumed = await state();
    assert.deepEqual(
      { ...resumed, proposals: resumed.proposals.total },
      { ...seeded, proposals: seeded.proposals.total },
    );
    assert.equal((await get(`http://127.0.0.1:${indexerPort}/ready`)).status, 200);
    await stopAndCheck(second);

    // `npm start` SIGKILLed (no handler runs): the chain, the indexer and the dApp stop by themselves.
    const third = startCoop(env, { npm: true });
    runs.push(third);
    await untilReady(third);
    const pids = descendants(third.child.pid!);
    assert.ok(pids.length >= 4, `expected start.ts, the chain, indexer and dApp: ${pids.length}`);
    // Meanwhile a second start finds the first one's ports taken, and says by whom.
    const clash = startCoop(env);
    runs.push(clash);
    assert.notEqual(await clash.exited, 0);
    assert.match(clash.output(), /in use by pid \d+|is in use by pid \d+/);
    assert.match(clash.output(), /kill -TERM \d+/);
    third.child.kill("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const orphans = pids.filter(alive);
    assert.deepEqual(
      orphans,
      [],
      `processes left behind by a SIGKILLed npm start: ${orphans.join(", ")}`,
    );
  });
});
