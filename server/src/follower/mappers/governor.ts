/** Governor events → rows. */
import { keccak256, stringToHex, type Hex } from "viem";
import { dec, lower, num, type ContractMapper } from "./common.ts";
import { decodeCall } from "./calls.ts";

export const governor: ContractMapper = {
  events: {
    ProposalCreated: (a, row) => {
      const targets = a.targets as string[];
      const values = a.values as bigint[];
      const signatures = a.signatures as string[];
      const calldatas = a.calldatas as Hex[];
      const description = String(a.description);
      const proposalId = dec(a.proposalId);
      return [
        row("proposals", {
          proposal_id: proposalId,
          proposer: lower(a.proposer),
          vote_start: dec(a.voteStart),
          vote_end: dec(a.voteEnd),
          description,
          description_hash: keccak256(stringToHex(description)),
          action_count: targets.length,
        }),
        ...targets.map((target, i) => {
          const call = decodeCall(calldatas[i]);
          return row("proposal_actions", {
            proposal_id: proposalId,
            action_index: i,
            target: lower(target),
            value: dec(values[i]),
            signature: signatures[i] ?? "",
            calldata: calldatas[i].toLowerCase(),
            function_name: call?.functionName ?? null,
            args: call ? JSON.stringify(call.args) : null,
          });
        }),
      ];
    },
    VoteCast: (a, row) => [vote(a, row)],
    VoteCastWithParams: (a, row) => [vote(a, row)],
    ProposalQueued: (a, row) => [
      row("proposal_queued", { proposal_id: dec(a.proposalId), eta: dec(a.etaSeconds) }),
    ],
    ProposalExecuted: (a, row) => [row("proposal_executed", { proposal_id: dec(a.proposalId) })],
    ProposalCanceled: (a, row) => [row("proposal_canceled", { proposal_id: dec(a.proposalId) })],
    ProposalExtended: (a, row) => [
      row("proposal_extended", {
        proposal_id: dec(a.proposalId),
        extended_deadline: dec(a.extendedDeadline),
      }),
    ],
  },
  settings: {
    VotingDelaySet: ["voting_delay", "oldVotingDelay", "newVotingDelay"],
    VotingPeriodSet: ["voting_period", "oldVotingPeriod", "newVotingPeriod"],
    LateQuorumVoteExtensionSet: ["late_quorum_extension", "oldVoteExtension", "newVoteExtension"],
    QuorumNumeratorUpdated: ["quorum_numerator", "oldQuorumNumerator", "newQuorumNumerator"],
    TimelockChange: ["timelock", "oldTimelock", "newTimelock"],
  },
  ignored: {
    EIP712DomainChanged: "the EIP-712 domain is fixed at deployment (ERC-5267 bookkeeping)",
  },
};

function vote(a: Record<string, unknown>, row: Parameters<ContractMapper["events"][string]>[1]) {
  return row("votes", {
    proposal_id: dec(a.proposalId),
    voter: lower(a.voter),
    support: num(a.support),
    weight: dec(a.weight),
    reason: String(a.reason),
    params: a.params === undefined ? null : lower(a.params),
  });
}
