/**
 * The relayer's one sender: signs and broadcasts accepted relays one at a time with its own nonce count, so
 * transactions never race for a nonce; then watches them into blocks.
 *
 * Each transaction is signed and its hash, nonce and raw bytes are stored before it is broadcast. After a
 * crash, `start()` picks up where it stopped: relays never signed are sent, relays sent but not yet in a
 * block are looked up, broadcast again if the node lost them, and marked failed when another transaction
 * took their nonce.
 */
import {
  keccak256,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import type { Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import { decodeRevertData, describeRevert, revertDataOf, shortMessage } from "./revert.ts";
import { finish, getRelay, markSent, pendingRelays, type RelayRow } from "./store.ts";

export interface SenderOptions {
  db: Db;
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  /** How often pending transactions are checked for a receipt (ms). */
  pollIntervalMs: number;
  log: Logger;
  /** Called when a relay reaches a final state (tests and benchmarks). */
  onFinished?: (id: string) => void;
}

export interface Sender {
  /** Queues an accepted relay for sending; resolves once it was broadcast (or failed to be). */
  send(id: string): Promise<void>;
  /** Resumes after a restart and starts watching. */
  start(): Promise<void>;
  /** Stops watching; waits for the send in progress. */
  stop(): Promise<void>;
  /** Checks pending transactions for receipts now. */
  poll(): Promise<void>;
}

const NONCE_TOO_LOW =
  /nonce too low|nonce has already been used|already known|replacement transaction/i;

export function createSender(options: SenderOptions): Sender {
  const { db, client, account, chainId, log } = options;
  const address: Address = account.address;
  let nextNonce: number | null = null;
  let queue: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let stopped = false;

  function serialized(task: () => Promise<void>): Promise<void> {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  }

  async function broadcast(row: RelayRow): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      nextNonce ??= await client.getTransactionCount({ address, blockTag: "pending" });
      const nonce = nextNonce;
      const raw = await account.signTransaction({
        type: "eip1559",
        chainId,
        nonce,
        to: row.contract as Address,
        data: row.calldata as Hex,
        gas: BigInt(row.gas_limit),
        maxFeePerGas: BigInt(row.max_fee_per_gas),
        maxPriorityFeePerGas: BigInt(row.max_priority_fee_per_gas),
        value: 0n,
      });
      const hash = keccak256(raw);
      // Stored first: whatever happens next, a restart knows this transaction may be out there.
      await markSent(db, row.id, { sender: address, nonce, hash, raw });
      try {
        await client.sendRawTransaction({ serializedTransaction: raw });
        nextNonce = nonce + 1;
        log.info({ relay: row.id, kind: row.kind, tx: hash, nonce }, "relay sent");
        return;
      } catch (error) {
        nextNonce = null; // count again from the node
        const known = await client.getTransaction({ hash }).catch(() => null);
        if (known) {
          // The node has it after all (a lost answer): it is sent.
          log.warn({ relay: row.id, tx: hash }, "relay sent (the node's answer was lost)");
          return;
        }
        const message = shortMessage(error);
        if (attempt === 0 && NONCE_TOO_LOW.test(message)) {
          log.warn({ relay: row.id, nonce, err: message }, "nonce taken elsewhere; counting again");
          continue;
        }
        log.error({ relay: row.id, err: message }, "the node refused the relay's transaction");
        await finish(db, row.id, {
          status: "failed",
          error: { code: "not_sent", message: `The node refused the transaction: ${message}` },
        });
        options.onFinished?.(row.id);
        return;
      }
    }
  }

  async function sendNow(id: string): Promise<void> {
    const row = await getRelay(db, id);
    if (!row || row.status !== "pending" || row.tx_hash) return;
    await broadcast(row);
  }

  async function settle(row: RelayRow, receipt: TransactionReceipt): Promise<void> {
    const base = {
      blockNumber: receipt.blockNumber,
      blockHash: receipt.blockHash,
      gasUsed: receipt.gasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
    };
    if (receipt.status === "success") {
      await finish(db, row.id, { status: "mined", ...base });
      log.info({ relay: row.id, tx: row.tx_hash, block: receipt.blockNumber }, "relay mined");
    } else {
      // Replay the call on the block's final state (it includes whatever made it fail earlier in the
      // block), then on the state before the block, to name the error.
      let revert;
      for (const blockNumber of [receipt.blockNumber, receipt.blockNumber - 1n]) {
        try {
          await client.call({
            account: address,
            to: row.contract as Address,
            data: row.calldata as Hex,
            blockNumber,
          });
        } catch (error) {
          revert = decodeRevertData(revertDataOf(error));
          if (revert) break;
        }
      }
      await finish(db, row.id, {
        status: "failed",
        ...base,
        error: {
          code: "reverted",
          message: revert
            ? `The transaction reverted: ${describeRevert(revert)}`
            : "The transaction reverted.",
          revert,
        },
      });
      log.warn({ relay: row.id, tx: row.tx_hash, error: revert?.name }, "relay reverted");
    }
    options.onFinished?.(row.id);
  }

  async function check(row: RelayRow): Promise<void> {
    const hash = row.tx_hash as Hex;
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => null);
    if (receipt) return settle(row, receipt);
    const known = await client.getTransaction({ hash }).catch(() => null);
    if (known) return; // waiting for a block
    // The node does not know it: lost before it was broadcast, or dropped from the pool.
    const sender = (row.sender ?? address) as Address;
    const mined = await client.getTransactionCount({ address: sender, blockTag: "latest" });
    if (row.tx_nonce !== null && mined > Number(row.tx_nonce)) {
      await finish(db, row.id, {
        status: "failed",
        error: {
          code: "dropped",
          message: "Another transaction of the relayer took this transaction's nonce.",
        },
      });
      log.warn({ relay: row.id, tx: hash }, "relay dropped");
      options.onFinished?.(row.id);
      return;
    }
    await client
      .sendRawTransaction({ serializedTransaction: row.raw_tx as Hex })
      .then(() => log.info({ relay: row.id, tx: hash }, "relay broadcast again"))
      .catch((error) =>
        log.warn({ relay: row.id, tx: hash, err: shortMessage(error) }, "rebroadcast failed"),
      );
  }

  async function pollOnce(): Promise<void> {
    const rows = await pendingRelays(db, chainId);
    for (const row of rows) {
      if (stopped) return;
      if (!row.tx_hash) continue; // queued for sending
      await check(row).catch((error) =>
        log.warn({ relay: row.id, err: shortMessage(error) }, "relay check failed"),
      );
    }
  }

  async function checkOne(id: string): Promise<void> {
    const row = await getRelay(db, id);
    if (row && row.status === "pending" && row.tx_hash) {
      const receipt = await client
        .getTransactionReceipt({ hash: row.tx_hash as Hex })
        .catch(() => null);
      if (receipt) await settle(row, receipt);
    }
  }

  function poll(): Promise<void> {
    // One poll at a time; a caller arriving during one waits for the next.
    const next = (polling ?? Promise.resolve()).then(pollOnce);
    polling = next.catch(() => undefined);
    return next;
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      poll()
        .catch((error) => log.warn({ err: shortMessage(error) }, "relay poll failed"))
        .finally(schedule);
    }, options.pollIntervalMs);
    timer.unref?.();
  }

  return {
    send(id) {
      return serialized(() => sendNow(id)).then(() => {
        // Automining nodes (and fast chains) have the receipt at once.
        void checkOne(id).catch(() => undefined);
      });
    },
    async start() {
      stopped = false;
      const rows = await pendingRelays(db, chainId);
      for (const row of rows) {
        if (row.tx_hash) await check(row);
        else await serialized(() => sendNow(row.id));
      }
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await queue;
      await polling;
    },
    poll,
  };
}
