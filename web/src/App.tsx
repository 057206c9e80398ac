/** The app shell: header, wallet, network warning, navigation and the current screen. */
import { lazy, Suspense, useSyncExternalStore } from "react";
import { useAppConfig } from "./appConfig.tsx";
import { LanguageSwitcher } from "./components/LanguageSwitcher.tsx";
import { NetworkGuard } from "./components/NetworkGuard.tsx";
import { WalletBar } from "./components/WalletBar.tsx";
import { useI18n } from "./i18n/i18n.tsx";
import { parseRoute } from "./lib/route.ts";
import { ConsentPage } from "./pages/ConsentPage.tsx";
import { MembershipPage } from "./pages/MembershipPage.tsx";
import { ProposalList } from "./pages/ProposalList.tsx";
import { ProposalLookup, ProposalPage } from "./pages/ProposalPage.tsx";

// Screens most visits never open load on demand, keeping the first load small.
const NewProposalPage = lazy(() =>
  import("./pages/NewProposalPage.tsx").then((m) => ({ default: m.NewProposalPage })),
);
const MyDataPage = lazy(() =>
  import("./pages/MyDataPage.tsx").then((m) => ({ default: m.MyDataPage })),
);
const PartnerPage = lazy(() =>
  import("./pages/PartnerPage.tsx").then((m) => ({ default: m.PartnerPage })),
);
const AuditPage = lazy(() =>
  import("./pages/AuditPage.tsx").then((m) => ({ default: m.AuditPage })),
);

function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

function useRoute() {
  return parseRoute(useSyncExternalStore(subscribe, () => location.hash));
}

export function App() {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const route = useRoute();
  const tabs = [
    { page: "membership", href: "#/membership", label: t("nav.membership") },
    { page: "consent", href: "#/consent", label: t("nav.consent") },
    { page: "proposals", href: "#/proposals", label: t("nav.proposals") },
    { page: "data", href: "#/data", label: t("nav.data") },
    { page: "partner", href: "#/partner", label: t("nav.partner") },
    { page: "audit", href: "#/audit", label: t("nav.audit") },
  ] as const;
  return (
    <div className="app">
      <header className="top">
        <a className="brand" href="#/membership">
          {t("app.name")}
        </a>
        <LanguageSwitcher />
      </header>
      <WalletBar />
      <NetworkGuard />
      <nav className="tabs" aria-label={t("nav.label")}>
        {tabs.map((tab) => (
          <a
            key={tab.page}
            href={tab.href}
            aria-current={
              route.page === tab.page || (route.page === "propose" && tab.page === "proposals")
                ? "page"
                : undefined
            }
          >
            {tab.label}
          </a>
        ))}
      </nav>
      <main>
        {route.page === "membership" && <MembershipPage />}
        {route.page === "consent" && <ConsentPage />}
        {route.page === "proposals" &&
          (route.id !== undefined ? (
            <ProposalPage key={route.id.toString()} id={route.id} />
          ) : (
            <section>
              <h2>{t("proposals.title")}</h2>
              <p className="hint">{t("proposals.intro")}</p>
              <p>
                <a className="button primary" href="#/propose">
                  {t("propose.new")}
                </a>
              </p>
              <ProposalList />
              <ProposalLookup initial={route.invalidId} />
            </section>
          ))}
        <Suspense fallback={<p role="status">{t("read.loading")}</p>}>
          {route.page === "propose" && (
            <NewProposalPage
              key={`${route.kind}?${JSON.stringify(route.params)}`}
              kind={route.kind}
              params={route.params}
            />
          )}
          {route.page === "data" && <MyDataPage />}
          {route.page === "partner" && <PartnerPage grantId={route.grantId} />}
          {route.page === "audit" && <AuditPage />}
        </Suspense>
      </main>
      <footer>
        {t("footer.network", { network: deployment.network, chainId: deployment.chainId })}
      </footer>
    </div>
  );
}
