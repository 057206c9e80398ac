/**
 * Adding records: a form typed by the dataset's schema (numbers, yes/no, allowed values, dates, with units
 * and bounds), or a spreadsheet's CSV checked line by line before it is sent, with a template to start
 * from. Every problem is listed at once, in the member's language.
 */
import { useMemo, useRef, useState } from "react";
import { Field } from "../../components/Field.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets } from "../../indexer.ts";
import {
  checkCsv,
  checkForm,
  type Contribution,
  csvTemplate,
  fromGatewayRowError,
  numberExample,
  type Problem,
} from "../../lib/contribution.ts";
import { readableError } from "../../lib/errors.ts";
import { GatewayError, gatewayFetch } from "../../lib/gateway.ts";
import { GATEWAY_CODES, plainError } from "../../lib/plainErrors.ts";
import {
  enumLabel,
  fieldHeading,
  fieldLabel,
  isRequired,
  type SchemaField,
} from "../../lib/schemaDoc.ts";
import { useDatasetSchema } from "../../schema.ts";
import type { GatewaySession } from "../../session.ts";
import { useAppConfig } from "../../appConfig.tsx";

type Status =
  | { phase: "idle" }
  | { phase: "sending" }
  | { phase: "done"; stored: number; unchanged: number }
  | { phase: "refused"; key: MessageKey; vars?: Record<string, string> }
  | { phase: "problems"; problems: Problem[]; from: "form" | "file" };

const newRecordId = () => `r-${Date.now().toString(36)}`;

/** A problem in the member's words: "Yield: 25 is above the largest allowed, 20." */
export function useProblemText(fields: readonly SchemaField[] | undefined) {
  const { t, lang, fmt } = useI18n();
  return (p: Problem) => {
    const vars = Object.fromEntries(
      Object.entries(p.vars ?? {}).map(([k, v]) => [
        k,
        typeof v === "number" && (k === "min" || k === "max") ? fmt.number(v, 6) : v,
      ]),
    );
    return t(`contrib.err.${p.code}` as MessageKey, {
      ...vars,
      ...(p.field ? { field: fieldName(fields, p.field, lang, t) } : {}),
    });
  };
}

function fieldName(
  fields: readonly SchemaField[] | undefined,
  name: string,
  lang: string,
  t: (k: MessageKey) => string,
): string {
  return name === "record_id" ? t("contribute.recordId") : fieldLabel(fields, name, lang);
}

