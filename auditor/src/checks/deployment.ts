/**
 * The record against the chain: the node is on the record's chain, every contract it names has code at
 * the audited block, and the contracts are wired to each other (governor → timelock and token, registry
 * ↔ revenue). When this fails, nothing else is checked: the record does not describe this chain.
 */
import { governorAbi, registryAbi, revenueAbi } from "@datacoop/protocol/abis.generated";
import type { Deployment } from "@datacoop/protocol/deployment";
import { result, same, type ChainAt } from "../context.ts";
import type { CheckResult, Violation } from "../report.ts";

export async function checkDeployment(
  chain: ChainAt,
  deployment: Deployment,
  chainId: number,
): Promise<CheckResult> {
  const { client, block, read } = chain;
  const c = deployment.contracts;
  const notes: string[] = [];
  const violations: Violation[] = [];
  if (chainId !== deployment.chainId)
    violations.push({
      message: `The node is on chain ${chainId}, the record names chain ${deployment.chainId}.`,
    });
  for (const [name, address] of Object.entries(c)) {
    const code = await client.getCode({ address, blockNumber: block });
    if (!code || code === "0x")
      violations.push({ message: `No contract at ${name} ${address} at block ${block}.` });
  }
  if (violations.length === 0) {
    const wiring: [string, Promise<unknown>, string][] = [
      ["governor.timelock()", read(c.governor, governorAbi, "timelock"), c.timelock],
      ["governor.token()", read(c.governor, governorAbi, "token"), c.membership],
      ["registry.revenue()", read(c.registry, registryAbi, "revenue"), c.revenue],
      ["revenue.registry()", read(c.revenue, revenueAbi, "registry"), c.registry],
    ];
    for (const [what, value, expected] of wiring) {
      const actual = await value;
      if (!same(actual, expected))
        violations.push({ message: `${what} is ${String(actual)}, expected ${expected}.` });
    }
    notes.push(`7 contracts found on chain ${chainId} and wired to each other.`);
  }
  return result("deployment", "The deployment record matches the chain", notes, violations);
}
