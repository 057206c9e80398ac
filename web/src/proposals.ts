/**
 * Proposals read from the governor's ProposalCreated events. The indexer's read API will serve these lists
 * for large co-ops; reading the events directly keeps the dApp working on its own against a local chain.
 */
import { useQuery } from "@tanstack/react-query";
import { usePublicClient } from "wagmi";
import { governorAbi } from "../../shared/abis.generated.ts";
import { useAppConfig } from "./appConfig.tsx";

export type ProposalSummary = {
  id: bigint;
  proposer: string;
  description: string;
  blockNumber: bigint;
};

export function useProposalEvents() {
  const { deployment } = useAppConfig();
  const client = usePublicClient({ chainId: deployment.chainId });
  return useQuery({
    queryKey: ["proposal-events", deployment.chainId, deployment.contracts.governor],
    enabled: client !== undefined,
    queryFn: async (): Promise<ProposalSummary[]> => {
      const logs = await client!.getContractEvents({
        address: deployment.contracts.governor,
        abi: governorAbi,
        eventName: "ProposalCreated",
        fromBlock: BigInt(deployment.startBlock),
        strict: true,
      });
      return logs
        .map((log) => ({
          id: log.args.proposalId,
          proposer: log.args.proposer,
          description: log.args.description,
          blockNumber: log.blockNumber,
        }))
        .reverse();
    },
  });
}
