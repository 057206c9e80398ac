/**
 * The deploy command against a separate node standing in for a testnet (an http network given by URL,
 * a deployer key that is not a founder), then the auditor on that chain: it passes on the clean co-op
 * with a real history, and names the cause once power leaks past the members' votes — a deployer given a
 * role back, a registry handed to an externally owned account that approves a grant itself, an anchor
 * chain broken by a rewritten root, a missing anchor batch.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  keccak256,
  parseEther,
  publicActions,
  stringToHex,
  toHex,
  type HDAccount,
  type Hex,
  zeroHash,
} from "viem";
import { registryAbi, timelockAbi } from "@datacoop/protocol/abis.generated";
import { audit } from "../src/audit.ts";
import type { AuditReport, CheckId } from "../src/report.ts";
import { parseDeployment, type Deployment } from "@datacoop/protocol/deployment";
import { accounts, freePort, REPO_ROOT, type TestChain } from "@datacoop/server/testing/chain";
import { coop } from "@datacoop/server/testing/coop";
import { chainIndexer } from "@datacoop/server/testing/indexChain";
import { stores } from "@datacoop/server/testing/stores";

const HARDHAT = path.join(REPO_ROOT, "node_modules", ".bin", "hardhat");
const DEPLOYER = 15;
const OPERATOR = 8;
const PARTNER = 12;
const OTHER_PARTNER = 13;
const INTRUDER = 16;
/** Not the local chain's 31337: the deploy takes its public-network path (verification, no local shortcuts). */
const CHAIN_ID = 4242;
const standIn = defineChain({
  id: CHAIN_ID,
  name: "stand-in testnet",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [] } },
});

/** viem clients for the stand-in chain (the shared helper's are for chain 31337). */
function standInClients(rpcUrl: string) {
  const transport = http(rpcUrl, { retryCount: 3, retryDelay: 50 });
  return {
    publicClient: createPublicClient({ chain: standIn, transport }),
    testClient: createTestClient({ chain: standIn, mode: "hardhat", transport }).extend(
      publicActions,
    ),
    wallet: (i: number | HDAccount) =>
      createWalletClient({
        chain: standIn,
        transport,
        account: typeof i === "number" ? accounts[i]! : i,
      }),
  };
}

function privateKeyOf(i: number): Hex {
  return toHex(accounts[i]!.getHdKey().privateKey!);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    let output = "";
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code: code ?? -1, output }));
  });
}

