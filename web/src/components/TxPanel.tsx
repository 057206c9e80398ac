/**
 * Shows one action's life: what it means before signing, then waiting, done, or what went wrong and what
 * to do next, in plain words. The focus moves to each new step and back to the button that opened the
 * panel when it closes.
 */
import { useEffect, useRef } from "react";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { plainError } from "../lib/plainErrors.ts";
import type { Tx, TxState } from "../tx.tsx";
import { Reveal } from "./Reveal.tsx";

export function TxPanel({ tx }: { tx: Tx }) {
  const { state } = tx;
  const ref = useRef<HTMLDivElement>(null);
  // Each new step takes the focus (screen readers hear it; on a phone it scrolls into view).
  useEffect(() => {
    if (state.phase === "idle") return;
    const heading = ref.current?.querySelector<HTMLElement>("[data-focus]");
    if (heading) heading.focus({ preventScroll: true });
    ref.current?.scrollIntoView({ block: "nearest" });
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
  const unsigned = relayed && request.unsigned === true;
  const summary = <p className="tx-summary">{request.summary}</p>;
  switch (state.phase) {
    case "review":
      return (
        <section className="panel tx review" aria-labelledby="tx-review-title">
          <h2 id="tx-review-title" tabIndex={-1} data-focus>
            {t("tx.review.title")}
          </h2>
          {summary}
          {unsigned ? (
            <p>{t("tx.review.relayed")}</p>
          ) : relayed ? (
            <>
              <p>{t("tx.review.gasless")}</p>
              <dl className="signed" data-testid="signed-message">
                {request.signs.map((f) => (
                  <div key={f.label}>
                    <dt>{f.label}</dt>
                    <dd>
                      {f.value}
                      {f.exact !== undefined && (
                        <>
                          {" "}
                          <Reveal label={t("sign.exact")} value={f.exact} />
                        </>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </>
          ) : (
            <p>{t("tx.review.meaning")}</p>
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void tx.confirm()}>
              {t(unsigned ? "tx.review.send" : "tx.review.confirm")}
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
          <p>
            {t(unsigned ? "tx.relaying.unsigned" : relayed ? "tx.wallet.signature" : "tx.wallet")}
          </p>
        </section>
      );
    case "relaying":
      return (
        <section className="panel tx pending" role="status">
          {summary}
          <p>{t(unsigned ? "tx.relaying.unsigned" : "tx.relaying")}</p>
        </section>
      );
    case "mining":
      return (
        <section className="panel tx pending" role="status">
          {summary}
          <p>{t(relayed ? "tx.mining.relayed" : "tx.mining")}</p>
        </section>
      );
    case "success":
      return (
        <section className="panel tx success" role="status">
          <p tabIndex={-1} data-focus>
            <strong>{t("tx.success")}</strong>
          </p>
          {summary}
          <p className="hint">
            <Reveal label={t("tx.record")} value={state.hash} />
          </p>
          <button type="button" onClick={tx.reset}>
            {t("tx.dismiss")}
          </button>
        </section>
      );
    case "error": {
      const plain = plainError(state.error, deployment.network);
      return (
        <section className="panel tx error" role="alert">
          <p tabIndex={-1} data-focus>
            <strong>{t("tx.error.title")}</strong>
          </p>
          {summary}
          <p data-testid="tx-error">{t(plain.key, plain.vars)}</p>
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
