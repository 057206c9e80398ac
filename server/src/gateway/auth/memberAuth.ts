/**
 * Members sign in with Ethereum (EIP-4361): the gateway hands out a nonce (single use, short-lived), the
 * member's wallet signs a message naming this gateway's domain, URI and chain, and the gateway answers with
 * a session token (random, stored only as a hash, with an expiry). Each check has its own refusal: another
 * domain, URI or chain, a used or unknown nonce, an expired or not-yet-valid message, a wrong signature.
 */
import { createHash, randomBytes } from "node:crypto";
import { getAddress, hashMessage, isHex, verifyMessage, type Address } from "viem";
import {
  MAX_SIGNATURE_BYTES,
  accountSigned,
  refuseHighS,
  type AccountChecker,
} from "./accountSignature.ts";
import { parseSiweMessage, validateSiweMessage } from "viem/siwe";
import type { Queryable } from "../../store/db.ts";
import { GatewayError, type CodeWithStatus } from "@datacoop/protocol/errors";
import { HIGH_S_MESSAGE } from "@datacoop/protocol/signature";

export interface SiweConfig {
  /**
   * Judges contract accounts' signatures (a passkey account: ERC-1271 once deployed, ERC-6492 before);
   * without it only wallets sign in. A wallet's signature never reaches the chain.
   */
  accounts?: AccountChecker;
  /** The RFC 3986 authority members sign for, e.g. "coop.example" or "localhost:8787". */
  domain: string;
  /** The gateway's origin, e.g. "https://coop.example". */
  uri: string;
  chainId: number;
  /** How long a nonce may be used (default 5 minutes). */
  nonceTtlSeconds?: number;
  /** How long a session lasts (default 12 hours). */
  sessionTtlSeconds?: number;
}

