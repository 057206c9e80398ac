/**
 * The stores every store-touching test runs on: embedded PGlite always, and a Postgres server when
 * TEST_DATABASE_URL is set (CI sets it; there, a missing server is an error, not a skip).
 */
import { createHash, randomBytes } from "node:crypto";
import { readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { dumpPgliteTemplate, openDb, type Db } from "../../src/store/db.ts";

export interface TestStore {
  name: "pglite" | "postgres";
  /** A fresh, empty database (PGlite in memory, or a new schema on the server). */
  open(): Promise<Db>;
}

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.CI) {
  throw new Error("CI must run the store tests on a Postgres server too: set TEST_DATABASE_URL.");
}

// A new PGlite cluster takes seconds to create; restoring an empty one's data folder is several times faster.
// The dump is kept on disk for the other test files' processes, keyed by the installed PGlite build.
let pgliteTemplate: Promise<Blob> | undefined;

async function loadPgliteTemplate(): Promise<Blob> {
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  const key = createHash("sha256")
    .update(`${entry}:${(await stat(entry)).mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const file = join(tmpdir(), `datacoop-pglite-template-${key}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const blob = await dumpPgliteTemplate();
    // Written aside and renamed, so a concurrent test process never reads half a file.
    const partial = `${file}.${process.pid}`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, file);
    return blob;
  }
}

export const stores: TestStore[] = [
  {
    name: "pglite",
    open: async () => openDb({ template: await (pgliteTemplate ??= loadPgliteTemplate()) }),
  },
  ...(url
    ? [
        {
          name: "postgres" as const,
          open: () => openDb({ databaseUrl: url, schema: `t_${randomBytes(6).toString("hex")}` }),
        },
      ]
    : []),
];

/**
 * Opens `count` stores of one kind once for the enclosing suite (opening PGlite is slow) and closes them
 * after it; the returned array is filled before the suite's first test runs.
 */
export function suiteStores(store: TestStore, count: number): Db[] {
  const dbs: Db[] = [];
  before(async () => {
    for (let i = 0; i < count; i++) dbs.push(await store.open());
  });
  after(async () => {
    await Promise.all(dbs.splice(0).map((db) => db.close()));
  });
  return dbs;
}
