/**
 * Contributions signed with EIP-712, for members whose client signs each batch instead of holding a
 * session (a phone app, a script, a relayer carrying a member's records). The member signs, in the
 * gateway's domain { name "DataCoop Gateway", version "1", chainId, verifyingContract: the
 * DataAccessRegistry } — the same as partners' queries —
 *
 *   Contribution(uint256 datasetId, bytes32 recordsHash, uint256 nonce, uint256 deadline)
 *   recordsHash = keccak256(UTF-8 of the canonical JSON of the records array, RFC 8785)
 *
 * so a signature stores exactly these records in exactly this dataset, once, before its deadline, on this
 * chain's co-op. Nonces are single-use per signer (the same table as partners' nonces).
 */
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { z } from "zod";
import type { Queryable } from "../../store/db.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import { checkDeadline, checkGatewaySignature, consumeNonce } from "./partnerAuth.ts";
import { contributionSchema, MAX_BATCH, type Contribution } from "../records/records.ts";
import {
  contributionMessage,
  contributionTypes,
  gatewayDomain,
  type GatewayDomainConfig,
} from "@datacoop/protocol/typedData";

const uint = z
  .union([
    z.string().regex(/^(0|[1-9]\d{0,77})$/),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v < 1n << 256n, "above uint256");

export const signedContributionSchema = z.strictObject({
  /** The member's address (the signer). */
  signer: z.string().refine((v) => isAddress(v, { strict: false }), "not an address"),
  records: z.array(contributionSchema).min(1).max(MAX_BATCH),
  nonce: uint,
  /** Unix seconds. */
  deadline: uint,
  signature: z
    .string()
    .refine((v) => isHex(v) && (v.length === 132 || v.length === 130), "not a 65-byte signature"),
});

export interface SignedContribution {
  signer: Address;
  records: Contribution[];
  nonce: bigint;
  deadline: bigint;
}

/**
 * Checks the body's shape (400), the deadline and the signature (401). The nonce is used up by
 * {@link useContributionNonce} in the transaction that stores the records.
 */
export async function verifySignedContribution(
  body: unknown,
  datasetId: bigint,
  config: GatewayDomainConfig,
  nowSeconds: bigint,
): Promise<SignedContribution> {
  const parsed = signedContributionSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError(400, "batch_invalid", z.prettifyError(parsed.error));
  const r = parsed.data;
  checkDeadline(r.deadline, nowSeconds, "batch");
  const signer = getAddress(r.signer);
  await checkGatewaySignature(
    {
      address: signer,
      domain: gatewayDomain(config),
      types: contributionTypes,
      primaryType: "Contribution",
      message: contributionMessage({
        datasetId,
        records: r.records,
        nonce: r.nonce,
        deadline: r.deadline,
      }),
      signature: r.signature as Hex,
    },
    "these records, this dataset, chain and registry",
  );
  return { signer, records: r.records, nonce: r.nonce, deadline: r.deadline };
}

/** Uses the batch's nonce up (401 `nonce_reused` when it was used before). */
export function useContributionNonce(
  tx: Queryable,
  c: SignedContribution,
  nowSeconds: bigint,
): Promise<void> {
  return consumeNonce(tx, { signer: c.signer, nonce: c.nonce, deadline: c.deadline }, nowSeconds);
}
