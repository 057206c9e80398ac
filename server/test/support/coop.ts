/**
 * Drives the co-op on a test chain: transactions from the test accounts, reads at a given block, and
 * governance proposals taken through vote, queue and execution with time warps.
 */
import assert from "node:assert/strict";
import { encodeFunctionData, keccak256, stringToHex, type Abi, type Address, type Hex } from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import type { ContractName } from "@datacoop/protocol/contracts";
import type { TestChain } from "./chain.ts";
import { reader } from "./indexChain.ts";

export interface Action {
  target: Address;
  value?: bigint;
  data: Hex;
}

export interface Proposal {
  id: bigint;
  targets: Address[];
  values: bigint[];
  calldatas: Hex[];
  description: string;
  descriptionHash: Hex;
}

export function coop(chain: TestChain) {
  const { testClient, deployment } = chain;
  const publicClient = reader(chain.rpcUrl);
  const address = (c: ContractName) => deployment.contracts[c];

  async function send(
    from: number,
    contract: ContractName,
    functionName: string,
    args: readonly unknown[] = [],
    value?: bigint,
  ) {
    const hash = await chain.wallet(from).writeContract({
      address: address(contract),
      abi: ABIS[contract],
      functionName,
      args,
      value,
    } as never);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success", `${contract}.${functionName} failed`);
    return receipt;
  }

  async function read<T = unknown>(
    contract: ContractName,
    functionName: string,
    args: readonly unknown[] = [],
    blockNumber?: bigint,
  ): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
    return (await publicClient.readContract({
      address: address(contract),
      abi: ABIS[contract],
      functionName,
      args,
      blockNumber,
    } as never)) as T;
  }

  const call = (
    contract: ContractName,
    functionName: string,
    args: readonly unknown[],
  ): Action => ({
    target: address(contract),
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
    data: encodeFunctionData({ abi: ABIS[contract] as Abi, functionName, args } as never),
  });

  async function warp(seconds: number) {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  }

  async function propose(from: number, actions: Action[], description: string): Promise<Proposal> {
    const targets = actions.map((a) => a.target);
    const values = actions.map((a) => a.value ?? 0n);
    const calldatas = actions.map((a) => a.data);
    await send(from, "governor", "propose", [targets, values, calldatas, description]);
    const descriptionHash = keccak256(stringToHex(description));
    const id = await read<bigint>("governor", "getProposalId", [
      targets,
      values,
      calldatas,
      descriptionHash,
    ]);
    return { id, targets, values, calldatas, description, descriptionHash };
  }

  const vote = (from: number, p: Proposal, support: 0 | 1 | 2, reason = "") =>
    reason
      ? send(from, "governor", "castVoteWithReason", [p.id, support, reason])
      : send(from, "governor", "castVote", [p.id, support]);

  const queue = (p: Proposal) =>
    send(0, "governor", "queue", [p.targets, p.values, p.calldatas, p.descriptionHash]);
  const execute = (p: Proposal) =>
    send(0, "governor", "execute", [p.targets, p.values, p.calldatas, p.descriptionHash]);

  /** Proposes, votes For with `voters`, waits out the vote and the timelock, and executes. */
  async function pass(actions: Action[], description: string, voters = [0, 1, 2, 3]) {
    const p = await propose(voters[0], actions, description);
    await warp(2);
    for (const v of voters) await vote(v, p, 1);
    const period = Number(await read<bigint>("governor", "votingPeriod"));
    const extension = Number(await read<number>("governor", "lateQuorumVoteExtension"));
    await warp(period + extension + 1);
    await queue(p);
    await warp(61);
    await execute(p);
    return p;
  }

  async function latestBlock() {
    const block = await publicClient.getBlock();
    return { number: block.number, time: block.timestamp };
  }

  return { address, send, read, call, warp, propose, vote, queue, execute, pass, latestBlock };
}
