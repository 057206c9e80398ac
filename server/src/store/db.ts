/**
 * The store: one Postgres schema, either embedded PGlite (a data folder, the default: nothing to install)
 * or a Postgres server when a `DATABASE_URL` is given. Both run the same SQL. Every 64-bit integer and
 * numeric comes back as a string on both, so on-chain uint256 values never lose precision.
 *
 * Opening checks the store at once (a connection, a folder that opens), so a start fails with one clear
 * line (errors.ts), never later with a stack. A PGlite folder is locked for its one opener
 * (folderLock.ts). On a Postgres server the pool survives lost connections: a broken idle connection is
 * dropped (the pool's 'error' event), a query whose connection breaks fails with a StoreError
 * (`connection_lost`, answered 503) after the server rolled its transaction back, and the next query opens
 * a new connection. `claimWriter` takes the store's writer lock (writer.ts).
 */
import { readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { Logger } from "../log.ts";
import {
  diagnoseFolderSpace,
  postgresWhere,
  storeErrorOf,
  StoreError,
  type StoreWhere,
} from "./errors.ts";
import { lockFolder, type FolderLock } from "./folderLock.ts";
import { newToken, readWriter, recordWriter, type ClaimWriter, type WriterLock } from "./writer.ts";

export { StoreError };

export interface QueryResult<T> {
  rows: T[];
}

/** What both a connection and an open transaction offer. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs one or several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Where the store is, for messages (never a password). */
  readonly where: StoreWhere;
  /** Runs `fn` in one transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** One attempt at the store's writer lock (writer.ts); needs the core migrations applied. */
  claimWriter: ClaimWriter;
  /** PGlite: the data folder as a tarball (what `npm run backup` keeps). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** A Postgres server; when absent, embedded PGlite is used. */
  databaseUrl?: string;
  /** PGlite's data folder; `memory://` (or absent) keeps it in memory. */
  dataDir?: string;
  /** Postgres schema to work in (created if missing); defaults to `public`. */
  schema?: string;
  /**
   * PGlite only: a data folder dumped by {@link dumpPgliteTemplate} to start from instead of creating a new
   * cluster (which takes seconds), for tests that open many in-memory stores.
   */
  template?: Blob;
  /** Where a lost connection is reported (a warning; the pool opens a new one). */
  logger?: Logger;
}

// int8, numeric → string (as node-postgres does by default).
const STRING_TYPES = [20, 1700];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}".`);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, schema, options.logger)
    : openPglite(options.dataDir ?? "memory://", schema, options.template);
}

/** An empty in-memory PGlite cluster's data folder, to pass as {@link OpenDbOptions.template}. */
export async function dumpPgliteTemplate(): Promise<Blob> {
  const lite = await PGlite.create("memory://");
  try {
    return await lite.dumpDataDir("none");
  } finally {
    await lite.close();
  }
}

/** Wraps a query function so that the store's own failures become StoreErrors. */
function translating(where: StoreWhere, q: Queryable): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]) {
      try {
        return await q.query<T>(sql, params);
      } catch (error) {
        throw storeErrorOf(error, where) ?? error;
      }
    },
    async exec(sql: string) {
      try {
        await q.exec(sql);
      } catch (error) {
        throw storeErrorOf(error, where) ?? error;
      }
    },
  };
}

