/**
 * Keeps a local Hardhat node's history across restarts. The node holds its state in memory only, so the
 * journal records every block — its time and its transactions, each re-serialised from the node's own
 * answer with its signature (so no key is needed and the hash is unchanged) — and a later start replays
 * them in the same blocks at the same times. The replayed chain has the same block hashes, so the
 * indexer's store and the gateway's data carry on as if the chain had never stopped.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import {
  createPublicClient,
  http,
  keccak256,
  serializeTransaction,
  type Hex,
  type Transaction,
  type TransactionSerializable,
} from "viem";

export interface JournalBlock {
  number: number;
  timestamp: number;
  hash: Hex;
  transactions: Hex[];
}

export interface Journal {
  chainId: number;
  /** Block 0's time: the replaying node must start from the same genesis. */
  genesisTime: number;
  blocks: JournalBlock[];
}

function rawTransaction(tx: Transaction): Hex {
  const base = {
    chainId: tx.chainId ?? 31337,
    nonce: tx.nonce,
    gas: tx.gas,
    to: tx.to ?? undefined,
    value: tx.value,
    data: tx.input,
  };
  let serializable: TransactionSerializable;
  if (tx.type === "eip1559")
    serializable = {
      ...base,
      type: "eip1559",
      maxFeePerGas: tx.maxFeePerGas,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas,
      accessList: tx.accessList,
    };
  else if (tx.type === "eip2930")
    serializable = { ...base, type: "eip2930", gasPrice: tx.gasPrice, accessList: tx.accessList };
  else if (tx.type === "legacy") serializable = { ...base, type: "legacy", gasPrice: tx.gasPrice };
  else throw new Error(`transaction ${tx.hash} has a type (${tx.type}) the journal does not keep`);
  const raw = serializeTransaction(serializable, {
    r: tx.r,
    s: tx.s,
    ...(tx.type === "legacy" ? { v: tx.v } : { yParity: tx.yParity }),
  });
  if (keccak256(raw) !== tx.hash)
    throw new Error(`transaction ${tx.hash} does not re-serialise to its hash`);
  return raw;
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/** Adds the blocks after the journal's last one; returns how many were added. */
export async function extendJournal(rpcUrl: string, journal: Journal): Promise<number> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 2 }) });
  const latest = Number(await client.getBlockNumber());
  let added = 0;
  for (let n = (journal.blocks.at(-1)?.number ?? 0) + 1; n <= latest; n++) {
    const block = await client.getBlock({ blockNumber: BigInt(n), includeTransactions: true });
    journal.blocks.push({
      number: n,
      timestamp: Number(block.timestamp),
      hash: block.hash,
      transactions: block.transactions.map(rawTransaction),
    });
    added++;
  }
  return added;
}

export async function loadJournal(file: string): Promise<Journal | undefined> {
  return readFile(file, "utf8").then(
    (text) => JSON.parse(text) as Journal,
    () => undefined,
  );
}

export async function saveJournal(file: string, journal: Journal): Promise<void> {
  await writeFile(`${file}.tmp`, JSON.stringify(journal));
  await rename(`${file}.tmp`, file);
}

/**
 * Replays the journal on a fresh node (automining off while it works). Throws if a replayed block's hash
 * differs from the recorded one: the history could not be restored exactly.
 */
export async function replayJournal(
  rpcUrl: string,
  journal: Journal,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<void> {
  if (Number(await rpc<string>(rpcUrl, "eth_blockNumber")) !== 0)
    throw new Error("the node already has blocks; replay needs a fresh node");
  await rpc(rpcUrl, "evm_setAutomine", [false]);
  try {
    for (const [i, block] of journal.blocks.entries()) {
      for (const raw of block.transactions) await rpc(rpcUrl, "eth_sendRawTransaction", [raw]);
      await rpc(rpcUrl, "evm_mine", [block.timestamp]);
      const mined = await rpc<{ hash: Hex }>(rpcUrl, "eth_getBlockByNumber", [
        `0x${block.number.toString(16)}`,
        false,
      ]);
      if (mined.hash !== block.hash)
        throw new Error(
          `block ${block.number} replayed with hash ${mined.hash}, not ${block.hash}`,
        );
      if (i % 20 === 0 || i === journal.blocks.length - 1) progress(i + 1, journal.blocks.length);
    }
  } finally {
    await rpc(rpcUrl, "evm_setAutomine", [true]);
  }
}
