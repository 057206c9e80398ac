/**
 * The co-op's relayer (indexer/src/relayer): a member without ETH signs a ballot (EIP-712, the governor's
 * own domain) and the relayer sends it with the co-op's gas. The pure parts (URL, typed data, reading a
 * relay's status) are unit-tested.
 */
import type { Address, Hash, Hex } from "viem";
import { gatewayFetch } from "./gateway.ts";

/** The relayer lives next to the read API: …/api → …/relayer. */
export function relayerUrl(indexerUrl: string): string {
  const base = indexerUrl.replace(/\/+$/, "");
  return /\/api$/.test(base) ? `${base.slice(0, -4)}/relayer` : `${base}/relayer`;
}

export type Eip712Domain = {
  name: string;
  version: string;
  chainId: number;
  verifyingContract: Address;
};

/** What `GET /relayer` says (the parts the dApp uses). */
export type RelayerInfo = {
  chainId: number;
  address: Address;
  budget: { leftWei: string };
  limits: { relaysPerMemberPerHour: number };
  domains: { governor: Eip712Domain; consent: Eip712Domain };
};

export type RelayStatus = {
  id: string;
  status: "pending" | "mined" | "failed";
  txHash: Hash | null;
  blockNumber: string | null;
  error: { code: string; message: string; name?: string; args?: unknown[] } | null;
};

export const BALLOT_TYPES = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
} as const;

/** The typed data of a ballot, in the governor's domain as the relayer read it from the contract. */
export function ballotTypedData(
  domain: Eip712Domain,
  ballot: { proposalId: bigint; support: number; voter: Address; nonce: bigint },
) {
  return {
    domain: { ...domain, chainId: Number(domain.chainId) },
    types: BALLOT_TYPES,
    primaryType: "Ballot" as const,
    message: ballot,
  };
}

/** The body of `POST /relayer/votes` (integers as decimal strings). */
export function voteRequestBody(
  ballot: { proposalId: bigint; support: number; voter: Address; nonce: bigint },
  signature: Hex,
): string {
  return JSON.stringify({
    voter: ballot.voter,
    proposalId: ballot.proposalId.toString(),
    support: ballot.support,
    nonce: ballot.nonce.toString(),
    signature,
  });
}

/** What a relay's status means for the person waiting: keep waiting, the transaction to watch, or why it failed. */
export function relayOutcome(
  relay: RelayStatus,
): { kind: "wait" } | { kind: "sent"; hash: Hash } | { kind: "failed"; message: string } {
  if (relay.status === "failed") {
    const error = relay.error;
    const reason = error?.name ? `${error.name}(${(error.args ?? []).join(", ")})` : undefined;
    return {
      kind: "failed",
      message: reason
        ? `${error?.message ?? "The relay failed."} ${reason}`
        : (error?.message ?? "The relay failed."),
    };
  }
  if (relay.txHash) return { kind: "sent", hash: relay.txHash };
  return { kind: "wait" };
}

/** Sends a signed ballot and resolves to its transaction's hash once the relayer has sent it. */
export async function relayVote(
  base: string,
  ballot: { proposalId: bigint; support: number; voter: Address; nonce: bigint },
  signature: Hex,
  options: { intervalMs?: number; timeoutMs?: number } = {},
): Promise<Hash> {
  const accepted = await gatewayFetch<{ id: string }>(base, "/votes", {
    method: "POST",
    body: voteRequestBody(ballot, signature),
  });
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const relay = await gatewayFetch<RelayStatus>(base, `/relays/${accepted.id}`);
    const outcome = relayOutcome(relay);
    if (outcome.kind === "sent") return outcome.hash;
    if (outcome.kind === "failed") throw new Error(outcome.message);
    if (Date.now() > deadline)
      throw new Error("The relayer has not sent the vote yet; try again later.");
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
  }
}
