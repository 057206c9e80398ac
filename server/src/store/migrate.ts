/**
 * Schema migrations: numbered SQL scripts applied once each, in order, every one in its own transaction
 * with the record of having applied it. Parts of the system contribute their own ranges of ids:
 * core (follower, checkpoints) 000–099, chain data 100–199, gateway 200–299, the gateway operator
 * (anchors, allocations) 300–399, relayer 400–499.
 *
 * A released migration never changes: the store records each one's checksum (SHA-256 of its SQL) and a
 * start on a store that applied a different text is refused, naming the migration. A schema change is a
 * new migration.
 */
import { createHash } from "node:crypto";
import type { Db, Queryable } from "./db.ts";

export interface Migration {
  /** Sortable, unique, never reused: e.g. "001_core". */
  id: string;
  sql: string;
  /**
   * Ids this same migration was released under before it was renumbered: a store that recorded one of
   * them has applied this migration (its record is renamed).
   */
  formerIds?: readonly string[];
}

export interface ChangedMigration {
  id: string;
  /** The checksum the store recorded when it applied the migration. */
  recorded: string;
  /** The checksum of the migration's SQL as this code has it. */
  current: string;
}

/** A migration this store applied has a different SQL text now: the start is refused. */
export class MigrationChangedError extends Error {
  readonly changed: ChangedMigration[];

  constructor(changed: ChangedMigration[]) {
    const list = changed
      .map(
        (c) => `${c.id} (applied as ${c.recorded.slice(0, 12)}…, now ${c.current.slice(0, 12)}…)`,
      )
      .join(", ");
    super(
      `Migration${changed.length > 1 ? "s" : ""} ${list} changed after this store applied ${
        changed.length > 1 ? "them" : "it"
      }. A released migration never changes: restore its SQL as released and put the change in a new migration.`,
    );
    this.name = "MigrationChangedError";
    this.changed = changed;
  }
}

/** SHA-256 of a migration's SQL (line endings normalised, so a Windows checkout gives the same). */
export function migrationChecksum(migration: Pick<Migration, "sql">): string {
  return createHash("sha256").update(migration.sql.replace(/\r\n/g, "\n")).digest("hex");
}

// Two processes starting together: the second waits for the first's migrations, then sees them applied.
const LOCK = "SELECT pg_advisory_xact_lock(7470000)";

export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    for (const id of [m.id, ...(m.formerIds ?? [])]) {
      if (ids.has(id)) throw new Error(`Duplicate migration id ${id}`);
      ids.add(id);
    }
  }
  const checksums = new Map(migrations.map((m) => [m.id, migrationChecksum(m)]));

  // First, under the lock: the record table (with checksums since they were introduced), renumbered
  // migrations' records renamed, and every applied migration of this list checked against its checksum.
  // Nothing is applied while one of them differs.
  await db.transaction(async (tx) => {
    await tx.query(LOCK);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      id text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now(),
      checksum text
    );
    ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text;`);
    for (const m of migrations) {
      for (const former of m.formerIds ?? []) {
        await tx.query(
          `UPDATE schema_migrations SET id = $1 WHERE id = $2
           AND NOT EXISTS (SELECT 1 FROM schema_migrations WHERE id = $1)`,
          [m.id, former],
        );
      }
    }
    const recorded = await recordedChecksums(tx, [...checksums.keys()]);
    const changed: ChangedMigration[] = [];
    for (const [id, checksum] of recorded) {
      const current = checksums.get(id)!;
      if (checksum !== null && checksum !== current)
        changed.push({ id, recorded: checksum, current });
    }
    if (changed.length > 0) throw new MigrationChangedError(changed);
    // Applied before checksums were recorded: the text this code has is taken as the one applied. (The
    // migrations edited before then are brought up to date by later ones, e.g. 102_chain_views_rebuilt.)
    await tx.query(
      `UPDATE schema_migrations AS s SET checksum = c.checksum
       FROM unnest($1::text[], $2::text[]) AS c(id, checksum)
       WHERE s.id = c.id AND s.checksum IS NULL`,
      [[...checksums.keys()], [...checksums.values()]],
    );
  });

  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.id.localeCompare(b.id))) {
    const checksum = checksums.get(m.id)!;
    const done = await db.transaction(async (tx) => {
      await tx.query(LOCK);
      const [record] = await recordedChecksums(tx, [m.id]);
      if (record) {
        // Applied meanwhile by another process: by this very text, or that process runs other code.
        if (record[1] !== checksum) {
          throw new MigrationChangedError([
            { id: m.id, recorded: record[1] ?? "", current: checksum },
          ]);
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", [
        m.id,
        checksum,
      ]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}

async function recordedChecksums(
  tx: Queryable,
  ids: string[],
): Promise<[id: string, checksum: string | null][]> {
  const { rows } = await tx.query<{ id: string; checksum: string | null }>(
    "SELECT id, checksum FROM schema_migrations WHERE id = ANY($1::text[])",
    [ids],
  );
  return rows.map((r) => [r.id, r.checksum]);
}
