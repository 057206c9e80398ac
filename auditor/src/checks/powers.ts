/**
 * Powers: the timelock is its own admin and owns Membership, DataAccessRegistry, Revenue and
 * AccessLogAnchor; the governor is its only proposer, canceller and executor; no other account — the
 * deployer least of all — holds a role at the audited block. Notes the limited roles set by vote (the
 * guardian, the gateway operator).
 */
import type { Address } from "viem";
import {
  accessLogAbi,
  membershipAbi,
  registryAbi,
  revenueAbi,
  timelockAbi,
} from "@datacoop/protocol/abis.generated";
import {
  ROLES,
  ROLE_NAMES,
  ZERO_ADDRESS,
  at,
  result,
  same,
  type AuditContext,
} from "../context.ts";
import type { CheckResult, Violation } from "../report.ts";
import type { AuditEvent } from "../scan.ts";

export async function checkPowers(ctx: AuditContext): Promise<CheckResult> {
  const { client, block, read, events, contracts: c, deployer } = ctx;

  const notes: string[] = [];
  const violations: Violation[] = [];
  const holders = new Map<string, Map<string, AuditEvent>>();
  for (const e of events) {
    if (e.contract !== "timelock" || (e.name !== "RoleGranted" && e.name !== "RoleRevoked"))
      continue;
    const role = e.args.role as string;
    const members = holders.get(role) ?? new Map<string, AuditEvent>();
    if (e.name === "RoleGranted") members.set(String(e.args.account).toLowerCase(), e);
    else members.delete(String(e.args.account).toLowerCase());
    holders.set(role, members);
  }
  const expected: Record<string, string> = {
    [ROLES.DEFAULT_ADMIN_ROLE]: c.timelock,
    [ROLES.PROPOSER_ROLE]: c.governor,
    [ROLES.CANCELLER_ROLE]: c.governor,
    [ROLES.EXECUTOR_ROLE]: c.governor,
  };
  for (const [role, members] of holders) {
    const roleName = ROLE_NAMES.get(role) ?? role;
    for (const [account, grant] of members) {
      if (same(account, expected[role])) continue;
      const stillHeld = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, account]);
      if (!stillHeld) continue;
      const code = await client.getCode({ address: account as Address, blockNumber: block });
      const who =
        deployer && same(account, deployer)
          ? `the deployer ${grant.args.account}`
          : account === ZERO_ADDRESS
            ? "everyone (the zero address)"
            : `${code && code !== "0x" ? "the contract" : "the externally owned account"} ${grant.args.account}`;
      violations.push(at(grant, `${who} holds the timelock's ${roleName}.`));
    }
  }
  for (const [role, account] of Object.entries(expected)) {
    const has = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, account]);
    if (!has)
      violations.push({
        message: `${account === c.timelock ? "The timelock" : "The governor"} lacks the timelock's ${ROLE_NAMES.get(role)}.`,
      });
  }
  if (deployer) {
    for (const [name, role] of Object.entries(ROLES)) {
      const has = await read<boolean>(c.timelock, timelockAbi, "hasRole", [role, deployer]);
      if (
        has &&
        !violations.some((v) => v.message.includes("deployer") && v.message.includes(name))
      )
        violations.push({ message: `The deployer ${deployer} holds the timelock's ${name}.` });
    }
  }
  const owned: [string, Address, readonly unknown[]][] = [
    ["Membership", c.membership, membershipAbi],
    ["DataAccessRegistry", c.registry, registryAbi],
    ["Revenue", c.revenue, revenueAbi],
    ["AccessLogAnchor", c.accessLog, accessLogAbi],
  ];
  for (const [name, address, abi] of owned) {
    const owner = await read<Address>(address, abi, "owner");
    if (!same(owner, c.timelock)) {
      const code = await client.getCode({ address: owner, blockNumber: block });
      violations.push({
        message: `${name} is owned by ${code && code !== "0x" ? "the contract" : "the externally owned account"} ${owner}, not by the timelock.`,
      });
    }
  }
  if (violations.length === 0)
    notes.push(
      "The timelock is its own admin and owns Membership, DataAccessRegistry, Revenue and AccessLogAnchor; " +
        "the governor is its only proposer, canceller and executor; no other account holds a role.",
    );
  const guardianNow = await read<Address>(c.registry, registryAbi, "guardian");
  const anchorOperator = await read<Address>(c.accessLog, accessLogAbi, "operator");
  const revenueOperator = await read<Address>(c.revenue, revenueAbi, "operator");
  notes.push(
    `Limited roles set by vote: guardian ${guardianNow} (may revoke a grant or pause, never approve); ` +
      `gateway operator ${anchorOperator} (anchors the access log)` +
      (same(anchorOperator, revenueOperator)
        ? "."
        : `; revenue operator ${revenueOperator} (posts by-use allocations).`),
  );
  return result("powers", "No account outside the members' votes holds power", notes, violations);
}
