/** My share of fees: what I received, what waits to be collected (equal split or by use), per grant. */
import { useQuery } from "@tanstack/react-query";
import { useConfig, useConnection } from "wagmi";
import { writeContract } from "wagmi/actions";
import { revenueAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { BarChart } from "../../components/BarChart.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import { useI18n } from "../../i18n/i18n.tsx";
import { useMemberClaims, useRevenue } from "../../indexer.ts";
import { proofsUrl } from "../../lib/accessLogAudit.ts";
import { byUseGrantsToAsk, byUseShares } from "../../lib/byUse.ts";
import { useTx } from "../../tx.tsx";

export function Revenue() {
  const { t, fmt } = useI18n();
  const { deployment, indexerUrl } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const claims = useMemberClaims(me).data;
  const revenue = useRevenue().data;
  const toAsk = revenue && claims ? byUseGrantsToAsk(revenue.items, claims.claims) : [];
  // Shares by use come from the gateway's posted distributions, each with the proof the contract checks.
  const byUse = useQuery({
    queryKey: ["by-use", me, toAsk.join(",")],
    queryFn: () => byUseShares(proofsUrl(indexerUrl), toAsk, me!),
    enabled: me !== undefined && toAsk.length > 0,
  });
  const tx = useTx();
  const claimable = claims?.claimable.filter((c) => BigInt(c.amount) > 0n) ?? [];
  const total = claimable.reduce((s, c) => s + BigInt(c.amount), 0n);
  const points = (claims?.claims ?? []).map((c) => ({
    label: t("revenue.grantShort", { grant: c.grantId }),
    value: Number(BigInt(c.amount) / 10n ** 12n) / 1e6,
  }));
  return (
    <div className="panel">
      <h2>{t("revenue.title")}</h2>
      {claims && (
        <p data-testid="revenue-summary">
          {t("revenue.summary", {
            claimed: fmt.eth(BigInt(claims.claimed)),
            claimable: fmt.eth(total),
          })}
        </p>
      )}
      {points.length > 0 && (
        <BarChart
          title={t("revenue.chart")}
          points={points}
          format={(v) => `${fmt.number(v, 4)} ETH`}
        />
      )}
      <ul className="cards">
        {claimable.map((c) => (
          <li key={c.grantId}>
            <p>{t("revenue.grant", { grant: c.grantId, amount: fmt.eth(BigInt(c.amount)) })}</p>
            <button
              type="button"
              className="primary"
              disabled={!onChain || tx.busy}
              onClick={() =>
                tx.review({
                  summary: t("revenue.claim.summary", {
                    amount: fmt.eth(BigInt(c.amount)),
                    grant: c.grantId,
                  }),
                  send: (chainId) =>
                    writeContract(wagmiConfig, {
                      address: deployment.contracts.revenue,
                      abi: revenueAbi,
                      functionName: "claim",
                      args: [BigInt(c.grantId), me!],
                      chainId,
                    }),
                })
              }
            >
              {t("revenue.claim")}
            </button>
          </li>
        ))}
        {(byUse.data ?? []).map((share) => (
          <li key={`by-use-${share.grantId}`} data-testid={`by-use-${share.grantId}`}>
            <p>
              {t("revenue.byUse.grant", {
                grant: share.grantId,
                amount: fmt.eth(share.amount),
                count: share.units,
              })}
            </p>
            <button
              type="button"
              className="primary"
              disabled={!onChain || tx.busy}
              onClick={() =>
                tx.review({
                  summary: t("revenue.byUse.summary", {
                    amount: fmt.eth(share.amount),
                    grant: share.grantId,
                  }),
                  send: (chainId) =>
                    writeContract(wagmiConfig, {
                      address: deployment.contracts.revenue,
                      abi: revenueAbi,
                      functionName: "claim",
                      args: [BigInt(share.grantId), me!, share.amount, share.proof],
                      chainId,
                    }),
                })
              }
            >
              {t("revenue.claim")}
            </button>
          </li>
        ))}
      </ul>
      {byUse.isError && (
        <p className="error" role="alert">
          {t("revenue.byUse.unavailable")}
        </p>
      )}
      <TxPanel tx={tx} />
    </div>
  );
}
