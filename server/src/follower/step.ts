/**
 * One step of the follower: index the next chunk after the checkpoint (read the headers and logs, check the node's
 * answers agree, decode, commit in one transaction), or check the indexed tip is still canonical, rolling back to
 * the common ancestor after a reorg.
 */
import type { Hex, Log } from "viem";
import { insertRows } from "../store/rows.ts";
import {
  getHeader,
  getHeaders,
  getLogs,
  windowOf,
  writeBlocks,
  writeCheckpoint,
  type FollowerContext,
  type Header,
} from "./blocks.ts";
import { FollowerError } from "./errors.ts";
import type { Checkpoint } from "./follower.ts";
import type { ChainLog, RowInsert } from "./types.ts";

export type StepResult = "advanced" | "idle" | "reorg" | "retry";

const jsonReplacer = (_key: string, value: unknown) =>
  typeof value === "bigint" ? value.toString() : value;

/** A chunk read from the node: its range, its logs in chain order and the headers it needs. */
interface Chunk {
  from: bigint;
  to: bigint;
  logs: Log[];
  headers: Map<bigint, Header>;
  /** Milliseconds spent on the logs and on the headers. */
  ms: { logs: number; headers: number };
}

/** Indexes the next chunk after the checkpoint, or checks the checkpoint is still canonical. */
export async function step(ctx: FollowerContext): Promise<StepResult> {
  const { client, status, confirmations, startBlock } = ctx;
  const checkpoint = status.checkpoint!;
  const head = await client.getBlockNumber({ cacheTime: 0 });
  status.head = head;
  const target = head - confirmations;

  if (target <= checkpoint.number) {
    // Nothing new: make sure the indexed tip is still on the node's chain.
    if (checkpoint.number >= startBlock) {
      const tip = head >= checkpoint.number ? await getHeader(client, checkpoint.number) : null;
      if (!tip || tip.hash !== checkpoint.hash) {
        await rollBack(ctx, checkpoint, head);
        return "reorg";
      }
    }
    return "idle";
  }

  const chunk = await readChunk(ctx, checkpoint, target);
  if (chunk === "reorg") {
    await rollBack(ctx, checkpoint, head);
    return "reorg";
  }
  if (chunk === "retry") return "retry";
  await commitChunk(ctx, chunk, head, target);
  return "advanced";
}

/**
 * Reads the chunk after `checkpoint` up to at most `target`: "reorg" when its first block does not extend the
 * checkpoint, "retry" when the node's answers disagree with each other (the chain moved while we read it).
 */
async function readChunk(
  ctx: FollowerContext,
  checkpoint: Checkpoint,
  target: bigint,
): Promise<Chunk | "reorg" | "retry"> {
  const { maxReorgDepth } = ctx;
  const from = checkpoint.number + 1n;
  let to = from + ctx.span - 1n;
  if (to > target) to = target;
  // The reorg window: every header of the last maxReorgDepth + 1 blocks up to the chunk's end (the
  // blocks before `from` are already stored). Fetched before the logs, so that a reorg in between
  // shows as a log whose block hash differs from the header's.
  const headers = new Map<bigint, Header>();
  await getHeaders(ctx, [from, ...windowOf(maxReorgDepth, from, to)], headers);

  const first = headers.get(from)!;
  if (checkpoint.number >= 0n && first.parentHash !== checkpoint.hash) return "reorg";

  const t0 = performance.now();
  const fetched = await getLogs(ctx, from, to);
  const t1 = performance.now();
  to = fetched.to;
  const logs = fetched.logs;
  const dense = windowOf(maxReorgDepth, from, to);
  await getHeaders(ctx, [...dense, ...logs.map((l) => l.blockNumber!)], headers);

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
  return { from, to, logs, headers, ms: { logs: t1 - t0, headers: t2 - t1 } };
}

