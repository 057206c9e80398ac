/**
 * End to end in Debian's Chromium on a 360×640 phone screen: the built dApp, a real Hardhat node with the
 * co-op deployed, a demo founder's wallet signing in the page. Every result is checked in the page and
 * read back from the chain with viem; every screen is checked for sideways scrolling, jargon (hex, long
 * ids, wei, seconds) and by axe-core.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { encodeFunctionData, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { consentAbi, governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import {
  checkScreen,
  launchChromium,
  screenshot,
  scrollsSideways,
  startIndexer,
  startPreview,
} from "./support.ts";

let chain: TestChain;
let preview: Awaited<ReturnType<typeof startPreview>>;
let indexer: Awaited<ReturnType<typeof startIndexer>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
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
  context = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: "en-GB" });
  page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  preview?.stop();
  await indexer?.stop();
  await chain?.stop();
});

async function signInAs(p: Page, label: string) {
  await p.getByRole("button", { name: "Connect a wallet" }).click();
  await p.getByRole("button", { name: label, exact: true }).click();
  await p.getByText(`Signed in: ${label}`).waitFor();
}

/** The "before you sign" step, then the wallet, then the chain's confirmation. */
async function signAndWait(p: Page) {
  await p.getByRole("heading", { name: "Before you sign" }).waitFor();
  await p.getByRole("button", { name: "Sign in my wallet" }).click();
  await p.getByText("Done: it is recorded.").waitFor({ timeout: 30_000 });
  await indexer.caughtUp();
}

