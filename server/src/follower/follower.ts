/**
 * The follower: backfills the co-op's events from the deployment block, then follows new blocks, safe
 * under reorgs and crashes.
 *
 * - One `eth_getLogs` per chunk for all contracts; block headers only where needed (blocks with logs,
 *   the chunk's ends, and every block of the reorg window), fetched concurrently.
 * - Each chunk commits in ONE transaction: raw events, the domain's rows, block headers and the
 *   checkpoint. A kill at any point leaves the previous chunk's state; the restart resumes from it.
 * - Blocks up to `head - confirmations` are indexed. The headers of the last `maxReorgDepth + 1` indexed
 *   blocks are kept; a reorg shows as a broken parent-hash chain (or a checkpoint hash the node no longer
 *   has), the common ancestor is searched in those headers and everything above it is deleted in one
 *   transaction before the new branch is applied. A deeper reorg stops the follower with an error.
 */
import type { Hex, PublicClient } from "viem";
import type { Deployment } from "@datacoop/protocol/deployment";
import { silentLogger, type Logger } from "../log.ts";
import type { Db, Queryable } from "../store/db.ts";
import { coreMigrations } from "../store/core.ts";
import { StoreError } from "../store/errors.ts";
import { WriterLostError } from "../store/writer.ts";
import { migrate } from "../store/migrate.ts";
import { loadCheckpoint, type FollowerContext } from "./blocks.ts";
import { logDecoder } from "./decode.ts";
import { FollowerError } from "./errors.ts";
import { step, type StepResult } from "./step.ts";
import type { Domain } from "./types.ts";

export interface FollowerOptions {
  db: Db;
  client: PublicClient;
  deployment: Deployment;
  domain: Domain;
  /** Blocks behind the head that are left unindexed (0 on a local chain). */
  confirmations?: number;
  /** The deepest reorg that is rolled back; a deeper one stops the follower. */
  maxReorgDepth?: number;
  /** Most blocks per `eth_getLogs` call during a backfill. */
  chunkSize?: number;
  /** Milliseconds between polls for new blocks once caught up. */
  pollInterval?: number;
  /** About how many logs one eth_getLogs call should return; the block span adapts to it. */
  maxLogsPerChunk?: number;
  /** Concurrent header requests. */
  headerConcurrency?: number;
  logger?: Logger;
  progress?: ProgressListener;
  /** Called after each committed chunk (after the transaction). */
  onCommit?: (commit: Commit) => void;
  /**
   * Called first in every write transaction: throws (and so writes nothing) unless this process is the
   * store's writer (store/writer.ts). Absent: the caller guarantees one writer.
   */
  fence?: (tx: Queryable) => Promise<void>;
}

export interface Commit {
  from: bigint;
  to: bigint;
  hash: Hex;
  events: number;
  head: bigint;
}

export interface ProgressListener {
  /** A chunk was committed; `startBlock` lets the listener show the share of the history done. */
  committed(state: {
    startBlock: bigint;
    checkpoint: bigint;
    target: bigint;
    events: number;
  }): void;
  /** The checkpoint reached the target block. */
  caughtUp(state: { checkpoint: bigint }): void;
  /** The follower stopped (for a progress bar to clean up the terminal). */
  stopped(): void;
}

export interface Checkpoint {
  number: bigint;
  hash: Hex;
}

export type FollowerPhase = "idle" | "backfill" | "following" | "stopped" | "failed";

export interface FollowerStatus {
  phase: FollowerPhase;
  migrated: boolean;
  /** The checkpoint reached the last block the node reported (minus confirmations). */
  caughtUp: boolean;
  checkpoint: Checkpoint | null;
  head: bigint | null;
  /** The error that stopped the follower (phase "failed"). */
  error: { code: string; message: string } | null;
  /**
   * The last attempt failed and is being retried (the node, the store, the writer's lock): since when, how
   * many attempts, and why. Null once an attempt succeeds.
   */
  failing?: { code: FailureCode; message: string; since: string; attempts: number } | null;
  /** When an attempt last succeeded (ms since the epoch), null before the first. */
  lastSuccessAt?: number | null;
}

/** Why an attempt failed: the chain's node, the store, or the writer's role. */
export type FailureCode = "chain_unavailable" | "store_unavailable" | "writer_lost";

export interface Follower {
  /** Migrates the store (core and domain migrations); idempotent. */
  migrate(): Promise<void>;
  /** Indexes until the checkpoint reaches the current head (minus confirmations), then returns. */
  catchUp(): Promise<Checkpoint>;
  /** Backfills, then follows new blocks until `stop()`; rejects on a fatal error (a too deep reorg). */
  run(): Promise<void>;
  /** Stops after the transaction in progress; resolves when the loop has ended. */
  stop(): Promise<void>;
  status(): FollowerStatus;
}

/** What kind of failure an attempt met (FailureCode). */
function failureCode(error: unknown): FailureCode {
  if (error instanceof WriterLostError) return "writer_lost";
  if (error instanceof StoreError) return "store_unavailable";
  return "chain_unavailable";
}

