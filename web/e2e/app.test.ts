/**
 * End to end in Debian's Chromium on a 360×640 phone screen: the built dApp, a real Hardhat node with the
 * co-op deployed, a demo founder's wallet signing in the page. Every result is checked in the page and
 * read back from the chain with viem.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { encodeFunctionData } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startChain, type TestChain } from "@datacoop/server/testing/chain";
import { consentAbi, governorAbi, membershipAbi } from "@datacoop/protocol/abis.generated";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import {
  launchChromium,
  screenshot,
  scrollsSideways,
  seriousViolations,
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
  await p.getByText(/Done: confirmed in block \d+/).waitFor({ timeout: 30_000 });
}

describe("the dApp on a phone", () => {
  it("shows a founder's membership after signing in with a demo account", async () => {
    await page.goto(preview.url);
    await expect.poll(() => page.getByTestId("member-count").textContent()).toBe("5");
    await signInAs(page, "Founder 2");
    const status = page.getByTestId("member-status");
    await expect.poll(() => status.textContent()).toMatch(/You are member number 2\./);
    expect(await status.textContent()).toMatch(/Member since/);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "membership", { publish: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("lets a visitor apply to join with a link, after checking it", async () => {
    const visitor = chain.accounts[7]!.address;
    const p = await context.newPage();
    await p.goto(`${preview.url}#/membership`);
    await p.getByRole("button", { name: "Disconnect" }).click();
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
    await p.getByRole("button", { name: "Send my application" }).click();
    expect(await p.locator(".tx-summary").textContent()).toBe(
      "Apply to join the co-op with the application at https://valley.example/applications/8.",
    );
    expect(await scrollsSideways(p)).toBe(false);
    await screenshot(p, "apply");
    expect(await seriousViolations(p)).toEqual([]);
    await signAndWait(p);
    const events = await chain.publicClient.getContractEvents({
      address: chain.deployment.contracts.membership,
      abi: membershipAbi,
      eventName: "MembershipApplied",
      args: { applicant: visitor },
      fromBlock: 0n,
    });
    expect(events.map((e) => e.args.uri)).toEqual(["https://valley.example/applications/8"]);
    // Sign the founder back in for the next steps (the demo wallet is shared by the pages).
    await p.getByRole("button", { name: "Disconnect" }).click();
    await signInAs(p, "Founder 2");
    await p.close();
    await page.reload();
    await page.getByText("Signed in: Founder 2").waitFor();
  });

  it("gives consent for one purpose on-chain, reads it back, then withdraws everything", async () => {
    const founder = chain.accounts[1]!.address;
    await page.getByRole("link", { name: "My consent" }).click();
    const academic = page.locator('input[data-purpose="ACADEMIC_RESEARCH"]');
    await expect.poll(() => academic.isEnabled()).toBe(true);
    expect(await academic.isChecked()).toBe(false);
    expect(await page.locator("li.purpose").count()).toBe(PURPOSES.length);

    await academic.check();
    await page.getByRole("button", { name: "Save my choices" }).click();
    expect(await page.locator(".tx-summary").textContent()).toBe(
      "Allow your data to be used for: Academic research.",
    );
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "consent-review");
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
    await screenshot(page, "consent-saved", { publish: true });
    expect(await seriousViolations(page)).toEqual([]);

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

  it("votes on a proposal and shows the tally, quorum and countdown read from the governor", async () => {
    const { governor, membership } = chain.deployment.contracts;
    const newcomer = chain.accounts[10]!.address;
    const args = [
      [membership],
      [0n],
      [encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [newcomer] })],
      // A long unbroken word (an address) must wrap on a phone rather than widen the page.
      `# Admit ${newcomer} as a member\n\nAccount 10 grows vegetables in the valley and applied last week.`,
    ] as const;
    const { result: id, request } = await chain.publicClient.simulateContract({
      account: chain.accounts[0]!,
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

    // The Votes tab lists it; a long unbroken word in its title wraps instead of widening the page.
    await page.goto(`${preview.url}#/proposals`);
    const link = page.getByRole("link", { name: new RegExp(`Admit ${newcomer} as a member`) });
    await expect.poll(() => link.textContent()).toMatch(/Open for votes$/);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "proposals", { publish: true });
    expect(await seriousViolations(page)).toEqual([]);
    await link.click();
    await expect
      .poll(() => page.getByTestId("proposal-state").textContent())
      .toBe("Open for votes");
    expect(page.url()).toContain(`#/proposals/${id}`);
    expect(await page.getByTestId("proposal-title").textContent()).toBe(
      `Admit ${newcomer} as a member`,
    );
    expect(await page.getByTestId("proposal-timing").textContent()).toMatch(
      /^Voting closes in \d+ min \d\d s$/,
    );
    expect(await page.getByTestId("quorum-text").textContent()).toBe(
      "0 of the 3 votes needed (For and Abstain count).",
    );
    await page.getByRole("button", { name: "For", exact: true }).click();
    await signAndWait(page);
    await expect.poll(() => page.getByTestId("tally-for").textContent()).toBe("1");
    await page.getByTestId("voted").waitFor();
    expect(await page.getByRole("button", { name: "For", exact: true }).isDisabled()).toBe(true);
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
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "proposal", { publish: true });
    expect(await seriousViolations(page)).toEqual([]);

    // A visitor (no vote at the snapshot) is refused by the governor: the page names the rule.
    const visitor = await context.newPage();
    await visitor.goto(`${preview.url}#/proposals/${id}`);
    await visitor.getByRole("button", { name: "Disconnect" }).click();
    await signInAs(visitor, "Visitor 6");
    await visitor.getByTestId("no-vote").waitFor();
    await visitor.getByRole("button", { name: "Against", exact: true }).click();
    await visitor.getByRole("button", { name: "Sign in my wallet" }).click();
    const alert = visitor.locator(".tx.error");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(
      /GovernorMemberCountingNoVote\(0x[0-9a-fA-F]{40}, \d+\)/,
    );
    expect(await alert.textContent()).not.toMatch(/at .*\.js/);
    await screenshot(visitor, "vote-refused");
    await visitor.close();
  });

  it("with a browser wallet on another network: warns, signs nothing, and switches on request", async () => {
    const founder = chain.accounts[3]!.address;
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
    const warning = p.getByText(/Your wallet is on another network \(1\)/);
    await warning.waitFor();
    const save = p.getByRole("button", { name: "Save my choices" });
    const marketing = p.locator('input[data-purpose="MARKETING"]');
    await marketing.waitFor();
    expect(await marketing.isDisabled()).toBe(true);
    expect(await save.isDisabled()).toBe(true);
    expect(await scrollsSideways(p)).toBe(false);
    await screenshot(p, "wrong-network");
    expect(await seriousViolations(p)).toEqual([]);

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

  it("switches language and keeps every page within the phone's width", async () => {
    await page.goto(`${preview.url}#/membership`);
    await page.getByRole("combobox", { name: "Language" }).selectOption("es");
    await page.getByRole("link", { name: "Mi consentimiento" }).click();
    await page.getByText("Investigación académica").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "consent-es");
    await page.getByRole("combobox", { name: "Idioma" }).selectOption("fr");
    await page.getByRole("link", { name: "Votes" }).click();
    await page.getByRole("heading", { name: "Votes" }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    for (const hash of ["#/propose", "#/partner", "#/data", "#/audit"]) {
      await page.goto(`${preview.url}${hash}`);
      await page.locator("main h2").waitFor();
      expect(await scrollsSideways(page), hash).toBe(false);
    }
    await page.getByRole("link", { name: "Partenaires" }).waitFor();
    await page.getByRole("combobox", { name: "Langue" }).selectOption("en");
    expect(pageErrors).toEqual([]);
  });
});
