/**
 * A member's session with the data gateway: Sign-In with Ethereum (a free signature, no transaction), the
 * session token kept for this browser tab only.
 */
import { useCallback, useState } from "react";
import { useConfig, useConnection } from "wagmi";
import { signMessage } from "wagmi/actions";
import { useAppConfig } from "./appConfig.tsx";
import { useI18n } from "./i18n/i18n.tsx";
import { type ReadableError, readableError } from "./lib/errors.ts";
import { gatewayFetch, gatewayUrl, siweMessage } from "./lib/gateway.ts";

const key = (address: string) => `datacoop.gateway.${address.toLowerCase()}`;

type Stored = { token: string; expiresAt: string };

function load(address: string | undefined): Stored | null {
  if (!address) return null;
  try {
    const s = JSON.parse(sessionStorage.getItem(key(address)) ?? "null") as Stored | null;
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function useGatewaySession() {
  const { indexerUrl, deployment } = useAppConfig();
  const { t } = useI18n();
  const wagmiConfig = useConfig();
  const address = useConnection().address;
  const base = gatewayUrl(indexerUrl);
  const [, setVersion] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReadableError | null>(null);
  const session = load(address);

  const signIn = useCallback(async () => {
    if (!address) return;
    setBusy(true);
    setError(null);
    try {
      const { nonce } = await gatewayFetch<{ nonce: string }>(base, "/auth/nonce");
      const message = siweMessage({
        address,
        chainId: deployment.chainId,
        nonce,
        origin: location.origin,
        statement: t("session.statement"),
      });
      const signature = await signMessage(wagmiConfig, { account: address, message });
      const s = await gatewayFetch<Stored>(base, "/auth/login", {
        method: "POST",
        body: JSON.stringify({ message, signature }),
      });
      sessionStorage.setItem(key(address), JSON.stringify(s));
      setVersion((v) => v + 1);
    } catch (e) {
      setError(readableError(e));
    } finally {
      setBusy(false);
    }
  }, [address, base, deployment.chainId, t, wagmiConfig]);

  const signOut = useCallback(() => {
    if (address) sessionStorage.removeItem(key(address));
    setVersion((v) => v + 1);
  }, [address]);

  return { base, address, token: session?.token, signIn, signOut, busy, error };
}

export type GatewaySession = ReturnType<typeof useGatewaySession>;
