/** Querying under a grant: build a query from the grant's fields, sign it, read the answer as a table, download CSV. */
import { useMemo, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { useAppConfig } from "../../appConfig.tsx";
import { Field } from "../../components/Field.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets } from "../../indexer.ts";
import { cellText, columnHeading } from "../../lib/answers.ts";
import { readableError } from "../../lib/errors.ts";
import { fieldsFromMask } from "../../lib/fields.ts";
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
} from "../../lib/gateway.ts";
import { queryTypedData } from "@datacoop/protocol/typedData";
import type { ApiGrant } from "../../lib/indexerApi.ts";
import { gatewayErrorKey, plainError } from "../../lib/plainErrors.ts";
import { fieldLabel } from "../../lib/schemaDoc.ts";
import { useDatasetSchema } from "../../schema.ts";

type QueryState =
  | { phase: "idle" }
  | { phase: "signing" }
  | { phase: "sending" }
  | { phase: "done"; answer: Answer; seq: number }
  | { phase: "error"; message: string; code?: string };

/** A choice of one of the grant's fields by its label, or none (the first, empty option). */
function FieldSelect(props: {
  id: string;
  label: string;
  hint?: string;
  none: string;
  fields: readonly string[];
  name: (field: string) => string;
  value: string;
  onChange: (field: string) => void;
}) {
  return (
    <Field id={props.id} label={props.label} {...(props.hint ? { hint: props.hint } : {})}>
      {(p) => (
        <select {...p} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
          <option value="">{props.none}</option>
          {props.fields.map((f) => (
            <option key={f} value={f}>
              {props.name(f)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function QueryPanel({ grant }: { grant: ApiGrant }) {
  const { t, fmt, lang } = useI18n();
  const { deployment, indexerUrl } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address!;
  const onChain = useOnCoopChain();
  const dataset = useDatasets().data?.items.find((d) => d.datasetId === grant.datasetId);
  const allowed = dataset ? fieldsFromMask(BigInt(grant.fieldMask), dataset.fields) : [];
  const schema = useDatasetSchema(dataset).data;
  const label = (f: string) => fieldLabel(schema?.fields, f, lang);
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
      if (e instanceof GatewayError)
        setState({ phase: "error", message: t(gatewayErrorKey(e.code)), code: e.code });
      else {
        const plain = plainError(readableError(e), deployment.network);
        setState({ phase: "error", message: t(plain.key, plain.vars) });
      }
    }
  }

  // Sums, averages and bounds need numbers (or dates for the bounds); the gateway checks again.
  const numeric = allowed.filter((f) => {
    const type = schema?.fields.find((x) => x.name === f)?.type;
    return type === undefined || type === "number" || type === "integer" || type === "date";
  });
  return (
    <div>
      <p>
        <a href="#/partner">{t("query.back")}</a>
      </p>
      <div className="panel">
        <h2>{t("query.title", { id: grant.grantId })}</h2>
        <p className="hint">
          {t(grant.active ? "query.active" : "query.inactive", {
            end: fmt.dateTime(Number(grant.end)),
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
                  {label(f)}
                </label>
              ))}
            </fieldset>
          ) : (
            <>
              <FieldSelect
                id="query-group"
                label={t("query.groupBy")}
                none={t("query.none")}
                fields={allowed}
                name={label}
                value={form.groupBy}
                onChange={(groupBy) => set({ groupBy })}
              />
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
                <FieldSelect
                  id="query-measure-field"
                  label={t("query.measureField")}
                  none={t("propose.request.choose")}
                  fields={numeric}
                  name={label}
                  value={form.measureField}
                  onChange={(measureField) => set({ measureField })}
                />
              )}
            </>
          )}
          <FieldSelect
            id="query-filter"
            label={t("query.filter")}
            hint={t("query.filter.hint")}
            none={t("query.none")}
            fields={allowed}
            name={label}
            value={form.filterField}
            onChange={(filterField) => set({ filterField })}
          />
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
          <p className="detail" data-testid="query-refusal">
            {state.message}
          </p>
        </div>
      )}
      {state.phase === "done" && table && (
        <div className="panel" data-testid="query-result">
          <h2>{t("query.result", { count: table.rows.length })}</h2>
          {state.answer.shape === "aggregate" && state.answer.suppressedGroups > 0 && (
            <p className="hint">
              {t(table.rows.length === 0 ? "query.allSuppressed" : "query.suppressed", {
                count: state.answer.suppressedGroups,
              })}
            </p>
          )}
          {state.answer.shape === "aggregate" && state.answer.noise && (
            <p className="hint">{t("query.noisy")}</p>
          )}
          <div
            className="table-wrap"
            tabIndex={0}
            role="region"
            aria-label={t("query.result", { count: table.rows.length })}
          >
            <table>
              <thead>
                <tr>
                  {table.columns.map((c) => (
                    <th key={c} scope="col">
                      {columnHeading(c, schema?.fields, lang, t)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r, i) => (
                  <tr key={i}>
                    {r.map((cell, j) => (
                      <td key={j}>
                        {cellText(cell, table.columns[j], schema?.fields, lang, t, fmt.number)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">{t("query.logged", { seq: state.seq })}</p>
          <a className="button" href={csvHref} download={`grant-${grant.grantId}.csv`}>
            {t("query.csv")}
          </a>
        </div>
      )}
    </div>
  );
}
