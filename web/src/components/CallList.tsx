/** What a proposal will do, one plain sentence per call; unknown targets and undecodable data stand out. */
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { type Call, decodeCall, describeCall } from "../lib/decode.ts";

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
        const sentence = describeCall(decodeCall(deployment.contracts, call), { units });
        return (
          <li key={i} className={sentence.warning ? "warning" : undefined}>
            {sentence.warning && <strong>{t("calls.warning")} </strong>}
            {t(sentence.key, sentence.vars)}
          </li>
        );
      })}
    </ol>
  );
}
