/**
 * The auditor: from an RPC endpoint and the deployment record alone, checks that the members' votes are
 * the only power over the co-op.
 *
 * - deployment: the chain and the contracts are the ones the record names, wired to each other;
 * - powers: the timelock holds every admin role and owns every contract, the governor is its only
 *   proposer, canceller and executor, no other account (the deployer least of all) holds a role;
 * - decisions: every admission, removal, dataset, grant approval, rejection, revocation, role and
 *   parameter change was executed by the timelock for a governor proposal in the same transaction (or
 *   happened at deployment, or is a guardian's revocation or pause, which the design allows);
 * - proposals: every executed proposal met quorum at its snapshot and had more For than Against, and the
 *   timelock ran exactly its actions; every timelock execution belongs to one;
 * - fees: every wei partners paid is escrowed, refundable, refunded or deposited for the members, and the
 *   revenue split adds up (events, the contracts' totals and their balances agree);
 * - anchors: the access-log anchors form one chain (each follows the root before, sizes grow, none missing);
 * - gateway (with the indexer's URL): every access-log entry served under /proofs is intact, included under
 *   the batch that first covered it, and the anchored roots recompute from the entries.
 *
 * Each check is its own module under checks/ (deployment, proposals with quorum and timelockActions,
 * decisions, powers, fees, anchors, gatewayLog), reading the chain and the events through context.ts;
 * audit() reads the record, scans the events once and composes them.
 */
import { createPublicClient, http, type Hex, type PublicClient } from "viem";
import { deploymentSchema, type Deployment } from "@datacoop/protocol/deployment";
import { checkAnchors } from "./checks/anchors.ts";
import { checkDecisions } from "./checks/decisions.ts";
import { checkDeployment } from "./checks/deployment.ts";
import { checkFees } from "./checks/fees.ts";
import { checkGatewayLog } from "./checks/gatewayLog.ts";
import { checkPowers } from "./checks/powers.ts";
import { checkProposals } from "./checks/proposals.ts";
import { auditContext, chainAt } from "./context.ts";
import type { AuditReport, CheckResult, TimelineEntry } from "./report.ts";
import { scanEvents, type ScanProgress } from "./scan.ts";

export type { AuditReport, CheckId, CheckResult, Violation } from "./report.ts";

export interface AuditOptions {
  rpcUrl: string;
  /** The deployment record (as written by scripts/deploy.ts). */
  deployment: unknown;
  /**
   * The base URL of the indexer that serves the gateway (e.g. http://127.0.0.1:8600; its /proofs or
   * /gateway URL works too): adds the access-log check through its /proofs endpoints.
   */
  gatewayUrl?: string;
  /** Audit the chain as of this block (default: the latest). */
  block?: bigint;
  /** Blocks per getLogs request (default 10,000; halved when a provider refuses). */
  chunk?: bigint;
  onProgress?: ScanProgress;
  /** Entries of the gateway's access log read so far, and how many are known to exist. */
  onLogProgress?: (read: number, known: number) => void;
  client?: PublicClient;
}

/** Runs every check; never throws for a violation (only for an unreachable node or a bad record). */
export async function audit(options: AuditOptions): Promise<AuditReport> {
  const parsed = deploymentSchema.safeParse(options.deployment);
  if (!parsed.success) {
    throw new Error(
      `The deployment record is not valid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const deployment = parsed.data;
  const client =
    options.client ?? createPublicClient({ transport: http(options.rpcUrl, { retryCount: 3 }) });
  const block = options.block ?? (await client.getBlockNumber());
  const blockData = await client.getBlock({ blockNumber: block });
  const chain = chainAt(client, block);
  const chainId = await client.getChainId();

  // The record must describe this chain before anything else is read from it.
  const recordCheck = await checkDeployment(chain, deployment, chainId);
  if (recordCheck.status === "fail") {
    return finish(deployment, chainId, block, blockData.timestamp, 0, [recordCheck]);
  }

  const events = await scanEvents(client, deployment, block, {
    chunk: options.chunk,
    onProgress: options.onProgress,
  });
  const ctx = auditContext(chain, deployment, events);
  const proposals = await checkProposals(ctx);
  const decisions = await checkDecisions(ctx, proposals.proposals);
  const checks: CheckResult[] = [
    recordCheck,
    proposals.check,
    decisions.check,
    await checkPowers(ctx),
    await checkFees(ctx),
    await checkAnchors(ctx),
  ];
  if (options.gatewayUrl) {
    checks.push(
      await checkGatewayLog(
        options.gatewayUrl,
        ctx.ofName("accessLog", "Anchored").map((e) => ({
          batch: Number(e.args.index),
          root: e.args.root as Hex,
          size: Number(e.args.size),
          previousRoot: e.args.previousRoot as Hex,
        })),
        { onProgress: options.onLogProgress },
      ),
    );
  } else {
    checks.push({
      id: "gateway",
      title: "Every published access-log entry is included under the anchors",
      status: "skipped",
      notes: [
        "Not checked: give the URL of the indexer that serves the gateway (--gateway) to check its access log.",
      ],
      violations: [],
    });
  }
  return finish(
    deployment,
    chainId,
    block,
    blockData.timestamp,
    events.length,
    checks,
    decisions.timeline,
  );
}

function finish(
  deployment: Deployment,
  chainId: number,
  block: bigint,
  timestamp: bigint,
  events: number,
  checks: CheckResult[],
  timeline: TimelineEntry[] = [],
): AuditReport {
  return {
    ok: checks.every((check) => check.status !== "fail"),
    chainId,
    network: deployment.network,
    block: block.toString(),
    blockTime: new Date(Number(timestamp) * 1000).toISOString(),
    fromBlock: String(deployment.startBlock),
    events,
    contracts: { ...deployment.contracts },
    checks,
    timeline,
  };
}
