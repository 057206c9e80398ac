/**
 * A member's data: contribute records (a form or a CSV file) through the gateway, see who used them and
 * when, claim the member's share of fees, and opt out of any one grant in one click.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { signTypedData, writeContract } from "wagmi/actions";
import { consentAbi, revenueAbi } from "@datacoop/protocol/abis.generated";
import type { paths } from "@datacoop/protocol/api.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../appConfig.tsx";
import { BarChart } from "../components/BarChart.tsx";
import { Field } from "../components/Field.tsx";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import { decisionTimeAndDeadline, useGasless } from "../gasless.ts";
import { useI18n } from "../i18n/i18n.tsx";
import {
  useDatasets,
  useGrants,
  useMemberClaims,
  useMemberConsents,
  useRevenue,
} from "../indexer.ts";
import { proofsUrl } from "../lib/accessLogAudit.ts";
import { byUseGrantsToAsk, byUseShares } from "../lib/byUse.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { readableError } from "../lib/errors.ts";
import { formatEth, shortAddress } from "../lib/format.ts";
import { GatewayError, gatewayFetch, type RowError } from "../lib/gateway.ts";
import { grantChoiceRequestBody, grantChoiceTypedData, relayAndWait } from "../lib/relayer.ts";
import { grantChoiceFields } from "../lib/signedMessage.ts";
import type { ApiDataset } from "../lib/indexerApi.ts";
import { recordValues, type SchemaField } from "../lib/records.ts";
import { perDay } from "../lib/series.ts";
import { type GatewaySession, useGatewaySession } from "../session.ts";
import { useTx } from "../tx.tsx";

export function MyDataPage() {
  const { t } = useI18n();
  const session = useGatewaySession();
  const me = useConnection().address;
  return (
    <section aria-labelledby="data-title">
      <h2 id="data-title">{t("data.title")}</h2>
      <p className="hint">{t("data.intro")}</p>
      {!me ? (
        <p className="hint">{t("membership.connectFirst")}</p>
      ) : (
        <>
          <SessionPanel session={session} />
          {session.token && <Contribute session={session} />}
          {session.token && <Accesses session={session} />}
          <Revenue />
          <GrantChoices />
        </>
      )}
    </section>
  );
}

function SessionPanel({ session }: { session: GatewaySession }) {
  const { t } = useI18n();
  if (session.token)
    return (
      <div className="panel stat">
        <span data-testid="session">{t("session.signedIn")}</span>
        <button type="button" onClick={session.signOut}>
          {t("session.signOut")}
        </button>
      </div>
    );
  return (
    <div className="panel">
      <h3>{t("session.title")}</h3>
      <p>{t("session.explain")}</p>
      <button
        type="button"
        className="primary"
        disabled={session.busy}
        onClick={() => void session.signIn()}
      >
        {session.busy ? t("session.waiting") : t("session.signIn")}
      </button>
      {session.error && (
        <p className="error" role="alert">
          {session.error.kind === "rejected" ? t("tx.error.rejected") : session.error.message}
        </p>
      )}
    </div>
  );
}

/**
 * The schema document at the dataset's URI, if it can be fetched and matches the on-chain hash; otherwise
 * the field names alone (typed as text; the gateway still checks every value).
 */
function useSchema(dataset: ApiDataset | undefined) {
  return useQuery({
    queryKey: ["schema", dataset?.datasetId, dataset?.schemaHash],
    enabled: dataset !== undefined,
    staleTime: Infinity,
    queryFn: async (): Promise<{ fields: SchemaField[]; document: unknown }> => {
      const fallback = {
        fields: dataset!.fields.map((name) => ({ name, type: "string" as const })),
        document: null,
      };
      if (!/^(https?:|data:)/.test(dataset!.schemaUri)) return fallback;
      try {
        const doc = (await (await fetch(dataset!.schemaUri)).json()) as { fields?: SchemaField[] };
        if (canonicalHash(doc) !== dataset!.schemaHash || !Array.isArray(doc.fields))
          return fallback;
        return { fields: doc.fields, document: doc };
      } catch {
        return fallback;
      }
    },
  });
}

