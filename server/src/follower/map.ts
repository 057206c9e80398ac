/**
 * Event → rows. Pure: each decoded log becomes zero or more rows of the chain-data tables
 * (see migrations.ts), by its contract's mapper (mappers/*.ts). Conventions, the same in every table:
 * - addresses are stored lowercase (`0xabc…`), hashes and bytes as lowercase 0x-hex;
 * - unsigned integers of 64 bits or more are decimal strings (numeric(78,0) columns), smaller ones numbers;
 * - every row carries block_number, log_index, block_time and tx_hash of its event.
 *
 * Every event of every contract's ABI is either mapped (`events`), a setting (`settings`, stored in
 * settings_changes) or ignored with its reason (`ignored`); test/follower/events.test.ts walks the ABIs.
 */
import type { ContractName } from "@datacoop/protocol/contracts";
import type { ChainLog, RowInsert } from "./types.ts";
import { dec, lower, type ContractMapper, type Values } from "./mappers/common.ts";
import { accessLog } from "./mappers/accessLog.ts";
import { consent } from "./mappers/consent.ts";
import { governor } from "./mappers/governor.ts";
import { membership } from "./mappers/membership.ts";
import { registry } from "./mappers/registry.ts";
import { revenue } from "./mappers/revenue.ts";
import { timelock } from "./mappers/timelock.ts";

export { decodeCall } from "./mappers/calls.ts";

/** Each contract's mapper. */
export const MAPPERS: Record<ContractName, ContractMapper> = {
  membership,
  governor,
  timelock,
  registry,
  consent,
  revenue,
  accessLog,
};

const settingValue = (v: unknown): string =>
  typeof v === "bigint" || typeof v === "number" ? dec(v) : lower(v);

export function mapLog(log: ChainLog): RowInsert[] {
  const mapper = MAPPERS[log.contract];
  if (!mapper) return [];
  const a = log.args;
  const row = (table: string, values: Values): RowInsert => ({
    table,
    values: {
      ...values,
      block_number: log.blockNumber.toString(),
      log_index: log.logIndex,
      block_time: log.blockTime.toString(),
      tx_hash: log.transactionHash.toLowerCase(),
    },
  });

  const own = <T>(table: Record<string, T> | undefined) =>
    table && Object.hasOwn(table, log.eventName) ? table[log.eventName] : undefined;
  const setting = own(mapper.settings);
  if (setting) {
    const [name, oldArg, newArg] = setting;
    return [
      row("settings_changes", {
        contract: log.contract,
        setting: name,
        old_value: settingValue(a[oldArg]),
        new_value: settingValue(a[newArg]),
      }),
    ];
  }
  const map = own(mapper.events);
  // Ignored events (mapper.ignored) and events no ABI of ours describes: no rows.
  return map ? map(a, row, log) : [];
}
