/**
 * Quorum and majority: every executed proposal had, at its snapshot, For + Abstain votes reaching the
 * governor's quorum, and more For than Against. Marks each executed proposal passed or not, for the
 * decisions it caused.
 */
import { governorAbi } from "@datacoop/protocol/abis.generated";
import { at, short, type AuditContext } from "../context.ts";
import type { Violation } from "../report.ts";
import type { ProposalFacts } from "./proposals.ts";

export async function checkQuorum(
  ctx: AuditContext,
  proposals: Map<bigint, ProposalFacts>,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const p of proposals.values()) {
    if (!p.executed) continue;
    const e = p.executed;
    if (!p.created) {
      violations.push(at(e, `Proposal ${short(p.id)} was executed but never created.`));
      p.passed = false;
      continue;
    }
    const snapshot = p.created.args.voteStart as bigint;
    const quorum = await ctx.read<bigint>(ctx.contracts.governor, governorAbi, "quorum", [
      snapshot,
    ]);
    const { for: pro, against, abstain } = p.votes;
    const metQuorum = pro + abstain >= quorum;
    const majority = pro > against;
    p.passed = metQuorum && majority;
    if (!metQuorum)
      violations.push(
        at(
          e,
          `Proposal ${short(p.id)} was executed without quorum: ${pro} For + ${abstain} Abstain < ${quorum}.`,
        ),
      );
    else if (!majority)
      violations.push(
        at(
          e,
          `Proposal ${short(p.id)} was executed without a majority: ${pro} For, ${against} Against.`,
        ),
      );
  }
  return violations;
}
