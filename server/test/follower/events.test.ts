/**
 * Every event any contract of the co-op emits reaches the store or is ignored on purpose: the test walks
 * the generated ABIs and fails on an event the follower has no mapping, setting or documented ignore for.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ABIS } from "@datacoop/protocol/abis.generated";
import { CONTRACT_NAMES } from "@datacoop/protocol/contracts";
import { MAPPERS, mapLog } from "../../src/follower/map.ts";
import { TABLE_NAMES } from "../../src/follower/migrations.ts";
import type { ChainLog } from "../../src/follower/types.ts";

const eventsOf = (name: (typeof CONTRACT_NAMES)[number]) =>
  (ABIS[name] as readonly { type: string; name?: string }[])
    .filter((item) => item.type === "event")
    .map((item) => item.name!);

describe("every contract event", () => {
  it("is mapped, a setting, or ignored with a reason", () => {
    const unhandled: string[] = [];
    for (const contract of CONTRACT_NAMES) {
      const mapper = MAPPERS[contract];
      assert.ok(mapper, `no mapper for ${contract}`);
      for (const event of eventsOf(contract)) {
        const kinds = [
          Object.hasOwn(mapper.events, event),
          Object.hasOwn(mapper.settings ?? {}, event),
          Object.hasOwn(mapper.ignored ?? {}, event),
        ].filter(Boolean).length;
        if (kinds !== 1) unhandled.push(`${contract}.${event} (${kinds} ways)`);
      }
    }
    assert.deepEqual(unhandled, [], "events with no single mapping");
  });

  it("names only events the ABIs have, and ignores each for a stated reason", () => {
    const stale: string[] = [];
    for (const contract of CONTRACT_NAMES) {
      const known = new Set(eventsOf(contract));
      const mapper = MAPPERS[contract];
      for (const [event, reason] of Object.entries(mapper.ignored ?? {})) {
        if (!known.has(event)) stale.push(`${contract}.${event}`);
        assert.ok(reason.length > 10, `${contract}.${event} is ignored without a reason`);
      }
      for (const event of [...Object.keys(mapper.events), ...Object.keys(mapper.settings ?? {})]) {
        if (!known.has(event)) stale.push(`${contract}.${event}`);
      }
    }
    assert.deepEqual(stale, [], "mappings for events no ABI has");
  });

  it("writes only tables the migrations create", () => {
    // Each mapped event, with arguments of every name its ABI gives, maps into known tables.
    for (const contract of CONTRACT_NAMES) {
      const abi = ABIS[contract] as readonly {
        type: string;
        name?: string;
        inputs?: { name: string; type: string; components?: { name: string; type: string }[] }[];
      }[];
      for (const item of abi) {
        if (item.type !== "event" || !Object.hasOwn(MAPPERS[contract].events, item.name!)) continue;
        const sample = (type: string, components?: { name: string; type: string }[]): unknown => {
          if (type.endsWith("[]")) return [];
          if (type === "tuple")
            return Object.fromEntries((components ?? []).map((c) => [c.name, sample(c.type)]));
          if (type === "address") return "0x00000000000000000000000000000000000000aa";
          if (type === "bool") return true;
          if (type === "string") return "x";
          if (type.startsWith("bytes")) return `0x${"11".repeat(32)}`;
          return 1n;
        };
        const args = Object.fromEntries(
          (item.inputs ?? []).map((i) => [i.name, sample(i.type, i.components)]),
        );
        const log: ChainLog = {
          contract,
          address: "0x00000000000000000000000000000000000000bb",
          eventName: item.name!,
          args,
          blockNumber: 1n,
          blockHash: `0x${"22".repeat(32)}`,
          blockTime: 1n,
          logIndex: 0,
          transactionHash: `0x${"33".repeat(32)}`,
        };
        for (const row of mapLog(log)) {
          assert.ok(TABLE_NAMES.includes(row.table), `${contract}.${item.name} → ${row.table}`);
        }
      }
    }
  });
});
