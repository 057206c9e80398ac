/**
 * `/ready`: whether this process serves the co-op's current state, and if not, why. 200 only when all of
 * these hold, else 503 with the first reason that fails (`reason: { code, message }`):
 *
 * - `store_unavailable`: the store does not answer a trivial query (within 2 s);
 * - `log_broken`: the access log failed its last verification (entries, member sets, anchors);
 * - the writer (it runs the follower): `follower_failed` (stopped on an error), `follower_failing` (its
 *   last attempt failed: the node, the store or the writer's lock; it retries), `starting` /
 *   `catching_up` (not at the chain's head yet), `follower_stalled` (no successful attempt for a while);
 * - a reader (another process writes): `chain_unavailable`, or `behind`: the store's checkpoint has not
 *   reached a block the chain had (minus confirmations) for longer than `lagMs`.
 *
 * Every cause clears by itself: the answer is computed afresh on each call.
 */
import type { PublicClient } from "viem";
import type { FollowerStatus } from "../follower/follower.ts";
import type { Db } from "../store/db.ts";

export type ReadyCode =
  | "store_unavailable"
  | "log_broken"
  | "follower_failed"
  | "follower_failing"
  | "follower_stalled"
  | "starting"
  | "catching_up"
  | "behind"
  | "chain_unavailable"
  | "stopped";

export interface ReadyBody {
  ready: boolean;
  /** writer: this process follows the chain into the store; reader: it serves what another writes. */
  role: "writer" | "reader";
  phase: FollowerStatus["phase"];
  migrated: boolean;
  caughtUp: boolean;
  checkpoint: { number: string; hash: string } | null;
  head: string | null;
  error: { code: string; message: string } | null;
  reason: { code: ReadyCode; message: string } | null;
}

export interface ReadinessOptions {
  db: Pick<Db, "query">;
  follower: { status(): FollowerStatus };
  /** The process's role now (default: writer). */
  role?: () => "writer" | "reader";
  /** A reader's view of the chain: its head (and the confirmations the writer leaves). */
  client?: Pick<PublicClient, "getBlockNumber">;
  chainId?: number;
  confirmations?: number;
  /** A target block not reached for longer than this is "behind" (default 5 s). */
  lagMs?: number;
  /** A writer with no successful attempt for this long is stalled (default 60 s). */
  stallMs?: number;
  /** The access log's last verification, when something verifies it. */
  log?: () => { ok: boolean; message?: string } | undefined;
  now?: () => number;
}

const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}

/** Remembers since when each block the chain reached has waited to be indexed. */
class Lag {
  #waiting: { target: bigint; since: number }[] = [];

  /** How long the oldest target above `checkpoint` has waited (0: none waits). */
  observe(target: bigint, checkpoint: bigint, now: number): number {
    this.#waiting = this.#waiting.filter((w) => w.target > checkpoint);
    if (target > checkpoint && !this.#waiting.some((w) => w.target >= target)) {
      this.#waiting.push({ target, since: now });
    }
    return this.#waiting.length ? now - this.#waiting[0].since : 0;
  }
}

export function createReadiness(options: ReadinessOptions): () => Promise<ReadyBody> {
  const now = options.now ?? Date.now;
  const lagMs = options.lagMs ?? 5_000;
  const stallMs = options.stallMs ?? 60_000;
  const confirmations = BigInt(options.confirmations ?? 0);
  const lag = new Lag();

  return async () => {
    const s = options.follower.status();
    const role = options.role?.() ?? "writer";
    const body: ReadyBody = {
      ready: false,
      role,
      phase: s.phase,
      migrated: s.migrated,
      caughtUp: s.caughtUp,
      checkpoint: s.checkpoint
        ? { number: s.checkpoint.number.toString(), hash: s.checkpoint.hash }
        : null,
      head: s.head === null ? null : s.head.toString(),
      error: s.error,
      reason: null,
    };
    const fail = (code: ReadyCode, message: string) => {
      body.reason = { code, message };
      return body;
    };

    let checkpoint: bigint | null = s.checkpoint?.number ?? null;
    try {
      const { rows } = await withTimeout(
        options.db.query<{ block_number: string }>(
          options.chainId === undefined
            ? "SELECT NULL::bigint AS block_number"
            : "SELECT block_number FROM checkpoint WHERE chain_id = $1",
          options.chainId === undefined ? [] : [options.chainId],
        ),
        PROBE_TIMEOUT_MS,
        `The store did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`,
      );
      if (role === "reader") {
        checkpoint = rows[0]?.block_number == null ? null : BigInt(rows[0].block_number);
        body.checkpoint = checkpoint === null ? null : { number: checkpoint.toString(), hash: "" };
      }
    } catch (error) {
      return fail("store_unavailable", (error as Error).message);
    }
    const log = options.log?.();
    if (log && !log.ok) {
      return fail("log_broken", log.message ?? "The access log failed its verification.");
    }

    if (role === "writer") {
      if (s.phase === "failed") {
        return fail("follower_failed", s.error?.message ?? "The follower stopped on an error.");
      }
      if (s.phase === "stopped") return fail("stopped", "The follower is stopped.");
      if (s.failing) {
        return fail(
          "follower_failing",
          `Indexing has failed ${s.failing.attempts} time(s) since ${s.failing.since} (${s.failing.code}): ${s.failing.message}`,
        );
      }
      if (!s.migrated || s.phase === "idle") return fail("starting", "The follower is starting.");
      if (!s.caughtUp || s.phase !== "following") {
        return fail(
          "catching_up",
          `Indexing the chain's history: at block ${body.checkpoint?.number ?? "none"} of ${body.head ?? "?"}.`,
        );
      }
      if (s.lastSuccessAt != null && now() - s.lastSuccessAt > stallMs) {
        return fail(
          "follower_stalled",
          `The follower has not completed an attempt for ${Math.round((now() - s.lastSuccessAt) / 1000)} s.`,
        );
      }
      body.ready = true;
      return body;
    }

    // A reader: the writer's progress, as the store shows it, against the chain's head.
    if (!options.client) {
      body.ready = true;
      return body;
    }
    let head: bigint;
    try {
      head = await withTimeout(
        options.client.getBlockNumber({ cacheTime: 0 }),
        PROBE_TIMEOUT_MS,
        `The chain's node did not answer within ${PROBE_TIMEOUT_MS / 1000} s.`,
      );
    } catch (error) {
      return fail("chain_unavailable", (error as Error).message);
    }
    body.head = head.toString();
    const target = head - confirmations;
    if (checkpoint === null) {
      return fail("catching_up", "The store holds no indexed block yet (the writer is starting).");
    }
    body.caughtUp = checkpoint >= target;
    const waited = lag.observe(target, checkpoint, now());
    if (waited > lagMs) {
      return fail(
        "behind",
        `The store is at block ${checkpoint}, the chain at ${target} (head ${head} minus ${confirmations} confirmations), and has not caught up for ${Math.round(waited / 1000)} s: is the writer running?`,
      );
    }
    body.ready = true;
    return body;
  };
}
