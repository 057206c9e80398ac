/**
 * My benchmark: for each of my figures, my own average (from my own records) against the pool's, as the
 * gateway answers members' benchmarking queries under the grant the co-op voted for its members. Only my
 * figures and the pool's noisy totals are shown; nobody else's.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useConnection } from "wagmi";
import { Field } from "../components/Field.tsx";
import { StandingChart } from "../components/StandingChart.tsx";
import { useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useDatasets } from "../indexer.ts";
import { ownAverages, type PoolFigure, shareBelow } from "../lib/benchmark.ts";
import { GatewayError, gatewayFetch } from "../lib/gateway.ts";
import type { ApiDataset } from "../lib/indexerApi.ts";
import { fieldHeading } from "../lib/schemaDoc.ts";
import { useDatasetSchema } from "../schema.ts";
import { type GatewaySession, useGatewaySession } from "../session.ts";

type OwnRecord = { recordId: string; values: Record<string, unknown> };

/** Every live record of mine in the dataset (the gateway pages them 1,000 at a time). */
async function ownRecords(session: GatewaySession, datasetId: string): Promise<OwnRecord[]> {
  const all: OwnRecord[] = [];
  let after = "";
  for (let page = 0; page < 20; page++) {
    const { records } = await gatewayFetch<{ records: OwnRecord[] }>(
      session.base,
      `/datasets/${datasetId}/records?limit=1000${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      { token: session.token },
    );
    all.push(...records);
    if (records.length < 1000) break;
    after = records[records.length - 1]!.recordId;
  }
  return all;
}

/**
 * The pool's figures for the dataset under the members' benchmarking grant; `null` while the gateway
 * offers none (no such grant voted yet, or a gateway without members' queries).
 */
async function poolFigures(
  session: GatewaySession,
  datasetId: string,
  fields: string[],
): Promise<PoolFigure[] | null> {
  try {
    const answer = await gatewayFetch<{ figures: PoolFigure[] }>(
      session.base,
      `/members/benchmarks/${datasetId}?fields=${fields.map(encodeURIComponent).join(",")}`,
      { token: session.token },
    );
    return answer.figures;
  } catch (e) {
    if (e instanceof GatewayError && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

export function BenchmarkPage() {
  const { t } = useI18n();
  useDocumentTitle(t("benchmark.title"));
  const me = useConnection().address;
  const session = useGatewaySession();
  return (
    <section aria-labelledby="benchmark-title" className="page">
      <h1 id="benchmark-title">{t("benchmark.title")}</h1>
      <p className="hint">{t("benchmark.intro")}</p>
      {!me ? (
        <p className="hint">{t("membership.connectFirst")}</p>
      ) : !session.token ? (
        <div className="panel">
          <p>{t("session.explain")}</p>
          <button
            type="button"
            className="primary"
            disabled={session.busy}
            onClick={() => void session.signIn()}
          >
            {session.busy ? t("session.waiting") : t("session.signIn")}
          </button>
        </div>
      ) : (
        <Benchmarks session={session} />
      )}
    </section>
  );
}

function Benchmarks({ session }: { session: GatewaySession }) {
  const { t } = useI18n();
  const datasets = (useDatasets().data?.items ?? []).filter((d) => !d.retired);
  const [datasetId, setDatasetId] = useState("");
  const dataset = datasets.find((d) => d.datasetId === datasetId) ?? datasets[0];
  if (datasets.length === 0) return <p className="hint">{t("contribute.noDataset")}</p>;
  return (
    <>
      <Field id="benchmark-dataset" label={t("contribute.dataset")}>
        {(p) => (
          <select {...p} value={dataset?.datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.datasetId} value={d.datasetId}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {dataset && <DatasetBenchmark key={dataset.datasetId} session={session} dataset={dataset} />}
    </>
  );
}

function DatasetBenchmark({ session, dataset }: { session: GatewaySession; dataset: ApiDataset }) {
  const { t, fmt, lang } = useI18n();
  const schema = useDatasetSchema(dataset).data;
  const fields = (schema?.fields ?? []).filter(
    (f) => (f.type === "number" || f.type === "integer") && !f.identifying,
  );
  const own = useQuery({
    queryKey: ["own-records", session.base, session.token, dataset.datasetId],
    queryFn: () => ownRecords(session, dataset.datasetId),
  });
  const pool = useQuery({
    queryKey: ["pool", session.base, dataset.datasetId, fields.map((f) => f.name).join(",")],
    queryFn: () =>
      poolFigures(
        session,
        dataset.datasetId,
        fields.map((f) => f.name),
      ),
    enabled: fields.length > 0,
    retry: false,
  });
  if (own.isError || pool.isError)
    return (
      <p className="error" role="alert">
        {t("benchmark.failed")}
      </p>
    );
  if (!own.data || !schema) return <p role="status">{t("read.loading")}</p>;
  const averages = ownAverages(fields, own.data);
  if (averages.size === 0) return <p className="hint">{t("benchmark.noRecords")}</p>;
  return (
    <>
      {pool.data === null && (
        <p className="panel warning" data-testid="benchmark-no-pool">
          {t("benchmark.noPool")}
        </p>
      )}
      <ul className="cards" data-testid="benchmarks">
        {fields
          .filter((f) => averages.has(f.name))
          .map((f) => {
            const mine = averages.get(f.name)!;
            const figure = pool.data?.find((p) => p.field === f.name);
            const heading = fieldHeading(f, lang);
            const unit = f.unit ? ` ${f.unit}` : "";
            const below = shareBelow(mine.mean, figure?.quantiles);
            const median =
              figure?.quantiles?.find((q) => Math.abs(q.q - 0.5) < 1e-9)?.value ?? figure?.mean;
            return (
              <li key={f.name} data-testid={`benchmark-${f.name}`}>
                <h2>{heading}</h2>
                <StandingChart field={f} label={heading} own={mine.mean} pool={figure} />
                <p>
                  {t("benchmark.yours", {
                    value: fmt.number(mine.mean) + unit,
                    count: mine.count,
                  })}
                </p>
                {median != null && (
                  <p>{t("benchmark.pool", { value: fmt.number(median) + unit })}</p>
                )}
                {below !== null && (
                  <p data-testid="benchmark-standing">
                    <strong>{t("benchmark.standing", { share: fmt.percent(below) })}</strong>
                  </p>
                )}
              </li>
            );
          })}
      </ul>
    </>
  );
}
