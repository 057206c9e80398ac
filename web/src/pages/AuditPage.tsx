/** Auditors: every decision of the co-op on one timeline, with its transaction, and turnout over time. */
import { useQueries } from "@tanstack/react-query";
import { useState } from "react";
import { useAppConfig } from "../appConfig.tsx";
import { AccessLogCheck } from "../components/AccessLogCheck.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import {
  useAnchors,
  useGrants,
  useMembers,
  useProposals,
  useRequests,
  useRevenue,
} from "../indexer.ts";
import { apiUrl, getJson, type ApiProposalDetail } from "../lib/indexerApi.ts";
import { shortAddress } from "../lib/format.ts";
import { turnout } from "../lib/series.ts";
import { buildTimeline, type TimelineEntry } from "../lib/timeline.ts";
import { coopChain } from "../wagmi.ts";

const WITH_VOTES = 20;

export function AuditPage() {
  const { t, lang } = useI18n();
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
  const short = (e: TimelineEntry) =>
    Object.fromEntries(
      Object.entries(e.vars).map(([k, v]) => [
        k,
        /^0x[0-9a-fA-F]{40,64}$/.test(v) ? shortAddress(v) : v,
      ]),
    );
  const closed = (proposals.data?.items ?? []).filter(
    (p) => p.state !== "Pending" && p.state !== "Active",
  );
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t("audit.title")}</h2>
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
          points={turnout(closed)}
          max={1}
          format={(v) => `${Math.round(v * 100)}%`}
          testId="turnout-chart"
        />
      )}
      {revenue.length > 0 && (
        <BarChart
          title={t("audit.revenue")}
          points={[...revenue].reverse().map((r) => ({
            label: `#${r.grantId}`,
            value: Number(BigInt(r.amount) / 10n ** 12n) / 1e6,
          }))}
          format={(v) => `${v} ETH`}
          testId="revenue-chart"
        />
      )}
      {loading && !failed && <p role="status">{t("read.loading")}</p>}
      <ol className="timeline" data-testid="timeline">
        {entries.slice(0, shown).map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <time dateTime={new Date(e.time * 1000).toISOString()}>
              {new Date(e.time * 1000).toLocaleString(lang)}
            </time>
            {e.href ? <a href={e.href}>{t(e.key, short(e))}</a> : t(e.key, short(e))}
            {e.txHash && (
              <span className="hint">
                {" "}
                {explorer ? (
                  <a href={`${explorer}/tx/${e.txHash}`} rel="noreferrer" target="_blank">
                    {t("audit.tx", { hash: shortAddress(e.txHash) })}
                  </a>
                ) : (
                  <code title={e.txHash}>{t("audit.tx", { hash: shortAddress(e.txHash) })}</code>
                )}
              </span>
            )}
            {!e.txHash && e.block && (
              <span className="hint"> {t("audit.block", { block: e.block })}</span>
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
