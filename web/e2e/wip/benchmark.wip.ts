/**
 * A member's own benchmark against the pool, end to end under differential privacy: the co-op votes a grant
 * to its own members for the benchmarking purpose (`grantToMembers`), members consent to that purpose, and
 * several members contribute records through the gateway. A member signs in and opens their benchmark on a
 * 360×640 phone and on a laptop, in English and in Hindi: their own average is their exact average, the pool's
 * count is within the noise's stated range of the true count computed here, the chart is drawn, the noise is
 * explained in plain words, and no other member's figure, record or name appears on the page or in any
 * response the page receives. A member who withdraws consent for benchmarking leaves the pool.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { coop } from "@datacoop/server/testing/coop";
import { http, signIn } from "@datacoop/server/testing/gateway";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { HARVESTS } from "../../../scripts/demo.ts";
import type { MessageKey, Messages } from "../../src/i18n/en.ts";
import { formatNumber } from "../../src/i18n/format.ts";
import { loadDictionary, translate, type Vars } from "../../src/i18n/i18n.tsx";
import { BENCHMARK_PURPOSE } from "../../src/lib/benchmark.ts";
import { fieldHeading, type SchemaField } from "../../src/lib/schemaDoc.ts";
import { checkScreen, launchChromium, startIndexer, startPreview } from "../support.ts";

const fields = HARVESTS.fields as SchemaField[];
const YIELD = fields.find((f) => f.name === "yield_t_per_ha")!;
/** The members' grant covers the yield alone (the fifth field of the schema). */
const FIELD_MASK = 1n << BigInt(fields.indexOf(YIELD));
const BENCHMARKING = 1n << BigInt(BENCHMARK_PURPOSE);
const DAY = 86_400n;

/** The member who looks at their benchmark (Founder 2, Hardhat's account 1): two records, average exactly 3.3. */
const VIEWER = 1;
const VIEWER_YIELDS = [3.25, 3.35];
/**
 * The other members' records: yields no one could guess (so that finding one anywhere means it leaked), farm
 * names and record ids of their own. Founder 5 contributes many records of high yields, then withdraws.
 */
const OTHERS: Record<number, number[]> = {
  0: [4.137, 5.291, 6.083],
  2: [2.719, 7.463],
  3: [5.847, 4.573, 6.311, 3.929],
};
const LEAVER = 4;
const LEAVER_YIELDS = Array.from({ length: 40 }, (_, i) => 18.5 + (i % 7) * 0.163 + 0.0071);
const farmOf = (i: number) => `Shamba la Mwanachama ${i}`;

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

let chain: TestChain;
let indexer: Awaited<ReturnType<typeof startIndexer>>;
let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;
let origin: string;

