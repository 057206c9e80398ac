/**
 * Reads every event of the co-op's contracts from the deployment block to the audited block, in chunks
 * (public RPC providers limit a getLogs range; a refused range is halved and retried), and decodes each
 * with its own contract's ABI.
 */
import { decodeEventLog, getAddress, type Address, type Hex, type PublicClient } from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import { CONTRACTS, type ContractName } from "@datacoop/protocol/contracts";
import type { Deployment } from "@datacoop/protocol/deployment";

export interface AuditEvent {
  contract: ContractName;
  address: Address;
  name: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  transactionHash: Hex;
  logIndex: number;
}

export interface ScanProgress {
  (done: bigint, total: bigint, events: number): void;
}

export function label(event: AuditEvent): string {
  return `${CONTRACTS[event.contract].name}.${event.name}`;
}

export async function scanEvents(
  client: PublicClient,
  deployment: Deployment,
  toBlock: bigint,
  options: { chunk?: bigint; onProgress?: ScanProgress } = {},
): Promise<AuditEvent[]> {
  const byAddress = new Map<string, ContractName>();
  for (const [name, address] of Object.entries(deployment.contracts)) {
    byAddress.set(address.toLowerCase(), name as ContractName);
  }
  const addresses = Object.values(deployment.contracts);
  const fromBlock = BigInt(deployment.startBlock);
  const total = toBlock >= fromBlock ? toBlock - fromBlock + 1n : 0n;
  let chunk = options.chunk ?? 10_000n;
  const events: AuditEvent[] = [];
  let from = fromBlock;
  while (from <= toBlock) {
    const to = from + chunk - 1n < toBlock ? from + chunk - 1n : toBlock;
    let logs;
    try {
      logs = await client.getLogs({ address: addresses, fromBlock: from, toBlock: to });
    } catch (error) {
      if (chunk > 1n) {
        chunk = chunk / 2n;
        continue;
      }
      throw error;
    }
    for (const log of logs) {
      const contract = byAddress.get(log.address.toLowerCase());
      if (!contract || log.blockNumber === null || log.transactionHash === null) continue;
      let decoded;
      try {
        decoded = decodeEventLog({
          abi: ABIS[contract],
          data: log.data,
          topics: log.topics,
        });
      } catch {
        continue; // an event this version's ABI does not know
      }
      events.push({
        contract,
        address: getAddress(log.address),
        name: decoded.eventName ?? "",
        args: (decoded.args ?? {}) as Record<string, unknown>,
        blockNumber: log.blockNumber,
        transactionHash: log.transactionHash,
        logIndex: log.logIndex ?? 0,
      });
    }
    options.onProgress?.(to - fromBlock + 1n, total, events.length);
    from = to + 1n;
  }
  events.sort((a, b) =>
    a.blockNumber === b.blockNumber
      ? a.logIndex - b.logIndex
      : a.blockNumber < b.blockNumber
        ? -1
        : 1,
  );
  return events;
}
