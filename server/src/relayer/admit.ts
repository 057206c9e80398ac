/**
 * Admitting a checked relay: the budget, the rate limits and the insert that follows them are decided one at a
 * time — within this process by a queue, across processes sharing the store under one transaction-scoped lock —
 * so several processes share the gas budget exactly.
 */
import type { Address, Hex } from "viem";
import {
  claimGrantIds,
  replayKeyOf,
  requestJson,
  signerOf,
  type RelayRequest,
} from "@datacoop/protocol/typedData";
import type { Db } from "../store/db.ts";
import { checkRateLimit, HOUR_MS, type RelayContext } from "./checks.ts";
import { RelayerError } from "./errors.ts";
import type { RelayerLimits } from "./relayer.ts";
import { insertRelay, liveClaimOf, lockBudget, spending } from "./store.ts";

/** A relay that passed every check, priced, ready to be stored and sent. */
export interface PricedRelay {
  id: string;
  request: RelayRequest;
  contract: Address;
  digest: Hex;
  calldata: Hex;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
}

/** Runs tasks one after another, in the order they were given (a failed task does not stop the next). */
export function createQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let gate: Promise<unknown> = Promise.resolve();
  return function exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = gate.then(task);
    gate = run.catch(() => undefined);
    return run;
  };
}

/** The start of the budget's period (null: the budget covers everything ever relayed from this store). */
export function budgetSince(limits: RelayerLimits, now: () => number): Date | null {
  return limits.budgetPeriodHours > 0 ? new Date(now() - limits.budgetPeriodHours * HOUR_MS) : null;
}

/**
 * Stores the relay as pending, under the budget lock, after checking once more what another request could have
 * changed since: the member's rate limits, a claim of the same shares, the budget left and the relayer's balance.
 */
export async function admitRelay(ctx: RelayContext, db: Db, relay: PricedRelay): Promise<void> {
  const { client, chainId, account, limits, now } = ctx;
  const { request, contract } = relay;
  const signer = signerOf(request);
  const cost = relay.gasLimit * relay.maxFeePerGas;
  await db.transaction(async (tx) => {
    await lockBudget(tx, chainId);
    await checkRateLimit(ctx, tx, request);
    if (request.kind === "claim") {
      const live = await liveClaimOf(tx, chainId, contract, signer, claimGrantIds(request));
      if (live) {
        throw new RelayerError(
          409,
          "already_relayed",
          `A claim of these shares is already relayed (relay ${live}).`,
          { id: live },
        );
      }
    }
    const { spent, reserved } = await spending(tx, chainId, budgetSince(limits, now));
    const left = limits.gasBudgetWei - spent - reserved;
    if (cost > left) {
      throw new RelayerError(
        402,
        "budget_exhausted",
        `The relayer's gas budget is spent: this relay may cost ${cost} wei, ${left > 0n ? left : 0n} wei are left. Send the transaction yourself, or ask the co-op's operator.`,
        {
          budgetWei: limits.gasBudgetWei.toString(),
          spentWei: spent.toString(),
          reservedWei: reserved.toString(),
          neededWei: cost.toString(),
        },
      );
    }
    const balance = await client.getBalance({ address: account.address });
    if (balance < cost + reserved) {
      throw new RelayerError(
        503,
        "relayer_underfunded",
        `The relayer's account ${account.address} holds too little ETH to pay for this relay; the operator must fund it.`,
      );
    }
    try {
      await insertRelay(tx, {
        id: relay.id,
        kind: request.kind,
        chainId,
        contract,
        signer,
        nonce: replayKeyOf(request),
        digest: relay.digest,
        request: requestJson(request),
        calldata: relay.calldata,
        gasLimit: relay.gasLimit,
        maxFeePerGas: relay.maxFeePerGas,
        maxPriorityFeePerGas: relay.maxPriorityFeePerGas,
        createdAt: new Date(now()),
      });
    } catch (error) {
      if (/relayer_relays_live_nonce|duplicate key/i.test((error as Error).message)) {
        throw new RelayerError(409, "already_relayed", "This signature is already being relayed.");
      }
      throw error;
    }
  });
}
