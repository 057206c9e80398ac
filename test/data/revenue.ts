import { expect } from "chai";
import {
  DURATION,
  FEE,
  Mode,
  SCOPE,
  TERMS_URI,
  TREASURY_BPS,
  deployDataCoop,
  ethers,
  networkHelpers,
  withDataset,
  withGrant,
  withRequest,
  PARTNER_NAME,
} from "./fixture.js";
import { allocationLeaf, merkleTree } from "./merkle.js";

const { loadFixture, time } = networkHelpers;

const TREASURY = (FEE * TREASURY_BPS) / 10_000n;
const MEMBER_SHARE = FEE - TREASURY;
const PER_MEMBER = MEMBER_SHARE / 5n;

/** Request 1 approved while the revenue mode is ByUse. */
async function withByUseGrant() {
  const f = await withRequest();
  await f.revenue.connect(f.asTimelock).setMode(Mode.ByUse);
  await f.registry.connect(f.asTimelock).approve(1, (await f.registry.request(1)).termsHash);
  return f;
}

/** withByUseGrant plus allocations to three founders (and one to a non-member) posted by the operator. */
async function withAllocation() {
  const f = await withByUseGrant();
  const [a, b, c] = f.founders;
  const allocations: [string, bigint][] = [
    [a.address, 500n],
    [b.address, 300n],
    [c.address, 200n],
    [f.stranger.address, 100n],
  ];
  const tree = merkleTree(allocations.map(([account, amount]) => allocationLeaf(account, amount)));
  await f.revenue.connect(f.operator).postAllocation(1, tree.root, 1_100n);
  return { ...f, tree };
}

const claimEqual = "claim(uint256,address)";
const claimByUse = "claim(uint256,address,uint256,bytes32[])";

