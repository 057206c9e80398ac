/**
 * Reads the access log's anchors from the chain: the AccessLogAnchor contract's `Anchored` events, in batch
 * order, checked for completeness against the contract's own `latest()` at the same block. This is what the
 * auditor and the dApp verify the gateway's proofs against; it needs nothing but an RPC endpoint and the
 * contract's address.
 */
import type { Address, Hex, PublicClient } from "viem";
import { accessLogAbi } from "../abis.generated.ts";
import type { Anchor } from "./batches.ts";

/** An anchor with where it was posted. */
export interface ChainAnchor extends Anchor {
  /** Batch number, from 1. */
  batch: number;
  /** Block time of the anchoring transaction (seconds). */
  timestamp: number;
  blockNumber: bigint;
  transactionHash: Hex;
}

export type AnchorReadErrorCode = "ANCHORS_INCOMPLETE" | "SIZE_TOO_LARGE";

export class AnchorReadError extends Error {
  readonly code: AnchorReadErrorCode;

  constructor(code: AnchorReadErrorCode, message: string) {
    super(message);
    this.name = "AnchorReadError";
    this.code = code;
  }
}

export interface ReadAnchorsOptions {
  /** The contract's deployment block (the deployment file's `startBlock`): every batch is after it. */
  fromBlock?: bigint;
  /** Read up to this block (default: the latest block when called). */
  toBlock?: bigint;
  /** Blocks per `eth_getLogs` request, for providers that limit the range. */
  chunk?: bigint;
}

function toSize(size: bigint, batch: number): number {
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AnchorReadError("SIZE_TOO_LARGE", `Batch ${batch} has a size of ${size} entries.`);
  }
  return Number(size);
}

/**
 * Every anchor up to `toBlock`, in batch order. Throws `ANCHORS_INCOMPLETE` when the events do not run
 * 1, 2, … up to the batch count that `latest()` reports at `toBlock` (a range starting after the first
 * batch, or a node that dropped logs), so an auditor never checks a log against half its anchors.
 */
export async function readAnchors(
  client: PublicClient,
  address: Address,
  { fromBlock = 0n, toBlock, chunk = 10_000n }: ReadAnchorsOptions = {},
): Promise<ChainAnchor[]> {
  const end = toBlock ?? (await client.getBlockNumber({ cacheTime: 0 }));
  const anchors: ChainAnchor[] = [];
  for (let from = fromBlock; from <= end; from += chunk) {
    const to = from + chunk - 1n < end ? from + chunk - 1n : end;
    const events = await client.getContractEvents({
      address,
      abi: accessLogAbi,
      eventName: "Anchored",
      fromBlock: from,
      toBlock: to,
      strict: true,
    });
    for (const event of events) {
      const batch = Number(event.args.index);
      anchors.push({
        batch,
        root: event.args.root,
        size: toSize(event.args.size, batch),
        previousRoot: event.args.previousRoot,
        timestamp: Number(event.args.timestamp),
        blockNumber: event.blockNumber,
        transactionHash: event.transactionHash,
      });
    }
  }
  anchors.sort((x, y) => x.batch - y.batch);

  const [root, size, count] = await client.readContract({
    address,
    abi: accessLogAbi,
    functionName: "latest",
    blockNumber: end,
  });
  const contiguous = anchors.every((anchor, n) => anchor.batch === n + 1);
  const last = anchors.at(-1);
  const matchesLatest =
    BigInt(anchors.length) === count &&
    (last === undefined || (last.root === root && BigInt(last.size) === size));
  if (!contiguous || !matchesLatest) {
    throw new AnchorReadError(
      "ANCHORS_INCOMPLETE",
      `Read ${anchors.length} Anchored events up to block ${end}, but the contract reports ${count} ` +
        `batches there; read from the contract's deployment block.`,
    );
  }
  return anchors;
}
