/**
 * The auditor's check of the gateway's access log, in the browser: the anchors come from the chain, every
 * proof from the gateway's `/proofs` endpoints, and nothing the gateway says is taken on trust. Each batch
 * must extend the one before (consistency proofs), and each anchored entry must be in its batch's anchored
 * tree (inclusion proofs). Entries after the latest anchor are counted as not yet anchored.
 *
 * Pure orchestration: the fetchers are passed in, so the same code runs against a real gateway in the dApp
 * and against a real MerkleLog in the tests.
 */
import type { Hex } from "viem";
import {
  type Anchor,
  batchOf,
  checkLink,
  type ServedConsistency,
  type ServedInclusion,
  verifyServedConsistency,
  verifyServedInclusion,
} from "@datacoop/protocol/accessLog/verify";

/** The proofs live next to the read API: …/api → …/proofs. */
export function proofsUrl(indexerUrl: string): string {
  const base = indexerUrl.replace(/\/+$/, "");
  return /\/api$/.test(base) ? `${base.slice(0, -4)}/proofs` : `${base}/proofs`;
}

/** An anchor as read from the chain's `Anchored` events, in batch order. */
export interface ChainAnchor extends Anchor {
  batch: number;
  transactionHash: Hex;
}

/** What the gateway is asked. Each throws on an HTTP error, with the answer's `code` when it has one. */
export interface ProofFetchers {
  consistency(from: number, to: number): Promise<ServedConsistency>;
  inclusion(seq: number, batch: number): Promise<ServedInclusion>;
  /** Resolves when the entry exists (its content is not needed), throws `entry_not_found` when not. */
  entry(seq: number): Promise<unknown>;
}

export type AuditFailure =
  /** The chain's own anchors do not link up (previous root, growing size). */
  | { kind: "anchorLink"; batch: number; message: string }
  /** A consistency proof between batch − 1 and batch failed. */
  | {
      kind: "consistency";
      batch: number;
      reason: "UNKNOWN_BATCH" | "ANCHOR_MISMATCH" | "PROOF";
      message: string;
    }
  /** An entry's inclusion proof under the batch that covers it failed. */
  | {
      kind: "entry";
      seq: number;
      batch: number;
      reason: "ENTRY_HASH" | "UNKNOWN_BATCH" | "ANCHOR_MISMATCH" | "PROOF";
      message: string;
    }
  /** The chain anchors an entry the gateway says it does not have. */
  | { kind: "entryMissing"; seq: number; batch: number; message: string }
  /** The gateway did not answer a batch's proof (or answered with an error). */
  | { kind: "batchUnavailable"; batch: number; code: string; message: string }
  /** The gateway did not answer an entry's proof (or answered with an error). */
  | { kind: "entryUnavailable"; seq: number; code: string; message: string };

export type AuditReport =
  | {
      ok: true;
      /** Batches anchored on the chain, each shown to extend the one before. */
      batches: number;
      /** Entries proven in their anchored batch. */
      entries: number;
      /** Entries the gateway holds after the latest anchor. */
      unanchored: number;
      /** The latest anchor, undefined when nothing is anchored yet. */
      latest?: ChainAnchor;
    }
  | { ok: false; failure: AuditFailure };

export interface AuditProgress {
  /** Proofs checked so far: one per batch, then one per anchored entry. */
  done: number;
  total: number;
}

export interface AuditOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?: (progress: AuditProgress) => void;
  /** Stops the run between requests (the page was left). */
  signal?: AbortSignal;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "unreachable";
}

function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === "string" && message ? message : String(error);
}

/**
 * Runs `check(i)` for i in [0, count) with at most `concurrency` in flight, in increasing order. After a
 * failure no new check starts; those already started finish, and the failure with the lowest i is returned,
 * so the answer is always the first bad item whatever the timing.
 */
