/** Decoding of a proposal's calls to the co-op's own contracts. */
import { decodeFunctionData, type Abi, type Hex } from "viem";
import {
  accessLogAbi,
  consentAbi,
  governorAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import { jsonable } from "./common.ts";

const CALL_ABIS: Abi[] = [
  membershipAbi,
  governorAbi,
  registryAbi,
  consentAbi,
  revenueAbi,
  accessLogAbi,
  timelockAbi,
];

/** Names the function a proposal's calldata calls on one of the co-op's contracts, if it is one. */
export function decodeCall(data: Hex): { functionName: string; args: unknown } | undefined {
  if (data.length < 10) return undefined;
  for (const abi of CALL_ABIS) {
    try {
      const { functionName, args } = decodeFunctionData({ abi, data });
      return { functionName, args: jsonable(args ?? []) };
    } catch {
      // not this contract's function
    }
  }
  return undefined;
}
