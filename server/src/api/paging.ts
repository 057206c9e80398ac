/** Offset pagination: one page of a query plus the total row count. */
import type { Db } from "../store/db.ts";

export interface PageInput {
  limit?: number;
  offset?: number;
}

export async function page<T>(db: Db, sql: string, params: unknown[], input: PageInput) {
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const n = params.length;
  const items = await db.query<T>(`${sql} LIMIT $${n + 1} OFFSET $${n + 2}`, [
    ...params,
    limit,
    offset,
  ]);
  const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) q`, params);
  return { items: items.rows, total: count.rows[0].n, limit, offset };
}
