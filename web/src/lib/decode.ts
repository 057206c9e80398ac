/**
 * What a proposal will do: each call (target, value, calldata) decoded against the co-op's generated ABIs,
 * then put in plain words. A target that is not one of the co-op's contracts, or data that does not decode
 * against the target's ABI, is flagged rather than guessed at.
 */
import {
  type Abi,
  type Address,
  decodeFunctionData,
  type Hex,
  isAddressEqual,
  keccak256,
  toHex,
  zeroHash,
} from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import type { ContractName } from "@datacoop/protocol/contracts";
import type { MessageKey } from "../i18n/en.ts";
import type { Vars } from "../i18n/i18n.tsx";

export type Call = { target: Address; value: bigint; calldata: Hex };

export type DecodedCall =
  | {
      kind: "call";
      contract: ContractName;
      functionName: string;
      args: readonly unknown[];
      target: Address;
      value: bigint;
    }
  /** The target is not one of the co-op's contracts. */
  | { kind: "unknownTarget"; target: Address; value: bigint; calldata: Hex }
  /** A co-op contract, but the data is not a call of its ABI. */
  | { kind: "undecodable"; contract: ContractName; target: Address; value: bigint; calldata: Hex };

export function contractAt(
  contracts: Record<ContractName, Address>,
  target: string,
): ContractName | undefined {
  return (Object.keys(contracts) as ContractName[]).find((name) =>
    isAddressEqual(contracts[name], target as Address),
  );
}

export function decodeCall(contracts: Record<ContractName, Address>, call: Call): DecodedCall {
  const contract = contractAt(contracts, call.target);
  if (!contract) return { kind: "unknownTarget", ...call };
  const abi: Abi = ABIS[contract];
  try {
    const { functionName, args } = decodeFunctionData({
      abi,
      data: call.calldata,
    });
    return {
      kind: "call",
      contract,
      functionName,
      args: args ?? [],
      target: call.target,
      value: call.value,
    };
  } catch {
    return { kind: "undecodable", contract, ...call };
  }
}

export function decodeCalls(
  contracts: Record<ContractName, Address>,
  targets: readonly string[],
  values: readonly bigint[],
  calldatas: readonly Hex[],
): DecodedCall[] {
  if (targets.length !== values.length || targets.length !== calldatas.length)
    throw new RangeError("targets, values and calldatas differ in length");
  return targets.map((target, i) =>
    decodeCall(contracts, {
      target: target as Address,
      value: values[i],
      calldata: calldatas[i],
    }),
  );
}

/**
 * A sentence: a dictionary key and its variables, translated by the screen. Variables that hold an address
 * are named in `addresses` (the screen names the address for the reader); `details` holds technical text
 * (raw arguments) the screen keeps one click away.
 */
export type Sentence = {
  key: MessageKey;
  vars: Vars;
  warning?: boolean;
  addresses?: string[];
  details?: string;
};

export type DescribeContext = {
  /** A length of time in the reader's words ("120 days"). */
  duration: (seconds: number) => string;
  /** An amount of wei in the reader's words ("0.5 ETH"). */
  eth: (wei: bigint) => string;
};

