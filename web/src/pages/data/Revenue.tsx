/**
 * My share of fees: what I received, what waits to be collected (equal split or by use), per grant;
 * collected from my own wallet, or — without paying a fee — by the co-op's relayer, one share or all of
 * them in one request (Revenue.claim pays only the member, whoever sends it, so nothing is signed).
 */
import { useQuery } from "@tanstack/react-query";
import { useConfig, useConnection } from "wagmi";
import { writeContract } from "wagmi/actions";
import { revenueAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../../appConfig.tsx";
import { BarChart } from "../../components/BarChart.tsx";
import { GaslessChoice } from "../../components/GaslessChoice.tsx";
import { useOnCoopChain } from "../../components/NetworkGuard.tsx";
import { TxPanel } from "../../components/TxPanel.tsx";
import { useWhoText } from "../../components/Who.tsx";
import { useGasless } from "../../gasless.ts";
import { useI18n } from "../../i18n/i18n.tsx";
import { useMemberClaims, useRevenue } from "../../indexer.ts";
import { proofsUrl } from "../../lib/accessLogAudit.ts";
import { byUseGrantsToAsk, byUseShares } from "../../lib/byUse.ts";
import { type ClaimItem, claimRequestBody, relayAndWait } from "../../lib/relayer.ts";
import { useTx } from "../../tx.tsx";

type Share = { grantId: string; amount: bigint; claim: ClaimItem; byUse?: { units: number } };

export function Revenue() {
  const { t, fmt } = useI18n();
  const { deployment, indexerUrl } = useAppConfig();
  const wagmiConfig = useConfig();
  const me = useConnection().address;
  const onChain = useOnCoopChain();
  const who = useWhoText();
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
  const gasless = useGasless("claim");
  const shares: Share[] = [
    ...(claims?.claimable ?? [])
      .filter((c) => BigInt(c.amount) > 0n)
      .map((c) => ({
        grantId: c.grantId,
        amount: BigInt(c.amount),
        claim: { grantId: BigInt(c.grantId) },
      })),
    ...(byUse.data ?? []).map((s) => ({
      grantId: s.grantId,
      amount: s.amount,
      claim: { grantId: BigInt(s.grantId), amount: s.amount, proof: s.proof },
      byUse: { units: s.units },
    })),
  ];
  const waiting = (claims?.claimable ?? []).reduce((s, c) => s + BigInt(c.amount), 0n);
  const points = (claims?.claims ?? []).map((c) => ({
    label: t("revenue.grantShort", { grant: c.grantId }),
    value: Number(BigInt(c.amount) / 10n ** 12n) / 1e6,
  }));

  function collect(items: Share[]) {
    const amount = items.reduce((s, x) => s + x.amount, 0n);
    const one = items.length === 1 ? items[0] : undefined;
    const summary = one
      ? t(one.byUse ? "revenue.byUse.summary" : "revenue.claim.summary", {
          amount: fmt.eth(one.amount),
          grant: one.grantId,
        })
      : t("revenue.claimAll.summary", { amount: fmt.eth(amount), count: items.length });
    if (gasless.on && me) {
      tx.review({
        summary,
        unsigned: true,
        signs: [],
        relay: (_chainId, progress) =>
          relayAndWait(
            gasless.relayer.base,
            "/claims",
            claimRequestBody(
              me,
              items.map((x) => x.claim),
            ),
            progress,
          ),
      });
      return;
    }
    if (!one) return;
    const c = one.claim;
    tx.review({
      summary,
      send: (chainId) =>
        c.amount !== undefined
          ? writeContract(wagmiConfig, {
              address: deployment.contracts.revenue,
              abi: revenueAbi,
              functionName: "claim",
              args: [c.grantId, me!, c.amount, [...(c.proof ?? [])]],
              chainId,
            })
          : writeContract(wagmiConfig, {
              address: deployment.contracts.revenue,
              abi: revenueAbi,
              functionName: "claim",
              args: [c.grantId, me!],
              chainId,
            }),
    });
  }

  return (
    <div className="panel">
      <h2>{t("revenue.title")}</h2>
      {claims && (
        <p data-testid="revenue-summary">
          {t("revenue.summary", {
            claimed: fmt.eth(BigInt(claims.claimed)),
            claimable: fmt.eth(waiting),
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
      {shares.length > 0 && <GaslessChoice gasless={gasless} label="revenue.gasless.label" />}
      <ul className="cards">
        {shares.map((share) => (
          <li
            key={`${share.byUse ? "by-use" : "equal"}-${share.grantId}`}
            data-testid={share.byUse ? `by-use-${share.grantId}` : `share-${share.grantId}`}
          >
            <p>
              {share.byUse
                ? t("revenue.byUse.grant", {
                    grant: share.grantId,
                    amount: fmt.eth(share.amount),
                    count: share.byUse.units,
                  })
                : t("revenue.grant", { grant: share.grantId, amount: fmt.eth(share.amount) })}
            </p>
            <button
              type="button"
              className="primary"
              disabled={!onChain || tx.busy}
              onClick={() => collect([share])}
            >
              {t("revenue.claim")}
            </button>
          </li>
        ))}
      </ul>
      {/* Several shares in one go only through the relayer: on-chain, each is its own transaction. */}
      {gasless.on && shares.length > 1 && (
        <p>
          <button
            type="button"
            className="primary"
            disabled={!onChain || tx.busy}
            onClick={() => collect(shares)}
            data-testid="claim-all"
          >
            {t("revenue.claimAll", {
              amount: fmt.eth(shares.reduce((s, x) => s + x.amount, 0n)),
            })}
          </button>
        </p>
      )}
      {me && gasless.on && <p className="hint">{t("revenue.paidTo", { who: who(me) })}</p>}
      {byUse.isError && (
        <p className="error" role="alert">
          {t("revenue.byUse.unavailable")}
        </p>
      )}
      <TxPanel tx={tx} />
    </div>
  );
}
