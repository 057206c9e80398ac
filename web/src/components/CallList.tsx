/**
 * What a proposal will do, one plain sentence per call: people named as the reader knows them, amounts and
 * lengths of time in their language, raw data a click away; unknown targets and undecodable data stand out.
 */
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { useDatasets, useIndexer } from "../indexer.ts";
import { type Call, decodeCall, type DecodedCall, describeCall } from "../lib/decode.ts";
import { fieldsFromMask } from "../lib/fields.ts";
import type { ApiRequest } from "../lib/indexerApi.ts";
import { fieldLabel, useDatasetSchema } from "../schema.ts";
import { Reveal } from "./Reveal.tsx";
import { Who } from "./Who.tsx";

export function CallList({ calls, testId }: { calls: readonly Call[]; testId?: string }) {
  const { t, rich, fmt } = useI18n();
  const { deployment } = useAppConfig();
  if (calls.length === 0) return <p className="hint">{t("calls.none")}</p>;
  return (
    <ol className="calls" data-testid={testId}>
      {calls.map((call, i) => {
        const decoded = decodeCall(deployment.contracts, call);
        const sentence = describeCall(decoded, { duration: fmt.duration, eth: fmt.eth });
        const vars = Object.fromEntries(
          Object.entries(sentence.vars).map(([k, v]) => [
            k,
            sentence.addresses?.includes(k) ? <Who address={String(v)} /> : v,
          ]),
        );
        return (
          <li key={i} className={sentence.warning ? "warning" : undefined}>
            {sentence.warning && <strong>{t("calls.warning")} </strong>}
            {rich(sentence.key, vars)}
            {sentence.details && (
              <>
                {" "}
                <Reveal label={t("reveal.details")} value={sentence.details} />
              </>
            )}
            <RequestTerms call={decoded} />
          </li>
        );
      })}
    </ol>
  );
}

/** For a decision on a partner's request: the terms the members are voting on, in plain words. */
export function RequestTerms({ call }: { call: DecodedCall }) {
  if (
    call.kind === "call" &&
    call.contract === "registry" &&
    call.functionName === "grantToMembers"
  )
    return <MembersGrantTerms args={call.args} />;
  return <PartnerRequestTerms call={call} />;
}

/** A grant to the co-op's own members: the dataset, the fields by name, the smallest group, how long. */
function MembersGrantTerms({ args }: { args: readonly unknown[] }) {
  const { rich, purpose, fmt, lang } = useI18n();
  const datasetId = String(args[0]);
  const dataset = useDatasets().data?.items.find((d) => d.datasetId === datasetId);
  const schema = useDatasetSchema(dataset).data;
  const scope = args[2] as { fieldMask?: bigint; minCohort?: number | bigint };
  const p = PURPOSES.find((x) => x.bit === Number(args[1]));
  const fields = dataset ? fieldsFromMask(BigInt(scope.fieldMask ?? 0n), dataset.fields) : [];
  return (
    <span className="hint terms" data-testid="request-terms">
      {" "}
      {rich("calls.terms.members", {
        dataset: dataset?.name ?? datasetId,
        purpose: p ? purpose(p.key).label : "—",
        fields: fmt.list(fields.map((f) => fieldLabel(schema?.fields, f, lang))),
        k: Number(scope.minCohort ?? 0),
        duration: fmt.duration(Number(args[3])),
      })}
    </span>
  );
}

function PartnerRequestTerms({ call }: { call: DecodedCall }) {
  const id =
    call.kind === "call" &&
    call.contract === "registry" &&
    (call.functionName === "approve" || call.functionName === "reject")
      ? String(call.args[0])
      : null;
  const request = useIndexer<ApiRequest>(id ? `/requests/${id}` : null, {}, false).data;
  if (!request) return null;
  return (
    <span className="hint terms" data-testid="request-terms">
      {" "}
      <TermsSentence request={request} />
    </span>
  );
}

/** A request's terms: who, what, for what, how long, for how much. */
export function TermsSentence({ request }: { request: ApiRequest }) {
  const { rich, purpose, fmt, lang } = useI18n();
  const dataset = useDatasets().data?.items.find((d) => d.datasetId === request.datasetId);
  const schema = useDatasetSchema(dataset).data;
  const p = PURPOSES.find((x) => x.bit === request.purpose);
  const fields = dataset ? fieldsFromMask(BigInt(request.fieldMask), dataset.fields) : [];
  return (
    <>
      {rich(request.rowLevel ? "calls.terms.rows" : "calls.terms.aggregate", {
        partner: <Who address={request.partner} />,
        dataset: dataset?.name ?? request.datasetId,
        purpose: p ? purpose(p.key).label : "—",
        fields: fmt.list(fields.map((f) => fieldLabel(schema?.fields, f, lang))),
        k: Number(request.minCohort),
        duration: fmt.duration(Number(request.duration)),
        fee: fmt.eth(BigInt(request.fee)),
        terms: safeLink(request.termsUri),
      })}
    </>
  );
}

function safeLink(uri: string) {
  return /^https?:\/\//.test(uri) ? (
    <a href={uri} rel="noopener noreferrer nofollow" target="_blank">
      {uri.length > 60 ? `${uri.slice(0, 57)}…` : uri}
    </a>
  ) : (
    uri
  );
}
