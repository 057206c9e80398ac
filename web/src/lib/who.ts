/**
 * Who an address is, in plain words: you, a member by their number, a partner by the name they gave with
 * their request (their own claim, not checked by anyone), an applicant, one of the co-op's own contracts,
 * or someone outside the co-op. The address itself stays one click away (components/Who.tsx).
 */
import type { Address } from "viem";
import type { ContractName } from "@datacoop/protocol/contracts";
import type { MessageKey } from "../i18n/en.ts";

export type Directory = {
  me?: string;
  /** lowercase address → member number */
  members: ReadonlyMap<string, string>;
  /** lowercase address → the name a partner gave with a request ("" when they gave none) */
  partners: ReadonlyMap<string, string>;
  /** lowercase address → Unix seconds of their open application */
  applicants: ReadonlyMap<string, number>;
  contracts: Readonly<Record<ContractName, Address>>;
};

export type WhoText =
  | { key: MessageKey; vars: Record<string, string> }
  | { key: MessageKey; vars: Record<string, string>; applied: number };

const CONTRACT_KEYS: Record<ContractName, MessageKey> = {
  timelock: "who.contract.timelock",
  membership: "who.contract.membership",
  governor: "who.contract.governor",
  registry: "who.contract.registry",
  consent: "who.contract.consent",
  revenue: "who.contract.revenue",
  accessLog: "who.contract.accessLog",
};

/** How to name `address` for the reader. */
export function describeAddress(address: string, directory: Directory): WhoText {
  const a = address.toLowerCase();
  const memberNo = directory.members.get(a);
  if (directory.me && directory.me.toLowerCase() === a)
    return memberNo
      ? { key: "who.youMember", vars: { id: memberNo } }
      : { key: "who.you", vars: {} };
  if (memberNo) return { key: "who.member", vars: { id: memberNo } };
  const contract = (Object.keys(directory.contracts) as ContractName[]).find(
    (name) => directory.contracts[name].toLowerCase() === a,
  );
  if (contract) return { key: CONTRACT_KEYS[contract], vars: {} };
  const partner = directory.partners.get(a);
  if (partner !== undefined)
    return partner === ""
      ? { key: "who.partnerUnnamed", vars: {} }
      : { key: "who.partnerNamed", vars: { name: partner } };
  const applied = directory.applicants.get(a);
  if (applied !== undefined) return { key: "who.applicant", vars: {}, applied };
  return { key: "who.outside", vars: {} };
}

/** A partner's name as they gave it: trimmed, one line, at most 80 characters; empty means none. */
export function partnerName(name: unknown): string | undefined {
  if (typeof name !== "string") return undefined;
  const clean = name.replace(/\s+/g, " ").trim().slice(0, 80);
  return clean === "" ? undefined : clean;
}
