/** How much of the member's privacy allowance this period's answers have used, per dataset. */
import { useQuery } from "@tanstack/react-query";
import { useI18n } from "../../i18n/i18n.tsx";
import { useDatasets } from "../../indexer.ts";
import { GatewayError, gatewayFetch } from "../../lib/gateway.ts";
import { privacyLines } from "../../lib/privacyUsed.ts";
import type { GatewaySession } from "../../session.ts";

export function PrivacyUsed({ session }: { session: GatewaySession }) {
  const { t, fmt } = useI18n();
  const datasets = useDatasets().data?.items ?? [];
  const privacy = useQuery({
    queryKey: ["privacy-used", session.base, session.token],
    queryFn: async () => {
      try {
        return privacyLines(
          await gatewayFetch(session.base, "/me/privacy", { token: session.token }),
        );
      } catch (e) {
        // A gateway without the privacy ledger has no such route: nothing to show.
        if (e instanceof GatewayError && e.status === 404) return null;
        throw e;
      }
    },
    retry: false,
  });
  if (privacy.isPending || privacy.data === null) return null;
  const lines = privacy.data ?? [];
  return (
    <div className="panel" data-testid="privacy-used">
      <h2>{t("privacy.title")}</h2>
      <p className="hint">{t("privacy.explain")}</p>
      {privacy.isError && (
        <p className="error" role="alert">
          {t("privacy.failed")}
        </p>
      )}
      {privacy.data && lines.length === 0 && <p>{t("privacy.none")}</p>}
      {lines.length > 0 && (
        <ul>
          {lines.map((line) => {
            const name =
              datasets.find((d) => d.datasetId === line.datasetId)?.name ?? t("privacy.dataset");
            const renews = fmt.date(line.renews / 1000);
            return (
              <li key={line.datasetId}>
                <strong>{name}</strong>:{" "}
                {line.full
                  ? t("privacy.full", { renews })
                  : t("privacy.used", {
                      share: fmt.percent(line.share),
                      count: line.answers,
                      renews,
                    })}
                <meter
                  min={0}
                  max={1}
                  value={line.share}
                  aria-label={t("privacy.meter", { dataset: name })}
                />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
