/**
 * A member's visit, end to end on a 360×640 phone, once in Swahili and once in Hindi (the browser's
 * language, chosen first): the first screen says a vote waits; the member reads the proposal (no hex, wei,
 * seconds or long ids on the screen, asserted), votes with a reason without ETH (the co-op's relayer sends
 * the signed ballot); adds a record from the form typed by the schema the gateway holds (labels, units,
 * bounds and allowed values in their language; numbers and yes/no sent with their types), then a CSV
 * file with mixed errors (every one reported at once) and a good one; collects their share of a partner's fee
 * and makes a proposal, both with zero ETH through the relayer (its answer checked on the chain: the member
 * paid, the member the proposer); sees their benchmark. Every page
 * is checked for jargon, sideways scrolling and by axe-core (no serious or moderate violation).
 */
import type { Browser, Page } from "playwright-core";
import { parseEventLogs, zeroHash, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { coop, type Proposal } from "@datacoop/server/testing/coop";
import { http, signIn } from "@datacoop/server/testing/gateway";
import { governorAbi } from "@datacoop/protocol/abis.generated";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { HARVESTS } from "../../scripts/demo.ts";
import type { MessageKey, Messages } from "../src/i18n/en.ts";
import { formatNumber } from "../src/i18n/format.ts";
import { loadDictionary, translate, type Vars } from "../src/i18n/i18n.tsx";
import { enumLabel, fieldHeading, type SchemaField } from "../src/lib/schemaDoc.ts";
import {
  checkScreen,
  jargonOnScreen,
  launchChromium,
  startIndexer,
  startPreview,
} from "./support.ts";

let chain: TestChain;
let indexer: Awaited<ReturnType<typeof startIndexer>>;
let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;
let origin: string;
let proposal: Proposal;
/** The partner's grant whose fee every member shares equally. */
const FEE_GRANT = 1n;
const PARTNER = 16;
const fields = HARVESTS.fields as SchemaField[];
const field = (name: string) => fields.find((f) => f.name === name)!;

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
  // The harvests dataset, registered by vote, and its schema document handed to the gateway.
  await c.pass(
    [
      c.call("registry", "registerDataset", [
        HARVESTS.name,
        "https://valley.example/harvests-2026.json",
        canonicalHash(HARVESTS),
        fields.map((f) => f.name),
      ]),
    ],
    "# Register the harvests",
  );
  await indexer.caughtUp();
  const published = await http(indexer.gatewayUrl).post("/datasets/1/schema", HARVESTS);
  expect(published.status).toBe(200);
  // A partner pays a fee for access; the co-op approves it, and every member has a share to collect.
  await c.send(
    PARTNER,
    "registry",
    "requestAccess",
    [
      1n,
      0,
      { fieldMask: 0b1n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
      30n * 86_400n,
      "https://soil.example/terms",
      "Highlands Soil Institute",
    ],
    10n ** 17n,
  );
  const approval = await c.read<[Address[], bigint[], Hex[], string]>(
    "registry",
    "approvalProposal",
    [FEE_GRANT],
  );
  await c.pass(
    [{ target: approval[0][0], value: approval[1][0], data: approval[2][0] }],
    approval[3],
  );
  proposal = await c.propose(
    0,
    [c.call("membership", "admit", [chain.accounts[11].address])],
    "# Admit the beekeeper\n\nAccount 11 keeps **bees** above the valley and applied in June.",
  );
  await c.warp(2);
  await indexer.caughtUp();
});

afterAll(async () => {
  await browser?.close();
  preview?.stop();
  await indexer?.stop();
  await chain?.stop();
});

const RUNS = [
  { lang: "sw", locale: "sw-TZ", founder: 2 },
  { lang: "hi", locale: "hi-IN", founder: 3 },
] as const;

