/** A ChainView over plain objects, for tests: the facts a chain-data domain would read from its views. */
import type { Address } from "viem";
import type { ChainView } from "../../src/gateway/serving/chainView.ts";
import type { ChainClock, ConsentFacts, GrantFacts } from "../../src/gateway/query/policy.ts";
import type { DatasetRegistration } from "@datacoop/protocol/datasetSchema";

export class TestChain implements ChainView {
  now: ChainClock;
  grants = new Map<bigint, GrantFacts>();
  /** Per member (lower-case): membership and standing consent. */
  consent = new Map<string, ConsentFacts>();
  /** Per grant id, per member: choice and block. */
  choices = new Map<
    bigint,
    Map<string, { choice: "optIn" | "optOut" | "default"; block: bigint }>
  >();
  datasets = new Map<bigint, DatasetRegistration>();
  /** Set to make every read fail (a broken store or view). */
  failing = false;

  constructor(now: ChainClock) {
    this.now = now;
  }

  private check() {
    if (this.failing) throw new Error("chain view unavailable");
  }

  async clock() {
    this.check();
    return { ...this.now };
  }

  async grant(_q: unknown, grantId: bigint) {
    this.check();
    return this.grants.get(grantId) ?? null;
  }

  async dataset(_q: unknown, datasetId: bigint) {
    this.check();
    return this.datasets.get(datasetId) ?? null;
  }

  async isMember(_q: unknown, account: Address) {
    this.check();
    return this.consent.get(account.toLowerCase())?.isMember ?? false;
  }

  async isGrantee(_q: unknown, account: Address) {
    this.check();
    return [...this.grants.values()].some(
      (g) => g.approvedAtBlock !== null && g.grantee.toLowerCase() === account.toLowerCase(),
    );
  }

  async consentFacts(_q: unknown, grant: GrantFacts, members: readonly string[]) {
    this.check();
    const out = new Map<string, ConsentFacts>();
    for (const m of members) {
      const base = this.consent.get(m);
      if (!base) continue;
      const choice = this.choices.get(grant.id)?.get(m);
      out.set(m, {
        ...base,
        grantChoice: choice?.choice ?? "default",
        grantChoiceAt: choice?.block ?? null,
      });
    }
    return out;
  }

  setChoice(grantId: bigint, member: Address, choice: "optIn" | "optOut" | "default") {
    const m = this.choices.get(grantId) ?? new Map();
    m.set(member.toLowerCase(), { choice, block: this.now.latestBlock });
    this.choices.set(grantId, m);
  }

  setConsent(member: Address, mask: bigint) {
    const f = this.consent.get(member.toLowerCase());
    if (!f) throw new Error("not a member");
    this.consent.set(member.toLowerCase(), {
      ...f,
      consentMask: mask,
      consentSetAt: this.now.latestBlock,
    });
  }
}
