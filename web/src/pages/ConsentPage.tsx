/**
 * My standing consent, purpose by purpose: change it, or withdraw everything in one go; on-chain from the
 * member's wallet, or signed and sent by the co-op's relayer when the member would rather not pay the fee.
 */
import { useEffect, useState } from "react";
import { useConfig, useConnection, useReadContracts } from "wagmi";
import { signTypedData, writeContract } from "wagmi/actions";
import { consentAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../appConfig.tsx";
import { GaslessChoice } from "../components/GaslessChoice.tsx";
import { useWhoText } from "../components/Who.tsx";
import { useCoopName, useDocumentTitle } from "../coop.ts";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { decisionTimeAndDeadline, useGasless } from "../gasless.ts";
import { hasPurpose, maskChanges, withPurpose } from "../lib/consentMask.ts";
import { consentRequestBody, consentTypedData, relayAndWait } from "../lib/relayer.ts";
import { consentFields } from "../lib/signedMessage.ts";
import { useRefetchOnBlock } from "../live.ts";
import { useTx } from "../tx.tsx";

export function ConsentPage() {
  const { t, purpose, fmt } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const reads = useReadContracts({
    allowFailure: false,
    contracts: me
      ? ([
          {
            address: deployment.contracts.consent,
            abi: consentAbi,
            functionName: "consentOf",
            args: [me],
            chainId: deployment.chainId,
          },
          {
            address: deployment.contracts.membership,
            abi: membershipAbi,
            functionName: "isMember",
            args: [me],
            chainId: deployment.chainId,
          },
        ] as const)
      : [],
    query: { enabled: me !== undefined },
  });
  useRefetchOnBlock(reads.refetch);
  const [onChainMask, isMember] = (reads.data ?? []) as readonly [bigint?, boolean?];
  const [draft, setDraft] = useState<bigint | undefined>(undefined);
  // A new reading from the chain replaces the draft once it is saved (or when it was never edited).
  useEffect(() => setDraft(undefined), [onChainMask, me]);
  const tx = useTx(() => setDraft(undefined));
  const current = draft ?? onChainMask;
  const changes =
    onChainMask !== undefined && current !== undefined
      ? maskChanges(onChainMask, current)
      : { granted: [], withdrawn: [] };
  const dirty = changes.granted.length + changes.withdrawn.length > 0;
  const canWrite = onChain && isMember === true && !tx.busy;
  const gasless = useGasless("consent");
  const coop = useCoopName();
  const who = useWhoText();
  useDocumentTitle(t("consent.title"));

  function save(mask: bigint, summary: string) {
    const domain = gasless.domain;
    if (gasless.on && domain && me) {
      tx.review({
        summary,
        signs: consentFields(t, purpose, { coop, domain, member: who(me), me }, mask),
        relay: async (chainId, progress) => {
          const consent = {
            member: me,
            mask,
            ...(await decisionTimeAndDeadline(wagmiConfig, chainId)),
          };
          const signature = await signTypedData(wagmiConfig, {
            ...consentTypedData(domain, consent),
            account: me,
          });
          return relayAndWait(
            gasless.relayer.base,
            "/consents",
            consentRequestBody(consent, signature),
            progress,
          );
        },
      });
      return;
    }
    tx.review({
      summary,
      send: (chainId) =>
        writeContract(wagmiConfig, {
          address: deployment.contracts.consent,
          abi: consentAbi,
          functionName: "setConsent",
          args: [mask],
          chainId,
        }),
    });
  }

  const names = (keys: readonly (typeof PURPOSES)[number]["key"][]) =>
    fmt.list(keys.map((k) => purpose(k).label));

  return (
    <section aria-labelledby="consent-title">
      <h1 id="consent-title">{t("consent.title")}</h1>
      <p className="hint">{t("consent.intro")}</p>
      {!me && <p className="hint">{t("membership.connectFirst")}</p>}
      {me && reads.isError && (
        <p className="error" role="alert">
          {t("read.failed")}
        </p>
      )}
      {me && isMember === false && <p className="panel warning">{t("consent.membersOnly")}</p>}
      {/* Without a wallet the purposes are still listed, so anyone can read what they would allow. */}
      {(!me || current !== undefined) && (
        <>
          {me && current !== undefined && (
            <GaslessChoice gasless={gasless} label="consent.gasless.label" />
          )}
          {me && current !== undefined && (
            <div className="actions">
              <button
                type="button"
                className="danger"
                disabled={!canWrite || onChainMask === 0n}
                onClick={() => save(0n, t("consent.summary.withdrawAll"))}
              >
                {t("consent.withdrawAll")}
              </button>
            </div>
          )}
          <ul className="purposes">
            {PURPOSES.map((p) => {
              const text = purpose(p.key);
              const checked = current !== undefined && hasPurpose(current, p.bit);
              const saved = onChainMask !== undefined && hasPurpose(onChainMask, p.bit);
              return (
                <li key={p.key} className="purpose">
                  <label className="toggle">
                    <input
                      type="checkbox"
                      role="switch"
                      checked={checked}
                      disabled={!canWrite}
                      data-purpose={p.key}
                      aria-describedby={`purpose-${p.bit}-desc`}
                      onChange={(e) =>
                        setDraft(withPurpose(current ?? 0n, p.bit, e.target.checked))
                      }
                    />
                    <span className="toggle-text">
                      <span className="purpose-label">{text.label}</span>
                      {onChainMask !== undefined && (
                        <span
                          className={`badge ${saved ? "on" : "off"}`}
                          data-testid={`saved-${p.key}`}
                        >
                          {saved ? t("consent.allowed") : t("consent.notAllowed")}
                        </span>
                      )}
                    </span>
                  </label>
                  <p className="hint" id={`purpose-${p.bit}-desc`}>
                    {text.description}
                  </p>
                </li>
              );
            })}
          </ul>
          {me && current !== undefined && (
            // Kept in view while there are unsaved changes, so they are not forgotten.
            <div className={dirty ? "actions sticky" : "actions"}>
              <button
                type="button"
                className="primary"
                disabled={!canWrite || !dirty}
                onClick={() =>
                  save(
                    current,
                    [
                      changes.granted.length > 0 &&
                        t("consent.summary.allow", { purposes: names(changes.granted) }),
                      changes.withdrawn.length > 0 &&
                        t("consent.summary.withdraw", { purposes: names(changes.withdrawn) }),
                    ]
                      .filter(Boolean)
                      .join(" "),
                  )
                }
              >
                {t("consent.save")}
              </button>
              {dirty && (
                <button type="button" onClick={() => setDraft(undefined)} disabled={tx.busy}>
                  {t("consent.undo")}
                </button>
              )}
            </div>
          )}
        </>
      )}
      <TxPanel tx={tx} />
    </section>
  );
}
