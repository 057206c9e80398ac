/**
 * The privacy cap as the gateway reads it from the chain's PrivacyCapSet events: a new ε at once, a new
 * period length only from the end of the running period. The attack: a vote that changes the term
 * mid-period must not open a fresh period (a second budget inside the first).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_PRIVACY_CAP } from "@datacoop/protocol/privacy";
import { foldPrivacyCap, type PrivacyCapChange } from "../../src/follower/chainView.ts";
import { periodStartOf } from "../../src/gateway/serving/ledger.ts";

const DAY = 86_400n;
const T0 = 1_800_000_000n;
const deployed: PrivacyCapChange = {
  initial: true,
  epsilonMillionths: 1_000_000n,
  periodSeconds: 30n * DAY,
  at: T0,
};

describe("the privacy cap read from the chain", () => {
  it("is the documented default before any term, and the deployment's term from its time", () => {
    assert.deepEqual(foldPrivacyCap([], T0), { ...DEFAULT_PRIVACY_CAP });
    assert.deepEqual(foldPrivacyCap([deployed], T0 + DAY), {
      epsilonMillionths: 1_000_000n,
      periodSeconds: 30n * DAY,
      since: T0,
    });
  });

  it("applies a lowered ε at once", () => {
    const lowered = {
      initial: false,
      epsilonMillionths: 250_000n,
      periodSeconds: 30n * DAY,
      at: T0 + 5n * DAY,
    };
    const cap = foldPrivacyCap([deployed, lowered], T0 + 6n * DAY);
    assert.equal(cap.epsilonMillionths, 250_000n);
    assert.equal(periodStartOf(cap, T0 + 6n * DAY), T0);
  });

  it("never opens a fresh period when the period length changes mid-period (attack)", () => {
    // 20 days into a 30-day period, a vote sets 7-day periods.
    const changedAt = T0 + 20n * DAY;
    const change = {
      initial: false,
      epsilonMillionths: 1_000_000n,
      periodSeconds: 7n * DAY,
      at: changedAt,
    };
    for (const now of [changedAt, changedAt + DAY, T0 + 30n * DAY - 1n]) {
      const cap = foldPrivacyCap([deployed, change], now);
      // Still the running period: the ledger keeps charging against what members spent in it.
      assert.equal(periodStartOf(cap, now), T0, `at ${now - T0}`);
    }
    // From the end of the running period, 7-day periods.
    const after = foldPrivacyCap([deployed, change], T0 + 30n * DAY);
    assert.deepEqual(after, {
      epsilonMillionths: 1_000_000n,
      periodSeconds: 7n * DAY,
      since: T0 + 30n * DAY,
    });
    assert.equal(periodStartOf(after, T0 + 38n * DAY), T0 + 37n * DAY);
  });

  it("takes the last of several changes within one period, and a change back cancels a pending one", () => {
    const a = {
      initial: false,
      epsilonMillionths: 1_000_000n,
      periodSeconds: 7n * DAY,
      at: T0 + DAY,
    };
    const back = {
      initial: false,
      epsilonMillionths: 900_000n,
      periodSeconds: 30n * DAY,
      at: T0 + 2n * DAY,
    };
    const cap = foldPrivacyCap([deployed, a, back], T0 + 31n * DAY);
    assert.deepEqual(cap, { epsilonMillionths: 900_000n, periodSeconds: 30n * DAY, since: T0 });
    assert.equal(periodStartOf(cap, T0 + 31n * DAY), T0 + 30n * DAY);
  });
});