describe("the dApp on a phone", () => {
  it("opens on the co-op by its name, skips to the content, and keeps the focus after signing in", async () => {
    await page.goto(preview.url);
    await expect
      .poll(() => page.getByTestId("coop-name").textContent())
      .toBe("Valley Growers Data Co-op");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Valley Growers Data Co-op",
    );
    await page
      .getByText("Connect a wallet (at the top of the page) to see what waits for you.")
      .waitFor();
    // The first Tab reaches the skip link; it takes the focus to the content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Skip to the content",
    );
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(await checkScreen(page, "home-signed-out")).toEqual([]);

    await signInAs(page, "Founder 2");
    // Signing in replaced the button that had the focus: the focus is on who is signed in, not on <body>.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "wallet-status",
    );
    await expect
      .poll(() => page.getByTestId("home-status").textContent())
      .toMatch(/^You are member number 2\./);
    await page.getByTestId("waiting-votes").getByText("Nothing waits for your vote.").waitFor();
    expect(await checkScreen(page, "home", { publish: true })).toEqual([]);
  });

  it("shows a founder's membership, and lets a visitor apply to join with a link, after checking it", async () => {
    await page.getByRole("link", { name: "Members", exact: true }).click();
    await expect.poll(() => page.getByTestId("member-count").textContent()).toBe("5");
    const status = page.getByTestId("member-status");
    await expect.poll(() => status.textContent()).toMatch(/You are member number 2\./);
    expect(await status.textContent()).toMatch(/Member since/);
    expect(await checkScreen(page, "membership", { publish: true })).toEqual([]);

    const visitor = chain.accounts[7].address;
    const p = await context.newPage();
    await p.goto(`${preview.url}#/membership`);
    await p.getByRole("button", { name: "Disconnect" }).click();
    // Signing out hands the focus back to the button that signs in.
    await p.getByRole("button", { name: "Connect a wallet" }).waitFor();
    expect(await p.evaluate(() => document.activeElement?.textContent)).toBe("Connect a wallet");
    await signInAs(p, "Visitor 8");
    await expect
      .poll(() => p.getByTestId("member-status").textContent())
      .toMatch(/You are not a member\./);
    const field = p.getByLabel("Apply to join");
    await field.fill("my-application.pdf");
    await p.getByRole("button", { name: "Send my application" }).click();
    await p.getByText("Enter a link starting with https://").waitFor();
    expect(await p.getByRole("heading", { name: "Before you sign" }).count()).toBe(0);

    await field.fill("https://valley.example/applications/8");
    const send = p.getByRole("button", { name: "Send my application" });
    await send.click();
    expect(await p.locator(".tx-summary").textContent()).toBe(
      "Apply to join the co-op with the application at https://valley.example/applications/8.",
    );
    expect(await checkScreen(p, "apply")).toEqual([]);
    // Cancelling the review puts the focus back where it was.
    await p.getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(() => p.evaluate(() => document.activeElement?.textContent))
      .toBe("Send my application");
    await send.click();
    await signAndWait(p);
    const events = await chain.publicClient.getContractEvents({
      address: chain.deployment.contracts.membership,
      abi: membershipAbi,
      eventName: "MembershipApplied",
      args: { applicant: visitor },
      fromBlock: 0n,
    });
    expect(events.map((e) => e.args.uri)).toEqual(["https://valley.example/applications/8"]);
    // The open application is listed without its address on screen (one click away).
    await p.getByTestId("applications").waitFor();
    expect(await checkScreen(p, "membership-applications")).toEqual([]);
    // Sign the founder back in for the next steps (the demo wallet is shared by the pages).
    await p.getByRole("button", { name: "Disconnect" }).click();
    await signInAs(p, "Founder 2");
    await p.close();
    await page.reload();
    await page.getByText("Signed in: Founder 2").waitFor();
  });

  it("gives consent for one purpose on-chain, reads it back, then withdraws everything", async () => {
    const founder = chain.accounts[1].address;
    await page.getByRole("link", { name: "My consent", exact: true }).click();
    const academic = page.locator('input[data-purpose="ACADEMIC_RESEARCH"]');
    await expect.poll(() => academic.isEnabled()).toBe(true);
    expect(await academic.isChecked()).toBe(false);
    expect(await page.locator("li.purpose").count()).toBe(PURPOSES.length);

    await academic.check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    expect(await page.locator(".tx-summary").textContent()).toBe(
      "Allow your data to be used for: Academic research.",
    );
    expect(await checkScreen(page, "consent-review")).toEqual([]);
    await signAndWait(page);
    await expect
      .poll(() => page.getByTestId("saved-ACADEMIC_RESEARCH").textContent())
      .toBe("Allowed");
    const onChain = await chain.publicClient.readContract({
      address: chain.deployment.contracts.consent,
      abi: consentAbi,
      functionName: "consentOf",
      args: [founder],
    });
    expect(onChain).toBe(1n);
    expect(await checkScreen(page, "consent-saved", { publish: true })).toEqual([]);

    // After a reload the wallet reconnects and the choice is read from the chain again.
    await page.reload();
    await page.getByText("Signed in: Founder 2").waitFor();
    await expect.poll(() => academic.isChecked()).toBe(true);
    expect(await page.locator('input[data-purpose="MARKETING"]').isChecked()).toBe(false);

    await page.getByRole("button", { name: "Withdraw all consent" }).click();
    await signAndWait(page);
    await expect.poll(() => academic.isChecked()).toBe(false);
    const after = await chain.publicClient.readContract({
      address: chain.deployment.contracts.consent,
      abi: consentAbi,
      functionName: "consentOf",
      args: [founder],
    });
    expect(after).toBe(0n);
  });

  it("says on the first screen that a vote waits; votes with a reason; shows how I voted, tallies, turnout and time left", async () => {
    const { governor, membership } = chain.deployment.contracts;
    const newcomer = chain.accounts[10].address;
    const args = [
      [membership],
      [0n],
      [encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [newcomer] })],
      // A long unbroken word must wrap on a phone rather than widen the page.
      "# Admit the Valleyvegetablegrowersassociationmembershipapplicant of last week\n\n" +
        "Account 10 grows **vegetables** in the valley.\n\n- applied last week\n- <b>no HTML</b> here",
    ] as const;
    const { result: id, request } = await chain.publicClient.simulateContract({
      account: chain.accounts[0],
      address: governor,
      abi: governorAbi,
      functionName: "propose",
      args,
    });
    await chain.publicClient.waitForTransactionReceipt({
      hash: await chain.wallet(0).writeContract(request),
    });
    await chain.testClient.increaseTime({ seconds: 2 });
    await chain.testClient.mine({ blocks: 1 });
    await indexer.caughtUp();

    // The first screen: a vote waits for this member, with its tallies and the time left.
    await page.getByRole("link", { name: "Home", exact: true }).click();
    const waiting = page.getByTestId("waiting-vote");
    await waiting.waitFor();
    await page.getByText("1 vote waits for you.").waitFor();
    expect(await waiting.textContent()).toMatch(/^Proposal 1: Admit the Valley/);
    expect(await waiting.getByTestId("vote-tallies").textContent()).toBe(
      "For 0, Against 0, Abstain 0",
    );
    expect(await waiting.getByTestId("vote-time-left").textContent()).toMatch(
      / · Voting closes in (10|9) minutes$/,
    );
    expect(await checkScreen(page, "home-waiting", { publish: true })).toEqual([]);

    // The Votes tab lists it by its short number.
    await page.getByRole("link", { name: "Votes", exact: true }).click();
    const link = page.getByRole("link", { name: /Proposal 1 Admit the Valley/ });
    await expect.poll(() => link.textContent()).toMatch(/Open for votes$/);
    expect(await checkScreen(page, "proposals", { publish: true })).toEqual([]);
    await link.click();
    await expect
      .poll(() => page.getByTestId("proposal-state").textContent())
      .toBe("Open for votes");
    expect(page.url()).toMatch(/#\/proposals\/1$/);
    expect(await page.getByTestId("proposal-number").textContent()).toBe("Proposal 1");
    expect(await page.getByTestId("proposal-timing").textContent()).toMatch(
      /^Voting closes in (10|9) minutes$/,
    );
    expect(await page.getByTestId("quorum-text").textContent()).toBe(
      "0 of the 3 votes needed (For and Abstain count).",
    );
    // The description is Markdown, and raw HTML in it stays text.
    const description = page.getByTestId("proposal-description");
    expect(await description.locator("strong").textContent()).toBe("vegetables");
    expect(await description.locator("li").allTextContents()).toEqual([
      "applied last week",
      "<b>no HTML</b> here",
    ]);
    expect(await description.locator("b").count()).toBe(0);
    // What it will do names the newcomer without their address (it is a click away).
    expect(await page.getByTestId("proposal-calls").textContent()).toMatch(
      /^Admit someone outside the co-op show address/,
    );

    await page.getByLabel("Your reason (optional)").fill("They have farmed here for years.");
    await page.getByRole("button", { name: "For", exact: true }).click();
    expect(await page.locator(".tx-summary").textContent()).toBe(
      "Vote “For” on Proposal 1, saying: “They have farmed here for years.”. A vote cannot be changed.",
    );
    await signAndWait(page);
    await expect.poll(() => page.getByTestId("tally-for").textContent()).toBe("1");
    await expect
      .poll(() => page.getByTestId("voted").textContent())
      .toBe("You voted “For”. Your reason: “They have farmed here for years.”");
    expect(await page.getByRole("button", { name: "For", exact: true }).count()).toBe(0);
    expect(await page.getByTestId("quorum-text").textContent()).toBe(
      "1 of the 3 votes needed (For and Abstain count).",
    );
    const [against, forVotes, abstain] = await chain.publicClient.readContract({
      address: governor,
      abi: governorAbi,
      functionName: "proposalVotes",
      args: [id],
    });
    expect([against, forVotes, abstain]).toEqual([0n, 1n, 0n]);
    const cast = parseEventLogs({
      abi: governorAbi,
      eventName: "VoteCast",
      logs: await chain.publicClient.getLogs({ address: governor, fromBlock: 0n }),
    });
    expect(cast.map((e) => e.args.reason)).toEqual(["They have farmed here for years."]);
    expect(await checkScreen(page, "proposal", { publish: true })).toEqual([]);

    // The first screen no longer says a vote waits.
    await page.getByRole("link", { name: "Home", exact: true }).click();
    await page.getByTestId("waiting-votes").getByText("Nothing waits for your vote.").waitFor();

    // A visitor (no vote at the snapshot) is told so, and offered no vote buttons.
    const visitor = await context.newPage();
    await visitor.goto(`${preview.url}#/proposals/1`);
    await visitor.getByRole("button", { name: "Disconnect" }).click();
    await signInAs(visitor, "Visitor 6");
    await visitor.getByTestId("no-vote").waitFor();
    expect(await visitor.getByRole("button", { name: "Against", exact: true }).count()).toBe(0);
    expect(await checkScreen(visitor, "vote-not-member")).toEqual([]);
    await visitor.getByRole("button", { name: "Disconnect" }).click();
    await signInAs(visitor, "Founder 2");
    await visitor.close();
  });

  it("with a browser wallet on another network: warns, signs nothing, and switches on request", async () => {
    const founder = chain.accounts[3].address;
    const wrong = await browser.newContext({ viewport: { width: 360, height: 640 } });
    // An injected EIP-1193 wallet that starts on Ethereum mainnet and forwards to the local node, whose
    // test accounts are unlocked. It records every transaction it is asked to send.
    await wrong.addInitScript(
      ({ rpcUrl, account }) => {
        const listeners: Record<string, ((arg: unknown) => void)[]> = {};
        let chainId = "0x1";
        const sent: unknown[] = [];
        Object.assign(window, {
          sentTransactions: sent,
          ethereum: {
            async request({ method, params }: { method: string; params?: unknown[] }) {
              if (method === "eth_chainId") return chainId;
              if (method === "eth_accounts" || method === "eth_requestAccounts") return [account];
              if (method === "wallet_switchEthereumChain") {
                chainId = (params![0] as { chainId: string }).chainId;
                for (const listener of listeners.chainChanged ?? []) listener(chainId);
                return null;
              }
              if (method === "eth_sendTransaction") {
                sent.push({ chainId, tx: params![0] });
                if (chainId !== "0x7a69")
                  throw Object.assign(new Error("wrong chain"), { code: 4901 });
              }
              const res = await fetch(rpcUrl, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
              });
              const body = await res.json();
              if (body.error) throw Object.assign(new Error(body.error.message), body.error);
              return body.result;
            },
            on(event: string, listener: (arg: unknown) => void) {
              (listeners[event] ??= []).push(listener);
            },
            removeListener(event: string, listener: (arg: unknown) => void) {
              listeners[event] = (listeners[event] ?? []).filter((l) => l !== listener);
            },
          },
        });
      },
      { rpcUrl: chain.rpcUrl, account: founder },
    );
    const p = await wrong.newPage();
    await p.goto(`${preview.url}#/consent`);
    await p.getByRole("button", { name: "Connect a wallet" }).click();
    await p.getByRole("button", { name: "Browser wallet" }).click();
    const warning = p.getByText(/Your wallet is on another network\. This co-op runs on localhost/);
    await warning.waitFor();
    const save = p.getByRole("button", { name: "Save my choices" });
    const marketing = p.locator('input[data-purpose="MARKETING"]');
    await marketing.waitFor();
    expect(await marketing.isDisabled()).toBe(true);
    expect(await save.isDisabled()).toBe(true);
    expect(await checkScreen(p, "wrong-network")).toEqual([]);

    await p.getByRole("button", { name: "Switch to localhost" }).click();
    await warning.waitFor({ state: "detached" });
    await expect.poll(() => marketing.isEnabled()).toBe(true);
    await marketing.check();
    await save.click();
    await signAndWait(p);
    const sent = await p.evaluate(
      () => (window as unknown as { sentTransactions: { chainId: string }[] }).sentTransactions,
    );
    expect(sent.map((s) => s.chainId)).toEqual(["0x7a69"]);
    const mask = await chain.publicClient.readContract({
      address: chain.deployment.contracts.consent,
      abi: consentAbi,
      functionName: "consentOf",
      args: [founder],
    });
    expect(mask).toBe(1n << 5n);
    await wrong.close();
  });

  it("reads at 200 % text on the phone, and uses a desktop's width", async () => {
    const big = await browser.newContext({
      viewport: { width: 360, height: 640 },
      locale: "en-GB",
    });
    const p = await big.newPage();
    await p.addInitScript(() => {
      document.addEventListener("DOMContentLoaded", () => {
        document.documentElement.style.fontSize = "200%";
      });
    });
    await p.goto(`${preview.url}#/consent`);
    await signInAs(p, "Founder 4");
    for (const hash of [
      "#/consent",
      "#/partner",
      "#/data",
      "#/",
      "#/proposals/1",
      "#/membership",
    ]) {
      await p.goto(`${preview.url}${hash}`);
      await p.locator("main h1").waitFor();
      await p.waitForLoadState("networkidle");
      expect(await scrollsSideways(p), hash).toBe(false);
    }
    await screenshot(p, "consent-200-percent");
    await big.close();

    const desk = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: "en-GB",
    });
    const d = await desk.newPage();
    await d.goto(`${preview.url}#/proposals/1`);
    await d.getByTestId("proposal-state").waitFor();
    const widths = await d.evaluate(() => ({
      main: document.querySelector("main")!.getBoundingClientRect().width,
      columns: [...document.querySelectorAll("main .columns > *")].map(
        (c) => c.getBoundingClientRect().left,
      ),
    }));
    expect(widths.main).toBeGreaterThan(1000);
    // Two columns side by side.
    expect(new Set(widths.columns.map(Math.round)).size).toBe(2);
    await screenshot(d, "proposal-desktop", { publish: true });
    await desk.close();
  });

  it("switches language; every page stays within the phone's width in every language", async () => {
    await page.goto(`${preview.url}#/membership`);
    await page.getByRole("combobox", { name: "Language" }).selectOption("es");
    await page.getByRole("link", { name: "Mi consentimiento" }).click();
    await page.getByText("Investigación académica").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "consent-es");
    await page.getByRole("combobox", { name: "Idioma" }).selectOption("fr");
    await page.getByRole("link", { name: "Votes", exact: true }).click();
    await page.getByRole("heading", { name: "Votes", level: 1 }).waitFor();
    for (const [lang, label] of [
      ["fr", "Langue"],
      ["sw", "Lugha"],
      ["hi", "भाषा"],
    ] as const) {
      if (lang !== "fr") {
        await page
          .getByRole("combobox", { name: label === "Lugha" ? "Langue" : "Lugha" })
          .selectOption(lang);
        await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
      }
      for (const hash of [
        "#/",
        "#/propose",
        "#/partner",
        "#/data",
        "#/audit",
        "#/benchmark",
        "#/consent",
      ]) {
        await page.goto(`${preview.url}${hash}`);
        await page.locator("main h1").waitFor();
        expect(await scrollsSideways(page), `${lang} ${hash}`).toBe(false);
      }
    }
    await page.getByRole("combobox", { name: "भाषा" }).selectOption("en");
    await page.getByRole("link", { name: "Partners", exact: true }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
