/** When the wallet is on another network: say so and offer to switch. Actions stay disabled meanwhile. */
import { useConnection, useSwitchChain } from "wagmi";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { readableError } from "../lib/errors.ts";
import { plainError } from "../lib/plainErrors.ts";

export function useOnCoopChain(): boolean {
  const { deployment } = useAppConfig();
  const connection = useConnection();
  return connection.status === "connected" && connection.chainId === deployment.chainId;
}

export function NetworkGuard() {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const connection = useConnection();
  const switchChain = useSwitchChain();
  if (connection.status !== "connected" || connection.chainId === deployment.chainId) return null;
  return (
    <div className="panel warning" role="alert">
      <p>{t("network.wrong", { network: deployment.network })}</p>
      <button
        type="button"
        className="primary"
        disabled={switchChain.isPending}
        onClick={() => switchChain.mutate({ chainId: deployment.chainId })}
      >
        {t("network.switch", { network: deployment.network })}
      </button>
      {switchChain.error && (
        <p className="detail">
          {(() => {
            const plain = plainError(readableError(switchChain.error), deployment.network);
            return t(plain.key, plain.vars);
          })()}
        </p>
      )}
    </div>
  );
}
