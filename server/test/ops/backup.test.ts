/**
 * Backups that restore, with real processes on a real chain, for both stores: `npm run backup` keeps the
 * store and the gateway's secret; after more activity (entries the chain then anchors) `npm run restore`
 * brings back the older store and its secret, and the next start refuses — naming the entries the chain
 * anchored that the log no longer holds and the recovery — instead of appending entries that would reuse
 * anchored sequence numbers. A start with another gateway secret than the store's is refused too.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { toHex } from "viem";
import { keysFromSecret } from "../../src/gateway/auth/keys.ts";
import { chainAnchor } from "../../src/operator/verification.ts";
import { openDb, type Db } from "../../src/store/db.ts";
import { appendErasures } from "../support/accessLog.ts";
import { accounts, REPO_ROOT, startChain, type TestChain } from "../support/chain.ts";
import { run, runServer } from "../support/processes.ts";
import { stores } from "../support/stores.ts";
import { retrying } from "../support/wait.ts";

const BACKUP = path.join(REPO_ROOT, "server", "src", "backup.ts");
const OPERATOR_KEY = toHex(accounts[8]!.getHdKey().privateKey!);
const listening = (l: Record<string, unknown>) => l.msg === "listening";

describe("backup and restore", () => {
  let tmp: string;
  const chains: TestChain[] = [];
  before(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-backup-"));
  });
  after(async () => {
    for (const chain of chains) await chain.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  for (const store of stores) {
    it(`${store.name}: a restored older store is refused at start, never appended to`, async () => {
      // A chain of its own: the anchors are the chain's, one co-op's log per chain.
      const chain = retrying(await startChain());
      chains.push(chain);
      const dir = path.join(tmp, store.name);
      const dataDir = path.join(dir, "data");
      const schema = `backup_${randomBytes(4).toString("hex")}`;
      const secret = randomBytes(32).toString("hex");
      // PGlite keeps the generated secret beside its folder; a Postgres store is given GATEWAY_SECRET.
      const storeEnv: Record<string, string> =
        store.name === "pglite"
          ? { DATA_DIR: dataDir, DATABASE_URL: "", GATEWAY_SECRET: "" }
          : {
              DATABASE_URL: process.env.TEST_DATABASE_URL!,
              DATABASE_SCHEMA: schema,
              GATEWAY_SECRET: secret,
            };
      const env: Record<string, string> = {
        ...storeEnv,
        RPC_URL: chain.rpcUrl,
        DEPLOYMENT: chain.deploymentFile,
        PORT: "0",
        POLL_INTERVAL_MS: "100",
        LOG_LEVEL: "info",
      };
      const open = (): Promise<Db> =>
        store.name === "pglite"
          ? openDb({ dataDir })
          : openDb({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
      const storeSecret = async () =>
        store.name === "pglite"
          ? (await readFile(`${dataDir}.gateway-secret`, "utf8")).trim()
          : secret;
      const append = async (from: number, to: number) => {
        const db = await open();
        try {
          await appendErasures(
            db,
            keysFromSecret(await storeSecret()),
            from,
            to,
            () => accounts[n(from)]!.address,
          );
        } finally {
          await db.close();
        }
      };
      const n = (i: number) => i % 5;
      const entries = async () => {
        const db = await open();
        try {
          const { rows } = await db.query<{ n: string }>(
            "SELECT count(*)::text AS n FROM gateway_access_log",
          );
          return Number(rows[0]!.n);
        } finally {
          await db.close();
        }
      };
      const stopped = async (proc: ReturnType<typeof runServer>) => {
        proc.child.kill("SIGTERM");
        assert.equal((await proc.exited).code, 0, proc.stderr());
      };

      // A first run creates and migrates the store (and, on PGlite, its secret).
      const first = runServer(env);
      await first.waitFor(listening);
      await stopped(first);
      await append(1, 3);
      const anchoredBefore = (
        await chainAnchor(chain.publicClient, chain.deployment.contracts.accessLog)
      ).size;

      // The backup: the store and its secret.
      const backupDir = path.join(dir, "backup-1");
      if (store.name === "postgres" && !(await pgDumpFits())) {
        // A Postgres store is backed up with the operator's pg_dump, which must be at least the server's
        // version. Where this machine has none that fits (a bare machine: the test server comes from the
        // npm registry, its tools do not), the backup says so plainly and reports failure.
        const refused = run(process.execPath, [BACKUP, "backup", "--out", backupDir], env);
        assert.notEqual((await refused.exited).code, 0);
        assert.match(refused.stderr(), /pg_dump/);
        return;
      }
      const taken = run(process.execPath, [BACKUP, "backup", "--out", backupDir], env);
      assert.equal((await taken.exited).code, 0, taken.stderr());
      assert.equal(
        (await readFile(path.join(backupDir, "gateway-secret"), "utf8")).trim(),
        await storeSecret(),
      );
      assert.equal(statSync(path.join(backupDir, "gateway-secret")).mode & 0o777, 0o600);
      const manifest = JSON.parse(await readFile(path.join(backupDir, "manifest.json"), "utf8"));
      assert.equal(manifest.accessLogEntries, 3);

      // More activity, which the operator anchors.
      await append(4, 6);
      const operating = runServer({
        ...env,
        OPERATOR_PRIVATE_KEY: OPERATOR_KEY,
        ANCHOR_EVERY: "1",
        ANCHOR_INTERVAL_MS: "1000",
      });
      await operating.waitFor(listening);
      const deadline = Date.now() + 60_000;
      let anchored = anchoredBefore;
      while (anchored < anchoredBefore + 6 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        anchored = (await chainAnchor(chain.publicClient, chain.deployment.contracts.accessLog))
          .size;
      }
      assert.equal(anchored, 6, operating.stderr());
      await stopped(operating);

      // The restore brings back the older store (3 entries) and its secret; the replaced folder is kept.
      if (store.name === "pglite") {
        await rm(`${dataDir}.gateway-secret`); // lost with the machine: the backup has it
      }
      const restored = run(process.execPath, [BACKUP, "restore", "--from", backupDir], env);
      assert.equal((await restored.exited).code, 0, restored.stderr());
      assert.equal(await entries(), 3);
      if (store.name === "pglite") {
        assert.equal(
          await storeSecret(),
          (await readFile(path.join(backupDir, "gateway-secret"), "utf8")).trim(),
        );
        assert.ok(
          readdirSync(dir).some((f) => f.startsWith("data.before-restore-")),
          "the replaced folder is kept aside",
        );
      }

      // The start refuses: the chain anchored 6 entries, the log holds 3.
      const refused = runServer(env);
      assert.equal((await refused.exited).code, 1, refused.stderr());
      assert.match(refused.stderr(), /holds 3 entries, but the chain has anchored 6/);
      assert.match(refused.stderr(), /reuse sequence numbers 4–6/);
      assert.match(refused.stderr(), /npm run restore/);
      assert.equal(await entries(), 3, "nothing was appended");

      // Another secret than the store's is refused before anything else.
      const wrong = runServer({ ...env, GATEWAY_SECRET: randomBytes(32).toString("hex") });
      assert.equal((await wrong.exited).code, 1, wrong.stderr());
      assert.match(wrong.stderr(), /not the secret this store was written with/);
      assert.equal(existsSync(backupDir), true);
    });
  }
});

/** Whether the machine's pg_dump can dump the test server (its major version at least the server's). */
async function pgDumpFits(): Promise<boolean> {
  const tool = spawnSync("pg_dump", ["--version"], { encoding: "utf8" });
  const toolMajor = Number(/(\d+)\./.exec(tool.stdout ?? "")?.[1] ?? NaN);
  if (tool.status !== 0 || !Number.isFinite(toolMajor)) return false;
  const db = await openDb({ databaseUrl: process.env.TEST_DATABASE_URL! });
  try {
    const { rows } = await db.query<{ v: string }>(
      "SELECT current_setting('server_version_num') AS v",
    );
    return toolMajor >= Math.floor(Number(rows[0]!.v) / 10_000);
  } finally {
    await db.close();
  }
}
