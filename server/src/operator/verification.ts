/**
 * The access log verified at run time, as an auditor would, from the store and the chain:
 *
 * 1. **Entries and member sets** (the gateway's `verifyLog`): every entry links to the one before and hashes
 *    to its recorded hash, its seal is the hash of its stored opening, and the member set the opening names
 *    is the set of commitments stored under that name (a deleted, added or changed commitment — which would
 *    hide an access from the member's "who used my data", or show one that never was — fails the entry).
 * 2. **Anchors**: the log's hashes, read afresh from the table, hash to the root of every anchored batch
 *    (the indexed `Anchored` events) and to the chain's own `latest()` anchor. A log shorter than what
 *    the chain anchored (a restore from an old backup, deleted rows) is `log_shorter_than_anchor`: appending
 *    to it would reuse sequence numbers the chain has already anchored.
 * 3. **The process's tree** (which serves /proofs and the members' listings): it must hold the same hashes.
 *
 * `createNode` runs it when the server starts (and refuses to start on a fault) and on a schedule; a fault
 * stops the anchoring (the next anchor would bless the change), turns /ready to 503 `log_broken` and makes
 * members' listings answer 409 `log_broken` instead of a silently shorter list.
 */
import type { Address, Hex, PublicClient } from "viem";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { verifyLog as verifyAgainstAnchors } from "@datacoop/protocol/accessLog/batches";
import { MerkleLog, hashLeaf } from "@datacoop/protocol/accessLog/merkle";
import { accessLogEntryHash, sameHash, type Anchor } from "@datacoop/protocol/accessLog/verify";
import { CoopError } from "@datacoop/protocol/errors";
import { verifyLog as verifyEntries } from "../gateway/serving/accessLog.ts";
import { silentLogger, type Logger } from "../log.ts";
import type { Db } from "../store/db.ts";
import type { LogTree } from "./logTree.ts";

export type LogFault =
  /** An entry, its seal or its member set does not verify. */
  | "log_broken"
  /** The chain anchored more entries than the log holds. */
  | "log_shorter_than_anchor"
  /** The log's entries do not hash to an anchored root. */
  | "anchor_mismatch";

export interface LogVerdict {
  ok: boolean;
  /** When it was checked (ISO). */
  at: string;
  entries: number;
  /** Entries the chain's latest anchor covers (when the chain was read), else the indexed one's. */
  anchored: number;
  fault?: { code: LogFault; seq?: number; message: string };
  /** How long it took (ms). */
  ms: number;
}

export interface LogVerifierOptions {
  db: Db;
  tree: LogTree;
  /** The chain, for the AccessLogAnchor's `latest()` (absent: the indexed anchors only). */
  client?: PublicClient;
  accessLog?: Address;
  logger?: Logger;
}

export interface LogVerifier {
  /** Verifies the whole log now. `chain: true` requires the chain's `latest()` (throws if unreachable). */
  verify(options?: { chain?: boolean }): Promise<LogVerdict>;
  /** The last verdict, if any. */
  last(): LogVerdict | undefined;
  /**
   * Checks entries a member is shown (their text, hash and place in the anchored tree) and the last
   * verdict; throws a 409 `log_broken` CoopError when either fails.
   */
  checkListed(
    entries: readonly { seq: number; entry: string; prevHash: string; hash: string }[],
  ): Promise<void>;
}

/** The chain's latest anchor: (root, size). */
export async function chainAnchor(
  client: PublicClient,
  accessLog: Address,
): Promise<{ root: Hex; size: number; batches: number }> {
  const [root, size, index] = await client.readContract({
    address: accessLog,
    abi: accessLogAbi,
    functionName: "latest",
  });
  return { root, size: Number(size), batches: Number(index) };
}

