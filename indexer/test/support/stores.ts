/**
 * The stores every store-touching test runs on: embedded PGlite always, and a Postgres server when
 * TEST_DATABASE_URL is set (CI sets it; there, a missing server is an error, not a skip).
 */
import { randomBytes } from "node:crypto";
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
