/** The latest proposals, newest first, with their state read live from the governor. */
import { useReadContracts } from "wagmi";
import { governorAbi } from "../../../shared/abis.generated.ts";
import { useAppConfig } from "../appConfig.tsx";
import { useI18n } from "../i18n/i18n.tsx";
import { proposalStateName, proposalTitle } from "../lib/proposal.ts";
import { useRefetchOnBlock } from "../live.ts";
import { useProposalEvents } from "../proposals.ts";

const SHOWN = 20;

export function ProposalList() {
  const { t } = useI18n();
  const { deployment } = useAppConfig();
  const events = useProposalEvents();
  useRefetchOnBlock(events.refetch);
  const shown = (events.data ?? []).slice(0, SHOWN);
  const states = useReadContracts({
    contracts: shown.map((p) => ({
      address: deployment.contracts.governor,
      abi: governorAbi,
      functionName: "state" as const,
      args: [p.id] as const,
      chainId: deployment.chainId,
    })),
    query: { enabled: shown.length > 0 },
  });
  useRefetchOnBlock(states.refetch);

  if (events.isError)
    return (
      <p className="error" role="alert">
        {t("read.failed")}
      </p>
    );
  if (!events.data) return <p role="status">{t("read.loading")}</p>;
  if (shown.length === 0) return <p className="hint">{t("proposals.none")}</p>;
  return (
    <ul className="proposal-list">
      {shown.map((p, i) => {
        const result = states.data?.[i];
        const state =
          result?.status === "success" ? proposalStateName(Number(result.result)) : undefined;
        return (
          <li key={p.id.toString()}>
            <a href={`#/proposals/${p.id}`}>
              <span className="proposal-title">
                {proposalTitle(p.description) || t("proposals.untitled")}
              </span>
              {state && <span className={`badge state-${state}`}>{t(`state.${state}`)}</span>}
            </a>
          </li>
        );
      })}
    </ul>
  );
}
