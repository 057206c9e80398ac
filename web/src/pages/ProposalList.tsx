/** The latest proposals, newest first, from the indexer's read API, with their state and turnout. */
import { BarChart } from "../components/BarChart.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { turnout } from "../lib/series.ts";
import { proposalTitle, stateFromApi } from "../lib/proposal.ts";
import { useProposals } from "../indexer.ts";

export function ProposalList() {
  const { t } = useI18n();
  const proposals = useProposals();

  if (proposals.isError)
    return (
      <p className="error" role="alert">
        {t("indexer.failed")}
      </p>
    );
  if (!proposals.data) return <p role="status">{t("read.loading")}</p>;
  if (proposals.data.items.length === 0) return <p className="hint">{t("proposals.none")}</p>;
  const closed = proposals.data.items.filter((p) => p.state !== "Pending" && p.state !== "Active");
  return (
    <>
      {closed.length > 1 && (
        <BarChart
          title={t("proposals.turnout")}
          points={turnout(closed.slice(0, 12))}
          max={1}
          format={(v) => `${Math.round(v * 100)}%`}
          testId="participation-chart"
        />
      )}
      <ul className="proposal-list">
        {proposals.data.items.map((p) => {
          const state = stateFromApi(p.state);
          return (
            <li key={p.proposalId}>
              <a href={`#/proposals/${p.proposalId}`}>
                <span className="proposal-title">
                  {proposalTitle(p.description) || t("proposals.untitled")}
                </span>
                <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>
              </a>
            </li>
          );
        })}
      </ul>
    </>
  );
}
