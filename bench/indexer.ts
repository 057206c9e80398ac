/**
 * Indexer benchmark: builds a history of at least 100,000 events of the co-op's own contracts on a local
 * Hardhat node, measures a full backfill into PGlite (a data folder, the default store) and into a
 * Postgres server (DATABASE_URL or TEST_DATABASE_URL), and the follow lag: from a block being mined to its
 * events being queryable.
 *
 *   npm run bench:indexer
 *
 * Writes bench/results/indexer.json and the README block. A missed target is reported, not fatal: this is
 * a measurement, not a test.
 *
 * The history is made cheap to build by a small contract compiled here (not part of the co-op) that calls
 * Membership.applyForMembership and ConsentRegistry.setConsent many times per transaction: the events are
 * the co-op's real events, emitted by its real contracts, several hundred per block.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import {
  createPublicClient,
  encodeFunctionData,
  http,
  type Abi,
  type Hex,
  type PublicClient,
} from "viem";
import { hardhat } from "viem/chains";
import { createFollower, type Commit } from "../server/src/follower/follower.ts";
import { domain } from "../server/src/follower/domain.ts";
import { createLogger } from "../server/src/log.ts";
import { openDb, type Db } from "../server/src/store/db.ts";
import { startChain, type TestChain } from "../server/test/support/chain.ts";
import { updateReadmeSection } from "./readme.ts";

const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const BLOCKS = 250;
const TXS_PER_BLOCK = 2;
const EVENTS_PER_TX = Math.ceil(TARGET_EVENTS / (BLOCKS * TXS_PER_BLOCK));
const CHUNK_SIZE = 2_000;
const POLL_INTERVAL_MS = 100;
const LAG_SAMPLES = 60;
const TARGETS = { pglite: 5_000, postgres: 10_000, lagP99Ms: 1_000 };

const require = createRequire(import.meta.url);
const solc = require("solc") as { compile(input: string): string; version(): string };

const BATCHER = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
interface IMembership { function applyForMembership(string calldata uri) external; }
interface IConsent { function setConsent(uint256 mask) external; }
contract Batcher {
    function run(address membership, address consent, uint256 applications, uint256 consents) external {
        for (uint256 i = 0; i < applications; i++) IMembership(membership).applyForMembership("ipfs://bench");
        for (uint256 i = 0; i < consents; i++) IConsent(consent).setConsent(i % 8);
    }
}`;

function compileBatcher(): { abi: Abi; bytecode: Hex } {
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: "Solidity",
        sources: { "Batcher.sol": { content: BATCHER } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          evmVersion: "cancun",
          outputSelection: { "*": { Batcher: ["abi", "evm.bytecode.object"] } },
        },
      }),
    ),
  );
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors, null, 2));
  const contract = output.contracts["Batcher.sol"].Batcher;
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

type Rpc = (method: string, params: unknown[]) => Promise<unknown>;

function rpc(url: string): Rpc {
  let id = 0;
  return async (method, params) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
    });
    const body = (await res.json()) as { result?: unknown; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result;
  };
}

async function buildHistory(chain: TestChain, call: Rpc) {
  const started = performance.now();
  const { abi, bytecode } = compileBatcher();
  const from = chain.accounts[0].address;
  const deployTx = (await call("eth_sendTransaction", [{ from, data: bytecode }])) as Hex;
  const receipt = (await call("eth_getTransactionReceipt", [deployTx])) as {
    contractAddress: Hex;
  };
  const batcher = receipt.contractAddress;
  const consents = Math.floor(EVENTS_PER_TX / 5);
  const data = encodeFunctionData({
    abi,
    functionName: "run",
    args: [
      chain.deployment.contracts.membership,
      chain.deployment.contracts.consent,
      BigInt(EVENTS_PER_TX - consents),
      BigInt(consents),
    ],
  });
  await call("evm_setAutomine", [false]);
  for (let b = 0; b < BLOCKS; b++) {
    await Promise.all(
      Array.from({ length: TXS_PER_BLOCK }, (_, i) =>
        call("eth_sendTransaction", [
          { from: chain.accounts[10 + i].address, to: batcher, data, gas: "0xf00000" },
        ]),
      ),
    );
    await call("evm_mine", []);
  }
  await call("evm_setAutomine", [true]);
  return { batcher, data, seconds: (performance.now() - started) / 1000 };
}

async function countEvents(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM events");
  return Number(rows[0].n);
}

async function backfill(db: Db, client: PublicClient, chain: TestChain) {
  const follower = createFollower({
    db,
    client,
    deployment: chain.deployment,
    domain,
    chunkSize: CHUNK_SIZE,
    pollInterval: POLL_INTERVAL_MS,
    logger: process.env.BENCH_DEBUG ? createLogger("debug") : undefined,
  });
  await follower.migrate();
  const started = performance.now();
  const checkpoint = await follower.catchUp();
  const seconds = (performance.now() - started) / 1000;
  const events = await countEvents(db);
  return {
    follower,
    events,
    blocks: Number(checkpoint.number) + 1 - chain.deployment.startBlock,
    seconds,
  };
}

/** Mines blocks of events one at a time while the follower runs; lag = mined → committed. */
async function followLag(
  db: Db,
  client: PublicClient,
  chain: TestChain,
  call: Rpc,
  batcher: Hex,
  data: Hex,
) {
  const commits: { to: bigint; at: number }[] = [];
  const follower = createFollower({
    db,
    client,
    deployment: chain.deployment,
    domain,
    chunkSize: CHUNK_SIZE,
    pollInterval: POLL_INTERVAL_MS,
    onCommit: (c: Commit) => commits.push({ to: c.to, at: performance.now() }),
  });
  await follower.catchUp();
  const running = follower.run();
  const lags: number[] = [];
  for (let i = 0; i < LAG_SAMPLES; i++) {
    // Random spacing, so that blocks do not line up with the polling.
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 250));
    const hash = (await call("eth_sendTransaction", [
      { from: chain.accounts[12].address, to: batcher, data, gas: "0xf00000" },
    ])) as Hex;
    // Automine: the block exists when the call returns.
    const mined = performance.now();
    const receipt = (await call("eth_getTransactionReceipt", [hash])) as { blockNumber: Hex };
    const number = BigInt(receipt.blockNumber);
    for (;;) {
      const commit = commits.find((c) => c.to >= number);
      if (commit) {
        const { rows } = await db.query<{ n: string }>(
          "SELECT count(*) AS n FROM events WHERE block_number = $1",
          [number.toString()],
        );
        if (Number(rows[0].n) !== EVENTS_PER_TX)
          throw new Error(`block ${number}: ${rows[0].n} events`);
        lags.push(commit.at - mined);
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  await follower.stop();
  await running;
  lags.sort((a, b) => a - b);
  const pct = (p: number) =>
    lags[Math.min(lags.length - 1, Math.ceil((p / 100) * lags.length) - 1)];
  return {
    samples: lags.length,
    eventsPerBlock: EVENTS_PER_TX,
    pollIntervalMs: POLL_INTERVAL_MS,
    p50Ms: Math.round(pct(50)),
    p99Ms: Math.round(pct(99)),
    maxMs: Math.round(lags.at(-1)!),
  };
}

const chain = await startChain();
const call = rpc(chain.rpcUrl);
// The indexer's own client settings (src/main.ts): JSON-RPC batching for the headers.
const client = createPublicClient({
  chain: hardhat,
  transport: http(chain.rpcUrl, {
    batch: { batchSize: 100, wait: 0 },
    retryCount: 3,
    maxResponseBodySize: 256 * 1024 * 1024,
  }),
}) as PublicClient;
const tmp = await mkdtemp(path.join(os.tmpdir(), "coop-bench-"));
const result: Record<string, unknown> = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadAverage: os.loadavg() },
  settings: { chunkSize: CHUNK_SIZE, pollIntervalMs: POLL_INTERVAL_MS, confirmations: 0 },
};
try {
  console.log(`Building a history of ${BLOCKS * TXS_PER_BLOCK * EVENTS_PER_TX} events…`);
  const history = await buildHistory(chain, call);
  result.history = {
    blocks: BLOCKS,
    transactions: BLOCKS * TXS_PER_BLOCK,
    events: BLOCKS * TXS_PER_BLOCK * EVENTS_PER_TX,
    seconds: Number(history.seconds.toFixed(1)),
  };
  console.log(`  built in ${history.seconds.toFixed(1)} s`);

  const stores: {
    name: "pglite" | "postgres";
    open: () => Promise<Db>;
    cleanup?: () => Promise<void>;
  }[] = [{ name: "pglite", open: () => openDb({ dataDir: path.join(tmp, "pglite") }) }];
  const url = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) {
    const schema = `bench_${randomBytes(5).toString("hex")}`;
    stores.push({
      name: "postgres",
      open: () => openDb({ databaseUrl: url, schema }),
      cleanup: async () => {
        const db = await openDb({ databaseUrl: url });
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await db.close();
      },
    });
  } else {
    console.log("No DATABASE_URL / TEST_DATABASE_URL: the Postgres server run is skipped.");
  }

  const backfills: Record<string, unknown> = {};
  const lags: Record<string, unknown> = {};
  // All backfills index the same history; the lag runs add blocks afterwards.
  const opened: { name: "pglite" | "postgres"; db: Db; cleanup?: () => Promise<void> }[] = [];
  try {
    for (const store of stores) {
      const db = await store.open();
      opened.push({ name: store.name, db, cleanup: store.cleanup });
      console.log(`Backfill into ${store.name}…`);
      const run = await backfill(db, client, chain);
      const eventsPerSecond = Math.round(run.events / run.seconds);
      const target = TARGETS[store.name];
      backfills[store.name] = {
        events: run.events,
        blocks: run.blocks,
        seconds: Number(run.seconds.toFixed(2)),
        eventsPerSecond,
        target,
        met: eventsPerSecond >= target,
      };
      console.log(
        `  ${run.events} events in ${run.seconds.toFixed(2)} s: ${eventsPerSecond} events/s (target ${target})`,
      );
    }
    for (const { name, db } of opened) {
      console.log(`Follow lag on ${name}…`);
      const lag = await followLag(db, client, chain, call, history.batcher, history.data);
      lags[name] = { ...lag, targetP99Ms: TARGETS.lagP99Ms, met: lag.p99Ms <= TARGETS.lagP99Ms };
      console.log(`  p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms`);
    }
  } finally {
    for (const { db, cleanup } of opened) {
      await db.close();
      await cleanup?.();
    }
  }
  result.backfill = backfills;
  result.followLag = lags;

  const outDir = path.join(import.meta.dirname, "results");
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, "indexer.json"), JSON.stringify(result, null, 2) + "\n");

  const yes = (met: boolean) => (met ? "yes" : "**no**");
  const fmt = (n: number) => n.toLocaleString("en");
  const h = result.history as { events: number; blocks: number; transactions: number };
  const lines = [
    `History: ${fmt(h.events)} events of the co-op's contracts in ${fmt(h.blocks)} blocks (${fmt(h.transactions)} transactions) on a local Hardhat node; chunks of ${fmt(CHUNK_SIZE)} blocks; ${os.cpus().length} CPU cores.`,
    "",
    "| Store | Backfill events | Seconds | Events/s | Target | Met |",
    "| ----- | --------------: | ------: | -------: | -----: | --- |",
    ...Object.entries(backfills).map(([name, b]) => {
      const r = b as {
        events: number;
        seconds: number;
        eventsPerSecond: number;
        target: number;
        met: boolean;
      };
      return `| ${name} | ${fmt(r.events)} | ${r.seconds} | ${fmt(r.eventsPerSecond)} | ≥ ${fmt(r.target)} | ${yes(r.met)} |`;
    }),
    "",
    `| Store | Follow lag p50 | p99 | max | Target p99 | Met |`,
    "| ----- | -------------: | --: | --: | ---------: | --- |",
    ...Object.entries(lags).map(([name, l]) => {
      const r = l as { p50Ms: number; p99Ms: number; maxMs: number; met: boolean };
      return `| ${name} | ${r.p50Ms} ms | ${r.p99Ms} ms | ${r.maxMs} ms | ≤ ${TARGETS.lagP99Ms} ms | ${yes(r.met)} |`;
    }),
    "",
    `Lag: from a block of ${EVENTS_PER_TX} events being mined to its events being committed (queryable), ${LAG_SAMPLES} blocks, polling every ${POLL_INTERVAL_MS} ms, 0 confirmations. Raw numbers: [bench/results/indexer.json](bench/results/indexer.json).`,
  ];
  await updateReadmeSection("indexer", lines.join("\n"));
  console.log(lines.join("\n"));
} finally {
  await chain.stop();
  await rm(tmp, { recursive: true, force: true });
}
