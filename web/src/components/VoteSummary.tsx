/**
 * A vote at a glance, wherever one is shown (the first screen, the list of votes, a partner's request): the
 * tallies, the turnout against what is needed, and the time left, from the read API.
 */
import { useChainNow } from "../chainTime.ts";
import { useI18n } from "../i18n/i18n.tsx";
import type { ApiProposal } from "../lib/indexerApi.ts";
import { liveState } from "../lib/proposal.ts";

export function VoteSummary({
  proposal,
}: {
  proposal: Pick<
    ApiProposal,
    "state" | "forVotes" | "againstVotes" | "abstainVotes" | "quorum" | "deadline" | "voteStart"
  >;
}) {
  const { t, fmt } = useI18n();
  const now = useChainNow();
  const state = liveState(proposal, now);
  const counted = Number(proposal.forVotes) + Number(proposal.abstainVotes);
  const quorum = Number(proposal.quorum);
  const soon = t("time.underMinute");
  const timing =
    state === "pending"
      ? t("proposal.opensIn", { time: fmt.timeLeft(Number(proposal.voteStart) - now, soon) })
      : state === "active"
        ? t("proposal.closesIn", { time: fmt.timeLeft(Number(proposal.deadline) - now, soon) })
        : null;
  return (
    <span className="vote-summary">
      <span className="tallies-inline" data-testid="vote-tallies">
        {t("summary.tallies", {
          for: Number(proposal.forVotes),
          against: Number(proposal.againstVotes),
          abstain: Number(proposal.abstainVotes),
        })}
      </span>
      {state !== "pending" && quorum > 0 && (
        <span className="hint">
          {" · "}
          {counted >= quorum
            ? t("summary.quorumReached")
            : t("summary.quorumMissing", { count: quorum - counted })}
        </span>
      )}
      {timing && (
        <span className="hint" data-testid="vote-time-left">
          {" · "}
          {timing}
        </span>
      )}
    </span>
  );
}
