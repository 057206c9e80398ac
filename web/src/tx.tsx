/**
 * Every on-chain action goes through here: first the person reads what they are about to sign, then the
 * wallet asks, then we wait for the chain. Never sends when the wallet is on another network.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { Hash } from "viem";
import { useConfig, useConnection } from "wagmi";
import { waitForTransactionReceipt } from "wagmi/actions";
import { useAppConfig } from "./appConfig.tsx";
import { type ReadableError, readableError } from "./lib/errors.ts";

export type TxRequest = {
  /** What the action does, in plain words. */
  summary: string;
  /** Sends the transaction and resolves to its hash; called only on the co-op's chain. */
  send: (chainId: number) => Promise<Hash>;
};

export type TxState =
  | { phase: "idle" }
  | { phase: "review"; request: TxRequest }
  | { phase: "wallet"; request: TxRequest }
  | { phase: "mining"; request: TxRequest; hash: Hash }
  | { phase: "success"; request: TxRequest; hash: Hash; blockNumber: bigint }
  | { phase: "error"; request: TxRequest; error: ReadableError };

export function useTx(onSuccess?: () => void) {
  const wagmiConfig = useConfig();
  const { deployment } = useAppConfig();
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [state, setState] = useState<TxState>({ phase: "idle" });
  const busy = state.phase === "wallet" || state.phase === "mining";

  const review = useCallback((request: TxRequest) => setState({ phase: "review", request }), []);
  const reset = useCallback(() => setState({ phase: "idle" }), []);

  const confirm = useCallback(async () => {
    if (state.phase !== "review" && state.phase !== "error") return;
    const { request } = state;
    if (connection.chainId !== deployment.chainId) {
      setState({
        phase: "error",
        request,
        error: { kind: "chain", message: `chain ${connection.chainId ?? "?"}` },
      });
      return;
    }
    setState({ phase: "wallet", request });
    try {
      const hash = await request.send(deployment.chainId);
      setState({ phase: "mining", request, hash });
      const receipt = await waitForTransactionReceipt(wagmiConfig, {
        hash,
        chainId: deployment.chainId,
      });
      if (receipt.status !== "success") throw new Error("The transaction was reverted.");
      setState({ phase: "success", request, hash, blockNumber: receipt.blockNumber });
      await queryClient.invalidateQueries();
      onSuccess?.();
    } catch (error) {
      setState({ phase: "error", request, error: readableError(error) });
    }
  }, [state, connection.chainId, deployment.chainId, wagmiConfig, queryClient, onSuccess]);

  return { state, busy, review, confirm, reset };
}

export type Tx = ReturnType<typeof useTx>;
