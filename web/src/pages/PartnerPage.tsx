/**
 * Partners: request access to a dataset (purpose, fields, aggregates or rows, duration, fee in escrow),
 * follow the request through sponsorship, vote and approval, and once granted query the data with a
 * wallet-signed request, see the answer as a table and download it as CSV.
 */
import { useMemo, useState } from "react";
import { parseEther, zeroHash } from "viem";
import { useConfig, useConnection, useReadContract } from "wagmi";
import { signTypedData, writeContract } from "wagmi/actions";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../appConfig.tsx";
import { Field } from "../components/Field.tsx";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useDatasets, useGrants, useProposals, useRequests } from "../indexer.ts";
import { readableError } from "../lib/errors.ts";
import { formatDuration, formatEth, shortAddress } from "../lib/format.ts";
import {
  type Answer,
  answerTable,
  buildQuery,
  GatewayError,
  gatewayFetch,
  gatewayUrl,
  type QueryForm,
  signedQueryBody,
  toCsv,
} from "../lib/gateway.ts";
import { fieldsFromMask, maskFromFields } from "../lib/fields.ts";
import type { ApiGrant, ApiRequest } from "../lib/indexerApi.ts";
import { proposalTitle, requestProposals, stateFromApi } from "../lib/proposal.ts";
import { MAX_PARTNER_NAME_BYTES, validateRequest } from "../lib/requestForm.ts";
import { useRefetchOnBlock } from "../live.ts";
import { useTx } from "../tx.tsx";
import { queryTypedData } from "@datacoop/protocol/typedData";

export function PartnerPage({ grantId }: { grantId?: string }) {
  const { t } = useI18n();
  const me = useConnection().address;
  const grants = useGrants(me ? { partner: me.toLowerCase() } : {}).data?.items;
  const grant = grantId ? grants?.find((g) => g.grantId === grantId) : undefined;
  return (
    <section aria-labelledby="partner-title">
      <h2 id="partner-title">{t("partner.title")}</h2>
      <p className="hint">{t("partner.intro")}</p>
      {!me ? (
        <p className="hint">{t("membership.connectFirst")}</p>
      ) : grantId ? (
        grant ? (
          <QueryPanel grant={grant} />
        ) : (
          <p role="status">{grants ? t("partner.grantUnknown") : t("read.loading")}</p>
        )
      ) : (
        <>
          <Refund />
          <MyRequests />
          <RequestForm />
        </>
      )}
    </section>
  );
}

