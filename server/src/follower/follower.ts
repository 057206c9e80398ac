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
import type { Address, Hex, Log, PublicClient } from "viem";
import { toHex } from "viem";
import type { Deployment } from "@datacoop/protocol/deployment";
import { silentLogger, type Logger } from "../log.ts";
import type { Db, Queryable } from "../store/db.ts";
import { coreMigrations } from "../store/core.ts";
import { StoreError } from "../store/errors.ts";
import { WriterLostError } from "../store/writer.ts";
import { migrate } from "../store/migrate.ts";
import { insertRows } from "../store/rows.ts";
import { logDecoder } from "./decode.ts";
import { FollowerError } from "./errors.ts";
import type { ChainLog, Domain, RowInsert } from "./types.ts";

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

interface Header {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

type StepResult = "advanced" | "idle" | "reorg" | "retry";

const jsonReplacer = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

/** What kind of failure an attempt met (FailureCode). */
function failureCode(error: unknown): FailureCode {
  if (error instanceof WriterLostError) return "writer_lost";
  if (error instanceof StoreError) return "store_unavailable";
  return "chain_unavailable";
}

export function createFollower(options: FollowerOptions): Follower {
  const { db, client, deployment, domain } = options;
  const confirmations = BigInt(options.confirmations ?? 0);
  const maxReorgDepth = BigInt(options.maxReorgDepth ?? 64);
  const chunkSize = BigInt(options.chunkSize ?? 2_000);
  const pollInterval = options.pollInterval ?? 1_000;
  const maxLogs = BigInt(options.maxLogsPerChunk ?? 10_000);
  const concurrency = options.headerConcurrency ?? 16;
  const log = options.logger ?? silentLogger;
  const chainId = deployment.chainId;
  const startBlock = BigInt(deployment.startBlock);
  const decoder = logDecoder(deployment);
  const addresses: Address[] = decoder.addresses;

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

  const status: FollowerStatus = {
    phase: "idle",
    migrated: false,
    caughtUp: false,
    checkpoint: null,
    head: null,
    error: null,
    failing: null,
    lastSuccessAt: null,
  };
  let stopping = false;
  let running: Promise<unknown> | null = null;
  let wake: (() => void) | null = null;
  // The current getLogs span; halved when the node refuses a range, grown back after successes.
  let span = chunkSize;

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

  async function getHeader(number: bigint): Promise<Header | null> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names the untyped reply's shape
    const block = (await client.request({
      method: "eth_getBlockByNumber",
      params: [toHex(number), false],
    })) as { number: Hex; hash: Hex; parentHash: Hex; timestamp: Hex } | null;
    if (!block) return null;
    return {
      number: BigInt(block.number),
      hash: block.hash,
      parentHash: block.parentHash,
      timestamp: BigInt(block.timestamp),
    };
  }

