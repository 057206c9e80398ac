import { expect } from "chai";
import {
  asTimelock,
  coopFixture,
  ethers,
  minedAt,
  NAME,
  networkHelpers,
  SYMBOL,
  time,
} from "./fixtures.js";

const { loadFixture } = networkHelpers;

async function admittedFixture() {
  const coop = await coopFixture();
  const timelockSigner = await asTimelock(coop.timelock);
  return { ...coop, timelockSigner, membership: coop.membership.connect(timelockSigner) };
}

describe("Membership", function () {
  describe("constructor", function () {
    it("mints the founders member numbers 1..n in order", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      for (const [index, founder] of founders.entries()) {
        const memberId = BigInt(index + 1);
        expect(await membership.ownerOf(memberId)).to.equal(founder.address);
        expect(await membership.memberIdOf(founder.address)).to.equal(memberId);
        expect(await membership.isMember(founder.address)).to.equal(true);
        expect(await membership.balanceOf(founder.address)).to.equal(1n);
      }
      expect(await membership.memberCount()).to.equal(5n);
      expect(await membership.lastMemberId()).to.equal(5n);
      expect(await membership.name()).to.equal(NAME);
      expect(await membership.symbol()).to.equal(SYMBOL);
    });

    it("emits MemberAdmitted for each founder", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      const events = await membership.queryFilter(membership.filters.MemberAdmitted());
      expect(events.map((event) => [event.args.member, event.args.memberId])).to.deep.equal(
        founders.map((founder, index) => [founder.address, BigInt(index + 1)]),
      );
    });

    it("gives every founder an active vote with no delegation step", async function () {
      const { membership, founders, deployedAt } = await loadFixture(coopFixture);
      await time.increase(1);
      for (const founder of founders) {
        expect(await membership.getVotes(founder.address)).to.equal(1n);
        expect(await membership.delegates(founder.address)).to.equal(founder.address);
        expect(await membership.getPastVotes(founder.address, deployedAt)).to.equal(1n);
        expect(await membership.memberSince(founder.address)).to.be.greaterThan(0n);
      }
      expect(await membership.getPastTotalSupply(deployedAt)).to.equal(5n);
    });

    it("checkpoints the member count from the deployment on", async function () {
      const { membership } = await loadFixture(coopFixture);
      const [admitted] = await membership.queryFilter(membership.filters.MemberAdmitted());
      const block = await ethers.provider.getBlock(admitted.blockNumber);
      const mintedAt = BigInt(block!.timestamp);
      await time.increase(1);
      expect(await membership.getPastTotalSupply(mintedAt - 1n)).to.equal(0n);
      expect(await membership.getPastTotalSupply(mintedAt)).to.equal(5n);
    });

    it("makes the timelock the owner", async function () {
      const { membership, timelock } = await loadFixture(coopFixture);
      expect(await membership.owner()).to.equal(await timelock.getAddress());
    });

    it("reverts when a founder is listed twice", async function () {
      const { timelock, founders } = await loadFixture(coopFixture);
      const factory = await ethers.getContractFactory("Membership");
      const list = [founders[0].address, founders[1].address, founders[0].address];
      await expect(factory.deploy(NAME, SYMBOL, await timelock.getAddress(), list))
        .to.be.revertedWithCustomError(factory, "MembershipAlreadyMember")
        .withArgs(founders[0].address);
    });

    it("reverts when a founder is the zero address", async function () {
      const { timelock } = await loadFixture(coopFixture);
      const factory = await ethers.getContractFactory("Membership");
      await expect(factory.deploy(NAME, SYMBOL, await timelock.getAddress(), [ethers.ZeroAddress]))
        .to.be.revertedWithCustomError(factory, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("admit", function () {
    it("reverts when the caller is not the owner", async function () {
      const { membership, founders, outsider, deployer } = await loadFixture(coopFixture);
      for (const caller of [founders[0], outsider, deployer]) {
        await expect(membership.connect(caller).admit(outsider.address))
          .to.be.revertedWithCustomError(membership, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
    });

    it("reverts when the account is already a member", async function () {
      const { membership, founders } = await loadFixture(admittedFixture);
      await expect(membership.admit(founders[2].address))
        .to.be.revertedWithCustomError(membership, "MembershipAlreadyMember")
        .withArgs(founders[2].address);
    });

    it("reverts when the account was admitted a moment ago", async function () {
      const { membership, outsider } = await loadFixture(admittedFixture);
      await membership.admit(outsider.address);
      await expect(membership.admit(outsider.address))
        .to.be.revertedWithCustomError(membership, "MembershipAlreadyMember")
        .withArgs(outsider.address);
    });

    it("reverts when the account is the zero address", async function () {
      const { membership } = await loadFixture(admittedFixture);
      await expect(membership.admit(ethers.ZeroAddress))
        .to.be.revertedWithCustomError(membership, "ERC721InvalidOwner")
        .withArgs(ethers.ZeroAddress);
      expect(await membership.lastMemberId()).to.equal(5n);
    });

    it("gives the next member number and an active vote", async function () {
      const { membership, outsider } = await loadFixture(admittedFixture);
      expect(await membership.admit.staticCall(outsider.address)).to.equal(6n);
      const tx = await membership.admit(outsider.address);
      await expect(tx).to.emit(membership, "MemberAdmitted").withArgs(outsider.address, 6n);
      await expect(tx)
        .to.emit(membership, "Transfer")
        .withArgs(ethers.ZeroAddress, outsider.address, 6n);
      await expect(tx)
        .to.emit(membership, "DelegateVotesChanged")
        .withArgs(outsider.address, 0n, 1n);
      const admittedAt = await minedAt(tx);

      expect(await membership.isMember(outsider.address)).to.equal(true);
      expect(await membership.memberIdOf(outsider.address)).to.equal(6n);
      expect(await membership.ownerOf(6n)).to.equal(outsider.address);
      expect(await membership.memberSince(outsider.address)).to.equal(admittedAt);
      expect(await membership.getVotes(outsider.address)).to.equal(1n);
      expect(await membership.memberCount()).to.equal(6n);
      expect(await membership.lastMemberId()).to.equal(6n);

      await time.increase(1);
      expect(await membership.getPastVotes(outsider.address, admittedAt - 1n)).to.equal(0n);
      expect(await membership.getPastVotes(outsider.address, admittedAt)).to.equal(1n);
      expect(await membership.getPastTotalSupply(admittedAt - 1n)).to.equal(5n);
      expect(await membership.getPastTotalSupply(admittedAt)).to.equal(6n);
    });

    it("gives a returning member the same member number and a new start date", async function () {
      const { membership, founders, outsider } = await loadFixture(admittedFixture);
      const member = founders[1];
      const firstSince = await membership.memberSince(member.address);
      await membership.remove(member.address);
      await membership.admit(outsider.address);
      await time.increase(100);

      const tx = await membership.admit(member.address);
      await expect(tx).to.emit(membership, "MemberAdmitted").withArgs(member.address, 2n);
      const readmittedAt = await minedAt(tx);
      expect(readmittedAt).to.be.greaterThan(firstSince);
      expect(await membership.memberIdOf(member.address)).to.equal(2n);
      expect(await membership.ownerOf(2n)).to.equal(member.address);
      expect(await membership.memberSince(member.address)).to.equal(readmittedAt);
      expect(await membership.getVotes(member.address)).to.equal(1n);
      expect(await membership.memberCount()).to.equal(6n);
      expect(await membership.lastMemberId()).to.equal(6n);
    });
  });

  describe("remove", function () {
    it("reverts when the caller is not the owner", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await expect(membership.connect(founders[0]).remove(founders[1].address))
        .to.be.revertedWithCustomError(membership, "OwnableUnauthorizedAccount")
        .withArgs(founders[0].address);
    });

    it("reverts when the account is not a member", async function () {
      const { membership, outsider } = await loadFixture(admittedFixture);
      await expect(membership.remove(outsider.address))
        .to.be.revertedWithCustomError(membership, "MembershipNotMember")
        .withArgs(outsider.address);
    });

    it("reverts when the member was already removed", async function () {
      const { membership, founders } = await loadFixture(admittedFixture);
      await membership.remove(founders[3].address);
      await expect(membership.remove(founders[3].address))
        .to.be.revertedWithCustomError(membership, "MembershipNotMember")
        .withArgs(founders[3].address);
    });

    it("burns the membership and its vote but keeps the member number", async function () {
      const { membership, founders } = await loadFixture(admittedFixture);
      const member = founders[3];
      const tx = await membership.remove(member.address);
      await expect(tx).to.emit(membership, "MemberLeft").withArgs(member.address, 4n, false);
      await expect(tx).to.emit(membership, "DelegateVotesChanged").withArgs(member.address, 1n, 0n);
      const removedAt = await minedAt(tx);

      expect(await membership.isMember(member.address)).to.equal(false);
      expect(await membership.memberIdOf(member.address)).to.equal(4n);
      expect(await membership.memberSince(member.address)).to.equal(0n);
      expect(await membership.getVotes(member.address)).to.equal(0n);
      expect(await membership.memberCount()).to.equal(4n);
      expect(await membership.lastMemberId()).to.equal(5n);
      await expect(membership.ownerOf(4n))
        .to.be.revertedWithCustomError(membership, "ERC721NonexistentToken")
        .withArgs(4n);

      await time.increase(1);
      expect(await membership.getPastVotes(member.address, removedAt - 1n)).to.equal(1n);
      expect(await membership.getPastTotalSupply(removedAt - 1n)).to.equal(5n);
      expect(await membership.getPastTotalSupply(removedAt)).to.equal(4n);
    });
  });

  describe("resign", function () {
    it("reverts when the caller is not a member", async function () {
      const { membership, outsider } = await loadFixture(coopFixture);
      await expect(membership.connect(outsider).resign())
        .to.be.revertedWithCustomError(membership, "MembershipNotMember")
        .withArgs(outsider.address);
    });

    it("reverts when the member already resigned", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await membership.connect(founders[0]).resign();
      await expect(membership.connect(founders[0]).resign())
        .to.be.revertedWithCustomError(membership, "MembershipNotMember")
        .withArgs(founders[0].address);
    });

    it("ends the membership and keeps the past votes", async function () {
      const { membership, founders, deployedAt } = await loadFixture(coopFixture);
      const member = founders[4];
      await time.increase(10);
      const tx = await membership.connect(member).resign();
      await expect(tx).to.emit(membership, "MemberLeft").withArgs(member.address, 5n, true);
      const resignedAt = await minedAt(tx);
      await time.increase(1);

      expect(await membership.isMember(member.address)).to.equal(false);
      expect(await membership.getVotes(member.address)).to.equal(0n);
      expect(await membership.getPastVotes(member.address, deployedAt)).to.equal(1n);
      expect(await membership.getPastVotes(member.address, resignedAt - 1n)).to.equal(1n);
      expect(await membership.getPastVotes(member.address, resignedAt)).to.equal(0n);
      expect(await membership.getPastTotalSupply(deployedAt)).to.equal(5n);
      expect(await membership.getPastTotalSupply(resignedAt)).to.equal(4n);
      expect(await membership.memberCount()).to.equal(4n);
      expect(await membership.memberIdOf(member.address)).to.equal(5n);
    });
  });

  describe("applyForMembership", function () {
    it("reverts when the applicant is already a member", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await expect(membership.connect(founders[0]).applyForMembership("ipfs://application"))
        .to.be.revertedWithCustomError(membership, "MembershipAlreadyMember")
        .withArgs(founders[0].address);
    });

    it("emits MembershipApplied and changes nothing else", async function () {
      const { membership, applicant } = await loadFixture(coopFixture);
      await expect(membership.connect(applicant).applyForMembership("ipfs://application"))
        .to.emit(membership, "MembershipApplied")
        .withArgs(applicant.address, "ipfs://application");
      expect(await membership.isMember(applicant.address)).to.equal(false);
      expect(await membership.memberIdOf(applicant.address)).to.equal(0n);
      expect(await membership.memberCount()).to.equal(5n);
    });

    it("lets a former member apply again", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await membership.connect(founders[2]).resign();
      await expect(membership.connect(founders[2]).applyForMembership("back again"))
        .to.emit(membership, "MembershipApplied")
        .withArgs(founders[2].address, "back again");
    });
  });

  describe("transfers", function () {
    it("reverts when a member calls transferFrom", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      await expect(
        membership.connect(founders[0]).transferFrom(founders[0].address, outsider.address, 1n),
      )
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(1n);
    });

    it("reverts when a member calls safeTransferFrom(from,to,id)", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      await expect(
        membership
          .connect(founders[0])
          ["safeTransferFrom(address,address,uint256)"](founders[0].address, outsider.address, 1n),
      )
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(1n);
    });

    it("reverts when a member calls safeTransferFrom(from,to,id,data)", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      await expect(
        membership
          .connect(founders[0])
          ["safeTransferFrom(address,address,uint256,bytes)"](
            founders[0].address,
            outsider.address,
            1n,
            "0x1234",
          ),
      )
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(1n);
    });

    it("reverts when a member transfers to another member", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await expect(
        membership.connect(founders[1]).transferFrom(founders[1].address, founders[2].address, 2n),
      )
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(2n);
    });

    it("reverts when even the timelock moves a membership", async function () {
      const { membership, timelock, founders, outsider } = await loadFixture(coopFixture);
      const timelockSigner = await asTimelock(timelock);
      await expect(
        membership.connect(timelockSigner).transferFrom(founders[0].address, outsider.address, 1n),
      )
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(1n);
    });

    it("reverts when a member calls approve", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      await expect(membership.connect(founders[0]).approve(outsider.address, 1n))
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(1n);
      expect(await membership.getApproved(1n)).to.equal(ethers.ZeroAddress);
    });

    it("reverts when a member calls setApprovalForAll", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      await expect(membership.connect(founders[0]).setApprovalForAll(outsider.address, true))
        .to.be.revertedWithCustomError(membership, "MembershipNonTransferable")
        .withArgs(0n);
      expect(await membership.isApprovedForAll(founders[0].address, outsider.address)).to.equal(
        false,
      );
    });
  });

  describe("delegate", function () {
    it("reverts when a member tries to delegate", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      await expect(
        membership.connect(founders[0]).delegate(founders[1].address),
      ).to.be.revertedWithCustomError(membership, "MembershipDelegationDisabled");
      expect(await membership.getVotes(founders[1].address)).to.equal(1n);
    });

    it("reverts when delegateBySig is called, even with a valid signature", async function () {
      const { membership, founders, relayer } = await loadFixture(coopFixture);
      const { chainId } = await ethers.provider.getNetwork();
      const expiry = BigInt(await time.latest()) + 3600n;
      // Membership keeps no delegation nonces: any signature is refused.
      const nonce = 0n;
      const signature = ethers.Signature.from(
        await founders[0].signTypedData(
          { name: NAME, version: "1", chainId, verifyingContract: await membership.getAddress() },
          {
            Delegation: [
              { name: "delegatee", type: "address" },
              { name: "nonce", type: "uint256" },
              { name: "expiry", type: "uint256" },
            ],
          },
          { delegatee: founders[1].address, nonce, expiry },
        ),
      );
      await expect(
        membership
          .connect(relayer)
          .delegateBySig(founders[1].address, nonce, expiry, signature.v, signature.r, signature.s),
      ).to.be.revertedWithCustomError(membership, "MembershipDelegationDisabled");
    });

    it("reports members as their own delegates and anyone else as undelegated", async function () {
      const { membership, founders, outsider } = await loadFixture(coopFixture);
      expect(await membership.delegates(founders[0].address)).to.equal(founders[0].address);
      expect(await membership.delegates(outsider.address)).to.equal(ethers.ZeroAddress);
      await membership.connect(founders[0]).resign();
      expect(await membership.delegates(founders[0].address)).to.equal(ethers.ZeroAddress);
    });

    it("emits DelegateChanged at admission and exit, as ERC721Votes with self-delegation does", async function () {
      const { membership, timelock, founders, outsider } = await loadFixture(coopFixture);
      const timelockSigner = await asTimelock(timelock);
      await expect(membership.connect(timelockSigner).admit(outsider.address))
        .to.emit(membership, "DelegateChanged")
        .withArgs(outsider.address, ethers.ZeroAddress, outsider.address)
        .and.to.emit(membership, "DelegateVotesChanged")
        .withArgs(outsider.address, 0n, 1n);
      await expect(membership.connect(founders[1]).resign())
        .to.emit(membership, "DelegateChanged")
        .withArgs(founders[1].address, founders[1].address, ethers.ZeroAddress)
        .and.to.emit(membership, "DelegateVotesChanged")
        .withArgs(founders[1].address, 1n, 0n);
    });
  });

  describe("clock", function () {
    it("returns the latest block timestamp", async function () {
      const { membership } = await loadFixture(coopFixture);
      await time.increase(1234);
      expect(await membership.clock()).to.equal(BigInt(await time.latest()));
    });

    it("declares timestamp mode (ERC-6372)", async function () {
      const { membership } = await loadFixture(coopFixture);
      expect(await membership.CLOCK_MODE()).to.equal("mode=timestamp");
    });

    it("reverts when past votes are asked for the present", async function () {
      const { membership, founders } = await loadFixture(coopFixture);
      const now = BigInt(await time.latest());
      await expect(membership.getPastVotes(founders[0].address, now + 1n))
        .to.be.revertedWithCustomError(membership, "ERC5805FutureLookup")
        .withArgs(now + 1n, now);
    });
  });

  describe("memberCount / lastMemberId", function () {
    it("count members now and member numbers ever given", async function () {
      const { membership, founders, outsider, applicant } = await loadFixture(admittedFixture);
      const counts = async () => [await membership.memberCount(), await membership.lastMemberId()];
      expect(await counts()).to.deep.equal([5n, 5n]);
      await membership.admit(outsider.address);
      expect(await counts()).to.deep.equal([6n, 6n]);
      await membership.remove(founders[0].address);
      expect(await counts()).to.deep.equal([5n, 6n]);
      await membership.connect(founders[1]).resign();
      expect(await counts()).to.deep.equal([4n, 6n]);
      await membership.admit(founders[0].address);
      expect(await counts()).to.deep.equal([5n, 6n]);
      await membership.admit(applicant.address);
      expect(await counts()).to.deep.equal([6n, 7n]);
      expect(await membership.memberIdOf(applicant.address)).to.equal(7n);
    });
  });

  describe("supportsInterface", function () {
    it("reports ERC-721 and ERC-165", async function () {
      const { membership } = await loadFixture(coopFixture);
      expect(await membership.supportsInterface("0x80ac58cd")).to.equal(true);
      expect(await membership.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await membership.supportsInterface("0xffffffff")).to.equal(false);
    });
  });
});
