/**
 * The contract between the follower (which reads logs from the chain and owns blocks, checkpoints and
 * reorgs) and the chain-data domain (which turns each decoded event into rows).
 *
 * Domain tables are insert-only: every row carries the block number and log index of the event that
 * produced it, and current state is derived by SQL views. Rolling back a reorg is therefore one
 * `DELETE … WHERE block_number > $ancestor` per table, in the same transaction as the checkpoint.
 */
import type { Address, Hex } from "viem";
import type { ContractName } from "@datacoop/protocol/contracts";
import type { Migration } from "../store/migrate.ts";

export interface ChainLog {
  contract: ContractName;
  address: Address;
  eventName: string;
  /** Decoded by viem: uint → bigint, address → checksummed string, arrays and tuples as objects. */
  args: Record<string, unknown>;
  blockNumber: bigint;
  blockHash: Hex;
  /** The block's timestamp (seconds). */
  blockTime: bigint;
  logIndex: number;
  transactionHash: Hex;
}

/** One row to insert; values are SQL parameters (bigints already as decimal strings). */
export interface RowInsert {
  table: string;
  values: Record<string, string | number | boolean | null>;
}

export interface Domain {
  /** Migrations with ids 100–199. */
  migrations: Migration[];
  /** Every table the mapper writes; each has a `block_number bigint NOT NULL` column. */
  tables: string[];
  /** Rows for one event; [] for events the domain ignores. Pure: no I/O. */
  map(log: ChainLog): RowInsert[];
}
