/** Every decision of the co-op on one timeline, newest first, from the indexer's lists. Pure. */
import type { MessageKey } from "../i18n/en.ts";
import type {
  ApiAnchor,
  ApiGrant,
  ApiMember,
  ApiProposal,
  ApiRequest,
  ApiVote,
} from "./indexerApi.ts";
import { proposalTitle } from "./proposal.ts";

export type TimelineEntry = {
  time: number;
  kind:
    | "admission"
    | "proposal"
    | "vote"
    | "queued"
    | "executed"
    | "canceled"
    | "request"
    | "grant"
    | "revocation"
    | "anchor";
  key: MessageKey;
  vars: Record<string, string>;
  txHash?: string;
  block?: string;
  href?: string;
  /** The proposal the entry is about (the screen names it by its short number). */
  proposalId?: string;
  /** A technical value the screen keeps one click away (an anchored root). */
  detail?: string;
};

export function buildTimeline(input: {
  members?: readonly ApiMember[];
  proposals?: readonly ApiProposal[];
  votes?: readonly (ApiVote & { proposalId: string })[];
  requests?: readonly ApiRequest[];
  grants?: readonly ApiGrant[];
  anchors?: readonly ApiAnchor[];
}): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const m of input.members ?? [])
    out.push({
      time: Number(m.since),
      kind: "admission",
      key: "timeline.admission",
      vars: { member: m.address, id: m.memberId },
      block: m.sinceBlock,
    });
  for (const p of input.proposals ?? []) {
    const title = proposalTitle(p.description);
    const href = `#/proposals/${p.proposalId}`;
    const proposalId = p.proposalId;
    out.push({
      time: Number(p.createdAt),
      kind: "proposal",
      key: "timeline.proposal",
      vars: { title, proposer: p.proposer },
      txHash: p.txHash,
      href,
      proposalId,
    });
    if (p.queuedAt)
      out.push({
        time: Number(p.queuedAt),
        kind: "queued",
        key: "timeline.queued",
        vars: { title },
        href,
        proposalId,
      });
    if (p.executedAt)
      out.push({
        time: Number(p.executedAt),
        kind: "executed",
        key: "timeline.executed",
        vars: { title },
        href,
        proposalId,
      });
    if (p.canceledAt)
      out.push({
        time: Number(p.canceledAt),
        kind: "canceled",
        key: "timeline.canceled",
        vars: { title },
        href,
        proposalId,
      });
  }
  for (const v of input.votes ?? [])
    out.push({
      time: Number(v.blockTime),
      kind: "vote",
      key: `timeline.vote.${v.support}`,
      vars: { voter: v.voter },
      txHash: v.txHash,
      href: `#/proposals/${v.proposalId}`,
      proposalId: v.proposalId,
    });
  for (const r of input.requests ?? [])
    out.push({
      time: Number(r.blockTime),
      kind: "request",
      key: "timeline.request",
      vars: { id: r.requestId, partner: r.partner, dataset: r.datasetId },
      txHash: r.txHash,
    });
  for (const g of input.grants ?? []) {
    out.push({
      time: Number(g.approvedAt),
      kind: "grant",
      key: "timeline.grant",
      vars: { id: g.grantId, partner: g.partner },
      txHash: g.approvedTx,
    });
    if (g.revokedAt)
      out.push({
        time: Number(g.revokedAt),
        kind: "revocation",
        key: "timeline.revocation",
        vars: { id: g.grantId, reason: g.revokeReason ?? "" },
        block: g.revokedBlock ?? undefined,
      });
  }
  for (const a of input.anchors ?? [])
    out.push({
      time: Number(a.anchoredAt),
      kind: "anchor",
      key: "timeline.anchor",
      vars: { index: a.batchIndex, size: a.size },
      txHash: a.txHash,
      detail: a.root,
    });
  // Newest first; within one second, the order the kinds happen in (a vote after its proposal).
  const order = [
    "admission",
    "request",
    "proposal",
    "vote",
    "queued",
    "executed",
    "grant",
    "revocation",
    "canceled",
    "anchor",
  ];
  return out.sort((a, b) => b.time - a.time || order.indexOf(b.kind) - order.indexOf(a.kind));
}
