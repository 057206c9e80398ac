import { expect } from "chai";
import DataCoop from "../../ignition/modules/DataCoop.js";
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
    // The consent registry has no admin at all: members' own writes and views only.
    const writes = consent.interface.fragments
      .filter(ethers.Fragment.isFunction)
      .filter((f) => !f.constant)
      .map((f) => f.name);
    expect(writes.sort()).to.deep.equal([
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
