/**
 * Batched inserts: rows are grouped by table and column set and written with one multi-row INSERT per
 * group (one round trip per ~1,000 rows instead of one per row).
 */
import type { RowInsert } from "../follower/types.ts";
import type { Queryable } from "./db.ts";

const IDENT = /^[a-z_][a-z0-9_]*$/;
// Postgres allows 65,535 parameters per statement.
const MAX_PARAMS = 60_000;

export async function insertRows(tx: Queryable, rows: readonly RowInsert[]): Promise<void> {
  const groups = new Map<string, { table: string; columns: string[]; rows: RowInsert[] }>();
  for (const row of rows) {
    const columns = Object.keys(row.values);
    const key = `${row.table}(${columns.join(",")})`;
    let group = groups.get(key);
    if (!group) {
      for (const name of [row.table, ...columns]) {
        if (!IDENT.test(name)) throw new Error(`Invalid SQL identifier "${name}"`);
      }
      group = { table: row.table, columns, rows: [] };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  // Keep the original order of tables as first seen (foreign keys, if any, point backwards).
  for (const { table, columns, rows: groupRows } of groups.values()) {
    const perStatement = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    for (let start = 0; start < groupRows.length; start += perStatement) {
      const batch = groupRows.slice(start, start + perStatement);
      const params: unknown[] = [];
      const tuples = batch.map((row) => {
        const placeholders = columns.map((c) => {
          params.push(row.values[c]);
          return `$${params.length}`;
        });
        return `(${placeholders.join(",")})`;
      });
      await tx.query(
        `INSERT INTO ${table} (${columns.join(",")}) VALUES ${tuples.join(",")}`,
        params,
      );
    }
  }
}
