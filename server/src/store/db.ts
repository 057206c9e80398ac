/**
 * The store: one Postgres schema, either embedded PGlite (a data folder, the default: nothing to install)
 * or a Postgres server when a `DATABASE_URL` is given. Both run the same SQL. Every 64-bit integer and
 * numeric comes back as a string on both, so on-chain uint256 values never lose precision.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

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
  /** Runs `fn` in one transaction: committed if it returns, rolled back if it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
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
}

// int8, numeric → string (as node-postgres does by default).
const STRING_TYPES = [20, 1700];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDb(options: OpenDbOptions = {}): Promise<Db> {
  const schema = options.schema ?? "public";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}".`);
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, schema)
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

async function openPglite(dataDir: string, schema: string, template?: Blob): Promise<Db> {
  const parsers = Object.fromEntries(STRING_TYPES.map((t) => [t, (v: string) => v]));
  const lite = await PGlite.create(dataDir, { parsers, loadDataDir: template });
  if (schema !== "public") {
    await lite.exec(`CREATE SCHEMA IF NOT EXISTS ${schema}; SET search_path TO ${schema};`);
  }
  const wrap = (q: Pick<PGlite, "query" | "exec">): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const result = await q.query<T>(sql, params);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(lite);
  return {
    kind: "pglite",
    ...base,
    transaction: (fn) => lite.transaction((tx) => fn(wrap(tx))),
    close: () => lite.close(),
  };
}

async function openPostgres(databaseUrl: string, schema: string): Promise<Db> {
  const types = {
    getTypeParser: (oid: number, format?: "text" | "binary") =>
      STRING_TYPES.includes(oid)
        ? (v: string) => v
        : (pg.types.getTypeParser as (o: number, f?: string) => (v: string) => unknown)(
            oid,
            format,
          ),
  };
  if (schema !== "public") {
    const setup = new pg.Client({ connectionString: databaseUrl });
    await setup.connect();
    try {
      await setup.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    types: types as pg.CustomTypesConfig,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    // Every connection works in the schema from its first statement on.
    options: `-c search_path=${schema}`,
  });
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const result = await q.query(sql, params as unknown[]);
      return { rows: result.rows as T[] };
    },
    async exec(sql: string) {
      await q.query(sql);
    },
  });
  return {
    kind: "postgres",
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await fn(wrap(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
