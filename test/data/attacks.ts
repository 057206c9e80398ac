import { expect } from "chai";
import { allocationLeaf, merkleTree } from "./merkle.js";
import {
  CONSENT_TYPES,
  DURATION,
  FEE,
  Mode,
  SCOPE,
  Status,
  TERMS_URI,
  TREASURY_BPS,
  asProposal,
  consentDomain,
  ethers,
  expectedTermsHash,
  networkHelpers,
  proposeAndQueue,
  withDataset,
  withGrant,
  withRequest,
  PARTNER_NAME,
} from "./fixture.js";

const { loadFixture, time } = networkHelpers;

const ACADEMIC = 1n;

describe("Attacks on the data contracts", function () {
  describe("bypassing the vote", function () {
    it("a partner cannot approve its own request, nor schedule it on the timelock", async function () {
      const { registry, timelock, partner } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      await expect(registry.connect(partner).approve(1, termsHash))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(partner.address);
      const data = registry.interface.encodeFunctionData("approve", [1n, termsHash]);
      await expect(
        timelock
          .connect(partner)
          .schedule(registry, 0, data, ethers.ZeroHash, ethers.ZeroHash, 120),
      )
        .to.be.revertedWithCustomError(timelock, "AccessControlUnauthorizedAccount")
        .withArgs(partner.address, await timelock.PROPOSER_ROLE());
    });

    it("the guardian cannot approve, reject, register or change settings", async function () {
      const { registry, guardian } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      for (const call of [
        () => registry.connect(guardian).approve(1, termsHash),
        () => registry.connect(guardian).reject(1, termsHash),
        () => registry.connect(guardian).registerDataset("x", "", ethers.ZeroHash, ["a"]),
        () => registry.connect(guardian).setGuardian(guardian.address),
        () => registry.connect(guardian).unpause(),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(guardian.address);
      }
      expect((await registry.request(1)).status).to.equal(BigInt(Status.Pending));
    });

    it("a non-member cannot propose the approval", async function () {
      const { registry, governor, partner } = await loadFixture(withRequest);
      const [targets, values, calldatas, description] = asProposal(
        await registry.approvalProposal(1),
      );
      await expect(governor.connect(partner).propose(targets, values, calldatas, description))
        .to.be.revertedWithCustomError(governor, "GovernorInsufficientProposerVotes")
        .withArgs(partner.address, 0n, 1n);
    });
  });

  describe("terms changed between request and approval", function () {
    it("a vote for other terms than the request's cannot be executed", async function () {
      const { registry, governor, partner, founders } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      // A proposal that says "request 1" but was built for wider terms: every field, rows, k = 1.
      const forged = await expectedTermsHash(await registry.getAddress(), 1n, partner.address, {
        partnerName: PARTNER_NAME,
        datasetId: 1n,
        purpose: 0,
        scope: {
          fieldMask: 0b11111n,
          rowLevel: true,
          minCohort: 1,
          exactTabulations: ethers.ZeroHash,
        },
        duration: DURATION,
        termsURI: TERMS_URI,
        fee: FEE,
      });
      const calldata = registry.interface.encodeFunctionData("approve", [1n, forged]);
      const proposal: [string[], bigint[], string[], string] = [
        [await registry.getAddress()],
        [0n],
        [calldata],
        "# Approve data access request 1",
      ];
      const descriptionHash = await proposeAndQueue(
        governor,
        proposal,
        founders[0],
        founders.slice(0, 3),
      );
      await expect(governor.execute(proposal[0], proposal[1], proposal[2], descriptionHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryTermsMismatch")
        .withArgs(1n, termsHash, forged);
      expect((await registry.request(1)).status).to.equal(BigInt(Status.Pending));
    });

    it("a request withdrawn during the vote cannot be approved, and its fee is refunded once", async function () {
      const { registry, governor, partner, founders } = await loadFixture(withRequest);
      const proposal = asProposal(await registry.approvalProposal(1));
      const descriptionHash = await proposeAndQueue(
        governor,
        proposal,
        founders[0],
        founders.slice(0, 3),
      );
      await registry.connect(partner).withdrawRequest(1);
      await expect(governor.execute(proposal[0], proposal[1], proposal[2], descriptionHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Withdrawn);
      await expect(registry.connect(partner).claimRefund()).to.changeEtherBalance(
        ethers,
        partner,
        FEE,
      );
    });
  });

  describe("consent signature replay", function () {
    async function signedConsent() {
      const f = await withGrant();
      const [member, otherMember] = f.founders;
      const deadline = (await time.latest()) + 3_600;
      const signedAt = await time.latest();
      const message = { member: member.address, mask: ACADEMIC, signedAt, deadline };
      const types = { SetConsent: CONSENT_TYPES.SetConsent };
      const signature = await member.signTypedData(await consentDomain(f.consent), types, message);
      return { ...f, member, otherMember, deadline, signedAt, message, types, signature };
    }

    it("by the same member: a later decision wins, so a replay is refused", async function () {
      const { consent, member, deadline, signedAt, signature, stranger } =
        await loadFixture(signedConsent);
      await consent
        .connect(stranger)
        .setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature);
      await consent.connect(member).setConsent(0);
      const withdrawnAt = await time.latest();
      await expect(
        consent
          .connect(stranger)
          .setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature),
      )
        .to.be.revertedWithCustomError(consent, "ConsentRegistryOutdatedSignature")
        .withArgs(member.address, signedAt, withdrawnAt);
      expect(await consent.consentOf(member.address)).to.equal(0n);
    });

    it("kept unrelayed and sent after a withdrawal: refused", async function () {
      const { consent, member, deadline, signedAt, signature, stranger } =
        await loadFixture(signedConsent);
      // The relayer holds the signature; the member withdraws directly meanwhile.
      await time.increase(60);
      await consent.connect(member).setConsent(0);
      await expect(
        consent
          .connect(stranger)
          .setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature),
      ).to.be.revertedWithCustomError(consent, "ConsentRegistryOutdatedSignature");
      expect(await consent.consentOf(member.address)).to.equal(0n);
    });

    it("from an earlier membership, sent after the member returns: refused", async function () {
      const f = await loadFixture(signedConsent);
      const { consent, member, deadline, signedAt, signature, stranger, membership, asTimelock } =
        f;
      await membership.connect(asTimelock).remove(member.address);
      await time.increase(10);
      await membership.connect(asTimelock).admit(member.address);
      await time.increase(1);
      const since = await membership.unambiguousSince(member.address);
      await expect(
        consent
          .connect(stranger)
          .setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature),
      )
        .to.be.revertedWithCustomError(consent, "ConsentRegistrySignedBeforeMembership")
        .withArgs(member.address, signedAt, since);
      expect(await consent.consentOf(member.address)).to.equal(0n);
    });

    it("for another member: the signature is the signer's only", async function () {
      const { consent, otherMember, deadline, signedAt, signature } =
        await loadFixture(signedConsent);
      await expect(
        consent.setConsentBySig(otherMember.address, ACADEMIC, signedAt, deadline, signature),
      )
        .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidSignature")
        .withArgs(otherMember.address);
    });

    it("from another chain or another contract: the domain differs", async function () {
      const { consent, member, message, types, deadline, signedAt } =
        await loadFixture(signedConsent);
      for (const overrides of [{ chainId: 1n }, { verifyingContract: member.address }]) {
        const domain = await consentDomain(consent, overrides);
        const signature = await member.signTypedData(domain, types, message);
        await expect(
          consent.setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature),
        )
          .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidSignature")
          .withArgs(member.address);
      }
    });

    it("after the deadline", async function () {
      const { consent, member, deadline, signedAt, signature } = await loadFixture(signedConsent);
      await time.increaseTo(deadline + 1);
      await expect(consent.setConsentBySig(member.address, ACADEMIC, signedAt, deadline, signature))
        .to.be.revertedWithCustomError(consent, "ConsentRegistryExpiredSignature")
        .withArgs(deadline);
    });
  });

  describe("reentrancy", function () {
    it("a partner contract re-entering claimRefund is refunded once", async function () {
      const { registry } = await loadFixture(withDataset);
      const attacker = await ethers.deployContract("ReentrantReceiver");
      const request = registry.interface.encodeFunctionData("requestAccess", [
        1n,
        0,
        SCOPE,
        DURATION,
        TERMS_URI,
        PARTNER_NAME,
      ]);
      await attacker.execute(registry, request, { value: FEE });
      await attacker.execute(
        registry,
        registry.interface.encodeFunctionData("withdrawRequest", [1n]),
      );
      const claimRefund = registry.interface.encodeFunctionData("claimRefund");
      await attacker.setReentry(registry, claimRefund);

      await expect(attacker.execute(registry, claimRefund)).to.changeEtherBalances(
        ethers,
        [attacker, registry],
        [FEE, -FEE],
      );
      expect(await attacker.reentryAttempted()).to.equal(true);
      expect(await attacker.reentrySucceeded()).to.equal(false);
      expect(await attacker.reentryError()).to.equal(
        registry.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      expect(await registry.refundOf(attacker)).to.equal(0n);
    });

    it("a partner contract refusing its refund does not block another partner's", async function () {
      const { registry, partner } = await loadFixture(withRequest);
      const refuser = await ethers.deployContract("ReentrantReceiver");
      const request = registry.interface.encodeFunctionData("requestAccess", [
        1n,
        0,
        SCOPE,
        DURATION,
        TERMS_URI,
        PARTNER_NAME,
      ]);
      await refuser.execute(registry, request, { value: FEE });
      await refuser.execute(
        registry,
        registry.interface.encodeFunctionData("withdrawRequest", [2n]),
      );
      await registry.connect(partner).withdrawRequest(1);
      await refuser.setRefusePayments(true);

      await expect(refuser.execute(registry, registry.interface.encodeFunctionData("claimRefund")))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryRefundFailed")
        .withArgs(await refuser.getAddress(), FEE);
      await expect(registry.connect(partner).claimRefund()).to.changeEtherBalance(
        ethers,
        partner,
        FEE,
      );
      expect(await registry.refundOf(refuser)).to.equal(FEE);
    });

    it("a member contract re-entering claim is paid once", async function () {
      const { registry, revenue, membership, asTimelock } = await loadFixture(withRequest);
      const attacker = await ethers.deployContract("ReentrantReceiver");
      await membership.connect(asTimelock).admit(attacker);
      await time.increase(1);
      await registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      const perMember = (FEE - (FEE * TREASURY_BPS) / 10_000n) / 6n;
      const claim = revenue.interface.encodeFunctionData("claim(uint256,address)", [
        1n,
        await attacker.getAddress(),
      ]);
      await attacker.setReentry(revenue, claim);

      await expect(revenue["claim(uint256,address)"](1, attacker)).to.changeEtherBalances(
        ethers,
        [attacker, revenue],
        [perMember, -perMember],
      );
      expect(await attacker.reentryAttempted()).to.equal(true);
      expect(await attacker.reentrySucceeded()).to.equal(false);
      expect(await attacker.reentryError()).to.equal(
        revenue.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      expect(await attacker.received()).to.equal(perMember);
    });

    it("a member contract re-entering a by-use claim with its valid proof is paid once", async function () {
      const { registry, revenue, membership, asTimelock, operator, founders } =
        await loadFixture(withRequest);
      const attacker = await ethers.deployContract("ReentrantReceiver");
      await membership.connect(asTimelock).admit(attacker);
      await revenue.connect(asTimelock).setMode(Mode.ByUse);
      await time.increase(1);
      await registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      const memberShare = FEE - (FEE * TREASURY_BPS) / 10_000n;
      // The attacker's leaf is half the member share, the posted total all of it.
      const amount = memberShare / 2n;
      const allocations: [string, bigint][] = [
        [await attacker.getAddress(), amount],
        [founders[0].address, memberShare - amount],
      ];
      const tree = merkleTree(
        allocations.map(([account, value]) => allocationLeaf(account, value)),
      );
      await revenue.connect(operator).postAllocation(1, tree.root, memberShare);
      const claim = revenue.interface.encodeFunctionData(
        "claim(uint256,address,uint256,bytes32[])",
        [1n, allocations[0][0], amount, tree.proof(0)],
      );
      await attacker.setReentry(revenue, claim);

      await expect(
        revenue["claim(uint256,address,uint256,bytes32[])"](1, attacker, amount, tree.proof(0)),
      ).to.changeEtherBalances(ethers, [attacker, revenue], [amount, -amount]);
      expect(await attacker.reentryAttempted()).to.equal(true);
      expect(await attacker.reentrySucceeded()).to.equal(false);
      expect(await attacker.reentryError()).to.equal(
        revenue.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      await expect(
        revenue["claim(uint256,address,uint256,bytes32[])"](1, attacker, amount, tree.proof(0)),
      )
        .to.be.revertedWithCustomError(revenue, "RevenueAlreadyClaimed")
        .withArgs(1n, await attacker.getAddress());
      expect((await revenue.distribution(1)).claimed).to.equal(amount);
    });
  });

  describe("grant misuse", function () {
    it("a revoked grant never becomes active again, an expired one neither", async function () {
      const { registry, guardian, asTimelock, partner } = await loadFixture(withGrant);
      await registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      await registry.connect(asTimelock).approve(2, (await registry.request(2)).termsHash);
      await registry.connect(guardian).revoke(1, "misuse");
      await registry.connect(guardian).pause();
      await registry.connect(asTimelock).unpause();
      expect(await registry.isGrantActive(1)).to.equal(false);
      expect(await registry.isGrantActive(2)).to.equal(true);
      await time.increaseTo((await registry.request(2)).end);
      expect(await registry.isGrantActive(2)).to.equal(false);
      await expect(registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Revoked);
    });
  });
});