beforeAll(async () => {
  chain = await startChain();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  indexer = await startIndexer(chain, origin);
  preview = await startPreview(chain.deploymentFile, chain.rpcUrl, {
    port,
    indexerUrl: indexer.apiUrl,
  });
  browser = await launchChromium();
  const c = coop(chain);
  // The members vote the harvests dataset and a benchmarking grant to themselves, in one proposal:
  // totals only, differentially private answers, groups of at least two.
  await c.pass(
    [
      c.call("registry", "registerDataset", [
        HARVESTS.name,
        "https://valley.example/harvests-2026.json",
        canonicalHash(HARVESTS),
        fields.map((f) => f.name),
      ]),
      c.call("registry", "grantToMembers", [
        1n,
        BENCHMARK_PURPOSE,
        { fieldMask: FIELD_MASK, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
        30n * DAY,
        "https://valley.example/terms/benchmarking",
      ]),
    ],
    "# Register the harvests and compare ourselves with the pool",
  );
  await indexer.caughtUp();
  const gateway = http(indexer.gatewayUrl);
  expect((await gateway.post("/datasets/1/schema", HARVESTS)).status).toBe(200);
  // Every contributor consents to benchmarking and sends their records through the gateway.
  const siwe = { domain: new URL(origin).host, uri: origin, chainId: chain.deployment.chainId };
  const all: Record<number, number[]> = {
    ...OTHERS,
    [VIEWER]: VIEWER_YIELDS,
    [LEAVER]: LEAVER_YIELDS,
  };
  for (const [i, yields] of Object.entries(all).map(([i, y]) => [Number(i), y] as const)) {
    await c.send(i, "consent", "setConsent", [BENCHMARKING]);
    const token = await signIn(gateway, siwe, chain.accounts[i]);
    const records = yields.map((y, j) => ({
      recordId: `harvest-${i}-${j}`,
      values: {
        farm: farmOf(i),
        region: "valley",
        crop: "beans",
        hectares: 12,
        yield_t_per_ha: y,
        rainfall_mm: 640,
        organic: j % 2 === 0,
        harvest_date: "2026-06-15",
      },
    }));
    const stored = await gateway.post("/datasets/1/records", { records }, token);
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
  }
  await indexer.caughtUp();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  preview?.stop();
  await indexer?.stop();
  await chain?.stop();
});

/**
 * What the pool truly holds, computed here: the gateway counts each consenting member's first record (in
 * record-id order) once (its contribution bounding, `recordsPerMember` 1 as the answer says), so the count is
 * the number of consenting contributors.
 */
function truePool(members: number[]) {
  const all: Record<number, number[]> = {
    ...OTHERS,
    [VIEWER]: VIEWER_YIELDS,
    [LEAVER]: LEAVER_YIELDS,
  };
  const ys = members.map((i) => all[i][0]);
  return { count: ys.length, mean: mean(ys) };
}

/** Every text a member should never see: the other members' yields (as sent), farms and record ids. */
function othersSecrets(): string[] {
  const others = { ...OTHERS, [LEAVER]: LEAVER_YIELDS };
  return Object.entries(others).flatMap(([i, ys]) => [
    farmOf(Number(i)),
    `harvest-${i}-`,
    ...ys.map((y) => String(y)),
  ]);
}

type Seen = { url: string; body: string };

/** A member's browser in `lang`: every response the page receives kept whole (the chain's, the API's, the gateway's). */
async function visit(lang: "en" | "hi", locale: string) {
  const messages: Messages = (await loadDictionary(lang)).messages;
  const context: BrowserContext = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale,
  });
  const p: Page = await context.newPage();
  const seen: Seen[] = [];
  const pageErrors: string[] = [];
  p.on("pageerror", (error) => pageErrors.push(error.message));
  p.on("response", (res) => {
    void res
      .text()
      .then((body) => seen.push({ url: res.url(), body }))
      .catch(() => undefined);
  });
  const T = (key: MessageKey, vars?: Vars) => translate(messages, key, vars, lang);

  /** Signs in with the demo wallet and the gateway, opens the benchmark and waits for the pool's figures. */
  async function openBenchmark() {
    await p.goto(`${preview.url}#/benchmark`);
    await expect.poll(() => p.evaluate(() => document.documentElement.lang)).toBe(lang);
    const label = T("wallet.demo.founder", { n: VIEWER + 1 });
    await p.getByRole("button", { name: T("wallet.connect") }).click();
    await p.getByRole("button", { name: label, exact: true }).click();
    await p.getByText(T("wallet.signedInAs", { who: label })).waitFor();
    await p.getByRole("button", { name: T("session.signIn") }).click();
    const card = p.getByTestId(`benchmark-${YIELD.name}`);
    await card
      .getByTestId("benchmark-pool")
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        throw new Error(`No pool figures on: ${await p.evaluate(() => document.body.innerText)}`, {
          cause: error,
        });
      });
    return card;
  }

  /** The pool's count as the page shows it, and the margin it states for it (in the page's digits). */
  async function shownPool() {
    const from = (await p.getByTestId("benchmark-from").textContent()) ?? "";
    const noise = (await p.getByTestId("benchmark-noise").textContent()) ?? "";
    const numbers = (text: string) =>
      [...text.matchAll(/[\d०-९]+/g)].map((m) =>
        Number(m[0].replace(/[०-९]/g, (d) => String(d.charCodeAt(0) - 0x966))),
      );
    return { from, noise, count: numbers(from).at(-1)!, margin: numbers(noise)[0] };
  }
  return { p, seen, pageErrors, T, context, openBenchmark, shownPool };
}

