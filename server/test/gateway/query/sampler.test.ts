/**
 * The exact samplers against their exact distributions. Every bin is checked with the Chernoff bound
 * P[|X/N − p| ≥ |q − p|] ≤ 2·exp(−N·KL(q‖p)) — a bound, not an approximation — at a false-failure rate
 * fixed in advance for the whole file (union bound over every bin checked), so a correct sampler fails
 * here less than once in a million runs, and a sampler whose bins are off by a few per cent fails almost
 * surely. The means and variances are checked by the central limit theorem at six standard errors.
 *
 *   node --test test/gateway/query/sampler.test.ts                   fast (part of npm test)
 *   SAMPLER_DEEP=1 node --test test/gateway/query/sampler.test.ts    20× the samples
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import {
  CryptoRandom,
  bernoulli,
  bernoulliExp,
  discreteLaplace,
} from "../../../src/gateway/query/sampler.ts";

const SCALE = process.env.SAMPLER_DEEP ? 20 : 1;
/** Total false-failure probability of this file's bin checks. */
const ALPHA = 1e-6;
/** Upper bound on the number of bins checked in this file (the union bound divides ALPHA by it). */
const BINS = 1000;
let binsChecked = 0;
const LIMIT = Math.log((2 * BINS) / ALPHA);

after(() => assert.ok(binsChecked <= BINS, `${binsChecked} bins checked: raise BINS`));

function kl(q: number, p: number): number {
  const term = (a: number, b: number) => (a === 0 ? 0 : a * Math.log(a / b));
  return term(q, p) + term(1 - q, 1 - p);
}

/** Fails when some bin's frequency is further from its probability than the Chernoff bound allows. */
function checkBins(label: string, counts: readonly number[], probs: readonly number[], n: number) {
  assert.equal(counts.length, probs.length);
  const total = probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-9, `${label}: the bins' probabilities sum to ${total}`);
  binsChecked += counts.length;
  counts.forEach((c, i) => {
    const q = c / n;
    const p = probs[i];
    const score = n * kl(q, p);
    assert.ok(
      score <= LIMIT,
      `${label}, bin ${i}: observed ${c} of ${n} (${q}), expected p = ${p}; N·KL = ${score.toFixed(1)} > ${LIMIT.toFixed(1)}`,
    );
  });
}

/** Mean and variance within six standard errors (the standard errors from the exact moments). */
function checkMoments(label: string, xs: readonly number[], mean: number, m2: number, m4: number) {
  const n = xs.length;
  const sampleMean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = m2 - mean * mean;
  assert.ok(
    Math.abs(sampleMean - mean) <= 6 * Math.sqrt(variance / n),
    `${label}: mean ${sampleMean}, expected ${mean}`,
  );
  const sampleM2 = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n;
  assert.ok(
    Math.abs(sampleM2 - variance) <= 6 * Math.sqrt((m4 - variance * variance) / n),
    `${label}: variance ${sampleM2}, expected ${variance}`,
  );
}

describe("uniform integers by rejection", () => {
  it("draws every value of [0, n) equally often, for small and very large n", () => {
    const rng = new CryptoRandom();
    const N = 60_000 * SCALE;
    for (const n of [1n, 2n, 3n, 10n, 3n << 30n, 0xffff_fffbn, 0x1_0000_0003n, 3n << 70n]) {
      const B = n < 12n ? Number(n) : 12;
      const counts = new Array<number>(B).fill(0);
      for (let i = 0; i < N; i++) {
        const x = rng.below(n);
        assert.ok(x >= 0n && x < n);
        counts[Number((x * BigInt(B)) / n)]++;
      }
      // Bin i holds the integers x with ⌊x·B/n⌋ = i: from ⌈i·n/B⌉ to ⌈(i+1)·n/B⌉ − 1.
      const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
      const probs = Array.from({ length: B }, (_, i) => {
        const size = ceilDiv(BigInt(i + 1) * n, BigInt(B)) - ceilDiv(BigInt(i) * n, BigInt(B));
        return Number(size) / Number(n);
      });
      checkBins(`below(${n})`, counts, probs, N);
    }
  });

  it("refuses an empty range", () => {
    assert.throws(() => new CryptoRandom().below(0n), RangeError);
  });
});