function check(report: AuditReport, id: CheckId) {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check`);
  return found;
}

function violations(report: AuditReport, id: CheckId): string[] {
  return check(report, id).violations.map(
    (v) => `${v.message} ${v.event ?? ""} ${v.transactionHash ?? ""}`,
  );
}

describe("deploy to a stand-in testnet, then audit", () => {
  let node: ChildProcess;
  let tmp: string;
  let rpcUrl: string;
  let deployment: Deployment;
  let chain: TestChain;
  const deploymentId = `test-audit-${process.pid}`;

  before(async () => {
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    node = spawn(
      HARDHAT,
      ["node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(CHAIN_ID)],
      {
        cwd: REPO_ROOT,
        stdio: "ignore",
      },
    );
    tmp = await mkdtemp(path.join(os.tmpdir(), "coop-audit-"));
    const { publicClient } = standInClients(rpcUrl);
    for (let i = 0; ; i++) {
      try {
        await publicClient.getChainId();
        break;
      } catch {
        if (i > 300) throw new Error("the node did not start");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });

  after(async () => {
    node?.kill("SIGKILL");
    await rm(tmp, { recursive: true, force: true });
  });

  const deployEnv = (parameters: string) => ({
    COOP_RPC_URL: rpcUrl,
    COOP_DEPLOYER_KEY: privateKeyOf(DEPLOYER),
    COOP_PARAMETERS: parameters,
    COOP_DEPLOYMENT_OUT: path.join(tmp, "deployment.json"),
    COOP_DEPLOYMENT_ID: deploymentId,
    COOP_IGNITION_DIR: path.join(tmp, "ignition"),
    ETHERSCAN_API_KEY: "",
  });

  it("refuses a co-op without founders, sending nothing", async () => {
    const parameters = path.join(tmp, "no-founders.json");
    await writeFile(parameters, JSON.stringify({ Governance: { founders: [] }, DataCoop: {} }));
    const { publicClient } = standInClients(rpcUrl);
    const blockBefore = await publicClient.getBlockNumber();
    const deployer = accounts[DEPLOYER]!.address;
    const nonceBefore = await publicClient.getTransactionCount({ address: deployer });
    const { code, output } = await run(
      HARDHAT,
      ["run", "scripts/deploy.ts", "--network", "custom"],
      deployEnv(parameters),
    );
    assert.equal(code, 1, output);
    assert.match(output, /Refusing to deploy a co-op with no founding members/);
    assert.equal(await publicClient.getBlockNumber(), blockBefore);
    assert.equal(await publicClient.getTransactionCount({ address: deployer }), nonceBefore);
  });

  it("refuses parameters the contracts would reject, before any transaction (deployer's nonce unchanged)", async () => {
    const parameters = path.join(tmp, "bad-parameters.json");
    await writeFile(
      parameters,
      JSON.stringify({
        Governance: {
          name: "Enyorata Loviluku Women's Co-operative",
          founders: [0, 1].map((i) => accounts[i]!.address),
          votingPeriod: 259_200_000, // three days typed in milliseconds
          quorumPercent: 100,
        },
        DataCoop: { privacyEpsilonMillionths: 0 },
      }),
    );
    const { publicClient } = standInClients(rpcUrl);
    const deployer = accounts[DEPLOYER]!.address;
    const nonceBefore = await publicClient.getTransactionCount({ address: deployer });
    const { code, output } = await run(
      HARDHAT,
      ["run", "scripts/deploy.ts", "--network", "custom"],
      deployEnv(parameters),
    );
    assert.equal(code, 1, output);
    assert.match(output, /Refusing to deploy: 3 parameters are not valid; nothing was sent/);
    assert.match(output, /Governance\.votingPeriod/);
    assert.match(output, /Governance\.quorumPercent/);
    assert.match(output, /DataCoop\.privacyEpsilonMillionths/);
    assert.equal(await publicClient.getTransactionCount({ address: deployer }), nonceBefore);
  });

  it("deploys, checks the deployer kept nothing, and writes a record the indexer reads", async () => {
    const parameters = path.join(tmp, "parameters.json");
    await writeFile(
      parameters,
      JSON.stringify({
        Governance: {
          name: "Stand-in Co-op",
          symbol: "SIC",
          founders: [0, 1, 2, 3, 4].map((i) => accounts[i]!.address),
          votingDelay: 1,
          votingPeriod: 600,
          lateQuorumExtension: 120,
          quorumPercent: 50,
          timelockDelay: 60,
        },
        DataCoop: { guardian: accounts[9]!.address, operator: accounts[OPERATOR]!.address },
      }),
    );
    const { code, output } = await run(
      HARDHAT,
      ["run", "scripts/deploy.ts", "--network", "custom"],
      deployEnv(parameters),
    );
    assert.equal(code, 0, output);
    assert.match(output, /the deployer holds no role/);
    assert.match(output, /Source verification skipped: no ETHERSCAN_API_KEY/);

    const file = path.join(tmp, "deployment.json");
    const record = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    assert.equal(record.network, "custom");
    assert.equal(record.chainId, CHAIN_ID);
    assert.equal(String(record.deployer).toLowerCase(), accounts[DEPLOYER]!.address.toLowerCase());
    deployment = parseDeployment(await readFile(file, "utf8"), file);
    const { publicClient } = standInClients(rpcUrl);
    // The record's start block is the first block with the timelock's code.
    const start = BigInt(deployment.startBlock);
    assert.notEqual(
      await publicClient.getCode({ address: deployment.contracts.timelock, blockNumber: start }),
      undefined,
    );
    assert.equal(
      await publicClient.getCode({
        address: deployment.contracts.timelock,
        blockNumber: start - 1n,
      }),
      undefined,
    );
    // The shared helpers' shape, with clients for this chain id.
    chain = {
      rpcUrl,
      deployment,
      deploymentFile: file,
      accounts,
      ...standInClients(rpcUrl),
      stop: async () => undefined,
    } as unknown as TestChain;

    const db = await stores[0]!.open();
    try {
      const indexer = await chainIndexer(db, chain);
      await indexer.catchUp();
      const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM members");
      assert.equal(Number(rows[0]!.n), 5);
    } finally {
      await db.close();
    }
  });

  it("passes on the clean co-op with a history of votes, fees, claims and anchors", async () => {
    const c = coop(chain);
    await c.pass([c.call("membership", "admit", [accounts[5]!.address])], "# Admit a sixth member");
    await c.pass(
      [
        c.call("registry", "registerDataset", [
          "Harvests",
          "ipfs://schemas/harvests",
          keccak256(stringToHex("harvests")),
          ["region", "crop", "yield"],
        ]),
      ],
      "# Register harvests",
    );
    await c.send(
      PARTNER,
      "registry",
      "requestAccess",
      [
        1n,
        0,
        { fieldMask: 0b011n, rowLevel: false, minCohort: 3, exactTabulations: zeroHash },
        30n * 86_400n,
        "ipfs://terms/university",
        "Valley Research Institute",
      ],
      parseEther("1"),
    );
    await c.send(
      OTHER_PARTNER,
      "registry",
      "requestAccess",
      [
        1n,
        5,
        { fieldMask: 0b001n, rowLevel: true, minCohort: 1, exactTabulations: zeroHash },
        30n * 86_400n,
        "ipfs://terms/marketing",
        "Valley Research Institute",
      ],
      parseEther("0.5"),
    );
    const approval = await c.read<[Hex[], bigint[], Hex[], string]>(
      "registry",
      "approvalProposal",
      [1n],
    );
    await c.pass(
      approval[0].map((target, i) => ({ target, value: approval[1][i], data: approval[2][i]! })),
      approval[3],
    );
    const rejection = await c.read<[Hex[], bigint[], Hex[], string]>(
      "registry",
      "rejectionProposal",
      [2n],
    );
    await c.pass(
      rejection[0].map((target, i) => ({ target, value: rejection[1][i], data: rejection[2][i]! })),
      rejection[3],
    );
    await c.send(OTHER_PARTNER, "registry", "claimRefund");
    await c.send(1, "revenue", "claim", [1n, accounts[1]!.address]);
    await c.send(2, "revenue", "claim", [1n, accounts[2]!.address]);
    await c.send(9, "registry", "revoke", [1n, "the partner broke the terms"]);
    const root1 = keccak256(stringToHex("batch 1"));
    const root2 = keccak256(stringToHex("batch 2"));
    await c.send(OPERATOR, "accessLog", "anchor", [root1, 10n, `0x${"0".repeat(64)}`]);
    await c.send(OPERATOR, "accessLog", "anchor", [root2, 25n, root1]);

    const report = await audit({ rpcUrl, deployment });
    assert.equal(
      report.ok,
      true,
      JSON.stringify(
        report.checks.filter((x) => x.status === "fail"),
        null,
        2,
      ),
    );
    const decisions = check(report, "decisions").notes.join("\n");
    assert.match(decisions, /admissions: 1 by vote, 5 at deployment/);
    assert.match(decisions, /grant approvals: 1 by vote/);
    assert.match(decisions, /request rejections: 1 by vote/);
    assert.match(decisions, /revocations by the guardian: 1/);
    assert.match(check(report, "proposals").notes[0]!, /4 proposals, 4 executed/);
    assert.match(
      check(report, "fees").notes.join(" "),
      /Partners paid 1.5 ETH: 1 ETH for approved grants, 0 ETH in escrow, 0 ETH refundable, 0.5 ETH refunded/,
    );
    assert.match(check(report, "anchors").notes[0]!, /2 batches, 25 entries/);
    assert.equal(check(report, "gateway").status, "skipped");
    // The timeline: each decision with how it came about.
    const approved = report.timeline.find((t) => t.event === "DataAccessRegistry.RequestApproved");
    assert.equal(approved?.how, "vote");
    assert.match(approved!.what, /^Grant 1 to 0x[0-9a-fA-F]{40} was approved$/);
    assert.match(approved!.proposalId ?? "", /^\d+$/);
    assert.equal(
      report.timeline.find((t) => t.event === "DataAccessRegistry.GrantRevoked")?.how,
      "guardian",
    );
    assert.equal(
      report.timeline.filter(
        (t) => t.how === "deployment" && t.event === "Membership.MemberAdmitted",
      ).length,
      5,
    );
    assert.ok(report.timeline.every((t) => t.how !== "bypass"));
  });

  it("says the balances cover what is owed only when they do", async () => {
    const { testClient, publicClient } = chain;
    const revenue = deployment.contracts.revenue;
    const clean = check(await audit({ rpcUrl, deployment }), "fees");
    assert.equal(clean.status, "pass");
    assert.ok(
      clean.notes.some((n) => /balances cover what they owe/.test(n)),
      clean.notes.join("\n"),
    );

    // The revenue contract emptied behind the members' backs: it owes more than it holds.
    const balance = await publicClient.getBalance({ address: revenue });
    assert.ok(balance > 0n, "the members have something left to claim");
    await testClient.setBalance({ address: revenue, value: 0n });
    try {
      const fees = check(await audit({ rpcUrl, deployment }), "fees");
      assert.equal(fees.status, "fail");
      assert.ok(
        fees.violations.some((v) => /The revenue contract holds 0 ETH, less than/.test(v.message)),
        JSON.stringify(fees.violations),
      );
      assert.ok(!fees.notes.some((n) => /cover what they owe/.test(n)), fees.notes.join("\n"));
      assert.ok(
        fees.notes.some((n) => /do not cover what is owed/.test(n)),
        fees.notes.join("\n"),
      );
    } finally {
      await testClient.setBalance({ address: revenue, value: balance });
    }
  });

  it("balances a corrected and a swept distribution, and fails when a sweep does not add up", async () => {
    const c = coop(chain);
    const { testClient, publicClient } = chain;
    // By-use shares and a 30-day claim period, by vote; a partner's grant under them.
    await c.pass(
      [c.call("revenue", "setMode", [1]), c.call("revenue", "setClaimPeriod", [30 * 86_400])],
      "# Shares by use, claimed within 30 days",
    );
    await c.send(
      PARTNER,
      "registry",
      "requestAccess",
      [
        1n,
        0,
        { fieldMask: 0b011n, rowLevel: false, minCohort: 3, exactTabulations: zeroHash },
        30n * 86_400n,
        "ipfs://terms/by-use",
        "Valley Research Institute",
      ],
      parseEther("1"),
    );
    const grant = await c.read<bigint>("registry", "requestCount");
    const approval = await c.read<[Hex[], bigint[], Hex[], string]>(
      "registry",
      "approvalProposal",
      [grant],
    );
    await c.pass(
      approval[0].map((target, i) => ({ target, value: approval[1][i], data: approval[2][i]! })),
      approval[3],
    );
    const { memberShare } = await c.read<{ memberShare: bigint }>("revenue", "distribution", [
      grant,
    ]);
    await c.send(OPERATOR, "revenue", "postAllocation", [
      grant,
      keccak256(stringToHex("first")),
      memberShare / 2n,
    ]);
    // The co-op corrects the allocations upwards (the treasury tops up), then sweeps both grants'
    // unclaimed shares once the claim period is over.
    const corrected = memberShare - memberShare / 4n;
    await c.pass(
      [
        {
          ...c.call("revenue", "replaceAllocation", [
            grant,
            keccak256(stringToHex("second")),
            corrected,
          ]),
          value: corrected - memberShare / 2n,
        },
      ],
      "# Correct the by-use allocations",
    );
    await c.warp(31 * 86_400);
    await c.pass(
      [c.call("revenue", "sweep", [1n]), c.call("revenue", "sweep", [grant])],
      "# Sweep the unclaimed shares",
    );
    const report6 = await audit({ rpcUrl, deployment });
    const fees = check(report6, "fees");
    assert.equal(fees.status, "pass", JSON.stringify(fees.violations));
    // Sweeps and replacements are the co-op's decisions: each traced to its passed vote.
    const decided = check(report6, "decisions");
    assert.equal(decided.status, "pass", JSON.stringify(decided.violations));
    assert.match(decided.notes.join("\n"), /sweeps: 2 by vote/);
    assert.match(decided.notes.join("\n"), /replaced allocations: 1 by vote/);
    assert.match(
      fees.notes.join(" "),
      /swept back to the treasury; 1 by-use distribution\(s\) replaced/,
    );

    // The revenue contract's books say less was swept than the events show: the check fails.
    const revenue = deployment.contracts.revenue;
    const [deposited, , claimedTotal, , , swept] = await c.read<bigint[]>("revenue", "totals");
    assert.ok(swept > 0n);
    // _totals is three words: deposited | claimed << 128, toTreasury | awaiting << 128, swept.
    let slot = -1n;
    for (let i = 0n; i < 32n; i++) {
      const word = await publicClient.getStorageAt({
        address: revenue,
        slot: toHex(i, { size: 32 }),
      });
      if (word && BigInt(word) === deposited + (claimedTotal << 128n)) slot = i;
    }
    assert.ok(slot >= 0n, "found the revenue totals");
    const sweptSlot = toHex(slot + 2n, { size: 32 });
    const kept = await publicClient.getStorageAt({ address: revenue, slot: sweptSlot });
    assert.equal(BigInt(kept!), swept);
    await testClient.setStorageAt({
      address: revenue,
      index: sweptSlot,
      value: toHex(swept - 1n, { size: 32 }),
    });
    try {
      const broken = check(await audit({ rpcUrl, deployment }), "fees");
      assert.equal(broken.status, "fail");
      assert.ok(
        broken.violations.some((v) =>
          /Revenue swept back unclaimed: the events add up to/.test(v.message),
        ),
        JSON.stringify(broken.violations),
      );
    } finally {
      await testClient.setStorageAt({ address: revenue, index: sweptSlot, value: kept! });
    }
    assert.equal(check(await audit({ rpcUrl, deployment }), "fees").status, "pass");
  });

  it("fails, naming the deployer and the transaction, when the deployer is given a role back", async () => {
    const { testClient, publicClient, wallet } = chain;
    const timelock = deployment.contracts.timelock;
    await testClient.impersonateAccount({ address: timelock });
    await testClient.setBalance({ address: timelock, value: parseEther("1") });
    const hash = await wallet(0).sendTransaction({
      account: timelock,
      to: timelock,
      data: encodeFunctionData({
        abi: timelockAbi,
        functionName: "grantRole",
        args: [keccak256(stringToHex("PROPOSER_ROLE")), accounts[DEPLOYER]!.address],
      }),
    });
    await publicClient.waitForTransactionReceipt({ hash });
    await testClient.stopImpersonatingAccount({ address: timelock });

    const report = await audit({ rpcUrl, deployment });
    assert.equal(report.ok, false);
    const powers = violations(report, "powers");
    assert.equal(powers.length, 1, powers.join("\n"));
    assert.match(
      powers[0]!,
      new RegExp(`the deployer ${accounts[DEPLOYER]!.address} holds the timelock's PROPOSER_ROLE`),
    );
    assert.ok(powers[0]!.includes(hash));
    const decisions = violations(report, "decisions");
    assert.equal(decisions.length, 1);
    assert.match(decisions[0]!, /PROPOSER_ROLE was granted to .* outside governance/);
    assert.ok(decisions[0]!.includes(hash));

    // Revoked again by a vote: that part of the record is clean again, the bypass stays named.
    const c = coop(chain);
    await c.pass(
      [
        c.call("timelock", "revokeRole", [
          keccak256(stringToHex("PROPOSER_ROLE")),
          accounts[DEPLOYER]!.address,
        ]),
      ],
      "# Take back the proposer role",
    );
    const again = await audit({ rpcUrl, deployment });
    assert.deepEqual(violations(again, "powers"), []);
    assert.equal(violations(again, "decisions").length, 1);
  });

  it("fails, naming the grant and its transaction, when an account outside governance approves a grant", async () => {
    const c = coop(chain);
    // A vote hands the registry to an externally owned account (the proposal itself is legitimate
    // governance; what the auditor must flag is the power it left and what that account did with it).
    await c.pass(
      [c.call("registry", "transferOwnership", [accounts[INTRUDER]!.address])],
      "# Hand the registry to an operator",
    );
    await c.send(
      PARTNER,
      "registry",
      "requestAccess",
      [
        1n,
        0,
        { fieldMask: 0b001n, rowLevel: false, minCohort: 3, exactTabulations: zeroHash },
        10n * 86_400n,
        "ipfs://terms/again",
        "Valley Research Institute",
      ],
      parseEther("0.2"),
    );
    const id = await c.read<bigint>("registry", "requestCount");
    const request = await c.read<{ termsHash: Hex }>("registry", "request", [id]);
    const hash = await chain.wallet(INTRUDER).writeContract({
      address: deployment.contracts.registry,
      abi: registryAbi,
      functionName: "approve",
      args: [id, request.termsHash],
    });
    await chain.publicClient.waitForTransactionReceipt({ hash });

    const report = await audit({ rpcUrl, deployment });
    assert.equal(report.ok, false);
    const decisions = violations(report, "decisions");
    const approval = decisions.find((v) => v.includes(`Grant ${id} `));
    assert.ok(approval, decisions.join("\n"));
    assert.match(
      approval,
      new RegExp(`Grant ${id} to 0x[0-9a-fA-F]{40} was approved outside governance`),
    );
    assert.match(approval, /DataAccessRegistry\.RequestApproved/);
    assert.ok(approval.includes(hash));
    assert.ok(
      violations(report, "powers").some((v) =>
        v.includes(
          `DataAccessRegistry is owned by the externally owned account ${accounts[INTRUDER]!.address}`,
        ),
      ),
    );
  });

  it("fails on an anchor chain broken by a rewritten root, and on a missing batch", async () => {
    const { testClient, publicClient } = chain;
    const anchor = deployment.contracts.accessLog;
    // Find the slot holding the latest root (after Ownable's owner) by its value.
    const root2 = keccak256(stringToHex("batch 2"));
    let rootSlot = -1;
    for (let slot = 0; slot < 4; slot++) {
      const value = await publicClient.getStorageAt({
        address: anchor,
        slot: toHex(slot, { size: 32 }),
      });
      if (value === root2) rootSlot = slot;
    }
    assert.ok(rootSlot >= 0, "root slot not found");
    const forged = keccak256(stringToHex("a root nobody anchored"));
    await testClient.setStorageAt({
      address: anchor,
      index: toHex(rootSlot, { size: 32 }),
      value: forged,
    });
    const c = coop(chain);
    const receipt = await c.send(OPERATOR, "accessLog", "anchor", [
      keccak256(stringToHex("batch 3")),
      40n,
      forged,
    ]);

    const broken = await audit({ rpcUrl, deployment });
    const anchors = violations(broken, "anchors");
    assert.equal(anchors.length, 1, anchors.join("\n"));
    assert.match(
      anchors[0]!,
      new RegExp(
        `Anchor batch 3 follows root ${forged}, but the batch before it anchored ${root2}`,
      ),
    );
    assert.ok(anchors[0]!.includes(receipt.transactionHash));

    // The contract's batch count raised past the events: a batch the chain has no record of.
    const stateSlot = toHex(rootSlot + 1, { size: 32 });
    const state = BigInt(
      (await publicClient.getStorageAt({ address: anchor, slot: stateSlot })) ?? "0x0",
    );
    const countShift = 160n + 64n;
    const count = (state >> countShift) & 0xffffffffn;
    assert.equal(count, 3n);
    const raised = (state & ~(0xffffffffn << countShift)) | ((count + 1n) << countShift);
    await testClient.setStorageAt({
      address: anchor,
      index: stateSlot,
      value: toHex(raised, { size: 32 }),
    });
    await testClient.mine({ blocks: 1 });
    const missing = await audit({ rpcUrl, deployment });
    assert.ok(
      violations(missing, "anchors").some((v) =>
        v.includes(
          "The contract reports 4 anchor batches but the chain holds 3 Anchored events: batch 4 is missing",
        ),
      ),
      violations(missing, "anchors").join("\n"),
    );
  });
});
