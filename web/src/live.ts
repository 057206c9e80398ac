/** Keeps on-chain reads fresh: refetches whenever the chain has a new block. */
import { useEffect } from "react";
import { useBlockNumber } from "wagmi";
import { useAppConfig } from "./appConfig.tsx";

export function useRefetchOnBlock(refetch: () => unknown) {
  const { deployment } = useAppConfig();
  const { data: blockNumber } = useBlockNumber({ watch: true, chainId: deployment.chainId });
  useEffect(() => {
    if (blockNumber !== undefined) void refetch();
  }, [blockNumber, refetch]);
}
