/** Who is signed in, and the ways to connect: browser wallets, WalletConnect, demo accounts (local chain). */
import { useEffect, useRef, useState } from "react";
import { type Connector, useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import { useI18n } from "../i18n/i18n.tsx";
import { readableError } from "../lib/errors.ts";
import { plainError } from "../lib/plainErrors.ts";
import { Reveal } from "./Reveal.tsx";
import { DEMO_ACCOUNTS, type DemoAccount, demoConnectorId } from "../wallet/demoAccounts.ts";
import { isDemoConnector } from "../wagmi.ts";

const demoAccountOf = (connector: Connector): DemoAccount | undefined =>
  DEMO_ACCOUNTS.find((a) => demoConnectorId(a.index) === connector.id);

/** The picker's groups, in order: who votes, who asks for data, who is not (yet) a member. */
const DEMO_GROUPS = [
  { title: "wallet.demo.members", roles: ["founder", "farmer"] },
  { title: "wallet.demo.partners", roles: ["partner"] },
  { title: "wallet.demo.visitors", roles: ["visitor"] },
] as const;

function useDemoLabel() {
  const { t } = useI18n();
  return (connector: Connector) => {
    const account = demoAccountOf(connector);
    if (!account) return connector.name;
    switch (account.role) {
      case "founder":
        return t("wallet.demo.founder", { n: account.index + 1 });
      case "farmer":
        return t("wallet.demo.farmer", { name: account.name });
      case "partner":
        return t("wallet.demo.partner", { name: account.name });
      case "visitor":
        return t("wallet.demo.visitor", { n: account.index + 1 });
    }
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
  const status = useRef<HTMLSpanElement>(null);
  const connectButton = useRef<HTMLButtonElement>(null);
  // Signing in or out replaces the button that had the focus: hand it to what replaced it.
  const [moveFocus, setMoveFocus] = useState<"status" | "connect" | null>(null);
  useEffect(() => {
    if (moveFocus === "status" && connection.status === "connected") {
      status.current?.focus();
      setMoveFocus(null);
    } else if (moveFocus === "connect" && connection.status === "disconnected") {
      connectButton.current?.focus();
      setMoveFocus(null);
    }
  }, [moveFocus, connection.status]);

  if (connection.status === "connected") {
    const who = isDemoConnector(connection.connector)
      ? demoLabel(connection.connector)
      : connection.connector.id === "injected"
        ? t("wallet.browser")
        : connection.connector.name;
    return (
      <div className="wallet connected">
        <span className="who" ref={status} tabIndex={-1} data-testid="wallet-status">
          {t("wallet.signedInAs", { who })}{" "}
          <Reveal label={t("reveal.address")} value={connection.address} />
        </span>
        <button
          type="button"
          onClick={() => {
            setMoveFocus("connect");
            disconnect.mutate();
          }}
        >
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
        ref={connectButton}
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
                  <button
                    type="button"
                    onClick={() => {
                      setMoveFocus("status");
                      connect.mutate({ connector: c });
                    }}
                  >
                    {c.id === "injected" ? t("wallet.browser") : c.name}
                  </button>
                </li>
              ))}
          </ul>
          {demos.length > 0 && (
            <>
              <h2>{t("wallet.demo.title")}</h2>
              <p className="hint">{t("wallet.demo.explain")}</p>
              {DEMO_GROUPS.map((group) => {
                const members = demos.filter((c) =>
                  (group.roles as readonly string[]).includes(demoAccountOf(c)?.role ?? ""),
                );
                if (members.length === 0) return null;
                return (
                  <div key={group.title}>
                    <h3>{t(group.title)}</h3>
                    <ul className="choices demo">
                      {members.map((c) => (
                        <li key={c.uid}>
                          <button
                            type="button"
                            onClick={() => {
                              setMoveFocus("status");
                              connect.mutate({ connector: c }, { onSuccess: () => setOpen(false) });
                            }}
                          >
                            {demoLabel(c)}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}
            </>
          )}
          {connect.error && (
            <p className="error" role="alert">
              {t("wallet.connectFailed")}{" "}
              {(() => {
                const plain = plainError(readableError(connect.error), "");
                return t(plain.key, plain.vars);
              })()}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
