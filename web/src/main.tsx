/** Loads config.json, then starts the app for that deployment. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { WagmiProvider } from "wagmi";
import { App } from "./App.tsx";
import { AppConfigContext } from "./appConfig.tsx";
import { loadConfig } from "./config.ts";
import { I18nProvider, loadInitialLanguage, useI18n } from "./i18n/i18n.tsx";
import "./styles.css";
import { createWagmiConfig } from "./wagmi.ts";

function ConfigError({ message }: { message: string }) {
  const { t } = useI18n();
  return (
    <main className="app">
      <h1>{t("app.name")}</h1>
      <p className="panel error" role="alert">
        {t("config.failed")} {message}
      </p>
    </main>
  );
}

const root = createRoot(document.getElementById("root")!);
// The reader's language arrives while the configuration does.
const language = loadInitialLanguage();
try {
  const config = await loadConfig(
    "config.json",
    (window as { coopConfig?: Promise<Response> }).coopConfig,
  );
  await language;
  const wagmiConfig = createWagmiConfig(config);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });
  root.render(
    <StrictMode>
      <I18nProvider>
        <AppConfigContext.Provider value={config}>
          <WagmiProvider config={wagmiConfig}>
            <QueryClientProvider client={queryClient}>
              <App />
            </QueryClientProvider>
          </WagmiProvider>
        </AppConfigContext.Provider>
      </I18nProvider>
    </StrictMode>,
  );
} catch (error) {
  await language;
  root.render(
    <I18nProvider>
      <ConfigError message={error instanceof Error ? error.message : String(error)} />
    </I18nProvider>,
  );
}
