/**
 * The co-op at work, end to end on a 360×640 phone: a real Hardhat node, the indexer (read API and data
 * gateway) following it, the built dApp, and Debian's Chromium with demo wallets signing in the page.
 * A member proposes an admission from the form, members vote, it passes, is queued and carried out; a
 * member contributes data; a partner requests access, a member sponsors it, the co-op approves it, the
 * partner queries and downloads CSV; the member sees the use of their data, collects their share and opts
 * out of the grant, a member with no ETH withdraws their standing consent for the grant's purpose through
 * the relayer, and the partner's next answer leaves both out; an auditor reads the timeline and
 * verifies the access log's proofs against the anchors on the chain; a founder with no ETH votes through
 * the relayer; the co-op shares a grant's fees by use and a member collects their share with the
 * gateway's proof.
 */
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type Address, zeroHash } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { coop } from "@datacoop/server/testing/coop";
import { http, signIn } from "@datacoop/server/testing/gateway";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { checkScreen, launchChromium, screenshot, startIndexer, startPreview } from "./support.ts";

let chain: TestChain;
let indexer: Awaited<ReturnType<typeof startIndexer>>;
let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];
let origin: string;

const schema = {
  name: "Soil readings",
  fields: [
    { name: "region", type: "string", enum: ["north", "south"] },
    { name: "ph", type: "number", min: 0, max: 14 },
  ],
};
/** Founders 1, 2 (through the form) and 4 farm in the north; 3 and 5 in the south. */
const regionOf = (i: number) => (i === 0 || i === 3 ? "north" : "south");
const ACADEMIC = 1n;

