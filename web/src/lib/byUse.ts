/**
 * Revenue by use: for a grant whose fee is split by how much each member's data was used, the gateway's
 * operator posts a Merkle distribution and serves each member's share with its proof
 * (`/proofs/allocations/{grant}/members/{address}`); the member claims it with `Revenue.claim(grant,
 * member, amount, proof)`, which checks the proof against the posted root.
 */
import type { Address, Hex } from "viem";
import { GatewayError, gatewayFetch } from "./gateway.ts";
import type { ApiClaim, ApiRevenue } from "./indexerApi.ts";

export type ByUseShare = { grantId: string; amount: bigint; units: number; proof: Hex[] };

/** The by-use grants that may still hold a share for the member: those they have not claimed from. */
export function byUseGrantsToAsk(
  revenue: readonly ApiRevenue[],
  claims: readonly ApiClaim[],
): string[] {
  const claimed = new Set(claims.map((c) => c.grantId));
  return revenue.filter((r) => r.mode === "ByUse" && !claimed.has(r.grantId)).map((r) => r.grantId);
}

/**
 * The member's share of each grant whose distribution is posted on-chain. A grant not yet distributed, or
 * one in which the member has no share, gives nothing; any other gateway error is thrown.
 */
export async function byUseShares(
  proofsBase: string,
  grantIds: readonly string[],
  member: Address,
): Promise<ByUseShare[]> {
  const shares: ByUseShare[] = [];
  for (const grantId of grantIds) {
    try {
      const allocation = await gatewayFetch<{ status: string }>(
        proofsBase,
        `/allocations/${grantId}`,
      );
      if (allocation.status !== "posted") continue;
      const share = await gatewayFetch<{ amount: string; units: number; proof: Hex[] }>(
        proofsBase,
        `/allocations/${grantId}/members/${member.toLowerCase()}`,
      );
      if (BigInt(share.amount) > 0n)
        shares.push({
          grantId,
          amount: BigInt(share.amount),
          units: share.units,
          proof: share.proof,
        });
    } catch (error) {
      if (error instanceof GatewayError && error.status === 404) continue;
      throw error;
    }
  }
  return shares;
}
