/**
 * Gasless voting end to end on a 360×640 phone: a founder with zero ETH votes by signature through the
 * co-op's relayer, another votes on-chain from their own wallet, and the admission passes and is carried
 * out. A real Hardhat node, the indexer with its relayer, the built dApp and Debian's Chromium.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accounts,
  freePort,
  startChain,
  type TestChain,
} from "../../indexer/test/support/chain.ts";
import { coop } from "../../indexer/test/support/coop.ts";
import {
  launchChromium,
  screenshot,
  scrollsSideways,
  seriousViolations,
  startIndexer,
  startPreview,
} from "./support.ts";

let chain: TestChain;
let indexer: Awaited<ReturnType<typeof startIndexer>>;
let preview: Awaited<ReturnType<typeof startPreview>>;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  chain = await startChain();
  const port = await freePort();
  indexer = await startIndexer(chain, `http://127.0.0.1:${port}`);
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

async function phone(label: string, hash: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 640 },
    locale: "en-GB",
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
  await p.getByText(/Done: confirmed in block \d+/).waitFor({ timeout: 30_000 });
}

describe("voting without ETH", () => {
  it("a founder with no ETH votes through the relayer, another on-chain, and the admission is carried out", async () => {
    const c = coop(chain);
    const newcomer = accounts[10]!.address;
    const proposal = await c.propose(
      0,
      [c.call("membership", "admit", [newcomer])],
      "# Admit the beekeeper\n\nAccount 10 keeps bees above the valley.",
    );
    await c.warp(2);
    await indexer.caughtUp();

    // Founder 2 has spent all their ETH: the page offers the relayer, already ticked.
    const poor = accounts[1]!.address;
    await chain.testClient.setBalance({ address: poor, value: 0n });
    const p2 = await phone("Founder 2", `#/proposals/${proposal.id}`);
    const gasless = p2.getByRole("checkbox", { name: /Vote without paying a fee/ });
    await expect.poll(() => gasless.isChecked()).toBe(true);
    await p2.getByRole("button", { name: "For", exact: true }).click();
    await p2.getByText(/the co-op’s relayer sends your vote and pays the fee/).waitFor();
    expect(await scrollsSideways(p2)).toBe(false);
    expect(await seriousViolations(p2)).toEqual([]);
    await screenshot(p2, "vote-gasless");
    await signAndWait(p2);
    await expect.poll(() => p2.getByTestId("tally-for").textContent()).toBe("1");
    expect(await c.read<boolean>("governor", "hasVoted", [proposal.id, poor])).toBe(true);
    // The member paid nothing; the relayer's account sent the ballot.
    expect(await chain.publicClient.getBalance({ address: poor })).toBe(0n);
    const relayed = await chain.publicClient.getTransactionCount({
      address: accounts[19]!.address,
    });
    expect(relayed).toBe(1);

    // Founder 1 has ETH: the box starts unticked and the vote goes on-chain from their own wallet.
    const p1 = await phone("Founder 1", `#/proposals/${proposal.id}`);
    const own = p1.getByRole("checkbox", { name: /Vote without paying a fee/ });
    await expect.poll(() => own.isChecked()).toBe(false);
    await p1.getByRole("button", { name: "For", exact: true }).click();
    await signAndWait(p1);
    await expect.poll(() => p1.getByTestId("tally-for").textContent()).toBe("2");
    expect(await chain.publicClient.getTransactionCount({ address: accounts[19]!.address })).toBe(
      relayed,
    );

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
});