function Contribute({ session }: { session: GatewaySession }) {
  const { t } = useI18n();
  const datasets = (useDatasets().data?.items ?? []).filter((d) => !d.retired);
  const [datasetId, setDatasetId] = useState("");
  const dataset = datasets.find((d) => d.datasetId === datasetId) ?? datasets[0];
  const schema = useSchema(dataset).data;
  const [published, setPublished] = useState<"idle" | "sending" | "done" | string>("idle");
  const [values, setValues] = useState<Record<string, string>>({});
  const [recordId, setRecordId] = useState(() => `r-${Date.now().toString(36)}`);
  const [csv, setCsv] = useState("");
  const [status, setStatus] = useState<
    | { phase: "idle" }
    | { phase: "sending" }
    | { phase: "done"; stored: number; unchanged: number }
    | { phase: "error"; message: string; code?: string; rows: RowError[] }
  >({ phase: "idle" });

  if (datasets.length === 0)
    return (
      <div className="panel">
        <h3>{t("contribute.title")}</h3>
        <p className="hint">{t("contribute.noDataset")}</p>
      </div>
    );

  async function send(body: string, contentType: string, path: string) {
    setStatus({ phase: "sending" });
    try {
      const r = await gatewayFetch<{ stored: number; unchanged: number }>(
        session.base,
        `/datasets/${dataset!.datasetId}/${path}`,
        { method: "POST", body, contentType, token: session.token },
      );
      setStatus({ phase: "done", ...r });
      setRecordId(`r-${Date.now().toString(36)}`);
    } catch (e) {
      if (e instanceof GatewayError && e.status === 401) session.signOut();
      setStatus({
        phase: "error",
        message: e instanceof GatewayError ? e.message : readableError(e).message,
        ...(e instanceof GatewayError ? { code: e.code } : {}),
        rows: e instanceof GatewayError ? e.rowErrors : [],
      });
    }
  }

  const fields = schema?.fields ?? [];

  /** The gateway learns a dataset's schema from anyone, checked against the on-chain hash. */
  async function publishSchema() {
    setPublished("sending");
    try {
      await gatewayFetch(session.base, `/datasets/${dataset!.datasetId}/schema`, {
        method: "POST",
        body: JSON.stringify(schema!.document),
      });
      setPublished("done");
      setStatus({ phase: "idle" });
    } catch (e) {
      setPublished(e instanceof Error ? e.message : String(e));
    }
  }
  const isCsv = (name: string) => name.toLowerCase().endsWith(".csv");
  return (
    <div className="panel">
      <h3>{t("contribute.title")}</h3>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const record = { recordId: recordId.trim(), values: recordValues(fields, values) };
          void send(JSON.stringify({ records: [record] }), "application/json", "records");
        }}
      >
        <Field id="contribute-dataset" label={t("contribute.dataset")}>
          {(p) => (
            <select
              {...p}
              value={dataset?.datasetId}
              onChange={(e) => setDatasetId(e.target.value)}
            >
              {datasets.map((d) => (
                <option key={d.datasetId} value={d.datasetId}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="contribute-record"
          label={t("contribute.recordId")}
          hint={t("contribute.recordId.hint")}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              value={recordId}
              onChange={(e) => setRecordId(e.target.value)}
            />
          )}
        </Field>
        {fields.map((f) =>
          f.type === "boolean" ? (
            <label key={f.name} className="check">
              <input
                type="checkbox"
                checked={values[f.name] === "true"}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: String(e.target.checked) }))}
              />
              {f.name}
            </label>
          ) : (
            <Field
              key={f.name}
              id={`contribute-${f.name}`}
              label={f.unit ? `${f.name} (${f.unit})` : f.name}
            >
              {(p) =>
                f.enum ? (
                  <select
                    {...p}
                    value={values[f.name] ?? ""}
                    onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                  >
                    <option value="">—</option>
                    {f.enum.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    {...p}
                    type="text"
                    inputMode={f.type === "number" || f.type === "integer" ? "decimal" : undefined}
                    value={values[f.name] ?? ""}
                    onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
                  />
                )
              }
            </Field>
          ),
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={status.phase === "sending"}>
            {t("contribute.send")}
          </button>
        </div>
      </form>
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send(csv, "text/csv", "records.csv");
        }}
      >
        <Field id="contribute-file" label={t("contribute.csv")} hint={t("contribute.csv.hint")}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file && isCsv(file.name)) void file.text().then(setCsv);
                else setCsv("");
              }}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={csv === "" || status.phase === "sending"}>
            {t("contribute.sendCsv")}
          </button>
        </div>
      </form>
      {status.phase === "sending" && <p role="status">{t("contribute.sending")}</p>}
      {status.phase === "done" && (
        <p className="tx success panel" role="status" data-testid="contribute-done">
          {t("contribute.done", { stored: status.stored, unchanged: status.unchanged })}
        </p>
      )}
      {status.phase === "error" &&
        status.code === "dataset_unknown" &&
        schema?.document != null && (
          <div className="panel warning">
            <p>{t("contribute.schemaMissing")}</p>
            <button
              type="button"
              disabled={published === "sending"}
              onClick={() => void publishSchema()}
            >
              {t("contribute.publishSchema")}
            </button>
          </div>
        )}
      {published !== "idle" && published !== "sending" && (
        <p className={published === "done" ? "hint" : "error"} role="status">
          {published === "done" ? t("contribute.schemaPublished") : published}
        </p>
      )}
      {status.phase === "error" && (
        <div className="panel error" role="alert" data-testid="contribute-error">
          <p>{status.message}</p>
          {status.rows.length > 0 && (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t("contribute.row")}</th>
                    <th>{t("contribute.field")}</th>
                    <th>{t("contribute.problem")}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.rows.map((r, i) => (
                    <tr key={i}>
                      <td>{r.row + 1}</td>
                      <td>{r.field ?? ""}</td>
                      <td>{r.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

type Access =
  paths["/gateway/me/accesses"]["get"]["responses"][200]["content"]["application/json"]["accesses"][number];

function Accesses({ session }: { session: GatewaySession }) {
  const { t, purpose, lang } = useI18n();
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
      <h3>{t("accesses.title")}</h3>
      {accesses.isError && (
        <p className="error" role="alert">
          {(accesses.error as Error).message}
        </p>
      )}
      {accesses.data && list.length === 0 && <p className="hint">{t("accesses.none")}</p>}
      {list.length > 0 && (
        <>
          <BarChart
            title={t("accesses.chart")}
            points={perDay(list.map((a) => Date.parse(a.at) / 1000))}
            testId="accesses-chart"
          />
          <ul className="cards" data-testid="accesses">
            {list.slice(0, 50).map((a) => {
              const p = PURPOSES.find((x) => x.bit === a.purpose);
              return (
                <li key={a.seq}>
                  <p>
                    <strong>{new Date(a.at).toLocaleString(lang)}</strong>
                  </p>
                  <p>
                    {t("accesses.entry", {
                      partner: shortAddress(a.partner),
                      grant: a.grantId,
                      purpose: p ? purpose(p.key).label : "—",
                    })}
                  </p>
                  <p className="hint">
                    {t(a.shape === "rows" ? "accesses.rows" : "accesses.aggregate", {
                      fields: a.fields.join(", "),
                    })}
                  </p>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

function Revenue() {
  const { t } = useI18n();
  const { deployment, indexerUrl } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const claims = useMemberClaims(me).data;
  const revenue = useRevenue().data;
  const toAsk = revenue && claims ? byUseGrantsToAsk(revenue.items, claims.claims) : [];
  // Shares by use come from the gateway's posted distributions, each with the proof the contract checks.
  const byUse = useQuery({
    queryKey: ["by-use", me, toAsk.join(",")],
    queryFn: () => byUseShares(proofsUrl(indexerUrl), toAsk, me!),
    enabled: me !== undefined && toAsk.length > 0,
  });
  const tx = useTx();
  const claimable = claims?.claimable.filter((c) => BigInt(c.amount) > 0n) ?? [];
  const total = claimable.reduce((s, c) => s + BigInt(c.amount), 0n);
  const points = [
    ...(claims?.claims ?? []).map((c) => ({
      label: `#${c.grantId}`,
      value: Number(BigInt(c.amount) / 10n ** 12n) / 1e6,
    })),
  ];
  return (
    <div className="panel">
      <h3>{t("revenue.title")}</h3>
      {claims && (
        <p data-testid="revenue-summary">
          {t("revenue.summary", {
            claimed: formatEth(BigInt(claims.claimed)),
            claimable: formatEth(total),
          })}
        </p>
      )}
      {points.length > 0 && (
        <BarChart title={t("revenue.chart")} points={points} format={(v) => `${v} ETH`} />
      )}
      <ul className="cards">
        {claimable.map((c) => (
          <li key={c.grantId}>
            <p>{t("revenue.grant", { grant: c.grantId, amount: formatEth(BigInt(c.amount)) })}</p>
            <button
              type="button"
              className="primary"
              disabled={!onChain || tx.busy}
              onClick={() =>
                tx.review({
                  summary: t("revenue.claim.summary", {
                    amount: formatEth(BigInt(c.amount)),
                    grant: c.grantId,
                  }),
                  send: (chainId) =>
                    writeContract(wagmiConfig, {
                      address: deployment.contracts.revenue,
                      abi: revenueAbi,
                      functionName: "claim",
                      args: [BigInt(c.grantId), me!],
                      chainId,
                    }),
                })
              }
            >
              {t("revenue.claim")}
            </button>
          </li>
        ))}
        {(byUse.data ?? []).map((share) => (
          <li key={`by-use-${share.grantId}`} data-testid={`by-use-${share.grantId}`}>
            <p>
              {t("revenue.byUse.grant", {
                grant: share.grantId,
                amount: formatEth(share.amount),
                units: share.units,
              })}
            </p>
            <button
              type="button"
              className="primary"
              disabled={!onChain || tx.busy}
              onClick={() =>
                tx.review({
                  summary: t("revenue.byUse.summary", {
                    amount: formatEth(share.amount),
                    grant: share.grantId,
                  }),
                  send: (chainId) =>
                    writeContract(wagmiConfig, {
                      address: deployment.contracts.revenue,
                      abi: revenueAbi,
                      functionName: "claim",
                      args: [BigInt(share.grantId), me!, share.amount, share.proof],
                      chainId,
                    }),
                })
              }
            >
              {t("revenue.claim")}
            </button>
          </li>
        ))}
      </ul>
      {byUse.isError && (
        <p className="error" role="alert">
          {t("revenue.byUse.unavailable")}
        </p>
      )}
      <TxPanel tx={tx} />
    </div>
  );
}

function GrantChoices() {
  const { t, purpose } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const grants = useGrants({ active: true }).data?.items ?? [];
  const consents = useMemberConsents(me).data;
  const tx = useTx();
  const gasless = useGasless("consent");
  if (grants.length === 0) return null;

  function choose(grantId: bigint, next: 0 | 2) {
    const summary = t(next === 2 ? "choices.optOut.summary" : "choices.reset.summary", {
      grant: grantId,
    });
    const domain = gasless.domain;
    if (gasless.on && domain && me) {
      tx.review({
        summary,
        signs: grantChoiceFields(t, domain, me, grantId, next),
        relay: async (chainId, progress) => {
          const choice = {
            member: me,
            grantId,
            choice: next,
            ...(await decisionTimeAndDeadline(wagmiConfig, chainId)),
          };
          const signature = await signTypedData(wagmiConfig, {
            ...grantChoiceTypedData(domain, choice),
            account: me,
          });
          return relayAndWait(
            gasless.relayer.base,
            "/grant-choices",
            grantChoiceRequestBody(choice, signature),
            progress,
          );
        },
      });
      return;
    }
    tx.review({
      summary,
      send: (chainId) =>
        writeContract(wagmiConfig, {
          address: deployment.contracts.consent,
          abi: consentAbi,
          functionName: "setGrantChoice",
          args: [grantId, next],
          chainId,
        }),
    });
  }
  return (
    <div className="panel">
      <h3>{t("choices.title")}</h3>
      <p className="hint">{t("choices.intro")}</p>
      {gasless.offered && (
        <label className="check">
          <input
            type="checkbox"
            checked={gasless.on}
            onChange={(e) => gasless.set(e.target.checked)}
          />{" "}
          {t("choices.gasless.label")}
        </label>
      )}
      <ul className="cards" data-testid="grant-choices">
        {grants.map((g) => {
          const choice =
            consents?.choices.find((c) => c.grantId === g.grantId)?.choice ?? "Default";
          const p = PURPOSES.find((x) => x.bit === g.purpose);
          const next: 0 | 2 = choice === "OptOut" ? 0 : 2;
          return (
            <li key={g.grantId}>
              <p>
                {t("choices.grant", {
                  grant: g.grantId,
                  partner: shortAddress(g.partner),
                  purpose: p ? purpose(p.key).label : "—",
                })}
              </p>
              <p className="hint">{t(`choices.state.${choice}`)}</p>
              <button
                type="button"
                className={choice === "OptOut" ? undefined : "danger"}
                disabled={!onChain || tx.busy}
                onClick={() => choose(BigInt(g.grantId), next)}
              >
                {t(next === 2 ? "choices.optOut" : "choices.reset")}
              </button>
            </li>
          );
        })}
      </ul>
      <TxPanel tx={tx} />
    </div>
  );
}
