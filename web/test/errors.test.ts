import {
  BaseError,
  ContractFunctionExecutionError,
  ContractFunctionRevertedError,
  encodeErrorResult,
  RpcRequestError,
  UserRejectedRequestError,
} from "viem";
import { describe, expect, it } from "vitest";
import { consentAbi, governorAbi } from "@datacoop/protocol/abis.generated";
import { readableError } from "../src/lib/errors.ts";

const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("readableError", () => {
  it("names a decoded custom error with its arguments", () => {
    const data = encodeErrorResult({
      abi: consentAbi,
      errorName: "ConsentRegistryInvalidMask",
      args: [256n],
    });
    const error = new ContractFunctionExecutionError(
      new ContractFunctionRevertedError({ abi: consentAbi, data, functionName: "setConsent" }),
      { abi: consentAbi, functionName: "setConsent", args: [256n], contractAddress: address },
    );
    expect(readableError(error)).toEqual({
      kind: "reverted",
      message: 'The contract function "setConsent" reverted.',
      customError: "ConsentRegistryInvalidMask(256)",
      errorName: "ConsentRegistryInvalidMask",
    });
  });

  it("decodes revert data that a wallet passed back raw, against every co-op contract", () => {
    const data = encodeErrorResult({
      abi: governorAbi,
      errorName: "GovernorMemberCountingNoVote",
      args: [address, 123n],
    });
    const error = new RpcRequestError({
      body: { method: "eth_estimateGas" },
      url: "http://127.0.0.1:8545",
      error: { code: 3, message: "execution reverted", data },
    });
    const readable = readableError(error);
    expect(readable.kind).toBe("reverted");
    expect(readable.customError).toBe(`GovernorMemberCountingNoVote(${address}, 123)`);
  });

  it("recognises a refusal in the wallet", () => {
    const error = new UserRejectedRequestError(new Error("User denied transaction signature."));
    expect(readableError(error).kind).toBe("rejected");
  });

  it("gives viem's short message, never details or a stack", () => {
    const error = new BaseError("Something short.", { details: "long internal details" });
    const readable = readableError(error);
    expect(readable).toEqual({ kind: "other", message: "Something short." });
    const plain = new Error("First line\n    at foo (file.js:1:1)");
    expect(readableError(plain).message).toBe("First line");
  });
});
