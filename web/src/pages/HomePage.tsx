/**
 * The first screen: the co-op by name, what waits for this member (votes they have not cast yet, with
 * tallies and time left; fees to collect), the other open votes, and where to go next.
 */
import { useConnection, useReadContracts } from "wagmi";
import { governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../appConfig.tsx";
import { useChainNow } from "../chainTime.ts";
import { VoteSummary } from "../components/VoteSummary.tsx";
import { useCoopName, useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useMemberClaims, useMemberDetail, useProposalNumbers, useProposals } from "../indexer.ts";
import type { ApiProposal } from "../lib/indexerApi.ts";
import { liveState, proposalTitle } from "../lib/proposal.ts";
import { useRefetchOnBlock } from "../live.ts";

const ZERO = "0x0000000000000000000000000000000000000000" as const;

export function HomePage() {
  const { t, fmt } = useI18n();
  const coop = useCoopName();
  useDocumentTitle("");
  const me = useConnection().address;
  const member = useMemberDetail(me).data;
  const claims = useMemberClaims(me).data;
  const toCollect = (claims?.claimable ?? []).reduce((s, c) => s + BigInt(c.amount), 0n);
  return (
    <section aria-labelledby="home-title" className="page">
      <h1 id="home-title">{coop}</h1>
      <p className="hint">{t("home.intro")}</p>
      {!me && <p className="panel">{t("home.connect")}</p>}
      {me && member && (
        <p data-testid="home-status">
          {member.isMember && member.memberId
            ? t("home.member", { id: member.memberId })
            : t("home.notMember")}{" "}
          {!member.isMember && <a href="#/membership">{t("home.apply")}</a>}
        </p>
      )}
      <div className="columns">
        <OpenVotes me={me} />
        <div>
          {me && toCollect > 0n && (
            <div className="panel" data-testid="home-fees">
              <h2>{t("home.fees")}</h2>
              <p>{t("home.fees.amount", { amount: fmt.eth(toCollect) })}</p>
              <a className="button primary" href="#/data">
                {t("home.fees.collect")}
              </a>
            </div>
          )}
          <div className="panel">
            <h2>{t("home.next")}</h2>
            <ul className="links">
              <li>
                <a href="#/consent">{t("home.link.consent")}</a>
              </li>
              <li>
                <a href="#/data">{t("home.link.data")}</a>
              </li>
              <li>
                <a href="#/benchmark">{t("home.link.benchmark")}</a>
              </li>
              <li>
                <a href="#/propose">{t("home.link.propose")}</a>
              </li>
            </ul>
          </div>
        </div>
      </div>
    </section>
  );
}

/** Votes open now: first those waiting for this member's vote, then the rest. */
function OpenVotes({ me }: { me: `0x${string}` | undefined }) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const proposals = useProposals();
  const now = useChainNow();
  const open = (proposals.data?.items ?? []).filter((p) => {
    const state = liveState(p, now);
    return state === "active" || state === "pending";
  });
  const active = open.filter((p) => liveState(p, now) === "active");
  const governor = {
    address: deployment.contracts.governor,
    abi: governorAbi,
    chainId: deployment.chainId,
  } as const;
  // Per open vote: has this member voted, and did they hold a vote when it opened?
  const reads = useReadContracts({
    allowFailure: false,
    contracts: active.flatMap(
      (p) =>
        [
          { ...governor, functionName: "hasVoted", args: [BigInt(p.proposalId), me ?? ZERO] },
          {
            address: deployment.contracts.membership,
            abi: membershipAbi,
            chainId: deployment.chainId,
            functionName: "getPastVotes",
            args: [me ?? ZERO, BigInt(p.voteStart)],
          },
        ] as const,
    ),
    query: { enabled: me !== undefined && active.length > 0 },
  });
  useRefetchOnBlock(reads.refetch);
  const waiting = new Set<string>();
  if (reads.data)
    active.forEach((p, i) => {
      const voted = reads.data[2 * i] as boolean;
      const votes = reads.data[2 * i + 1] as bigint;
      if (!voted && votes > 0n) waiting.add(p.proposalId);
    });
  const others = open.filter((p) => !waiting.has(p.proposalId));
  return (
    <div>
      {me && (
        <div className="panel" data-testid="waiting-votes">
          <h2>{t("home.waiting")}</h2>
          {!reads.data && active.length > 0 ? (
            <p role="status">{t("read.loading")}</p>
          ) : waiting.size === 0 ? (
            <p className="hint">{t("home.waiting.none")}</p>
          ) : (
            <>
              <p>
                <strong>{t("home.waiting.count", { count: waiting.size })}</strong>
              </p>
              <ProposalCards items={active.filter((p) => waiting.has(p.proposalId))} vote />
            </>
          )}
        </div>
      )}
      <div className="panel">
        <h2>{t("home.open")}</h2>
        {proposals.isError ? (
          <p className="error" role="alert">
            {t("indexer.failed")}
          </p>
        ) : !proposals.data ? (
          <p role="status">{t("read.loading")}</p>
        ) : others.length === 0 ? (
          <p className="hint">{t(open.length === 0 ? "home.open.none" : "home.open.allShown")}</p>
        ) : (
          <ProposalCards items={others} />
        )}
        <p>
          <a href="#/proposals">{t("home.allVotes")}</a>
        </p>
      </div>
    </div>
  );
}

function ProposalCards({ items, vote }: { items: ApiProposal[]; vote?: boolean }) {
  const { t } = useI18n();
  const numbers = useProposalNumbers();
  return (
    <ul className="cards">
      {items.map((p) => {
        const n = numbers?.get(p.proposalId);
        const href = `#/proposals/${n ?? p.proposalId}`;
        return (
          <li key={p.proposalId} data-testid={vote ? "waiting-vote" : "open-vote"}>
            <p>
              <a href={href}>
                {n !== undefined && `${t("proposal.number", { number: n })}: `}
                {proposalTitle(p.description) || t("proposals.untitled")}
              </a>
            </p>
            <p>
              <VoteSummary proposal={p} />
            </p>
            {vote && (
              <a className="button primary" href={href}>
                {t("home.voteNow")}
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
