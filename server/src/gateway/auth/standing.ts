/**
 * Who has standing before the gateway. The access log records decisions about the co-op's data, and
 * anyone can generate a key and sign a request: if every signed request were a logged decision, 40 random
 * keys would write 40 entries, and a script millions. So the gateway logs (and uses the nonce of) only
 * the requests of grantees: partners the members granted access by vote, at any time (a grant active,
 * expired or revoked since — their later attempts are exactly what an auditor wants to see). An access
 * request alone does not give standing: it costs only gas, its fee is refunded on withdrawal, and anyone can
 * file one. Everyone else gets a 403 `no_grant`, is counted, and leaves nothing in the store. Sign-in
 * follows the same idea: members, grantees, and former members who still hold records.
 */
import type { Address } from "viem";
import { GatewayError } from "@datacoop/protocol/errors";
import type { Queryable } from "../../store/db.ts";
import type { ChainView } from "../serving/chainView.ts";

/**
 * Refusals that leave no trace in the store, counted by code; a summary line goes to `log` at most once
 * per `intervalMs` (never one line per request, which would only move the flood to the logs).
 */
export class GatewayCounters {
  private readonly counts = new Map<string, number>();
  private lastLog = 0;
  private logged = 0;
  private total = 0;
  private readonly log?: (event: Record<string, unknown>) => void;
  private readonly intervalMs: number;

  constructor(
    options: { log?: (event: Record<string, unknown>) => void; intervalMs?: number } = {},
  ) {
    this.log = options.log;
    this.intervalMs = options.intervalMs ?? 60_000;
  }

  add(code: string, now = Date.now()): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + 1);
    this.total++;
    if (this.log && now - this.lastLog >= this.intervalMs) {
      this.log({
        event: "gateway_unlogged_refusals",
        since: this.total - this.logged,
        counts: this.snapshot(),
      });
      this.lastLog = now;
      this.logged = this.total;
    }
  }

  /** Every count so far, by code. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/**
 * Grantees seen, per chain view. Kept for the process's life: an approval is final soon after it is
 * seen, and were one rolled back by a reorg, the cost is only that partner's refusals being logged.
 */
const standing = new WeakMap<ChainView, Set<string>>();
const MAX_KNOWN = 100_000;

/** 403 `no_grant` (counted) unless `signer` holds or held a grant of this co-op. */
export async function requireGrantee(
  ctx: { db: Queryable; chain: ChainView; counters?: GatewayCounters },
  signer: Address,
): Promise<void> {
  let known = standing.get(ctx.chain);
  if (!known) standing.set(ctx.chain, (known = new Set()));
  const key = signer.toLowerCase();
  if (known.has(key)) return;
  if (await ctx.chain.isGrantee(ctx.db, signer)) {
    if (known.size >= MAX_KNOWN) known.clear();
    known.add(key);
    return;
  }
  ctx.counters?.add("no_grant");
  throw new GatewayError(
    403,
    "no_grant",
    "The signer holds no grant of this co-op; its requests are not decided or logged.",
  );
}
