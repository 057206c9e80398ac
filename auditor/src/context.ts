/**
 * What every check of the audit reads: the chain as of the audited block, the co-op's events up to it
 * (grouped by transaction), who deployed it and when its set-up ended; and how a check reports what it
 * found (a violation located at its event, a result passed or failed).
 */
import {
  formatEther,
  keccak256,
  stringToHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import type { Deployment } from "@datacoop/protocol/deployment";
import type { CheckId, CheckResult, Violation } from "./report.ts";
import { label, type AuditEvent } from "./scan.ts";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
export const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
export const ROLES = {
  DEFAULT_ADMIN_ROLE: ZERO_HASH,
  PROPOSER_ROLE: keccak256(stringToHex("PROPOSER_ROLE")),
  EXECUTOR_ROLE: keccak256(stringToHex("EXECUTOR_ROLE")),
  CANCELLER_ROLE: keccak256(stringToHex("CANCELLER_ROLE")),
} as const;
export const ROLE_NAMES = new Map<string, string>(Object.entries(ROLES).map(([n, r]) => [r, n]));

/** The chain as of the audited block. */
export interface ChainAt {
  client: PublicClient;
  block: bigint;
  /** A contract read at the audited block. */
  read: <T>(
    address: Address,
    abi: readonly unknown[],
    functionName: string,
    args?: unknown[],
  ) => Promise<T>;
}

export function chainAt(client: PublicClient, block: bigint): ChainAt {
  return {
    client,
    block,
    read: <T>(
      address: Address,
      abi: readonly unknown[],
      functionName: string,
      args: unknown[] = [],
    ) =>
      client.readContract({
        address,
        abi,
        functionName,
        args,
        blockNumber: block,
      }) as Promise<T>,
  };
}

/** The chain, the record and the co-op's history, as the checks after the deployment's read them. */
export interface AuditContext extends ChainAt {
  deployment: Deployment;
  contracts: Deployment["contracts"];
  /** Every event of the co-op's contracts, in chain order. */
  events: AuditEvent[];
  /** The events of each transaction. */
  byTx: Map<Hex, AuditEvent[]>;
  ofName(contract: string, name: string): AuditEvent[];
  /** Whoever the timelock's constructor made its temporary admin. */
  deployer?: Address;
  /** The last block of the set-up (the deployer gave up the timelock's admin role there). */
  setupEnd: bigint;
}

export function auditContext(
  chain: ChainAt,
  deployment: Deployment,
  events: AuditEvent[],
): AuditContext {
  const c = deployment.contracts;
  const byTx = new Map<Hex, AuditEvent[]>();
  for (const e of events) {
    const list = byTx.get(e.transactionHash);
    if (list) list.push(e);
    else byTx.set(e.transactionHash, [e]);
  }
  // The deployer: whoever the timelock's constructor made its temporary admin.
  const firstAdminGrant = events.find(
    (e) =>
      e.contract === "timelock" &&
      e.name === "RoleGranted" &&
      e.args.role === ROLES.DEFAULT_ADMIN_ROLE &&
      !same(e.args.account, c.timelock),
  );
  const deployer = firstAdminGrant ? (firstAdminGrant.args.account as Address) : undefined;
  const renounce = deployer
    ? events.find(
        (e) =>
          e.contract === "timelock" &&
          e.name === "RoleRevoked" &&
          e.args.role === ROLES.DEFAULT_ADMIN_ROLE &&
          same(e.args.account, deployer),
      )
    : undefined;
  // Set-up ends when the deployer gives up the timelock's admin role (or, if it never did, with the
  // last contract's first event: nothing later counts as set-up).
  const setupEnd =
    renounce?.blockNumber ??
    Object.keys(c).reduce((max, name) => {
      const first = events.find((e) => e.contract === name);
      return first && first.blockNumber > max ? first.blockNumber : max;
    }, BigInt(deployment.startBlock));
  return {
    ...chain,
    deployment,
    contracts: c,
    events,
    byTx,
    ofName: (contract, name) => events.filter((e) => e.contract === contract && e.name === name),
    deployer,
    setupEnd,
  };
}

export function same(a: unknown, b: unknown): boolean {
  return typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();
}

/** A violation located at its event and transaction. */
export function at(event: AuditEvent, message: string): Violation {
  return {
    message,
    event: label(event),
    transactionHash: event.transactionHash,
    blockNumber: event.blockNumber.toString(),
  };
}

export function result(
  id: CheckId,
  title: string,
  notes: string[],
  violations: Violation[],
): CheckResult {
  return { id, title, status: violations.length ? "fail" : "pass", notes, violations };
}

/** A long id (a proposal's hash) shortened for a message. */
export function short(id: bigint | string): string {
  const text = id.toString();
  return text.length > 14 ? `${text.slice(0, 6)}…${text.slice(-6)}` : text;
}

export function wei(amount: bigint): string {
  return `${formatEther(amount)} ETH`;
}
