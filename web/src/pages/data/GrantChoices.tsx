/** Grant by grant: leave any one grant out of my consent, or follow my consent per purpose again. */
import { useConfig, useConnection } from "wagmi";
import { signTypedData, writeContract } from "wagmi/actions";
import { consentAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { GaslessChoice } from "../../components/GaslessChoice.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import { useWhoText, Who } from "../../components/Who.tsx";
import { decisionTimeAndDeadline, useGasless } from "../../gasless.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useGrants, useMemberConsents } from "../../indexer.ts";
import { grantChoiceRequestBody, grantChoiceTypedData, relayAndWait } from "../../lib/relayer.ts";
import { grantChoiceFields } from "../../lib/signedMessage.ts";
import { useCoopName } from "../../coop.ts";
import { useTx } from "../../tx.tsx";

export function GrantChoices() {
  const { t, rich, purpose } = useI18n();
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const grants = useGrants({ active: true }).data?.items ?? [];
  const consents = useMemberConsents(me).data;
  const tx = useTx();
  const gasless = useGasless("grantChoice");
  const coop = useCoopName();
  const who = useWhoText();
  if (grants.length === 0) return null;

  function choose(grantId: bigint, partner: string, next: 0 | 2) {
    const summary = t(next === 2 ? "choices.optOut.summary" : "choices.reset.summary", {
      grant: grantId,
      partner: who(partner),
    });
    const domain = gasless.domain;
    if (gasless.on && domain && me) {
      tx.review({
        summary,
        signs: grantChoiceFields(t, { coop, domain, member: who(me), me }, grantId, next),
        relay: async (chainId, progress) => {
          const choice = {
            member: me,
            grantId,
            choice: next,
            ...(await decisionTimeAndDeadline(wagmiConfig, chainId)),
          };
          const signature = await signTypedData(wagmiConfig, {
            ...grantChoiceTypedData(domain, choice),
            account: me,
          });
          return relayAndWait(
            gasless.relayer.base,
            "/grant-choices",
            grantChoiceRequestBody(choice, signature),
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
          functionName: "setGrantChoice",
          args: [grantId, next],
          chainId,
        }),
    });
  }
  return (
    <div className="panel">
      <h2>{t("choices.title")}</h2>
      <p className="hint">{t("choices.intro")}</p>
      <GaslessChoice gasless={gasless} label="choices.gasless.label" />
      <ul className="cards" data-testid="grant-choices">
        {grants.map((g) => {
          const choice =
            consents?.choices.find((c) => c.grantId === g.grantId)?.choice ?? "Default";
          const p = PURPOSES.find((x) => x.bit === g.purpose);
          const next: 0 | 2 = choice === "OptOut" ? 0 : 2;
          return (
            <li key={g.grantId}>
              <p>
                {rich("choices.grant", {
                  grant: g.grantId,
                  partner: <Who address={g.partner} />,
                  purpose: p ? purpose(p.key).label : "—",
                })}
              </p>
              <p className="hint">{t(`choices.state.${choice}`)}</p>
              <button
                type="button"
                className={choice === "OptOut" ? undefined : "danger"}
                disabled={!onChain || tx.busy}
                onClick={() => choose(BigInt(g.grantId), g.partner, next)}
              >
                {t(next === 2 ? "choices.optOut" : "choices.reset")}
              </button>
            </li>
          );
        })}
      </ul>
      <TxPanel tx={tx} />
    </div>
  );
}
