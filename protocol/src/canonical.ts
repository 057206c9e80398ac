/**
 * Canonical JSON (RFC 8785 / JCS for the values JSON can carry): object keys sorted by UTF-16 code units,
 * no whitespace, numbers as ECMAScript prints them. Used wherever a hash must not depend on how a client
 * happened to format its JSON: schema documents, query hashes, access-log entries.
 */
import { keccak256, stringToHex, type Hex } from "viem";

export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("Canonical JSON has no NaN or Infinity");
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "bigint":
      // Not JSON; callers that hash bigints write them as decimal strings.
      return JSON.stringify(value.toString());
    case "object": {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    default:
      throw new TypeError(`Canonical JSON cannot represent a ${typeof value}`);
  }
}

/** keccak256 of the UTF-8 bytes of the canonical JSON: what on-chain hashes and signed messages use. */
export function canonicalHash(value: unknown): Hex {
  return keccak256(stringToHex(canonicalJson(value)));
}
