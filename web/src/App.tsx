/** The app shell: header, wallet, network warning, navigation and the current screen. */
import { useSyncExternalStore } from "react";
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
            aria-current={route.page === tab.page ? "page" : undefined}
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
              <ProposalList />
              <ProposalLookup initial={route.invalidId} />
            </section>
          ))}
      </main>
      <footer>
        {t("footer.network", { network: deployment.network, chainId: deployment.chainId })}
      </footer>
    </div>
  );
}
