/**
 * What the relayer checks before it spends anything, one function per check, cheapest first as `submit` calls
 * them (relayer.ts): the signature for the contract's own EIP-712 domain, the deadline, the order of a signed
 * change, what a claim still collects, the member's rate limits, and the call's simulation against the latest
 * block. Each throws a `RelayerError` with a stable code; none writes anything.
 */
import {
  getAddress,
  hashTypedData,
  recoverTypedDataAddress,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from "viem";
import { consentAbi, revenueAbi } from "@datacoop/protocol/abis.generated";
import { HIGH_S_MESSAGE, isHighS } from "@datacoop/protocol/signature";
import {
  claimGrantIds,
  signerOf,
  typedDataOf,
  type ClaimRequest,
  type Eip712Domain,
  type RelayKind,
  type RelayRequest,
  type SignedRelayRequest,
} from "@datacoop/protocol/typedData";
import type { Queryable } from "../store/db.ts";
import { RelayerError } from "./errors.ts";
import type { RelayerLimits } from "./relayer.ts";
import { decodeRevertData, describeRevert, revertDataOf, shortMessage } from "./revert.ts";
import { relaysSince } from "./store.ts";

/** What every check reads: the chain, the contracts, the relayer's key and limits, the clock. */
export interface RelayContext {
  client: PublicClient;
  chainId: number;
  contracts: { governor: Address; consent: Address; revenue: Address; membership: Address };
  /** The key that pays (its address simulates the call and holds the balance). */
  account: LocalAccount;
  limits: RelayerLimits;
  /** Wall clock in ms. */
  now: () => number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** What a kind is called in a sentence. */
export const WHAT: Record<RelayKind, string> = {
  vote: "ballot",
  consent: "consent change",
  grantChoice: "grant choice",
  proposal: "proposal",
  claim: "claim",
};

/** A contract's EIP-712 domain (ERC-5267), checked to name this chain and this contract. */
export async function readDomain(
  client: PublicClient,
  address: Address,
  abi: Abi,
  chainId: number,
): Promise<Eip712Domain> {
  const [, name, version, domainChainId, verifyingContract] = (await client.readContract({
    address,
    abi,
    functionName: "eip712Domain",
  })) as readonly [Hex, string, string, bigint, Address, Hex, readonly bigint[]];
  if (Number(domainChainId) !== chainId || getAddress(verifyingContract) !== getAddress(address)) {
    throw new Error(
      `The EIP-712 domain of ${address} names chain ${domainChainId} and contract ${verifyingContract}; expected chain ${chainId} and ${address}.`,
    );
  }
  return { name, version, chainId, verifyingContract: getAddress(verifyingContract) };
}

/**
 * The signer's own signature for this chain and this contract: an ECDSA signature that recovers to them (its
 * high-s twin refused), or a smart account's that it accepts (ERC-1271). Returns the typed data's digest.
 */
export async function checkSignature(
  ctx: RelayContext,
  request: SignedRelayRequest,
  domain: Eip712Domain,
): Promise<Hex> {
  const { client, chainId } = ctx;
  const signer = signerOf(request);
  const typed = typedDataOf(request, domain);
  const digest = hashTypedData(typed as Parameters<typeof hashTypedData>[0]);
  // The high-s twin of an ECDSA signature (EIP-2): refused before anything, as the contracts would
  // revert on it. A smart account's signature is its own to judge (ERC-1271), whatever its bytes.
  if (isHighS(request.signature)) {
    const code = await client.getCode({ address: signer }).catch(() => undefined);
    if (!code || code === "0x") throw new RelayerError(401, "signature_high_s", HIGH_S_MESSAGE);
    const ok = await client
      .verifyHash({ address: signer, hash: digest, signature: request.signature })
      .catch(() => false);
    if (ok) return digest;
    throw new RelayerError(401, "bad_signature", `The signature is not ${signer}'s.`);
  }
  let recovered: Address | undefined;
  try {
    recovered = await recoverTypedDataAddress({
      ...(typed as Parameters<typeof hashTypedData>[0]),
      signature: request.signature,
    });
  } catch {
    recovered = undefined;
  }
  if (recovered && getAddress(recovered) === signer) return digest;
  // A smart account signs with ERC-1271, as the contracts accept.
  const code = await client.getCode({ address: signer }).catch(() => undefined);
  if (code && code !== "0x") {
    const ok = await client
      .verifyHash({ address: signer, hash: digest, signature: request.signature })
      .catch(() => false);
    if (ok) return digest;
  }
  throw new RelayerError(
    401,
    "bad_signature",
    `The signature is not ${signer}'s for this ${WHAT[request.kind]} on chain ${chainId} (contract ${domain.verifyingContract}).`,
  );
}

/** A signed change (not a ballot, not a claim) must stay valid long enough to be mined. */
export async function checkDeadline(ctx: RelayContext, request: RelayRequest): Promise<void> {
  const { client, limits, now } = ctx;
  if (request.kind === "vote" || request.kind === "claim") return;
  const latest = await client.getBlock({ blockTag: "latest" });
  const clock = BigInt(Math.max(Math.floor(now() / 1000), Number(latest.timestamp)));
  if (request.deadline < clock + BigInt(limits.deadlineMarginSeconds)) {
    throw new RelayerError(
      422,
      "deadline_passed",
      request.deadline < clock
        ? `The signature expired at ${request.deadline} (now ${clock}).`
        : `The signature expires at ${request.deadline}, too soon to be mined (at least ${limits.deadlineMarginSeconds} s ahead).`,
    );
  }
}

/**
 * Refuses a signature the contract would refuse for its order, before anything is simulated: a ballot's nonce is
 * always 0 (the governor writes none; one vote per proposal refuses a replay), and a consent change or grant choice
 * must be later than the member's latest decision on that entry (so an old signature cannot undo a newer decision)
 * and not made before their current membership.
 */
export async function checkOrder(
  ctx: RelayContext,
  request: RelayRequest,
  contract: Address,
): Promise<void> {
  const { client } = ctx;
  const signer = signerOf(request);
  // A proposal is ordered by its existence (the same actions and description make the same proposal, which the
  // governor refuses twice); a claim by what is still owed (checkClaimable).
  if (request.kind === "proposal" || request.kind === "claim") return;
  if (request.kind === "vote") {
    if (request.nonce !== 0n) {
      throw new RelayerError(
        409,
        "nonce_not_current",
        `Ballots are signed with nonce 0 (the governor uses no nonces), not ${request.nonce}; sign again.`,
        { currentNonce: "0" },
      );
    }
    return;
  }
  const [stored, validFrom] = (await Promise.all([
    request.kind === "consent"
      ? client.readContract({
          address: contract,
          abi: consentAbi,
          functionName: "storedConsent",
          args: [signer],
        })
      : client.readContract({
          address: contract,
          abi: consentAbi,
          functionName: "storedGrantChoice",
          args: [signer, request.grantId],
        }),
    client.readContract({
      address: contract,
      abi: consentAbi,
      functionName: "membershipValidFrom",
      args: [signer],
    }),
  ])) as [readonly [bigint | number, number], number];
  const latest = BigInt(stored[1]);
  if (request.signedAt <= latest) {
    throw new RelayerError(
      409,
      "signature_outdated",
      `This ${request.kind === "consent" ? "consent change" : "grant choice"} was signed at ${request.signedAt}, not after ${signer}'s latest decision (${latest}): a later decision stands.`,
      { latestDecisionAt: latest.toString() },
    );
  }
  if (request.signedAt < BigInt(validFrom)) {
    throw new RelayerError(
      409,
      "signature_outdated",
      `This signature was made at ${request.signedAt}, before ${signer}'s current membership (from ${validFrom}).`,
      { membershipSince: String(validFrom) },
    );
  }
}

/**
 * A claim of nothing is refused before anything is simulated or sent: every share it names must still be owed to
 * the member (an equal split: `claimableOf` above 0; a share by use: not claimed yet — its proof is the
 * simulation's to judge).
 */
export async function checkClaimable(ctx: RelayContext, request: ClaimRequest): Promise<void> {
  const { client, contracts } = ctx;
  const owed = await Promise.all([
    ...request.equalGrantIds.map(
      async (grantId) =>
        (await client.readContract({
          address: contracts.revenue,
          abi: revenueAbi,
          functionName: "claimableOf",
          args: [grantId, request.member],
        })) > 0n,
    ),
    ...request.allocations.map(
      async (a) =>
        !(await client.readContract({
          address: contracts.revenue,
          abi: revenueAbi,
          functionName: "isClaimed",
          args: [a.grantId, request.member],
        })),
    ),
  ]);
  const ids = claimGrantIds(request);
  const nothing = ids.filter((_, i) => !owed[i]);
  if (nothing.length > 0) {
    throw new RelayerError(
      409,
      "nothing_to_claim",
      `${request.member} has nothing to collect from grant${nothing.length === 1 ? "" : "s"} ${nothing.join(", ")} (already collected, not a member when the fee came, or no such share). Nothing was sent.`,
      { grantIds: nothing.map(String) },
    );
  }
}

/** The member's hourly number of relays, and for claims and proposals their daily number of those. */
export async function checkRateLimit(
  ctx: RelayContext,
  q: Queryable,
  request: RelayRequest,
): Promise<void> {
  const { chainId, limits, now } = ctx;
  const signer = signerOf(request);
  const windows: { kind?: RelayKind; limit: number; ms: number; what: string }[] = [
    { limit: limits.relaysPerMemberPerHour, ms: HOUR_MS, what: "relays per member per hour" },
  ];
  if (request.kind === "claim") {
    windows.push({
      kind: "claim",
      limit: limits.claimsPerMemberPerDay,
      ms: DAY_MS,
      what: "claims per member per day",
    });
  }
  if (request.kind === "proposal") {
    windows.push({
      kind: "proposal",
      limit: limits.proposalsPerMemberPerDay,
      ms: DAY_MS,
      what: "proposals per member per day",
    });
  }
  for (const w of windows) {
    const { count, oldest } = await relaysSince(q, chainId, signer, new Date(now() - w.ms), w.kind);
    if (count >= w.limit) {
      const retryAfterSeconds = oldest
        ? Math.max(1, Math.ceil((oldest.getTime() + w.ms - now()) / 1000))
        : w.ms / 1000;
      throw new RelayerError(
        429,
        "rate_limited",
        `At most ${w.limit} ${w.what}; try again in ${retryAfterSeconds} s.`,
        { limit: w.limit, retryAfterSeconds },
      );
    }
  }
}

/** The call against the latest block: its gas estimate, or the decoded custom error it would revert with. */
export async function simulate(
  ctx: RelayContext,
  request: RelayRequest,
  contract: Address,
  data: Hex,
): Promise<bigint> {
  const { client, account } = ctx;
  try {
    return await client.estimateGas({ account: account.address, to: contract, data });
  } catch (error) {
    const revert = decodeRevertData(revertDataOf(error));
    if (revert) {
      throw new RelayerError(
        422,
        "would_revert",
        `The ${WHAT[request.kind]} would fail on chain: ${describeRevert(revert)}. Nothing was sent.`,
        { error: revert.name, args: revert.args },
      );
    }
    const message = shortMessage(error);
    if (/revert/i.test(message)) {
      throw new RelayerError(
        422,
        "would_revert",
        `The call would fail on chain: ${message}. Nothing was sent.`,
      );
    }
    throw new RelayerError(503, "chain_unavailable", `Cannot simulate the call: ${message}`);
  }
}