async function openPglite(dataDir: string, schema: string, template?: Blob): Promise<Db> {
  const inMemory = dataDir.startsWith("memory://");
  const folder = inMemory ? dataDir : path.resolve(dataDir);
  const where: StoreWhere = { kind: "pglite", place: inMemory ? "(in memory)" : folder };
  // Before PGlite touches the folder: a second opener would corrupt it.
  const lock: FolderLock | undefined = inMemory ? undefined : await lockFolder(folder);
  const parsers = Object.fromEntries(STRING_TYPES.map((t) => [t, (v: string) => v]));
  // A new store (an empty or missing folder) that fails to open is removed again: a cluster half-created
  // (a full disk during its creation) would never open afterwards.
  const fresh = !inMemory && (await readdir(folder).catch(() => [])).length === 0;
  let lite: PGlite;
  try {
    lite = await PGlite.create(folder, { parsers, loadDataDir: template });
    if (schema !== "public") {
      await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
    }
  } catch (error) {
    // An abort tells no cause: a full disk (or a file-size limit) is told apart from a damaged folder.
    const space = inMemory ? undefined : await diagnoseFolderSpace(folder);
    if (fresh) await emptyFolder(folder);
    await lock?.release();
    throw space ?? storeErrorOf(error, where, true) ?? error;
  }
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable =>
    translating(where, {
      async query<T>(sql: string, params?: unknown[]) {
        const result = await q.query<T>(sql, params);
        return { rows: result.rows };
      },
      async exec(sql: string) {
        await q.exec(sql);
      },
    });
  const base = wrap(lite);
  // The folder has one opener, so the writer's role is this process's: one claim per open store.
  let claimed: string | null = null;
  let closed = false;
  return {
    kind: "pglite",
    where,
    ...base,
    async transaction(fn) {
      try {
        return await lite.transaction((tx) => fn(wrap(tx)));
      } catch (error) {
        throw storeErrorOf(error, where) ?? error;
      }
    },
    dumpDataDir: async () => (await lite.dumpDataDir("none")) as Blob,
    async claimWriter() {
      if (claimed !== null) return { holder: await readWriter(base) };
      const token = newToken();
      await recordWriter(base, token);
      claimed = token;
      const lock: WriterLock = {
        token,
        held: () => claimed === token && !closed,
        onLost: () => undefined,
        async release() {
          if (claimed === token) claimed = null;
        },
      };
      return { lock };
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await lite.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

/** Removes what a failed first open wrote into a folder that was empty, keeping the folder. */
async function emptyFolder(folder: string): Promise<void> {
  for (const entry of await readdir(folder).catch(() => [])) {
    await rm(path.join(folder, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

async function openPostgres(databaseUrl: string, schema: string, logger?: Logger): Promise<Db> {
  const where = postgresWhere(databaseUrl);
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      STRING_TYPES.includes(oid)
        ? (v: string) => v
        : (pg.types.getTypeParser as (o: number, f?: string) => (v: string) => unknown)(
            oid,
            format,
          ),
  };
  const connection: pg.ClientConfig = {
    connectionString: databaseUrl,
    types: types as pg.CustomTypesConfig,
    // Every connection works in the schema from its first statement on.
    options: `-c search_path=${schema}`,
    keepAlive: true,
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS ?? 10_000),
  };

  // The first connection says at once whether the server, the login and the database are right.
  const setup = new pg.Client(connection);
  setup.on("error", () => undefined);
  try {
    await setup.connect();
    if (schema !== "public") await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    await setup.end().catch(() => undefined);
    throw storeErrorOf(error, where, true) ?? error;
  }
  await setup.end().catch(() => undefined);

  const pool = new pg.Pool({ ...connection, max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
  // An idle connection that breaks (the server restarts, a proxy drops it) is removed from the pool;
  // without a listener the 'error' event would end the process.
  pool.on("error", (error) => {
    logger?.warn(
      { event: "store_connection_lost", err: storeErrorOf(error, where)?.message ?? error.message },
      "store",
    );
  });
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable =>
    translating(where, {
      async query<T>(sql: string, params?: unknown[]) {
        const result = await q.query(sql, params as unknown[]);
        return { rows: result.rows as T[] };
      },
      async exec(sql: string) {
        await q.query(sql);
      },
    });
  const base = wrap(pool);
  const writerKey = `datacoop.writer:${schema}`;

  async function claimWriter(): Promise<
    { lock: WriterLock } | { holder: Awaited<ReturnType<typeof readWriter>> }
  > {
    // The lock lives as long as this session: its own connection, never the pool's.
    const client = new pg.Client({
      ...connection,
      application_name: `datacoop writer ${process.pid}@${os.hostname()}`.slice(0, 63),
    });
    const listeners: ((reason: Error) => void)[] = [];
    let held = false;
    let lost: Error | null = null;
    let timer: NodeJS.Timeout | undefined;
    const markLost = (reason: Error) => {
      if (lost) return;
      lost = storeErrorOf(reason, where) ?? reason;
      const wasHeld = held;
      held = false;
      clearInterval(timer);
      client.end().catch(() => undefined);
      if (wasHeld) for (const l of listeners) l(lost);
    };
    client.on("error", markLost);
    client.on("end", () => markLost(new Error("the writer lock's connection ended")));
    const q = translating(where, {
      async query<T>(sql: string, params?: unknown[]) {
        return { rows: (await client.query(sql, params as unknown[])).rows as T[] };
      },
      async exec(sql: string) {
        await client.query(sql);
      },
    });
    try {
      await client.connect();
      const { rows } = await q.query<{ ok: boolean }>(
        "SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok",
        [writerKey],
      );
      if (!rows[0]?.ok) {
        const holder = await readWriter(q);
        lost = new Error("not taken");
        await client.end().catch(() => undefined);
        return { holder };
      }
      const token = newToken();
      await recordWriter(q, token);
      held = true;
      // Notices a dead connection within seconds even when nothing is written (and keeps it in use).
      timer = setInterval(() => {
        client.query("SELECT 1").catch((error: Error) => markLost(error));
      }, 5_000);
      timer.unref();
      return {
        lock: {
          token,
          held: () => held,
          onLost: (listener) => void listeners.push(listener),
          async release() {
            held = false;
            lost ??= new Error("released");
            clearInterval(timer);
            await client.end().catch(() => undefined);
          },
        },
      };
    } catch (error) {
      lost ??= error as Error;
      await client.end().catch(() => undefined);
      throw storeErrorOf(error, where) ?? error;
    }
  }

  return {
    kind: "postgres",
    where,
    ...base,
    async transaction(fn) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw storeErrorOf(error, where) ?? error;
      }
      let broken = false;
      // A checked-out client has no listener of the pool's: its connection breaking between two queries
      // (the transaction waits on the chain) would emit an unhandled 'error' and end the process. The
      // next query fails instead ("not queryable": connection_lost) and the client is not given back.
      const onError = (error: Error) => {
        broken = true;
        logger?.warn(
          {
            event: "store_connection_lost",
            err: storeErrorOf(error, where)?.message ?? error.message,
          },
          "store",
        );
      };
      client.on("error", onError);
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        const translated = storeErrorOf(error, where);
        // A broken connection is not given back to the pool; the server rolled its transaction back.
        broken = translated !== undefined;
        if (!broken) await client.query("ROLLBACK").catch(() => (broken = true));
        throw translated ?? error;
      } finally {
        client.off("error", onError);
        // A broken client is destroyed by release(true); its late errors have nowhere else to go.
        if (broken) client.on("error", () => undefined);
        client.release(broken);
      }
    },
    claimWriter,
    close: () => pool.end(),
  };
}
