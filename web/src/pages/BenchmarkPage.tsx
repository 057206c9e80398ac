/**
 * My benchmark: for each of my figures, my own average (from my own records) against the pool's, with a
 * chart of where I stand, from the gateway's members' queries under the grant the co-op voted to its
 * members for benchmarking (lib/benchmark.ts). Only my own figures and the pool's noisy totals are shown.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useConnection } from "wagmi";
import { useAppConfig } from "../appConfig.tsx";
import { Field } from "../components/Field.tsx";
import { StandingChart } from "../components/StandingChart.tsx";
import { useDocumentTitle } from "../coop.ts";
import { grantToMembersFunction } from "../lib/proposalForms.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useDatasets, useGrants } from "../indexer.ts";
import { gatewayErrorKey } from "../lib/plainErrors.ts";
import {
  type AggregateAnswer,
  benchmarkFields,
  countMargin,
  membersGrant,
  ownAverages,
  poolQueries,
  readHistogram,
  readMeans,
  shareBelow,
} from "../lib/benchmark.ts";
import { fieldsFromMask } from "../lib/fields.ts";
import { GatewayError, gatewayFetch } from "../lib/gateway.ts";
import type { ApiDataset, ApiGrant } from "../lib/indexerApi.ts";
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
    after = records[records.length - 1].recordId;
  }
  return all;
}

type Pool =
  | {
      status: "answered";
      count: number | null;
      /** How far the count may be off, nine times in ten (the noise that keeps members' figures private). */
      margin: number | null;
      means: Map<string, number>;
      histograms: Map<string, { edges: number[]; counts: number[] }>;
    }
  | { status: "unavailable" }
  | { status: "refused"; code: string };

/** The pool's figures, asked as a member under the members' grant (`POST /me/query`). */
async function askPool(
  session: GatewaySession,
  grant: ApiGrant,
  fields: ReturnType<typeof benchmarkFields>,
): Promise<Pool> {
  const queries = poolQueries(fields);
  const ask = (query: unknown) =>
    gatewayFetch<{ answer: AggregateAnswer }>(session.base, "/me/query", {
      method: "POST",
      token: session.token,
      body: JSON.stringify({ grantId: grant.grantId, datasetId: grant.datasetId, query }),
    }).then((r) => r.answer);
  try {
    const meansAnswer = await ask(queries.means);
    const { count, means } = readMeans(meansAnswer, fields);
    const histograms = new Map<string, { edges: number[]; counts: number[] }>();
    for (const h of queries.histograms)
      histograms.set(h.field, {
        edges: h.edges,
        counts: readHistogram(await ask(h.query), h.field, h.edges),
      });
    return { status: "answered", count, margin: countMargin(meansAnswer), means, histograms };
  } catch (e) {
    if (!(e instanceof GatewayError)) throw e;
    // A gateway without members' queries has no such route.
    if (e.status === 404 && e.code === "not_found") return { status: "unavailable" };
    return { status: "refused", code: e.code };
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
  const { deployment } = useAppConfig();
  const schema = useDatasetSchema(dataset).data;
  const grants = useGrants({ active: true }).data?.items;
  const grant = grants && membersGrant(grants, dataset.datasetId, deployment.contracts.timelock);
  const grantFields = grant
    ? fieldsFromMask(BigInt(grant.fieldMask), dataset.fields)
    : dataset.fields;
  const fields = benchmarkFields(schema?.fields ?? [], grantFields);
  const own = useQuery({
    queryKey: ["own-records", session.base, session.token, dataset.datasetId],
    queryFn: () => ownRecords(session, dataset.datasetId),
  });
  const pool = useQuery({
    queryKey: ["pool", session.base, grant?.grantId, fields.map((f) => f.name).join(",")],
    queryFn: () => askPool(session, grant!, fields),
    enabled: grant !== undefined && fields.length > 0,
    retry: false,
    staleTime: 10 * 60_000,
  });
  if (own.isError || pool.isError)
    return (
      <p className="error" role="alert">
        {t("benchmark.failed")}
      </p>
    );
  if (!own.data || !schema || !grants) return <p role="status">{t("read.loading")}</p>;
  const averages = ownAverages(fields, own.data);
  if (averages.size === 0) return <p className="hint">{t("benchmark.noRecords")}</p>;
  const answered = pool.data?.status === "answered" ? pool.data : undefined;
  return (
    <>
      {!grant && (
        <div className="panel warning" data-testid="benchmark-no-pool">
          <p>{t("benchmark.noPool")}</p>
          <a
            className="button"
            href={
              grantToMembersFunction()
                ? `#/propose/membersGrant?datasetId=${dataset.datasetId}`
                : "#/propose"
            }
          >
            {t("benchmark.proposeGrant")}
          </a>
        </div>
      )}
      {pool.data?.status === "unavailable" && (
        <p className="panel warning" data-testid="benchmark-no-pool">
          {t("benchmark.unavailable")}
        </p>
      )}
      {pool.data?.status === "refused" && (
        <p className="panel warning" role="alert">
          {t(gatewayErrorKey(pool.data.code))}
        </p>
      )}
      {grant && pool.isPending && <p role="status">{t("read.loading")}</p>}
      {answered && (
        <p className="hint" data-testid="benchmark-from">
          {t("benchmark.from", { id: grant!.grantId, end: fmt.date(Number(grant!.end)) })}
          {answered.count !== null && <> {t("benchmark.poolCount", { count: answered.count })}</>}
        </p>
      )}
      {answered && answered.margin !== null && (
        <p className="hint" data-testid="benchmark-noise">
          {t("benchmark.noise", { count: answered.margin })}
        </p>
      )}
      <ul className="cards" data-testid="benchmarks">
        {fields
          .filter((f) => averages.has(f.name))
          .map((f) => {
            const mine = averages.get(f.name)!;
            const heading = fieldHeading(f, lang);
            const unit = f.unit ? ` ${f.unit}` : "";
            const poolMean = answered?.means.get(f.name);
            const histogram = answered?.histograms.get(f.name);
            const below = histogram
              ? shareBelow(mine.mean, histogram.edges, histogram.counts)
              : null;
            return (
              <li key={f.name} data-testid={`benchmark-${f.name}`}>
                <h2>{heading}</h2>
                <StandingChart
                  field={f}
                  label={t("benchmark.chart", { field: heading })}
                  own={mine.mean}
                  poolMean={poolMean}
                  histogram={histogram}
                />
                <p data-testid="benchmark-yours">
                  {t("benchmark.yours", { value: fmt.number(mine.mean) + unit, count: mine.count })}
                </p>
                {poolMean !== undefined && (
                  <p data-testid="benchmark-pool">
                    {t("benchmark.pool", { value: fmt.number(poolMean) + unit })}
                  </p>
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
