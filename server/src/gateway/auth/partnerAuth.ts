/**
 * Partners' signed requests. A partner signs EIP-712 typed data whose domain binds the gateway to one
 * chain and one registry — { name "DataCoop Gateway", version "1", chainId, verifyingContract: the
 * DataAccessRegistry } — and whose message binds the grant, the dataset, the hash of the query (keccak256 of
 * its canonical JSON), a nonce and a deadline. A signature for another chain, registry, grant, dataset or
 * query does not verify; a nonce is accepted once; a request past its deadline is refused.
 */
import * as secp from "tiny-secp256k1";
import {
  getAddress,
  hashTypedData,
  hexToBytes,
  isAddress,
  isHex,
  keccak256,
  verifyTypedData,
  type Address,
  type Hex,
} from "viem";
import { z } from "zod";
import type { Queryable } from "../../store/db.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { GatewayError } from "@datacoop/protocol/errors";
import {
  gatewayDomain,
  queryRequestTypes,
  type GatewayDomainConfig,
} from "@datacoop/protocol/typedData";

/** Longest a signed request may be valid for, so that used nonces can be forgotten after it. */
export const MAX_DEADLINE_SECONDS = 3600;

const uint = z
  .union([
    z.string().regex(/^(0|[1-9]\d{0,77})$/),
    z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v < 1n << 256n, "above uint256");

export const signedQuerySchema = z.strictObject({
  /** The partner's address (the signer). */
  signer: z.string().refine((v) => isAddress(v, { strict: false }), "not an address"),
  grantId: uint,
  datasetId: uint,
  query: z.unknown(),
  nonce: uint,
  /** Unix seconds. */
  deadline: uint,
  signature: z
    .string()
    .refine((v) => isHex(v) && (v.length === 132 || v.length === 130), "not a 65-byte signature"),
});

export interface VerifiedRequest {
  signer: Address;
  grantId: bigint;
  datasetId: bigint;
  /** The query as sent (still to be parsed). */
  query: unknown;
  queryHash: Hex;
  nonce: bigint;
  deadline: bigint;
}

/**
 * Checks the envelope's shape (400) and its signature and deadline (401). Does not consume the nonce:
 * {@link consumeNonce} does, inside the decision's transaction.
 */
export async function verifySignedQuery(
  body: unknown,
  config: GatewayDomainConfig,
  nowSeconds: bigint,
): Promise<VerifiedRequest> {
  const parsed = signedQuerySchema.safeParse(body);
  if (!parsed.success)
    throw new GatewayError(400, "request_invalid", z.prettifyError(parsed.error));
  const r = parsed.data;
  if (r.query === undefined) throw new GatewayError(400, "request_invalid", "No query.");
  let queryHash: Hex;
  try {
    queryHash = canonicalHash(r.query);
  } catch {
    throw new GatewayError(400, "request_invalid", "The query is not plain JSON.");
  }
  checkDeadline(r.deadline, nowSeconds, "request");
  const signer = getAddress(r.signer);
  await checkGatewaySignature(
    {
      address: signer,
      domain: gatewayDomain(config),
      types: queryRequestTypes,
      primaryType: "QueryRequest",
      message: {
        grantId: r.grantId,
        datasetId: r.datasetId,
        queryHash,
        nonce: r.nonce,
        deadline: r.deadline,
      },
      signature: r.signature as Hex,
    },
    "this request, chain and registry",
  );
  return {
    signer,
    grantId: r.grantId,
    datasetId: r.datasetId,
    query: r.query,
    queryHash,
    nonce: r.nonce,
    deadline: r.deadline,
  };
}

/** Uses the nonce up (401 when it was used before); forgets nonces whose deadline has passed. */
export async function consumeNonce(
  tx: Queryable,
  request: Pick<VerifiedRequest, "signer" | "nonce" | "deadline">,
  nowSeconds: bigint,
): Promise<void> {
  const { rows } = await tx.query(
    `INSERT INTO gateway_partner_nonces (signer, nonce, deadline) VALUES ($1, $2, $3)
     ON CONFLICT (signer, nonce) DO NOTHING RETURNING 1`,
    [request.signer.toLowerCase(), request.nonce.toString(), request.deadline.toString()],
  );
  if (rows.length === 0) {
    throw new GatewayError(401, "nonce_reused", "This request was already received (nonce used).");
  }
  // Amortised clean-up: a used nonce only matters until its deadline.
  if (request.nonce % 64n === 0n) {
    await tx.query("DELETE FROM gateway_partner_nonces WHERE deadline < $1", [
      nowSeconds.toString(),
    ]);
  }
}

/** 401 unless `deadline` is still ahead, and at most {@link MAX_DEADLINE_SECONDS} ahead. */
export function checkDeadline(deadline: bigint, nowSeconds: bigint, what: string): void {
  if (deadline <= nowSeconds) {
    throw new GatewayError(
      401,
      "deadline_passed",
      `The ${what}'s deadline ${deadline} has passed.`,
    );
  }
  if (deadline > nowSeconds + BigInt(MAX_DEADLINE_SECONDS)) {
    throw new GatewayError(
      401,
      "deadline_too_far",
      `A deadline is at most ${MAX_DEADLINE_SECONDS} s ahead.`,
    );
  }
}

/** Half the secp256k1 group order: signatures with a larger s are the malleable twin of a low-s one. */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * The address that signed `digest` with a 65-byte low-s signature, recovered by libsecp256k1 (compiled to
 * WebAssembly: several times faster than recovery in JavaScript, and every partner query needs one).
 * Undefined for any other form, which the caller then checks the slower, general way.
 */
export function recoverSigner(digest: Hex, signature: Hex): Address | null | undefined {
  if (signature.length !== 132) return undefined;
  const bytes = hexToBytes(signature);
  const v = bytes[64]!;
  if (v !== 0 && v !== 1 && v !== 27 && v !== 28) return undefined;
  const recovery = v === 27 || v === 0 ? 0 : 1;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  if (s === 0n || s > HALF_N) return undefined;
  let key: Uint8Array | null;
  try {
    key = secp.recover(hexToBytes(digest), bytes.subarray(0, 64), recovery, false);
  } catch {
    return null;
  }
  if (!key) return null;
  return `0x${keccak256(key.subarray(1)).slice(26)}` as Address;
}

/** 401 `bad_signature` unless the typed data is signed by `address` (a malformed signature too). */
export async function checkGatewaySignature(
  typed: Parameters<typeof verifyTypedData>[0],
  boundTo: string,
): Promise<void> {
  let valid: boolean;
  let fast: Address | null | undefined;
  try {
    fast = recoverSigner(hashTypedData(typed), typed.signature as Hex);
  } catch {
    fast = null;
  }
  if (fast === undefined) valid = await verifyTypedData(typed).catch(() => false);
  else valid = fast !== null && fast.toLowerCase() === typed.address.toLowerCase();
  if (!valid) {
    throw new GatewayError(
      401,
      "bad_signature",
      `The signature is not the signer's for ${boundTo}.`,
    );
  }
}
