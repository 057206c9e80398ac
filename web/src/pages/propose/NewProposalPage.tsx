/**
 * A new proposal from a form: admit or remove a member, register a dataset, decide on a partner's request,
 * revoke a grant, change a rule. What it will do is shown in plain words before anything is signed.
 */
import { useState } from "react";
import { useConfig, useConnection } from "wagmi";
import {
  getBlock,
  getTransactionReceipt,
  readContract,
  signTypedData,
  writeContract,
} from "wagmi/actions";
import { governorAbi, registryAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { CallList } from "../../components/CallList.tsx";
import { Field } from "../../components/Field.tsx";
import { GaslessChoice } from "../../components/GaslessChoice.tsx";
import { Markdown } from "../../components/Markdown.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import { useDirectory, useWhoText } from "../../components/Who.tsx";
import { useCoopName, useDocumentTitle } from "../../coop.ts";
import { useGasless } from "../../gasless.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useMemberDetail, useRequests } from "../../indexer.ts";
import type { Call } from "../../lib/decode.ts";
import { ApiError } from "../../lib/indexerApi.ts";
import { createdProposalId, proposalBody, proposalTitle } from "../../lib/proposal.ts";
import {
  buildProposal,
  type FormErrors,
  grantToMembersFunction,
  parseId,
  type ParameterName,
} from "../../lib/proposalForms.ts";
import {
  proposalRequestBody,
  proposeTypedData,
  relayAndWait,
  signatureDeadline,
} from "../../lib/relayer.ts";
import { proposeFields } from "../../lib/signedMessage.ts";
import { useTx } from "../../tx.tsx";
import {
  AdmitFields,
  bind,
  DatasetFields,
  type FieldsProps,
  MembersGrantFields,
  ParameterFields,
  RemoveFields,
  RevokeFields,
  SponsorFields,
} from "./KindFields.tsx";

export const FORM_KINDS = [
  "admit",
  "remove",
  "registerDataset",
  "sponsor",
  "revoke",
  "parameter",
  "membersGrant",
] as const;
export type FormKind = (typeof FORM_KINDS)[number];

/** The forms this co-op's contracts can carry out: a grant to the members once the registry has it. */
export const OFFERED_KINDS = FORM_KINDS.filter(
  (k) => k !== "membersGrant" || grantToMembersFunction() !== undefined,
);

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

export function NewProposalPage({
  kind: initialKind,
  params,
}: {
  kind?: string;
  params: Record<string, string>;
}) {
  const { t } = useI18n();
  useDocumentTitle(t("propose.heading"));
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const directory = useDirectory();
  const memberQuery = useMemberDetail(me);
  // The indexer answers 404 for an address that never applied nor joined.
  const notMember = memberQuery.data
    ? !memberQuery.data.isMember
    : memberQuery.error instanceof ApiError && memberQuery.error.status === 404;
  const [kind, setKind] = useState<FormKind>(
    (OFFERED_KINDS as readonly string[]).includes(initialKind ?? "")
      ? (initialKind as FormKind)
      : "admit",
  );
  const [values, setValues] = useState<Record<string, string>>(() => ({
    parameter: "votingPeriod",
    revenueMode: "equal",
    decision: "approve",
    schema: SCHEMA_TEMPLATE,
    minCohort: "10",
    days: "365",
    ...params,
  }));
  const [errors, setErrors] = useState<FormErrors>({});
  const [draft, setDraft] = useState<Draft | null>(null);
  const [created, setCreated] = useState<bigint | null>(null);
  const pending = useRequests({ status: "Pending" }).data?.items ?? [];
  // The new proposal's id, from its ProposalCreated log: right whether the governor hashes or numbers ids.
  const tx = useTx(({ hash }) => {
    void getTransactionReceipt(wagmiConfig, { hash, chainId: deployment.chainId }).then((r) =>
      setCreated(createdProposalId(r.logs, deployment.contracts.governor) ?? null),
    );
  });
  // Without ETH a member proposes by signature, sent by the co-op's relayer (proposeBySig).
  const gasless = useGasless("propose");
  const coop = useCoopName();
  const who = useWhoText();

  const set = (name: string) => (value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    setDraft(null);
    tx.reset();
  };
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  const fields: FieldsProps = { values, set, err };

  /** The title suggested for the form as filled in: never an address. */
  function defaultTitle(): string {
    switch (kind) {
      case "admit":
        return t("propose.title.admit");
      case "remove": {
        const id = directory.members.get((values.member ?? "").toLowerCase());
        return id ? t("propose.title.remove", { id }) : t("propose.title.removeSomeone");
      }
      case "registerDataset":
        return t("propose.title.registerDataset", { name: values.name?.trim() ?? "" });
      case "revoke":
        return t("propose.title.revoke", { id: values.grantId?.trim() ?? "" });
      case "parameter":
        return t("propose.title.parameter", {
          setting: t(`param.${values.parameter as ParameterName}`),
        });
      case "membersGrant":
        return t("propose.title.membersGrant");
      case "sponsor":
        return "";
    }
  }

  /** The registry itself says which calls approve or reject a request with its exact terms. */
  async function sponsorDraft(): Promise<Draft | null> {
    const id = parseId(values.requestId ?? "");
    if (id === null) {
      setErrors({ requestId: "form.error.id" });
      return null;
    }
    if (!pending.some((r) => r.requestId === id.toString())) {
      setErrors({ requestId: "form.error.notPending" });
      return null;
    }
    const [targets, callValues, calldatas, description] = await readContract(wagmiConfig, {
      address: deployment.contracts.registry,
      abi: registryAbi,
      functionName: values.decision === "reject" ? "rejectionProposal" : "approvalProposal",
      args: [id],
      chainId: deployment.chainId,
    });
    const reason = values.reason?.trim();
    return {
      calls: targets.map((target, i) => ({
        target,
        value: callValues[i],
        calldata: calldatas[i],
      })),
      description: reason ? `${description}\n\n${reason}` : description,
    };
  }

  async function review(e: React.FormEvent) {
    e.preventDefault();
    setCreated(null);
    let next: Draft | null;
    if (kind === "sponsor") next = await sponsorDraft();
    else {
      const built = buildProposal(
        kind,
        { ...values, title: values.title?.trim() || defaultTitle() },
        deployment.contracts,
      );
      if (!built.ok) {
        setErrors(built.errors);
        return;
      }
      next = built.value;
    }
    if (!next) return;
    setErrors({});
    if (me) next = { ...next, description: `${next.description}\n\n#proposer=${me}` };
    setDraft(next);
    const d = next;
    const domain = gasless.domain;
    if (gasless.on && domain && me) {
      tx.review({
        summary: t("propose.summary", { count: d.calls.length }),
        signs: proposeFields(t, { coop, domain, member: who(me), me }, d.calls.length),
        relay: async (chainId, progress) => {
          const block = await getBlock(wagmiConfig, { chainId });
          const proposal = {
            proposer: me,
            targets: d.calls.map((c) => c.target),
            values: d.calls.map((c) => c.value),
            calldatas: d.calls.map((c) => c.calldata),
            description: d.description,
            deadline: signatureDeadline(block.timestamp, Date.now()),
          };
          const signature = await signTypedData(wagmiConfig, {
            ...proposeTypedData(domain, proposal),
            account: me,
          });
          return relayAndWait(
            gasless.relayer.base,
            "/proposals",
            proposalRequestBody(proposal, signature),
            progress,
          );
        },
      });
      return;
    }
    tx.review({
      summary: t("propose.summary", { count: d.calls.length }),
      send: (chainId) =>
        writeContract(wagmiConfig, {
          address: deployment.contracts.governor,
          abi: governorAbi,
          functionName: "propose",
          args: [
            d.calls.map((c) => c.target),
            d.calls.map((c) => c.value),
            d.calls.map((c) => c.calldata),
            d.description,
          ],
          chainId,
        }),
    });
  }

  return (
    <section aria-labelledby="propose-title" className="page">
      <h1 id="propose-title">{t("propose.heading")}</h1>
      <p className="hint">{t("propose.intro")}</p>
      {me && notMember && (
        <p className="panel warning" role="status">
          {t("propose.membersOnly")}
        </p>
      )}
      <div className="columns">
        <form className="form" onSubmit={(e) => void review(e)} noValidate>
          <Field id="propose-kind" label={t("propose.kind")} error={err("kind")}>
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
                {OFFERED_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`propose.kind.${k}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {kind === "admit" && <AdmitFields {...fields} />}
          {kind === "remove" && <RemoveFields {...fields} />}
          {kind === "registerDataset" && <DatasetFields {...fields} />}
          {kind === "sponsor" && <SponsorFields {...fields} />}
          {kind === "revoke" && <RevokeFields {...fields} />}
          {kind === "parameter" && <ParameterFields {...fields} />}
          {kind === "membersGrant" && <MembersGrantFields {...fields} />}
          {kind !== "sponsor" && (
            <Field
              id="propose-title-input"
              label={t("propose.titleLabel")}
              hint={t("propose.titleHint")}
              error={err("title")}
            >
              {(p) => (
                <input {...p} type="text" {...bind(fields, "title")} placeholder={defaultTitle()} />
              )}
            </Field>
          )}
          <Field
            id="propose-reason"
            label={t("propose.reason")}
            hint={t("propose.reason.hint")}
            error={err("reason")}
          >
            {(p) => <textarea {...p} {...bind(fields, "reason")} rows={3} />}
          </Field>
          <GaslessChoice gasless={gasless} label="propose.gasless.label" />
          <div className="actions">
            <button type="submit" className="primary" disabled={!onChain || tx.busy}>
              {t("propose.review")}
            </button>
          </div>
        </form>
        <div>
          {draft && <DraftView draft={draft} />}
          <TxPanel tx={tx} />
          {created !== null && (
            <p className="panel" role="status">
              <a href={`#/proposals/${created}`} data-testid="created-link">
                {t("propose.created")}
              </a>
            </p>
          )}
        </div>
      </div>
    </section>
  );
}

/** The proposal as members will read it: what it does, its title and description. */
function DraftView({ draft }: { draft: Draft }) {
  const { t } = useI18n();
  const description = draft.description.replace(/\n\n#proposer=0x[0-9a-fA-F]{40}$/, "");
  const body = proposalBody(description);
  return (
    <div className="panel" data-testid="draft">
      <h2>{t("proposal.willDo")}</h2>
      <CallList calls={draft.calls} testId="draft-calls" />
      <p className="hint">{t("propose.description")}</p>
      <p>
        <strong>{proposalTitle(description)}</strong>
      </p>
      {body && <Markdown source={body} baseLevel={3} />}
    </div>
  );
}