describe.each([
  { lang: "en", locale: "en-GB" },
  { lang: "hi", locale: "hi-IN" },
] as const)("a member's benchmark in $lang", ({ lang, locale }) => {
  let v: Awaited<ReturnType<typeof visit>>;
  const unit = (x: number) => `${formatNumber(lang, x)} t/ha`;

  beforeAll(async () => {
    v = await visit(lang, locale);
  });

  afterAll(async () => {
    await v?.context.close();
  });

  it("shows the member's exact average beside the pool's, the noise in plain words and the chart, at 360×640 and on a laptop", async () => {
    const { p, seen, pageErrors, T } = v;
    const card = await v.openBenchmark();
    const heading = fieldHeading(YIELD, lang);
    expect(await card.getByRole("heading", { level: 2 }).textContent()).toBe(heading);
    // Their own figure is exactly theirs: the average of their two records, with its unit.
    expect(await card.getByTestId("benchmark-yours").textContent()).toBe(
      T("benchmark.yours", { value: unit(mean(VIEWER_YIELDS)), count: VIEWER_YIELDS.length }),
    );
    // The pool: its count within the stated noise of the true count. The page states a 90 % range; three
    // times it is 99.9 % for Laplace noise, so this fails only when the noise is not what the page says.
    const truth = truePool([0, 1, 2, 3, 4]);
    expect(answerOf(seen).noise?.recordsPerMember).toBe(1);
    const pool = await v.shownPool();
    expect(pool.noise).toBe(T("benchmark.noise", { count: pool.margin }));
    expect(pool.margin).toBeGreaterThan(0);
    expect(Math.abs(pool.count - truth.count)).toBeLessThanOrEqual(3 * pool.margin);
    // The average the pool answered (rounded on screen, with its unit) is near the true average.
    const poolText = (await card.getByTestId("benchmark-pool").textContent()) ?? "";
    expect(poolText).toMatch(/t\/ha/);
    const answered = poolMeanFrom(seen);
    expect(poolText).toBe(T("benchmark.pool", { value: unit(answered) }));
    // Noise on a pool this small moves the average a lot; it stays within the schema's bounds.
    expect(answered).toBeGreaterThanOrEqual(YIELD.min!);
    expect(answered).toBeLessThanOrEqual(YIELD.max!);
    // The chart of where they stand: the pool's histogram, its average, their mark.
    const chart = card.getByRole("img", { name: T("benchmark.chart", { field: heading }) });
    await chart.waitFor();
    expect(await chart.locator("rect").count()).toBeGreaterThan(0);
    expect(await checkScreen(p, `${lang}-benchmark-pool`, { publish: lang === "hi" })).toEqual([]);
    // The same page on a laptop.
    await p.setViewportSize({ width: 1280, height: 800 });
    await card.getByTestId("benchmark-pool").waitFor();
    expect(await checkScreen(p, `${lang}-benchmark-laptop`)).toEqual([]);
    await p.setViewportSize({ width: 360, height: 640 });
    expect(pageErrors).toEqual([]);
  });

  it("shows no other member's figure, farm or record anywhere on the page or in what the page receives", async () => {
    const { p, seen } = v;
    const text = await p.evaluate(() => document.body.innerText);
    const html = await p.content();
    const secrets = othersSecrets();
    for (const s of secrets) {
      expect(text, s).not.toContain(s);
      expect(html, s).not.toContain(s);
    }
    // Nor in the member's digits.
    for (const ys of Object.values({ ...OTHERS, [LEAVER]: LEAVER_YIELDS }))
      for (const y of ys) expect(text).not.toContain(formatNumber(lang, y));
    expect(seen.some((r) => r.url.includes("/gateway/me/query"))).toBe(true);
    expect(seen.some((r) => r.url.includes("/gateway/datasets/1/records"))).toBe(true);
    for (const r of seen)
      for (const s of secrets) expect(r.body.toLowerCase(), `${r.url}: ${s}`).not.toContain(s);
    // The member's own records did come back: the check above looks where their data would be.
    const own = seen.find((r) => r.url.includes("/gateway/datasets/1/records"))!;
    expect(own.body).toContain(`harvest-${VIEWER}-0`);
  });
});

