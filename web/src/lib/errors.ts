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
  UserRejectedRequestError,
} from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";

export type ErrorKind = "rejected" | "reverted" | "chain" | "other";

export type ReadableError = {
  kind: ErrorKind;
  /** viem's shortMessage (or the error's first line). */
  message: string;
  /** The decoded custom error, e.g. `ConsentRegistryInvalidMask(256)`. */
  customError?: string;
};

/** Every custom error of the co-op's contracts, for revert data that arrives undecoded. */
const errorsAbi: Abi = Object.values(ABIS)
  .flat()
  .filter((item) => item.type === "error") as Abi;

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
  return text.split("\n")[0]!.trim();
}

/** Decodes raw revert data against the co-op's errors; undefined when it is not one of them. */
export function decodeRevertData(data: Hex): string | undefined {
  try {
    const { errorName, args } = decodeErrorResult({ abi: errorsAbi, data });
    return formatCustomError(errorName, args as readonly unknown[] | undefined);
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

export function readableError(error: unknown): ReadableError {
  if (!(error instanceof BaseError)) {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    return { kind: "other", message };
  }
  const message = firstLine(error.shortMessage || error.message);
  if (error.walk((e) => e instanceof UserRejectedRequestError))
    return { kind: "rejected", message };
  if (error.walk((e) => (e as BaseError).name === "ChainMismatchError"))
    return { kind: "chain", message };
  const reverted = error.walk(
    (e) => e instanceof ContractFunctionRevertedError,
  ) as ContractFunctionRevertedError | null;
  if (reverted?.data?.errorName && reverted.data.errorName !== "Error") {
    return {
      kind: "reverted",
      message,
      customError: formatCustomError(reverted.data.errorName, reverted.data.args),
    };
  }
  const data = reverted?.raw ?? findRevertData(error);
  const customError = data ? decodeRevertData(data) : undefined;
  if (customError) return { kind: "reverted", message, customError };
  return { kind: reverted ? "reverted" : "other", message };
}
