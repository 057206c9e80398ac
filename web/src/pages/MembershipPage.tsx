/** Am I a member, since when, how many we are; and for others, a way to apply. */
import { useState } from "react";
import { useConfig, useConnection, useReadContract, useReadContracts } from "wagmi";
import { writeContract } from "wagmi/actions";
import { membershipAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "../appConfig.tsx";
import { useDocumentTitle } from "../coop.ts";
import { useOnCoopChain } from "../components/NetworkGuard.tsx";
import { MemberDirectory } from "../components/MemberDirectory.tsx";
import { TxPanel } from "../components/TxPanel.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { isValidApplicationUri } from "../lib/format.ts";
import { useRefetchOnBlock } from "../live.ts";
import { useTx } from "../tx.tsx";

export function MembershipPage() {
  const { t, fmt } = useI18n();
  useDocumentTitle(t("membership.title"));
  const { deployment } = useAppConfig();
  const wagmiConfig = useConfig();
  const connection = useConnection();
  const onChain = useOnCoopChain();
  const membership = { address: deployment.contracts.membership, abi: membershipAbi } as const;
  const count = useReadContract({
    ...membership,
    functionName: "memberCount",
    chainId: deployment.chainId,
  });
  const me = connection.address;
  const mine = useReadContracts({
    allowFailure: false,
    contracts: me
      ? ([
          { ...membership, functionName: "isMember", args: [me], chainId: deployment.chainId },
          { ...membership, functionName: "memberIdOf", args: [me], chainId: deployment.chainId },
          { ...membership, functionName: "memberSince", args: [me], chainId: deployment.chainId },
        ] as const)
      : [],
    query: { enabled: me !== undefined },
  });
  useRefetchOnBlock(count.refetch);
  useRefetchOnBlock(mine.refetch);
  const [uri, setUri] = useState("");
  const [touched, setTouched] = useState(false);
  const tx = useTx(() => setUri(""));
  const uriOk = isValidApplicationUri(uri);

  const [isMember, memberId, since] = (mine.data ?? []) as readonly [boolean?, bigint?, bigint?];

  return (
    <section aria-labelledby="membership-title">
      <h1 id="membership-title">{t("membership.title")}</h1>
      <div className="panel stat">
        <span className="stat-label">{t("membership.count")}</span>
        <strong className="stat-value" data-testid="member-count">
          {count.data !== undefined ? fmt.count(count.data) : "…"}
        </strong>
      </div>
      {!me && <p className="hint">{t("membership.connectFirst")}</p>}
      {me && mine.isError && (
        <p className="error" role="alert">
          {t("read.failed")}
        </p>
      )}
      {me && mine.data && isMember && (
        <div className="panel member" data-testid="member-status">
          <p>
            <strong>{t("membership.youAreMember", { id: memberId ?? 0n })}</strong>
          </p>
          <p>{t("membership.since", { date: fmt.date(Number(since ?? 0n)) })}</p>
          <p className="hint">{t("membership.oneVote")}</p>
        </div>
      )}
      {me && mine.data && !isMember && (
        <div className="panel" data-testid="member-status">
          <p>
            <strong>{t("membership.notMember")}</strong>
          </p>
          {memberId !== undefined && memberId > 0n && (
            <p className="hint">{t("membership.formerMember", { id: memberId })}</p>
          )}
          <form
            className="apply"
            onSubmit={(e) => {
              e.preventDefault();
              setTouched(true);
              if (!uriOk) return;
              const value = uri.trim();
              tx.review({
                summary: t("membership.apply.summary", { uri: value }),
                send: (chainId) =>
                  writeContract(wagmiConfig, {
                    ...membership,
                    functionName: "applyForMembership",
                    args: [value],
                    chainId,
                  }),
              });
            }}
          >
            <label htmlFor="apply-uri">{t("membership.apply.label")}</label>
            <p className="hint" id="apply-uri-hint">
              {t("membership.apply.hint")}
            </p>
            <input
              id="apply-uri"
              type="text"
              inputMode="url"
              autoComplete="off"
              value={uri}
              aria-describedby="apply-uri-hint"
              aria-invalid={touched && !uriOk}
              onChange={(e) => setUri(e.target.value)}
              onBlur={() => setTouched(true)}
              placeholder="https://…"
            />
            {touched && !uriOk && (
              <p className="error" role="alert">
                {t("membership.apply.invalid")}
              </p>
            )}
            <button type="submit" className="primary" disabled={!onChain || tx.busy}>
              {t("membership.apply.submit")}
            </button>
          </form>
        </div>
      )}
      <TxPanel tx={tx} />
      <MemberDirectory />
    </section>
  );
}
