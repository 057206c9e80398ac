/**
 * Decodes raw logs of the co-op's contracts with the generated ABIs. One `eth_getLogs` call covers all
 * contracts; each log is decoded with its own contract's ABI (two contracts may share an event name).
 */
import { decodeEventLog, getAddress, type Abi, type Address, type Hex, type Log } from "viem";
import {
  accessLogAbi,
  consentAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "../../../shared/abis.generated.ts";
import type { ContractName, Deployment } from "../deployment.ts";
import type { ChainLog } from "./types.ts";

export const ABIS: Record<ContractName, Abi> = {
  timelock: timelockAbi,
  membership: membershipAbi,
  governor: governorAbi,
  registry: registryAbi,
  consent: consentAbi,
  revenue: revenueAbi,
  accessLog: accessLogAbi,
};

export interface LogDecoder {
  addresses: Address[];
  /** Decodes a log; undefined for a log of another address or an unknown event. */
  decode(log: Log, blockTime: bigint): ChainLog | undefined;
}

export function logDecoder(deployment: Deployment): LogDecoder {
  const byAddress = new Map<string, ContractName>();
  for (const [name, address] of Object.entries(deployment.contracts)) {
    byAddress.set(address.toLowerCase(), name as ContractName);
  }
  return {
    addresses: Object.values(deployment.contracts),
    decode(log, blockTime) {
      const contract = byAddress.get(log.address.toLowerCase());
      if (!contract || log.blockNumber === null || log.blockHash === null) return undefined;
      if (log.logIndex === null || log.transactionHash === null) return undefined;
      try {
        const { eventName, args } = decodeEventLog({
          abi: ABIS[contract],
          data: log.data,
          topics: log.topics as [Hex, ...Hex[]],
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
