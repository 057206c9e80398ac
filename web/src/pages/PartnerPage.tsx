/**
 * Partners: request access to a dataset (purpose, fields, aggregates or rows, duration, fee in escrow),
 * follow each request through the vote that decides it, take back refused fees, and once granted query
 * the data with a wallet-signed request.
 */
import { useConnection } from "wagmi";
import { useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { useGrants } from "../indexer.ts";
import { MyRequests, Refund } from "./partner/MyRequests.tsx";
import { QueryPanel } from "./partner/QueryPanel.tsx";
import { RequestForm } from "./partner/RequestForm.tsx";

export function PartnerPage({ grantId }: { grantId?: string }) {
  const { t } = useI18n();
  useDocumentTitle(t("partner.title"));
  const me = useConnection().address;
  const grants = useGrants(me ? { partner: me.toLowerCase() } : {}).data?.items;
  const grant = grantId ? grants?.find((g) => g.grantId === grantId) : undefined;
  return (
    <section aria-labelledby="partner-title" className="page">
      <h1 id="partner-title">{t("partner.title")}</h1>
      <p className="hint">{t("partner.intro")}</p>
      {!me ? (
        <p className="hint">{t("membership.connectFirst")}</p>
      ) : grantId ? (
        grant ? (
          <QueryPanel grant={grant} />
        ) : (
          <p role="status">{grants ? t("partner.grantUnknown") : t("read.loading")}</p>
        )
      ) : (
        <div className="columns">
          <div>
            <Refund />
            <MyRequests />
          </div>
          <RequestForm />
        </div>
      )}
    </section>
  );
}