export function Contribute({ session }: { session: GatewaySession }) {
  const { t, lang } = useI18n();
  const { deployment } = useAppConfig();
  const datasets = (useDatasets().data?.items ?? []).filter((d) => !d.retired);
  const [datasetId, setDatasetId] = useState("");
  const dataset = datasets.find((d) => d.datasetId === datasetId) ?? datasets[0];
  const schemaQuery = useDatasetSchema(dataset);
  const schema = schemaQuery.data;
  const fields = schema?.fields ?? [];
  const [published, setPublished] = useState<"idle" | "sending" | "done" | "failed">("idle");
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [recordId, setRecordId] = useState(newRecordId);
  const [file, setFile] = useState<{ name: string; records: Contribution[]; lines: number[] }>();
  const [status, setStatus] = useState<Status>({ phase: "idle" });
  const formRef = useRef<HTMLFormElement>(null);
  const problemText = useProblemText(fields);
  const template = useMemo(
    () =>
      fields.length > 0
        ? URL.createObjectURL(new Blob([csvTemplate(fields, lang)], { type: "text/csv" }))
        : undefined,
    [fields, lang],
  );

  if (datasets.length === 0)
    return (
      <div className="panel">
        <h2>{t("contribute.title")}</h2>
        <p className="hint">{t("contribute.noDataset")}</p>
      </div>
    );

  async function send(records: Contribution[], lines?: number[]) {
    setStatus({ phase: "sending" });
    try {
      const r = await gatewayFetch<{ stored: number; unchanged: number }>(
        session.base,
        `/datasets/${dataset.datasetId}/records`,
        { method: "POST", body: JSON.stringify({ records }), token: session.token },
      );
      setStatus({ phase: "done", ...r });
      setRecordId(newRecordId());
      if (lines) setFile(undefined);
      else setInputs({});
    } catch (e) {
      if (!(e instanceof GatewayError)) {
        const plain = plainError(readableError(e), deployment.network);
        setStatus({ phase: "refused", key: plain.key, vars: plain.vars });
        return;
      }
      if (e.status === 401) {
        session.signOut();
        setStatus({ phase: "refused", key: "contribute.err.session" });
      } else if (e.code === "records_invalid" && e.rowErrors.length > 0)
        setStatus({
          phase: "problems",
          problems: e.rowErrors.map((r) =>
            fromGatewayRowError(r, { lang, sent: records, ...(lines ? { lines } : {}) }),
          ),
          from: lines ? "file" : "form",
        });
      else
        setStatus({
          phase: "refused",
          key:
            e.code === "dataset_unknown"
              ? "contribute.err.noSchema"
              : e.code === "not_member"
                ? "contribute.err.notMember"
                : e.code === "rate_limited"
                  ? "contribute.err.rateLimited"
                  : e.code && GATEWAY_CODES[e.code]
                    ? GATEWAY_CODES[e.code]
                    : "contribute.err.refused",
        });
    }
  }

  /** The gateway learns a dataset's schema from anyone, checked against the on-chain fingerprint. */
  async function publishSchema() {
    setPublished("sending");
    try {
      await gatewayFetch(session.base, `/datasets/${dataset.datasetId}/schema`, {
        method: "POST",
        body: JSON.stringify(schema!.document),
      });
      setPublished("done");
      setStatus({ phase: "idle" });
      void schemaQuery.refetch();
    } catch {
      setPublished("failed");
    }
  }

  function submitForm(e: React.FormEvent) {
    e.preventDefault();
    const checked = checkForm(fields, inputs, lang);
    const idOk = /^[A-Za-z0-9._:-]{1,128}$/.test(recordId.trim());
    const problems: Problem[] = [
      ...(idOk
        ? []
        : [
            {
              field: "record_id",
              code: "recordId" as const,
              vars: { value: recordId.trim() },
            },
          ]),
      ...checked.problems,
    ];
    if (problems.length > 0) {
      setStatus({ phase: "problems", problems, from: "form" });
      // The first field to fix takes the focus.
      requestAnimationFrame(() =>
        formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
      );
      return;
    }
    void send([{ recordId: recordId.trim(), values: checked.values }]);
  }

  async function chooseFile(f: File | undefined) {
    setStatus({ phase: "idle" });
    setFile(undefined);
    if (!f) return;
    const checked = checkCsv(fields, await f.text(), lang);
    if (checked.problems.length > 0) {
      setStatus({ phase: "problems", problems: checked.problems, from: "file" });
      return;
    }
    // The file's line of each record, so the gateway's row errors name the same lines.
    setFile({ name: f.name, records: checked.records, lines: checked.lines });
  }

  const formProblems = status.phase === "problems" && status.from === "form" ? status.problems : [];
  const errorOf = (name: string) => {
    const p = formProblems.find((x) => x.field === name);
    return p ? problemText(p) : undefined;
  };
  const untyped = schema?.source === "names";

  return (
    <div className="panel" data-testid="contribute">
      <h2>{t("contribute.title")}</h2>
      <Field id="contribute-dataset" label={t("contribute.dataset")}>
        {(p) => (
          <select
            {...p}
            value={dataset?.datasetId}
            onChange={(e) => {
              setDatasetId(e.target.value);
              setInputs({});
              setFile(undefined);
              setStatus({ phase: "idle" });
            }}
          >
            {datasets.map((d) => (
              <option key={d.datasetId} value={d.datasetId}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {schema?.source === "link" && (
        <div className="panel warning" data-testid="schema-missing">
          <p>{t("contribute.schemaMissing")}</p>
          <button
            type="button"
            disabled={published === "sending"}
            onClick={() => void publishSchema()}
          >
            {t("contribute.publishSchema")}
          </button>
          {published === "failed" && (
            <p className="error" role="alert">
              {t("contribute.schemaRefused")}
            </p>
          )}
        </div>
      )}
      {published === "done" && (
        <p className="hint" role="status">
          {t("contribute.schemaPublished")}
        </p>
      )}
      {untyped && <p className="panel warning">{t("contribute.untyped")}</p>}
      {schema?.document?.description && <p className="hint">{schema.document.description}</p>}

      <form ref={formRef} className="form" noValidate onSubmit={submitForm}>
        <h3>{t("contribute.form")}</h3>
        <Field
          id="contribute-record"
          label={t("contribute.recordId")}
          hint={t("contribute.recordId.hint")}
          error={errorOf("record_id")}
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
        {fields.map((f) => (
          <FieldInput
            key={`${dataset?.datasetId}-${f.name}`}
            field={f}
            value={inputs[f.name] ?? ""}
            error={errorOf(f.name)}
            onChange={(v) => setInputs((x) => ({ ...x, [f.name]: v }))}
          />
        ))}
        {formProblems.length > 0 && (
          <p className="error" role="alert" data-testid="form-problems">
            {t("contribute.fix", { count: formProblems.length })}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={status.phase === "sending"}>
            {t("contribute.send")}
          </button>
        </div>
      </form>

      <div className="form">
        <h3>{t("contribute.csv")}</h3>
        <p className="hint">{t("contribute.csv.hint", { example: numberExample(lang) })}</p>
        {template && (
          <p>
            <a
              className="button"
              href={template}
              download={`${(dataset?.name ?? "dataset").replace(/[^\p{L}\p{N}]+/gu, "-")}.csv`}
              data-testid="csv-template"
            >
              {t("contribute.template")}
            </a>
          </p>
        )}
        <Field id="contribute-file" label={t("contribute.file")}>
          {(p) => (
            <input
              {...p}
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => void chooseFile(e.target.files?.[0])}
            />
          )}
        </Field>
        {file && (
          <p role="status" data-testid="csv-ready">
            {t("contribute.csv.ready", { count: file.records.length })}
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            disabled={!file || status.phase === "sending"}
            onClick={() => file && void send(file.records, file.lines)}
          >
            {t("contribute.sendCsv")}
          </button>
        </div>
      </div>

      {status.phase === "sending" && <p role="status">{t("contribute.sending")}</p>}
      {status.phase === "done" && (
        <p className="tx success panel" role="status" data-testid="contribute-done">
          {status.stored > 0
            ? t("contribute.done", { count: status.stored })
            : t("contribute.unchanged", { count: status.unchanged })}
        </p>
      )}
      {status.phase === "refused" && (
        <p className="panel error" role="alert" data-testid="contribute-error">
          {t(status.key, status.vars)}
        </p>
      )}
      {status.phase === "problems" && status.from === "file" && (
        <div className="panel error" role="alert" data-testid="contribute-error">
          <p>{t("contribute.fileProblems", { count: status.problems.length })}</p>
          <div
            className="table-wrap"
            tabIndex={0}
            role="region"
            aria-label={t("contribute.fileProblems", { count: status.problems.length })}
          >
            <table data-testid="csv-problems">
              <thead>
                <tr>
                  <th scope="col">{t("contribute.line")}</th>
                  <th scope="col">{t("contribute.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {status.problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.line ?? ""}</td>
                    {/* The problem names its field: two columns fit a phone. */}
                    <td className="wrap">{problemText(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

/** One field of the form, typed by the schema. */
function FieldInput({
  field,
  value,
  error,
  onChange,
}: {
  field: SchemaField;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t, lang, fmt } = useI18n();
  const id = `contribute-${field.name}`;
  const required = isRequired(field);
  const label = fieldHeading(field, lang);
  const bounds =
    field.min !== undefined && field.max !== undefined
      ? t("contribute.hint.between", {
          min: fmt.number(field.min, 6),
          max: fmt.number(field.max, 6),
        })
      : field.min !== undefined
        ? t("contribute.hint.atLeast", { min: fmt.number(field.min, 6) })
        : field.max !== undefined
          ? t("contribute.hint.atMost", { max: fmt.number(field.max, 6) })
          : "";
  const hint = [
    t(required ? "contribute.required" : "contribute.optional"),
    field.type === "number" ? t("contribute.hint.number", { example: numberExample(lang) }) : "",
    field.type === "integer" ? t("contribute.hint.integer") : "",
    bounds,
    field.identifying ? t("contribute.hint.identifying") : "",
  ]
    .filter(Boolean)
    .join(" ");

  if (field.type === "boolean")
    return (
      <fieldset
        className="field"
        aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
        data-field={field.name}
      >
        <legend>{label}</legend>
        <p className="hint" id={`${id}-hint`}>
          {t(required ? "contribute.required" : "contribute.optional")}
        </p>
        {(["true", "false", ...(required ? [] : [""])] as const).map((v) => (
          <label key={v} className="radio">
            <input
              type="radio"
              name={id}
              value={v}
              checked={value === v}
              aria-invalid={error !== undefined}
              onChange={() => onChange(v)}
            />
            {v === "true"
              ? t("contribute.yes")
              : v === "false"
                ? t("contribute.no")
                : t("contribute.notGiven")}
          </label>
        ))}
        {error && (
          <p className="error" id={`${id}-error`}>
            {error}
          </p>
        )}
      </fieldset>
    );

  return (
    <Field id={id} label={label} hint={hint} error={error}>
      {(p) =>
        field.enum ? (
          <select
            {...p}
            aria-required={required}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="">{t("propose.request.choose")}</option>
            {field.enum.map((o) => (
              <option key={o} value={o}>
                {enumLabel(field, o, lang)}
              </option>
            ))}
          </select>
        ) : field.type === "date" ? (
          <input
            {...p}
            type="date"
            aria-required={required}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        ) : (
          <input
            {...p}
            type="text"
            aria-required={required}
            inputMode={
              field.type === "number" ? "decimal" : field.type === "integer" ? "numeric" : undefined
            }
            maxLength={field.type === "string" ? (field.maxLength ?? 1000) : undefined}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}
