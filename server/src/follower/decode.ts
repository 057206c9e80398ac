/**
 * Decodes raw logs of the co-op's contracts with the generated ABIs. One `eth_getLogs` call covers all
 * contracts; each log is decoded with its own contract's ABI (two contracts may share an event name).
 */
import {
  decodeAbiParameters,
  decodeEventLog,
  getAddress,
  toEventSelector,
  type Abi,
  type AbiParameter,
  type Address,
  type Hex,
  type Log,
} from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import type { ContractName } from "@datacoop/protocol/contracts";
import type { Deployment } from "@datacoop/protocol/deployment";
import type { ChainLog } from "./types.ts";

export interface LogDecoder {
  addresses: Address[];
  /** Decodes a log; undefined for a log of another address or an unknown event. */
  decode(log: Log, blockTime: bigint): ChainLog | undefined;
}

/** An event's parameters split as they are encoded: indexed ones in topics 1..3, the rest in data. */
interface EventLayout {
  name: string;
  indexed: AbiParameter[];
  data: AbiParameter[];
  /** Whether every parameter has a name (args become an object, as viem's decodeEventLog returns). */
  named: boolean;
}

/** Event layouts by topic 0, computed once per ABI (viem's decodeEventLog hashes every signature per log). */
function layouts(abi: Abi): Map<string, EventLayout> {
  const map = new Map<string, EventLayout>();
  for (const item of abi) {
    if (item.type !== "event" || item.anonymous) continue;
    const event = item;
    map.set(toEventSelector(event), {
      name: event.name,
      indexed: event.inputs.filter((i) => i.indexed),
      data: event.inputs.filter((i) => !i.indexed),
      named: event.inputs.every((i) => i.name),
    });
  }
  return map;
}

// Indexed parameters of these types are stored as their keccak hash, not their value.
const HASHED = /^(string|bytes|tuple)$|\[/;

function decodeFast(
  layout: EventLayout,
  topics: Hex[],
  data: Hex,
): Record<string, unknown> | undefined {
  if (!layout.named || topics.length !== layout.indexed.length + 1) return undefined;
  const args: Record<string, unknown> = {};
  layout.indexed.forEach((param, i) => {
    const topic = topics[i + 1];
    args[param.name!] = HASHED.test(param.type) ? topic : decodeAbiParameters([param], topic)[0];
  });
  if (layout.data.length > 0) {
    const values = decodeAbiParameters(layout.data, data);
    layout.data.forEach((param, i) => (args[param.name!] = values[i]));
  }
  return args;
}

export function logDecoder(deployment: Deployment): LogDecoder {
  const byAddress = new Map<string, ContractName>();
  const layoutsOf = new Map<ContractName, Map<string, EventLayout>>();
  for (const [name, address] of Object.entries(deployment.contracts)) {
    byAddress.set(address.toLowerCase(), name as ContractName);
    layoutsOf.set(name as ContractName, layouts(ABIS[name as ContractName]));
  }
  return {
    addresses: Object.values(deployment.contracts),
    decode(log, blockTime) {
      const contract = byAddress.get(log.address.toLowerCase());
      if (!contract || log.blockNumber === null || log.blockHash === null) return undefined;
      if (log.logIndex === null || log.transactionHash === null) return undefined;
      const layout = layoutsOf.get(contract)!.get(log.topics[0] ?? "");
      if (!layout) return undefined; // an event this ABI does not describe
      try {
        const fast = decodeFast(layout, log.topics, log.data);
        const { eventName, args } = fast
          ? { eventName: layout.name, args: fast }
          : decodeEventLog({
              abi: ABIS[contract],
              data: log.data,
              topics: log.topics,
            });
        return {
          contract,
          address: getAddress(log.address),
          eventName: String(eventName),
          args: (args ?? {}) as Record<string, unknown>,
          blockNumber: log.blockNumber,
          blockHash: log.blockHash,
          blockTime,
          logIndex: log.logIndex,
          transactionHash: log.transactionHash,
        };
      } catch {
        return undefined; // an event this ABI does not describe
      }
    },
  };
}
