/**
 * Exact samplers for differential privacy, after Canonne, Kamath and Steinke, "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020, arXiv:2004.00010):
 *
 * - Algorithm 1: Bernoulli(exp(−γ)) for a rational γ ≥ 0 (`bernoulliExp`);
 * - Algorithm 2: the discrete Laplace distribution over the integers, P[x] ∝ exp(−|x|·s/t) for integers
 *   s, t ≥ 1 (`discreteLaplace`), through a geometric sample built from Algorithm 1.
 *
 * Integers and rationals only (BigInt), no floating point anywhere: the float Laplace sampler of the
 * textbook leaks through the low bits of its output (Mironov, "On significance of the least significant
 * bits for differential privacy", CCS 2012). Randomness comes from the operating system's cryptographic
 * generator (`crypto.getRandomValues`) and becomes uniform integers by rejection, never by a modulo, so no
 * value is more likely than another. The structure follows OpenDP's implementation of the same algorithms
 * (rust/src/traits/samplers/cks20). The discrete Gaussian (Algorithm 3) is not needed: the gateway accounts
 * in pure ε (see privacy.ts).
 */
import { getRandomValues } from "node:crypto";

/** Uniform random words, read from a pool that the operating system's generator refills. */
export class CryptoRandom {
  private pool = new Uint32Array(1024);
  private at = this.pool.length;

  /** A uniform integer in [0, 2^32). */
  uint32(): number {
    if (this.at === this.pool.length) {
      getRandomValues(this.pool);
      this.at = 0;
    }
    return this.pool[this.at++];
  }

  /** A uniform integer in [0, n), n ≥ 1, by rejection. */
  below(n: bigint): bigint {
    if (n <= 0n) throw new RangeError("below(n) needs n ≥ 1");
    if (n <= 0x1_0000_0000n) return BigInt(this.belowSmall(Number(n)));
    const max = n - 1n;
    const bits = max.toString(2).length;
    const words = Math.ceil(bits / 32);
    const topBits = bits - (words - 1) * 32;
    const topMask = topBits === 32 ? 0xffffffff : (1 << topBits) - 1;
    for (;;) {
      let x = BigInt((this.uint32() & topMask) >>> 0);
      for (let i = 1; i < words; i++) x = (x << 32n) | BigInt(this.uint32());
      if (x < n) return x;
    }
  }

  /** A uniform integer in [0, n) for 1 ≤ n ≤ 2^32. */
  belowSmall(n: number): number {
    if (n === 1) return 0;
    const bits = 32 - Math.clz32(n - 1);
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    for (;;) {
      const x = (this.uint32() & mask) >>> 0;
      if (x < n) return x;
    }
  }
}

/** The gateway's one source of noise randomness. */
export const cryptoRandom = new CryptoRandom();

/** Bernoulli(num / den) for integers 0 ≤ num ≤ den, den ≥ 1. */
export function bernoulli(num: bigint, den: bigint, rng: CryptoRandom = cryptoRandom): boolean {
  if (num < 0n || den < 1n || num > den) throw new RangeError("Bernoulli needs 0 ≤ num ≤ den");
  return rng.below(den) < num;
}

/** Bernoulli(exp(−num/den)) for 0 ≤ num/den ≤ 1 (Algorithm 1, first case). */
function bernoulliExp1(num: bigint, den: bigint, rng: CryptoRandom): boolean {
  let k = 1n;
  for (;;) {
    if (bernoulli(num, den * k, rng)) k++;
    else return k % 2n === 1n;
  }
}

/** Bernoulli(exp(−num/den)) for a rational num/den ≥ 0, den ≥ 1 (Algorithm 1). */
export function bernoulliExp(num: bigint, den: bigint, rng: CryptoRandom = cryptoRandom): boolean {
  if (num < 0n || den < 1n) throw new RangeError("Bernoulli(exp(−γ)) needs γ = num/den ≥ 0");
  while (num > den) {
    if (!bernoulliExp1(1n, 1n, rng)) return false;
    num -= den;
  }
  return bernoulliExp1(num, den, rng);
}

/** How many Bernoulli(exp(−1)) successes come before the first failure: geometric, P[k] ∝ e^−k. */
function geometricExp1(rng: CryptoRandom): bigint {
  let k = 0n;
  while (bernoulliExp1(1n, 1n, rng)) k++;
  return k;
}

/**
 * A geometric sample with P[k] ∝ exp(−k·s/t), k ≥ 0 (Algorithm 2's inner part): Z = U + t·V, with U
 * uniform in [0, t) accepted with probability exp(−U/t) and V geometric of ratio e^−1, is geometric of
 * ratio exp(−1/t); ⌊Z/s⌋ is then geometric of ratio exp(−s/t).
 */
function geometricExp(s: bigint, t: bigint, rng: CryptoRandom): bigint {
  let u: bigint;
  do u = rng.below(t);
  while (!bernoulliExp(u, t, rng));
  const z = u + t * geometricExp1(rng);
  return z / s;
}

/**
 * A sample of the discrete Laplace distribution of scale t/s: P[x] = (1 − q)/(1 + q) · q^|x| with
 * q = exp(−s/t), for integers s, t ≥ 1 (Algorithm 2). Adding it to an integer statistic of L1 sensitivity
 * Δ with t/s = Δ/ε is ε-differentially private.
 */
export function discreteLaplace(t: bigint, s: bigint, rng: CryptoRandom = cryptoRandom): bigint {
  if (t < 1n || s < 1n) throw new RangeError("the discrete Laplace scale t/s needs t, s ≥ 1");
  for (;;) {
    const negative = (rng.uint32() & 1) === 1;
    const magnitude = geometricExp(s, t, rng);
    // (negative, 0) is rejected, so that 0 is not counted twice.
    if (!negative) return magnitude;
    if (magnitude !== 0n) return -magnitude;
  }
}
