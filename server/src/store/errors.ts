/**
 * The store's own failures, told apart from a query's ordinary errors (a constraint, a bug): a database
 * that cannot be reached or refuses the login, a missing database, a full disk, a folder another process
 * holds, a connection lost mid-query. Each is a `StoreError` with a one-line message an operator can act
 * on (no stack, no `undefined`, never the password), and the HTTP edge answers it with a 503
 * `store_unavailable`: whatever was in flight was rolled back, nothing was half-written.
 */
import { randomBytes } from "node:crypto";
import { open, rm, statfs } from "node:fs/promises";
import path from "node:path";
import { CoopError } from "@datacoop/protocol/errors";

export type StoreFault =
  /** The server did not answer, refused the connection, or its host does not resolve. */
  | "unreachable"
  /** The server refused the login (password, role, pg_hba). */
  | "login_refused"
  /** The database named in the URL does not exist. */
  | "no_database"
  /** The disk holding the data is full. */
  | "disk_full"
  /** Another process holds the PGlite folder (or the writer's role, where one was required). */
  | "locked"
  /** A connection broke while in use; the pool opens new ones. */
  | "connection_lost"
  /** The folder or the server is in a state it cannot work from (corrupt, read-only, shutting down). */
  | "failed";

export class StoreError extends CoopError<"store_unavailable"> {
  override name = "StoreError";
  readonly fault: StoreFault;

