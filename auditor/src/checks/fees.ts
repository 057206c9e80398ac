/**
 * Fees: every wei partners paid is escrowed, refundable, refunded or deposited for the members; every
 * approved grant's fee was deposited in its approval and split into the treasury's and the members'
 * shares; claims stay within each member's share; a replaced by-use allocation (AllocationReplaced)
 * moves exactly its difference between the treasury and the members and comes before any claim; a sweep
 * (Swept) sends back exactly what members had not claimed and closes the grant; the sums from the events
 * equal the contracts' totals; and the contracts' balances cover what they owe.
 */
import { registryAbi, revenueAbi } from "@datacoop/protocol/abis.generated";
import { at, result, wei, type AuditContext } from "../context.ts";
import type { CheckResult, Violation } from "../report.ts";
import type { AuditEvent } from "../scan.ts";

export async function checkFees(ctx: AuditContext): Promise<CheckResult> {
  const { events, byTx, contracts: c, block, client, read } = ctx;
  const violations: Violation[] = [];
  const fees = new Map<bigint, bigint>();
  const status = new Map<bigint, string>();
  let received = 0n;
  let refunded = 0n;
  let refundableAdded = 0n;
  let approvedFees = 0n;
  const deposits = new Map<bigint, AuditEvent>();
  let deposited = 0n;
  let toTreasury = 0n;
  let claimed = 0n;
  let awaiting = 0n;
  let swept = 0n;
  let replacements = 0;
  const shares = new Map<
    bigint,
    {
      mode: number;
      memberShare: bigint;
      perMember: bigint;
      memberCount: bigint;
      claimed: bigint;
      claimants: Set<string>;
      allocated?: bigint;
      closed?: boolean;
    }
  >();
  for (const e of events) {
    if (e.contract === "registry") {
      if (e.name === "RequestCreated") {
        const id = e.args.requestId as bigint;
        fees.set(id, e.args.fee as bigint);
        status.set(id, "pending");
        received += e.args.fee as bigint;
      } else if (e.name === "RequestApproved") {
        const id = e.args.requestId as bigint;
        const fee = fees.get(id) ?? 0n;
        status.set(id, "approved");
        approvedFees += fee;
        const deposit = (byTx.get(e.transactionHash) ?? []).find(
          (x) => x.contract === "revenue" && x.name === "Deposited" && x.args.grantId === id,
        );
        if (fee > 0n && (!deposit || (deposit.args.amount as bigint) !== fee))
          violations.push(
            at(
              e,
              `Grant ${id}'s fee of ${wei(fee)} was not deposited with the revenue contract in its approval.`,
            ),
          );
      } else if (e.name === "RequestRejected" || e.name === "RequestWithdrawn") {
        const id = e.args.requestId as bigint;
        status.set(id, "refundable");
        refundableAdded += fees.get(id) ?? 0n;
      } else if (e.name === "RefundClaimed") {
        refunded += e.args.amount as bigint;
      }
    } else if (e.contract === "revenue") {
      if (e.name === "Deposited") {
        const id = e.args.grantId as bigint;
        const amount = e.args.amount as bigint;
        const treasury = e.args.toTreasury as bigint;
        const memberShare = e.args.memberShare as bigint;
        const mode = Number(e.args.mode);
        deposits.set(id, e);
        deposited += amount;
        toTreasury += treasury;
        if (treasury + memberShare !== amount)
          violations.push(
            at(
              e,
              `Grant ${id}: ${wei(treasury)} to the treasury + ${wei(memberShare)} to members ≠ the fee of ${wei(amount)}.`,
            ),
          );
        if (
          mode === 0 &&
          memberShare !== (e.args.perMember as bigint) * (e.args.memberCount as bigint)
        )
          violations.push(
            at(
              e,
              `Grant ${id}: the members' share is not ${e.args.memberCount} × ${wei(e.args.perMember as bigint)}.`,
            ),
          );
        if (mode === 1) awaiting += memberShare;
        shares.set(id, {
          mode,
          memberShare,
          perMember: e.args.perMember as bigint,
          memberCount: e.args.memberCount as bigint,
          claimed: 0n,
          claimants: new Set(),
        });
      } else if (e.name === "AllocationPosted") {
        const share = shares.get(e.args.grantId as bigint);
        if (share) {
          share.allocated = e.args.allocated as bigint;
          awaiting -= share.memberShare;
          toTreasury += e.args.returned as bigint;
          if ((e.args.allocated as bigint) + (e.args.returned as bigint) !== share.memberShare)
            violations.push(
              at(e, `Grant ${e.args.grantId}: allocated + returned ≠ the members' share.`),
            );
        }
      } else if (e.name === "AllocationReplaced") {
        const id = e.args.grantId as bigint;
        const share = shares.get(id);
        replacements++;
        const allocated = e.args.allocated as bigint;
        const oldAllocated = e.args.oldAllocated as bigint;
        const from = e.args.fromTreasury as bigint;
        const back = e.args.toTreasury as bigint;
        if (!share || share.allocated === undefined) {
          violations.push(at(e, `Grant ${id}'s allocations were replaced, but none were posted.`));
          continue;
        }
        if (oldAllocated !== share.allocated)
          violations.push(
            at(
              e,
              `Grant ${id}: the replaced allocation was ${wei(share.allocated)}, not ${wei(oldAllocated)}.`,
            ),
          );
        if (share.claimed > 0n)
          violations.push(
            at(e, `Grant ${id}'s allocations were replaced after members had claimed.`),
          );
        if (oldAllocated + from !== allocated + back || allocated > share.memberShare)
          violations.push(
            at(
              e,
              `Grant ${id}: the replacement of ${wei(oldAllocated)} by ${wei(allocated)} does not add up (${wei(from)} from the treasury, ${wei(back)} back to it).`,
            ),
          );
        toTreasury += back;
        toTreasury -= from;
        share.allocated = allocated;
      } else if (e.name === "Swept") {
        const id = e.args.grantId as bigint;
        const amount = e.args.amount as bigint;
        const share = shares.get(id);
        swept += amount;
        toTreasury += amount;
        if (!share) {
          violations.push(at(e, `A sweep of grant ${id}, which has no deposit.`));
          continue;
        }
        if (share.closed) violations.push(at(e, `Grant ${id} was swept twice.`));
        const unclaimed =
          share.mode === 0
            ? share.perMember * (share.memberCount - BigInt(share.claimants.size))
            : share.allocated === undefined
              ? share.memberShare
              : share.allocated - share.claimed;
        if (share.mode === 1 && share.allocated === undefined) awaiting -= share.memberShare;
        if (amount !== unclaimed)
          violations.push(
            at(
              e,
              `Grant ${id}: ${wei(amount)} was swept back to the treasury, but members had ${wei(unclaimed)} unclaimed.`,
            ),
          );
        share.closed = true;
      } else if (e.name === "Claimed") {
        const id = e.args.grantId as bigint;
        const amount = e.args.amount as bigint;
        claimed += amount;
        const share = shares.get(id);
        if (!share) {
          violations.push(at(e, `A claim on grant ${id}, which has no deposit.`));
          continue;
        }
        if (share.closed) violations.push(at(e, `A claim on grant ${id} after it was swept.`));
        const member = String(e.args.member).toLowerCase();
        if (share.claimants.has(member))
          violations.push(at(e, `${e.args.member} claimed grant ${id} twice.`));
        share.claimants.add(member);
        share.claimed += amount;
        if (share.mode === 0 && amount !== share.perMember)
          violations.push(
            at(
              e,
              `${e.args.member} was paid ${wei(amount)} for grant ${id}; each member's share is ${wei(share.perMember)}.`,
            ),
          );
        const cap = share.mode === 0 ? share.memberShare : (share.allocated ?? 0n);
        if (share.claimed > cap)
          violations.push(
            at(
              e,
              `Claims on grant ${id} reach ${wei(share.claimed)}, more than the ${wei(cap)} for members.`,
            ),
          );
      }
    }
  }
  if (deposited !== approvedFees)
    violations.push({
      message: `The revenue contract received ${wei(deposited)} in deposits, but approved grants' fees total ${wei(approvedFees)}.`,
    });
  const escrowed = [...status.entries()]
    .filter(([, s]) => s === "pending")
    .reduce((sum, [id]) => sum + (fees.get(id) ?? 0n), 0n);
  const refundable = refundableAdded - refunded;
  if (refundable < 0n)
    violations.push({ message: `Refunds paid (${wei(refunded)}) exceed refunds owed.` });

  const [tReceived, tEscrowed, tRefundable, tRefunded] = await read<
    [bigint, bigint, bigint, bigint]
  >(c.registry, registryAbi, "totals");
  const compare = (what: string, fromEvents: bigint, fromContract: bigint) => {
    if (fromEvents !== fromContract)
      violations.push({
        message: `${what}: the events add up to ${wei(fromEvents)}, the contract reports ${wei(fromContract)}.`,
      });
  };
  compare("Registry fees received", received, tReceived);
  compare("Registry fees in escrow", escrowed, tEscrowed);
  compare("Registry refunds owed", refundable, tRefundable);
  compare("Registry refunds paid", refunded, tRefunded);
  const [rDeposited, rTreasury, rClaimed, rClaimable, rAwaiting, rSwept] = await read<
    [bigint, bigint, bigint, bigint, bigint, bigint]
  >(c.revenue, revenueAbi, "totals");
  compare("Revenue deposited", deposited, rDeposited);
  compare("Revenue to the treasury", toTreasury, rTreasury);
  compare("Revenue claimed", claimed, rClaimed);
  compare("Revenue awaiting allocation", awaiting, rAwaiting);
  compare("Revenue swept back unclaimed", swept, rSwept);
  const owedToMembers = deposited - toTreasury - claimed;
  const registryBalance = await client.getBalance({ address: c.registry, blockNumber: block });
  const revenueBalance = await client.getBalance({ address: c.revenue, blockNumber: block });
  // The notes say the balances cover what is owed only when both do (each shortfall is a violation).
  const covered = registryBalance >= escrowed + refundable && revenueBalance >= owedToMembers;
  if (registryBalance < escrowed + refundable)
    violations.push({
      message: `The registry holds ${wei(registryBalance)}, less than the ${wei(escrowed + refundable)} it owes partners (escrow and refunds).`,
    });
  if (revenueBalance < owedToMembers)
    violations.push({
      message: `The revenue contract holds ${wei(revenueBalance)}, less than the ${wei(owedToMembers)} members may still claim.`,
    });
  return result(
    "fees",
    "Every fee is accounted for",
    [
      `Partners paid ${wei(received)}: ${wei(approvedFees)} for approved grants, ${wei(escrowed)} in escrow, ` +
        `${wei(refundable)} refundable, ${wei(refunded)} refunded.`,
      `Approved fees: ${wei(toTreasury)} to the treasury, ${wei(claimed)} claimed by members, ` +
        `${wei(rClaimable)} still to claim, ${wei(awaiting)} awaiting allocation.`,
      `${wei(swept)} unclaimed swept back to the treasury; ${replacements} by-use distribution(s) replaced by vote.`,
      covered
        ? "The registry's and the revenue contract's balances cover what they owe."
        : "The balances do not cover what is owed: see the violations.",
    ],
    violations,
  );
}
