/**
 * Names a failed call: the custom error (and its arguments) decoded against every co-op contract's ABI,
 * or Solidity's Error(string) / Panic(uint256).
 */
import { decodeErrorResult, isHex, type Abi, type AbiItem, type Hex } from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";

/** Every error any co-op contract can raise, once each. */
const errorsAbi: Abi = (() => {
  const seen = new Set<string>();
  const out: AbiItem[] = [];
  for (const abi of Object.values(ABIS)) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
})();

export interface DecodedRevert {
  /** The error's name, e.g. "GovernorAlreadyCastVote", "Error" or "Panic". */
  name: string;
  /** Its arguments: integers as decimal strings, addresses and bytes as hex. */
  args: unknown[];
}

function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Decodes revert data; undefined when it is empty or matches no known error. */
export function decodeRevertData(data: Hex | undefined): DecodedRevert | undefined {
  if (!data || data === "0x" || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: errorsAbi, data });
    return { name: decoded.errorName, args: ((decoded.args ?? []) as unknown[]).map(plain) };
  } catch {
    return undefined;
  }
}

/** The revert data carried somewhere in a viem error's chain of causes. */
export function revertDataOf(error: unknown): Hex | undefined {
  let e = error as Record<string, unknown> | undefined;
  for (let depth = 0; e && depth < 10; depth++) {
    for (const field of ["raw", "data"]) {
      const v = e[field];
      if (typeof v === "string" && isHex(v) && v.length >= 10) return v;
      if (v && typeof v === "object") {
        const inner = (v as { data?: unknown }).data;
        if (typeof inner === "string" && isHex(inner) && inner.length >= 10) return inner;
      }
    }
    e = e.cause as Record<string, unknown> | undefined;
  }
  return undefined;
}

/** A short, readable line for a decoded error: `Name(arg, arg)`. */
export function describeRevert(r: DecodedRevert): string {
  return `${r.name}(${r.args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(", ")})`;
}

/** viem's one-line message of an error, without the request dump. */
export function shortMessage(error: unknown): string {
  const e = error as { shortMessage?: string; message?: string };
  return (e.shortMessage ?? e.message ?? String(error)).split("\n")[0];
}