/** An attempt succeeded: the follower is no longer failing. */
function recordSuccess({ status, log }: FollowerContext): void {
  status.lastSuccessAt = Date.now();
  if (status.failing) {
    log.info({ after: status.failing.attempts }, "indexing again");
    status.failing = null;
  }
}

/** An attempt failed for the `failures`-th time in a row: says why in the status; returns how long to wait. */
function recordFailure({ status, log }: FollowerContext, error: unknown, failures: number): number {
  const code = failureCode(error);
  const message = (error as Error).message;
  status.failing = {
    code,
    message,
    since: status.failing?.since ?? new Date().toISOString(),
    attempts: failures,
  };
  // What was read but not committed is read again: the checkpoint is the store's.
  if (code !== "chain_unavailable") status.checkpoint = null;
  const wait = Math.min(30_000, 50 * 2 ** Math.min(failures, 9));
  log.warn({ code, err: message, retryInMs: wait }, "indexing failed; retrying");
  return wait;
}

/** The follower's context from its options, after checking them; its status idle. */
function contextOf(options: FollowerOptions): FollowerContext {
  const { db, client, deployment, domain } = options;
  const confirmations = BigInt(options.confirmations ?? 0);
  const maxReorgDepth = BigInt(options.maxReorgDepth ?? 64);
  const chunkSize = BigInt(options.chunkSize ?? 2_000);

  if (confirmations < 0n || maxReorgDepth < 1n || chunkSize < 1n) {
    throw new FollowerError(
      "invalid_option",
      "confirmations must be >= 0, maxReorgDepth >= 1 and chunkSize >= 1",
    );
  }
  for (const table of domain.tables) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) {
      throw new FollowerError("invalid_option", `Invalid domain table name "${table}"`);
    }
  }

  const decoder = logDecoder(deployment);
  return {
    db,
    client,
    domain,
    chainId: deployment.chainId,
    startBlock: BigInt(deployment.startBlock),
    confirmations,
    maxReorgDepth,
    chunkSize,
    maxLogs: BigInt(options.maxLogsPerChunk ?? 10_000),
    concurrency: options.headerConcurrency ?? 16,
    decoder,
    addresses: decoder.addresses,
    log: options.logger ?? silentLogger,
    progress: options.progress,
    onCommit: options.onCommit,
    fence: options.fence,
    status: {
      phase: "idle",
      migrated: false,
      caughtUp: false,
      checkpoint: null,
      head: null,
      error: null,
      failing: null,
      lastSuccessAt: null,
    },
    span: chunkSize,
  };
}

export function createFollower(options: FollowerOptions): Follower {
  const ctx = contextOf(options);
  const { db, domain, status, log } = ctx;
  const pollInterval = options.pollInterval ?? 1_000;
  let stopping = false;
  let running: Promise<unknown> | null = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function migrateStore(): Promise<void> {
    if (status.migrated) return;
    await migrate(db, [...coreMigrations, ...domain.migrations]);
    status.migrated = true;
  }

  async function loop(untilCaughtUp: boolean): Promise<void> {
    await migrateStore();
    status.phase = "backfill";
    let failures = 0;
    while (!stopping) {
      let result: StepResult;
      try {
        status.checkpoint ??= await loadCheckpoint(ctx);
        result = await step(ctx);
        failures = 0;
        recordSuccess(ctx);
      } catch (error) {
        // Our own bugs are not worth retrying; everything else (node, network, store) may pass.
        if (error instanceof FollowerError || error instanceof TypeError) throw error;
        failures++;
        await sleep(recordFailure(ctx, error, failures));
        continue;
      }
      if (result === "idle") {
        status.caughtUp = true;
        if (status.phase !== "following") {
          status.phase = "following";
          log.info({ block: status.checkpoint.number }, "caught up");
          options.progress?.caughtUp({ checkpoint: status.checkpoint.number });
        }
        if (untilCaughtUp) return;
        await sleep(pollInterval);
      } else if (result === "retry") {
        log.debug("the chain moved while reading a chunk; reading it again");
        await sleep(Math.min(pollInterval, 100));
      }
    }
  }

  function track(untilCaughtUp: boolean): Promise<void> {
    if (running) throw new Error("The follower is already running");
    stopping = false;
    const promise = loop(untilCaughtUp)
      .then(() => {
        if (stopping) status.phase = "stopped";
      })
      .catch((error: unknown) => {
        status.phase = "failed";
        const code = error instanceof FollowerError ? error.code : "internal";
        status.error = { code, message: (error as Error).message };
        throw error;
      })
      .finally(() => {
        running = null;
        if (stopping || status.phase === "failed") options.progress?.stopped();
      });
    running = promise;
    return promise;
  }

  return {
    migrate: migrateStore,
    async catchUp() {
      await track(true);
      return status.checkpoint!;
    },
    run: () => track(false),
    async stop() {
      stopping = true;
      wake?.();
      await running?.catch(() => undefined);
      if (status.phase !== "failed") status.phase = "stopped";
    },
    status: () => ({ ...status }),
  };
}
