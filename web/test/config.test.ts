import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";
import { parseRoute } from "../src/lib/route.ts";
import {
  proposalBody,
  proposalStateName,
  proposalTitle,
  quorumVotes,
} from "../src/lib/proposal.ts";

const good = {
  deployment: {
    network: "localhost",
    chainId: 31337,
    startBlock: 1,
    contracts: {
      timelock: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
      membership: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      governor: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
      registry: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
      consent: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
      revenue: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      accessLog: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
    },
  },
  rpcUrl: "http://127.0.0.1:8545",
  indexerUrl: "http://127.0.0.1:8600/api",
};

describe("parseConfig", () => {
  it("accepts the file the dev server serves", () => {
    const config = parseConfig(good);
    expect(config.deployment.contracts.consent).toBe(good.deployment.contracts.consent);
    expect(config.walletConnectProjectId).toBeUndefined();
  });

  it("names the first bad field", () => {
    const cases: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{ ...good, deployment: { ...good.deployment, chainId: "1" } }, /chainId/],
      [
        {
          ...good,
          deployment: {
            ...good.deployment,
            contracts: { ...good.deployment.contracts, consent: "0x12" },
          },
        },
        /contracts\.consent/,
      ],
      [{ ...good, rpcUrl: "ws://x" }, /rpcUrl/],
      [{ ...good, walletConnectProjectId: "" }, /walletConnectProjectId/],
    ];
    for (const [input, message] of cases) {
      expect(() => parseConfig(input)).toThrow(ConfigError);
      expect(() => parseConfig(input)).toThrow(message);
    }
  });
});

describe("routes", () => {
  it("maps hashes to screens", () => {
    expect(parseRoute("")).toEqual({ page: "home" });
    expect(parseRoute("#/")).toEqual({ page: "home" });
    expect(parseRoute("#/membership")).toEqual({ page: "membership" });
    expect(parseRoute("#/consent")).toEqual({ page: "consent" });
    expect(parseRoute("#/benchmark")).toEqual({ page: "benchmark" });
    expect(parseRoute("#/partner/3")).toEqual({ page: "partner", grantId: "3" });
    expect(parseRoute("#/propose/admit?member=0x1")).toEqual({
      page: "propose",
      kind: "admit",
      params: { member: "0x1" },
    });
    expect(parseRoute("#/proposals")).toEqual({ page: "proposals" });
    expect(parseRoute("#/proposals/12")).toEqual({ page: "proposals", id: 12n });
    expect(parseRoute("#/proposals/nope")).toEqual({ page: "proposals", invalidId: "nope" });
  });
});

describe("proposals", () => {
  it("names the governor's states and counts For and Abstain toward quorum", () => {
    expect(proposalStateName(1)).toBe("active");
    expect(proposalStateName(7)).toBe("executed");
    expect(() => proposalStateName(8)).toThrow(RangeError);
    expect(quorumVotes({ for: 2n, against: 5n, abstain: 1n })).toBe(3n);
  });
});

describe("proposal descriptions", () => {
  const proposer = "#proposer=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  it("takes the first line as the title, without heading marks or the proposer suffix", () => {
    expect(proposalTitle("# Admit Ana\n\nShe farms maize.")).toBe("Admit Ana");
    expect(proposalTitle(`\n\nRegister the yields dataset ${proposer}`)).toBe(
      "Register the yields dataset",
    );
    expect(proposalTitle("")).toBe("");
  });

  it("keeps the rest as the body", () => {
    expect(proposalBody(`# Admit Ana\n\nShe farms maize.\nSince 2019.${proposer}`)).toBe(
      "She farms maize.\nSince 2019.",
    );
    expect(proposalBody("Only a title")).toBe("");
  });
});

describe("demo accounts", () => {
  it("are the public test mnemonic's addresses", async () => {
    const { mnemonicToAccount } = await import("viem/accounts");
    const { DEMO_ACCOUNTS, DEMO_MNEMONIC } = await import("../src/wallet/demoAccounts.ts");
    for (const a of DEMO_ACCOUNTS)
      expect(a.address).toBe(mnemonicToAccount(DEMO_MNEMONIC, { addressIndex: a.index }).address);
  });

  it("are every person npm start's co-op gives a role, with that role, and never a key that acts for the co-op", async () => {
    const { DEMO_ACCOUNTS } = await import("../src/wallet/demoAccounts.ts");
    const demo = await import("../../scripts/demo.ts");
    const withRole = (role: string) =>
      DEMO_ACCOUNTS.filter((a) => a.role === role).map((a) => a.index);
    expect(withRole("founder")).toEqual(demo.FOUNDERS);
    expect(withRole("farmer")).toEqual(demo.ADMITTED);
    expect(withRole("partner")).toEqual([demo.UNIVERSITY, demo.MARKET]);
    // Farmers by the farm name their records carry.
    for (const a of DEMO_ACCOUNTS.filter((x) => x.role === "farmer"))
      expect(a.name).toBe(demo.recordsOf(a.index).harvests[0].values.farm);
    expect(DEMO_ACCOUNTS.find((a) => a.index === demo.APPLICANT)?.role).toBe("visitor");
    // The gateway operator, the guardian and the relayer (the local chain's default, account 19).
    const indexes = DEMO_ACCOUNTS.map((a) => a.index);
    for (const key of [demo.OPERATOR, demo.GUARDIAN, 19]) expect(indexes).not.toContain(key);
    expect(new Set(indexes).size).toBe(indexes.length);
  });
});