export function createLogVerifier(options: LogVerifierOptions): LogVerifier {
  const { db, tree } = options;
  const log = options.logger ?? silentLogger;
  let last: LogVerdict | undefined;

  async function verify({ chain = false } = {}): Promise<LogVerdict> {
    const t0 = performance.now();
    const at = new Date().toISOString();
    const done = (entries: number, anchored: number, fault?: LogVerdict["fault"]) => {
      const verdict: LogVerdict = {
        ok: !fault,
        at,
        entries,
        anchored,
        ...(fault ? { fault } : {}),
        ms: Math.round(performance.now() - t0),
      };
      if (fault && (!last || last.ok)) {
        log.error({ event: "log_verification_failed", ...fault }, fault.message);
      } else if (!fault && last && !last.ok) {
        log.info({ event: "log_verified", entries, anchored }, "the access log verifies again");
      }
      last = verdict;
      return verdict;
    };

    // The chain's own latest anchor first: it holds even when the store's indexed anchors are old.
    let latest: { root: Hex; size: number; batches: number } | undefined;
    if (options.client && options.accessLog) {
      try {
        latest = await chainAnchor(options.client, options.accessLog);
      } catch (error) {
        if (chain) throw error;
      }
    }

    const entries = await verifyEntries(db);
    const { rows: anchorRows } = await db.query<{
      root: Hex;
      size: string;
      previous_root: Hex;
    }>("SELECT root, size, previous_root FROM access_log_anchors ORDER BY batch_index");
    const anchors: Anchor[] = anchorRows.map((r) => ({
      root: r.root,
      size: Number(r.size),
      previousRoot: r.previous_root,
    }));
    const anchored = Math.max(latest?.size ?? 0, anchors.at(-1)?.size ?? 0);
    if (!entries.ok) {
      return done(entries.length, anchored, {
        code: "log_broken",
        seq: entries.brokenAt,
        message: `Access-log entry ${entries.brokenAt} does not verify: its text, its link to the entry before, its seal or the member set it names (a member's commitment deleted, added or changed) differs from what was written. The log is not anchored further until it is restored from a backup (npm run restore).`,
      });
    }

    // The hashes as the table holds them now, whatever the process read before.
    const { rows } = await db.query<{ hash: string }>(
      "SELECT hash FROM gateway_access_log ORDER BY seq",
    );
    const fresh = MerkleLog.fromLeaves(rows.map((r): Hex => `0x${r.hash}`));
    if (latest && latest.size > fresh.size) {
      return done(fresh.size, anchored, {
        code: "log_shorter_than_anchor",
        seq: fresh.size + 1,
        message: shorterMessage(fresh.size, latest),
      });
    }
    const against = verifyAgainstAnchors(fresh, anchors);
    if (!against.ok) {
      return done(fresh.size, anchored, {
        code: against.fault === "ENTRIES_MISSING" ? "log_shorter_than_anchor" : "anchor_mismatch",
        seq: against.fromSize + 1,
        message:
          against.fault === "ENTRIES_MISSING"
            ? shorterMessage(fresh.size, {
                root: anchors[against.batch - 1].root,
                size: against.toSize,
                batches: against.batch,
              })
            : `The access log does not match anchor batch ${against.batch} (entries ${against.fromSize + 1}–${against.toSize}): ${against.message}`,
      });
    }
    if (latest && latest.size > 0 && !sameHash(fresh.root(latest.size), latest.root)) {
      return done(fresh.size, anchored, {
        code: "anchor_mismatch",
        message: `The access log's first ${latest.size} entries do not hash to the root the chain anchored last (${latest.root}, batch ${latest.batches}).`,
      });
    }
    // The tree this process serves proofs and listings from.
    await tree.sync(db).catch(() => undefined);
    const common = Math.min(tree.size, fresh.size);
    if (common > 0 && !sameHash(tree.root(common), fresh.root(common))) {
      return done(fresh.size, anchored, {
        code: "log_broken",
        message: `The access log's table changed under this process: its first ${common} entries no longer hash to the tree it serves proofs from. Restart to rebuild the tree only after restoring the log (npm run restore).`,
      });
    }
    return done(fresh.size, anchored);
  }

  return {
    verify,
    last: () => last,
    async checkListed(listed) {
      const broken = (message: string) => new CoopError(409, "log_broken", message);
      if (last && !last.ok) {
        throw broken(
          `The access log failed its verification at ${last.at} (${last.fault?.message}): a listing from it may be incomplete.`,
        );
      }
      if (listed.some((e) => e.seq > tree.size)) await tree.sync(db);
      for (const e of listed) {
        const hash = accessLogEntryHash(e.prevHash, e.entry);
        const inTree =
          e.seq >= 1 &&
          e.seq <= tree.size &&
          sameHash(tree.log.leafHash(e.seq - 1), hashLeaf(`0x${e.hash}`));
        if (!sameHash(hash, `0x${e.hash}`) || !inTree) {
          throw broken(
            `Access-log entry ${e.seq} as stored does not match the log's anchored tree: a listing from it may be incomplete.`,
          );
        }
      }
    },
  };
}

function shorterMessage(
  size: number,
  latest: { root: Hex; size: number; batches: number },
): string {
  return (
    `The access log holds ${size} entries, but the chain has anchored ${latest.size} (batch ${latest.batches}, root ${latest.root}): ` +
    `this store is older than the last anchor (restored from an old backup?) or entries were deleted. ` +
    `Appending to it would reuse sequence numbers ${size + 1}–${latest.size}, which the chain already anchored, so the server does not start. ` +
    `Recovery: stop every server process and restore a backup taken after batch ${latest.batches} was anchored (npm run restore -- --from <backup>); ` +
    `if none exists, see docs/operators.md, "When no newer backup exists".`
  );
}
