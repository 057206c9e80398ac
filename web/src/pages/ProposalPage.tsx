/**
 * One proposal, read live from the governor: its number and title, state and time left, what it will do,
 * its description (safe Markdown), the tallies and turnout, how I voted (with my reason), the vote itself
 * (on-chain or without a fee), and once passed, queueing and carrying it out.
 */
import { useState } from "react";
import { keccak256, stringToHex, type Address } from "viem";
import { useConfig, useConnection, useReadContract, useReadContracts } from "wagmi";
import { readContract, signTypedData, writeContract } from "wagmi/actions";
import { governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../appConfig.tsx";
import { useChainNow } from "../chainTime.ts";
import { CallList } from "../components/CallList.tsx";
import { Field } from "../components/Field.tsx";
import { GaslessChoice } from "../components/GaslessChoice.tsx";
import { Markdown } from "../components/Markdown.tsx";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import { useWhoText } from "../components/Who.tsx";
import { useCoopName, useDocumentTitle } from "../coop.ts";
import { useGasless } from "../gasless.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useProposalDetail, useProposalNumbers } from "../indexer.ts";
import { readableError } from "../lib/errors.ts";
import { fraction } from "../lib/format.ts";
import {
  proposalBody,
  proposalStateName,
  proposalTitle,
  quorumVotes,
  SUPPORT,
  type SupportName,
  type Tallies,
  totalVotes,
} from "../lib/proposal.ts";
import { resolveProposal } from "../lib/proposalNumbers.ts";
import {
  ballotTypedData,
  extendedBallotTypedData,
  relayAndWait,
  voteRequestBody,
} from "../lib/relayer.ts";
import { ballotFields } from "../lib/signedMessage.ts";
import { useRefetchOnBlock } from "../live.ts";
import { useTx } from "../tx.tsx";
import { ProposalLookup } from "./ProposalList.tsx";

const ZERO = "0x0000000000000000000000000000000000000000" as const;
const MAX_REASON = 1000;

/** `#/proposals/7`: the short number resolved to the governor's id (a long id is used as it is). */
export function ProposalRoute({ idOrNumber }: { idOrNumber: bigint }) {
  const { t } = useI18n();
  const numbers = useProposalNumbers();
  const id = resolveProposal(idOrNumber, numbers);
  if (id === undefined)
    return (
      <section>
        <h1>{t("proposals.title")}</h1>
        <p role="status">{t("read.loading")}</p>
      </section>
    );
  return <ProposalPage id={id} number={numbers?.get(id.toString())} />;
}

function Bar({
  label,
  value,
  total,
  kind,
}: {
  label: string;
  value: bigint;
  total: bigint;
  kind: string;
}) {
  const { fmt } = useI18n();
  const share = total > 0n ? fraction(value, total) : 0;
  return (
    <div className={`tally ${kind}`}>
      <div className="tally-head">
        <span>{label}</span>
        <strong data-testid={`tally-${kind}`}>{fmt.count(value)}</strong>
      </div>
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

export function ProposalPage({ id, number }: { id: bigint; number?: number }) {
  const { t, fmt } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const nowSeconds = useChainNow();
  const who = useWhoText();
  const coop = useCoopName();
  const governor = {
    address: deployment.contracts.governor,
    abi: governorAbi,
    chainId: deployment.chainId,
  } as const;
  const reads = useReadContracts({
    allowFailure: false,
    contracts: [
      { ...governor, functionName: "state", args: [id] },
      { ...governor, functionName: "proposalVotes", args: [id] },
      { ...governor, functionName: "proposalSnapshot", args: [id] },
      { ...governor, functionName: "proposalDeadline", args: [id] },
      { ...governor, functionName: "proposalProposer", args: [id] },
    ] as const,
  });
  const snapshot = reads.data?.[2];
  // quorum() and getPastVotes() only answer for a past timepoint: ask once voting has opened.
  const started = reads.data !== undefined && reads.data[0] !== 0;
  const quorum = useReadContract({
    ...governor,
    functionName: "quorum",
    args: [snapshot ?? 0n],
    query: { enabled: started },
  });
  const voted = useReadContract({
    ...governor,
    functionName: "hasVoted",
    args: [id, me ?? ZERO],
    query: { enabled: me !== undefined },
  });
  // Votes count from the snapshot: someone who joined later (or never) has none for this proposal.
  const pastVotes = useReadContract({
    address: deployment.contracts.membership,
    abi: membershipAbi,
    chainId: deployment.chainId,
    functionName: "getPastVotes",
    args: [me ?? ZERO, snapshot ?? 0n],
    query: { enabled: me !== undefined && started },
  });
  const detail = useProposalDetail(id).data;
  const calls = detail?.actions.map((a) => ({
    target: a.target as Address,
    value: BigInt(a.value),
    calldata: a.calldata,
  }));
  const eta = useReadContract({
    ...governor,
    functionName: "proposalEta",
    args: [id],
    query: { enabled: reads.data?.[0] === 5 },
  });
  useRefetchOnBlock(reads.refetch);
  useRefetchOnBlock(voted.refetch);
  const tx = useTx();
  // Without ETH a member can only vote through the relayer: offered first then.
  const gasless = useGasless("vote");
  const [reason, setReason] = useState("");
  const title = detail ? proposalTitle(detail.description) || t("proposals.untitled") : "";
  const numbered =
    number !== undefined ? t("proposal.number", { number }) : t("sign.proposal.unnumbered");
  useDocumentTitle(number !== undefined ? numbered : t("proposals.title"));

  if (reads.isError) {
    const error = readableError(reads.error);
    const unknown = error.errorName === "GovernorNonexistentProposal";
    return (
      <section aria-labelledby="proposal-title">
        <h1 id="proposal-title">{numbered}</h1>
        <p className="error" role="alert">
          {unknown ? t("proposal.unknown") : t("read.failed")}
        </p>
        <ProposalLookup />
      </section>
    );
  }
  if (!reads.data)
    return (
      <section aria-labelledby="proposal-title">
        <h1 id="proposal-title">{numbered}</h1>
        <p role="status">{t("read.loading")}</p>
      </section>
    );

  const [stateNumber, [against, forVotes, abstain], , deadline, proposer] = reads.data;
  const state = proposalStateName(stateNumber);
  const tallies: Tallies = { against, for: forVotes, abstain };
  const total = totalVotes(tallies);
  const soon = t("time.underMinute");
  const timing =
    state === "pending"
      ? t("proposal.opensIn", { time: fmt.timeLeft(Number(snapshot) - nowSeconds, soon) })
      : state === "active"
        ? t("proposal.closesIn", { time: fmt.timeLeft(Number(deadline) - nowSeconds, soon) })
        : t("proposal.closed");
  const canVote = state === "active" && onChain && voted.data === false && !tx.busy;
  const myVote = me
    ? detail?.votes.find((v) => v.voter.toLowerCase() === me.toLowerCase())
    : undefined;
  const reasonText = reason.trim();

  /** Queue or execute: the governor needs the proposal's calls and its description's hash again. */
  function carryOut(step: "queue" | "execute") {
    if (!detail || !calls) return;
    tx.review({
      summary: t(step === "queue" ? "proposal.queue.summary" : "proposal.execute.summary", {
        number: numbered,
      }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          ...governor,
          functionName: step,
          args: [
            calls.map((c) => c.target),
            calls.map((c) => c.value),
            calls.map((c) => c.calldata),
            keccak256(stringToHex(detail.description)),
          ],
          chainId,
        }),
    });
  }
  const etaSeconds = eta.data !== undefined ? Number(eta.data) : undefined;
  const ready = etaSeconds !== undefined && etaSeconds <= nowSeconds;

  function vote(support: SupportName) {
    const choice = t(`vote.${support}`);
    const domain = gasless.domain;
    const summary = t(reasonText ? "proposal.vote.summaryReason" : "proposal.vote.summary", {
      choice,
      number: numbered,
      reason: reasonText,
    });
    if (gasless.on && domain && me) {
      tx.review({
        summary,
        signs: ballotFields(
          t,
          { coop, domain, member: who(me), me },
          { id, number },
          choice,
          reasonText,
        ),
        relay: async (chainId, progress) => {
          const nonce = await readContract(wagmiConfig, {
            ...governor,
            functionName: "nonces",
            args: [me],
            chainId,
          });
          const ballot = {
            proposalId: id,
            support: SUPPORT[support],
            voter: me,
            nonce,
            ...(reasonText ? { reason: reasonText } : {}),
          };
          const signature = reasonText
            ? await signTypedData(wagmiConfig, {
                ...extendedBallotTypedData(domain, { ...ballot, reason: reasonText }),
                account: me,
              })
            : await signTypedData(wagmiConfig, { ...ballotTypedData(domain, ballot), account: me });
          return relayAndWait(
            gasless.relayer.base,
            "/votes",
            voteRequestBody(ballot, signature),
            progress,
          );
        },
      });
      return;
    }
    tx.review({
      summary,
      send: (chainId) =>
        reasonText
          ? writeContract(wagmiConfig, {
              ...governor,
              functionName: "castVoteWithReason",
              args: [id, SUPPORT[support], reasonText],
              chainId,
            })
          : writeContract(wagmiConfig, {
              ...governor,
              functionName: "castVote",
              args: [id, SUPPORT[support]],
              chainId,
            }),
    });
  }

  const body = detail ? proposalBody(detail.description) : "";
  return (
    <section aria-labelledby="proposal-title" className="page">
      <p className="eyebrow" data-testid="proposal-number">
        {numbered}
      </p>
      <h1 id="proposal-title" data-testid="proposal-title">
        {title || numbered}
      </h1>
      <p>
        <span className={`badge state-${state}`} data-testid="proposal-state">
          {t(`state.${state}`)}
        </span>{" "}
        <span data-testid="proposal-timing">{timing}</span>
      </p>
      <p className="hint">{t("proposal.proposer", { who: who(proposer) })}</p>
      <div className="columns">
        <div>
          <div className="panel">
            <h2>{t("proposal.willDo")}</h2>
            {calls ? (
              <CallList calls={calls} testId="proposal-calls" />
            ) : (
              <p role="status">{t("read.loading")}</p>
            )}
          </div>
          {body !== "" && (
            <div className="panel" data-testid="proposal-description">
              <h2>{t("proposal.description")}</h2>
              <Markdown source={body} baseLevel={3} />
            </div>
          )}
        </div>
        <div>
          <div className="panel tallies">
            <h2>{t("proposal.tallies")}</h2>
            <Bar label={t("vote.for")} value={forVotes} total={total} kind="for" />
            <Bar label={t("vote.against")} value={against} total={total} kind="against" />
            <Bar label={t("vote.abstain")} value={abstain} total={total} kind="abstain" />
          </div>
          <div className="panel quorum">
            <h2>{t("proposal.quorum")}</h2>
            {quorum.data !== undefined ? (
              <>
                <div
                  className="bar big"
                  role="progressbar"
                  aria-label={t("proposal.quorum")}
                  aria-valuemin={0}
                  aria-valuemax={Number(quorum.data)}
                  aria-valuenow={Number(quorumVotes(tallies))}
                >
                  <span
                    style={{ width: `${fraction(quorumVotes(tallies), quorum.data) * 100}%` }}
                  />
                </div>
                <p data-testid="quorum-text">
                  {quorumVotes(tallies) >= quorum.data
                    ? t("proposal.quorumReached", {
                        votes: quorumVotes(tallies),
                        quorum: quorum.data,
                      })
                    : t("proposal.quorumProgress", {
                        votes: quorumVotes(tallies),
                        quorum: quorum.data,
                      })}
                </p>
              </>
            ) : (
              <p className="hint">{t("proposal.quorumLater")}</p>
            )}
          </div>
          {(state === "active" || myVote) && (
            <div className="panel vote">
              <h2>{t("proposal.yourVote")}</h2>
              {!me && <p className="hint">{t("membership.connectFirst")}</p>}
              {voted.data === true && (
                <p data-testid="voted">
                  {myVote
                    ? t("proposal.youVoted", {
                        choice: t(`vote.${myVote.support.toLowerCase() as SupportName}`),
                      })
                    : t("proposal.alreadyVoted")}
                  {myVote?.reason && (
                    <>
                      {" "}
                      <span data-testid="voted-reason">
                        {t("proposal.yourReason", { reason: myVote.reason })}
                      </span>
                    </>
                  )}
                </p>
              )}
              {state === "active" && voted.data === false && pastVotes.data === 0n && (
                <p className="hint" data-testid="no-vote">
                  {t("proposal.noVoteAtSnapshot")}
                </p>
              )}
              {state === "active" && voted.data === false && pastVotes.data !== 0n && me && (
                <>
                  <Field
                    id="vote-reason"
                    label={t("proposal.reason")}
                    hint={t("proposal.reason.hint")}
                  >
                    {(p) => (
                      <textarea
                        {...p}
                        rows={2}
                        maxLength={MAX_REASON}
                        value={reason}
                        onChange={(e) => setReason(e.target.value)}
                      />
                    )}
                  </Field>
                  <GaslessChoice gasless={gasless} label="proposal.gasless.label" />
                  <div className="actions">
                    {(["for", "against", "abstain"] as const).map((s) => (
                      <button
                        key={s}
                        type="button"
                        className={s === "for" ? "primary" : undefined}
                        disabled={!canVote}
                        onClick={() => vote(s)}
                      >
                        {t(`vote.${s}`)}
                      </button>
                    ))}
                  </div>
                </>
              )}
            </div>
          )}
          <TxPanel tx={tx} />
          {(state === "succeeded" || state === "queued") && (
            <div className="panel">
              <h2>{t("proposal.carryOut")}</h2>
              {state === "succeeded" && (
                <>
                  <p className="hint">{t("proposal.queue.hint")}</p>
                  <button
                    type="button"
                    className="primary"
                    disabled={!onChain || !calls || tx.busy}
                    onClick={() => carryOut("queue")}
                  >
                    {t("proposal.queue")}
                  </button>
                </>
              )}
              {state === "queued" && (
                <>
                  <p className="hint" data-testid="eta">
                    {etaSeconds === undefined
                      ? t("read.loading")
                      : ready
                        ? t("proposal.execute.ready")
                        : t("proposal.execute.wait", {
                            time: fmt.timeLeft(etaSeconds - nowSeconds, soon),
                          })}
                  </p>
                  <button
                    type="button"
                    className="primary"
                    disabled={!onChain || !calls || !ready || tx.busy}
                    onClick={() => carryOut("execute")}
                  >
                    {t("proposal.execute")}
                  </button>
                </>
              )}
            </div>
          )}
          {detail && detail.votes.length > 0 && (
            <details className="panel">
              <summary>{t("proposal.votes", { count: detail.votes.length })}</summary>
              <ul className="cards" data-testid="votes">
                {detail.votes.map((v) => (
                  <li key={v.voter}>
                    {t("proposal.voteLine", {
                      voter: who(v.voter),
                      choice: t(`vote.${v.support.toLowerCase() as SupportName}`),
                    })}
                    {v.reason && <span className="hint"> — {v.reason}</span>}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      </div>
      <ProposalLookup />
    </section>
  );
}
