/** Shows one action's life: what it means before signing, then pending, success or a readable error. */
import { useEffect, useRef } from "react";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { shortAddress } from "../lib/format.ts";
import type { Tx, TxState } from "../tx.tsx";

export function TxPanel({ tx }: { tx: Tx }) {
  const { state } = tx;
  const ref = useRef<HTMLDivElement>(null);
  // On a phone the panel is often below the fold: bring each new step into view.
  useEffect(() => {
    if (state.phase !== "idle") ref.current?.scrollIntoView({ block: "nearest" });
  }, [state.phase]);
  if (state.phase === "idle") return null;
  return (
    <div ref={ref}>
      <TxStep tx={tx} state={state} />
    </div>
  );
}

function TxStep({ tx, state }: { tx: Tx; state: Exclude<TxState, { phase: "idle" }> }) {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const { request } = state;
  const relayed = "relay" in request;
  const summary = <p className="tx-summary">{request.summary}</p>;
  switch (state.phase) {
    case "review":
      return (
        <section className="panel tx review" aria-labelledby="tx-review-title">
          <h3 id="tx-review-title">{t("tx.review.title")}</h3>
          {summary}
          {relayed ? (
            <>
              <p>{t("tx.review.gasless", { network: deployment.network })}</p>
              <dl className="signed" data-testid="signed-message">
                {request.signs.map((f) => (
                  <div key={f.label}>
                    <dt>{f.label}</dt>
                    <dd>{f.value}</dd>
                  </div>
                ))}
              </dl>
            </>
          ) : (
            <p>{t("tx.review.meaning", { network: deployment.network })}</p>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void tx.confirm()}>
              {t("tx.review.confirm")}
            </button>
            <button type="button" onClick={tx.reset}>
              {t("tx.review.cancel")}
            </button>
          </div>
        </section>
      );
    case "wallet":
      return (
        <section className="panel tx pending" role="status">
          {summary}
          <p>{t(relayed ? "tx.wallet.signature" : "tx.wallet")}</p>
        </section>
      );
    case "relaying":
      return (
        <section className="panel tx pending" role="status">
          {summary}
          <p>{t("tx.relaying")}</p>
        </section>
      );
    case "mining":
      return (
        <section className="panel tx pending" role="status">
          {summary}
          <p>
            {t(relayed ? "tx.mining.relayed" : "tx.mining", { hash: shortAddress(state.hash) })}
          </p>
        </section>
      );
    case "success":
      return (
        <section className="panel tx success" role="status">
          {summary}
          <p>{t("tx.success", { block: state.blockNumber })}</p>
          <button type="button" onClick={tx.reset}>
            {t("tx.dismiss")}
          </button>
        </section>
      );
    case "error": {
      const { error } = state;
      const lead =
        error.kind === "rejected"
          ? t("tx.error.rejected")
          : error.kind === "chain"
            ? t("tx.error.chain", { network: deployment.network })
            : t("tx.error.failed");
      return (
        <section className="panel tx error" role="alert">
          {summary}
          <p>{lead}</p>
          {error.kind !== "rejected" && error.kind !== "chain" && (
            <p className="detail">{error.message}</p>
          )}
          {error.customError && (
            <p className="detail">
              {t("tx.error.reason")} <code>{error.customError}</code>
            </p>
          )}
          <div className="actions">
            <button type="button" onClick={() => void tx.confirm()}>
              {t("tx.retry")}
            </button>
            <button type="button" onClick={tx.reset}>
              {t("tx.dismiss")}
            </button>
          </div>
        </section>
      );
    }
  }
}