export interface Session {
  token: string;
  address: Address;
  expiresAt: Date;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const unauthorized = (code: CodeWithStatus<401>, message: string) =>
  new GatewayError(401, code, message);

export async function issueNonce(
  db: Queryable,
  config: SiweConfig,
  now = new Date(),
): Promise<string> {
  const nonce = randomBytes(16).toString("hex");
  const expires = new Date(now.getTime() + (config.nonceTtlSeconds ?? 300) * 1000);
  await db.query("INSERT INTO gateway_siwe_nonces (nonce, expires_at) VALUES ($1, $2)", [
    nonce,
    expires,
  ]);
  // Amortised clean-up of nonces nobody used.
  if (nonce.startsWith("0")) {
    await db.query("DELETE FROM gateway_siwe_nonces WHERE expires_at < $1", [now]);
  }
  return nonce;
}

/**
 * Whether an address may hold a session (the routes: a member, a grantee, or a
 * former member who still holds records to see and erase).
 */
export type Standing = (address: Address) => Promise<boolean>;

/**
 * Verifies a signed SIWE message and opens a session for its address, if it has standing: otherwise a
 * 403 `no_standing`, and nothing is written (the nonce stays unused until it expires).
 */
export async function signIn(
  db: Queryable,
  config: SiweConfig,
  input: { message: unknown; signature: unknown },
  standing: Standing,
  now = new Date(),
): Promise<Session> {
  if (typeof input.message !== "string" || input.message.length > 4096) {
    throw new GatewayError(400, "siwe_invalid", "The message must be an EIP-4361 text.");
  }
  if (
    typeof input.signature !== "string" ||
    !isHex(input.signature) ||
    input.signature.length % 2 !== 0 ||
    input.signature.length < 132 ||
    input.signature.length > 2 + 2 * MAX_SIGNATURE_BYTES
  ) {
    throw new GatewayError(
      400,
      "siwe_invalid",
      `The signature must be hex: a wallet's 65 bytes, or a contract account's, at most ${MAX_SIGNATURE_BYTES}.`,
    );
  }
  const message = parseSiweMessage(input.message);
  if (
    !message.address ||
    !message.nonce ||
    !message.uri ||
    !message.issuedAt ||
    message.chainId === undefined
  ) {
    throw new GatewayError(
      400,
      "siwe_invalid",
      "The message lacks an address, URI, chain id, nonce or issue time.",
    );
  }
  if (message.domain !== config.domain) {
    throw unauthorized(
      "siwe_domain",
      `The message is for ${message.domain}, not ${config.domain}.`,
    );
  }
  let origin: string;
  try {
    origin = new URL(message.uri).origin;
  } catch {
    throw new GatewayError(400, "siwe_invalid", "The message's URI is not a URL.");
  }
  if (origin !== new URL(config.uri).origin) {
    throw unauthorized(
      "siwe_uri",
      `The message is for ${origin}, not ${new URL(config.uri).origin}.`,
    );
  }
  if (message.chainId !== config.chainId) {
    throw unauthorized(
      "siwe_chain",
      `The message is for chain ${message.chainId}, not ${config.chainId}.`,
    );
  }
  if (!validateSiweMessage({ message, domain: config.domain, time: now })) {
    throw unauthorized(
      "siwe_expired",
      "The message has expired, is not valid yet, or is malformed.",
    );
  }
  const issued = message.issuedAt.getTime();
  const nonceTtl = (config.nonceTtlSeconds ?? 300) * 1000;
  if (
    Number.isNaN(issued) ||
    issued > now.getTime() + 60_000 ||
    issued < now.getTime() - nonceTtl
  ) {
    throw unauthorized("siwe_expired", "The message was not issued just now.");
  }
  const address = getAddress(message.address);
  if (await refuseHighS(config.accounts, address, input.signature)) {
    throw unauthorized("signature_high_s", HIGH_S_MESSAGE);
  }
  // A wallet's signature is recovered locally; only then is a contract account asked (accountSignature.ts).
  let valid =
    input.signature.length === 132 &&
    (await verifyMessage({
      address,
      message: input.message,
      signature: input.signature,
    }).catch(() => false));
  if (!valid) {
    valid = await accountSigned(
      config.accounts,
      address,
      hashMessage(input.message),
      input.signature,
    );
  }
  if (!valid) throw unauthorized("bad_signature", "The signature is not this address's.");
  if (!(await standing(address))) {
    throw new GatewayError(
      403,
      "no_standing",
      "Only the co-op's members, its grantees, and former members who still hold records sign in.",
    );
  }
  const { rows } = await db.query(
    "DELETE FROM gateway_siwe_nonces WHERE nonce = $1 AND expires_at > $2 RETURNING 1",
    [message.nonce, now],
  );
  if (rows.length === 0) throw unauthorized("siwe_nonce", "The nonce is unknown, used or expired.");

  const token = randomBytes(32).toString("base64url");
  let expiresAt = new Date(now.getTime() + (config.sessionTtlSeconds ?? 12 * 3600) * 1000);
  if (message.expirationTime && message.expirationTime < expiresAt)
    expiresAt = message.expirationTime;
  await db.query(
    "INSERT INTO gateway_sessions (token_hash, address, expires_at) VALUES ($1, $2, $3)",
    [hashToken(token), address.toLowerCase(), expiresAt],
  );
  return { token, address, expiresAt };
}

/** The address of a live session, or a 401. */
export async function authenticate(
  db: Queryable,
  token: string | undefined,
  now = new Date(),
): Promise<Address> {
  if (!token || token.length > 100) throw unauthorized("session_missing", "Sign in first.");
  const { rows } = await db.query<{ address: string }>(
    "SELECT address FROM gateway_sessions WHERE token_hash = $1 AND expires_at > $2",
    [hashToken(token), now],
  );
  if (!rows[0]) throw unauthorized("session_invalid", "The session is unknown or has expired.");
  return getAddress(rows[0].address);
}

export async function signOut(db: Queryable, token: string): Promise<void> {
  await db.query("DELETE FROM gateway_sessions WHERE token_hash = $1", [hashToken(token)]);
}
