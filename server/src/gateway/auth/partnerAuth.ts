/**
 * Partners' signed requests. A partner signs EIP-712 typed data whose domain binds the gateway to one
 * chain and one registry — { name "DataCoop Gateway", version "1", chainId, verifyingContract: the
 * DataAccessRegistry } — and whose message binds the grant, the dataset, the hash of the query (keccak256 of
 * its canonical JSON), a nonce and a deadline. A signature for another chain, registry, grant, dataset or
 * query does not verify; a nonce is accepted once; a request past its deadline is refused.
 */
import * as secp from "tiny-secp256k1";
import {
  domainSeparator,
  getAddress,
  hashTypedData,
  hexToBytes,
  keccak256,
  stringToHex,
  verifyTypedData,
  type Address,
  type Hex,
} from "viem";
import { z } from "@hono/zod-openapi";
import type { Queryable } from "../../store/db.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { querySchema } from "@datacoop/protocol/query";
import { GatewayError } from "@datacoop/protocol/errors";
import { HIGH_S_MESSAGE, SECP256K1_HALF_N } from "@datacoop/protocol/signature";
import {
  gatewayDomain,
  queryRequestTypes,
  type GatewayDomainConfig,
} from "@datacoop/protocol/typedData";
import { accountSigned, refuseHighS, type AccountChecker } from "./accountSignature.ts";

/** Longest a signed request may be valid for, so that used nonces can be forgotten after it. */
export const MAX_DEADLINE_SECONDS = 3600;

/** An address in a signed body (any case; checksums are not required). */
export const addressField = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "an address");

/** A uint256 in a signed body: a decimal string, or a safe JSON number; parsed to a bigint. */
export const uintField = z
  .union([
    z
      .string()
      .regex(/^(0|[1-9]\d{0,77})$/)
      .openapi({ description: "A decimal integer." }),
    z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .openapi({ description: "A safe integer." }),
  ])
  .transform((v) => BigInt(v))
  .refine((v) => v < 1n << 256n, "above uint256");

/** An EIP-712 signature in a signed body: 64 (compact) or 65 bytes of hex. */
export const signatureField = z
  .string()
  .regex(/^0x([0-9a-fA-F]{128}|[0-9a-fA-F]{130})$/, "a 64- or 65-byte signature")
  .openapi({ description: "The EIP-712 signature, 0x-hex, low-s (EIP-2)." });

/**
 * The body of POST /gateway/query: the schema that checks it is the one the OpenAPI document shows. A
 * query that does not fit the query language is the query's fault (query_invalid), anything else a
 * malformed request (invalid_request).
 */
export const signedQuerySchema = z
  .strictObject({
    signer: addressField.openapi({
      description: "The partner's address (the signer, the grantee).",
    }),
    grantId: uintField.openapi({ description: "The grant (the access request's id)." }),
    datasetId: uintField.openapi({ description: "The grant's dataset." }),
    query: querySchema,
    nonce: uintField.openapi({ description: "Any uint256, accepted once per signer." }),
    deadline: uintField.openapi({
      description: "Unix seconds; in the future, at most an hour ahead.",
    }),
    signature: signatureField,
  })
  .openapi("SignedQuery", {
    description: "A query with the partner's EIP-712 signature of QueryRequest.",
    example: {
      signer: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
      grantId: "1",
      datasetId: "1",
      query: { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }] },
      nonce: "1",
      deadline: "1777640400",
      signature: `0x${"22".repeat(64)}1c`,
    },
  });

export type SignedQuery = z.infer<typeof signedQuerySchema>;

/** Whether every issue of a failed signed-query check is in its query (query_invalid, not invalid_request). */
export function onlyTheQuery(error: z.ZodError): boolean {
  return error.issues.every((i) => i.path[0] === "query");
}

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
  if (!parsed.success) {
    const code = onlyTheQuery(parsed.error) ? "query_invalid" : "invalid_request";
    throw new GatewayError(400, code, z.prettifyError(parsed.error));
  }
  return verifyQueryRequest(parsed.data, (body as { query: unknown }).query, config, nowSeconds);
}

/**
 * Checks the deadline and the signature (401) of an envelope {@link signedQuerySchema} accepted, over
 * `query` as it was sent (the signature is over its canonical JSON, not over the parsed query).
 */
