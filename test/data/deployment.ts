import { expect } from "chai";
import DataCoop from "../../ignition/modules/DataCoop.js";
import { BOUNDS, DAY, ParameterError, checkParameters } from "../../scripts/deployParameters.js";
import { GOVERNANCE, deployDataCoop, ethers, ignition, networkHelpers } from "./fixture.js";

const { loadFixture } = networkHelpers;

/** The module with only the founders given: every DataCoop parameter at its default. */
async function deployWithDefaults() {
  const founders = (await ethers.getSigners()).slice(6, 11).map((s) => s.address);
  const { registry, revenue, accessLog } = await ignition.deploy(DataCoop, {
    parameters: { Governance: { founders, ...GOVERNANCE } },
  });
  return {
    registry: await ethers.getContractAt("DataAccessRegistry", await registry.getAddress()),
    revenue: await ethers.getContractAt("Revenue", await revenue.getAddress()),
    accessLog: await ethers.getContractAt("AccessLogAnchor", await accessLog.getAddress()),
  };
}

describe("DataCoop deployment", function () {
  it("leaves every admin power with the timelock", async function () {
    const { timelock, membership, registry, revenue, accessLog, consent, deployer } =
      await loadFixture(deployDataCoop);
    const timelockAddress = await timelock.getAddress();
    for (const owned of [membership, registry, revenue, accessLog]) {
      expect(await owned.owner()).to.equal(timelockAddress);
    }
    // The consent registry has no admin at all: members' own writes, the membership's reports of an admission and
    // of a move (voted), and views only.
    const writes = consent.interface.fragments
      .filter(ethers.Fragment.isFunction)
      .filter((f) => !f.constant)
      .map((f) => f.name);
    expect(writes.sort()).to.deep.equal([
      "onAdmitted",
      "onMoved",
      "setConsent",
      "setConsentBySig",
      "setGrantChoice",
      "setGrantChoiceBySig",
    ]);
    for (const role of [
      "DEFAULT_ADMIN_ROLE",
      "PROPOSER_ROLE",
      "EXECUTOR_ROLE",
      "CANCELLER_ROLE",
    ] as const) {
      expect(await timelock.hasRole(await timelock[role](), deployer.address)).to.equal(false);
    }
    // The deployer's one-time wiring power is spent.
    await expect(revenue.connect(deployer).setRegistry(await registry.getAddress()))
      .to.be.revertedWithCustomError(revenue, "RevenueRegistryLocked")
      .withArgs(deployer.address);
    const consentAddress = await consent.getAddress();
    expect(await membership.consentRegistry()).to.equal(consentAddress);
    await expect(membership.connect(deployer).setConsentRegistry(consentAddress))
      .to.be.revertedWithCustomError(membership, "MembershipConsentRegistryLocked")
      .withArgs(deployer.address);
    // Only the membership reports admissions: the deployer cannot forge a membership's start.
    await expect(consent.connect(deployer).onAdmitted(deployer.address, 1))
      .to.be.revertedWithCustomError(consent, "ConsentRegistryNotMembership")
      .withArgs(deployer.address);
  });

  it("gives the guardian and operator roles from parameters", async function () {
    const { registry, revenue, accessLog, guardian, operator } = await loadFixture(deployDataCoop);
    expect(await registry.guardian()).to.equal(guardian.address);
    expect(await revenue.operator()).to.equal(operator.address);
    expect(await accessLog.operator()).to.equal(operator.address);
  });

  it("defaults to no guardian or operator, 10 % to the treasury, equal split, no minimum fee, a year at most", async function () {
    const { registry, revenue, accessLog } = await loadFixture(deployWithDefaults);
    expect(await registry.guardian()).to.equal(ethers.ZeroAddress);
    expect(await revenue.operator()).to.equal(ethers.ZeroAddress);
    expect(await accessLog.operator()).to.equal(ethers.ZeroAddress);
    expect(await revenue.treasuryShare()).to.equal(1_000n);
    expect(await revenue.mode()).to.equal(0n);
    expect(await registry.minimumFee()).to.equal(0n);
    expect(await registry.maxDuration()).to.equal(365n * 86_400n);
  });
});

