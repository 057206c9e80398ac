/**
 * The gateway operator's duties in the indexer process: the access log's tree (for the proof endpoints),
 * the anchoring loop, and by-use revenue distributions posted when their grants end. Without an operator
 * key the process still serves proofs and distributions already built; it only sends nothing.
 *
 * The key: OPERATOR_PRIVATE_KEY, or on the local chain (31337) only, Hardhat's test account 8, which the
 * local deployment makes the operator (as the gateway secret is generated there).
 */
import { createWalletClient, type Address, type PublicClient, type Transport } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "@datacoop/protocol/deployment";
import type { GatewayKeys } from "../gateway/auth/keys.ts";
import { silentLogger, type Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import { createAnchorer, type Anchorer, type OperatorWallet } from "./anchorer.ts";
import { LogTree } from "./logTree.ts";
import { createAllocator, type Allocator } from "./revenue.ts";
import { revenueRoutes } from "./revenueRoutes.ts";
import type { ProofRoutesOptions } from "./routes.ts";

const LOCAL_CHAIN_ID = 31337;
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

export interface OperatorOptions {
  db: Db;
  client: PublicClient;
  transport: Transport;
  deployment: Deployment;
  keys: GatewayKeys;
  operatorKey?: `0x${string}`;
  intervalMs: number;
  every: number;
  allocateOnGrantEnd: boolean;
  logger?: Logger;
  /**
   * Why nothing may be sent now (this process is not the store's writer, the log failed its
   * verification), or undefined when sending is allowed. Absent: always allowed.
   */
  canSend?: () => string | undefined;
}

export interface Operator {
  /** The operator's address, or undefined when no key is configured. */
  address?: Address;
  keySource: "environment" | "local-test-account" | "none";
  tree: LogTree;
  allocator: Allocator;
  anchorer?: Anchorer;
  /** What to mount under /proofs. */
  proofs: ProofRoutesOptions;
  /** Builds the tree, then starts anchoring (when there is a key). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The anchoring loop and the allocator share the key: their transactions are submitted one at a time, so
 * each picks its nonce after the other's is in the node's pending pool.
 */
function serialised(wallet: OperatorWallet): OperatorWallet {
  let last: Promise<unknown> = Promise.resolve();
  const writeContract = ((args: Parameters<OperatorWallet["writeContract"]>[0]) => {
    const sent = last.then(() => wallet.writeContract(args));
    last = sent.catch(() => undefined);
    return sent;
  }) as OperatorWallet["writeContract"];
  return { ...wallet, writeContract };
}

export function createOperator(options: OperatorOptions): Operator {
  const { db, client, deployment } = options;
  const log = options.logger ?? silentLogger;
  const account = options.operatorKey
    ? privateKeyToAccount(options.operatorKey)
    : deployment.chainId === LOCAL_CHAIN_ID
      ? mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 8 })
      : undefined;
  const wallet: OperatorWallet | undefined = account
    ? serialised(createWalletClient({ account, transport: options.transport }))
    : undefined;
  const tree = new LogTree();
  const allocator = createAllocator({
    db,
    keys: options.keys,
    client,
    wallet,
    revenue: deployment.contracts.revenue,
  });
  const anchorer = wallet
    ? createAnchorer({
        db,
        tree,
        client,
        wallet,
        address: deployment.contracts.accessLog,
        intervalMs: options.intervalMs,
        every: options.every,
        logger: log,
        canSend: options.canSend,
      })
    : undefined;

  let timer: NodeJS.Timeout | null = null;
  let allocating: Promise<void> | null = null;
  async function allocateDue(): Promise<void> {
    if (options.canSend?.()) return;
    const block = await client.getBlock({ blockTag: "latest" });
    for (const grantId of await allocator.due(block.timestamp)) {
      const record = await allocator
        .allocate(grantId)
        .catch((error: Error & { shortMessage?: string }) => {
          log.error(
            {
              event: "allocation_failed",
              grantId: grantId.toString(),
              err: error.shortMessage ?? error.message,
            },
            "by-use allocation",
          );
        });
      if (record) {
        log.info(
          {
            event: "allocation_posted",
            grantId: grantId.toString(),
            root: record.root,
            txHash: record.txHash,
          },
          "by-use allocation posted",
        );
      }
    }
  }

  return {
    address: account?.address,
    keySource: options.operatorKey ? "environment" : account ? "local-test-account" : "none",
    tree,
    allocator,
    anchorer,
    proofs: {
      db,
      tree,
      extend: (app) =>
        revenueRoutes(app, { allocator, chainId: deployment.chainId, operator: account?.address }),
    },
    async start() {
      await tree
        .sync(db)
        .catch((error: Error) =>
          log.error({ event: "log_broken", err: error.message }, "access log"),
        );
      anchorer?.start();
      if (wallet && options.allocateOnGrantEnd) {
        const loop = async () => {
          allocating = allocateDue().catch((error: Error) =>
            log.error({ event: "allocation_failed", err: error.message }, "by-use allocation"),
          );
          await allocating;
          allocating = null;
          if (timer) timer = setTimeout(() => void loop(), options.intervalMs);
        };
        timer = setTimeout(() => void loop(), options.intervalMs);
      }
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await allocating;
      await anchorer?.stop();
    },
  };
}
