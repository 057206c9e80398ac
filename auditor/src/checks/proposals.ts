/**
 * Proposals: the votes on each proposal (one per member, of weight one), then quorum and majority
 * (quorum.ts) and the timelock's actions (timelockActions.ts) for each one executed. One check in the
 * report; the facts it gathers (which executed proposals passed) feed the decisions check.
 */
import { at, result, short, type AuditContext } from "../context.ts";
import type { CheckResult, Violation } from "../report.ts";
import type { AuditEvent } from "../scan.ts";
import { checkQuorum } from "./quorum.ts";
import { checkTimelockActions } from "./timelockActions.ts";

export interface ProposalFacts {
  id: bigint;
  created?: AuditEvent;
  votes: { for: bigint; against: bigint; abstain: bigint };
  voters: Set<string>;
  executed?: AuditEvent;
  /** Set for executed proposals: whether they met quorum with a majority. */
  passed?: boolean;
}

/** Every proposal's creation, votes and execution; a double vote or a vote of weight above one is a violation. */
export function tallyProposals(ctx: AuditContext): {
  proposals: Map<bigint, ProposalFacts>;
  violations: Violation[];
} {
  const proposals = new Map<bigint, ProposalFacts>();
  const proposal = (id: bigint) => {
    let p = proposals.get(id);
    if (!p) {
      p = { id, votes: { for: 0n, against: 0n, abstain: 0n }, voters: new Set() };
      proposals.set(id, p);
    }
    return p;
  };
  const violations: Violation[] = [];
  for (const e of ctx.events) {
    if (e.contract !== "governor") continue;
    if (e.name === "ProposalCreated") proposal(e.args.proposalId as bigint).created = e;
    if (e.name === "VoteCast" || e.name === "VoteCastWithParams") {
      const p = proposal(e.args.proposalId as bigint);
      const voter = String(e.args.voter).toLowerCase();
      if (p.voters.has(voter))
        violations.push(at(e, `${e.args.voter} voted twice on proposal ${short(p.id)}.`));
      p.voters.add(voter);
      const weight = e.args.weight as bigint;
      if (weight > 1n)
        violations.push(
          at(
            e,
            `${e.args.voter} cast ${weight} votes on proposal ${short(p.id)}; a member has one.`,
          ),
        );
      const support = Number(e.args.support);
      if (support === 0) p.votes.against += weight;
      else if (support === 1) p.votes.for += weight;
      else p.votes.abstain += weight;
    }
    if (e.name === "ProposalExecuted") proposal(e.args.proposalId as bigint).executed = e;
  }
  return { proposals, violations };
}

export async function checkProposals(
  ctx: AuditContext,
): Promise<{ check: CheckResult; proposals: Map<bigint, ProposalFacts> }> {
  const { proposals, violations } = tallyProposals(ctx);
  violations.push(...(await checkQuorum(ctx, proposals)));
  violations.push(...checkTimelockActions(ctx, proposals));
  const executed = [...proposals.values()].filter((p) => p.executed).length;
  const check = result(
    "proposals",
    "Every executed proposal met quorum and passed",
    [
      `${proposals.size} proposals, ${executed} executed; ${ctx.ofName("timelock", "CallExecuted").length} timelock calls, all checked against their proposal.`,
    ],
    violations,
  );
  return { check, proposals };
}
