/**
 * One opener per PGlite folder. PGlite is Postgres in WebAssembly without a postmaster: two processes
 * opening one data folder both write to it and corrupt it (the folder then no longer opens). So before
 * PGlite touches a folder, the opener takes `<folder>.lock`, a file created exclusively (O_EXCL) holding
 * who holds it — pid, host, start time, command — and removes it when it closes.
 *
 * A lock whose holder is dead is stale: on the same host, a pid that no longer runs (or now runs another
 * process: its start time differs) frees the lock at once, so a restart after a crash or a SIGKILL needs no
 * clean-up. A lock taken on another host (a shared disk) cannot be checked from here: the message says how
 * to remove it by hand once that process is known to be gone. Taking over a stale lock goes through a
 * short-lived `<folder>.lock.takeover` directory (mkdir is atomic), so two processes finding the same stale
 * lock never both take it.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, open, readFile, rmdir, stat, unlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { StoreError } from "./errors.ts";

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the lock was taken. */
  since: string;
  /** The holder's start time as the kernel counts it (Linux), to tell a reused pid from the holder. */
  started?: string;
  /** The holder's command line (shortened). */
  command?: string;
  /** A token unique to this taking of the lock. */
  token: string;
}

export interface FolderLock {
  readonly file: string;
  readonly holder: LockHolder;
  /** Removes the lock (only if it is still this one). */
  release(): Promise<void>;
}

/** The lock file of a folder: beside it, not in it (PGlite owns the folder's contents). */
export function lockFileOf(folder: string): string {
  return `${path.resolve(folder)}.lock`;
}

/** Linux: the process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function runs(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the holder still runs: true or false on this host; undefined when it is another host's. */
export function holderAlive(holder: LockHolder): boolean | undefined {
  if (holder.host !== os.hostname()) return undefined;
  if (!runs(holder.pid)) return false;
  if (holder.started !== undefined) {
    const now = startTimeOf(holder.pid);
    if (now !== undefined && now !== holder.started) return false;
  }
  return true;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid === "number" && typeof h.host === "string" && typeof h.token === "string") {
      return h as LockHolder;
    }
  } catch {
    // half-written or not ours
  }
  return undefined;
}

/** The lock's holder, or null when the folder is not locked. */
export async function readFolderLock(
  folder: string,
): Promise<{ holder: LockHolder; alive: boolean | undefined } | null> {
  const text = await readFile(lockFileOf(folder), "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (text === null) return null;
  const holder = parseHolder(text);
  if (!holder) return null;
  return { holder, alive: holderAlive(holder) };
}

/** "pid 123 on host h (since …, `node server/src/main.ts`)". */
export function describeHolder(holder: LockHolder): string {
  const command = holder.command ? `, \`${holder.command}\`` : "";
  return `pid ${holder.pid} on host ${holder.host} (since ${holder.since}${command})`;
}

function lockedMessage(folder: string, holder: LockHolder, alive: boolean | undefined): string {
  const file = lockFileOf(folder);
  return alive === undefined
    ? `The store's folder ${folder} is held by ${describeHolder(holder)}, another host: a folder has one opener. If no process there uses it any more, remove ${file} and start again.`
    : `The store's folder ${folder} is in use by ${describeHolder(holder)}: a folder has one opener. Stop that process first (kill -TERM ${holder.pid}), or give this one its own DATA_DIR.`;
}

const TAKEOVER_STALE_MS = 10_000;

/**
 * Takes the folder's lock, or throws a StoreError (`locked`) naming the holder. A stale lock (its holder
 * is dead) is taken over.
 */
export async function lockFolder(folder: string): Promise<FolderLock> {
  const file = lockFileOf(folder);
  await mkdir(path.dirname(file), { recursive: true });
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    since: new Date().toISOString(),
    started: startTimeOf(process.pid),
    command: [path.basename(process.argv[0] ?? "node"), ...process.argv.slice(1)]
      .map((a) => (a.startsWith("/") ? path.relative(process.cwd(), a) || a : a))
      .join(" ")
      .slice(0, 200),
    token: randomBytes(12).toString("hex"),
  };
  const text = `${JSON.stringify(holder)}\n`;
  // Long enough to outlast a takeover mutex left by a process killed while holding it (cleared once it is
  // TAKEOVER_STALE_MS old), so a crash at any point never locks the folder out.
  const deadline = Date.now() + TAKEOVER_STALE_MS + 5_000;
  while (Date.now() < deadline) {
    try {
      const handle = await open(file, "wx", 0o644);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return {
        file,
        holder,
        async release() {
          const now = await readFile(file, "utf8").catch(() => null);
          if (now !== null && parseHolder(now)?.token === holder.token) {
            await unlink(file).catch(() => undefined);
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new StoreError(
          "failed",
          `Cannot create the lock ${file} of the store's folder: ${(error as Error).message}.`,
        );
      }
    }
    const existing = await readFile(file, "utf8").catch(() => null);
    if (existing === null) continue; // released meanwhile: try again
    const other = parseHolder(existing);
    if (other) {
      const alive = holderAlive(other);
      if (alive !== false) throw new StoreError("locked", lockedMessage(folder, other, alive));
    } else {
      // Being written right now, or left empty by a crash between creating and writing it.
      const age = Date.now() - ((await stat(file).catch(() => null))?.mtimeMs ?? Date.now());
      if (age < 2_000) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
    }
    await takeOver(file, existing);
  }
  throw new StoreError("locked", `Cannot take the lock ${file}: it keeps changing hands.`);
}

/** Removes the stale lock whose text is `stale`, unless someone else already replaced it. */
async function takeOver(file: string, stale: string): Promise<void> {
  const mutex = `${file}.takeover`;
  try {
    await mkdir(mutex);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    // Another process is taking it over; a mutex left by a crash is cleared after a while.
    const age = Date.now() - ((await stat(mutex).catch(() => null))?.mtimeMs ?? Date.now());
    if (age > TAKEOVER_STALE_MS) await rmdir(mutex).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    return;
  }
  try {
    const now = await readFile(file, "utf8").catch(() => null);
    if (now === stale) await unlink(file).catch(() => undefined);
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}