describe("Bernoulli samplers", () => {
  it("draws Bernoulli(num/den) exactly", () => {
    const N = 40_000 * SCALE;
    for (const [num, den] of [
      [0n, 1n],
      [1n, 1n],
      [1n, 3n],
      [5n, 7n],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < N; i++) if (bernoulli(num, den)) ones++;
      const p = Number(num) / Number(den);
      checkBins(`Bernoulli(${num}/${den})`, [N - ones, ones], [1 - p, p], N);
    }
  });

  it("draws Bernoulli(exp(−γ)) for rational γ below, at and above 1", () => {
    const N = 40_000 * SCALE;
    for (const [num, den] of [
      [0n, 1n],
      [1n, 3n],
      [1n, 1n],
      [5n, 2n],
      [7n, 1n],
      [123_456_789n, 100_000_000n],
    ] as const) {
      let ones = 0;
      for (let i = 0; i < N; i++) if (bernoulliExp(num, den)) ones++;
      const p = Math.exp(-Number(num) / Number(den));
      checkBins(`Bernoulli(exp(−${num}/${den}))`, [N - ones, ones], [1 - p, p], N);
    }
  });

  it("refuses a negative γ or a zero denominator", () => {
    assert.throws(() => bernoulliExp(-1n, 2n), RangeError);
    assert.throws(() => bernoulliExp(1n, 0n), RangeError);
    assert.throws(() => bernoulli(3n, 2n), RangeError);
  });
});

/** The discrete Laplace pmf of scale t/s at x: (1 − q)/(1 + q)·q^|x|, q = exp(−s/t). */
function laplacePmf(x: number, scale: number): number {
  const q = Math.exp(-1 / scale);
  return ((1 - q) / (1 + q)) * q ** Math.abs(x);
}

describe("discrete Laplace", () => {
  for (const [t, s] of [
    [1n, 1n],
    [7n, 2n],
    [3_000_000n, 250_000n],
    [10n ** 13n, 3n * 10n ** 12n + 1n],
  ] as const) {
    const scale = Number(t) / Number(s);
    it(`matches the exact pmf, mean and variance at scale ${t}/${s}`, () => {
      const N = 60_000 * SCALE;
      const xs: number[] = new Array(N);
      for (let i = 0; i < N; i++) xs[i] = Number(discreteLaplace(t, s));
      // Single values while each expects at least 30 samples, then the two tails.
      let B = 0;
      while (laplacePmf(B + 1, scale) * N >= 30) B++;
      const counts = new Array<number>(2 * B + 3).fill(0);
      for (const x of xs) counts[x < -B ? 0 : x > B ? 2 * B + 2 : x + B + 1]++;
      const q = Math.exp(-1 / scale);
      const tail = q ** (B + 1) / (1 + q);
      const probs = [
        tail,
        ...Array.from({ length: 2 * B + 1 }, (_, i) => laplacePmf(i - B, scale)),
        tail,
      ];
      checkBins(`Laplace(${t}/${s})`, counts, probs, N);
      const variance = (2 * q) / (1 - q) ** 2;
      let m4 = 0;
      for (let x = 1; laplacePmf(x, scale) > 1e-300 && x < 1e6; x++) {
        m4 += 2 * laplacePmf(x, scale) * x ** 4;
      }
      checkMoments(`Laplace(${t}/${s})`, xs, 0, variance, m4);
    });
  }

  it("takes no randomness from Math.random", () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error("Math.random was called");
    };
    try {
      const xs = Array.from({ length: 200 }, () => discreteLaplace(10n, 1n));
      assert.ok(new Set(xs).size > 20);
    } finally {
      Math.random = original;
    }
  });

  it("refuses a scale that is not positive", () => {
    assert.throws(() => discreteLaplace(0n, 1n), RangeError);
    assert.throws(() => discreteLaplace(1n, 0n), RangeError);
  });
});