describe("Revenue", function () {
  describe("deployment", function () {
    it("is owned by the timelock, with the deployment's settings", async function () {
      const { revenue, timelock, operator, registry } = await loadFixture(deployDataCoop);
      expect(await revenue.owner()).to.equal(await timelock.getAddress());
      expect(await revenue.mode()).to.equal(BigInt(Mode.EqualSplit));
      expect(await revenue.treasuryShare()).to.equal(TREASURY_BPS);
      expect(await revenue.operator()).to.equal(operator.address);
      expect(await revenue.registry()).to.equal(await registry.getAddress());
    });
  });

  describe("setRegistry", function () {
    it("is locked once set, for the deployer as for anyone", async function () {
      const { revenue, deployer, stranger, registry } = await loadFixture(deployDataCoop);
      for (const caller of [deployer, stranger]) {
        await expect(revenue.connect(caller).setRegistry(await registry.getAddress()))
          .to.be.revertedWithCustomError(revenue, "RevenueRegistryLocked")
          .withArgs(caller.address);
      }
    });

    it("reverts on a registry wired to another revenue contract", async function () {
      const { registry, membership, timelock, deployer } = await loadFixture(deployDataCoop);
      const fresh = await ethers.deployContract("Revenue", [
        await timelock.getAddress(),
        await membership.getAddress(),
        ethers.ZeroAddress,
        0,
        0,
        365 * 86_400,
      ]);
      await expect(fresh.connect(deployer).setRegistry(await registry.getAddress()))
        .to.be.revertedWithCustomError(fresh, "RevenueRegistryMismatch")
        .withArgs(await registry.getAddress());
    });
  });

  describe("deposit", function () {
    it("sends the treasury share to the timelock and records the equal split", async function () {
      const { registry, revenue, timelock, asTimelock } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      const tx = registry.connect(asTimelock).approve(1, termsHash);
      const snapshot = BigInt(await time.latest());
      await expect(tx)
        .to.emit(revenue, "Deposited")
        .withArgs(1n, Mode.EqualSplit, FEE, TREASURY, MEMBER_SHARE, 5n, PER_MEMBER, snapshot);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [timelock, revenue],
        [TREASURY, MEMBER_SHARE],
      );
      const d = await revenue.distribution(1);
      expect([d.mode, d.snapshot, d.memberShare, d.perMember, d.memberCount]).to.deep.equal([
        BigInt(Mode.EqualSplit),
        snapshot,
        MEMBER_SHARE,
        PER_MEMBER,
        5n,
      ]);
      expect(await revenue.totals()).to.deep.equal([FEE, TREASURY, 0n, MEMBER_SHARE, 0n, 0n]);
    });

    it("gives the rounding remainder to the treasury", async function () {
      const { registry, revenue, asTimelock, partner } = await loadFixture(withDataset);
      const fee = 1_000_003n; // 10 % is 100,000; 900,003 over 5 members leaves 3
      await registry
        .connect(partner)
        .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: fee });
      await expect(registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash))
        .to.emit(revenue, "Deposited")
        .withArgs(
          1n,
          Mode.EqualSplit,
          fee,
          100_003n,
          900_000n,
          5n,
          180_000n,
          BigInt(await time.latest()),
        );
    });

    it("reverts for anyone but the registry, and twice for a grant", async function () {
      const { revenue, registry, stranger } = await loadFixture(withGrant);
      await expect(revenue.connect(stranger).deposit(2, { value: 1n }))
        .to.be.revertedWithCustomError(revenue, "RevenueNotRegistry")
        .withArgs(stranger.address);
      const asRegistry = await ethers.getImpersonatedSigner(await registry.getAddress());
      await networkHelpers.setBalance(asRegistry.address, FEE);
      await expect(revenue.connect(asRegistry).deposit(1, { value: 1n }))
        .to.be.revertedWithCustomError(revenue, "RevenueAlreadyDeposited")
        .withArgs(1n);
    });
  });

  describe("claim (equal split)", function () {
    it("pays each member at approval their share once, whoever submits the claim", async function () {
      const { revenue, founders, stranger } = await loadFixture(withGrant);
      const [member] = founders;
      expect(await revenue.claimableOf(1, member.address)).to.equal(PER_MEMBER);
      const tx = revenue.connect(stranger)[claimEqual](1, member.address);
      await expect(tx).to.emit(revenue, "Claimed").withArgs(1n, member.address, PER_MEMBER);
      await expect(tx).to.changeEtherBalances(
        ethers,
        [member, stranger, revenue],
        [PER_MEMBER, 0n, -PER_MEMBER],
      );
      expect(await revenue.isClaimed(1, member.address)).to.equal(true);
      expect(await revenue.claimableOf(1, member.address)).to.equal(0n);
      await expect(revenue.connect(member)[claimEqual](1, member.address))
        .to.be.revertedWithCustomError(revenue, "RevenueAlreadyClaimed")
        .withArgs(1n, member.address);
    });

    it("pays a member who left after approval, not one who joined after it", async function () {
      const { revenue, membership, asTimelock, founders, stranger } = await loadFixture(withGrant);
      await membership.connect(founders[4]).resign();
      await membership.connect(asTimelock).admit(stranger.address);
      await expect(revenue[claimEqual](1, founders[4].address)).to.changeEtherBalance(
        ethers,
        founders[4],
        PER_MEMBER,
      );
      expect(await revenue.claimableOf(1, stranger.address)).to.equal(0n);
      await expect(revenue[claimEqual](1, stranger.address))
        .to.be.revertedWithCustomError(revenue, "RevenueNotEligible")
        .withArgs(1n, stranger.address);
    });

    it("excludes a member admitted in the very second of the approval", async function () {
      const { registry, revenue, membership, asTimelock, stranger } =
        await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      await networkHelpers.mine(); // keep the next two transactions in one block
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        await membership.connect(asTimelock).admit(stranger.address);
        await registry.connect(asTimelock).approve(1, termsHash);
        await networkHelpers.mine();
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }
      expect((await revenue.distribution(1)).memberCount).to.equal(5n);
      await expect(revenue[claimEqual](1, stranger.address))
        .to.be.revertedWithCustomError(revenue, "RevenueNotEligible")
        .withArgs(1n, stranger.address);
    });

    it("reverts on an unknown grant or a by-use grant", async function () {
      const { revenue, founders } = await loadFixture(withByUseGrant);
      await expect(revenue[claimEqual](2, founders[0].address))
        .to.be.revertedWithCustomError(revenue, "RevenueUnknownGrant")
        .withArgs(2n);
      await expect(revenue[claimEqual](1, founders[0].address))
        .to.be.revertedWithCustomError(revenue, "RevenueWrongMode")
        .withArgs(1n, Mode.ByUse);
    });

    it("keeps the share claimable when the member cannot receive it", async function () {
      const { registry, revenue, membership, asTimelock } = await loadFixture(withRequest);
      const receiver = await ethers.deployContract("ReentrantReceiver");
      await membership.connect(asTimelock).admit(await receiver.getAddress());
      await time.increase(1);
      await registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      const perMember = MEMBER_SHARE / 6n;
      await receiver.setRefusePayments(true);
      await expect(revenue[claimEqual](1, receiver))
        .to.be.revertedWithCustomError(revenue, "RevenueTransferFailed")
        .withArgs(await receiver.getAddress(), perMember);
      expect(await revenue.isClaimed(1, receiver)).to.equal(false);
      await receiver.setRefusePayments(false);
      await revenue[claimEqual](1, receiver);
      expect(await receiver.received()).to.equal(perMember);
    });
  });

  describe("postAllocation (by use)", function () {
    it("records the root and returns the unallocated rest to the treasury", async function () {
      const { revenue, timelock, operator } = await loadFixture(withByUseGrant);
      const d = await revenue.distribution(1);
      expect([d.mode, d.memberShare, d.memberCount, d.perMember]).to.deep.equal([
        BigInt(Mode.ByUse),
        MEMBER_SHARE,
        0n,
        0n,
      ]);
      expect(await revenue.totals()).to.deep.equal([FEE, TREASURY, 0n, 0n, MEMBER_SHARE, 0n]);

      const root = ethers.id("root");
      const allocated = MEMBER_SHARE - 1_000n;
      const tx = revenue.connect(operator).postAllocation(1, root, allocated);
      await expect(tx).to.emit(revenue, "AllocationPosted").withArgs(1n, root, allocated, 1_000n);
      await expect(tx).to.changeEtherBalances(ethers, [timelock, revenue], [1_000n, -1_000n]);
      const after = await revenue.distribution(1);
      expect([after.root, after.allocated, after.claimed]).to.deep.equal([root, allocated, 0n]);
      expect(await revenue.totals()).to.deep.equal([FEE, TREASURY + 1_000n, 0n, allocated, 0n, 0n]);
    });

    it("may be posted by the timelock too, once", async function () {
      const { revenue, asTimelock } = await loadFixture(withByUseGrant);
      await revenue.connect(asTimelock).postAllocation(1, ethers.id("root"), MEMBER_SHARE);
      await expect(revenue.connect(asTimelock).postAllocation(1, ethers.id("other"), 1n))
        .to.be.revertedWithCustomError(revenue, "RevenueAllocationAlreadyPosted")
        .withArgs(1n);
    });

    it("reverts for anyone else, a zero root, too large a total, or the wrong grant", async function () {
      const { revenue, operator, stranger } = await loadFixture(withByUseGrant);
      const root = ethers.id("root");
      await expect(revenue.connect(stranger).postAllocation(1, root, 1n))
        .to.be.revertedWithCustomError(revenue, "RevenueNotOperator")
        .withArgs(stranger.address);
      await expect(
        revenue.connect(operator).postAllocation(1, ethers.ZeroHash, 1n),
      ).to.be.revertedWithCustomError(revenue, "RevenueZeroRoot");
      await expect(revenue.connect(operator).postAllocation(1, root, MEMBER_SHARE + 1n))
        .to.be.revertedWithCustomError(revenue, "RevenueAllocationTooLarge")
        .withArgs(1n, MEMBER_SHARE + 1n, MEMBER_SHARE);
      await expect(revenue.connect(operator).postAllocation(2, root, 1n))
        .to.be.revertedWithCustomError(revenue, "RevenueUnknownGrant")
        .withArgs(2n);
    });

    it("reverts on an equal-split grant", async function () {
      const { revenue, operator } = await loadFixture(withGrant);
      await expect(revenue.connect(operator).postAllocation(1, ethers.id("root"), 1n))
        .to.be.revertedWithCustomError(revenue, "RevenueWrongMode")
        .withArgs(1n, Mode.EqualSplit);
    });
  });

  describe("claim (by use)", function () {
    it("pays each allocation once against the posted root", async function () {
      const { revenue, founders, stranger, tree } = await loadFixture(withAllocation);
      const [a] = founders;
      const tx = revenue.connect(stranger)[claimByUse](1, a.address, 500n, tree.proof(0));
      await expect(tx).to.emit(revenue, "Claimed").withArgs(1n, a.address, 500n);
      await expect(tx).to.changeEtherBalance(ethers, a, 500n);
      expect(await revenue.isClaimed(1, a.address)).to.equal(true);
      expect((await revenue.distribution(1)).claimed).to.equal(500n);
      await expect(revenue[claimByUse](1, a.address, 500n, tree.proof(0)))
        .to.be.revertedWithCustomError(revenue, "RevenueAlreadyClaimed")
        .withArgs(1n, a.address);
    });

    it("reverts on a wrong amount or proof", async function () {
      const { revenue, founders, tree } = await loadFixture(withAllocation);
      const [a, b] = founders;
      await expect(revenue[claimByUse](1, a.address, 501n, tree.proof(0)))
        .to.be.revertedWithCustomError(revenue, "RevenueInvalidProof")
        .withArgs(1n, a.address, 501n);
      await expect(revenue[claimByUse](1, b.address, 500n, tree.proof(0)))
        .to.be.revertedWithCustomError(revenue, "RevenueInvalidProof")
        .withArgs(1n, b.address, 500n);
    });

    it("never pays more than the posted total, whatever the tree says", async function () {
      const { revenue, operator, founders } = await loadFixture(withByUseGrant);
      const [a, b] = founders;
      const tree = merkleTree([allocationLeaf(a.address, 600n), allocationLeaf(b.address, 600n)]);
      await revenue.connect(operator).postAllocation(1, tree.root, 1_000n);
      await revenue[claimByUse](1, a.address, 600n, tree.proof(0));
      await expect(revenue[claimByUse](1, b.address, 600n, tree.proof(1)))
        .to.be.revertedWithCustomError(revenue, "RevenueAllocationExceeded")
        .withArgs(1n, 1_000n);
    });

    it("reverts for an account that was never a member", async function () {
      const { revenue, stranger, tree } = await loadFixture(withAllocation);
      await expect(revenue[claimByUse](1, stranger.address, 100n, tree.proof(3)))
        .to.be.revertedWithCustomError(revenue, "RevenueNotMember")
        .withArgs(stranger.address);
    });

    it("reverts before the root is posted and on an equal-split grant", async function () {
      const { revenue, founders } = await loadFixture(withByUseGrant);
      await expect(revenue[claimByUse](1, founders[0].address, 1n, []))
        .to.be.revertedWithCustomError(revenue, "RevenueAllocationNotPosted")
        .withArgs(1n);
      const equal = await loadFixture(withGrant);
      await expect(equal.revenue[claimByUse](1, founders[0].address, 1n, []))
        .to.be.revertedWithCustomError(equal.revenue, "RevenueWrongMode")
        .withArgs(1n, Mode.EqualSplit);
    });
  });

  describe("settings", function () {
    it("apply to grants approved afterwards, not to earlier ones", async function () {
      const { registry, revenue, asTimelock, partner } = await loadFixture(withGrant);
      await expect(revenue.connect(asTimelock).setMode(Mode.ByUse))
        .to.emit(revenue, "ModeSet")
        .withArgs(Mode.EqualSplit, Mode.ByUse);
      await expect(revenue.connect(asTimelock).setTreasuryShare(10_000))
        .to.emit(revenue, "TreasuryShareSet")
        .withArgs(TREASURY_BPS, 10_000);
      await registry
        .connect(partner)
        .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
      await registry.connect(asTimelock).approve(2, (await registry.request(2)).termsHash);
      expect((await revenue.distribution(1)).mode).to.equal(BigInt(Mode.EqualSplit));
      const second = await revenue.distribution(2);
      expect([second.mode, second.memberShare]).to.deep.equal([BigInt(Mode.ByUse), 0n]);
    });

    it("reject a treasury share above 100 %", async function () {
      const { revenue, asTimelock } = await loadFixture(deployDataCoop);
      await expect(revenue.connect(asTimelock).setTreasuryShare(10_001))
        .to.be.revertedWithCustomError(revenue, "RevenueInvalidTreasuryShare")
        .withArgs(10_001);
    });

    it("change the operator", async function () {
      const { revenue, asTimelock, operator, stranger } = await loadFixture(deployDataCoop);
      await expect(revenue.connect(asTimelock).setOperator(stranger.address))
        .to.emit(revenue, "OperatorSet")
        .withArgs(operator.address, stranger.address);
      expect(await revenue.operator()).to.equal(stranger.address);
    });

    it("revert for anyone but the timelock", async function () {
      const { revenue, operator } = await loadFixture(deployDataCoop);
      for (const call of [
        () => revenue.connect(operator).setMode(Mode.ByUse),
        () => revenue.connect(operator).setTreasuryShare(0),
        () => revenue.connect(operator).setOperator(operator.address),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(revenue, "OwnableUnauthorizedAccount")
          .withArgs(operator.address);
      }
    });
  });
});