export async function verifyQueryRequest(
  r: SignedQuery,
  query: unknown,
  config: GatewayDomainConfig,
  nowSeconds: bigint,
): Promise<VerifiedRequest> {
  let queryHash: Hex;
  try {
    queryHash = canonicalHash(query);
  } catch {
    throw new GatewayError(400, "invalid_request", "The query is not plain JSON.");
  }
  checkDeadline(r.deadline, nowSeconds, "request");
  const signer = getAddress(r.signer);
  const message = {
    grantId: r.grantId,
    datasetId: r.datasetId,
    queryHash,
    nonce: r.nonce,
    deadline: r.deadline,
  };
  await checkGatewaySignature(
    {
      address: signer,
      domain: gatewayDomain(config),
      types: queryRequestTypes,
      primaryType: "QueryRequest",
      message,
      signature: r.signature as Hex,
    },
    "this request, chain and registry",
    queryRequestDigest(config, message),
  );
  return {
    signer,
    grantId: r.grantId,
    datasetId: r.datasetId,
    query,
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

const UINT256_END = 1n << 256n;
const QUERY_REQUEST_TYPE_HASH = keccak256(
  stringToHex(
    `QueryRequest(${queryRequestTypes.QueryRequest.map((f) => `${f.type} ${f.name}`).join(",")})`,
  ),
);
/** The domain separator per chain and registry (hashed once, not for every request). */
const separators = new Map<string, Uint8Array>();

const word = (out: Uint8Array, at: number, x: bigint) => {
  for (let i = 31; i >= 0; i--) {
    out[at + i] = Number(x & 0xffn);
    x >>= 8n;
  }
};

/**
 * The EIP-712 digest of a query request, as viem's `hashTypedData` computes it (a test holds them equal)
 * with the domain separator kept per domain and the struct's five words encoded directly: the gateway
 * hashes one per partner query. Undefined for a value outside uint256 (the general path then refuses it).
 */
export function queryRequestDigest(
  config: GatewayDomainConfig,
  m: { grantId: bigint; datasetId: bigint; queryHash: Hex; nonce: bigint; deadline: bigint },
): Hex | undefined {
  const numbers = [m.grantId, m.datasetId, m.nonce, m.deadline];
  if (numbers.some((x) => x < 0n || x >= UINT256_END) || !/^0x[0-9a-fA-F]{64}$/.test(m.queryHash)) {
    return undefined;
  }
  const key = `${config.chainId}:${config.registry.toLowerCase()}`;
  let separator = separators.get(key);
  if (!separator) {
    separator = hexToBytes(domainSeparator({ domain: gatewayDomain(config) }));
    if (separators.size >= 16) separators.clear();
    separators.set(key, separator);
  }
  const struct = new Uint8Array(32 * 6);
  struct.set(hexToBytes(QUERY_REQUEST_TYPE_HASH), 0);
  word(struct, 32, m.grantId);
  word(struct, 64, m.datasetId);
  struct.set(hexToBytes(m.queryHash), 96);
  word(struct, 128, m.nonce);
  word(struct, 160, m.deadline);
  const envelope = new Uint8Array(66);
  envelope[0] = 0x19;
  envelope[1] = 0x01;
  envelope.set(separator, 2);
  envelope.set(hexToBytes(keccak256(struct)), 34);
  return keccak256(envelope);
}

/**
 * The address that signed `digest` with a 65-byte low-s signature, recovered by libsecp256k1 (compiled to
 * WebAssembly: several times faster than recovery in JavaScript, and every partner query needs one).
 * Undefined for any other form, which the caller then checks the slower, general way.
 */
export function recoverSigner(digest: Hex, signature: Hex): Address | null | undefined {
  if (signature.length !== 132) return undefined;
  const bytes = hexToBytes(signature);
  const v = bytes[64];
  if (v !== 0 && v !== 1 && v !== 27 && v !== 28) return undefined;
  const recovery = v === 27 || v === 0 ? 0 : 1;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  if (s === 0n || s > SECP256K1_HALF_N) return undefined;
  let key: Uint8Array | null;
  try {
    key = secp.recover(hexToBytes(digest), bytes.subarray(0, 64), recovery, false);
  } catch {
    return null;
  }
  if (!key) return null;
  return `0x${keccak256(key.subarray(1)).slice(26)}`;
}

/**
 * 401 `bad_signature` unless the typed data is signed by `address` (a malformed signature too); 401
 * `signature_high_s` for the high-s twin of a wallet's signature (lowS.ts). With `accounts`, a contract
 * account's signature is accepted too (ERC-1271 deployed, ERC-6492 not yet: accountSignature.ts), asked of
 * the chain only when recovering a wallet's signature did not give the address.
 */
export async function checkGatewaySignature(
  typed: Parameters<typeof verifyTypedData>[0],
  boundTo: string,
  /** The typed data's digest when the caller computed it already (queryRequestDigest). */
  digest?: Hex,
  accounts?: AccountChecker,
): Promise<void> {
  const signature = typed.signature as Hex;
  if (await refuseHighS(accounts, typed.address, signature)) {
    throw new GatewayError(401, "signature_high_s", HIGH_S_MESSAGE);
  }
  const hash = digest ?? hashTypedData(typed);
  let valid: boolean;
  let fast: Address | null | undefined;
  try {
    fast = recoverSigner(hash, signature);
  } catch {
    fast = null;
  }
  if (fast === undefined) {
    valid = signature.length <= 132 && (await verifyTypedData(typed).catch(() => false));
  } else valid = fast != null && fast.toLowerCase() === typed.address.toLowerCase();
  if (!valid && accounts) valid = await accountSigned(accounts, typed.address, hash, signature);
  if (!valid) {
    throw new GatewayError(
      401,
      "bad_signature",
      `The signature is not the signer's for ${boundTo}.`,
    );
  }
}