  constructor(fault: StoreFault, message: string, options?: { cause?: unknown }) {
    super(503, "store_unavailable", message);
    this.fault = fault;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** Where the store is, for messages: host, port and database of a URL, never its password. */
export interface StoreWhere {
  kind: "pglite" | "postgres";
  /** postgres: `host:port`; pglite: the folder. */
  place: string;
  database?: string;
  user?: string;
}

export function postgresWhere(databaseUrl: string): StoreWhere {
  try {
    const url = new URL(databaseUrl);
    return {
      kind: "postgres",
      place: `${url.hostname || "localhost"}:${url.port || "5432"}`,
      database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
      user: decodeURIComponent(url.username) || undefined,
    };
  } catch {
    return { kind: "postgres", place: "the DATABASE_URL server" };
  }
}

// Emscripten's (WASI) errno numbers, as PGlite's file system throws them (an ErrnoError has no message).
const WASI_ERRNO: Record<number, string> = {
  2: "EACCES",
  19: "EDQUOT",
  29: "EIO",
  44: "ENOENT",
  51: "ENOSPC",
  22: "EFBIG",
  54: "ENOTDIR",
  63: "EPERM",
  69: "EROFS",
};

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

const LOST_CONNECTION =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Cannot use a pool after calling end|read ECONNRESET|write EPIPE|socket hang up/i;

interface RawError {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  syscall?: unknown;
}

function textOf(error: RawError): string {
  return typeof error.message === "string" ? error.message : "";
}

/** The POSIX name of a file-system failure, from Node (`code`) or from PGlite's ErrnoError (`errno`). */
function fsCode(error: RawError): string | undefined {
  if (typeof error.code === "string" && /^E[A-Z]+$/.test(error.code)) return error.code;
  if (error.name === "ErrnoError" && typeof error.errno === "number")
    return WASI_ERRNO[error.errno];
  return undefined;
}

/**
 * The StoreError an error stands for, or undefined when it is an ordinary query error (a constraint, a
 * syntax error: the caller's to handle). `opening`: the error happened while opening the store.
 */
export function storeErrorOf(
  error: unknown,
  where: StoreWhere,
  opening = false,
): StoreError | undefined {
  if (error instanceof StoreError) return error;
  if (typeof error !== "object" || error === null) return undefined;
  const raw = error as RawError;
  const text = textOf(raw);
  const code = typeof raw.code === "string" ? raw.code : undefined;
  const db = where.database ? `"${where.database}"` : "the database";
  const make = (fault: StoreFault, message: string) =>
    new StoreError(fault, message, { cause: error });

  if (where.kind === "pglite") {
    const posix = fsCode(raw);
    if (posix === "ENOSPC" || posix === "EDQUOT" || /No space left on device/i.test(text)) {
      return make("disk_full", diskFullMessage(where.place));
    }
    if (posix === "EFBIG" || /File too large/i.test(text)) {
      return make("disk_full", fileSizeLimitMessage(where.place));
    }
    if (posix === "EACCES" || posix === "EPERM" || posix === "EROFS") {
      return make(
        "failed",
        `The store's folder ${where.place} cannot be written (${posix}): check its owner and permissions.`,
      );
    }
    if (opening) {
      if (/Aborted\(\)/.test(text) || raw.name === "RuntimeError") {
        return make(
          "failed",
          `PGlite could not open the store's folder ${where.place} (it aborted): the folder is damaged. Restore it from a backup (npm run restore), or move it aside to index afresh.`,
        );
      }
      const detail = text || posix || String(raw.name ?? "unknown error");
      return make("failed", `Cannot open the store's folder ${where.place}: ${detail}.`);
    }
    return undefined;
  }

  // Postgres: SQLSTATE codes first (five characters), then node's and node-postgres's own.
  switch (code) {
    case "28P01":
      return make(
        "login_refused",
        `The database server at ${where.place} refused the password of user "${where.user ?? "?"}" (28P01): check DATABASE_URL.`,
      );
    case "28000":
      return make(
        "login_refused",
        `The database server at ${where.place} refused the login of user "${where.user ?? "?"}" (28000: no such role, or pg_hba.conf does not allow it): check DATABASE_URL.`,
      );
    case "3D000":
      return make(
        "no_database",
        `The database ${db} does not exist on ${where.place} (3D000): create it (createdb ${where.database ?? "<name>"}) or fix DATABASE_URL.`,
      );
    case "53100":
      return make(
        "disk_full",
        `The database server's disk is full (53100 at ${where.place}): free space on the server; the change in flight was rolled back.`,
      );
    case "53300":
      return make(
        "unreachable",
        `The database server at ${where.place} has no free connection (53300 too_many_connections): lower DATABASE_POOL_SIZE or raise max_connections.`,
      );
    case "57P01":
    case "57P02":
    case "57P03":
      return make(
        "connection_lost",
        `The database server at ${where.place} is shutting down or starting up (${code}); retrying.`,
      );
    case "25006":
      return make(
        "failed",
        `The database server at ${where.place} is read-only (25006: a standby?): point DATABASE_URL at the primary.`,
      );
    case "ECONNREFUSED":
      return make(
        "unreachable",
        `Cannot connect to the database server at ${where.place}: connection refused (is Postgres running there, and are DATABASE_URL's host and port right?).`,
      );
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return make(
        "unreachable",
        `Cannot resolve the database host of DATABASE_URL (${where.place}).`,
      );
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return make(
        "unreachable",
        `Cannot reach the database server at ${where.place} (${code}): check the network and DATABASE_URL.`,
      );
  }
  if (typeof code === "string" && code.startsWith("08")) {
    return make(
      "connection_lost",
      `The connection to the database server at ${where.place} failed (${code}): ${text}.`,
    );
  }
  if ((code && NETWORK_CODES.has(code)) || LOST_CONNECTION.test(text)) {
    return make(
      opening ? "unreachable" : "connection_lost",
      opening
        ? `Cannot connect to the database server at ${where.place}: ${text || code}.`
        : `The connection to the database server at ${where.place} was lost (${text || code}); nothing in flight was written, new connections are being opened.`,
    );
  }
  return undefined;
}

const diskFullMessage = (folder: string) =>
  `The disk holding the store's folder ${folder} is full: free some space (df -h ${folder}) and start again; nothing was half-written.`;

const fileSizeLimitMessage = (folder: string) =>
  `The store cannot grow its files in ${folder}: this process may not write files that large (a file-size limit: ulimit -f, or the service's LimitFSIZE); lift the limit and start again; nothing was half-written.`;

/** What a PGlite cluster needs free to start and write: a WAL segment (16 MiB) and room around it. */
const PROBE_BYTES = 16 * 1024 * 1024;
const MIN_FREE_BYTES = 4 * PROBE_BYTES;

/**
 * PGlite aborts (`Aborted()`, no errno) when its file system fails while opening, so a full disk looks like
 * a damaged folder. When an open aborted, this asks the folder itself: too little free space (statfs), or
 * a write of one WAL segment's size that fails (ENOSPC, EDQUOT; EFBIG under a file-size limit) gives the
 * StoreError that says so; undefined when the folder has room (the abort is the folder's own). The probe
 * file is removed whatever happens.
 */
export async function diagnoseFolderSpace(folder: string): Promise<StoreError | undefined> {
  const where = folder;
  try {
    const fs = await statfs(folder);
    if (fs.bavail * fs.bsize < MIN_FREE_BYTES)
      return new StoreError("disk_full", diskFullMessage(where));
  } catch {
    // a folder that cannot even be asked: left to the abort's own message
    return undefined;
  }
  const probe = path.join(folder, `.space-probe-${randomBytes(4).toString("hex")}`);
  try {
    const file = await open(probe, "w");
    try {
      const chunk = Buffer.alloc(1024 * 1024);
      for (let written = 0; written < PROBE_BYTES; written += chunk.length) await file.write(chunk);
      await file.sync();
    } finally {
      await file.close().catch(() => undefined);
    }
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EDQUOT")
      return new StoreError("disk_full", diskFullMessage(where), { cause: error });
    if (code === "EFBIG")
      return new StoreError("disk_full", fileSizeLimitMessage(where), { cause: error });
    return undefined;
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
