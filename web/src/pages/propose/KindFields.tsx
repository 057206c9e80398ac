/** The inputs of each kind of proposal: who to admit or remove, a dataset, a request, a grant, a rule. */
import type { ChangeEvent } from "react";
import { Field } from "../../components/Field.tsx";
import { useWhoText } from "../../components/Who.tsx";
import type { MessageKey } from "../../i18n/en.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets, useGrants, useMembers, useRequests } from "../../indexer.ts";
import { fieldsFromMask, maskFromFields } from "../../lib/fields.ts";
import { fieldLabel, useDatasetSchema } from "../../schema.ts";
import { PARAMETER_INPUT, PARAMETERS, type ParameterName } from "../../lib/proposalForms.ts";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";

export type FieldsProps = {
  values: Record<string, string>;
  set: (name: string) => (value: string) => void;
  /** The translated error of an input, if any. */
  err: (name: string) => string | undefined;
};

/** Props for a text input, a textarea or a select bound to `values[name]`. */
export function bind({ values, set }: FieldsProps, name: string) {
  return {
    value: values[name] ?? "",
    autoComplete: "off",
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(name)(e.target.value),
  };
}

export function AdmitFields(props: FieldsProps) {
  const { t } = useI18n();
  const who = useWhoText();
  const address = props.values.member?.trim() ?? "";
  const known = /^0x[0-9a-fA-F]{40}$/.test(address) ? who(address) : undefined;
  return (
    <Field
      id="propose-member"
      label={t("propose.member")}
      hint={known ? t("propose.member.known", { who: known }) : t("propose.member.hint")}
      error={props.err("member")}
    >
      {(p) => <input {...p} type="text" {...bind(props, "member")} spellCheck={false} />}
    </Field>
  );
}

