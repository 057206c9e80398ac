/** A partner's request for access: dataset, purpose, fields, shape, smallest group, days, fee, terms. */
import { useState } from "react";
import { useConfig, useReadContract } from "wagmi";
import { writeContract } from "wagmi/actions";
import { registryAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { Field } from "../../components/Field.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets } from "../../indexer.ts";
import { maskFromFields } from "../../lib/fields.ts";
import {
  requestAccessArgs,
  requestAccessFunction,
  takesPartnerName,
  validateRequest,
} from "../../lib/requestForm.ts";
import { fieldLabel } from "../../lib/schemaDoc.ts";
import { useDatasetSchema } from "../../schema.ts";
import { useTx } from "../../tx.tsx";

export function RequestForm() {
  const { t, purpose, fmt, lang } = useI18n();
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
  const requestAccess = requestAccessFunction();
  const needsName = takesPartnerName(requestAccess);
  const [errors, setErrors] = useState<Partial<Record<string, MessageKey>>>({});
  const tx = useTx();
  const dataset = datasets.find((d) => d.datasetId === form.datasetId) ?? datasets[0];
  const schema = useDatasetSchema(dataset).data;
  const set = (patch: Partial<typeof form>) => {
    setForm((f) => ({ ...f, ...patch }));
    tx.reset();
  };
  const label = (f: string) => fieldLabel(schema?.fields, f, lang);

  if (datasets.length === 0)
    return (
      <div className="panel">
        <h2>{t("request.title")}</h2>
        <p className="hint">{t("contribute.noDataset")}</p>
      </div>
    );

  function review(e: React.FormEvent) {
    e.preventDefault();
    const checked = validateRequest(
      { ...form, datasetId: dataset.datasetId },
      {
        minimumFee: minimumFee ?? 0n,
        maxDuration: maxDuration ?? BigInt(2 ** 63),
        needsName,
      },
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
        dataset: dataset.name,
        purpose: purpose(p.key).label,
        fields: fmt.list(form.fields.map(label)),
        k: r.minCohort,
        duration: fmt.duration(Number(r.duration)),
        fee: fmt.eth(r.fee),
      }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          address: registry.address,
          abi: [requestAccess],
          functionName: "requestAccess",
          args: requestAccessArgs(requestAccess, {
            ...r,
            fieldMask: maskFromFields(form.fields, dataset.fields),
          }),
          value: r.fee,
          chainId,
        }),
    });
  }

  return (
    <div className="panel">
      <h2>{t("request.title")}</h2>
      <form className="form" noValidate onSubmit={review}>
        <Field id="request-dataset" label={t("contribute.dataset")}>
          {(p) => (
            <select
              {...p}
              value={dataset.datasetId}
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
          {dataset.fields.map((f) => (
            <label key={f} className="check">
              <input
                type="checkbox"
                value={f}
                checked={form.fields.includes(f)}
                onChange={(e) =>
                  set({
                    fields: e.target.checked
                      ? [...form.fields, f]
                      : form.fields.filter((x) => x !== f),
                  })
                }
              />
              {label(f)}
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
              name="request-shape"
              checked={!form.rowLevel}
              onChange={() => set({ rowLevel: false })}
            />
            {t("request.shape.aggregate")}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="request-shape"
              checked={form.rowLevel}
              onChange={() => set({ rowLevel: true })}
            />
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
        <Field
          id="request-days"
          label={t("request.days")}
          hint={
            maxDuration !== undefined
              ? t("request.days.hint", { max: fmt.duration(Number(maxDuration)) })
              : undefined
          }
          error={errors.days && t(errors.days)}
        >
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
              ? t("request.fee.hint", { min: fmt.eth(minimumFee) })
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
        {needsName && (
          <Field
            id="request-name"
            label={t("request.name")}
            hint={t("request.name.hint")}
            error={errors.partnerName && t(errors.partnerName)}
          >
            {(p) => (
              <input
                {...p}
                type="text"
                autoComplete="organization"
                value={form.partnerName}
                onChange={(e) => set({ partnerName: e.target.value })}
              />
            )}
          </Field>
        )}
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
