/**
 * What the gateway's route groups share: the options the sub-app is built with, the gateway, the rate
 * limiters, the clock, and the helpers several groups use (the signed-in member, a dataset's schema,
 * whether an address has standing). Built once per sub-app by `routeContext`.
 */
import type { Context } from "hono";
import { GatewayError } from "@datacoop/protocol/errors";
import { DEFAULT_PRIVACY_CAP } from "@datacoop/protocol/privacy";
import { authenticate, type SiweConfig } from "../../auth/memberAuth.ts";
import { GatewayCounters } from "../../auth/standing.ts";
import { loadDataset } from "../../records/records.ts";
import { RateLimiter } from "../../../http/rateLimit.ts";
import { Gateway, type GatewayContext } from "../serve.ts";

export interface GatewayRoutesOptions extends GatewayContext {
  /** The gateway these routes serve (default: a new one over the context). */
  gateway?: Gateway;
  siwe: SiweConfig;
  /** Largest request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Signed queries per partner per minute (default 600). */
  partnerRequestsPerMinute?: number;
  /** Contributions and erasures per member per minute (default 120). */
  memberRequestsPerMinute?: number;
  /** Sign-in nonces and attempts per minute, all clients together (default 600). */
  signInsPerMinute?: number;
  /** Schema documents published per minute, all clients together (default 30). */
  schemaPublicationsPerMinute?: number;
  log?: (event: Record<string, unknown>) => void;
  /** Where this sub-app is mounted, for the interactive docs' link to the document (default "/gateway"). */
  mountPath?: string;
  /**
   * Checks a member's listing against the anchored log and its last verification (the operator's
   * verifier); throws a 409 `log_broken` rather than answer a list that may be missing entries.
   */
  checkAccesses?: (
    accesses: readonly { seq: number; entry: string; prevHash: string; hash: string }[],
  ) => Promise<void>;
}

export interface RouteContext {
  options: GatewayRoutesOptions;
  db: GatewayContext["db"];
  chain: GatewayContext["chain"];
  keys: GatewayContext["keys"];
  gateway: Gateway;
  log: (event: Record<string, unknown>) => void;
  /** The gateway's clock, in seconds. */
  nowOf: () => bigint;
  /** The co-op's privacy cap now (the chain's, or the default). */
  capOf: () => ReturnType<NonNullable<GatewayContext["chain"]["privacyCap"]>>;
  /** Every limit is counted in the store, so several gateway processes share it (rateLimit.ts). */
  limiters: { partner: RateLimiter; member: RateLimiter; signIn: RateLimiter; schema: RateLimiter };
  /** A 429 `rate_limited` unless the limiter let the request through. */
  limited: (take: Promise<boolean>, what: string) => Promise<void>;
  /** The signed-in member (the session's address), counted against the member limit. */
  member: (c: Context) => Promise<`0x${string}`>;
  /** A dataset's accepted schema, or 404 `dataset_unknown`. */
  dataset: (id: string) => Promise<NonNullable<Awaited<ReturnType<typeof loadDataset>>>>;
  /** Members, grantees, and former members still holding records may sign in. */
  hasStanding: (address: `0x${string}`) => Promise<boolean>;
  /** Whether the address holds live records (in the dataset, or in any). */
  holdsRecords: (address: string, datasetId?: string) => Promise<boolean>;
}

export function routeContext(options: GatewayRoutesOptions): RouteContext {
  const { db, chain, keys } = options;
  const nowOf = () => (options.now ?? (() => BigInt(Math.floor(Date.now() / 1000))))();
  const capOf = async () =>
    chain.privacyCap ? chain.privacyCap(db, nowOf()) : { ...DEFAULT_PRIVACY_CAP };
  const log = options.log ?? (() => undefined);
  // Every limit is counted in the store, so several gateway processes share it (rateLimit.ts).
  const clock = options.now ? () => Number(options.now!()) * 1000 : Date.now;
  const limiter = (name: string, limit: number) =>
    new RateLimiter({ db, name, limit, windowMs: 60_000, clock });
  const limiters = {
    partner: limiter("partner", options.partnerRequestsPerMinute ?? 600),
    member: limiter("member", options.memberRequestsPerMinute ?? 120),
    // Sign-in and schema publication are unauthenticated: one budget for everyone each.
    signIn: limiter("sign-in", options.signInsPerMinute ?? 600),
    schema: limiter("schema", options.schemaPublicationsPerMinute ?? 30),
  };
  const counters = options.counters ?? new GatewayCounters({ log });
  const context: GatewayContext = { ...options, counters };
  const gateway = options.gateway ?? new Gateway(context);
  const limited = async (take: Promise<boolean>, what: string) => {
    if (!(await take)) {
      throw new GatewayError(429, "rate_limited", `Too many ${what}; try again in a minute.`);
    }
  };

  async function hasStanding(address: `0x${string}`): Promise<boolean> {
    if ((await chain.isMember(db, address)) || (await chain.isGrantee(db, address))) return true;
    return holdsRecords(address);
  }

  async function holdsRecords(address: string, datasetId?: string): Promise<boolean> {
    const { rows } = await db.query(
      `SELECT 1 FROM gateway_contributors
       WHERE member = $1 AND live > 0 AND ($2::numeric IS NULL OR dataset_id = $2) LIMIT 1`,
      [address.toLowerCase(), datasetId ?? null],
    );
    return rows.length > 0;
  }

  async function member(c: Context): Promise<`0x${string}`> {
    const header = c.req.header("authorization");
    const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : undefined;
    const address = await authenticate(db, token);
    await limited(limiters.member.take(address.toLowerCase()), "requests");
    return address;
  }

  async function dataset(id: string) {
    const schema = await loadDataset(db, BigInt(id));
    if (!schema)
      throw new GatewayError(
        404,
        "dataset_unknown",
        `The gateway has no schema for dataset ${id}.`,
      );
    return schema;
  }

  return {
    options,
    db,
    chain,
    keys,
    gateway,
    log,
    nowOf,
    capOf,
    limiters,
    limited,
    member,
    dataset,
    hasStanding,
    holdsRecords,
  };
}
