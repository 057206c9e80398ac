/** Votes: the latest proposals, newest first, each with its number, state, tallies and time left. */
import { useState } from "react";
import { BarChart } from "../components/BarChart.tsx";
import { VoteSummary } from "../components/VoteSummary.tsx";
import { useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useProposalNumbers, useProposals } from "../indexer.ts";
import { parseProposalNumber } from "../lib/format.ts";
import { turnout } from "../lib/series.ts";
import { liveState, proposalTitle } from "../lib/proposal.ts";
import { useChainNow } from "../chainTime.ts";

export function ProposalsPage({ invalid }: { invalid?: string }) {
  const { t } = useI18n();
  useDocumentTitle(t("proposals.title"));
  return (
    <section aria-labelledby="proposals-title">
      <h1 id="proposals-title">{t("proposals.title")}</h1>
      <p className="hint">{t("proposals.intro")}</p>
      <p>
        <a className="button primary" href="#/propose">
          {t("propose.new")}
        </a>
      </p>
      <ProposalList />
      <ProposalLookup initial={invalid} />
    </section>
  );
}

export function ProposalList() {
  const { t, fmt } = useI18n();
  const proposals = useProposals();
  const numbers = useProposalNumbers();
  const now = useChainNow();

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
      <ul className="proposal-list">
        {proposals.data.items.map((p) => {
          const state = liveState(p, now);
          const n = numbers?.get(p.proposalId);
          return (
            <li key={p.proposalId} data-testid="proposal-item">
              <a href={`#/proposals/${n ?? p.proposalId}`}>
                <span className="proposal-title">
                  {n !== undefined && (
                    <span className="number">{t("proposal.number", { number: n })} </span>
                  )}
                  {proposalTitle(p.description) || t("proposals.untitled")}
                </span>
                <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>
              </a>
              <VoteSummary proposal={p} />
            </li>
          );
        })}
      </ul>
      {closed.length > 1 && (
        <BarChart
          title={t("proposals.turnout")}
          points={turnout(closed.slice(0, 12), fmt.day)}
          max={1}
          format={(v) => fmt.percent(v)}
          testId="participation-chart"
        />
      )}
    </>
  );
}

export function ProposalLookup({ initial }: { initial?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState(initial ?? "");
  const [touched, setTouched] = useState(initial !== undefined);
  const n = parseProposalNumber(text);
  return (
    <form
      className="lookup"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (n !== null) location.hash = `#/proposals/${n}`;
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
          aria-invalid={touched && n === null}
          aria-describedby={touched && n === null ? "proposal-id-error" : undefined}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">{t("proposal.lookup.open")}</button>
      </div>
      {touched && n === null && (
        <p className="error" role="alert" id="proposal-id-error">
          {t("proposal.lookup.invalid")}
        </p>
      )}
    </form>
  );
}
