/**
 * The anchor chain: the access-log anchors the operator posted form one chain — batches numbered from 1
 * with none missing, each following the root before it, each covering more entries — and the contract's
 * latest() is the last event's.
 */
import type { Hex } from "viem";
import { accessLogAbi } from "@datacoop/protocol/abis.generated";
import { ZERO_HASH, at, result, same, type AuditContext } from "../context.ts";
import type { CheckResult, Violation } from "../report.ts";
import type { AuditEvent } from "../scan.ts";

export async function checkAnchors(ctx: AuditContext): Promise<CheckResult> {
  const { read, contracts: c } = ctx;
  const anchorEvents = ctx.ofName("accessLog", "Anchored");
  const violations: Violation[] = [];
  let before: AuditEvent | undefined;
  for (const [position, e] of anchorEvents.entries()) {
    const batch = Number(e.args.index);
    if (batch !== position + 1)
      violations.push(
        at(e, `Anchor batch ${position + 1} is missing: the next event is batch ${batch}.`),
      );
    const expectedPrevious = before ? (before.args.root as Hex) : ZERO_HASH;
    if (!same(e.args.previousRoot, expectedPrevious))
      violations.push(
        at(
          e,
          `Anchor batch ${batch} follows root ${e.args.previousRoot}, but the batch before it anchored ${expectedPrevious}.`,
        ),
      );
    const previousSize = before ? (before.args.size as bigint) : 0n;
    if ((e.args.size as bigint) <= previousSize)
      violations.push(
        at(
          e,
          `Anchor batch ${batch} covers ${e.args.size} entries, not more than the ${previousSize} before it.`,
        ),
      );
    before = e;
  }
  const [root, size, count] = await read<[Hex, bigint, bigint]>(
    c.accessLog,
    accessLogAbi,
    "latest",
  );
  if (count !== BigInt(anchorEvents.length))
    violations.push({
      message: `The contract reports ${count} anchor batches but the chain holds ${anchorEvents.length} Anchored events: ${
        count > BigInt(anchorEvents.length)
          ? `batch ${anchorEvents.length + 1} is missing`
          : "events without batches"
      }.`,
    });
  else if (before && (!same(before.args.root, root) || (before.args.size as bigint) !== size))
    violations.push(
      at(
        before,
        `The latest anchor event does not match the contract's latest() (${root}, ${size}).`,
      ),
    );
  return result(
    "anchors",
    "The access-log anchors form one consistent chain",
    [
      anchorEvents.length
        ? `${anchorEvents.length} batches, ${before?.args.size} entries anchored, latest root ${before?.args.root}.`
        : "No batch anchored yet.",
    ],
    violations,
  );
}
