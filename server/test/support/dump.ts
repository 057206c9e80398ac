/**
 * Every table and view of the current schema, rows sorted, for "this store equals that store" — but the
 * store's record of its own processes (its writer, the gateway secret's fingerprint), which differs from
 * one run to the next however equal the data.
 */
import type { Db } from "../../src/store/db.ts";

export async function dumpStore(db: Db): Promise<Record<string, string[]>> {
  const { rows: tables } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema()
       AND table_name NOT IN ('schema_migrations', 'store_writer', 'store_meta')
     ORDER BY table_name`,
  );
  const dump: Record<string, string[]> = {};
  for (const { table_name } of tables) {
    const { rows } = await db.query(`SELECT * FROM ${table_name}`);
    dump[table_name] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return dump;
}

/** Empties the current schema (tables, views, everything) so the store can be indexed afresh. */
export async function resetStore(db: Db): Promise<void> {
  const { rows } = await db.query<{ schema: string }>("SELECT current_schema() AS schema");
  const schema = rows[0].schema;
  await db.exec(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema};`);
}
