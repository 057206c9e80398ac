/** Who is signed in, and the ways to connect: browser wallets, WalletConnect, demo accounts (local chain). */
import { useState } from "react";
import { type Connector, useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import { useI18n } from "../i18n/i18n.tsx";
import { readableError } from "../lib/errors.ts";
import { shortAddress } from "../lib/format.ts";
import { DEMO_ACCOUNTS, demoConnectorId } from "../wallet/demoAccounts.ts";
import { isDemoConnector } from "../wagmi.ts";

function useDemoLabel() {
  const { t } = useI18n();
  return (connector: Connector) => {
    const account = DEMO_ACCOUNTS.find((a) => demoConnectorId(a.index) === connector.id);
    if (!account) return connector.name;
    return account.role === "founder"
      ? t("wallet.demo.founder", { n: account.index + 1 })
      : t("wallet.demo.visitor", { n: account.index + 1 });
  };
}

export function WalletBar() {
  const { t } = useI18n();
  const connection = useConnection();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const demoLabel = useDemoLabel();
  const [open, setOpen] = useState(false);

  if (connection.status === "connected") {
    const who = isDemoConnector(connection.connector)
      ? demoLabel(connection.connector)
      : connection.connector.id === "injected"
        ? t("wallet.browser")
        : connection.connector.name;
    return (
      <div className="wallet connected">
        <span className="who">
          {t("wallet.signedInAs", { who })} <code>{shortAddress(connection.address)}</code>
        </span>
        <button type="button" onClick={() => disconnect.mutate()}>
          {t("wallet.disconnect")}
        </button>
      </div>
    );
  }

  const wallets = connectors.filter((c) => !isDemoConnector(c));
  const demos = connectors.filter(isDemoConnector);
  const hasInjected = typeof window !== "undefined" && "ethereum" in window;
  return (
    <div className="wallet">
      <button
        type="button"
        className="primary"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={connection.status === "connecting" || connection.status === "reconnecting"}
      >
        {t("wallet.connect")}
      </button>
      {open && (
        <div className="panel picker">
          <p>{t("wallet.explain")}</p>
          {!hasInjected && wallets.every((c) => c.id === "injected") && (
            <p className="hint">{t("wallet.none")}</p>
          )}
          <ul className="choices">
            {wallets
              .filter((c) => c.type !== "injected" || hasInjected || c.id !== "injected")
              .map((c) => (
                <li key={c.uid}>
                  <button type="button" onClick={() => connect.mutate({ connector: c })}>
                    {c.id === "injected" ? t("wallet.browser") : c.name}
                  </button>
                </li>
              ))}
          </ul>
          {demos.length > 0 && (
            <>
              <h3>{t("wallet.demo.title")}</h3>
              <p className="hint">{t("wallet.demo.explain")}</p>
              <ul className="choices demo">
                {demos.map((c) => (
                  <li key={c.uid}>
                    <button
                      type="button"
                      onClick={() =>
                        connect.mutate({ connector: c }, { onSuccess: () => setOpen(false) })
                      }
                    >
                      {demoLabel(c)}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {connect.error && (
            <p className="error" role="alert">
              {t("wallet.connectFailed")} {readableError(connect.error).message}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
