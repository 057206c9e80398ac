/** What a proposal will do, one plain sentence per call; unknown targets and undecodable data stand out. */
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { useDatasets, useIndexer } from "../indexer.ts";
import { type Call, decodeCall, type DecodedCall, describeCall } from "../lib/decode.ts";
import { formatDuration, formatEth } from "../lib/format.ts";
import { fieldsFromMask } from "../lib/fields.ts";
import type { ApiRequest } from "../lib/indexerApi.ts";

export function CallList({ calls, testId }: { calls: readonly Call[]; testId?: string }) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const units = {
    days: t("time.days"),
    hours: t("time.hours"),
    minutes: t("time.minutes"),
    seconds: t("time.seconds"),
  };
  if (calls.length === 0) return <p className="hint">{t("calls.none")}</p>;
  return (
    <ol className="calls" data-testid={testId}>
      {calls.map((call, i) => {
        const decoded = decodeCall(deployment.contracts, call);
        const sentence = describeCall(decoded, { units });
        return (
          <li key={i} className={sentence.warning ? "warning" : undefined}>
            {sentence.warning && <strong>{t("calls.warning")} </strong>}
            {t(sentence.key, sentence.vars)}
            <RequestTerms call={decoded} />
          </li>
        );
      })}
    </ol>
  );
}

/** For a decision on a partner's request: the terms the members are voting on. */
function RequestTerms({ call }: { call: DecodedCall }) {
  const { t, purpose } = useI18n();
  const id =
    call.kind === "call" &&
    call.contract === "registry" &&
    (call.functionName === "approve" || call.functionName === "reject")
      ? String(call.args[0])
      : null;
  const request = useIndexer<ApiRequest>(id ? `/requests/${id}` : null, {}, false).data;
  const dataset = useDatasets().data?.items.find((d) => d.datasetId === request?.datasetId);
  if (!request) return null;
  const p = PURPOSES.find((x) => x.bit === request.purpose);
  return (
    <span className="hint terms" data-testid="request-terms">
      {" "}
      {t(request.rowLevel ? "calls.terms.rows" : "calls.terms.aggregate", {
        partner: request.partner,
        dataset: dataset?.name ?? request.datasetId,
        purpose: p ? purpose(p.key).label : "—",
        fields: dataset ? fieldsFromMask(BigInt(request.fieldMask), dataset.fields).join(", ") : "",
        k: request.minCohort,
        duration: formatDuration(Number(request.duration), {
          days: t("time.days"),
          hours: t("time.hours"),
          minutes: t("time.minutes"),
          seconds: t("time.seconds"),
        }),
        fee: formatEth(BigInt(request.fee)),
        terms: request.termsUri,
      })}
    </span>
  );
}
