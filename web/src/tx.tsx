/**
 * Every on-chain action goes through here: first the person reads what they are about to sign, then the
 * wallet asks, then we wait for the chain. Never sends when the wallet is on another network. An action may
 * instead be signed as typed data and sent by the co-op's relayer (no fee for the member): then the review
 * shows the signed message itself, and the wait follows the relay into its block.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { Hash } from "viem";
import { useConfig, useConnection } from "wagmi";
import { waitForTransactionReceipt } from "wagmi/actions";
import { useAppConfig } from "./appConfig.tsx";
import { type ReadableError, readableError } from "./lib/errors.ts";
import { RelayError, type RelayProgress } from "./lib/relayer.ts";
import type { SignedField } from "./lib/signedMessage.ts";

export type TxRequest =
  | {
      /** What the action does, in plain words. */
      summary: string;
      /** Sends the transaction and resolves to its hash; called only on the co-op's chain. */
      send: (chainId: number) => Promise<Hash>;
    }
  | {
      summary: string;
      /** What the typed data says, field by field, shown before the wallet asks. */
      signs: readonly SignedField[];
      /** The relayer sends it with nothing to sign (collecting a member's fees pays only the member). */
      unsigned?: boolean;
      /** Signs, hands the signature to the relayer and follows the relay into its block. */
      relay: (
        chainId: number,
        progress: (p: RelayProgress) => void,
      ) => Promise<{ hash: Hash; blockNumber: bigint }>;
    };

export type TxState =
  | { phase: "idle" }
  | { phase: "review"; request: TxRequest }
  | { phase: "wallet"; request: TxRequest }
  | { phase: "relaying"; request: TxRequest; id: string }
  | { phase: "mining"; request: TxRequest; hash: Hash }
  | { phase: "success"; request: TxRequest; hash: Hash; blockNumber: bigint }
  | { phase: "error"; request: TxRequest; error: ReadableError };

export function useTx(onSuccess?: (done: { hash: Hash; blockNumber: bigint }) => void) {
  const wagmiConfig = useConfig();
  const { deployment } = useAppConfig();
  const connection = useConnection();
  const queryClient = useQueryClient();
  const [state, setState] = useState<TxState>({ phase: "idle" });
  const busy = state.phase === "wallet" || state.phase === "relaying" || state.phase === "mining";

  // The control that opened the review gets the focus back when the panel closes (WCAG 2.4.3).
  const opener = useRef<HTMLElement | null>(null);
  const review = useCallback((request: TxRequest) => {
    if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body)
      opener.current = document.activeElement;
    setState({ phase: "review", request });
  }, []);
  const reset = useCallback(() => {
    setState({ phase: "idle" });
    restoreFocus(opener.current);
  }, []);

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
      if ("relay" in request) {
        const mined = await request.relay(deployment.chainId, (p) =>
          setState(
            p.status === "sent"
              ? { phase: "mining", request, hash: p.hash }
              : { phase: "relaying", request, id: p.id },
          ),
        );
        setState({ phase: "success", request, ...mined });
        await queryClient.invalidateQueries();
        onSuccess?.(mined);
      } else {
        const hash = await request.send(deployment.chainId);
        setState({ phase: "mining", request, hash });
        const receipt = await waitForTransactionReceipt(wagmiConfig, {
          hash,
          chainId: deployment.chainId,
        });
        if (receipt.status !== "success") throw new Error("The transaction was reverted.");
        setState({ phase: "success", request, hash, blockNumber: receipt.blockNumber });
        await queryClient.invalidateQueries();
        onSuccess?.({ hash, blockNumber: receipt.blockNumber });
      }
    } catch (error) {
      setState({
        phase: "error",
        request,
        error: error instanceof RelayError ? error.readable : readableError(error),
      });
    }
  }, [state, connection.chainId, deployment.chainId, wagmiConfig, queryClient, onSuccess]);

  return { state, busy, review, confirm, reset };
}

export type Tx = ReturnType<typeof useTx>;

/** Puts the focus back on `element` once React has re-rendered, or on the page's heading if it is gone. */
export function restoreFocus(element: HTMLElement | null) {
  requestAnimationFrame(() => {
    const target =
      element?.isConnected && !(element as HTMLButtonElement).disabled
        ? element
        : document.querySelector<HTMLElement>("main h1");
    if (target && target.tabIndex < 0 && !target.matches("a, button, input, select, textarea"))
      target.tabIndex = -1;
    target?.focus();
  });
}
