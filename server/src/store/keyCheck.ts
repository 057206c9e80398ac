/**
 * The gateway secret a store was written with, checked at every start. Members find their accesses in the
 * log through keyed commitments, and partners' rows carry keyed pseudonyms: a store started with another
 * secret (a restore without it, a typo, a new machine) would show every member "no access" and give
 * partners new pseudonyms, silently. So the store keeps a fingerprint of the secret — a keyed hash that
 * reveals nothing of it — and a start with a different secret is refused, unless the operator says the new
 * secret is meant (ACCEPT_NEW_GATEWAY_SECRET=true, for one start: the earlier entries stay unfindable).
 */
import { createHmac } from "node:crypto";
import type { GatewayKeys } from "../gateway/auth/keys.ts";
import type { Db } from "./db.ts";

const KEY = "gateway_key_check";

/** A one-way fingerprint of the gateway's keys. */
export function keysFingerprint(keys: GatewayKeys): string {
  const mac = (key: Uint8Array) =>
    createHmac("sha256", key).update("datacoop/key-check").digest("hex").slice(0, 16);
  return `${mac(keys.logKey)}${mac(keys.pseudonymKey)}`;
}

export class KeyMismatchError extends Error {
  override name = "KeyMismatchError";
  readonly code = "gateway_secret_mismatch";
}

/**
 * Records the keys' fingerprint in a store that has none, checks it otherwise. Returns what it did.
 * Throws KeyMismatchError when the store was written with other keys and `acceptNew` is not set.
 */
export async function checkGatewayKeys(
  db: Db,
  keys: GatewayKeys,
  options: { acceptNew?: boolean } = {},
): Promise<"recorded" | "matched" | "replaced"> {
  const fingerprint = keysFingerprint(keys);
  const { rows } = await db.query<{ value: string }>(
    "SELECT value FROM store_meta WHERE key = $1",
    [KEY],
  );
  const stored = rows[0]?.value;
  if (stored === fingerprint) return "matched";
  if (stored !== undefined && !options.acceptNew) {
    throw new KeyMismatchError(
      "GATEWAY_SECRET is not the secret this store was written with: with it, members would find none of their earlier accesses and partners' pseudonyms would change. " +
        "Start with the store's own secret (the gateway-secret file of its backup, or the one kept beside its PGlite folder), " +
        "or, if that secret is lost for good, start once with ACCEPT_NEW_GATEWAY_SECRET=true (earlier entries stay in the log and its anchors, but no member can find theirs).",
    );
  }
  await db.query(
    `INSERT INTO store_meta (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [KEY, fingerprint],
  );
  return stored === undefined ? "recorded" : "replaced";
}