describe("deployment parameters (scripts/deployParameters.ts)", function () {
  const founders = [
    "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  ];
  const refusal = (raw: unknown) => {
    try {
      checkParameters(raw, "params.json");
    } catch (error) {
      expect(error).to.be.instanceOf(ParameterError);
      return (error as Error).message;
    }
    throw new Error("accepted");
  };

  it("fills in the modules' defaults and normalises addresses", function () {
    const p = checkParameters(
      { Governance: { founders: founders.map((f) => f.toLowerCase()) } },
      "params.json",
    );
    expect(p.Governance.founders).to.deep.equal(founders);
    expect(p.Governance).to.include({ name: "DataCoop", votingPeriod: 3 * DAY, quorumPercent: 50 });
    expect(p.DataCoop).to.include({
      claimPeriod: 365 * DAY,
      privacyEpsilonMillionths: 1_000_000,
      privacyPeriod: 30 * DAY,
    });
  });

  it("accepts a long co-op name", function () {
    const name = "Enyorata Loviluku Women's Co-operative";
    expect(
      checkParameters({ Governance: { name, founders } }, "params.json").Governance.name,
    ).to.equal(name);
  });

  const cases: [string, unknown, RegExp][] = [
    ["no founders", { Governance: { founders: [] } }, /no founding members/],
    ["a founder twice", { Governance: { founders: [founders[0], founders[0]] } }, /twice/],
    ["a founder that is not an address", { Governance: { founders: ["0x12"] } }, /not an address/],
    ["an empty name", { Governance: { founders, name: "" } }, /Governance\.name .* 1 to 128 bytes/],
    [
      "a voting period in milliseconds",
      { Governance: { founders, votingPeriod: 259_200_000 } },
      /votingPeriod/,
    ],
    ["a voting period of seconds", { Governance: { founders, votingPeriod: 60 } }, /votingPeriod/],
    [
      "a fractional delay",
      { Governance: { founders, votingDelay: 1.5 } },
      /votingDelay .* whole number/,
    ],
    [
      "an extension past the period",
      { Governance: { founders, lateQuorumExtension: 4 * DAY } },
      /lateQuorumExtension/,
    ],
    [
      "a 100 % quorum",
      { Governance: { founders, quorumPercent: 100 } },
      /quorumPercent .* between 5 and 50/,
    ],
    ["a timelock delay of 0", { Governance: { founders, timelockDelay: 0 } }, /timelockDelay/],
    [
      "a guardian that is not an address",
      { Governance: { founders }, DataCoop: { guardian: "me" } },
      /guardian/,
    ],
    [
      "a founder as operator",
      { Governance: { founders }, DataCoop: { operator: founders[1] } },
      /also a founder/,
    ],
    [
      "a treasury share over 100 %",
      { Governance: { founders }, DataCoop: { treasuryBps: 10_001 } },
      /treasuryBps/,
    ],
    [
      "an unknown revenue mode",
      { Governance: { founders }, DataCoop: { revenueMode: 2 } },
      /revenueMode/,
    ],
    [
      "a negative minimum fee",
      { Governance: { founders }, DataCoop: { minimumFee: "-1" } },
      /minimumFee/,
    ],
    [
      "a claim period of a week",
      { Governance: { founders }, DataCoop: { claimPeriod: 7 * DAY } },
      /claimPeriod/,
    ],
    [
      "a zero privacy cap",
      { Governance: { founders }, DataCoop: { privacyEpsilonMillionths: 0 } },
      /privacyEpsilon/,
    ],
    [
      "a privacy period of an hour",
      { Governance: { founders }, DataCoop: { privacyPeriod: 3_600 } },
      /privacyPeriod/,
    ],
    [
      "a misspelt parameter",
      { Governance: { founders, quorum: 50 } },
      /Governance\.quorum .* not a parameter/,
    ],
    ["an unknown module", { Governance: { founders }, Revenue: {} }, /unknown module "Revenue"/],
  ];
  for (const [what, raw, message] of cases) {
    it(`refuses ${what}`, function () {
      expect(refusal(raw))
        .to.match(message)
        .and.to.match(/nothing was sent/);
    });
  }

  it("lists every problem at once", function () {
    const message = refusal({ Governance: { founders: [], quorumPercent: 0, votingPeriod: 0 } });
    // The default late-quorum extension is also longer than a zero voting period.
    expect(message).to.match(/4 parameters are not valid/);
    for (const key of ["founders", "quorumPercent", "votingPeriod", "lateQuorumExtension"])
      expect(message).to.include(`Governance.${key}`);
  });

  it("uses the contracts' own bounds", async function () {
    const { governor, timelock, registry, revenue } = await loadFixture(deployDataCoop);
    const timelockContract = await ethers.getContractAt(
      "CoopTimelock",
      await timelock.getAddress(),
    );
    expect(await governor.MAX_VOTING_DELAY()).to.equal(BigInt(BOUNDS.votingDelay.max));
    expect(await governor.MIN_VOTING_PERIOD()).to.equal(BigInt(BOUNDS.votingPeriod.min));
    expect(await governor.MAX_VOTING_PERIOD()).to.equal(BigInt(BOUNDS.votingPeriod.max));
    expect(await governor.MIN_QUORUM_PERCENT()).to.equal(BigInt(BOUNDS.quorumPercent.min));
    expect(await governor.MAX_QUORUM_PERCENT()).to.equal(BigInt(BOUNDS.quorumPercent.max));
    expect(await timelockContract.MIN_DELAY()).to.equal(BigInt(BOUNDS.timelockDelay.min));
    expect(await timelockContract.MAX_DELAY()).to.equal(BigInt(BOUNDS.timelockDelay.max));
    expect(await revenue.MIN_CLAIM_PERIOD()).to.equal(BigInt(BOUNDS.claimPeriod.min));
    expect(await revenue.MAX_CLAIM_PERIOD()).to.equal(BigInt(BOUNDS.claimPeriod.max));
    expect(await registry.MAX_PRIVACY_EPSILON_MILLIONTHS()).to.equal(
      BigInt(BOUNDS.privacyEpsilonMillionths.max),
    );
    expect(await registry.MIN_PRIVACY_PERIOD()).to.equal(BigInt(BOUNDS.privacyPeriod.min));
    expect(await registry.MAX_PRIVACY_PERIOD()).to.equal(BigInt(BOUNDS.privacyPeriod.max));
  });

  it("deploys a co-op with a long name, kept in full on-chain", async function () {
    const name = "Enyorata Loviluku Women's Co-operative";
    const signers = (await ethers.getSigners()).slice(6, 11).map((s) => s.address);
    const deployed = await ignition.deploy(DataCoop, {
      parameters: { Governance: { name, founders: signers, ...GOVERNANCE } },
    });
    const governor = await ethers.getContractAt(
      "CoopGovernor",
      await deployed.governor.getAddress(),
    );
    const membership = await ethers.getContractAt(
      "Membership",
      await deployed.membership.getAddress(),
    );
    expect(await governor.name()).to.equal(name);
    expect(await membership.name()).to.equal(name);
    const [, domainName] = await governor.eip712Domain();
    expect(domainName).to.equal("DataCoop Governor");
  });
});
