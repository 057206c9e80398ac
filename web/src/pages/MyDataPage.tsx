/**
 * A member's data: sign in to the gateway, add records (a typed form or a CSV file), see who used them and
 * when, collect the member's share of fees, and leave any one grant out.
 */
import { useConnection } from "wagmi";
import { useDocumentTitle } from "../coop.ts";
import { useI18n } from "../i18n/i18n.tsx";
import { type GatewaySession, useGatewaySession } from "../session.ts";
import { Accesses } from "./data/Accesses.tsx";
import { Contribute } from "./data/Contribute.tsx";
import { GrantChoices } from "./data/GrantChoices.tsx";
import { PrivacyUsed } from "./data/PrivacyUsed.tsx";
import { Revenue } from "./data/Revenue.tsx";
import { plainError } from "../lib/plainErrors.ts";
import { useAppConfig } from "../appConfig.tsx";

export function MyDataPage() {
  const { t } = useI18n();
  useDocumentTitle(t("data.title"));
  const session = useGatewaySession();
  const me = useConnection().address;
  return (
    <section aria-labelledby="data-title" className="page">
      <h1 id="data-title">{t("data.title")}</h1>
      <p className="hint">{t("data.intro")}</p>
      {!me ? (
        <p className="hint">{t("membership.connectFirst")}</p>
      ) : (
        <div className="columns">
          <div>
            <SessionPanel session={session} />
            {session.token && <Contribute session={session} />}
          </div>
          <div>
            {session.token && <Accesses session={session} />}
            {session.token && <PrivacyUsed session={session} />}
            <p>
              <a className="button" href="#/benchmark">
                {t("data.benchmarkLink")}
              </a>
            </p>
            <Revenue />
            <GrantChoices />
          </div>
        </div>
      )}
    </section>
  );
}

function SessionPanel({ session }: { session: GatewaySession }) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  if (session.token)
    return (
      <div className="panel stat">
        <span data-testid="session">{t("session.signedIn")}</span>
        <button type="button" onClick={session.signOut}>
          {t("session.signOut")}
        </button>
      </div>
    );
  const plain = session.error ? plainError(session.error, deployment.network) : undefined;
  return (
    <div className="panel">
      <h2>{t("session.title")}</h2>
      <p>{t("session.explain")}</p>
      <button
        type="button"
        className="primary"
        disabled={session.busy}
        onClick={() => void session.signIn()}
      >
        {session.busy ? t("session.waiting") : t("session.signIn")}
      </button>
      {plain && (
        <p className="error" role="alert">
          {t(plain.key, plain.vars)}
        </p>
      )}
    </div>
  );
}
