/**
 * Canonical JSON (RFC 8785 for the values JSON carries): keys sorted by UTF-16 code units, no whitespace,
 * numbers as ECMAScript prints them. The gateway hashes schema documents and partners' queries this way,
 * so the dApp must produce the same bytes (the unit tests compare with the gateway's own function).
 */
import { type Hex, keccak256, stringToHex } from "viem";

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

/** keccak256 of the canonical JSON's UTF-8 bytes. */
export function canonicalHash(value: unknown): Hex {
  return keccak256(stringToHex(canonicalJson(value)));
}
