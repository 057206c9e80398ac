/**
 * The follower's reads of the chain and its block bookkeeping in the store: block headers (fetched concurrently),
 * one eth_getLogs for all contracts with a span that adapts to what the node accepts, the stored headers of the
 * reorg window and the checkpoint. Every function takes the follower's explicit context (follower.ts builds it).
 */
import { toHex, type Address, type Hex, type Log, type PublicClient } from "viem";
import type { Logger } from "../log.ts";
import type { Db, Queryable } from "../store/db.ts";
import { insertRows } from "../store/rows.ts";
import type { logDecoder } from "./decode.ts";
import { FollowerError } from "./errors.ts";
import type { Checkpoint, Commit, FollowerStatus, ProgressListener } from "./follower.ts";
import type { Domain } from "./types.ts";

export interface Header {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
}

/** What the follower's steps read and share: settings fixed at creation, its status, and the current span. */
export interface FollowerContext {
  db: Db;
  client: PublicClient;
  domain: Domain;
  chainId: number;
  startBlock: bigint;
  confirmations: bigint;
  maxReorgDepth: bigint;
  chunkSize: bigint;
  /** About how many logs one eth_getLogs call should return. */
  maxLogs: bigint;
  /** Concurrent header requests. */
  concurrency: number;
  decoder: ReturnType<typeof logDecoder>;
  addresses: Address[];
  log: Logger;
  progress?: ProgressListener;
  onCommit?: (commit: Commit) => void;
  fence?: (tx: Queryable) => Promise<void>;
  status: FollowerStatus;
  /** The current getLogs span; halved when the node refuses a range, grown back after successes. */
  span: bigint;
}

/** The header of block `number`, or null when the node has no such block (yet). */
export async function getHeader(client: PublicClient, number: bigint): Promise<Header | null> {
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
export async function getHeaders(
  ctx: FollowerContext,
  numbers: Iterable<bigint>,
  into: Map<bigint, Header>,
): Promise<void> {
  const { client, concurrency } = ctx;
  const wanted = [...new Set(numbers)].filter((n) => !into.has(n));
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const number = wanted[next++];
      const header = await getHeader(client, number);
      if (!header) throw new Error(`The node has no block ${number} (yet)`);
      into.set(number, header);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, wanted.length) }, worker));
}

/** One eth_getLogs for all contracts; halves the range while the node refuses it. */
export async function getLogs(
  ctx: FollowerContext,
  from: bigint,
  to: bigint,
): Promise<{ to: bigint; logs: Log[] }> {
  const { client, addresses, log } = ctx;
  for (;;) {
    try {
      const logs = await client.getLogs({ address: addresses, fromBlock: from, toBlock: to });
      return { to, logs };
    } catch (error) {
      if (to === from) throw error;
      const half = (to - from + 1n) / 2n;
      ctx.span = half > 0n ? half : 1n;
      to = from + ctx.span - 1n;
      log.warn(
        { err: (error as Error).message, from, to },
        "eth_getLogs refused the range; trying a smaller one",
      );
    }
  }
}

/** The block numbers of the reorg window ending at `to` that lie in [from, to]. */
export function windowOf(maxReorgDepth: bigint, from: bigint, to: bigint): bigint[] {
  const numbers: bigint[] = [];
  for (let n = to - maxReorgDepth > from ? to - maxReorgDepth : from; n <= to; n++) numbers.push(n);
  return numbers;
}

/**
 * The store's checkpoint; on a fresh store, the block before the deployment (stored with its header), after
 * checking the node is on the deployment's chain.
 */
export async function loadCheckpoint(ctx: FollowerContext): Promise<Checkpoint> {
  const { db, client, chainId, startBlock } = ctx;
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
  const base = startBlock > 0n ? await getHeader(client, startBlock - 1n) : null;
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
    await ctx.fence?.(tx);
    if (base) await writeBlocks(tx, chainId, [base]);
    await writeCheckpoint(tx, chainId, checkpoint);
  });
  return checkpoint;
}

/** Stores block headers (the reorg window). */
export async function writeBlocks(
  tx: Queryable,
  chainId: number,
  headers: Header[],
): Promise<void> {
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

/** Moves the checkpoint (in the transaction that wrote what it covers). */
export async function writeCheckpoint(
  tx: Queryable,
  chainId: number,
  checkpoint: Checkpoint,
): Promise<void> {
  await tx.query(
    `INSERT INTO checkpoint (chain_id, block_number, block_hash) VALUES ($1, $2, $3)
     ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash`,
    [chainId, checkpoint.number.toString(), checkpoint.hash],
  );
}
