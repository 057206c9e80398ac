/**
 * Indexes a test chain the simple way: one getLogs over a block range, decoded with the co-op's ABIs,
 * mapped by the domain and inserted in one transaction. Enough for tests of the domain and the read API.
 */
import { createPublicClient, http } from "viem";
import { hardhat } from "viem/chains";
import { logDecoder } from "../../src/follower/decode.ts";
import type { RowInsert } from "../../src/follower/types.ts";
import type { Deployment } from "@datacoop/protocol/deployment";
import { domain } from "../../src/follower/domain.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { insertRows } from "../../src/store/rows.ts";

export interface Indexer {
  /** Indexes every block after the last one indexed, up to `toBlock` (default: latest). */
  catchUp(toBlock?: bigint): Promise<bigint>;
  /** Events mapped so far. */
  events: number;
}

/** Reads with retries: the node closes idle keep-alive connections, which can fail the next request. */
export const reader = (rpcUrl: string) =>
  createPublicClient({
    chain: hardhat,
    transport: http(rpcUrl, { retryCount: 3, retryDelay: 50 }),
  });

export async function chainIndexer(
  db: Db,
  chain: { rpcUrl: string; deployment: Deployment },
): Promise<Indexer> {
  const { deployment } = chain;
  const publicClient = reader(chain.rpcUrl);
  await migrate(db, domain.migrations);
  const decoder = logDecoder(deployment);
  let next = BigInt(deployment.startBlock);
  const times = new Map<bigint, bigint>();
  const indexer: Indexer = {
    events: 0,
    async catchUp(toBlock) {
      const to = toBlock ?? (await publicClient.getBlockNumber());
      if (to < next) return to;
      const logs = await publicClient.getLogs({
        address: decoder.addresses,
        fromBlock: next,
        toBlock: to,
      });
      const rows: RowInsert[] = [];
      for (const log of logs) {
        const number = log.blockNumber;
        let time = times.get(number);
        if (time === undefined) {
          time = (await publicClient.getBlock({ blockNumber: number })).timestamp;
          times.set(number, time);
        }
        const decoded = decoder.decode(log, time);
        if (!decoded) continue;
        indexer.events++;
        rows.push(...domain.map(decoded));
      }
      await db.transaction((tx) => insertRows(tx, rows));
      next = to + 1n;
      return to;
    },
  };
  return indexer;
}
