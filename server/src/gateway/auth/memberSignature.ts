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
import { getAddress, type Address, type Hex } from "viem";
import { z } from "@hono/zod-openapi";
import type { Queryable } from "../../store/db.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import {
  addressField,
  checkDeadline,
  checkGatewaySignature,
  consumeNonce,
  uintField,
} from "./partnerAuth.ts";
import { MAX_SIGNATURE_BYTES, type AccountChecker } from "./accountSignature.ts";
import { batchSchema, type Contribution } from "../records/records.ts";
import {
  contributionMessage,
  contributionTypes,
  gatewayDomain,
  type GatewayDomainConfig,
} from "@datacoop/protocol/typedData";

/** The body of POST /gateway/datasets/{datasetId}/records/signed: it checks the body and documents it. */
/**
 * A member's signature: a wallet's 65 (or 64) bytes, or a contract account's own encoding (a passkey
 * account's WebAuthn assertion, ERC-6492-wrapped while the account is not deployed yet).
 */
export const memberSignatureField = z
  .string()
  .regex(/^0x(?:[0-9a-fA-F]{2})+$/, "0x-hex bytes")
  .max(2 + 2 * MAX_SIGNATURE_BYTES, `at most ${MAX_SIGNATURE_BYTES} bytes`)
  .openapi({
    description:
      "The EIP-712 signature, 0x-hex: a wallet's 65 bytes, low-s (EIP-2), or a contract account's signature " +
      "(ERC-1271 once deployed; ERC-6492-wrapped with its factory's deployment call before), at most " +
      `${MAX_SIGNATURE_BYTES} bytes.`,
  });

export const signedContributionSchema = z
  .strictObject({
    signer: addressField.openapi({ description: "The member's address (the signer)." }),
    records: batchSchema.shape.records,
    nonce: uintField.openapi({ description: "Any uint256, accepted once per signer." }),
    deadline: uintField.openapi({
      description: "Unix seconds; in the future, at most an hour ahead.",
    }),
    signature: memberSignatureField,
  })
  .openapi("SignedContribution", {
    description: "A batch of records with the member's EIP-712 signature of Contribution.",
    example: {
      signer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      records: [
        {
          recordId: "2026-05-field-3",
          values: { region: "north", crop: "maize", yield_kg: 4210 },
        },
      ],
      nonce: "1",
      deadline: "1777640400",
      signature: `0x${"11".repeat(64)}1b`,
    },
  });

export type SignedContributionBody = z.infer<typeof signedContributionSchema>;

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
  accounts?: AccountChecker,
): Promise<SignedContribution> {
  const parsed = signedContributionSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError(400, "batch_invalid", z.prettifyError(parsed.error));
  return verifyContribution(parsed.data, datasetId, config, nowSeconds, accounts);
}

/**
 * Checks a body that {@link signedContributionSchema} accepted: its deadline and signature (401). With
 * `accounts`, a contract account's signature counts too (accountSignature.ts).
 */
export async function verifyContribution(
  r: SignedContributionBody,
  datasetId: bigint,
  config: GatewayDomainConfig,
  nowSeconds: bigint,
  accounts?: AccountChecker,
): Promise<SignedContribution> {
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
    undefined,
    accounts,
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