/** The chunk's raw events and the domain's rows, in chain order. */
function decodeChunk(
  ctx: FollowerContext,
  chunk: Chunk,
): { events: RowInsert[]; rows: RowInsert[] } {
  const { chainId, decoder, domain } = ctx;
  const events: RowInsert[] = [];
  const rows: RowInsert[] = [];
  for (const raw of chunk.logs) {
    const decoded: ChainLog | undefined = decoder.decode(
      raw,
      chunk.headers.get(raw.blockNumber!)!.timestamp,
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
  return { events, rows };
}

/**
 * Commits a chunk in ONE transaction (raw events, the domain's rows, the headers of the reorg window and the
 * checkpoint), then adapts the span and reports the commit.
 */
async function commitChunk(
  ctx: FollowerContext,
  chunk: Chunk,
  head: bigint,
  target: bigint,
): Promise<void> {
  const { db, chainId, maxReorgDepth, chunkSize, maxLogs, status, log, startBlock } = ctx;
  const { from, to, logs, headers } = chunk;
  const t2 = performance.now();
  const { events, rows } = decodeChunk(ctx, chunk);

  const t3 = performance.now();
  const keep = [...headers.values()].filter((h) => h.number <= to);
  const tip = headers.get(to)!;
  const next: Checkpoint = { number: to, hash: tip.hash };
  await db.transaction(async (tx) => {
    await ctx.fence?.(tx);
    await insertRows(tx, events);
    await insertRows(tx, rows);
    await writeBlocks(tx, chainId, keep);
    await tx.query("DELETE FROM blocks WHERE chain_id = $1 AND number < $2", [
      chainId,
      (to - maxReorgDepth).toString(),
    ]);
    await writeCheckpoint(tx, chainId, next);
  });
  status.checkpoint = next;
  status.caughtUp = to >= target;
  // The next span aims at about maxLogs logs per call (node limits, response size, memory).
  const fit = logs.length > 0 ? ((to - from + 1n) * maxLogs) / BigInt(logs.length) : ctx.span * 2n;
  ctx.span = fit < 1n ? 1n : fit > chunkSize ? chunkSize : fit;
  const t4 = performance.now();
  log.debug(
    {
      from,
      to,
      events: events.length,
      rows: rows.length,
      head,
      ms: {
        logs: chunk.ms.logs | 0,
        headers: chunk.ms.headers | 0,
        decode: (t3 - t2) | 0,
        commit: (t4 - t3) | 0,
      },
    },
    "chunk committed",
  );
  ctx.progress?.committed({
    startBlock,
    checkpoint: to,
    target,
    events: events.length,
  });
  ctx.onCommit?.({ from, to, hash: tip.hash, events: events.length, head });
}

/** Finds the common ancestor in the stored headers and deletes everything above it. */
async function rollBack(ctx: FollowerContext, checkpoint: Checkpoint, head: bigint): Promise<void> {
  const { db, chainId, maxReorgDepth, startBlock, domain, status, log } = ctx;
  const { rows } = await db.query<{ number: string; hash: Hex }>(
    "SELECT number, hash FROM blocks WHERE chain_id = $1 ORDER BY number DESC",
    [chainId],
  );
  const stored = rows
    .map((r) => ({ number: BigInt(r.number), hash: r.hash }))
    .filter((b) => b.number <= head && checkpoint.number - b.number <= maxReorgDepth);
  const onChain = new Map<bigint, Header>();
  await getHeaders(
    ctx,
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
  await getHeaders(ctx, missing, refill);
  for (const header of refill.values()) {
    const child = refill.get(header.number + 1n) ?? onChain.get(header.number + 1n);
    if (child && child.parentHash !== header.hash)
      throw new Error("The chain moved during a rollback");
  }
  await db.transaction(async (tx) => {
    await ctx.fence?.(tx);
    await writeBlocks(tx, chainId, [...refill.values()]);
    for (const table of domain.tables) {
      await tx.query(`DELETE FROM ${table} WHERE block_number > $1`, [above]);
    }
    await tx.query("DELETE FROM events WHERE chain_id = $1 AND block_number > $2", [
      chainId,
      above,
    ]);
    await tx.query("DELETE FROM blocks WHERE chain_id = $1 AND number > $2", [chainId, above]);
    await writeCheckpoint(tx, chainId, { number: ancestor.number, hash: ancestor.hash });
  });
  status.checkpoint = { number: ancestor.number, hash: ancestor.hash };
  log.warn(
    { depth: Number(depth), ancestor: ancestor.number, previousTip: checkpoint.number, head },
    "reorg: rolled back to the common ancestor",
  );
}