function str(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** Roles of the OpenZeppelin TimelockController, by their ids. */
const TIMELOCK_ROLES: Record<string, string> = Object.fromEntries([
  [zeroHash, "ADMIN"],
  ...["PROPOSER", "EXECUTOR", "CANCELLER"].map((r): [Hex, string] => [
    keccak256(toHex(`${r}_ROLE`)),
    r,
  ]),
]);

/** One decoded call in plain words. Calls that move power or money outside the usual forms are warnings. */
export function describeCall(call: DecodedCall, ctx: DescribeContext): Sentence {
  if (call.kind === "unknownTarget")
    return call.calldata === "0x"
      ? {
          key: "call.payment",
          vars: { amount: ctx.eth(call.value), to: call.target },
          addresses: ["to"],
          warning: true,
        }
      : {
          key: "call.unknownTarget",
          vars: { target: call.target },
          addresses: ["target"],
          details: call.calldata,
          warning: true,
        };
  if (call.kind === "undecodable")
    return {
      key: "call.undecodable",
      vars: { contract: call.contract },
      details: call.calldata,
      warning: true,
    };
  const a = call.args;
  const fn = `${call.contract}.${call.functionName}`;
  const duration = (v: unknown) => ctx.duration(Number(v));
  const withValue = (s: Sentence): Sentence =>
    call.value > 0n
      ? {
          key: "call.withPayment",
          vars: { amount: ctx.eth(call.value), fn: call.functionName },
          warning: true,
        }
      : s;
  const address = (key: MessageKey, name: string, value: unknown): Sentence =>
    withValue({ key, vars: { [name]: str(value) }, addresses: [name] });
  switch (fn) {
    case "membership.admit":
      return address("call.admit", "member", a[0]);
    case "membership.remove":
      return address("call.remove", "member", a[0]);
    case "registry.registerDataset":
      return withValue({
        key: "call.registerDataset",
        vars: { name: str(a[0]), fields: (a[3] as readonly string[]).join(", ") },
        details: str(a[1]),
      });
    case "registry.retireDataset":
      return withValue({ key: "call.retireDataset", vars: { id: str(a[0]) } });
    case "registry.approve":
      return withValue({ key: "call.approve", vars: { id: str(a[0]) } });
    case "registry.reject":
      return withValue({ key: "call.reject", vars: { id: str(a[0]) } });
    case "registry.grantToMembers":
      return withValue({ key: "call.grantToMembers", vars: {} });
    case "registry.revoke":
      return withValue({ key: "call.revoke", vars: { id: str(a[0]), reason: str(a[1]) } });
    case "registry.pause":
      return withValue({ key: "call.pause", vars: {} });
    case "registry.unpause":
      return withValue({ key: "call.unpause", vars: {} });
    case "registry.setGuardian":
      return address("call.setGuardian", "address", a[0]);
    case "registry.setMinimumFee":
      return withValue({ key: "call.setMinimumFee", vars: { amount: ctx.eth(a[0] as bigint) } });
    case "registry.setMaxDuration":
      return withValue({ key: "call.setMaxDuration", vars: { duration: duration(a[0]) } });
    case "governor.setVotingDelay":
      return withValue({ key: "call.setVotingDelay", vars: { duration: duration(a[0]) } });
    case "governor.setVotingPeriod":
      return withValue({ key: "call.setVotingPeriod", vars: { duration: duration(a[0]) } });
    case "governor.setLateQuorumVoteExtension":
      return withValue({ key: "call.setLateQuorum", vars: { duration: duration(a[0]) } });
    case "governor.updateQuorumNumerator":
      return withValue({ key: "call.setQuorum", vars: { percent: str(a[0]) } });
    case "governor.updateTimelock":
      return {
        key: "call.updateTimelock",
        vars: { address: str(a[0]) },
        addresses: ["address"],
        warning: true,
      };
    case "timelock.updateDelay":
      return withValue({ key: "call.setTimelockDelay", vars: { duration: duration(a[0]) } });
    case "timelock.grantRole":
    case "timelock.revokeRole": {
      const role = TIMELOCK_ROLES[str(a[0]).toLowerCase()];
      return {
        key: call.functionName === "grantRole" ? "call.grantRole" : "call.revokeRole",
        vars: { role: role ?? "?", account: str(a[1]) },
        addresses: ["account"],
        ...(role ? {} : { details: str(a[0]) }),
        warning: true,
      };
    }
    case "revenue.setMode":
      return withValue({
        key: Number(a[0]) === 0 ? "call.setModeEqual" : "call.setModeByUse",
        vars: {},
      });
    case "revenue.setTreasuryShare":
      return withValue({
        key: "call.setTreasuryShare",
        vars: { percent: (Number(a[0]) / 100).toString() },
      });
    case "revenue.setOperator":
    case "accessLog.setOperator":
      return address("call.setOperator", "address", a[0]);
    default: {
      // A co-op function without a plain-words form: name it, keep its arguments a click away, flag it.
      const args = a.map((v) =>
        typeof v === "bigint"
          ? v.toString()
          : typeof v === "string"
            ? v
            : JSON.stringify(v, (_, x: unknown) => (typeof x === "bigint" ? x.toString() : x)),
      );
      return {
        key: "call.other",
        vars: { fn: call.functionName, contract: call.contract },
        details: args.join(", "),
        warning: true,
      };
    }
  }
}
