/**
 * The auditor's report: one entry per check, each either passed, failed with violations that name the
 * event and transaction at fault, or skipped with the reason. Rendered as text for a person and as JSON
 * for a machine (big integers as decimal strings).
 */
import type { Hex } from "viem";

export type CheckId =
  "deployment" | "powers" | "decisions" | "proposals" | "fees" | "anchors" | "gateway";

export type CheckStatus = "pass" | "fail" | "skipped";

/** One broken rule, located on the chain where it can be. */
export interface Violation {
  message: string;
  /** The event at fault, e.g. "DataAccessRegistry.RequestApproved". */
  event?: string;
  transactionHash?: Hex;
  blockNumber?: string;
}

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was checked and found, one line each. */
  notes: string[];
  violations: Violation[];
}

/** One decision and how it came about, for a timeline (JSON report). */
export interface TimelineEntry {
  blockNumber: string;
  transactionHash: Hex;
  event: string;
  what: string;
  /** vote: executed for `proposalId`; deployment: set up at deployment; guardian, member, holder: an act
   * the design allows them; bypass: none of these (a violation). */
  how: "vote" | "deployment" | "guardian" | "member" | "holder" | "bypass";
  proposalId?: string;
}

export interface AuditReport {
  ok: boolean;
  chainId: number;
  network: string;
  /** Everything was read at this block. */
  block: string;
  blockTime: string;
  fromBlock: string;
  events: number;
  contracts: Record<string, string>;
  checks: CheckResult[];
  /** Every admission, removal, dataset, grant decision, role and parameter change, in chain order. */
  timeline: TimelineEntry[];
}

const MARK: Record<CheckStatus, string> = { pass: "PASS", fail: "FAIL", skipped: "SKIP" };

export function renderText(report: AuditReport): string {
  const lines = [
    `DataCoop audit — ${report.network} (chain ${report.chainId}), blocks ${report.fromBlock}–${report.block} ` +
      `(${report.blockTime}), ${report.events.toLocaleString("en")} events`,
    "",
  ];
  for (const check of report.checks) {
    lines.push(`[${MARK[check.status]}] ${check.title}`);
    for (const note of check.notes) lines.push(`       ${note}`);
    for (const v of check.violations) {
      const where = [
        v.event,
        v.transactionHash && `tx ${v.transactionHash}`,
        v.blockNumber && `block ${v.blockNumber}`,
      ]
        .filter(Boolean)
        .join(", ");
      lines.push(`   ✗ ${v.message}${where ? ` (${where})` : ""}`);
    }
  }
  const failed = report.checks.filter((c) => c.status === "fail");
  const violations = failed.reduce((n, c) => n + c.violations.length, 0);
  lines.push(
    "",
    report.ok
      ? "Result: every check passed."
      : `Result: ${violations} violation${violations === 1 ? "" : "s"} in ${failed.map((c) => c.id).join(", ")}.`,
  );
  return lines.join("\n");
}
