/**
 * What every contract's mapper shares: value conventions and the row builder. See ../map.ts.
 */
import type { ChainLog, RowInsert } from "../types.ts";

export type Values = RowInsert["values"];

export const lower = (v: unknown): string => String(v).toLowerCase();
export const dec = (v: unknown): string => BigInt(v as bigint | number | string).toString();
export const num = (v: unknown): number => Number(v);

/** Values that can go into a JSON column: bigints as decimal strings, addresses and bytes lowercase. */
export function jsonable(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "string") return /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(jsonable);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonable(x)]));
  }
  return v;
}

/** Builds a row of `table` with the event's position (block, log index, time, transaction). */
export type Row = (table: string, values: Values) => RowInsert;

/** One event's rows from its decoded arguments. */
export type EventMapper = (args: Record<string, unknown>, row: Row, log: ChainLog) => RowInsert[];

/**
 * One contract's events: those mapped to rows, settings (event → [setting, old value arg, new value arg],
 * stored in settings_changes), and those deliberately not stored, each with the reason.
 */
export interface ContractMapper {
  events: Record<string, EventMapper>;
  settings?: Record<string, [setting: string, oldArg: string, newArg: string]>;
  ignored?: Record<string, string>;
}

/** A one-value setting announced without its old value (stored with old_value null). */
export const setOnce =
  (contract: string, setting: string, arg: string): EventMapper =>
  (a, row) => [
    row("settings_changes", { contract, setting, old_value: null, new_value: lower(a[arg]) }),
  ];