describe.each(RUNS)("a member's visit in $lang", ({ lang, locale, founder }) => {
  const account = () => chain.accounts[founder - 1];
  let messages: Messages;
  let p: Page;
  const pageErrors: string[] = [];
  const T = (key: MessageKey, vars?: Vars) => translate(messages, key, vars, lang);
  const heading = (name: string) => fieldHeading(field(name), lang);

  /** Confirms the review: signing in the wallet, or (nothing to sign, e.g. a claim) sending it. */
  async function signAndWait(confirm: MessageKey = "tx.review.confirm") {
    await p.getByRole("heading", { name: T("tx.review.title") }).waitFor();
    await p.getByRole("button", { name: T(confirm), exact: true }).click();
    await p.getByText(T("tx.success")).waitFor({ timeout: 30_000 });
    await indexer.caughtUp();
  }

  beforeAll(async () => {
    messages = (await loadDictionary(lang)).messages;
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      locale,
      acceptDownloads: true,
    });
    p = await context.newPage();
    p.on("pageerror", (error) => pageErrors.push(error.message));
    // No ETH at all: whatever this member does on the chain, the co-op's relayer sends.
    await chain.testClient.setBalance({ address: account().address, value: 0n });
  });

  it("opens in the browser's language and says on the first screen that a vote waits", async () => {
    await p.goto(preview.url);
    await expect.poll(() => p.evaluate(() => document.documentElement.lang)).toBe(lang);
    await p.getByRole("button", { name: T("wallet.connect") }).click();
    const label = T("wallet.demo.founder", { n: founder });
    await p.getByRole("button", { name: label, exact: true }).click();
    await p.getByText(T("wallet.signedInAs", { who: label })).waitFor();
    await p.getByText(T("home.waiting.count", { count: 1 })).waitFor();
    expect(await p.getByTestId("home-status").textContent()).toContain(
      T("home.member", { id: founder }),
    );
    expect(await checkScreen(p, `${lang}-home`, { publish: true })).toEqual([]);
  });

  it("reads the proposal in plain words and votes with a reason, with zero ETH", async () => {
    await p.getByRole("link", { name: T("home.voteNow") }).click();
    await expect.poll(() => p.getByTestId("proposal-state").textContent()).toBe(T("state.active"));
    await p.getByTestId("proposal-calls").waitFor();
    await p.getByTestId("quorum-text").waitFor();
    // No hex, wei, seconds or long ids anywhere a member reads (addresses are a click away).
    expect(await jargonOnScreen(p)).toEqual([]);
    expect(await p.getByTestId("proposal-number").textContent()).toBe(
      T("proposal.number", { number: 3 }),
    );
    expect(await p.getByTestId("proposal-description").locator("strong").textContent()).toBe(
      "bees",
    );
    const gasless = p.getByRole("checkbox", { name: T("proposal.gasless.label") });
    await expect.poll(() => gasless.isChecked()).toBe(true);
    // The relayer's limits are shown with the choice.
    expect((await p.getByTestId("relayer-limits").textContent())?.trim()).not.toBe("");
    const reason =
      lang === "sw" ? "Nyuki wanasaidia mashamba yetu." : "मधुमक्खियाँ हमारे खेतों की मदद करती हैं।";
    await p.getByLabel(T("proposal.reason")).fill(reason);
    await p.getByRole("button", { name: T("vote.for"), exact: true }).click();
    await p.getByTestId("signed-message").waitFor();
    expect(await p.getByTestId("signed-message").textContent()).toContain(reason);
    expect(await checkScreen(p, `${lang}-vote-review`)).toEqual([]);
    await signAndWait();
    await expect
      .poll(() => p.getByTestId("voted-reason").textContent())
      .toBe(T("proposal.yourReason", { reason }));
    expect(await p.getByTestId("voted").textContent()).toContain(
      T("proposal.youVoted", { choice: T("vote.for") }),
    );
    const votes = parseEventLogs({
      abi: governorAbi,
      eventName: "VoteCast",
      logs: await chain.publicClient.getLogs({
        address: chain.deployment.contracts.governor,
        fromBlock: 0n,
      }),
    }).filter((e) => e.args.proposalId === proposal.id);
    expect(votes.find((e) => e.args.voter === account().address)?.args.reason).toBe(reason);
    expect(await chain.publicClient.getBalance({ address: account().address })).toBe(0n);
    expect(await checkScreen(p, `${lang}-proposal`, { publish: true })).toEqual([]);
  });

  it("adds a record from the form typed by the gateway's schema, names every problem at once, and sends values with their types", async () => {
    await p.getByRole("link", { name: T("nav.data"), exact: true }).click();
    await p.getByRole("button", { name: T("session.signIn") }).click();
    await p.getByTestId("session").waitFor();
    const form = p.getByTestId("contribute");
    await form.getByLabel(heading("farm"), { exact: true }).waitFor();
    // Hints give the units and bounds in the member's language and digits.
    expect(await form.textContent()).toContain(
      T("contribute.hint.between", { min: formatNumber(lang, 0), max: formatNumber(lang, 20) }),
    );
    expect(await checkScreen(p, `${lang}-contribute-form`, { publish: true })).toEqual([]);

    // Two problems at once, before anything is sent: a missing yield and an area out of range.
    await form.getByLabel(heading("farm"), { exact: true }).fill(`Farm of founder ${founder}`);
    await form
      .getByLabel(heading("region"), { exact: true })
      .selectOption({ label: enumLabel(field("region"), "valley", lang) });
    await form
      .getByLabel(heading("crop"), { exact: true })
      .selectOption({ label: enumLabel(field("crop"), "beans", lang) });
    await form.getByLabel(heading("hectares"), { exact: true }).fill("500");
    await form.getByLabel(heading("rainfall_mm"), { exact: true }).fill("640");
    await form.getByRole("radio", { name: T("contribute.yes") }).check();
    await form.getByLabel(heading("harvest_date"), { exact: true }).fill("2026-06-11");
    await form.getByRole("button", { name: T("contribute.send") }).click();
    await expect
      .poll(() => form.getByTestId("form-problems").textContent())
      .toBe(T("contribute.fix", { count: 2 }));
    expect(await form.locator('[aria-invalid="true"]').count()).toBe(2);

    await form.getByLabel(heading("hectares"), { exact: true }).fill("2.5");
    await form.getByLabel(heading("yield_t_per_ha"), { exact: true }).fill("3.2");
    await form.getByRole("button", { name: T("contribute.send") }).click();
    await expect
      .poll(() => p.getByTestId("contribute-done").textContent())
      .toBe(T("contribute.done", { count: 1 }));

    // A file with mixed problems: all of them are listed, line by line, and nothing is sent.
    const header =
      "record_id,farm,region,crop,hectares,yield_t_per_ha,rainfall_mm,organic,harvest_date";
    const file = p.getByLabel(T("contribute.file"));
    await file.setInputFiles({
      name: "harvests.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        [
          header,
          "h-1,Farm,north,maize,2,3.1,820,yes,2026-06-11",
          "h-2,Farm,north,maize,2", // short: 5 cells of 9 (and 4 values missing)
          "h-3,Farm,mars,maize,2,25,820,perhaps,2026-06-11", // enum, range and yes/no on one line
          "h-4,Farm,south,beans,lots,3,820,no,2026-06-11", // not a number
        ].join("\n"),
      ),
    });
    const problems = p.getByTestId("csv-problems");
    await problems.waitFor();
    expect(await p.getByTestId("contribute-error").locator("p").first().textContent()).toBe(
      T("contribute.fileProblems", { count: 9 }),
    );
    expect(
      await problems
        .locator("tbody tr")
        .evaluateAll((rows) => rows.map((r) => r.querySelector("td")!.textContent)),
    ).toEqual(["3", "3", "3", "3", "3", "4", "4", "4", "5"]);
    expect(await checkScreen(p, `${lang}-contribute-errors`, { publish: true })).toEqual([]);

    // A good file, with the labels in the member's language as headers, as a spreadsheet would have them.
    const labelled = [
      "record_id",
      ...[
        "farm",
        "region",
        "crop",
        "hectares",
        "yield_t_per_ha",
        "rainfall_mm",
        "organic",
        "harvest_date",
      ].map(heading),
    ].join(",");
    const yes = T("contribute.yes");
    await file.setInputFiles({
      name: "harvests.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `${labelled}\nh-1,Farm,${enumLabel(field("region"), "north", lang)},maize,2,2.8,820,${yes},2026-06-11\n` +
          `h-2,Farm,south,beans,1.5,3.6,700,no,11/06/2026\n`,
      ),
    });
    await expect
      .poll(() => p.getByTestId("csv-ready").textContent())
      .toBe(T("contribute.csv.ready", { count: 2 }));
    await p.getByRole("button", { name: T("contribute.sendCsv") }).click();
    await expect
      .poll(() => p.getByTestId("contribute-done").textContent())
      .toBe(T("contribute.done", { count: 2 }));

    // The gateway holds the values with their types.
    const gateway = http(indexer.gatewayUrl);
    const token = await signIn(
      gateway,
      { domain: new URL(origin).host, uri: origin, chainId: chain.deployment.chainId },
      account(),
    );
    const { body } = await gateway.get<{
      records: { recordId: string; values: Record<string, unknown> }[];
    }>("/datasets/1/records", token);
    const byId = Object.fromEntries(body.records.map((r) => [r.recordId, r.values]));
    expect(byId["h-1"]).toEqual({
      farm: "Farm",
      region: "north",
      crop: "maize",
      hectares: 2,
      yield_t_per_ha: 2.8,
      rainfall_mm: 820,
      organic: true,
      harvest_date: "2026-06-11",
    });
    expect(byId["h-2"]).toMatchObject({
      organic: false,
      harvest_date: "2026-06-11",
      hectares: 1.5,
    });
    expect(body.records.find((r) => r.values.region === "valley")?.values).toMatchObject({
      hectares: 2.5,
      yield_t_per_ha: 3.2,
      organic: true,
    });
    expect(await checkScreen(p, `${lang}-my-data`)).toEqual([]);
  });

  // In the last run only: the new vote would otherwise wait for the next run's member on their first screen.
  if (lang === RUNS[RUNS.length - 1].lang)
    it("makes a proposal with zero ETH: signed, sent by the relayer, the member its proposer", async () => {
      const newcomer = chain.accounts[12].address;
      const before = await coop(chain).read<bigint>("governor", "latestProposalId");
      const balance = await chain.publicClient.getBalance({ address: account().address });
      await p.goto(`${preview.url}#/propose/admit?member=${newcomer}`);
      await p.getByRole("heading", { name: T("propose.heading") }).waitFor();
      const gasless = p.getByRole("checkbox", { name: T("propose.gasless.label") });
      await expect.poll(() => gasless.isChecked()).toBe(true);
      await p.getByLabel(T("propose.reason")).fill("वे मुर्गियाँ पालते हैं।");
      await p.getByRole("button", { name: T("propose.review") }).click();
      expect(await checkScreen(p, `${lang}-propose-review`)).toEqual([]);
      await signAndWait();
      await p.getByTestId("created-link").click();
      const id = before + 1n;
      expect(await coop(chain).read<bigint>("governor", "latestProposalId")).toBe(id);
      expect(await coop(chain).read<Address>("governor", "proposalProposer", [id])).toBe(
        account().address,
      );
      await expect
        .poll(() => p.getByTestId("proposal-number").textContent())
        .toBe(T("proposal.number", { number: Number(id) }));
      // Not a wei of the member's spent.
      expect(await chain.publicClient.getBalance({ address: account().address })).toBe(balance);
      expect(await jargonOnScreen(p)).toEqual([]);
    });

  it("collects their share of a partner's fee with zero ETH: the relayer sends it, the member is paid", async () => {
    const share = await coop(chain).read<bigint>("revenue", "claimableOf", [
      FEE_GRANT,
      account().address,
    ]);
    expect(share).toBeGreaterThan(0n);
    await p.goto(`${preview.url}#/data`);
    const card = p.getByTestId(`share-${FEE_GRANT}`);
    await card.waitFor();
    const gasless = p.getByRole("checkbox", { name: T("revenue.gasless.label") });
    await expect.poll(() => gasless.isChecked()).toBe(true);
    await card.getByRole("button", { name: T("revenue.claim") }).click();
    expect(await checkScreen(p, `${lang}-claim-review`)).toEqual([]);
    // Nothing to sign: Revenue pays the member whoever sends it.
    await signAndWait("tx.review.send");
    // Paid to the member, who still paid no gas: their balance is exactly the share.
    expect(await chain.publicClient.getBalance({ address: account().address })).toBe(share);
    expect(
      await coop(chain).read<bigint>("revenue", "claimableOf", [FEE_GRANT, account().address]),
    ).toBe(0n);
    await expect.poll(() => p.getByTestId(`share-${FEE_GRANT}`).count()).toBe(0);
  });

  it("sees their benchmark: their own figures, with where the pool's come from", async () => {
    await p.goto(`${preview.url}#/benchmark`);
    const card = p.getByTestId("benchmark-yield_t_per_ha");
    await card.waitFor();
    // Their three yields: 3.2 (the form), 2.8 and 3.6 (the file).
    expect(await card.getByTestId("benchmark-yours").textContent()).toBe(
      T("benchmark.yours", { value: `${formatNumber(lang, 3.2)} t/ha`, count: 3 }),
    );
    await card.locator("svg.chart").waitFor();
    // No benchmarking grant to the members yet: the page says so and where to propose one.
    await p.getByTestId("benchmark-no-pool").waitFor();
    expect(await checkScreen(p, `${lang}-benchmark`, { publish: true })).toEqual([]);
  });

  it("keeps every page in plain words, within the phone, and clean for axe", async () => {
    for (const hash of [
      "#/",
      "#/proposals",
      `#/proposals/1`,
      "#/consent",
      "#/membership",
      "#/data",
      "#/partner",
      "#/propose",
      "#/audit",
      "#/benchmark",
    ]) {
      await p.goto(`${preview.url}${hash}`);
      await p.locator("main h1").waitFor();
      await p.waitForLoadState("networkidle");
      expect(await checkScreen(p, `${lang}-page-${hash.replace(/\W+/g, "-")}`), hash).toEqual([]);
    }
    expect(pageErrors).toEqual([]);
    await p.context().close();
  });
});
