/**
 * A partner's requests, each with where it stands in plain words, the vote that decides it (tallies and
 * time left), the way to query once granted, and to withdraw while undecided. Also the fees to take back.
 */
import { useConfig, useConnection, useReadContract } from "wagmi";
import { writeContract } from "wagmi/actions";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { TermsSentence } from "../../components/CallList.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import { VoteSummary } from "../../components/VoteSummary.tsx";
import { useI18n } from "../../i18n/i18n.tsx";
import { useProposalNumbers, useProposals, useRequests } from "../../indexer.ts";
import type { ApiRequest } from "../../lib/indexerApi.ts";
import { proposalTitle, requestProposals, stateFromApi } from "../../lib/proposal.ts";
import { requestPhase } from "../../lib/requestStatus.ts";
import { useRefetchOnBlock } from "../../live.ts";
import { useTx } from "../../tx.tsx";

/** Fees of refused or withdrawn requests, waiting to be taken back. */
export function Refund() {
  const { t, fmt } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const onChain = useOnCoopChain();
  const me = useConnection().address!;
  const registry = { address: deployment.contracts.registry, abi: registryAbi } as const;
  const refund = useReadContract({ ...registry, functionName: "refundOf", args: [me] });
  useRefetchOnBlock(refund.refetch);
  const tx = useTx();
  if (!refund.data) return null;
  const amount = refund.data;
  return (
    <div className="panel">
      <p data-testid="refund">{t("refund.waiting", { amount: fmt.eth(amount) })}</p>
      <button
        type="button"
        className="primary"
        disabled={!onChain || tx.busy}
        onClick={() =>
          tx.review({
            summary: t("refund.summary", { amount: fmt.eth(amount) }),
            send: (chainId) =>
              writeContract(wagmiConfig, { ...registry, functionName: "claimRefund", chainId }),
          })
        }
      >
        {t("refund.claim")}
      </button>
      <TxPanel tx={tx} />
    </div>
  );
}

export function MyRequests() {
  const { t } = useI18n();
  const me = useConnection().address!;
  const requests = useRequests({ partner: me.toLowerCase() }).data?.items;
  const tx = useTx();
  if (!requests) return <p role="status">{t("read.loading")}</p>;
  if (requests.length === 0) return null;
  return (
    <div className="panel">
      <h2>{t("request.mine")}</h2>
      <ul className="cards" data-testid="my-requests">
        {requests.map((r) => (
          <RequestItem key={r.requestId} request={r} tx={tx} />
        ))}
      </ul>
      <TxPanel tx={tx} />
    </div>
  );
}

function RequestItem({ request: r, tx }: { request: ApiRequest; tx: ReturnType<typeof useTx> }) {
  const { t, purpose, fmt } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const onChain = useOnCoopChain();
  const proposals = useProposals().data?.items ?? [];
  const numbers = useProposalNumbers();
  const p = PURPOSES.find((x) => x.bit === r.purpose);
  const votes = requestProposals(proposals, r.requestId);
  const phase = requestPhase(r.status, votes);
  return (
    <li data-testid={`request-${r.requestId}`}>
      <p>
        <strong>{t("request.item", { id: r.requestId })}</strong>{" "}
        <span className={`badge phase-${phase}`} data-testid="request-status">
          {t(`request.phase.${phase}`)}
        </span>
      </p>
      <p className="hint">
        {t("request.itemTerms", {
          purpose: p ? purpose(p.key).label : "—",
          fee: fmt.eth(BigInt(r.fee)),
        })}
      </p>
      <details>
        <summary className="hint">{t("request.terms.show")}</summary>
        <p className="hint">
          <TermsSentence request={r} />
        </p>
      </details>
      <p data-testid="request-next">{t(`request.next.${phase}`)}</p>
      {votes.map((s) => {
        const state = stateFromApi(s.state);
        const n = numbers?.get(s.proposalId);
        return (
          <div key={s.proposalId} className="request-vote" data-testid="request-vote">
            <p>
              <a href={`#/proposals/${n ?? s.proposalId}`}>
                {n !== undefined && `${t("proposal.number", { number: n })}: `}
                {proposalTitle(s.description)}
              </a>{" "}
              <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>
            </p>
            <p>
              <VoteSummary proposal={s} />
            </p>
          </div>
        );
      })}
      {r.status === "Approved" && (
        <a className="button primary" href={`#/partner/${r.requestId}`}>
          {t("request.query")}
        </a>
      )}
      {r.status === "Pending" && (
        <button
          type="button"
          disabled={!onChain || tx.busy}
          onClick={() =>
            tx.review({
              summary: t("request.withdraw.summary", { id: r.requestId }),
              send: (chainId) =>
                writeContract(wagmiConfig, {
                  address: deployment.contracts.registry,
                  abi: registryAbi,
                  functionName: "withdrawRequest",
                  args: [BigInt(r.requestId)],
                  chainId,
                }),
            })
          }
        >
          {t("request.withdraw")}
        </button>
      )}
    </li>
  );
}