export function RemoveFields(props: FieldsProps) {
  const { t, fmt } = useI18n();
  const members = useMembers().data?.items ?? [];
  return (
    <Field id="propose-member" label={t("propose.removeWho")} error={props.err("member")}>
      {(p) => (
        <select {...p} {...bind(props, "member")}>
          <option value="">{t("propose.request.choose")}</option>
          {members.map((m) => (
            <option key={m.address} value={m.address}>
              {t("directory.member", { id: m.memberId, date: fmt.date(Number(m.since)) })}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function DatasetFields(props: FieldsProps) {
  const { t } = useI18n();
  return (
    <>
      <Field id="propose-name" label={t("propose.datasetName")} error={props.err("name")}>
        {(p) => <input {...p} type="text" {...bind(props, "name")} />}
      </Field>
      <Field
        id="propose-schema-uri"
        label={t("propose.schemaUri")}
        hint={t("propose.schemaUri.hint")}
        error={props.err("schemaUri")}
      >
        {(p) => <input {...p} type="text" {...bind(props, "schemaUri")} spellCheck={false} />}
      </Field>
      <button
        type="button"
        onClick={() =>
          props.set("schemaUri")(
            `data:application/json,${encodeURIComponent(props.values.schema ?? "")}`,
          )
        }
      >
        {t("propose.schemaInline")}
      </button>
      <Field
        id="propose-schema"
        label={t("propose.schema")}
        hint={t("propose.schema.hint")}
        error={props.err("schema")}
      >
        {(p) => <textarea {...p} {...bind(props, "schema")} rows={8} spellCheck={false} />}
      </Field>
    </>
  );
}

export function SponsorFields(props: FieldsProps) {
  const { t, fmt, purpose } = useI18n();
  const who = useWhoText();
  const pending = useRequests({ status: "Pending" }).data?.items ?? [];
  return (
    <>
      <Field
        id="propose-request"
        label={t("propose.request")}
        hint={pending.length === 0 ? t("propose.request.none") : undefined}
        error={props.err("requestId")}
      >
        {(p) => (
          <select {...p} {...bind(props, "requestId")}>
            <option value="">{t("propose.request.choose")}</option>
            {pending.map((r) => {
              const k = PURPOSES.find((x) => x.bit === r.purpose)?.key;
              return (
                <option key={r.requestId} value={r.requestId}>
                  {t("propose.request.option", {
                    id: r.requestId,
                    partner: who(r.partner),
                    purpose: k ? purpose(k).label : "—",
                    fee: fmt.eth(BigInt(r.fee)),
                  })}
                </option>
              );
            })}
          </select>
        )}
      </Field>
      <fieldset className="field">
        <legend>{t("propose.decision")}</legend>
        {(["approve", "reject"] as const).map((d) => (
          <label key={d} className="radio">
            <input
              type="radio"
              name="decision"
              value={d}
              checked={props.values.decision === d}
              onChange={() => props.set("decision")(d)}
            />
            {t(`propose.decision.${d}`)}
          </label>
        ))}
      </fieldset>
    </>
  );
}

export function RevokeFields(props: FieldsProps) {
  const { t } = useI18n();
  const who = useWhoText();
  const active = useGrants({ active: true }).data?.items ?? [];
  return (
    <>
      <Field
        id="propose-grant"
        label={t("propose.grant")}
        hint={active.length === 0 ? t("propose.grant.none") : undefined}
        error={props.err("grantId")}
      >
        {(p) => (
          <select {...p} {...bind(props, "grantId")}>
            <option value="">{t("propose.request.choose")}</option>
            {active.map((g) => (
              <option key={g.grantId} value={g.grantId}>
                {t("propose.grant.option", { id: g.grantId, partner: who(g.partner) })}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        id="propose-revoke-reason"
        label={t("propose.revokeReason")}
        error={props.err("revokeReason")}
      >
        {(p) => <input {...p} type="text" {...bind(props, "revokeReason")} />}
      </Field>
    </>
  );
}

export function ParameterFields(props: FieldsProps) {
  const { t } = useI18n();
  const parameter = props.values.parameter as ParameterName;
  return (
    <>
      <Field id="propose-parameter" label={t("propose.parameter")} error={props.err("parameter")}>
        {(p) => (
          <select {...p} {...bind(props, "parameter")}>
            {PARAMETERS.map((name) => (
              <option key={name} value={name}>
                {t(`param.${name}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {PARAMETER_INPUT[parameter] === "mode" ? (
        <Field id="propose-value" label={t("propose.value")} error={props.err("value")}>
          {(p) => (
            <select {...p} {...bind(props, "value")}>
              <option value="">{t("propose.request.choose")}</option>
              <option value="equal">{t("param.mode.equal")}</option>
              <option value="byUse">{t("param.mode.byUse")}</option>
            </select>
          )}
        </Field>
      ) : (
        <Field
          id="propose-value"
          label={t("propose.value")}
          hint={t(`param.hint.${PARAMETER_INPUT[parameter]}` as MessageKey)}
          error={props.err("value")}
        >
          {(p) => <input {...p} type="text" {...bind(props, "value")} spellCheck={false} />}
        </Field>
      )}
    </>
  );
}

/**
 * A grant to the co-op's own members for benchmarking: which dataset and fields, the smallest group, how
 * many days. Members then compare their figures with the pool's on the benchmark page.
 */
export function MembersGrantFields(props: FieldsProps) {
  const { t, lang } = useI18n();
  const datasets = (useDatasets().data?.items ?? []).filter((d) => !d.retired);
  const dataset = datasets.find((d) => d.datasetId === props.values.datasetId);
  const schema = useDatasetSchema(dataset).data;
  // Only fields that identify no one can be compared.
  const fields = (dataset?.fields ?? []).filter(
    (f) => !schema?.fields.find((x) => x.name === f)?.identifying,
  );
  const chosen = dataset
    ? fieldsFromMask(BigInt(props.values.fieldMask || "0"), dataset.fields)
    : [];
  const choose = (next: string[]) =>
    props.set("fieldMask")(dataset ? maskFromFields(next, dataset.fields).toString() : "");
  return (
    <>
      <p className="hint">{t("propose.membersGrant.intro")}</p>
      <Field
        id="propose-members-dataset"
        label={t("contribute.dataset")}
        error={props.err("datasetId")}
      >
        {(p) => (
          <select
            {...p}
            value={props.values.datasetId ?? ""}
            onChange={(e) => {
              props.set("datasetId")(e.target.value);
              props.set("fieldMask")("");
            }}
          >
            <option value="">{t("propose.request.choose")}</option>
            {datasets.map((d) => (
              <option key={d.datasetId} value={d.datasetId}>
                {d.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {dataset && (
        <fieldset
          className="field"
          aria-describedby={props.err("fieldMask") ? "propose-members-fields-error" : undefined}
        >
          <legend>{t("request.fields")}</legend>
          {fields.map((f) => (
            <label key={f} className="check">
              <input
                type="checkbox"
                value={f}
                checked={chosen.includes(f)}
                onChange={(e) =>
                  choose(e.target.checked ? [...chosen, f] : chosen.filter((x) => x !== f))
                }
              />
              {fieldLabel(schema?.fields, f, lang)}
            </label>
          ))}
          {props.err("fieldMask") && (
            <p className="error" id="propose-members-fields-error" role="alert">
              {props.err("fieldMask")}
            </p>
          )}
        </fieldset>
      )}
      <Field
        id="propose-members-k"
        label={t("request.k")}
        hint={t("request.k.hint")}
        error={props.err("minCohort")}
      >
        {(p) => <input {...p} type="text" inputMode="numeric" {...bind(props, "minCohort")} />}
      </Field>
      <Field id="propose-members-days" label={t("request.days")} error={props.err("days")}>
        {(p) => <input {...p} type="text" inputMode="numeric" {...bind(props, "days")} />}
      </Field>
    </>
  );
}
