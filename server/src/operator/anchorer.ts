/**
 * The operator's anchoring loop: posts `(root, size, previousRoot)` of the access log's Merkle tree to the
 * AccessLogAnchor contract whenever ANCHOR_EVERY entries wait to be anchored, and every ANCHOR_INTERVAL_MS
 * when any do.
 *
 * What is due is decided afresh on every tick from two facts only — the log's size (the tree) and the
 * contract's `latest()` at the chain's head — so nothing the process remembers can go stale:
 * - a crash between deciding and sending, or before the receipt, loses nothing: the next tick anchors every
 *   entry up to the log's size (an anchor still in the mempool is waited for, never raced);
 * - an anchor lost to a reorg (recorded as mined, no longer in `latest()`) is posted again at once, with the
 *   same size and root, before anything new;
 * - a chain that holds a root the log does not reproduce (the log was changed after anchoring) stops the
 *   loop from anchoring anything on top of it, loudly.
 */
import type { Address, Hex, PublicClient, WalletClient, Account, Transport, Chain } from "viem";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { silentLogger, type Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import type { LogTree } from "./logTree.ts";
import { NO_PREVIOUS_ROOT, sameHash } from "@datacoop/protocol/accessLog/verify";

export type OperatorWallet = WalletClient<Transport, Chain | undefined, Account>;

export interface AnchorerOptions {
  db: Db;
  tree: LogTree;
  client: PublicClient;
  wallet: OperatorWallet;
  /** The AccessLogAnchor contract. */
  address: Address;
  /** Anchor at least this often while entries wait (ms). */
  intervalMs: number;
  /** Anchor as soon as this many entries wait. */
  every: number;
  /** How often the loop looks (ms; default min(intervalMs, 1000)). */
  pollMs?: number;
  /** How long to wait for a receipt before looking again on the next tick (ms; default 120 s). */
  receiptTimeoutMs?: number;
  logger?: Logger;
  /** Called after a decision is recorded and before its transaction is sent (tests interrupt here). */
  beforeSend?: (decision: AnchorDecision) => Promise<void> | void;
  /** Milliseconds clock (injectable for tests). */
  now?: () => number;
  /** Why nothing may be sent now (not the store's writer, an unverified log); undefined: go ahead. */
  canSend?: () => string | undefined;
}

export interface AnchorDecision {
  size: number;
  root: Hex;
  previousRoot: Hex;
  reason: "every" | "interval" | "repost";
}

export type TickResult =
  | { action: "anchored"; decision: AnchorDecision; txHash: Hex; blockNumber: bigint }
  | { action: "idle"; size: number; anchored: number }
  | {
      action: "waiting";
      reason: "in_flight" | "not_operator" | "receipt_timeout" | "not_writer" | "log_unverified";
    }
  | { action: "reverted"; decision: AnchorDecision; txHash: Hex }
  | { action: "diverged"; message: string };

export interface Anchorer {
  /** One look: anchors what is due. */
  tick(): Promise<TickResult>;
  /** Runs `tick` every `pollMs` until `stop`. */
  start(): void;
  stop(): Promise<void>;
}

export function createAnchorer(options: AnchorerOptions): Anchorer {
  const { db, tree, client, wallet, address } = options;
  const log = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? Math.min(options.intervalMs, 1000);
  const operator = wallet.account.address;
  // A process that has not anchored yet anchors what waits at once (e.g. after a crash).
  let lastAnchorAt = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;
  let warnedNotOperator = false;

  async function record(decision: AnchorDecision): Promise<number> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO audit_anchor_posts (size, root, previous_root, status, reason)
       VALUES ($1, $2, $3, 'decided', $4) RETURNING id`,
      [decision.size, decision.root, decision.previousRoot, decision.reason],
    );
    return Number(rows[0].id);
  }

  async function update(id: number, fields: Record<string, unknown>): Promise<void> {
    const names = Object.keys(fields);
    await db.query(
      `UPDATE audit_anchor_posts SET ${names.map((n, i) => `${n} = $${i + 2}`).join(", ")} WHERE id = $1`,
      [id, ...names.map((n) => fields[n])],
    );
  }

  async function tick(): Promise<TickResult> {
    const blocked = options.canSend?.();
    if (blocked) {
      return {
        action: "waiting",
        reason: blocked === "not_writer" ? "not_writer" : "log_unverified",
      };
    }
    const size = await tree.sync(db);
    const head = await client.getBlockNumber({ cacheTime: 0 });
    const [[chainRoot, chainSizeBig], onChainOperator, pendingNonce, minedNonce] =
      await Promise.all([
        client.readContract({
          address,
          abi: accessLogAbi,
          functionName: "latest",
          blockNumber: head,
        }),
        client.readContract({
          address,
          abi: accessLogAbi,
          functionName: "operator",
          blockNumber: head,
        }),
        client.getTransactionCount({ address: operator, blockTag: "pending" }),
        client.getTransactionCount({ address: operator, blockNumber: head }),
      ]);
    const chainSize = Number(chainSizeBig);

    if (chainSize > size || (chainSize > 0 && !sameHash(tree.root(chainSize), chainRoot))) {
      const message =
        chainSize > size
          ? `The chain anchors ${chainSize} entries but the access log holds ${size}.`
          : `The access log's first ${chainSize} entries do not hash to the anchored root ${chainRoot}.`;
      log.error({ event: "anchor_diverged", chainSize, size }, message);
      return { action: "diverged", message };
    }
    if (onChainOperator.toLowerCase() !== operator.toLowerCase()) {
      if (!warnedNotOperator) {
        log.warn(
          { event: "anchor_not_operator", key: operator, operator: onChainOperator },
          "The configured key is not the anchor contract's operator: not anchoring.",
        );
        warnedNotOperator = true;
      }
      return { action: "waiting", reason: "not_operator" };
    }
    warnedNotOperator = false;
    if (pendingNonce > minedNonce) return { action: "waiting", reason: "in_flight" };

    // Mined anchors the chain no longer holds: a reorg took them.
    const { rows: lostRows } = await db.query<{ size: string }>(
      `UPDATE audit_anchor_posts SET status = 'lost'
       WHERE status = 'mined' AND size > $1 RETURNING size`,
      [chainSize],
    );
    const lost = Math.max(0, ...lostRows.map((r) => Number(r.size)));
    if (lost > 0)
      log.warn({ event: "anchor_lost", size: lost, chainSize }, "anchor lost to a reorg");
    if (lost > size) {
      const message = `An anchor of ${lost} entries was lost to a reorg, but the access log holds ${size}.`;
      log.error({ event: "anchor_diverged", lost, size }, message);
      return { action: "diverged", message };
    }

    const waiting = size - chainSize;
    let decision: AnchorDecision | null = null;
    const previousRoot = chainSize === 0 ? NO_PREVIOUS_ROOT : chainRoot;
    if (lost > 0) {
      decision = { size: lost, root: tree.root(lost), previousRoot, reason: "repost" };
    } else if (waiting >= options.every) {
      decision = { size, root: tree.root(size), previousRoot, reason: "every" };
    } else if (waiting > 0 && now() - lastAnchorAt >= options.intervalMs) {
      decision = { size, root: tree.root(size), previousRoot, reason: "interval" };
    }
    if (!decision) return { action: "idle", size, anchored: chainSize };

    const id = await record(decision);
    await options.beforeSend?.(decision);
    let txHash: Hex;
    try {
      txHash = await wallet.writeContract({
        address,
        abi: accessLogAbi,
        functionName: "anchor",
        args: [decision.root, BigInt(decision.size), decision.previousRoot],
        chain: null,
      });
    } catch (error) {
      const message = (error as { shortMessage?: string }).shortMessage ?? String(error);
      await update(id, { status: "failed", error: message.slice(0, 1000) });
      throw error;
    }
    await update(id, { status: "sent", tx_hash: txHash });
    let receipt;
    try {
      receipt = await client.waitForTransactionReceipt({
        hash: txHash,
        timeout: options.receiptTimeoutMs ?? 120_000,
      });
    } catch {
      // Still pending: the next tick waits for it (in_flight) and the decision is made again afterwards.
      return { action: "waiting", reason: "receipt_timeout" };
    }
    if (receipt.status !== "success") {
      await update(id, { status: "reverted", block_number: receipt.blockNumber });
      log.error({ event: "anchor_reverted", txHash, size: decision.size }, "anchor reverted");
      return { action: "reverted", decision, txHash };
    }
    await update(id, { status: "mined", block_number: receipt.blockNumber });
    lastAnchorAt = now();
    log.info(
      {
        event: "anchored",
        size: decision.size,
        root: decision.root,
        reason: decision.reason,
        txHash,
        block: receipt.blockNumber.toString(),
      },
      "access log anchored",
    );
    return { action: "anchored", decision, txHash, blockNumber: receipt.blockNumber };
  }

  const loop = async () => {
    if (stopped) return;
    running = tick().catch((error: Error & { shortMessage?: string }) =>
      log.error({ event: "anchor_failed", err: error.shortMessage ?? error.message }, "anchoring"),
    );
    await running;
    running = null;
    if (!stopped) timer = setTimeout(() => void loop(), pollMs);
  };

  return {
    tick,
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(() => void loop(), 0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
