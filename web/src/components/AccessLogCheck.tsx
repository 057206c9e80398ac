/**
 * "Verify the access log": the anchors read from the chain, every proof fetched from the gateway's
 * `/proofs` and checked here (src/lib/accessLogAudit.ts); progress, then the result in plain words.
 */
import { useEffect, useRef, useState } from "react";
import { usePublicClient } from "wagmi";
import { readAnchors } from "@datacoop/protocol/accessLog/anchors";
import type { ServedConsistency, ServedInclusion } from "@datacoop/protocol/accessLog/verify";
import { useAppConfig } from "../appConfig.tsx";
import type { MessageKey } from "../i18n/en.ts";
import { useI18n } from "../i18n/i18n.tsx";
import {
  type AuditFailure,
  type AuditProgress,
  type AuditReport,
  auditAccessLog,
  type ProofFetchers,
  proofsUrl,
} from "../lib/accessLogAudit.ts";
import { readableError } from "../lib/errors.ts";
import { plainError } from "../lib/plainErrors.ts";
import { Reveal } from "./Reveal.tsx";
import { gatewayFetch } from "../lib/gateway.ts";
import { coopChain } from "../wagmi.ts";

type Run =
  | { step: "idle" }
  | { step: "reading" }
  | { step: "checking"; progress: AuditProgress }
  | { step: "done"; report: AuditReport }
  | { step: "anchorsUnreadable"; message: string };

function proofFetchers(base: string): ProofFetchers {
  return {
    consistency: (from, to) =>
      gatewayFetch<ServedConsistency>(base, `/consistency?from=${from}&to=${to}`),
    inclusion: (seq, batch) =>
      gatewayFetch<ServedInclusion>(base, `/entries/${seq}/inclusion?batch=${batch}`),
    entry: (seq) => gatewayFetch<unknown>(base, `/entries/${seq}`),
  };
}

/** The failure as a sentence: which batch or entry, and why. */
function failureText(failure: AuditFailure): {
  key: MessageKey;
  vars: Record<string, string | number>;
} {
  switch (failure.kind) {
    case "anchorLink":
      return { key: "auditLog.fail.anchorLink", vars: { batch: failure.batch } };
    case "consistency":
      return {
        key: failure.reason === "PROOF" ? "auditLog.fail.rewritten" : "auditLog.fail.batchRoot",
        vars: { batch: failure.batch },
      };
    case "entry": {
      const key: MessageKey =
        failure.reason === "ENTRY_HASH"
          ? "auditLog.fail.entryChanged"
          : failure.reason === "PROOF"
            ? "auditLog.fail.entryNotIn"
            : "auditLog.fail.entryRoot";
      return { key, vars: { seq: failure.seq, batch: failure.batch } };
    }
    case "entryMissing":
      return {
        key: "auditLog.fail.entryMissing",
        vars: { seq: failure.seq, batch: failure.batch },
      };
    case "batchUnavailable":
      return {
        key: "auditLog.fail.batchUnavailable",
        vars: { batch: failure.batch, message: failure.message },
      };
    case "entryUnavailable":
      return {
        key: "auditLog.fail.entryUnavailable",
        vars: { seq: failure.seq, message: failure.message },
      };
  }
}

export function AccessLogCheck() {
  const { t } = useI18n();
  const config = useAppConfig();
  const client = usePublicClient();
  const explorer = coopChain(config).blockExplorers?.default.url;
  const [run, setRun] = useState<Run>({ step: "idle" });
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  async function verify() {
    if (!client) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setRun({ step: "reading" });
    let anchors;
    try {
      anchors = await readAnchors(client, config.deployment.contracts.accessLog, {
        fromBlock: BigInt(config.deployment.startBlock),
      });
    } catch (error) {
      if (!abort.signal.aborted) {
        const plain = plainError(readableError(error), "");
        setRun({ step: "anchorsUnreadable", message: t(plain.key, plain.vars) });
      }
      return;
    }
    try {
      const report = await auditAccessLog(anchors, proofFetchers(proofsUrl(config.indexerUrl)), {
        concurrency: 8,
        signal: abort.signal,
        onProgress: (progress) => setRun({ step: "checking", progress }),
      });
      if (!abort.signal.aborted) setRun({ step: "done", report });
    } catch {
      // Only an abort gets here: the page was left.
    }
  }

  const busy = run.step === "reading" || run.step === "checking";
  return (
    <section className="panel" aria-labelledby="access-log-title" data-testid="access-log-check">
      <h2 id="access-log-title">{t("auditLog.title")}</h2>
      <p className="hint">{t("auditLog.intro")}</p>
      <button
        type="button"
        className="primary"
        disabled={busy || !client}
        onClick={() => void verify()}
      >
        {t("auditLog.run")}
      </button>
      {run.step === "reading" && <p role="status">{t("auditLog.reading")}</p>}
      {run.step === "checking" && (
        <div>
          <div
            className="bar big"
            role="progressbar"
            aria-label={t("auditLog.title")}
            aria-valuemin={0}
            aria-valuemax={run.progress.total}
            aria-valuenow={run.progress.done}
          >
            <span
              style={{
                width: `${run.progress.total ? (run.progress.done / run.progress.total) * 100 : 100}%`,
              }}
            />
          </div>
          <p role="status" data-testid="access-log-progress">
            {t("auditLog.progress", { done: run.progress.done, total: run.progress.total })}
          </p>
        </div>
      )}
      {run.step === "anchorsUnreadable" && (
        <div className="panel error" role="alert" data-testid="access-log-result">
          <p>{t("auditLog.failed")}</p>
          <p>{t("auditLog.fail.anchorRead", { message: run.message })}</p>
        </div>
      )}
      {run.step === "done" && !run.report.ok && (
        <div className="panel error" role="alert" data-testid="access-log-result">
          <p>{t("auditLog.failed")}</p>
          <p>
            {(() => {
              const { key, vars } = failureText(run.report.failure);
              return t(key, vars);
            })()}
          </p>
        </div>
      )}
      {run.step === "done" && run.report.ok && (
        <div className="panel success" role="status" data-testid="access-log-result">
          {run.report.latest ? (
            <>
              <p>
                {t("auditLog.ok", { batches: run.report.batches, entries: run.report.entries })}
              </p>
              <p>
                {t("auditLog.root", { count: run.report.latest.size })}{" "}
                <Reveal label={t("audit.root")} value={run.report.latest.root} />{" "}
                {explorer ? (
                  <a
                    href={`${explorer}/tx/${run.report.latest.transactionHash}`}
                    rel="noreferrer"
                    target="_blank"
                  >
                    {t("audit.tx")}
                  </a>
                ) : (
                  <Reveal label={t("audit.tx")} value={run.report.latest.transactionHash} />
                )}
              </p>
            </>
          ) : (
            <p>{t("auditLog.none")}</p>
          )}
          {run.report.unanchored > 0 && (
            <p>{t("auditLog.unanchored", { count: run.report.unanchored })}</p>
          )}
        </div>
      )}
    </section>
  );
}
