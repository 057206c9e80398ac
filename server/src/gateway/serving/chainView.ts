/**
 * What the gateway needs to know about the chain, read inside the decision's transaction. The chain-data
 * domain implements it over its SQL views; tests implement it with plain objects.
 */
import type { Address } from "viem";
import type { Queryable } from "../../store/db.ts";
import type { ChainClock, ConsentFacts, GrantFacts } from "../query/policy.ts";
import type { DatasetRegistration } from "@datacoop/protocol/datasetSchema";

/**
 * The co-op's privacy cap, an on-chain term set by vote: each member's privacy loss per dataset may
 * reach `epsilonMillionths` millionths of ε in each period of `periodSeconds`, periods counted from
 * `since` (the time the term took effect). DEFAULT_PRIVACY_CAP (protocol/src/privacy.ts) when the chain
 * states none.
 */
export interface PrivacyCap {
  epsilonMillionths: bigint;
  periodSeconds: bigint;
  since: bigint;
}

export interface ChainView {
  /** Latest indexed block, its time, the final block, and whether the registry is paused. */
  clock(q: Queryable): Promise<ChainClock>;
  /** The grant (or request) with this id, null when none. */
  grant(q: Queryable, grantId: bigint): Promise<GrantFacts | null>;
  /** The dataset's on-chain registration (schema hash and fields), null when none. */
  dataset(q: Queryable, datasetId: bigint): Promise<DatasetRegistration | null>;
  /** Whether `account` is a member as of the latest indexed block. */
  isMember(q: Queryable, account: Address): Promise<boolean>;
  /**
   * The privacy cap in force at `now` (unix seconds; default the wall clock) as of the latest indexed
   * block (optional: DEFAULT_PRIVACY_CAP without it).
   */
  privacyCap?(q: Queryable, now?: bigint): Promise<PrivacyCap>;
  /**
   * Whether `account` holds or held a grant of this co-op: an access request the members approved by vote
   * (active, expired or revoked since). Only grantees have their queries decided and logged.
   */
  isGrantee(q: Queryable, account: Address): Promise<boolean>;
  /** Consent facts for `members` as they bear on `grant`, keyed by lower-case address (absent: no facts). */
  consentFacts(
    q: Queryable,
    grant: GrantFacts,
    members: readonly string[],
  ): Promise<Map<string, ConsentFacts>>;
}
