/**
 * The gateway's secrets and what it derives from them: per-grant pseudonyms (rows never show a member's
 * address) and access-log commitments (the log never shows one either, yet a member can find their
 * entries). Keyed hashes: without the key, nobody can link a pseudonym or a commitment to an address, or
 * the pseudonyms of one member across grants.
 */
import { createHmac, randomBytes } from "node:crypto";

export interface GatewayKeys {
  /** Keys row pseudonyms. */
  pseudonymKey: Uint8Array;
  /** Keys access-log commitments. */
  logKey: Uint8Array;
}

export function randomKeys(): GatewayKeys {
  return { pseudonymKey: randomBytes(32), logKey: randomBytes(32) };
}

/** Keys from one hex secret (at least 32 bytes), each with its own label. */
export function keysFromSecret(secretHex: string): GatewayKeys {
  const secret = Buffer.from(secretHex.replace(/^0x/, ""), "hex");
  if (secret.length < 32) throw new Error("The gateway secret must be at least 32 bytes of hex.");
  const derive = (label: string) => createHmac("sha256", secret).update(label).digest();
  return { pseudonymKey: derive("datacoop/pseudonym"), logKey: derive("datacoop/access-log") };
}

/** The member's pseudonym under a grant: stable within the grant, unlinkable across grants. */
export function pseudonym(keys: GatewayKeys, grantId: bigint, member: string): string {
  return createHmac("sha256", keys.pseudonymKey)
    .update(`${grantId}:${member.toLowerCase()}`)
    .digest("base64url")
    .slice(0, 22);
}

const commitments = new WeakMap<GatewayKeys, Map<string, string>>();

/** The member's commitment in the access log (memoised: the same members recur in every answer). */
export function memberCommitment(keys: GatewayKeys, member: string): string {
  let cache = commitments.get(keys);
  if (!cache) commitments.set(keys, (cache = new Map<string, string>()));
  const m = member.toLowerCase();
  let c = cache.get(m);
  if (c === undefined) {
    c = createHmac("sha256", keys.logKey).update(m).digest("hex").slice(0, 32);
    if (cache.size < 1_000_000) cache.set(m, c);
  }
  return c;
}