function RequestForm() {
  const { t, purpose } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const onChain = useOnCoopChain();
  const datasets = (useDatasets().data?.items ?? []).filter((d) => !d.retired);
  const registry = { address: deployment.contracts.registry, abi: registryAbi } as const;
  const minimumFee = useReadContract({ ...registry, functionName: "minimumFee" }).data;
  const maxDuration = useReadContract({ ...registry, functionName: "maxDuration" }).data;
  const [form, setForm] = useState({
    datasetId: "",
    purpose: "0",
    fields: [] as string[],
    rowLevel: false,
    minCohort: "5",
    days: "30",
    fee: "",
    termsUri: "",
    partnerName: "",
  });
  const [errors, setErrors] = useState<Partial<Record<string, MessageKey>>>({});
  const tx = useTx();
  const dataset = datasets.find((d) => d.datasetId === form.datasetId) ?? datasets[0];
  const set = (patch: Partial<typeof form>) => {
    setForm((f) => ({ ...f, ...patch }));
    tx.reset();
  };

  if (datasets.length === 0)
    return (
      <div className="panel">
        <h3>{t("request.title")}</h3>
        <p className="hint">{t("contribute.noDataset")}</p>
      </div>
    );

  function review(e: React.FormEvent) {
    e.preventDefault();
    const checked = validateRequest(
      { ...form, datasetId: dataset!.datasetId },
      { minimumFee: minimumFee ?? 0n, maxDuration: maxDuration ?? BigInt(2 ** 63) },
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    const r = checked.value;
    const p = PURPOSES.find((x) => x.bit === r.purpose)!;
    tx.review({
      summary: t(r.rowLevel ? "request.summary.rows" : "request.summary.aggregate", {
        dataset: dataset!.name,
        purpose: purpose(p.key).label,
        fields: form.fields.join(", "),
        k: r.minCohort,
        duration: formatDuration(Number(r.duration), units(t)),
        fee: formatEth(r.fee),
      }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          ...registry,
          functionName: "requestAccess",
          args: [
            r.datasetId,
            r.purpose,
            {
              fieldMask: maskFromFields(form.fields, dataset!.fields),
              rowLevel: r.rowLevel,
              minCohort: r.minCohort,
              // Differentially private answers: exact tabulations are a term the partner declares (not offered here).
              exactTabulations: zeroHash,
            },
            r.duration,
            r.termsUri,
            r.partnerName,
          ],
          value: r.fee,
          chainId,
        }),
    });
  }

  return (
    <div className="panel">
      <h3>{t("request.title")}</h3>
      <form className="form" noValidate onSubmit={review}>
        <Field id="request-dataset" label={t("contribute.dataset")}>
          {(p) => (
            <select
              {...p}
              value={dataset!.datasetId}
              onChange={(e) => set({ datasetId: e.target.value, fields: [] })}
            >
              {datasets.map((d) => (
                <option key={d.datasetId} value={d.datasetId}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="request-purpose" label={t("request.purpose")}>
          {(p) => (
            <select {...p} value={form.purpose} onChange={(e) => set({ purpose: e.target.value })}>
              {PURPOSES.map((x) => (
                <option key={x.bit} value={x.bit}>
                  {purpose(x.key).label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset
          className="field"
          aria-describedby={errors.fields ? "request-fields-error" : undefined}
        >
          <legend>{t("request.fields")}</legend>
          {dataset!.fields.map((f) => (
            <label key={f} className="check">
              <input
                type="checkbox"
                checked={form.fields.includes(f)}
                onChange={(e) =>
                  set({
                    fields: e.target.checked
                      ? [...form.fields, f]
                      : form.fields.filter((x) => x !== f),
                  })
                }
              />
              {f}
            </label>
          ))}
          {errors.fields && (
            <p className="error" id="request-fields-error" role="alert">
              {t(errors.fields)}
            </p>
          )}
        </fieldset>
        <fieldset className="field">
          <legend>{t("request.shape")}</legend>
          <label className="radio">
            <input
              type="radio"
              checked={!form.rowLevel}
              onChange={() => set({ rowLevel: false })}
            />
            {t("request.shape.aggregate")}
          </label>
          <label className="radio">
            <input type="radio" checked={form.rowLevel} onChange={() => set({ rowLevel: true })} />
            {t("request.shape.rows")}
          </label>
        </fieldset>
        <Field
          id="request-k"
          label={t("request.k")}
          hint={t("request.k.hint")}
          error={errors.minCohort && t(errors.minCohort)}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="numeric"
              value={form.minCohort}
              onChange={(e) => set({ minCohort: e.target.value })}
            />
          )}
        </Field>
        <Field id="request-days" label={t("request.days")} error={errors.days && t(errors.days)}>
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="numeric"
              value={form.days}
              onChange={(e) => set({ days: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="request-fee"
          label={t("request.fee")}
          hint={
            minimumFee !== undefined
              ? t("request.fee.hint", { min: formatEth(minimumFee) })
              : undefined
          }
          error={errors.fee && t(errors.fee)}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              inputMode="decimal"
              value={form.fee}
              onChange={(e) => set({ fee: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="request-partner-name"
          label={t("request.partnerName")}
          hint={t("request.partnerName.hint")}
          error={errors.partnerName && t(errors.partnerName)}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              maxLength={MAX_PARTNER_NAME_BYTES}
              value={form.partnerName}
              onChange={(e) => set({ partnerName: e.target.value })}
            />
          )}
        </Field>
        <Field
          id="request-terms"
          label={t("request.terms")}
          hint={t("request.terms.hint")}
          error={errors.termsUri && t(errors.termsUri)}
        >
          {(p) => (
            <input
              {...p}
              type="text"
              spellCheck={false}
              value={form.termsUri}
              onChange={(e) => set({ termsUri: e.target.value })}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={!onChain || tx.busy}>
            {t("request.review")}
          </button>
        </div>
      </form>
      <TxPanel tx={tx} />
    </div>
  );
}

function units(t: (k: MessageKey) => string) {
  return {
    days: t("time.days"),
    hours: t("time.hours"),
    minutes: t("time.minutes"),
    seconds: t("time.seconds"),
  };
}

/** Fees of refused or withdrawn requests, waiting to be taken back. */
function Refund() {
  const { t } = useI18n();
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
      <p data-testid="refund">{t("refund.waiting", { amount: formatEth(amount) })}</p>
      <button
        type="button"
        className="primary"
        disabled={!onChain || tx.busy}
        onClick={() =>
          tx.review({
            summary: t("refund.summary", { amount: formatEth(amount) }),
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

function MyRequests() {
  const { t, purpose } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const onChain = useOnCoopChain();
  const me = useConnection().address!;
  const requests = useRequests({ partner: me.toLowerCase() }).data?.items;
  const proposals = useProposals({ limit: 200 }).data?.items ?? [];
  const tx = useTx();
  if (!requests) return <p role="status">{t("read.loading")}</p>;
  if (requests.length === 0) return null;
  return (
    <div className="panel">
      <h3>{t("request.mine")}</h3>
      <ul className="cards" data-testid="my-requests">
        {requests.map((r: ApiRequest) => {
          const p = PURPOSES.find((x) => x.bit === r.purpose);
          const sponsored = requestProposals(proposals, r.requestId);
          return (
            <li key={r.requestId} data-testid={`request-${r.requestId}`}>
              <p>
                <strong>{t("request.item", { id: r.requestId })}</strong>{" "}
                <span className="badge" data-testid="request-status">
                  {t(`request.status.${r.status}`)}
                </span>
              </p>
              <p className="hint">
                {t("request.itemTerms", {
                  purpose: p ? purpose(p.key).label : "—",
                  fee: formatEth(BigInt(r.fee)),
                })}
              </p>
              {r.status === "Pending" && sponsored.length === 0 && (
                <p>{t("request.step.waitingSponsor")}</p>
              )}
              {sponsored.map((s) => {
                const state = stateFromApi(s.state);
                return (
                  <p key={s.proposalId}>
                    <a href={`#/proposals/${s.proposalId}`}>
                      {t("request.step.proposal", { title: proposalTitle(s.description) })}
                    </a>{" "}
                    <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>
                  </p>
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
        })}
      </ul>
      <TxPanel tx={tx} />
    </div>
  );
}

type QueryState =
  | { phase: "idle" }
  | { phase: "signing" }
  | { phase: "sending" }
  | { phase: "done"; answer: Answer; seq: number }
  | { phase: "error"; message: string; code?: string };

function QueryPanel({ grant }: { grant: ApiGrant }) {
  const { t } = useI18n();
  const { deployment, indexerUrl } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address!;
  const onChain = useOnCoopChain();
  const dataset = useDatasets().data?.items.find((d) => d.datasetId === grant.datasetId);
  const allowed = dataset ? fieldsFromMask(BigInt(grant.fieldMask), dataset.fields) : [];
  const [form, setForm] = useState<QueryForm>({
    shape: grant.rowLevel ? "rows" : "aggregate",
    select: [],
    groupBy: "",
    measure: "count",
    measureField: "",
    filterField: "",
    filterOp: "eq",
    filterValue: "",
    limit: "",
  });
  const [state, setState] = useState<QueryState>({ phase: "idle" });
  const built = buildQuery(form);
  const table = useMemo(() => (state.phase === "done" ? answerTable(state.answer) : null), [state]);
  const csvHref = useMemo(
    () => (table ? URL.createObjectURL(new Blob([toCsv(table)], { type: "text/csv" })) : undefined),
    [table],
  );
  const set = (patch: Partial<QueryForm>) => setForm((f) => ({ ...f, ...patch }));

  async function run() {
    if (!built.ok) return;
    const query = built.query;
    setState({ phase: "signing" });
    try {
      const typed = queryTypedData({
        chainId: deployment.chainId,
        registry: deployment.contracts.registry,
        grantId: BigInt(grant.grantId),
        datasetId: BigInt(grant.datasetId),
        query,
        nonce: BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000)),
        deadline: BigInt(Math.floor(Date.now() / 1000) + 600),
      });
      const signature = await signTypedData(wagmiConfig, { account: me, ...typed });
      setState({ phase: "sending" });
      const served = await gatewayFetch<{ answer: Answer; log: { seq: number } }>(
        gatewayUrl(indexerUrl),
        "/query",
        { method: "POST", body: JSON.stringify(signedQueryBody(me, typed, query, signature)) },
      );
      setState({ phase: "done", answer: served.answer, seq: served.log.seq });
    } catch (e) {
      setState(
        e instanceof GatewayError
          ? { phase: "error", message: e.message, code: e.code }
          : {
              phase: "error",
              message:
                readableError(e).kind === "rejected"
                  ? t("tx.error.rejected")
                  : readableError(e).message,
            },
      );
    }
  }

  const numeric = allowed; // the gateway checks types; the partner picks
  return (
    <div>
      <p>
        <a href="#/partner">{t("query.back")}</a>
      </p>
      <div className="panel">
        <h3>{t("query.title", { id: grant.grantId })}</h3>
        <p className="hint">
          {t(grant.active ? "query.active" : "query.inactive", {
            end: new Date(Number(grant.end) * 1000).toLocaleString(),
          })}
        </p>
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <fieldset className="field">
            <legend>{t("request.shape")}</legend>
            <label className="radio">
              <input
                type="radio"
                checked={form.shape === "aggregate"}
                onChange={() => set({ shape: "aggregate" })}
              />
              {t("request.shape.aggregate")}
            </label>
            {grant.rowLevel && (
              <label className="radio">
                <input
                  type="radio"
                  checked={form.shape === "rows"}
                  onChange={() => set({ shape: "rows" })}
                />
                {t("request.shape.rows")}
              </label>
            )}
          </fieldset>
          {form.shape === "rows" ? (
            <fieldset className="field">
              <legend>{t("query.select")}</legend>
              {allowed.map((f) => (
                <label key={f} className="check">
                  <input
                    type="checkbox"
                    checked={form.select.includes(f)}
                    onChange={(e) =>
                      set({
                        select: e.target.checked
                          ? [...form.select, f]
                          : form.select.filter((x) => x !== f),
                      })
                    }
                  />
                  {f}
                </label>
              ))}
            </fieldset>
          ) : (
            <>
              <Field id="query-group" label={t("query.groupBy")}>
                {(p) => (
                  <select
                    {...p}
                    value={form.groupBy}
                    onChange={(e) => set({ groupBy: e.target.value })}
                  >
                    <option value="">{t("query.none")}</option>
                    {allowed.map((f) => (
                      <option key={f}>{f}</option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="query-measure" label={t("query.measure")}>
                {(p) => (
                  <select
                    {...p}
                    value={form.measure}
                    onChange={(e) => set({ measure: e.target.value as QueryForm["measure"] })}
                  >
                    {(["count", "sum", "mean", "min", "max"] as const).map((m) => (
                      <option key={m} value={m}>
                        {t(`query.fn.${m}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              {form.measure !== "count" && (
                <Field id="query-measure-field" label={t("query.measureField")}>
                  {(p) => (
                    <select
                      {...p}
                      value={form.measureField}
                      onChange={(e) => set({ measureField: e.target.value })}
                    >
                      <option value="">{t("propose.request.choose")}</option>
                      {numeric.map((f) => (
                        <option key={f}>{f}</option>
                      ))}
                    </select>
                  )}
                </Field>
              )}
            </>
          )}
          <Field id="query-filter" label={t("query.filter")} hint={t("query.filter.hint")}>
            {(p) => (
              <select
                {...p}
                value={form.filterField}
                onChange={(e) => set({ filterField: e.target.value })}
              >
                <option value="">{t("query.none")}</option>
                {allowed.map((f) => (
                  <option key={f}>{f}</option>
                ))}
              </select>
            )}
          </Field>
          {form.filterField && (
            <div className="row2">
              <Field id="query-op" label={t("query.op")}>
                {(p) => (
                  <select
                    {...p}
                    value={form.filterOp}
                    onChange={(e) => set({ filterOp: e.target.value as QueryForm["filterOp"] })}
                  >
                    {(["eq", "ne", "lt", "lte", "gt", "gte"] as const).map((o) => (
                      <option key={o} value={o}>
                        {t(`query.op.${o}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field id="query-value" label={t("query.value")}>
                {(p) => (
                  <input
                    {...p}
                    type="text"
                    value={form.filterValue}
                    onChange={(e) => set({ filterValue: e.target.value })}
                  />
                )}
              </Field>
            </div>
          )}
          <details className="panel">
            <summary>{t("query.json")}</summary>
            <pre className="description" data-testid="query-json">
              {built.ok ? JSON.stringify(built.query, null, 2) : t(built.error as MessageKey)}
            </pre>
          </details>
          {!built.ok && (
            <p className="hint" role="status">
              {t(built.error as MessageKey)}
            </p>
          )}
          <p className="hint">{t("query.signHint")}</p>
          <div className="actions">
            <button
              type="submit"
              className="primary"
              disabled={
                !built.ok || !onChain || state.phase === "signing" || state.phase === "sending"
              }
            >
              {t("query.run")}
            </button>
          </div>
        </form>
      </div>
      {state.phase === "signing" && <p role="status">{t("tx.wallet")}</p>}
      {state.phase === "sending" && <p role="status">{t("query.sending")}</p>}
      {state.phase === "error" && (
        <div className="panel error" role="alert" data-testid="query-error">
          <p>{t("query.refused")}</p>
          <p className="detail">
            {state.message}
            {state.code && (
              <>
                {" "}
                <code>{state.code}</code>
              </>
            )}
          </p>
        </div>
      )}
      {state.phase === "done" && table && (
        <div className="panel" data-testid="query-result">
          <h3>{t("query.result", { rows: table.rows.length })}</h3>
          {state.answer.shape === "aggregate" && state.answer.suppressedGroups > 0 && (
            <p className="hint">{t("query.suppressed", { n: state.answer.suppressedGroups })}</p>
          )}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  {table.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((cell, j) => (
                      <td key={j}>{cell === null || cell === undefined ? "" : String(cell)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t("query.logged", { seq: state.seq, partner: shortAddress(me) })}</p>
          <a className="button" href={csvHref} download={`grant-${grant.grantId}.csv`}>
            {t("query.csv")}
          </a>
        </div>
      )}
    </div>
  );
}
