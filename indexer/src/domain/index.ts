/** The chain-data domain: tables, event → rows mapping, derived views. See ../chain/types.ts. */
import type { Domain } from "../chain/types.ts";

export const domain: Domain = {
  migrations: [],
  tables: [],
  map: () => [],
};
