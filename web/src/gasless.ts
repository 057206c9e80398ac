/** The co-op's relayer, when the indexer runs one: members may then act without paying gas. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { type Config, useBalance, useConnection, useReadContract } from "wagmi";
import { getBlock } from "wagmi/actions";
import { consentAbi, governorAbi } from "@datacoop/protocol/abis.generated";
import { useAppConfig } from "./appConfig.tsx";
import { gatewayFetch } from "./lib/gateway.ts";
import {
  canProposeBySig,
  type RelayerInfo,
  relayerAccepts,
  relayerUrl,
  type RelayPath,
  signatureDeadline,
} from "./lib/relayer.ts";
import { type Eip712Domain } from "@datacoop/protocol/typedData";

export function useRelayer() {
  const { indexerUrl } = useAppConfig();
  const base = relayerUrl(indexerUrl);
  const info = useQuery({
    queryKey: ["relayer", base],
    queryFn: () => gatewayFetch<RelayerInfo>(base, "", { service: "relayer" }),
    retry: false,
    staleTime: 60_000,
  });
  return { base, info: info.data };
}

/** What a member may have the relayer send: the relay path, and the contract whose domain they sign in. */
const KINDS = {
  vote: { path: "votes", contract: "governor" },
  consent: { path: "consents", contract: "consent" },
  grantChoice: { path: "grant-choices", contract: "consent" },
  propose: { path: "proposals", contract: "governor" },
  // Revenue.claim pays only the member, whoever sends it: nothing to sign.
  claim: { path: "claims", contract: null },
} as const satisfies Record<string, { path: RelayPath; contract: "governor" | "consent" | null }>;
export type GaslessKind = keyof typeof KINDS;

/**
 * Whether to act through the relayer: offered when it runs and accepts this kind of request (and, for a
 * proposal, when the governor has `proposeBySig`), ticked from the start for a member with no ETH (who
 * could not pay the fee anyway), and the member's own choice after that. `domain` is the EIP-712 domain of
 * the contract they sign for (the co-op's governor or consent registry) as the contract itself states it
 * (ERC-5267), not as the relayer reports it: a signature is only ever good for the co-op's own contract.
 */
export function useGasless(kind: GaslessKind) {
  const { deployment } = useAppConfig();
  const me = useConnection().address;
  const relayer = useRelayer();
  const { path, contract } = KINDS[kind];
  const offered =
    relayerAccepts(relayer.info, path) && (kind !== "propose" || canProposeBySig(governorAbi));
  const balance = useBalance({
    address: me,
    chainId: deployment.chainId,
    query: { enabled: me !== undefined && offered },
  });
  const read = useReadContract({
    address: deployment.contracts[contract ?? "governor"],
    abi: contract === "consent" ? consentAbi : governorAbi,
    functionName: "eip712Domain",
    chainId: deployment.chainId,
    query: { enabled: offered && contract !== null, staleTime: Infinity },
  });
  const domain: Eip712Domain | undefined = read.data && {
    name: read.data[1],
    version: read.data[2],
    chainId: Number(read.data[3]),
    verifyingContract: read.data[4],
  };
  const [choice, setChoice] = useState<boolean | undefined>(undefined);
  const ready = offered && (contract === null || domain !== undefined);
  const on = ready && (choice ?? balance.data?.value === 0n);
  return { relayer, domain, on, offered: ready, set: setChoice };
}

/**
 * The time of a signed consent change or grant choice and its deadline: now on the chain's clock (the registry
 * refuses a time in its future, and takes a change only if it is later than the member's latest decision) and an
 * hour ahead of the later of the chain's clock and the wall clock.
 */
export async function decisionTimeAndDeadline(
  wagmiConfig: Config,
  chainId: number,
): Promise<{ signedAt: bigint; deadline: bigint }> {
  const block = await getBlock(wagmiConfig, { chainId });
  return { signedAt: block.timestamp, deadline: signatureDeadline(block.timestamp, Date.now()) };
}