type MembersAnswer = {
  answer?: {
    groups?: { key: Record<string, unknown>; values: Record<string, unknown> }[];
    noise?: { recordsPerMember?: number; scales?: Record<string, number> };
  };
  log?: { seq: number };
};

/** The last answer to the pool's averages the page received. */
function answerOf(seen: Seen[]): NonNullable<MembersAnswer["answer"]> {
  for (const r of [...seen].reverse()) {
    if (!r.url.includes("/gateway/me/query")) continue;
    const body = JSON.parse(r.body) as MembersAnswer;
    if (body.answer?.groups?.[0] && Object.keys(body.answer.groups[0].key).length === 0)
      return body.answer;
  }
  throw new Error("The page received no pool averages");
}

/** The access log's sequence numbers of the members' queries the page received. */
function querySeqs(seen: Seen[]): number[] {
  return seen
    .filter((r) => r.url.includes("/gateway/me/query"))
    .map((r) => (JSON.parse(r.body) as MembersAnswer).log?.seq)
    .filter((s): s is number => typeof s === "number");
}

/** The pool's average of the yield from the last members' query answer the page received. */
function poolMeanFrom(seen: Seen[]): number {
  const v = answerOf(seen).groups![0].values[`mean:${YIELD.name}`];
  if (typeof v !== "number") throw new Error("The page received no pool average");
  return v;
}

describe("a member who withdraws consent for benchmarking", () => {
  it("is no longer in the pool: the next answers are not among their accesses, but are among a consenting member's", async () => {
    const gateway = http(indexer.gatewayUrl);
    const siwe = { domain: new URL(origin).host, uri: origin, chainId: chain.deployment.chainId };
    const accessSeqs = async (i: number) => {
      const token = await signIn(gateway, siwe, chain.accounts[i]);
      const r = await gateway.get<{ accesses: { seq: number; grantId: string }[] }>(
        "/me/accesses?limit=1000",
        token,
      );
      expect(r.status).toBe(200);
      return r.body.accesses.filter((a) => a.grantId === "1").map((a) => a.seq);
    };
    // So far, every benchmark answered counted Founder 5's data: their "who used my data" says so.
    expect((await accessSeqs(LEAVER)).length).toBeGreaterThan(0);
    await coop(chain).send(LEAVER, "consent", "setConsent", [0n]);
    await indexer.caughtUp();

    const v = await visit("en", "en-GB");
    try {
      await v.openBenchmark();
      const after = querySeqs(v.seen);
      expect(after.length).toBeGreaterThan(0);
      // The answers since are not among the leaver's accesses, and are among Founder 1's, who still consents.
      const leaver = await accessSeqs(LEAVER);
      expect(leaver.filter((s) => after.includes(s))).toEqual([]);
      const stayer = await accessSeqs(0);
      expect(after.filter((s) => !stayer.includes(s))).toEqual([]);
      // And the page's count is within its stated noise of the four members left.
      const pool = await v.shownPool();
      expect(Math.abs(pool.count - truePool([0, 1, 2, 3]).count)).toBeLessThanOrEqual(
        3 * pool.margin,
      );
      expect(v.pageErrors).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});