  /** Fetches the headers of `numbers` (not already in `into`), `concurrency` at a time. */
  async function getHeaders(numbers: Iterable<bigint>, into: Map<bigint, Header>): Promise<void> {
    const wanted = [...new Set(numbers)].filter((n) => !into.has(n));
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const number = wanted[next++];
        const header = await getHeader(number);
        if (!header) throw new Error(`The node has no block ${number} (yet)`);
        into.set(number, header);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, worker));
  }

  async function loadCheckpoint(): Promise<Checkpoint> {
    const { rows } = await db.query<{ block_number: string; block_hash: Hex }>(
      "SELECT block_number, block_hash FROM checkpoint WHERE chain_id = $1",
      [chainId],
    );
    if (rows.length > 0) {
      const checkpoint = { number: BigInt(rows[0].block_number), hash: rows[0].block_hash };
      if (checkpoint.number < startBlock - 1n) {
        throw new FollowerError(
          "deployment_mismatch",
          `The store's checkpoint (block ${checkpoint.number}) is before the deployment's start block ${startBlock}: it was filled from another deployment. Use a fresh DATA_DIR or database.`,
        );
      }
      return checkpoint;
    }
    const nodeChainId = await client.getChainId();
    if (nodeChainId !== chainId) {
      throw new FollowerError(
        "chain_mismatch",
        `The node's chain id is ${nodeChainId} but the deployment is on chain ${chainId}.`,
      );
    }
    // Nothing indexed yet: the checkpoint is the block before the deployment.
    const base = startBlock > 0n ? await getHeader(startBlock - 1n) : null;
    if (startBlock > 0n && !base) {
      throw new FollowerError(
        "chain_mismatch",
        `The node has no block ${startBlock - 1n}: the deployment's start block ${startBlock} is not on this chain.`,
      );
    }
    const checkpoint: Checkpoint = {
      number: startBlock - 1n,
      hash: base?.hash ?? (("0x" + "0".repeat(64)) as Hex),
    };
    await db.transaction(async (tx) => {
      await options.fence?.(tx);
      if (base) await writeBlocks(tx, [base]);
      await writeCheckpoint(tx, checkpoint);
    });
    return checkpoint;
  }

  async function writeBlocks(tx: Queryable, headers: Header[]): Promise<void> {
    await insertRows(
      tx,
      headers.map((h) => ({
        table: "blocks",
        values: {
          chain_id: chainId,
          number: h.number.toString(),
          hash: h.hash,
          parent_hash: h.parentHash,
          timestamp: h.timestamp.toString(),
        },
      })),
    );
  }

  async function writeCheckpoint(tx: Queryable, checkpoint: Checkpoint): Promise<void> {
    await tx.query(
      `INSERT INTO checkpoint (chain_id, block_number, block_hash) VALUES ($1, $2, $3)
       ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash`,
      [chainId, checkpoint.number.toString(), checkpoint.hash],
    );
  }

  /** One eth_getLogs for all contracts; halves the range while the node refuses it. */
  async function getLogs(from: bigint, to: bigint): Promise<{ to: bigint; logs: Log[] }> {
    for (;;) {
      try {
        const logs = await client.getLogs({ address: addresses, fromBlock: from, toBlock: to });
        return { to, logs };
      } catch (error) {
        if (to === from) throw error;
        const half = (to - from + 1n) / 2n;
        span = half > 0n ? half : 1n;
        to = from + span - 1n;
        log.warn(
          { err: (error as Error).message, from, to },
          "eth_getLogs refused the range; trying a smaller one",
        );
      }
    }
  }

  /** The block numbers of the reorg window ending at `to` that lie in [from, to]. */
  function windowOf(from: bigint, to: bigint): bigint[] {
    const numbers: bigint[] = [];
    for (let n = to - maxReorgDepth > from ? to - maxReorgDepth : from; n <= to; n++)
      numbers.push(n);
    return numbers;
  }

  /** Indexes the next chunk after the checkpoint, or checks the checkpoint is still canonical. */
  async function step(): Promise<StepResult> {
    const checkpoint = status.checkpoint!;
    const head = await client.getBlockNumber({ cacheTime: 0 });
    status.head = head;
    const target = head - confirmations;

    if (target <= checkpoint.number) {
      // Nothing new: make sure the indexed tip is still on the node's chain.
      if (checkpoint.number >= startBlock) {
        const tip = head >= checkpoint.number ? await getHeader(checkpoint.number) : null;
        if (!tip || tip.hash !== checkpoint.hash) {
          await rollBack(checkpoint, head);
          return "reorg";
        }
      }
      return "idle";
    }

    const from = checkpoint.number + 1n;
    let to = from + span - 1n;
    if (to > target) to = target;
    // The reorg window: every header of the last maxReorgDepth + 1 blocks up to the chunk's end (the
    // blocks before `from` are already stored). Fetched before the logs, so that a reorg in between
    // shows as a log whose block hash differs from the header's.
    const headers = new Map<bigint, Header>();
    await getHeaders([from, ...windowOf(from, to)], headers);

    const first = headers.get(from)!;
    if (checkpoint.number >= 0n && first.parentHash !== checkpoint.hash) {
      await rollBack(checkpoint, head);
      return "reorg";
    }

    const t0 = performance.now();
    const fetched = await getLogs(from, to);
    const t1 = performance.now();
    to = fetched.to;
    const logs = fetched.logs;
    const dense = windowOf(from, to);
    await getHeaders([...dense, ...logs.map((l) => l.blockNumber!)], headers);

    // The node's answers must agree with each other, or the chain moved while we read it.
    for (const n of dense) {
      const parent = headers.get(n - 1n);
      if (n !== from && parent && headers.get(n)!.parentHash !== parent.hash) return "retry";
    }
    for (const l of logs) {
      if (l.removed || l.blockNumber === null || l.blockHash === null) return "retry";
      if (headers.get(l.blockNumber)?.hash !== l.blockHash) return "retry";
    }

    const t2 = performance.now();
    logs.sort((a, b) =>
      a.blockNumber === b.blockNumber
        ? a.logIndex! - b.logIndex!
        : a.blockNumber! < b.blockNumber!
          ? -1
          : 1,
    );
    const events: RowInsert[] = [];
    const rows: RowInsert[] = [];
    for (const raw of logs) {
      const decoded: ChainLog | undefined = decoder.decode(
        raw,
        headers.get(raw.blockNumber!)!.timestamp,
      );
      if (!decoded) continue;
      events.push({
        table: "events",
        values: {
          chain_id: chainId,
          block_number: decoded.blockNumber.toString(),
          block_hash: decoded.blockHash,
          block_time: decoded.blockTime.toString(),
          log_index: decoded.logIndex,
          tx_hash: decoded.transactionHash,
          contract: decoded.contract,
          address: decoded.address,
          event_name: decoded.eventName,
          args: JSON.stringify(decoded.args, jsonReplacer),
        },
      });
      for (const row of domain.map(decoded)) rows.push(row);
    }

    const t3 = performance.now();
    const keep = [...headers.values()].filter((h) => h.number <= to);
    const tip = headers.get(to)!;
    const next: Checkpoint = { number: to, hash: tip.hash };
    await db.transaction(async (tx) => {
      await options.fence?.(tx);
      await insertRows(tx, events);
      await insertRows(tx, rows);
      await writeBlocks(tx, keep);
      await tx.query("DELETE FROM blocks WHERE chain_id = $1 AND number < $2", [
        chainId,
        (to - maxReorgDepth).toString(),
      ]);
      await writeCheckpoint(tx, next);
    });
    status.checkpoint = next;
    status.caughtUp = to >= target;
    // The next span aims at about maxLogs logs per call (node limits, response size, memory).
    const fit = logs.length > 0 ? ((to - from + 1n) * maxLogs) / BigInt(logs.length) : span * 2n;
    span = fit < 1n ? 1n : fit > chunkSize ? chunkSize : fit;
    const t4 = performance.now();
    log.debug(
      {
        from,
        to,
        events: events.length,
        rows: rows.length,
        head,
        ms: {
          logs: (t1 - t0) | 0,
          headers: (t2 - t1) | 0,
          decode: (t3 - t2) | 0,
          commit: (t4 - t3) | 0,
        },
      },
      "chunk committed",
    );
    options.progress?.committed({
      startBlock,
      checkpoint: to,
      target,
      events: events.length,
    });
    options.onCommit?.({ from, to, hash: tip.hash, events: events.length, head });
    return "advanced";
  }

  /** Finds the common ancestor in the stored headers and deletes everything above it. */
  async function rollBack(checkpoint: Checkpoint, head: bigint): Promise<void> {
    const { rows } = await db.query<{ number: string; hash: Hex }>(
      "SELECT number, hash FROM blocks WHERE chain_id = $1 ORDER BY number DESC",
      [chainId],
    );
    const stored = rows
      .map((r) => ({ number: BigInt(r.number), hash: r.hash }))
      .filter((b) => b.number <= head && checkpoint.number - b.number <= maxReorgDepth);
    const onChain = new Map<bigint, Header>();
    await getHeaders(
      stored.map((b) => b.number),
      onChain,
    );
    const ancestor = stored.find((b) => onChain.get(b.number)?.hash === b.hash);
    if (!ancestor) {
      throw new FollowerError(
        "reorg_too_deep",
        `Reorg deeper than MAX_REORG_DEPTH (${maxReorgDepth}): none of the blocks ${checkpoint.number - maxReorgDepth}..${checkpoint.number} indexed here is on the node's chain any more (the node's head is ${head}). Stopping instead of following a wrong branch; reindex into a fresh store or raise MAX_REORG_DEPTH.`,
      );
    }
    const depth = checkpoint.number - ancestor.number;
    const above = ancestor.number.toString();
    // Keep the window full below the ancestor: headers pruned while the abandoned branch was longer.
    const lowest =
      ancestor.number - maxReorgDepth > startBlock - 1n
        ? ancestor.number - maxReorgDepth
        : startBlock - 1n;
    const have = new Set(rows.map((r) => BigInt(r.number)));
    const refill = new Map<bigint, Header>();
    const missing: bigint[] = [];
    for (let n = lowest; n < ancestor.number; n++) if (n >= 0n && !have.has(n)) missing.push(n);
    await getHeaders(missing, refill);
    for (const header of refill.values()) {
      const child = refill.get(header.number + 1n) ?? onChain.get(header.number + 1n);
      if (child && child.parentHash !== header.hash)
        throw new Error("The chain moved during a rollback");
    }
    await db.transaction(async (tx) => {
      await options.fence?.(tx);
      await writeBlocks(tx, [...refill.values()]);
      for (const table of domain.tables) {
        await tx.query(`DELETE FROM ${table} WHERE block_number > $1`, [above]);
      }
      await tx.query("DELETE FROM events WHERE chain_id = $1 AND block_number > $2", [
        chainId,
        above,
      ]);
      await tx.query("DELETE FROM blocks WHERE chain_id = $1 AND number > $2", [chainId, above]);
      await writeCheckpoint(tx, { number: ancestor.number, hash: ancestor.hash });
    });
    status.checkpoint = { number: ancestor.number, hash: ancestor.hash };
    log.warn(
      { depth: Number(depth), ancestor: ancestor.number, previousTip: checkpoint.number, head },
      "reorg: rolled back to the common ancestor",
    );
  }

  async function loop(untilCaughtUp: boolean): Promise<void> {
    await migrateStore();
    status.phase = "backfill";
    let failures = 0;
    while (!stopping) {
      let result: StepResult;
      try {
        status.checkpoint ??= await loadCheckpoint();
        result = await step();
        failures = 0;
        status.lastSuccessAt = Date.now();
        if (status.failing) {
          log.info({ after: status.failing.attempts }, "indexing again");
          status.failing = null;
        }
      } catch (error) {
        // Our own bugs are not worth retrying; everything else (node, network, store) may pass.
        if (error instanceof FollowerError || error instanceof TypeError) throw error;
        failures++;
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
        await sleep(wait);
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
