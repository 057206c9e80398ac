/**
 * One writer per store. The follower, the operator's anchoring and allocations and the relayer's sender
 * write what only one process may write (the chain's copy, the anchors, the relayer key's transactions);
 * the read API and the gateway may run in any number of processes on one Postgres store. The writer holds
 * the store's writer lock:
 *
 * - Postgres: a session advisory lock, keyed by the schema, on a connection of its own (a keep-alive query
 *   every few seconds notices a lost connection). The server drops the lock the moment that session ends,
 *   however the process died: there is no stale lock to clean.
 * - PGlite: the folder has one opener anyway (folderLock.ts); the lock is that process's.
 *
 * Taking the lock writes a fresh token into `store_writer` (with the holder's pid and host, which is what
 * a refused process is told). Every write transaction of the follower calls `fence(tx)`, which reads that
 * token under a share lock: a process that lost its lock without noticing yet (a dropped connection) and
 * whose place another took finds someone else's token and writes nothing. The new writer's token update
 * waits for any such transaction to end, so two writers never interleave.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { Queryable } from "./db.ts";

/** Who holds the writer's role, as they recorded it when taking it. */
export interface WriterHolder {
  pid: number | null;
  host: string | null;
  since: string | null;
}

/** Thrown by `fence` when this process is not (or no longer) the store's writer. */
export class WriterLostError extends Error {
  override name = "WriterLostError";
  readonly code = "writer_lost";
}

export interface WriterLock {
  readonly token: string;
  /** False from the moment its connection is known to be gone. */
  held(): boolean;
  /** Calls `listener` once, when the lock is lost. */
  onLost(listener: (reason: Error) => void): void;
  release(): Promise<void>;
}

export type WriterClaim = { lock: WriterLock } | { holder: WriterHolder };

/** What the store's implementation provides: one attempt at taking the writer lock. */
export type ClaimWriter = () => Promise<WriterClaim>;

export const WRITER_TABLE_SQL = `
  -- The store's writer (the process holding its writer lock) and the token its writes are fenced with.
  CREATE TABLE store_writer (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    token text NOT NULL,
    pid integer,
    host text,
    since timestamptz NOT NULL DEFAULT now()
  );
`;

/** Records `token` as the writer's (inside the lock: the caller holds it). */
export async function recordWriter(q: Queryable, token: string): Promise<void> {
  await q.query(
    `INSERT INTO store_writer (singleton, token, pid, host, since) VALUES (true, $1, $2, $3, now())
     ON CONFLICT (singleton) DO UPDATE SET token = EXCLUDED.token, pid = EXCLUDED.pid,
       host = EXCLUDED.host, since = EXCLUDED.since`,
    [token, process.pid, os.hostname()],
  );
}

export async function readWriter(q: Queryable): Promise<WriterHolder> {
  const { rows } = await q.query<{ pid: number | null; host: string | null; since: string | null }>(
    "SELECT pid, host, since::text AS since FROM store_writer WHERE singleton",
  );
  return rows[0] ?? { pid: null, host: null, since: null };
}

export function describeWriter(holder: WriterHolder): string {
  return holder.pid === null
    ? "another process"
    : `pid ${holder.pid} on host ${holder.host ?? "?"} (the writer since ${holder.since ?? "?"})`;
}

export interface WriterRoleOptions {
  claim: ClaimWriter;
  /** Called when the lock was lost and another process holds it now: this process must stop writing. */
  onTaken?: (holder: WriterHolder) => void;
  /** Called on every loss and retake (for the logs). */
  onChange?: (event: { held: boolean; reason?: string }) => void;
}

/**
 * The writer's role for one process: the current lock, taken back (with backoff) whenever its connection
 * is lost, until another process holds it (`onTaken`).
 */
export interface WriterRole {
  held(): boolean;
  /** Inside a write transaction: throws WriterLostError unless this process is still the writer. */
  fence(tx: Queryable): Promise<void>;
  release(): Promise<void>;
}

/** Takes the writer's role: the role, or who holds it. */
export async function takeWriterRole(
  options: WriterRoleOptions,
): Promise<{ role: WriterRole } | { holder: WriterHolder }> {
  const first = await options.claim();
  if ("holder" in first) return first;
  let lock: WriterLock | null = first.lock;
  let released = false;
  let retaking = false;

  const watch = (l: WriterLock) =>
    l.onLost((reason) => {
      if (released || l !== lock) return;
      options.onChange?.({ held: false, reason: reason.message });
      void retake();
    });

  async function retake(): Promise<void> {
    if (retaking) return;
    retaking = true;
    try {
      for (let attempt = 0; !released; attempt++) {
        await new Promise((r) => setTimeout(r, Math.min(5_000, 100 * 2 ** Math.min(attempt, 6))));
        if (released) return;
        let claim: WriterClaim;
        try {
          claim = await options.claim();
        } catch {
          continue; // the store is still away: try again
        }
        if (released) {
          if ("lock" in claim) await claim.lock.release();
          return;
        }
        if ("holder" in claim) {
          lock = null;
          options.onTaken?.(claim.holder);
          return;
        }
        lock = claim.lock;
        watch(lock);
        options.onChange?.({ held: true });
        return;
      }
    } finally {
      retaking = false;
    }
  }

  watch(lock);
  return {
    role: {
      held: () => lock?.held() === true,
      async fence(tx) {
        const current = lock;
        if (!current?.held()) {
          throw new WriterLostError(
            "This process is not the store's writer at the moment (the writer lock's connection was lost); writing nothing until it is taken back.",
          );
        }
        const { rows } = await tx.query<{ token: string }>(
          "SELECT token FROM store_writer WHERE singleton FOR SHARE",
        );
        if (rows[0]?.token !== current.token) {
          throw new WriterLostError(
            "Another process became the store's writer: this one writes nothing.",
          );
        }
      },
      async release() {
        released = true;
        const current = lock;
        lock = null;
        await current?.release();
      },
    },
  };
}

export function newToken(): string {
  return randomUUID();
}
