/** Who used my data: every partner's answer that included it, with a chart per day. */
import { useQuery } from "@tanstack/react-query";
import type { paths } from "@datacoop/protocol/api.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { BarChart } from "../../components/BarChart.tsx";
import { Who } from "../../components/Who.tsx";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets } from "../../indexer.ts";
import { gatewayFetch } from "../../lib/gateway.ts";
import { fieldLabel } from "../../lib/schemaDoc.ts";
import { perDay } from "../../lib/series.ts";
import { useDatasetSchema } from "../../schema.ts";
import type { GatewaySession } from "../../session.ts";

type Access =
  paths["/gateway/me/accesses"]["get"]["responses"][200]["content"]["application/json"]["accesses"][number];

export function Accesses({ session }: { session: GatewaySession }) {
  const { t, fmt } = useI18n();
  const accesses = useQuery({
    queryKey: ["accesses", session.base, session.token],
    queryFn: () =>
      gatewayFetch<{ accesses: Access[] }>(session.base, "/me/accesses?limit=1000", {
        token: session.token,
      }),
  });
  const list = accesses.data?.accesses ?? [];
  return (
    <div className="panel">
      <h2>{t("accesses.title")}</h2>
      {accesses.isError && (
        <p className="error" role="alert">
          {t("accesses.failed")}
        </p>
      )}
      {accesses.data && list.length === 0 && <p className="hint">{t("accesses.none")}</p>}
      {list.length > 0 && (
        <>
          <p data-testid="accesses-count">{t("accesses.count", { count: list.length })}</p>
          <BarChart
            title={t("accesses.chart")}
            points={perDay(
              list.map((a) => Date.parse(a.at) / 1000),
              fmt.day,
            )}
            format={(v) => fmt.count(v)}
            testId="accesses-chart"
          />
          <ul className="cards" data-testid="accesses">
            {list.slice(0, 50).map((a) => (
              <AccessItem key={a.seq} access={a} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function AccessItem({ access: a }: { access: Access }) {
  const { t, rich, purpose, fmt, lang } = useI18n();
  const datasets = useDatasets().data?.items;
  const dataset = datasets?.find((d) => d.datasetId === a.datasetId);
  const schema = useDatasetSchema(dataset).data;
  const p = PURPOSES.find((x) => x.bit === a.purpose);
  const fields = fmt.list(a.fields.map((f) => fieldLabel(schema?.fields, f, lang)));
  return (
    <li>
      <p>
        <strong>{fmt.dateTime(Date.parse(a.at) / 1000)}</strong>
      </p>
      <p>
        {rich("accesses.entry", {
          partner: <Who address={a.partner} />,
          grant: a.grantId,
          purpose: p ? purpose(p.key).label : "—",
        })}
      </p>
      <p className="hint">
        {t(a.shape === "rows" ? "accesses.rows" : "accesses.aggregate", { fields })}
      </p>
    </li>
  );
}
