/** The chain's clock, ticking every second (see estimateChainTime): countdowns follow the chain, not the wall. */
import { useEffect, useState } from "react";
import { useBlock } from "wagmi";
import { useAppConfig } from "./appConfig.tsx";
import { estimateChainTime } from "./lib/format.ts";

export function useChainNow(): number {
  const { deployment } = useAppConfig();
  const { data: block } = useBlock({ watch: true, chainId: deployment.chainId });
  const [seen, setSeen] = useState<{ timestamp: bigint; at: number } | undefined>(undefined);
  useEffect(() => {
    if (block) setSeen({ timestamp: block.timestamp, at: Date.now() });
  }, [block]);
  const [wall, setWall] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setWall(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return estimateChainTime(wall, seen?.timestamp, seen?.at);
}
