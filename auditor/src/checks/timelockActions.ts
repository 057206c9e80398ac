/**
 * Timelock actions: the timelock ran exactly each executed proposal's actions, under the governor's
 * salt, in the execution's transaction; and every call the timelock executed belongs to a governor's
 * execution.
 */
import { encodeAbiParameters, keccak256, stringToHex, toHex, type Address, type Hex } from "viem";
import { ZERO_HASH, at, short, type AuditContext } from "../context.ts";
import type { Violation } from "../report.ts";
import type { ProposalFacts } from "./proposals.ts";

export function checkTimelockActions(
  ctx: AuditContext,
  proposals: Map<bigint, ProposalFacts>,
): Violation[] {
  const { byTx, contracts: c } = ctx;
  const violations: Violation[] = [];
  for (const p of proposals.values()) {
    if (!p.executed || !p.created) continue;
    const e = p.executed;
    const targets = p.created.args.targets as Address[];
    const values = p.created.args.values as bigint[];
    const calldatas = p.created.args.calldatas as Hex[];
    const descriptionHash = keccak256(stringToHex(p.created.args.description as string));
    const salt = toHex((BigInt(c.governor) << 96n) ^ BigInt(descriptionHash), { size: 32 });
    const operationId = keccak256(
      encodeAbiParameters(
        [
          { type: "address[]" },
          { type: "uint256[]" },
          { type: "bytes[]" },
          { type: "bytes32" },
          { type: "bytes32" },
        ],
        [targets, values, calldatas, ZERO_HASH, salt],
      ),
    );
    const calls = (byTx.get(e.transactionHash) ?? []).filter(
      (x) => x.contract === "timelock" && x.name === "CallExecuted" && x.args.id === operationId,
    );
    if (calls.length !== targets.length)
      violations.push(
        at(
          e,
          `The timelock did not run proposal ${short(p.id)}'s ${targets.length} action(s) in its execution.`,
        ),
      );
  }
  for (const e of ctx.ofName("timelock", "CallExecuted")) {
    const governed = (byTx.get(e.transactionHash) ?? []).some(
      (x) => x.contract === "governor" && x.name === "ProposalExecuted",
    );
    if (!governed)
      violations.push(
        at(e, `The timelock executed a call to ${e.args.target} outside any governor proposal.`),
      );
  }
  return violations;
}
