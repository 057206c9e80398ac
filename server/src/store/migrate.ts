/**
 * Schema migrations: numbered SQL scripts applied once each, in order, every one in its own transaction
 * with the record of having applied it. Parts of the system contribute their own ranges of ids:
 * core (follower, checkpoints) 000–099, chain data 100–199, gateway 200–299, the gateway operator
 * (anchors, allocations) 300–399, relayer 400–499.
 */
import type { Db } from "./db.ts";

export interface Migration {
  /** Sortable, unique, never reused: e.g. "001_core". */
  id: string;
  sql: string;
}

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`Duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const done = await db.transaction(async (tx) => {
      // Two processes starting together: the second waits, then sees the migration applied.
      await tx.query("SELECT pg_advisory_xact_lock(7470000)");
      const { rows } = await tx.query("SELECT 1 FROM schema_migrations WHERE id = $1", [m.id]);
      if (rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (id) VALUES ($1)", [m.id]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}
