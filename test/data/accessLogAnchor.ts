import { expect } from "chai";
import { deployDataCoop, ethers, networkHelpers } from "./fixture.js";

const { loadFixture, time } = networkHelpers;

const ROOT_1 = ethers.id("log root 1");
const ROOT_2 = ethers.id("log root 2");

describe("AccessLogAnchor", function () {
  describe("deployment", function () {
    it("is owned by the timelock, with the operator and no anchor yet", async function () {
      const { accessLog, timelock, operator } = await loadFixture(deployDataCoop);
      expect(await accessLog.owner()).to.equal(await timelock.getAddress());
      expect(await accessLog.operator()).to.equal(operator.address);
      expect(await accessLog.latest()).to.deep.equal([ethers.ZeroHash, 0n, 0n]);
    });
  });

  describe("anchor", function () {
    it("chains batches, each following the latest root with a larger log", async function () {
      const { accessLog, operator } = await loadFixture(deployDataCoop);
      await expect(accessLog.connect(operator).anchor(ROOT_1, 100, ethers.ZeroHash))
        .to.emit(accessLog, "Anchored")
        .withArgs(1n, ROOT_1, 100n, ethers.ZeroHash, BigInt(await time.latest()) + 1n);
      await expect(accessLog.connect(operator).anchor(ROOT_2, 101, ROOT_1))
        .to.emit(accessLog, "Anchored")
        .withArgs(2n, ROOT_2, 101n, ROOT_1, BigInt(await time.latest()) + 1n);
      expect(await accessLog.latest()).to.deep.equal([ROOT_2, 101n, 2n]);
    });

    it("reverts when the previous root is not the latest", async function () {
      const { accessLog, operator } = await loadFixture(deployDataCoop);
      await expect(accessLog.connect(operator).anchor(ROOT_1, 100, ROOT_2))
        .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorWrongPrevious")
        .withArgs(ethers.ZeroHash, ROOT_2);
      await accessLog.connect(operator).anchor(ROOT_1, 100, ethers.ZeroHash);
      await expect(accessLog.connect(operator).anchor(ROOT_2, 200, ethers.ZeroHash))
        .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorWrongPrevious")
        .withArgs(ROOT_1, ethers.ZeroHash);
    });

    it("reverts unless the log grows", async function () {
      const { accessLog, operator } = await loadFixture(deployDataCoop);
      await expect(accessLog.connect(operator).anchor(ROOT_1, 0, ethers.ZeroHash))
        .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorSizeNotIncreasing")
        .withArgs(0n, 0n);
      await accessLog.connect(operator).anchor(ROOT_1, 100, ethers.ZeroHash);
      for (const size of [99, 100]) {
        await expect(accessLog.connect(operator).anchor(ROOT_2, size, ROOT_1))
          .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorSizeNotIncreasing")
          .withArgs(100n, size);
      }
    });

    it("reverts on a zero root and for anyone but the operator", async function () {
      const { accessLog, operator, asTimelock, guardian } = await loadFixture(deployDataCoop);
      await expect(
        accessLog.connect(operator).anchor(ethers.ZeroHash, 1, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(accessLog, "AccessLogAnchorZeroRoot");
      for (const caller of [asTimelock, guardian]) {
        await expect(accessLog.connect(caller).anchor(ROOT_1, 1, ethers.ZeroHash))
          .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorNotOperator")
          .withArgs(caller.address);
      }
    });
  });

  describe("setOperator", function () {
    it("hands anchoring to a new operator, keeping the chain", async function () {
      const { accessLog, operator, asTimelock, stranger } = await loadFixture(deployDataCoop);
      await accessLog.connect(operator).anchor(ROOT_1, 100, ethers.ZeroHash);
      await expect(accessLog.connect(asTimelock).setOperator(stranger.address))
        .to.emit(accessLog, "OperatorSet")
        .withArgs(operator.address, stranger.address);
      await expect(accessLog.connect(operator).anchor(ROOT_2, 200, ROOT_1))
        .to.be.revertedWithCustomError(accessLog, "AccessLogAnchorNotOperator")
        .withArgs(operator.address);
      await accessLog.connect(stranger).anchor(ROOT_2, 200, ROOT_1);
      expect(await accessLog.latest()).to.deep.equal([ROOT_2, 200n, 2n]);
    });

    it("reverts for anyone but the timelock", async function () {
      const { accessLog, operator } = await loadFixture(deployDataCoop);
      await expect(accessLog.connect(operator).setOperator(operator.address))
        .to.be.revertedWithCustomError(accessLog, "OwnableUnauthorizedAccount")
        .withArgs(operator.address);
    });
  });
});
