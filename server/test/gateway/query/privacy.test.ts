import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { laplace, noisyMeasures, uniform } from "../../../src/gateway/query/privacy.ts";

function stats(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanAbs = xs.reduce((a, b) => a + Math.abs(b - mean), 0) / xs.length;
  return { mean, meanAbs };
}

describe("differential privacy", () => {
  it("draws uniforms in [0, 1) that cover the interval", () => {
    const xs = Array.from({ length: 20_000 }, uniform);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    const buckets = new Array(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]++;
    // Each decile holds 2,000 ± a generous 300 (about 6 standard deviations).
    for (const b of buckets) assert.ok(Math.abs(b - 2000) < 300, String(buckets));
  });

  it("samples Laplace noise with mean 0 and mean absolute deviation equal to the scale", () => {
    const xs = Array.from({ length: 40_000 }, () => laplace(4));
    const { mean, meanAbs } = stats(xs);
    assert.ok(Math.abs(mean) < 0.15, `mean ${mean}`);
    assert.ok(Math.abs(meanAbs - 4) < 0.15, `mean |x| ${meanAbs}`);
    assert.throws(() => laplace(0), RangeError);
  });

  it("does not use Math.random", () => {
    const original = Math.random;
    Math.random = () => 0.25;
    try {
      const xs = Array.from({ length: 100 }, () => laplace(1));
      assert.ok(new Set(xs).size > 90);
    } finally {
      Math.random = original;
    }
  });

  it("hides one member in the difference of two noisy sums", () => {
    // Two groups differing by one member whose clamped value is 100 (the bound): with epsilon 1 the
    // difference of the noisy sums is that value plus noise of scale 100 on each side, so an observer
    // cannot tell "member present" from "member absent" with any confidence from one pair.
    const bounds = [{ fn: "sum" as const, min: 0, max: 100 }];
    const withMember = { members: 10, sums: [1000] };
    const without = { members: 9, sums: [900] };
    const diffs = Array.from(
      { length: 4000 },
      () => noisyMeasures(withMember, bounds, 1)[0]! - noisyMeasures(without, bounds, 1)[0]!,
    );
    const { mean, meanAbs } = stats(diffs);
    // The mean difference is the member's value (the mechanism is unbiased)...
    assert.ok(Math.abs(mean - 100) < 12, `mean ${mean}`);
    // ...but a single difference spreads far wider than the value itself.
    assert.ok(meanAbs > 120, `spread ${meanAbs}`);
    const guessesRight = diffs.filter((d) => d > 50).length / diffs.length;
    assert.ok(guessesRight < 0.75, `a threshold guess is right ${guessesRight} of the time`);
  });

  it("keeps noisy counts non-negative integers and noisy means within the bounds", () => {
    const bounds = [{ fn: "count" as const }, { fn: "mean" as const, min: 10, max: 20 }];
    for (let i = 0; i < 500; i++) {
      const [count, mean] = noisyMeasures({ members: 3, sums: [null, 45] }, bounds, 0.1);
      assert.ok(Number.isInteger(count) && count! >= 0);
      assert.ok(mean! >= 10 && mean! <= 20);
    }
  });
});
