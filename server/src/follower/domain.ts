/** The chain-data domain: tables, event → rows mapping, derived views. See ../chain/types.ts. */
import type { Domain } from "./types.ts";
import { mapLog } from "./map.ts";
import { migrations, TABLE_NAMES } from "./migrations.ts";

export const domain: Domain = {
  migrations,
  tables: TABLE_NAMES,
  map: mapLog,
};
