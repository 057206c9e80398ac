/**
 * Differentially private answers: fixed point, the noise's scale and distribution as added to each cell,
 * post-processing from noisy values only, and that no floating-point noise path is left in the gateway
 * (the Mironov 2012 attack on textbook Laplace noise reads the low bits of a double).
 */
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { AggregateQuery } from "@datacoop/protocol/query";
import {
  fixedPointOf,
  fromUnits,
  noiseScale,
  privateAnswer,
  privatePlan,
  toUnits,
  type PrivatePlan,
} from "../../../src/gateway/query/privacy.ts";
import { CryptoRandom } from "../../../src/gateway/query/sampler.ts";
import { datasetSchema } from "../fixtures.ts";

const schema = datasetSchema();

/** A seeded source in place of the OS's, so post-processing can be checked on known noise. */
class SeededRandom extends CryptoRandom {
  private state: number;
  constructor(seed: number) {
    super();
    this.state = seed >>> 0;
  }
  override uint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

function plan(query: Omit<AggregateQuery, "type">, k = 3): PrivatePlan {
  const p = privatePlan({ type: "aggregate", ...query }, schema, k);
  assert.ok(!("reason" in p), "reason" in p ? p.message : "");
  return p;
}

describe("fixed point", () => {
  it("represents bounded fields in integer units of at most 2^24, bounds rounded, values clamped", () => {
    assert.deepEqual(fixedPointOf({ name: "a", type: "integer", min: 16, max: 120 }), {
      exponent: 0,
      lo: 16,
      hi: 120,
    });
    assert.deepEqual(fixedPointOf({ name: "h", type: "number", min: 0.1, max: 100 }), {
      exponent: -5,
      lo: 10_000,
      hi: 10_000_000,
    });
    const big = fixedPointOf({ name: "loan", type: "number", min: -1e9, max: 1e9 })!;
    assert.deepEqual(big, { exponent: 2, lo: -10_000_000, hi: 10_000_000 });
    assert.equal(fixedPointOf({ name: "x", type: "number" }), null);
    const f = fixedPointOf({ name: "h", type: "number", min: 0.1, max: 100 })!;
    assert.equal(toUnits(0.3, f), 30_000);
    assert.equal(toUnits(1e6, f), 10_000_000);
    assert.equal(toUnits(-5, f), 10_000);
    // Decoded through the decimal: 30000 units of 10⁻⁵ is 0.3, not 0.30000000000000004.
    assert.equal(fromUnits(30_000n, -5), 0.3);
    assert.equal(fromUnits(-123n, 2), -12_300);
  });
});

describe("noise", () => {
  it("splits ε equally among the statistics: scale = Δ · statistics / ε", () => {
    const p = plan({
      groupBy: ["region"],
      measures: [{ fn: "count" }, { fn: "sum", field: "yield_kg" }],
      epsilon: 0.5,
    });
    // Two statistics at ε/2 each: the count's scale 1 / 0.25 = 4, the sum's 10⁷ units / 0.25.
    assert.deepEqual(noiseScale(p, 0), { t: 2n * 1_000_000n, s: 500_000n });
    assert.deepEqual(noiseScale(p, 1), { t: 10_000_000n * 2n * 1_000_000n, s: 500_000n });
    const answer = privateAnswer(p, schema, {
      sums: [
        [0n, 0n, 0n, 0n],
        [0n, 0n, 0n, 0n],
      ],
    });
    assert.deepEqual(answer.noise.scales, { count: 4, "sum:yield_kg": 40_000 });
    assert.equal(answer.noise.mechanism, "discrete Laplace");
    assert.equal(answer.noise.epsilon, 0.5);
  });

  it("adds noise to every cell with the discrete Laplace law of that scale (mean 0, variance 2q/(1−q)²)", () => {
    const p = plan({ measures: [{ fn: "count" }], epsilon: 0.5 });
    // One statistic: scale 1/0.5 = 2, q = e^(−1/2); the threshold is 0 so every answer shows.
    const loose = { ...p, threshold: -1_000_000 };
    // The exact moments, summed over the pmf (1 − q)/(1 + q) · q^|x| (tails past ±400 are below 1e-80).
    const q = 0.6065306597126334; // e^(−1/2)
    let variance = 0;
    let m4 = 0;
    for (let x = -400; x <= 400; x++) {
      const pmf = ((1 - q) / (1 + q)) * q ** Math.abs(x);
      variance += pmf * x * x;
      m4 += pmf * x ** 4;
    }
    assert.ok(Math.abs(variance - (2 * q) / (1 - q) ** 2) < 1e-9);
    const N = 20_000;
    const xs: number[] = [];
    const rng = new CryptoRandom();
    for (let i = 0; i < N; i++) {
      const a = privateAnswer(loose, schema, { sums: [[1000n]] }, rng);
      xs.push((a.groups[0].values.count as number) - 1000);
    }
    assert.ok(xs.every(Number.isInteger));
    const mean = xs.reduce((a, b) => a + b, 0) / N;
    const sampleVar = xs.reduce((a, b) => a + b * b, 0) / N;
    assert.ok(Math.abs(mean) <= 6 * Math.sqrt(variance / N), `mean ${mean}`);
    assert.ok(
      Math.abs(sampleVar - variance) <= 6 * Math.sqrt((m4 - variance * variance) / N),
      `variance ${sampleVar}, expected ${variance}`,
    );
  });

  it("decides from noisy values only: suppression under k, counts floored at 0, means clamped", () => {
    const p = plan(
      {
        groupBy: ["region"],
        measures: [{ fn: "count" }, { fn: "mean", field: "yield_kg" }],
        epsilon: 1,
      },
      50,
    );
    // Exact sums: north 400 records, south 2, east 0, west 60 (units of 10⁻³ kg).
    const sums = {
      sums: [
        [400n, 2n, 0n, 60n],
        [400n * 5_000_000n, 2n * 9_000_000n, 0n, 60n * 1_000_000n],
      ],
    };
    const answer = privateAnswer(p, schema, sums, new SeededRandom(7));
    const shown = answer.groups.map((g) => g.key.region);
    assert.ok(shown.includes("north"), JSON.stringify(answer));
    assert.ok(!shown.includes("east") && !shown.includes("south"), JSON.stringify(answer));
    assert.equal(answer.suppressedGroups, 4 - answer.groups.length);
    for (const g of answer.groups) {
      assert.ok((g.values.count as number) >= 50);
      const mean = g.values["mean:yield_kg"] as number;
      assert.ok(mean >= 0 && mean <= 10_000, String(mean));
    }
    // A count below zero after noise is shown as zero (k = 0 shows every group).
    const all = privateAnswer(
      { ...p, threshold: -1_000_000 },
      schema,
      {
        sums: [
          [0n, 0n, 0n, 0n],
          [0n, 0n, 0n, 0n],
        ],
      },
      new SeededRandom(3),
    );
    assert.equal(all.groups.length, 4);
    for (const g of all.groups) assert.ok((g.values.count as number) >= 0);
  });

  it("answers sums in the field's fixed point: every noisy sum a multiple of its resolution", () => {
    const p = plan({ measures: [{ fn: "sum", field: "hectares" }], epsilon: 1 }, 0);
    const loose = { ...p, threshold: -1_000_000 };
    for (let i = 0; i < 200; i++) {
      const a = privateAnswer(loose, schema, { sums: [[10n], [1_234_567n]] });
      const sum = a.groups[0].values["sum:hectares"] as number;
      // hectares ∈ [0, 100]: units of 10⁻⁵; the decoded sum has at most five decimals.
      assert.equal(Number(sum.toFixed(5)), sum);
      assert.equal(fromUnits(BigInt(Math.round(sum * 1e5)), -5), sum);
    }
  });
});

describe("no floating-point noise path", () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const gateway = path.resolve(here, "../../../src/gateway");

  async function sources(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) out.push(...(await sources(full)));
      else if (entry.name.endsWith(".ts")) out.push(full);
    }
    return out;
  }

  it("has no Math.random, no logarithm or exponential of a double, and one source of randomness", async () => {
    const files = await sources(gateway);
    assert.ok(files.length > 20, `found ${files.length} files`);
    for (const file of files) {
      const text = await readFile(file, "utf8");
      const name = path.relative(gateway, file);
      assert.ok(!/Math\.random/.test(text), `${name} uses Math.random`);
      assert.ok(
        !/Math\.(log|log1p|log2|log10|exp|expm1)\s*\(/.test(text),
        `${name} takes a floating-point logarithm or exponential`,
      );
      assert.ok(!/\blaplace\s*\(/.test(text), `${name}: a float Laplace`);
      if (name !== path.join("query", "sampler.ts")) {
        assert.ok(
          !/getRandomValues|randomInt|randomBytes\(\s*\d+\s*\)\.read(Double|Float)/.test(text),
          `${name} draws randomness outside the sampler`,
        );
      }
    }
    const privacy = await readFile(path.join(gateway, "query", "privacy.ts"), "utf8");
    assert.match(privacy, /discreteLaplace\(/);
  });

  it("never calls Math.random while answering", () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error("Math.random called");
    };
    try {
      const p = plan({ groupBy: ["region"], measures: [{ fn: "mean", field: "yield_kg" }] });
      privateAnswer(p, schema, {
        sums: [
          [5n, 5n, 5n, 5n],
          [1n, 2n, 3n, 4n],
        ],
      });
    } finally {
      Math.random = original;
    }
  });
});
