/**
 * Committed changes to a dataset's records made by this process, told to whoever keeps a copy of them
 * (memory.ts), so a copy one revision behind can be brought up to date without reading the dataset again.
 * A copy that is not exactly one revision behind (another process wrote, or a notice was missed) is read
 * again from the store instead.
 */
import type { Db } from "../../store/db.ts";
import type { RawValue } from "../query/engine.ts";

export interface RecordsChange {
  datasetId: bigint;
  /** The dataset's revision after the change (the change's transaction bumped it by one). */
  revision: bigint;
  member: string;
  memberNo: number;
  /** Records stored (new or replaced), values by field position. */
  stored: { recordId: string; values: RawValue[] }[];
  /** Records erased: their ids, or "all" the member's records in the dataset. */
  erased: readonly string[] | "all";
}

type Listener = (change: RecordsChange) => void;

const listeners = new WeakMap<Db, Set<Listener>>();

export function onRecordsChanged(db: Db, listener: Listener): void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
}

/** Called once the change's transaction has committed. */
export function recordsChanged(db: Db, change: RecordsChange): void {
  for (const listener of listeners.get(db) ?? []) listener(change);
}
