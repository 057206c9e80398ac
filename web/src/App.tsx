/** The app shell: skip link, header with the co-op's name, wallet, network warning, navigation, the screen. */
import { lazy, Suspense, useEffect, useRef, useSyncExternalStore } from "react";
import { useAppConfig } from "./appConfig.tsx";
import { LanguageSwitcher } from "./components/LanguageSwitcher.tsx";
import { NetworkGuard } from "./components/NetworkGuard.tsx";
import { WalletBar } from "./components/WalletBar.tsx";
import { useCoopName } from "./coop.ts";
import { useI18n } from "./i18n/i18n.tsx";
import { parseRoute } from "./lib/route.ts";
import { HomePage } from "./pages/HomePage.tsx";
import { ProposalsPage } from "./pages/ProposalList.tsx";
import { ProposalRoute } from "./pages/ProposalPage.tsx";

// Screens most visits never open load on demand, keeping the first load small (the first screen and the
// votes are in it: a member's usual visit).
const MembershipPage = lazy(() =>
  import("./pages/MembershipPage.tsx").then((m) => ({ default: m.MembershipPage })),
);
const ConsentPage = lazy(() =>
  import("./pages/ConsentPage.tsx").then((m) => ({ default: m.ConsentPage })),
);
const NewProposalPage = lazy(() =>
  import("./pages/propose/NewProposalPage.tsx").then((m) => ({ default: m.NewProposalPage })),
);
const MyDataPage = lazy(() =>
  import("./pages/MyDataPage.tsx").then((m) => ({ default: m.MyDataPage })),
);
const BenchmarkPage = lazy(() =>
  import("./pages/BenchmarkPage.tsx").then((m) => ({ default: m.BenchmarkPage })),
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

/** Moves the focus to the new screen's heading after each navigation (not on the first load). */
function useFocusOnNavigation(hash: string) {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let tries = 0;
    // Lazily loaded screens render their heading a moment later.
    const timer = setInterval(() => {
      const h1 = document.querySelector<HTMLElement>("main h1");
      if (h1 || ++tries > 40) {
        clearInterval(timer);
        if (h1) {
          h1.tabIndex = -1;
          h1.focus({ preventScroll: false });
        }
      }
    }, 50);
    return () => clearInterval(timer);
  }, [hash]);
}

export function App() {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const coop = useCoopName();
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const route = useRoute();
  useFocusOnNavigation(hash.split("?")[0]);
  const tabs = [
    { page: "home", href: "#/", label: t("nav.home") },
    { page: "proposals", href: "#/proposals", label: t("nav.proposals") },
    { page: "consent", href: "#/consent", label: t("nav.consent") },
    { page: "data", href: "#/data", label: t("nav.data") },
    { page: "membership", href: "#/membership", label: t("nav.membership") },
    { page: "partner", href: "#/partner", label: t("nav.partner") },
    { page: "audit", href: "#/audit", label: t("nav.audit") },
  ] as const;
  const current = (tab: (typeof tabs)[number]["page"]) =>
    route.page === tab ||
    (route.page === "propose" && tab === "proposals") ||
    (route.page === "benchmark" && tab === "data");
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          // The hash is the router's: focus the content instead of navigating.
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
      >
        {t("nav.skip")}
      </a>
      <header>
        <div className="top">
          <a className="brand" href="#/" data-testid="coop-name">
            {coop}
          </a>
          <LanguageSwitcher />
        </div>
        <WalletBar />
        <NetworkGuard />
      </header>
      <nav className="tabs" aria-label={t("nav.label")}>
        {tabs.map((tab) => (
          <a key={tab.page} href={tab.href} aria-current={current(tab.page) ? "page" : undefined}>
            {tab.label}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {route.page === "home" && <HomePage />}
        {route.page === "proposals" &&
          (route.id !== undefined ? (
            <ProposalRoute key={route.id.toString()} idOrNumber={route.id} />
          ) : (
            <ProposalsPage invalid={route.invalidId} />
          ))}
        <Suspense fallback={<p role="status">{t("read.loading")}</p>}>
          {route.page === "membership" && <MembershipPage />}
          {route.page === "consent" && <ConsentPage />}
          {route.page === "propose" && (
            <NewProposalPage
              key={`${route.kind}?${JSON.stringify(route.params)}`}
              kind={route.kind}
              params={route.params}
            />
          )}
          {route.page === "data" && <MyDataPage />}
          {route.page === "benchmark" && <BenchmarkPage />}
          {route.page === "partner" && <PartnerPage grantId={route.grantId} />}
          {route.page === "audit" && <AuditPage />}
        </Suspense>
      </main>
      <footer>{t("footer.network", { network: deployment.network })}</footer>
    </div>
  );
}
