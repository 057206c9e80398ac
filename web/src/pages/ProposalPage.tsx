/** One proposal read live from the governor: state, tallies, quorum, time left, and the vote buttons. */
import { useEffect, useState } from "react";
import { useBlock, useConfig, useConnection, useReadContract, useReadContracts } from "wagmi";
import { readContract, signTypedData, writeContract } from "wagmi/actions";
import { governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { keccak256, stringToHex, type Address } from "viem";
import { useAppConfig } from "../appConfig.tsx";
import { CallList } from "../components/CallList.tsx";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { readableError } from "../lib/errors.ts";
import { useGasless } from "../gasless.ts";
import { ballotTypedData, relayAndWait, voteRequestBody } from "../lib/relayer.ts";
import { ballotFields } from "../lib/signedMessage.ts";
import {
  estimateChainTime,
  formatCountdown,
  fraction,
  parseProposalId,
  shortAddress,
} from "../lib/format.ts";
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
import { useRefetchOnBlock } from "../live.ts";
import { useProposalDetail } from "../indexer.ts";
import { useTx } from "../tx.tsx";

/** The chain's clock, ticking every second (see estimateChainTime). */
function useChainNow(): number {
  const { deployment } = useAppConfig();
  const { data: block } = useBlock({ watch: true, chainId: deployment.chainId });
  const [seen, setSeen] = useState<{ timestamp: bigint; at: number } | undefined>(undefined);
  useEffect(() => {
    if (block) setSeen({ timestamp: block.timestamp, at: Date.now() });
  }, [block]);
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setWall(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return estimateChainTime(wall, seen?.timestamp, seen?.at);
}

export function ProposalLookup({ initial }: { initial?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(initial ?? "");
  const [touched, setTouched] = useState(false);
  const id = parseProposalId(text);
  return (
    <form
      className="lookup"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (id !== null) location.hash = `#/proposals/${id}`;
      }}
    >
      <label htmlFor="proposal-id">{t("proposal.lookup.label")}</label>
      <div className="row">
        <input
          id="proposal-id"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          aria-invalid={touched && id === null}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t("proposal.lookup.open")}</button>
      </div>
      {touched && id === null && (
        <p className="error" role="alert">
          {t("proposal.lookup.invalid")}
        </p>
      )}
    </form>
  );
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
  const share = total > 0n ? fraction(value, total) : 0;
  return (
    <div className={`tally ${kind}`}>
      <div className="tally-head">
        <span>{label}</span>
        <strong data-testid={`tally-${kind}`}>{value.toString()}</strong>
      </div>
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${share * 100}%` }} />
      </div>
    </div>
  );
}

export function ProposalPage({ id }: { id: bigint }) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const nowSeconds = useChainNow();
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
    args: [id, me ?? "0x0000000000000000000000000000000000000000"],
    query: { enabled: me !== undefined },
  });
  // Votes count from the snapshot: someone who joined later (or never) has none for this proposal.
  const pastVotes = useReadContract({
    address: deployment.contracts.membership,
    abi: membershipAbi,
    chainId: deployment.chainId,
    functionName: "getPastVotes",
    args: [me ?? "0x0000000000000000000000000000000000000000", snapshot ?? 0n],
    query: { enabled: me !== undefined && started },
  });
  const detail = useProposalDetail(id).data;
  const event = detail ? { description: detail.description } : undefined;
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
  const gasless = useGasless("governor");

  if (reads.isError) {
    const error = readableError(reads.error);
    const unknown = error.customError?.startsWith("GovernorNonexistentProposal");
    return (
      <section>
        <h2>{t("proposal.title", { id: shortId(id) })}</h2>
        <p className="error" role="alert">
          {unknown ? t("proposal.unknown") : t("read.failed")}
        </p>
        <ProposalLookup />
      </section>
    );
  }
  if (!reads.data)
    return (
      <section>
        <h2>{t("proposal.title", { id: shortId(id) })}</h2>
        <p role="status">{t("read.loading")}</p>
      </section>
    );

  const [stateNumber, [against, forVotes, abstain], , deadline, proposer] = reads.data;
  const state = proposalStateName(stateNumber);
  const tallies: Tallies = { against, for: forVotes, abstain };
  const total = totalVotes(tallies);
  const units = {
    days: t("time.days"),
    hours: t("time.hours"),
    minutes: t("time.minutes"),
    seconds: t("time.seconds"),
  };
  const timing =
    state === "pending"
      ? t("proposal.opensIn", { time: formatCountdown(Number(snapshot) - nowSeconds, units) })
      : state === "active"
        ? t("proposal.closesIn", { time: formatCountdown(Number(deadline) - nowSeconds, units) })
        : t("proposal.closed");
  const canVote = state === "active" && onChain && voted.data === false && !tx.busy;

  /** Queue or execute: the governor needs the proposal's calls and its description's hash again. */
  function carryOut(step: "queue" | "execute") {
    if (!detail || !calls) return;
    tx.review({
      summary: t(step === "queue" ? "proposal.queue.summary" : "proposal.execute.summary", {
        id: shortId(id),
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
    if (gasless.on && domain && me) {
      tx.review({
        summary: t("proposal.vote.gaslessSummary", { choice, id: shortId(id) }),
        signs: ballotFields(t, domain, me, id, choice),
        relay: async (chainId, progress) => {
          const nonce = await readContract(wagmiConfig, {
            ...governor,
            functionName: "nonces",
            args: [me],
            chainId,
          });
          const ballot = { proposalId: id, support: SUPPORT[support], voter: me, nonce };
          const signature = await signTypedData(wagmiConfig, {
            ...ballotTypedData(domain, ballot),
            account: me,
          });
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
      summary: t("proposal.vote.summary", { choice, id: shortId(id) }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          ...governor,
          functionName: "castVote",
          args: [id, SUPPORT[support]],
          chainId,
        }),
    });
  }

  return (
    <section aria-labelledby="proposal-title">
      <h2 id="proposal-title">{t("proposal.title", { id: shortId(id) })}</h2>
      <p>
        <span className={`badge state-${state}`} data-testid="proposal-state">
          {t(`state.${state}`)}
        </span>{" "}
        <span data-testid="proposal-timing">{timing}</span>
      </p>
      {event && (
        <p className="proposal-title" data-testid="proposal-title">
          {proposalTitle(event.description) || t("proposals.untitled")}
        </p>
      )}
      <p className="hint">{t("proposal.proposer", { address: shortAddress(proposer) })}</p>
      {event && proposalBody(event.description) !== "" && (
        <details className="panel">
          <summary>{t("proposal.description")}</summary>
          <p className="description">{proposalBody(event.description)}</p>
        </details>
      )}
      <div className="panel">
        <h3>{t("proposal.willDo")}</h3>
        {calls ? (
          <CallList calls={calls} testId="proposal-calls" />
        ) : (
          <p role="status">{t("read.loading")}</p>
        )}
      </div>
      {(state === "succeeded" || state === "queued") && (
        <div className="panel">
          <h3>{t("proposal.carryOut")}</h3>
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
                        time: formatCountdown(etaSeconds - nowSeconds, units),
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
      <div className="panel tallies">
        <h3>{t("proposal.tallies")}</h3>
        <Bar label={t("vote.for")} value={forVotes} total={total} kind="for" />
        <Bar label={t("vote.against")} value={against} total={total} kind="against" />
        <Bar label={t("vote.abstain")} value={abstain} total={total} kind="abstain" />
      </div>
      <div className="panel quorum">
        <h3>{t("proposal.quorum")}</h3>
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
              <span style={{ width: `${fraction(quorumVotes(tallies), quorum.data) * 100}%` }} />
            </div>
            <p data-testid="quorum-text">
              {quorumVotes(tallies) >= quorum.data
                ? t("proposal.quorumReached", { votes: quorumVotes(tallies), quorum: quorum.data })
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
      {state === "active" && (
        <div className="panel vote">
          <h3>{t("proposal.yourVote")}</h3>
          {!me && <p className="hint">{t("membership.connectFirst")}</p>}
          {voted.data === true && <p data-testid="voted">{t("proposal.alreadyVoted")}</p>}
          {voted.data === false && pastVotes.data === 0n && (
            <p className="hint" data-testid="no-vote">
              {t("proposal.noVoteAtSnapshot")}
            </p>
          )}
          {gasless.offered && (
            <label className="check">
              <input
                type="checkbox"
                checked={gasless.on}
                onChange={(e) => gasless.set(e.target.checked)}
              />{" "}
              {t("proposal.gasless.label")}
            </label>
          )}
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
        </div>
      )}
      <TxPanel tx={tx} />
      {detail && detail.votes.length > 0 && (
        <details className="panel">
          <summary>{t("proposal.votes")}</summary>
          <ul className="cards" data-testid="votes">
            {detail.votes.map((v) => (
              <li key={`${v.voter}`}>
                {t("proposal.voteLine", {
                  voter: shortAddress(v.voter),
                  choice: t(`vote.${v.support.toLowerCase() as SupportName}`),
                })}
                {v.reason && <span className="hint"> — {v.reason}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      <ProposalLookup />
    </section>
  );
}

/** Proposal ids are 256-bit hashes: show the start and the end. */
function shortId(id: bigint): string {
  const text = id.toString();
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}
