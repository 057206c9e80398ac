/** Auditors: every decision of the co-op on one timeline, with its transaction, and turnout over time. */
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { useAppConfig } from "../appConfig.tsx";
import { AccessLogCheck } from "../components/AccessLogCheck.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { Reveal } from "../components/Reveal.tsx";
import { useWhoText } from "../components/Who.tsx";
import { useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import {
  useAnchors,
  useGrants,
  useMembers,
  useProposalNumbers,
  useProposals,
  useRequests,
  useRevenue,
} from "../indexer.ts";
import { apiUrl, getJson, type ApiProposalDetail } from "../lib/indexerApi.ts";
import { turnout } from "../lib/series.ts";
import { buildTimeline, type TimelineEntry } from "../lib/timeline.ts";
import { coopChain } from "../wagmi.ts";

const WITH_VOTES = 20;

export function AuditPage() {
  const { t, fmt, lang } = useI18n();
  useDocumentTitle(t("audit.title"));
  /** Links to proposals use their short number when known. */
  const numbered = (href: string, id: string | undefined) => {
    const n = id ? numbers?.get(id) : undefined;
    return n !== undefined ? `#/proposals/${n}` : href;
  };
  const config = useAppConfig();
  const explorer = coopChain(config).blockExplorers?.default.url;
  const members = useMembers();
  const proposals = useProposals({ limit: 200 });
  const requests = useRequests({ limit: 500 });
  const grants = useGrants({ limit: 500 });
  const anchors = useAnchors();
  const revenue = useRevenue().data?.items ?? [];
  const details = useQueries({
    queries: (proposals.data?.items ?? []).slice(0, WITH_VOTES).map((p) => ({
      queryKey: ["indexer", config.indexerUrl, `/proposals/${p.proposalId}`, p.voters],
      queryFn: () =>
        getJson<ApiProposalDetail>(apiUrl(config.indexerUrl, `/proposals/${p.proposalId}`)),
    })),
  });
  const [shown, setShown] = useState(50);
  const lists = [members, proposals, requests, grants, anchors];
  const failed = lists.some((q) => q.isError);
  const loading = lists.some((q) => !q.data);
  const entries = buildTimeline({
    members: members.data?.items,
    proposals: proposals.data?.items,
    votes: details.flatMap((d) =>
      d.data ? d.data.votes.map((v) => ({ ...v, proposalId: d.data.proposalId })) : [],
    ),
    requests: requests.data?.items,
    grants: grants.data?.items,
    anchors: anchors.data?.items,
  });
  const who = useWhoText();
  const numbers = useProposalNumbers();
  /** An entry's sentence: people by name, proposals by number and title. */
  const sentence = (e: TimelineEntry) => {
    const n = e.proposalId ? numbers?.get(e.proposalId) : undefined;
    const numbered =
      n !== undefined ? t("proposal.number", { number: n }) : t("sign.proposal.unnumbered");
    const vars = Object.fromEntries(
      Object.entries(e.vars).map(([k, v]) => [k, /^0x[0-9a-fA-F]{40}$/.test(v) ? who(v) : v]),
    );
    if ("title" in vars) vars.title = vars.title ? `${numbered}, “${vars.title}”` : numbered;
    const text = t(e.key, { ...vars, proposal: numbered });
    // A sentence may open with a name ("a partner who gave no name …"): its first letter is a capital.
    return text.charAt(0).toLocaleUpperCase(lang) + text.slice(1);
  };
  const closed = (proposals.data?.items ?? []).filter(
    (p) => p.state !== "Pending" && p.state !== "Active",
  );
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t("audit.title")}</h1>
      <p className="hint">{t("audit.intro")}</p>
      {failed && (
        <p className="error" role="alert">
          {t("indexer.failed")}
        </p>
      )}
      <AccessLogCheck />
      {closed.length > 0 && (
        <BarChart
          title={t("audit.turnout")}
          points={turnout(closed, fmt.day)}
          max={1}
          format={(v) => fmt.percent(v)}
          testId="turnout-chart"
        />
      )}
      {revenue.length > 0 && (
        <BarChart
          title={t("audit.revenue")}
          points={[...revenue].reverse().map((r) => ({
            label: t("revenue.grantShort", { grant: r.grantId }),
            value: Number(BigInt(r.amount) / 10n ** 12n) / 1e6,
          }))}
          format={(v) => `${fmt.number(v, 4)} ETH`}
          testId="revenue-chart"
        />
      )}
      {loading && !failed && <p role="status">{t("read.loading")}</p>}
      <ol className="timeline" data-testid="timeline">
        {entries.slice(0, shown).map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <time dateTime={new Date(e.time * 1000).toISOString()}>{fmt.dateTime(e.time)}</time>
            {e.href ? <a href={numbered(e.href, e.proposalId)}>{sentence(e)}</a> : sentence(e)}
            {e.detail && (
              <span className="hint">
                {" "}
                <Reveal label={t("audit.root")} value={e.detail} />
              </span>
            )}
            {e.txHash && (
              <span className="hint">
                {" "}
                {explorer ? (
                  <a href={`${explorer}/tx/${e.txHash}`} rel="noreferrer" target="_blank">
                    {t("audit.tx")}
                  </a>
                ) : (
                  <Reveal label={t("audit.tx")} value={e.txHash} />
                )}
              </span>
            )}
            {!e.txHash && e.block && (
              <span className="hint"> {t("audit.block", { block: Number(e.block) })}</span>
            )}
          </li>
        ))}
      </ol>
      {entries.length > shown && (
        <button type="button" onClick={() => setShown((n) => n + 50)}>
          {t("audit.more")}
        </button>
      )}
    </section>
  );
}
