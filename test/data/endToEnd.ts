import { expect } from "chai";
import {
  CONSENT_TYPES,
  Choice,
  FIELDS,
  TREASURY_BPS,
  asProposal,
  consentDomain,
  deployDataCoop,
  ethers,
  signingTime,
  networkHelpers,
  passProposal,
  PARTNER_NAME,
} from "./fixture.js";

const { loadFixture, time } = networkHelpers;

const PUBLIC_INTEREST_RESEARCH = 1;

describe("DataCoop end to end", function () {
  it("a partner's request goes through the vote, the fee is shared, consent and revocation apply", async function () {
    const {
      registry,
      consent,
      revenue,
      accessLog,
      governor,
      timelock,
      founders,
      partner,
      guardian,
      operator,
      stranger: relayer,
    } = await loadFixture(deployDataCoop);
    const [alice, bob, carol, dave, erin] = founders;
    const registryAddress = await registry.getAddress();

    // The co-op registers a dataset by vote.
    const register = registry.interface.encodeFunctionData("registerDataset", [
      "Harvests 2025",
      "ipfs://harvest-schema",
      ethers.id("harvest schema v1"),
      FIELDS,
    ]);
    await passProposal(
      governor,
      [[registryAddress], [0n], [register], "# Register the Harvests 2025 dataset"],
      alice,
      [alice, bob, carol],
    );
    expect(await registry.datasetFields(1)).to.deep.equal(FIELDS);

    // Members set their consent; Erin opts in to nothing.
    await consent.connect(alice).setConsent(1n << BigInt(PUBLIC_INTEREST_RESEARCH));
    await consent.connect(bob).setConsent(0b11n);
    await consent.connect(carol).setConsent(0b10n);
    // Dave consents by signature, relayed, with no ETH of his own.
    const deadline = (await time.latest()) + 3_600;
    const signedAt = await signingTime();
    const signature = await dave.signTypedData(
      await consentDomain(consent),
      { SetConsent: CONSENT_TYPES.SetConsent },
      { member: dave.address, mask: 0b10n, signedAt, deadline },
    );
    await consent
      .connect(relayer)
      .setConsentBySig(dave.address, 0b10n, signedAt, deadline, signature);

    // A partner asks for aggregates of three fields for public-interest research, paying 2 ETH.
    const fee = ethers.parseEther("2");
    const scope = {
      fieldMask: 0b1011n,
      rowLevel: false,
      minCohort: 10,
      exactTabulations: ethers.ZeroHash,
    };
    const duration = 60 * 86_400;
    await registry
      .connect(partner)
      .requestAccess(
        1,
        PUBLIC_INTEREST_RESEARCH,
        scope,
        duration,
        "ipfs://study-protocol",
        PARTNER_NAME,
        {
          value: fee,
        },
      );

    // Bob opts out of this request while it is being voted on.
    await consent.connect(bob).setGrantChoice(1, Choice.OptOut);

    // A member sponsors it; the co-op votes; the timelock approves.
    const treasuryBefore = await ethers.provider.getBalance(timelock);
    const receipt = await passProposal(
      governor,
      asProposal(await registry.approvalProposal(1)),
      carol,
      [alice, carol, dave],
    );
    const approvedAt = BigInt((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    const request = await registry.request(1);
    expect(request.start).to.equal(approvedAt);
    expect(request.end).to.equal(approvedAt + BigInt(duration));
    expect(await registry.isGrantActive(1)).to.equal(true);
    expect(await registry.grantsOf(partner.address)).to.deep.equal([1n]);

    // The fee: 10 % to the treasury, the rest split equally among the five members at approval.
    const toTreasury = (fee * TREASURY_BPS) / 10_000n;
    const perMember = (fee - toTreasury) / 5n;
    expect((await ethers.provider.getBalance(timelock)) - treasuryBefore).to.equal(toTreasury);
    for (const member of founders) {
      expect(await revenue.claimableOf(1, member.address)).to.equal(perMember);
    }
    // A relayer claims for everyone; each member is paid, the relayer only pays gas.
    for (const member of founders) {
      await expect(
        revenue.connect(relayer)["claim(uint256,address)"](1, member.address),
      ).to.changeEtherBalance(ethers, member, perMember);
    }

    // Who the gateway may include: consent for the purpose, minus the opt-out.
    const covered = async () =>
      Promise.all(founders.map((member) => consent.isCovered(member.address, 1)));
    expect(await covered()).to.deep.equal([true, false, true, true, false]);
    // Carol withdraws her consent: one call, effective at once.
    await consent.connect(carol).setConsent(0);
    expect(await covered()).to.deep.equal([true, false, false, true, false]);
    // Erin opts in to this grant only.
    await consent.connect(erin).setGrantChoice(1, Choice.OptIn);
    expect(await covered()).to.deep.equal([true, false, false, true, true]);

    // The gateway anchors its access log.
    const logRoot = ethers.id("access log after 42 decisions");
    await accessLog.connect(operator).anchor(logRoot, 42, ethers.ZeroHash);
    expect(await accessLog.latest()).to.deep.equal([logRoot, 42n, 1n]);

    // The guardian revokes the grant: inactive for good.
    await expect(registry.connect(guardian).revoke(1, "protocol breach reported"))
      .to.emit(registry, "GrantRevoked")
      .withArgs(1n, guardian.address, "protocol breach reported");
    expect(await registry.isGrantActive(1)).to.equal(false);

    // Every wei the partner paid is accounted for.
    const [received, escrowed, refundable, refunded] = await registry.totals();
    const [deposited, treasury, claimed, claimable, awaiting] = await revenue.totals();
    expect(received).to.equal(fee);
    expect(escrowed + refundable + refunded + deposited).to.equal(received);
    expect(treasury + claimed + claimable + awaiting).to.equal(deposited);
    expect([treasury, claimed, claimable]).to.deep.equal([toTreasury, perMember * 5n, 0n]);
    expect(await ethers.provider.getBalance(revenue)).to.equal(claimable + awaiting);
    expect(await ethers.provider.getBalance(registry)).to.equal(escrowed + refundable);
  });

  it("a rejected request is refunded, and every setting changes only by vote", async function () {
    const { registry, revenue, accessLog, governor, founders, partner, asTimelock, stranger } =
      await loadFixture(deployDataCoop);
    const [alice, bob, carol] = founders;
    await registry
      .connect(asTimelock)
      .registerDataset("Trips", "ipfs://trips", ethers.id("trips"), ["km", "minutes"]);
    const fee = ethers.parseEther("0.5");
    await registry
      .connect(partner)
      .requestAccess(
        1,
        5,
        { fieldMask: 1n, rowLevel: true, minCohort: 1, exactTabulations: ethers.ZeroHash },
        86_400,
        "ipfs://ad",
        PARTNER_NAME,
        {
          value: fee,
        },
      );

    await passProposal(governor, asProposal(await registry.rejectionProposal(1)), bob, [
      alice,
      bob,
      carol,
    ]);
    expect(await registry.refundOf(partner.address)).to.equal(fee);
    await expect(registry.connect(partner).claimRefund()).to.changeEtherBalance(
      ethers,
      partner,
      fee,
    );

    // One vote hands the guardian and operator roles to another address.
    const targets = [registry, revenue, accessLog].map((c) => c.target as string);
    const calldatas = [
      registry.interface.encodeFunctionData("setGuardian", [stranger.address]),
      revenue.interface.encodeFunctionData("setOperator", [stranger.address]),
      accessLog.interface.encodeFunctionData("setOperator", [stranger.address]),
    ];
    await passProposal(
      governor,
      [targets, [0n, 0n, 0n], calldatas, "# Hand the guardian and operator roles over"],
      carol,
      [alice, bob, carol],
    );
    expect(await registry.guardian()).to.equal(stranger.address);
    expect(await revenue.operator()).to.equal(stranger.address);
    expect(await accessLog.operator()).to.equal(stranger.address);
  });
});
