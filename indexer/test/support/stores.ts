/**
 * The stores every store-touching test runs on: embedded PGlite always, and a Postgres server when
 * TEST_DATABASE_URL is set (CI sets it; there, a missing server is an error, not a skip).
 */
import { randomBytes } from "node:crypto";
import { after, before } from "node:test";
import { openDb, type Db } from "../../src/store/db.ts";

export interface TestStore {
  name: "pglite" | "postgres";
  /** A fresh, empty database (PGlite in memory, or a new schema on the server). */
  open(): Promise<Db>;
}

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.CI) {
  throw new Error("CI must run the store tests on a Postgres server too: set TEST_DATABASE_URL.");
}

export const stores: TestStore[] = [
  { name: "pglite", open: () => openDb({}) },
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
