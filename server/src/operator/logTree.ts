/**
 * The access log's Merkle tree kept in memory and brought up to date from the gateway's log table: built
 * once at start (O(n) hashes), then only the new rows are read and appended (amortised 2 hashes each).
 * Proofs and roots for any past size come from the same tree. Rows are checked as they are read — each
 * links to the one before and its hash is the hash of its text — so the operator never anchors, and the
 * proof endpoints never serve, a log whose hash chain is broken.
 */
import { createHash } from "node:crypto";
import type { Hex } from "viem";
import type { Queryable } from "../store/db.ts";
import { MerkleLog } from "@datacoop/protocol/accessLog/merkle";
import { GENESIS_ENTRY_HASH } from "@datacoop/protocol/accessLog/verify";

export class LogTreeError extends Error {
  readonly code: "LOG_BROKEN";
  readonly seq: number;

  constructor(seq: number, message: string) {
    super(message);
    this.name = "LogTreeError";
    this.code = "LOG_BROKEN";
    this.seq = seq;
  }
}

/** Rows read per query while catching up. */
const PAGE = 20_000;

export class LogTree {
  readonly log = new MerkleLog();
  #head = GENESIS_ENTRY_HASH;
  #syncing: Promise<number> | null = null;

  /** Entries in the tree. */
  get size(): number {
    return this.log.size;
  }

  /** Reads the entries appended since the last call; returns the new size. Concurrent calls share one read. */
  sync(db: Queryable): Promise<number> {
    this.#syncing ??= this.#read(db).finally(() => {
      this.#syncing = null;
    });
    return this.#syncing;
  }

  async #read(db: Queryable): Promise<number> {
    for (;;) {
      const { rows } = await db.query<{
        seq: string;
        entry: string;
        prev_hash: string;
        hash: string;
      }>(
        "SELECT seq, entry, prev_hash, hash FROM gateway_access_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        [this.log.size, PAGE],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        const expected = this.log.size + 1;
        if (seq !== expected) {
          throw new LogTreeError(expected, `Access-log entry ${expected} is missing.`);
        }
        const hash = createHash("sha256").update(`${row.prev_hash}${row.entry}`).digest("hex");
        if (row.prev_hash !== this.#head || hash !== row.hash) {
          throw new LogTreeError(seq, `Access-log entry ${seq} does not hash into the chain.`);
        }
        this.log.append(Buffer.from(row.hash, "hex"));
        this.#head = row.hash;
      }
      if (rows.length < PAGE) return this.log.size;
    }
  }

  root(size?: number): Hex {
    return this.log.root(size);
  }
}