beforeAll(async () => {
  chain = await startChain();
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The operator anchors the access log soon after each partner's query, and posts by-use
  // distributions once their grants end.
  indexer = await startIndexer(chain, origin, {
    anchoring: { every: 2, intervalMs: 1_000 },
    allocateOnGrantEnd: true,
  });
  preview = await startPreview(chain.deploymentFile, chain.rpcUrl, {
    port,
    indexerUrl: indexer.apiUrl,
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  preview?.stop();
  await indexer?.stop();
  await chain?.stop();
});

/** A phone of its own (wallet choice and sign-in are per browser profile), signed in as `label`. */
async function phone(label: string, hash = ""): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: "en-GB",
    acceptDownloads: true,
  });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${label}: ${error.message}`));
  await page.goto(`${preview.url}${hash}`);
  await page.getByRole("button", { name: "Connect a wallet" }).click();
  await page.getByRole("button", { name: label, exact: true }).click();
  await page.getByText(`Signed in: ${label}`).waitFor();
  return page;
}

async function signAndWait(p: Page) {
  await p.getByRole("heading", { name: "Before you sign" }).waitFor();
  await p.getByRole("button", { name: "Sign in my wallet" }).click();
  await p.getByText("Done: it is recorded.").waitFor({ timeout: 30_000 });
  await indexer.caughtUp();
}

async function warp(seconds: number) {
  await chain.testClient.increaseTime({ seconds });
  await chain.testClient.mine({ blocks: 1 });
  await indexer.caughtUp();
}

/** No sideways scrolling, no jargon on screen, axe clean; the screenshot the README shows. */
async function checkPage(p: Page, name: string) {
  expect(await checkScreen(p, name, { publish: true })).toEqual([]);
}

/** Votes For from founders (account indexes), then waits out the vote. */
async function passVote(id: bigint, voters: number[]) {
  const c = coop(chain);
  for (const v of voters) await c.send(v, "governor", "castVote", [id, 1]);
  const period = Number(await c.read<bigint>("governor", "votingPeriod"));
  const extension = Number(await c.read<number>("governor", "lateQuorumVoteExtension"));
  await warp(period + extension + 1);
}

/** Queues and carries out the proposal open on `p`, through its buttons. */
async function queueAndExecute(p: Page) {
  const state = p.getByTestId("proposal-state");
  await expect.poll(() => state.textContent()).toBe("Passed");
  await p.getByRole("button", { name: "Queue it" }).click();
  await signAndWait(p);
  await expect.poll(() => state.textContent()).toBe("Passed, waiting to take effect");
  await p.getByRole("button", { name: "Close" }).click();
  await warp(61);
  await expect
    .poll(() => p.getByTestId("eta").textContent())
    .toBe("The waiting time is over: it can be carried out now.");
  await p.getByRole("button", { name: "Carry it out" }).click();
  await signAndWait(p);
  await expect.poll(() => state.textContent()).toBe("Carried out");
}

function proposalIdFromUrl(p: Page): bigint {
  return BigInt(new URL(p.url()).hash.split("/")[2]);
}

/**
 * Signs and runs the partner's query, and checks what a differentially private answer promises: served
 * (200, mode "private"); once shown, every figure in the table's last column satisfies `figure`. The
 * figures are noisy, so none is expected exactly, and groups whose noisy count is below k are hidden (the
 * table may have no row at all).
 */
async function runPrivate(page: Page, figure: (n: number) => boolean, columns: string[]) {
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith("/gateway/query") && r.request().method() === "POST",
    ),
    page.getByRole("button", { name: "Sign and run" }).click(),
  ]);
  expect(response.status()).toBe(200);
  const served = (await response.json()) as { answer: { mode?: string; groups: unknown[] } };
  expect(served.answer.mode).toBe("private");
  const result = page.getByTestId("query-result");
  await expect.poll(() => result.locator("tbody tr").count()).toBe(served.answer.groups.length);
  const header = await result.locator("thead th").allTextContents();
  if (served.answer.groups.length > 0) expect(header).toEqual(columns);
  const rows = await result
    .locator("tbody tr")
    .evaluateAll((trs) =>
      trs.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
    );
  for (const row of rows) expect(figure(Number(row.at(-1)!.replace(/,/g, "")))).toBe(true);
  return rows;
}
const wholeCount = (n: number) => Number.isInteger(n) && n >= 0;

describe("the co-op at work", () => {
  it("a member proposes an admission from the form; the members vote; it passes and is carried out", async () => {
    const newcomer = chain.accounts[10].address;
    await coop(chain).send(10, "membership", "applyForMembership", ["https://beans.example/ana"]);
    await indexer.caughtUp();
    const p = await phone("Founder 1", "#/membership");
    // The open application is one click from a proposal, its address and link filled in.
    const application = p.getByTestId("applications");
    // The application is a link to read; the applicant's address is a click away, not on the screen.
    await expect
      .poll(() =>
        application.getByRole("link", { name: "Read the application" }).getAttribute("href"),
      )
      .toBe("https://beans.example/ana");
    await checkPage(p, "membership-application");
    await application.getByRole("link", { name: "Propose admission" }).click();
    await p.getByRole("heading", { name: "New proposal" }).waitFor();
    const member = p.getByLabel("Their address");
    expect(await member.inputValue()).toBe(newcomer.toLowerCase());
    expect(await p.getByLabel("Why (optional)").inputValue()).toBe(
      "Application: https://beans.example/ana",
    );
    await member.fill("0x1234");
    await p.getByRole("button", { name: "Review the proposal" }).click();
    await p.getByText("Enter a valid 0x… address (40 hexadecimal characters).").waitFor();
    expect(await p.getByRole("heading", { name: "Before you sign" }).count()).toBe(0);

    await member.fill(newcomer);
    await p.getByLabel("Why (optional)").fill("Account 10 grows beans and applied last week.");
    await p.getByRole("button", { name: "Review the proposal" }).click();
    // The applicant is named as such; their address is a click away.
    expect(await p.getByTestId("draft-calls").textContent()).toMatch(
      /^Admit the applicant of .+ show address0x[0-9a-fA-F]{40} as a member\.$/,
    );
    await checkPage(p, "propose-admit");
    await signAndWait(p);
    await p.getByTestId("created-link").click();
    const id = proposalIdFromUrl(p);
    await expect
      .poll(() => p.getByTestId("proposal-title").textContent())
      .toBe("Admit a new member");
    expect(await p.getByTestId("proposal-calls").textContent()).toMatch(
      /^Admit the applicant of .+ as a member\.$/,
    );

    await warp(2);
    await expect.poll(() => p.getByTestId("proposal-state").textContent()).toBe("Open for votes");
    await p.getByRole("button", { name: "For", exact: true }).click();
    await signAndWait(p);
    await expect.poll(() => p.getByTestId("tally-for").textContent()).toBe("1");
    await passVote(id, [1, 2]);
    await queueAndExecute(p);
    await p.getByText("Who voted").click();
    expect(await p.getByTestId("votes").locator("li").count()).toBe(3);
    await checkPage(p, "proposal-executed");
    const isMember = await chain.publicClient.readContract({
      address: chain.deployment.contracts.membership,
      abi: (await import("@datacoop/protocol/abis.generated")).membershipAbi,
      functionName: "isMember",
      args: [newcomer],
    });
    expect(isMember).toBe(true);
    // The list, from the indexer, shows it carried out.
    await p.getByRole("link", { name: "Votes", exact: true }).click();
    await expect
      .poll(() => p.getByRole("link", { name: /Admit a new member/ }).textContent())
      .toMatch(/Carried out$/);
    await p.context().close();
  });

  it("the co-op registers a dataset from the form; a member gives the gateway its schema and contributes from the form and a CSV file, each bad row named", async () => {
    const founder1 = await phone("Founder 1", "#/propose/registerDataset");
    await founder1.getByLabel("Dataset name").fill("Soil readings");
    await founder1.getByRole("button", { name: "Use the document itself as its link" }).click();
    await founder1.getByLabel("Title", { exact: true }).fill("Register soil readings");
    await founder1.getByRole("button", { name: "Review the proposal" }).click();
    expect(await founder1.getByTestId("draft-calls").textContent()).toMatch(
      /^Register the dataset “Soil readings” with the fields region, ph\. show details/,
    );
    await signAndWait(founder1);
    await founder1.getByTestId("created-link").click();
    await warp(2);
    await passVote(proposalIdFromUrl(founder1), [0, 1, 2, 3]);
    await founder1.reload();
    await queueAndExecute(founder1);
    await founder1.context().close();
    const c = coop(chain);
    const [, , schemaHash] = await c.read<readonly [string, string, string]>(
      "registry",
      "dataset",
      [1n],
    );
    expect(schemaHash).toBe(canonicalHash(schema));

    // The gateway does not know the schema yet: the page says so, and the member hands it over (the
    // document at the dataset's link, checked against the hash on-chain). The form is typed by it.
    const p = await phone("Founder 2", "#/data");
    await p.getByRole("button", { name: "Sign in to my data" }).click();
    await p.getByTestId("session").waitFor();
    await p.getByTestId("schema-missing").waitFor();
    await p.getByRole("button", { name: "Give it the description" }).click();
    await p
      .getByText("The data service accepted the description. You can add records now.")
      .waitFor();
    await p.getByLabel("Region").selectOption("north");
    // A decimal comma is a decimal point: 6,5 is sent as the number 6.5.
    await p.getByLabel("Ph").fill("6,5");
    await p.getByRole("button", { name: "Send this record" }).click();
    await expect
      .poll(() => p.getByTestId("contribute-done").textContent())
      .toBe("Saved: 1 new or changed record.");

    // The founders give consent for academic research and, but for Founder 2, contribute directly.
    const gateway = http(indexer.gatewayUrl);
    const siwe = { domain: new URL(origin).host, uri: origin, chainId: chain.deployment.chainId };
    for (const i of [0, 1, 2, 3, 4]) await c.send(i, "consent", "setConsent", [ACADEMIC]);
    for (const i of [0, 2, 3, 4]) {
      const token = await signIn(gateway, siwe, chain.accounts[i]);
      const records = [5, 5.5].map((ph, j) => ({
        recordId: `m${i}-${j}`,
        values: { region: regionOf(i), ph: ph + i },
      }));
      expect((await gateway.post("/datasets/1/records", { records }, token)).status).toBe(200);
    }
    await indexer.caughtUp();

    // A spreadsheet's file with a wrong region and a word for a number on one line: both named at once,
    // before anything is sent.
    await p.getByLabel("CSV file").setInputFiles({
      name: "readings.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("record_id,region,ph\nf2-a,north,7\nf2-b,west,abc\n"),
    });
    const errors = p.getByTestId("contribute-error");
    await errors.waitFor();
    expect(
      await errors
        .locator("tbody tr")
        .evaluateAll((rows) =>
          rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)),
        ),
    ).toEqual([
      ["3", "Region: “west” is not one of the allowed values (North, South)."],
      ["3", "Ph: “abc” is not a number. Write it like 2.5."],
    ]);
    await checkPage(p, "contribute-errors");
    // Semicolons and decimal commas, as a French spreadsheet writes them.
    await p.getByLabel("CSV file").setInputFiles({
      name: "readings.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("record_id;region;ph\nf2-a;north;7,0\n"),
    });
    await p.getByTestId("csv-ready").waitFor();
    await p.getByRole("button", { name: "Send the file" }).click();
    await expect
      .poll(() => p.getByTestId("contribute-done").textContent())
      .toBe("Saved: 1 new or changed record.");
    await p.context().close();
  });

  let partner: Page;
  it("a partner requests access, a member sponsors it, the co-op approves, the partner queries and downloads CSV", async () => {
    partner = await phone("Visitor 6", "#/partner");
    await partner.getByRole("heading", { name: "Request access" }).waitFor();
    await partner.getByRole("checkbox", { name: "Region" }).check();
    await partner.getByRole("checkbox", { name: "Ph" }).check();
    await partner.getByLabel("Smallest group").fill("2");
    await partner.getByLabel("Fee (ETH)").fill("0.1");
    await partner.getByLabel("Your organisation's name").fill("Highlands Soil Institute");
    await partner.getByLabel("Link to your terms").fill("nope");
    await partner.getByRole("button", { name: "Review the request" }).click();
    await partner.getByText(/Enter a link starting with https:\/\//).waitFor();
    await partner.getByLabel("Link to your terms").fill("https://uni.example/soil-study");
    await partner.getByRole("button", { name: "Review the request" }).click();
    expect(await partner.locator(".tx-summary").textContent()).toBe(
      "Ask for Soil readings for Academic research: totals over groups of at least 2 members of Region and Ph, for 30 days. Pay 0.1 ETH now, held until the members decide.",
    );
    await checkPage(partner, "request-access");
    await signAndWait(partner);
    const request = partner.getByTestId("request-1");
    await expect
      .poll(() => request.getByTestId("request-status").textContent())
      .toBe("Waiting for a vote");
    await request.getByText("Waiting for a member to put it to the vote.").waitFor();

    // A member sponsors it: the registry's own approval call, shown in plain words.
    const member = await phone("Founder 3", "#/propose/sponsor?requestId=1");
    await member.getByLabel("Request", { exact: true }).selectOption("1");
    await member.getByRole("button", { name: "Review the proposal" }).click();
    const draft = member.getByTestId("draft-calls");
    await expect
      .poll(() => draft.textContent())
      .toMatch(
        new RegExp(
          "^Approve access request 1: the partner gets access and the fee is shared\\. " +
            "Terms: “Highlands Soil Institute” \\(the partner's own name\\) show address0x[0-9a-f]{40} gets totals over groups " +
            "of at least 2 members of Region and Ph from “Soil readings”, for Academic research, " +
            "for 30 days; fee 0\\.1 ETH; terms at https://uni\\.example/soil-study\\.$",
        ),
      );
    await signAndWait(member);
    await member.getByTestId("created-link").click();
    const id = proposalIdFromUrl(member);
    await warp(2);
    await expect
      .poll(() =>
        request.getByRole("link", { name: /^Proposal \d+: Approve data access request 1/ }).count(),
      )
      .toBe(1);
    await passVote(id, [0, 1, 2, 3]);
    await member.reload();
    await queueAndExecute(member);
    await member.context().close();

    await expect.poll(() => request.getByTestId("request-status").textContent()).toBe("Granted");
    await request.getByRole("link", { name: "Query the data" }).click();
    await partner.getByRole("heading", { name: "Query under grant 1" }).waitFor();
    await partner.getByLabel("Group by").selectOption("region");
    await partner.getByLabel("Measure").selectOption("mean");
    await partner.getByLabel("Of the field").selectOption("ph");
    // Differentially private (every aggregate is, unless a grant's terms chose the exact mode), with
    // readable headers and values, not `mean:ph`.
    const cells = await runPrivate(partner, Number.isFinite, ["Region", "Average of Ph"]);
    for (const [key] of cells) expect(["North", "South", "East", "West"]).toContain(key);
    await checkPage(partner, "partner-query");
    const [download] = await Promise.all([
      partner.waitForEvent("download"),
      partner.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("grant-1.csv");
    const csv = await readFile(await download.path(), "utf8");
    // The table as shown (no line at all when every group's noisy count fell below k).
    // The CSV keeps the gateway's own names and unrounded figures, for a spreadsheet.
    const lines = csv.split("\r\n").filter(Boolean);
    if (cells.length === 0) expect(lines).toEqual([]);
    else {
      expect(lines[0]).toBe("region,mean:ph");
      expect(
        lines
          .slice(1)
          .map((l) => l.split(",")[0])
          .sort(),
      ).toEqual(cells.map(([k]) => k.toLowerCase()).sort());
    }
    // Counted per region: noisy counts, whole and never negative.
    await partner.getByLabel("Measure").selectOption("count");
    await runPrivate(partner, wholeCount, ["Region", "Number of records"]);
  });

  it("a member sees the use of their data, collects their share and opts out of the grant; another, with no ETH, withdraws consent for its purpose through the relayer; the partner's next answer leaves both out", async () => {
    const founder2 = chain.accounts[1].address;
    const p = await phone("Founder 2", "#/data");
    await p.getByRole("button", { name: "Sign in to my data" }).click();
    const accesses = p.getByTestId("accesses");
    await accesses.waitFor();
    // The partner's two answers so far (the mean and the count per region) both used Founder 2's readings.
    expect(await accesses.locator("li").count()).toBe(2);
    expect(await accesses.textContent()).toMatch(/grant 1, for Academic research\./);
    await p.getByTestId("accesses-chart").waitFor();

    // 0.1 ETH, 10 % to the treasury, the rest split equally among the 6 members at approval.
    const summary = p.getByTestId("revenue-summary");
    await expect
      .poll(() => summary.textContent())
      .toBe("Received so far: 0 ETH. Ready to collect: 0.015 ETH.");
    await p.getByRole("button", { name: "Collect" }).click();
    await signAndWait(p);
    await expect
      .poll(() => summary.textContent())
      .toBe("Received so far: 0.015 ETH. Ready to collect: 0 ETH.");
    // The collection's "Done" is put away, so the next one on this page is the opt-out's.
    const done = p.getByRole("status").filter({ hasText: "Done: it is recorded." });
    if ((await done.count()) > 0) await done.getByRole("button", { name: "Close" }).click();

    const choices = p.getByTestId("grant-choices");
    await choices.getByRole("button", { name: "Leave this grant out" }).click();
    await signAndWait(p);
    await expect.poll(() => choices.textContent()).toMatch(/You left this grant out\./);
    await checkPage(p, "my-data");
    const choice = await chain.publicClient.readContract({
      address: chain.deployment.contracts.consent,
      abi: (await import("@datacoop/protocol/abis.generated")).consentAbi,
      functionName: "grantChoiceOf",
      args: [founder2, 1n],
    });
    expect(choice).toBe(2);

    await p.context().close();

    // Founder 5 has no ETH and withdraws their standing consent for academic research, the grant's
    // purpose, on the consent page: signed in the page, sent by the co-op's relayer.
    const founder5 = chain.accounts[4].address;
    const relayer = chain.accounts[19].address;
    const relayedBefore = await chain.publicClient.getTransactionCount({ address: relayer });
    await chain.testClient.setBalance({ address: founder5, value: 0n });
    const f5 = await phone("Founder 5", "#/consent");
    const academic = f5.locator('[data-purpose="ACADEMIC_RESEARCH"]');
    await expect.poll(() => academic.isChecked()).toBe(true);
    const gasless = f5.getByRole("checkbox", { name: /Save without paying a fee/ });
    await expect.poll(() => gasless.isChecked()).toBe(true);
    await academic.uncheck();
    await f5.getByRole("button", { name: "Save my choices" }).click();
    await f5.getByRole("heading", { name: "Before you sign" }).waitFor();
    expect(await f5.locator(".tx-summary").textContent()).toBe("Stop allowing: Academic research.");
    const signed = f5.getByTestId("signed-message");
    // The co-op by its name and the member by their number; the exact values a click away.
    expect(await signed.textContent()).toContain("Signed forValley Growers Data Co-op");
    expect((await signed.textContent())?.toLowerCase()).toContain(
      chain.deployment.contracts.consent.toLowerCase(),
    );
    expect(await signed.textContent()).toContain("Memberyou (member no. 5)");
    expect(await signed.textContent()).toContain("Purposes allowed after this changeNone");
    expect(await f5.getByText(/a signature, not a transaction: it costs you nothing/).count()).toBe(
      1,
    );
    await checkPage(f5, "consent-gasless");
    await signAndWait(f5);
    await expect
      .poll(() => f5.getByTestId("saved-ACADEMIC_RESEARCH").textContent())
      .toBe("Not allowed");
    const { consentAbi } = await import("@datacoop/protocol/abis.generated");
    expect(
      await chain.publicClient.readContract({
        address: chain.deployment.contracts.consent,
        abi: consentAbi,
        functionName: "consentOf",
        args: [founder5],
      }),
    ).toBe(0n);
    // The member paid nothing; the relayer's account sent the change.
    expect(await chain.publicClient.getBalance({ address: founder5 })).toBe(0n);
    expect(await chain.publicClient.getTransactionCount({ address: relayer })).toBe(
      relayedBefore + 1,
    );
    await f5.context().close();

    // The partner's next answer, over everyone, is served without Founder 2 (left out of the grant) and
    // Founder 5 (consent withdrawn); its count is noisy, so the gateway's tests check who is read and
    // charged (server/test/gateway/serving/adversarial.test.ts, "across time").
    await partner.getByLabel("Group by").selectOption("");
    await runPrivate(partner, wholeCount, ["Number of records"]);
  });

  it("a partner withdraws an undecided request and takes the fee back", async () => {
    await partner.getByRole("link", { name: "Back to my requests" }).click();
    await partner.getByRole("checkbox", { name: "ph" }).check();
    await partner.getByLabel("Fee (ETH)").fill("0.2");
    await partner.getByLabel("Your organisation's name").fill("Highlands Soil Institute");
    await partner.getByLabel("Link to your terms").fill("https://uni.example/second-study");
    await partner.getByRole("button", { name: "Review the request" }).click();
    await signAndWait(partner);
    await partner.getByRole("button", { name: "Close" }).click();
    const request = partner.getByTestId("request-2");
    await request.getByRole("button", { name: "Withdraw and get the fee back" }).click();
    expect(await partner.locator(".tx-summary").textContent()).toBe(
      "Withdraw request 2; its fee becomes refundable.",
    );
    await signAndWait(partner);
    await expect.poll(() => request.getByTestId("request-status").textContent()).toBe("Withdrawn");
    await expect
      .poll(() => partner.getByTestId("refund").textContent())
      .toBe("Fees to take back (refused or withdrawn requests): 0.2 ETH.");
    const before = await chain.publicClient.getBalance({ address: chain.accounts[5].address });
    await partner.getByRole("button", { name: "Take my fees back" }).click();
    await signAndWait(partner);
    await partner.getByTestId("refund").waitFor({ state: "detached" });
    const after = await chain.publicClient.getBalance({ address: chain.accounts[5].address });
    // The refund, less the gas of the claim.
    expect(after - before).toBeGreaterThan(19n * 10n ** 16n);
  });

  it("a member proposes to revoke a grant chosen from the active ones, and reviews a rule change", async () => {
    const p = await phone("Founder 4", "#/propose/revoke");
    await p.getByLabel("Grant", { exact: true }).selectOption("1");
    await p.getByLabel("Why it should end").fill("The study ended early.");
    await p.getByRole("button", { name: "Review the proposal" }).click();
    expect(await p.getByTestId("draft-calls").textContent()).toBe(
      "Revoke grant 1 for good (reason: The study ended early.).",
    );
    await signAndWait(p);
    await p.getByTestId("created-link").click();
    await expect.poll(() => p.getByTestId("proposal-title").textContent()).toBe("Revoke grant 1");

    await p.goto(`${preview.url}#/propose/parameter`);
    await p.getByLabel("Rule").selectOption("quorum");
    await p.getByLabel("New value").fill("0");
    await p.getByRole("button", { name: "Review the proposal" }).click();
    await p.getByText("The turnout needed is a whole percentage from 1 to 100.").waitFor();
    await p.getByLabel("New value").fill("60");
    await p.getByRole("button", { name: "Review the proposal" }).click();
    expect(await p.getByTestId("draft-calls").textContent()).toBe(
      "Set the turnout needed to 60% of the members.",
    );
    await checkPage(p, "propose-rule");
    await p.getByRole("button", { name: "Cancel" }).click();
    await p.context().close();
  });

  it("an auditor reads every decision on one timeline and verifies the access log against the chain", async () => {
    const p = await phone("Visitor 7", "#/audit");
    const timeline = p.getByTestId("timeline");
    await expect
      .poll(() => timeline.textContent())
      .toMatch(
        /Grant 1 to “Highlands Soil Institute” \(the partner's own name\) approved by vote\./,
      );
    const text = await timeline.textContent();
    expect(text).toMatch(/Proposal \d+, “Register soil readings” was carried out\./);
    expect(text).toMatch(/Member number 6 joined the co-op\./);
    expect(text).toMatch(
      /“Highlands Soil Institute” \(the partner's own name\) requested access to dataset 1 \(request 1\)\./,
    );
    expect(text).toMatch(/Member no\. \d voted For on Proposal \d+\./);
    await p.getByTestId("turnout-chart").waitFor();
    await p.getByTestId("revenue-chart").waitFor();
    await checkPage(p, "audit");

    // The partner's queries are in the access log, anchored on the chain: the auditor checks every proof.
    const { size, batches } = await indexer.logAnchored();
    expect(size).toBeGreaterThanOrEqual(2);
    await p.getByRole("button", { name: "Verify the access log" }).click();
    const result = p.getByTestId("access-log-result");
    await expect
      .poll(() => result.textContent())
      .toContain(
        `The access log checks out: ${batches} batches on the chain, each extending the one before, ` +
          `and all ${size} anchored entries are in them.`,
      );
    expect(await result.textContent()).toMatch(/The last anchored batch ends at entry \d+\./);
    await checkPage(p, "audit-log-verified");
    // An entry edited in the gateway's table after it was anchored is named in plain words.
    await indexer.db.exec("UPDATE gateway_access_log SET entry = entry || ' ' WHERE seq = 1");
    await p.getByRole("button", { name: "Verify the access log" }).click();
    await expect
      .poll(() => result.textContent())
      .toBe(
        "The access log does not check out.Entry 1 (batch 1) was changed: its text does not match its hash.",
      );
    await p.getByRole("link", { name: "Votes", exact: true }).click();
    await p.getByTestId("participation-chart").waitFor();
    await checkPage(p, "proposals-turnout");
    await partner.context().close();
    expect(pageErrors).toEqual([]);
  });

  it("a founder with no ETH votes through the relayer, another on-chain, and the admission is carried out", async () => {
    const c = coop(chain);
    const newcomer = chain.accounts[11].address;
    const proposal = await c.propose(
      0,
      [c.call("membership", "admit", [newcomer])],
      "# Admit the beekeeper\n\nAccount 11 keeps bees above the valley.",
    );
    await c.warp(2);
    await indexer.caughtUp();

    // Founder 2 has spent all their ETH: the page offers the relayer, already ticked.
    const poor = chain.accounts[1].address;
    const relayedBefore = await chain.publicClient.getTransactionCount({
      address: chain.accounts[19].address,
    });
    await chain.testClient.setBalance({ address: poor, value: 0n });
    const p2 = await phone("Founder 2", `#/proposals/${proposal.id}`);
    const gasless = p2.getByRole("checkbox", { name: /Vote without paying a fee/ });
    await expect.poll(() => gasless.isChecked()).toBe(true);
    await p2.getByRole("button", { name: "For", exact: true }).click();
    await p2.getByText(/a signature, not a transaction: it costs you nothing/).waitFor();
    expect(await checkScreen(p2, "vote-gasless", { publish: true })).toEqual([]);
    await signAndWait(p2);
    await expect.poll(() => p2.getByTestId("tally-for").textContent()).toBe("1");
    expect(await c.read<boolean>("governor", "hasVoted", [proposal.id, poor])).toBe(true);
    // The member paid nothing; the relayer's account sent the ballot.
    expect(await chain.publicClient.getBalance({ address: poor })).toBe(0n);
    const relayed = await chain.publicClient.getTransactionCount({
      address: chain.accounts[19].address,
    });
    expect(relayed).toBe(relayedBefore + 1);

    // Founder 1 has ETH: the box starts unticked and the vote goes on-chain from their own wallet.
    const p1 = await phone("Founder 1", `#/proposals/${proposal.id}`);
    const own = p1.getByRole("checkbox", { name: /Vote without paying a fee/ });
    await expect.poll(() => own.isChecked()).toBe(false);
    await p1.getByRole("button", { name: "For", exact: true }).click();
    await signAndWait(p1);
    await expect.poll(() => p1.getByTestId("tally-for").textContent()).toBe("2");
    expect(
      await chain.publicClient.getTransactionCount({ address: chain.accounts[19].address }),
    ).toBe(relayed);

    // A third founder reaches the quorum; the vote ends, the timelock waits, the admission runs.
    await c.vote(2, proposal, 1);
    const period = Number(await c.read<bigint>("governor", "votingPeriod"));
    const extension = Number(await c.read<number>("governor", "lateQuorumVoteExtension"));
    await c.warp(period + extension + 1);
    await c.queue(proposal);
    await c.warp(61);
    await c.execute(proposal);
    expect(await c.read<boolean>("membership", "isMember", [newcomer])).toBe(true);
    await expect.poll(() => p2.getByTestId("proposal-state").textContent()).toBe("Carried out");
    expect(pageErrors).toEqual([]);
  });

  it("the co-op votes to share fees by use; a partner's grant is used; a member collects their share by use with the gateway's proof", async () => {
    const c = coop(chain);
    const BY_USE = 1;
    await chain.testClient.setBalance({ address: chain.accounts[1].address, value: 10n ** 18n });
    await c.pass([c.call("revenue", "setMode", [BY_USE])], "# Share fees by use");
    await indexer.caughtUp();
    expect(await c.read<number>("revenue", "mode")).toBe(BY_USE);

    // Request 3: one day of totals for academic research, 0.1 ETH; approved by a vote.
    await c.send(
      5,
      "registry",
      "requestAccess",
      [
        1n,
        0, // academic research
        { fieldMask: 0b11n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
        86_400n,
        "https://uni.example/by-use",
        "Lakeside University",
      ],
      10n ** 17n,
    );
    const [targets, , calldatas, description] = await c.read<
      [Address[], bigint[], `0x${string}`[], string]
    >("registry", "approvalProposal", [3n]);
    await c.pass([{ target: targets[0], data: calldatas[0] }], description);
    await indexer.caughtUp();

    // The partner asks once: the readings of the four members whose consent covers the grant
    // (Founders 1 to 4; Founder 5 withdrew), each one use.
    const partner3 = await phone("Visitor 6", "#/partner/3");
    await partner3.getByRole("heading", { name: "Query under grant 3" }).waitFor();
    await partner3.getByLabel("Measure").selectOption("count");
    await runPrivate(partner3, wholeCount, ["Number of records"]);
    await partner3.context().close();

    // The grant ends; the operator posts the distribution: 90 % of the fee over four uses.
    await warp(86_401);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const d = await c.read<{ root: string }>("revenue", "distribution", [3n]);
      if (BigInt(d.root) !== 0n) break;
      if (Date.now() > deadline) throw new Error("The by-use distribution was not posted in time");
      await new Promise((r) => setTimeout(r, 250));
    }
    await indexer.caughtUp();

    const founder1 = chain.accounts[0].address;
    const p = await phone("Founder 1", "#/data");
    const share = p.getByTestId("by-use-3");
    await expect
      .poll(() => share.locator("p").textContent())
      .toBe("Grant 3, shared by use: 0.0225 ETH for 1 use of your data.");
    await screenshot(p, "by-use-claim");
    await share.getByRole("button", { name: "Collect" }).click();
    await signAndWait(p);
    expect(await c.read<boolean>("revenue", "isClaimed", [3n, founder1])).toBe(true);
    await share.waitFor({ state: "detached" });
    expect(pageErrors).toEqual([]);
  });
});