async function firstFailure<F>(
  count: number,
  concurrency: number,
  check: (i: number) => Promise<F | undefined>,
  signal?: AbortSignal,
): Promise<{ at: number; failure: F } | undefined> {
  let next = 0;
  let at = Infinity;
  let failure: F | undefined;
  async function worker() {
    while (next < count && at === Infinity) {
      signal?.throwIfAborted();
      const i = next++;
      const result = await check(i);
      if (result !== undefined && i < at) [at, failure] = [i, result];
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return failure === undefined ? undefined : { at, failure };
}

/**
 * Checks the gateway's log against the anchors read from the chain (in batch order). Never throws for
 * what the gateway answers: every problem is the report's failure, the first in batch and entry order.
 */
export async function auditAccessLog(
  anchors: readonly ChainAnchor[],
  fetchers: ProofFetchers,
  options: AuditOptions = {},
): Promise<AuditReport> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const { signal } = options;
  const latest = anchors.at(-1);
  const anchored = latest?.size ?? 0;
  const total = anchors.length + anchored;
  let done = 0;
  const progress = () => options.onProgress?.({ done, total });
  progress();

  // The chain's anchors link up: each names the root before it and covers more entries.
  for (const [i, anchor] of anchors.entries()) {
    const fault = checkLink(anchor, anchors[i - 1], i + 1);
    if (fault)
      return { ok: false, failure: { kind: "anchorLink", batch: i + 1, message: fault.message } };
  }

  // Each batch extends the one before (batch 1 extends the empty tree).
  const badBatch = await firstFailure<AuditFailure>(
    anchors.length,
    concurrency,
    async (i) => {
      const batch = i + 1;
      let served: ServedConsistency;
      try {
        served = await fetchers.consistency(batch - 1, batch);
      } catch (error) {
        signal?.throwIfAborted();
        return {
          kind: "batchUnavailable",
          batch,
          code: errorCode(error),
          message: errorMessage(error),
        };
      }
      // Judge the heads asked for, whatever batch numbers the answer carries.
      const check = verifyServedConsistency(
        {
          ...served,
          from: { ...served?.from, batch: batch - 1 },
          to: { ...served?.to, batch },
        },
        anchors,
      );
      done++;
      progress();
      return check.ok
        ? undefined
        : { kind: "consistency", batch, reason: check.reason, message: check.message };
    },
    signal,
  );
  if (badBatch) return { ok: false, failure: badBatch.failure };

  // Each anchored entry is in the tree of the batch that first covered it.
  const badEntry = await firstFailure<AuditFailure>(
    anchored,
    concurrency,
    async (i) => {
      const seq = i + 1;
      const batch = batchOf(anchors, i)!;
      let served: ServedInclusion;
      try {
        served = await fetchers.inclusion(seq, batch);
      } catch (error) {
        signal?.throwIfAborted();
        const code = errorCode(error);
        return code === "entry_not_found"
          ? { kind: "entryMissing", seq, batch, message: errorMessage(error) }
          : { kind: "entryUnavailable", seq, code, message: errorMessage(error) };
      }
      // Judge the entry and batch asked for: a proof of another entry does not count.
      const check = verifyServedInclusion({ ...served, seq, batch }, anchors);
      done++;
      progress();
      return check.ok
        ? undefined
        : { kind: "entry", seq, batch, reason: check.reason, message: check.message };
    },
    signal,
  );
  if (badEntry) return { ok: false, failure: badEntry.failure };

  // The entries after the latest anchor: counted, in windows, up to the first the gateway does not have.
  let unanchored = 0;
  for (let seq = anchored + 1; ; seq += concurrency) {
    signal?.throwIfAborted();
    const window = Array.from({ length: concurrency }, (_, k) => seq + k);
    const found = await Promise.all(
      window.map((s) =>
        fetchers.entry(s).then(
          () => true as const,
          (error: unknown) => {
            if (errorCode(error) === "entry_not_found") return false as const;
            return { seq: s, error };
          },
        ),
      ),
    );
    for (const f of found) {
      if (f === true) {
        unanchored++;
        continue;
      }
      if (f === false)
        return { ok: true, batches: anchors.length, entries: anchored, unanchored, latest };
      return {
        ok: false,
        failure: {
          kind: "entryUnavailable",
          seq: f.seq,
          code: errorCode(f.error),
          message: errorMessage(f.error),
        },
      };
    }
  }
}
