/**
 * A new proposal from a form: admit or remove a member, register a dataset, sponsor a partner's request,
 * revoke a grant, change a setting. The decoded calls are shown before anything is signed.
 */
import { useState } from "react";
import { keccak256, stringToHex, type Address, type Hex } from "viem";
import { useConfig, useConnection } from "wagmi";
import { readContract, writeContract } from "wagmi/actions";
import { governorAbi, registryAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../appConfig.tsx";
import { CallList } from "../components/CallList.tsx";
import { Field } from "../components/Field.tsx";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useGrants, useMemberDetail, useRequests } from "../indexer.ts";
import type { Call } from "../lib/decode.ts";
import { ApiError } from "../lib/indexerApi.ts";
import { formatEth, shortAddress } from "../lib/format.ts";
import {
  buildProposal,
  type FormErrors,
  PARAMETER_INPUT,
  PARAMETERS,
  parseId,
  type ParameterName,
} from "../lib/proposalForms.ts";
import { useTx } from "../tx.tsx";

export const FORM_KINDS = [
  "admit",
  "remove",
  "registerDataset",
  "sponsor",
  "revoke",
  "parameter",
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

const SCHEMA_TEMPLATE = JSON.stringify(
  {
    name: "Soil readings",
    fields: [
      { name: "region", type: "string", enum: ["north", "south"] },
      { name: "ph", type: "number", min: 0, max: 14 },
    ],
  },
  null,
  2,
);

type Draft = { calls: Call[]; description: string };

const descriptionHashOf = (description: string) => keccak256(stringToHex(description));

export function NewProposalPage({
  kind: initialKind,
  params,
}: {
  kind?: string;
  params: Record<string, string>;
}) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const memberQuery = useMemberDetail(me);
  // The indexer answers 404 for an address that never applied nor joined.
  const notMember = memberQuery.data
    ? !memberQuery.data.isMember
    : memberQuery.error instanceof ApiError && memberQuery.error.status === 404;
  const [kind, setKind] = useState<FormKind>(
    (FORM_KINDS as readonly string[]).includes(initialKind ?? "")
      ? (initialKind as FormKind)
      : "admit",
  );
  const [values, setValues] = useState<Record<string, string>>(() => ({
    parameter: "votingPeriod",
    revenueMode: "equal",
    decision: "approve",
    schema: SCHEMA_TEMPLATE,
    ...params,
  }));
  const [errors, setErrors] = useState<FormErrors>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [created, setCreated] = useState<bigint | null>(null);
  const pending = useRequests({ status: "Pending" }).data?.items ?? [];
  const active = useGrants({ active: true }).data?.items ?? [];
  // Proposals are numbered in order (GovernorSequentialProposalId): once mined, the governor says which number.
  const tx = useTx(() => {
    if (!draft) return setCreated(null);
    void readContract(wagmiConfig, {
      address: deployment.contracts.governor,
      abi: governorAbi,
      functionName: "getProposalId",
      args: [
        draft.calls.map((c) => c.target),
        draft.calls.map((c) => c.value),
        draft.calls.map((c) => c.calldata),
        descriptionHashOf(draft.description),
      ],
      chainId: deployment.chainId,
    }).then(setCreated, () => setCreated(null));
  });

  const set = (name: string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setDraft(null);
    tx.reset();
  };
  const err = (name: string) => (errors[name] ? t(errors[name]!) : undefined);

  function defaultTitle(): string {
    switch (kind) {
      case "admit":
      case "remove":
        return t(`propose.title.${kind}`, { member: values.member?.trim() ?? "" });
      case "registerDataset":
        return t("propose.title.registerDataset", { name: values.name?.trim() ?? "" });
      case "revoke":
        return t("propose.title.revoke", { id: values.grantId?.trim() ?? "" });
      case "parameter":
        return t("propose.title.parameter", {
          setting: t(`param.${values.parameter as ParameterName}`),
        });
      case "sponsor":
        return "";
    }
  }

  async function review(e: React.FormEvent) {
    e.preventDefault();
    setCreated(null);
    const withTitle = { ...values, title: values.title?.trim() || defaultTitle() };
    let next: Draft;
    if (kind === "sponsor") {
      const id = parseId(values.requestId ?? "");
      if (id === null) {
        setErrors({ requestId: "form.error.id" });
        return;
      }
      const request = pending.find((r) => r.requestId === id.toString());
      if (!request) {
        setErrors({ requestId: "form.error.notPending" });
        return;
      }
      // The registry itself says which calls approve or reject the request with its exact terms.
      const [targets, callValues, calldatas, description] = await readContract(wagmiConfig, {
        address: deployment.contracts.registry,
        abi: registryAbi,
        functionName: values.decision === "reject" ? "rejectionProposal" : "approvalProposal",
        args: [id],
        chainId: deployment.chainId,
      });
      const reason = values.reason?.trim();
      next = {
        calls: targets.map((target, i) => ({
          target,
          value: callValues[i]!,
          calldata: calldatas[i]!,
        })),
        description: reason ? `${description}\n\n${reason}` : description,
      };
    } else {
      const built = buildProposal(kind, withTitle, deployment.contracts);
      if (!built.ok) {
        setErrors(built.errors);
        return;
      }
      next = built.value;
    }
    setErrors({});
    if (me) next = { ...next, description: `${next.description}\n\n#proposer=${me}` };
    setDraft(next);
    const d = next;
    tx.review({
      summary: t("propose.summary", { count: d.calls.length }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          address: deployment.contracts.governor,
          abi: governorAbi,
          functionName: "propose",
          args: [
            d.calls.map((c) => c.target as Address),
            d.calls.map((c) => c.value),
            d.calls.map((c) => c.calldata as Hex),
            d.description,
          ],
          chainId,
        }),
    });
  }

  const input = (name: string, type = "text") => ({
    type,
    value: values[name] ?? "",
    autoComplete: "off",
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
      set(name)(e.target.value),
  });
  const parameter = values.parameter as ParameterName;

  return (
    <section aria-labelledby="propose-title">
      <h2 id="propose-title">{t("propose.heading")}</h2>
      <p className="hint">{t("propose.intro")}</p>
      {me && notMember && (
        <p className="panel warning" role="status">
          {t("propose.membersOnly")}
        </p>
      )}
      <form className="form" onSubmit={(e) => void review(e)} noValidate>
        <Field id="propose-kind" label={t("propose.kind")}>
          {(p) => (
            <select
              {...p}
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as FormKind);
                setErrors({});
                setDraft(null);
                tx.reset();
              }}
            >
              {FORM_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`propose.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>

        {(kind === "admit" || kind === "remove") && (
          <Field
            id="propose-member"
            label={t("propose.member")}
            hint={t("propose.member.hint")}
            error={err("member")}
          >
            {(p) => <input {...p} {...input("member")} spellCheck={false} />}
          </Field>
        )}

        {kind === "registerDataset" && (
          <>
            <Field id="propose-name" label={t("propose.datasetName")} error={err("name")}>
              {(p) => <input {...p} {...input("name")} />}
            </Field>
            <Field
              id="propose-schema-uri"
              label={t("propose.schemaUri")}
              hint={t("propose.schemaUri.hint")}
              error={err("schemaUri")}
            >
              {(p) => <input {...p} {...input("schemaUri")} spellCheck={false} />}
            </Field>
            <button
              type="button"
              onClick={() =>
                set("schemaUri")(`data:application/json,${encodeURIComponent(values.schema ?? "")}`)
              }
            >
              {t("propose.schemaInline")}
            </button>
            <Field
              id="propose-schema"
              label={t("propose.schema")}
              hint={t("propose.schema.hint")}
              error={err("schema")}
            >
              {(p) => <textarea {...p} {...input("schema")} rows={8} spellCheck={false} />}
            </Field>
          </>
        )}

        {kind === "sponsor" && (
          <>
            <Field
              id="propose-request"
              label={t("propose.request")}
              hint={pending.length === 0 ? t("propose.request.none") : undefined}
              error={err("requestId")}
            >
              {(p) => (
                <select {...p} {...input("requestId")}>
                  <option value="">{t("propose.request.choose")}</option>
                  {pending.map((r) => (
                    <option key={r.requestId} value={r.requestId}>
                      {t("propose.request.option", {
                        id: r.requestId,
                        fee: formatEth(BigInt(r.fee)),
                      })}
                    </option>
                  ))}
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
                    checked={values.decision === d}
                    onChange={() => set("decision")(d)}
                  />
                  {t(`propose.decision.${d}`)}
                </label>
              ))}
            </fieldset>
          </>
        )}

        {kind === "revoke" && (
          <>
            <Field
              id="propose-grant"
              label={t("propose.grant")}
              hint={active.length === 0 ? t("propose.grant.none") : undefined}
              error={err("grantId")}
            >
              {(p) => (
                <select {...p} {...input("grantId")}>
                  <option value="">{t("propose.request.choose")}</option>
                  {active.map((g) => (
                    <option key={g.grantId} value={g.grantId}>
                      {t("propose.grant.option", {
                        id: g.grantId,
                        partner: shortAddress(g.partner),
                      })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="propose-revoke-reason"
              label={t("propose.revokeReason")}
              error={err("revokeReason")}
            >
              {(p) => <input {...p} {...input("revokeReason")} />}
            </Field>
          </>
        )}

        {kind === "parameter" && (
          <>
            <Field id="propose-parameter" label={t("propose.parameter")} error={err("parameter")}>
              {(p) => (
                <select {...p} {...input("parameter")}>
                  {PARAMETERS.map((name) => (
                    <option key={name} value={name}>
                      {t(`param.${name}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {PARAMETER_INPUT[parameter] === "mode" ? (
              <Field id="propose-value" label={t("propose.value")} error={err("value")}>
                {(p) => (
                  <select {...p} {...input("value")}>
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
                error={err("value")}
              >
                {(p) => <input {...p} {...input("value")} spellCheck={false} />}
              </Field>
            )}
          </>
        )}

        {kind !== "sponsor" && (
          <Field
            id="propose-title-input"
            label={t("propose.titleLabel")}
            hint={t("propose.titleHint")}
            error={err("title")}
          >
            {(p) => <input {...p} {...input("title")} placeholder={defaultTitle()} />}
          </Field>
        )}
        <Field id="propose-reason" label={t("propose.reason")} error={err("reason")}>
          {(p) => <textarea {...p} {...input("reason")} rows={3} />}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={!onChain || tx.busy}>
            {t("propose.review")}
          </button>
        </div>
      </form>

      {draft && (
        <div className="panel" data-testid="draft">
          <h3>{t("proposal.willDo")}</h3>
          <CallList calls={draft.calls} testId="draft-calls" />
          <p className="hint">{t("propose.description")}</p>
          <p className="description">
            {draft.description.replace(/\n\n#proposer=0x[0-9a-fA-F]{40}$/, "")}
          </p>
        </div>
      )}
      <TxPanel tx={tx} />
      {created !== null && (
        <p className="panel" role="status">
          <a href={`#/proposals/${created}`} data-testid="created-link">
            {t("propose.created")}
          </a>
        </p>
      )}
    </section>
  );
}
