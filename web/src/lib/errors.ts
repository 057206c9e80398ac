/**
 * Turns whatever a wallet or the chain threw into what a person can read: viem's short message and, when the
 * contract reverted with a custom error, its name and arguments decoded against the co-op's ABIs. Never a
 * stack trace.
 */
import {
  type Abi,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  type Hex,
  HttpRequestError,
  InsufficientFundsError,
  TimeoutError,
  UserRejectedRequestError,
} from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import { GatewayError, type Service } from "./gateway.ts";

export type ErrorKind = "rejected" | "reverted" | "chain" | "funds" | "network" | "other";

export type ReadableError = {
  kind: ErrorKind;
  /** viem's shortMessage (or the error's first line): for logs and tests, never shown to a member. */
  message: string;
  /** The decoded custom error, e.g. `ConsentRegistryInvalidMask(256)`. */
  customError?: string;
  /** The custom error's name alone, e.g. `ConsentRegistryInvalidMask`. */
  errorName?: string;
  /** The relayer's or the gateway's refusal code, e.g. `rate_limited`. */
  code?: string;
  /** Which service sent `code`: the same code is worded by that service's meaning. */
  service?: Service;
};

/** Every custom error of the co-op's contracts, for revert data that arrives undecoded. */
const errorsAbi: Abi = Object.values(ABIS)
  .flat()
  .filter((item) => item.type === "error");

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `[${value.map(formatArg).join(", ")}]`;
  return JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function formatCustomError(name: string, args: readonly unknown[] | undefined): string {
  return `${name}(${(args ?? []).map(formatArg).join(", ")})`;
}

function firstLine(text: string): string {
  return text.split("\n")[0].trim();
}

/** Decodes raw revert data against the co-op's errors; undefined when it is not one of them. */
export function decodeRevertData(data: Hex): string | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: errorsAbi, data });
    return formatCustomError(errorName, args);
  } catch {
    return undefined;
  }
}

function findRevertData(error: BaseError): Hex | undefined {
  const found = error.walk((e) => {
    const data = (e as { data?: unknown }).data;
    return typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data);
  }) as { data?: Hex } | null;
  return found?.data;
}

/** The name of a formatted custom error: `Name(args…)` → `Name`. */
export function errorNameOf(customError: string): string {
  return customError.split("(")[0];
}

function reverted(message: string, customError: string): ReadableError {
  return { kind: "reverted", message, customError, errorName: errorNameOf(customError) };
}

export function readableError(error: unknown): ReadableError {
  if (error instanceof GatewayError)
    return { kind: "other", message: error.message, code: error.code, service: error.service };
  if (!(error instanceof BaseError)) {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    // fetch() failing (offline, server down) is a TypeError.
    if (error instanceof TypeError && /fetch|network/i.test(message))
      return { kind: "network", message };
    return { kind: "other", message };
  }
  const message = firstLine(error.shortMessage || error.message);
  if (error.walk((e) => e instanceof UserRejectedRequestError))
    return { kind: "rejected", message };
  if (error.walk((e) => (e as BaseError).name === "ChainMismatchError"))
    return { kind: "chain", message };
  if (error.walk((e) => e instanceof InsufficientFundsError)) return { kind: "funds", message };
  const revert = error.walk(
    (e) => e instanceof ContractFunctionRevertedError,
  ) as ContractFunctionRevertedError | null;
  if (revert?.data?.errorName && revert.data.errorName !== "Error")
    return reverted(message, formatCustomError(revert.data.errorName, revert.data.args));
  const data = revert?.raw ?? findRevertData(error);
  const customError = data ? decodeRevertData(data) : undefined;
  if (customError) return reverted(message, customError);
  if (revert) return { kind: "reverted", message };
  if (error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError))
    return { kind: "network", message };
  return { kind: "other", message };
}
