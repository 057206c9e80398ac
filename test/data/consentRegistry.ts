import { expect } from "chai";
import {
  CONSENT_TYPES,
  Choice,
  DURATION,
  SCOPE,
  TERMS_URI,
  consentDomain,
  ethers,
  networkHelpers,
  withGrant,
  PARTNER_NAME,
} from "./fixture.js";

const { loadFixture, time } = networkHelpers;

const ACADEMIC = 1n << 0n;
const MARKETING = 1n << 5n;

describe("ConsentRegistry", function () {
  describe("setConsent", function () {
    it("stores the mask, emits, and is in force for a member", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      const [member] = founders;
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(consent.connect(member).setConsent(ACADEMIC | MARKETING))
        .to.emit(consent, "ConsentSet")
        .withArgs(member.address, ACADEMIC | MARKETING, at);
      expect(await consent.consentOf(member.address)).to.equal(ACADEMIC | MARKETING);
      const [mask, updatedAt] = await consent.storedConsent(member.address);
      expect(mask).to.equal(ACADEMIC | MARKETING);
      expect(updatedAt).to.equal(BigInt(await time.latest()));
    });

    it("withdraws with the same single call", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      const [member] = founders;
      await consent.connect(member).setConsent(ACADEMIC);
      expect(await consent.isCovered(member.address, 1)).to.equal(true);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(consent.connect(member).setConsent(0))
        .to.emit(consent, "ConsentSet")
        .withArgs(member.address, 0n, at);
      expect(await consent.consentOf(member.address)).to.equal(0n);
      expect(await consent.isCovered(member.address, 1)).to.equal(false);
    });

    it("reverts on bits outside the purpose table", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      for (const mask of [1n << 9n, ethers.MaxUint256]) {
        await expect(consent.connect(founders[0]).setConsent(mask))
          .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidMask")
          .withArgs(mask);
      }
    });

    it("is nothing until the member opts in", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      expect(await consent.consentOf(founders[0].address)).to.equal(0n);
      expect(await consent.isCovered(founders[0].address, 1)).to.equal(false);
    });
  });

  describe("membership", function () {
    it("gives no consent to a non-member, even one that stored a mask", async function () {
      const { consent, stranger } = await loadFixture(withGrant);
      await consent.connect(stranger).setConsent(ACADEMIC);
      expect(await consent.storedConsent(stranger.address)).to.deep.equal([
        ACADEMIC,
        BigInt(await time.latest()),
      ]);
      expect(await consent.consentOf(stranger.address)).to.equal(0n);
      expect(await consent.covers(stranger.address, 0, 1)).to.equal(false);
    });

    it("ends with the membership, and re-joining does not revive it", async function () {
      const { consent, membership, asTimelock, founders } = await loadFixture(withGrant);
      const [member] = founders;
      await consent.connect(member).setConsent(ACADEMIC);
      await consent.connect(member).setGrantChoice(1, Choice.OptIn);
      await membership.connect(member).resign();
      expect(await consent.consentOf(member.address)).to.equal(0n);
      expect(await consent.isCovered(member.address, 1)).to.equal(false);

      await time.increase(10);
      await membership.connect(asTimelock).admit(member.address);
      expect(await consent.consentOf(member.address)).to.equal(0n);
      expect(await consent.grantChoiceOf(member.address, 1)).to.equal(BigInt(Choice.Default));
      expect(await consent.isCovered(member.address, 1)).to.equal(false);

      await consent.connect(member).setConsent(ACADEMIC);
      expect(await consent.consentOf(member.address)).to.equal(ACADEMIC);
      expect(await consent.isCovered(member.address, 1)).to.equal(true);
    });

    it("does not revive consent when the member leaves and returns in the same block", async function () {
      const { consent, membership, asTimelock, founders } = await loadFixture(withGrant);
      const [member] = founders;
      // One block, in this order: the member consents and resigns, then a vote re-admits them.
      await ethers.provider.send("evm_setAutomine", [false]);
      try {
        const high = { maxPriorityFeePerGas: 10n ** 9n, maxFeePerGas: 10n ** 11n };
        const low = { maxPriorityFeePerGas: 1n, maxFeePerGas: 10n ** 11n };
        const txs = [
          await consent.connect(member).setConsent(ACADEMIC, high),
          await consent.connect(member).setGrantChoice(1, Choice.OptIn, high),
          await membership.connect(member).resign(high),
          await membership.connect(asTimelock).admit(member.address, low),
        ];
        await networkHelpers.mine();
        const receipts = await Promise.all(txs.map((tx) => tx.wait()));
        expect(new Set(receipts.map((r) => r!.blockNumber)).size).to.equal(1);
        expect(receipts.map((r) => r!.index)).to.deep.equal([0, 1, 2, 3]);
      } finally {
        await ethers.provider.send("evm_setAutomine", [true]);
      }

      expect(await membership.isMember(member.address)).to.equal(true);
      expect(await consent.consentOf(member.address)).to.equal(0n);
      expect(await consent.grantChoiceOf(member.address, 1)).to.equal(BigInt(Choice.Default));
      expect(await consent.isCovered(member.address, 1)).to.equal(false);
      // What they set after their return counts.
      await consent.connect(member).setConsent(ACADEMIC);
      expect(await consent.consentOf(member.address)).to.equal(ACADEMIC);
    });

    it("counts consent stored before admission as not given", async function () {
      const { consent, membership, asTimelock, stranger } = await loadFixture(withGrant);
      await consent.connect(stranger).setConsent(ACADEMIC);
      await time.increase(10);
      await membership.connect(asTimelock).admit(stranger.address);
      expect(await consent.consentOf(stranger.address)).to.equal(0n);
    });
  });

  describe("setGrantChoice", function () {
    it("overrides the standing consent for one grant, both ways", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      const [a, b, c] = founders;
      await consent.connect(a).setConsent(ACADEMIC);
      const at = (await time.latest()) + 10;
      await time.setNextBlockTimestamp(at);
      await expect(consent.connect(a).setGrantChoice(1, Choice.OptOut))
        .to.emit(consent, "GrantChoiceSet")
        .withArgs(a.address, 1n, Choice.OptOut, at);
      expect(await consent.grantChoiceOf(a.address, 1)).to.equal(BigInt(Choice.OptOut));
      expect(await consent.isCovered(a.address, 1)).to.equal(false);

      await consent.connect(b).setGrantChoice(1, Choice.OptIn);
      expect(await consent.isCovered(b.address, 1)).to.equal(true);

      await consent.connect(c).setConsent(ACADEMIC);
      await consent.connect(c).setGrantChoice(1, Choice.OptOut);
      await consent.connect(c).setGrantChoice(1, Choice.Default);
      expect(await consent.isCovered(c.address, 1)).to.equal(true);
    });

    it("accepts a pending request and reverts on an unknown one", async function () {
      const { consent, registry, partner, founders } = await loadFixture(withGrant);
      for (const id of [0, 2]) {
        await expect(consent.connect(founders[0]).setGrantChoice(id, Choice.OptOut))
          .to.be.revertedWithCustomError(consent, "ConsentRegistryUnknownGrant")
          .withArgs(id);
      }
      await registry.connect(partner).requestAccess(1, 5, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      await consent.connect(founders[0]).setGrantChoice(2, Choice.OptOut);
      expect(await consent.grantChoiceOf(founders[0].address, 2)).to.equal(BigInt(Choice.OptOut));
    });
  });

  describe("covers and isCovered", function () {
    it("check the given purpose, or the grant's own", async function () {
      const { consent, founders } = await loadFixture(withGrant);
      const [member] = founders;
      await consent.connect(member).setConsent(MARKETING);
      expect(await consent.covers(member.address, 5, 1)).to.equal(true);
      expect(await consent.covers(member.address, 0, 1)).to.equal(false);
      expect(await consent.isCovered(member.address, 1)).to.equal(false);
    });

    it("revert on an invalid purpose or an unknown grant", async function () {
      const { consent, registry, founders } = await loadFixture(withGrant);
      await expect(consent.covers(founders[0].address, 9, 1))
        .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidPurpose")
        .withArgs(9);
      await expect(consent.isCovered(founders[0].address, 2))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
        .withArgs(2n);
    });
  });

  describe("by signature", function () {
    it("sets consent for the signer, relayed by anyone, ordered by the signing time", async function () {
      const { consent, founders, stranger } = await loadFixture(withGrant);
      const [member] = founders;
      const domain = await consentDomain(consent);
      const deadline = (await time.latest()) + 3_600;
      const types = { SetConsent: CONSENT_TYPES.SetConsent };
      const firstAt = await time.latest();
      const secondAt = firstAt + 1;
      await time.increaseTo(secondAt);
      const first = { member: member.address, mask: ACADEMIC, signedAt: firstAt, deadline };
      const second = { member: member.address, mask: MARKETING, signedAt: secondAt, deadline };
      const firstSig = await member.signTypedData(domain, types, first);
      const secondSig = await member.signTypedData(domain, types, second);

      // Relayed in the opposite order: the later decision stands.
      await expect(
        consent
          .connect(stranger)
          .setConsentBySig(member.address, MARKETING, secondAt, deadline, secondSig),
      )
        .to.emit(consent, "ConsentSet")
        .withArgs(member.address, MARKETING, secondAt);
      await expect(
        consent
          .connect(stranger)
          .setConsentBySig(member.address, ACADEMIC, firstAt, deadline, firstSig),
      )
        .to.be.revertedWithCustomError(consent, "ConsentRegistryOutdatedSignature")
        .withArgs(member.address, firstAt, secondAt);
      expect(await consent.consentOf(member.address)).to.equal(MARKETING);
      const [, decidedAt] = await consent.storedConsent(member.address);
      expect(decidedAt).to.equal(BigInt(secondAt));
    });

    it("sets a grant choice for the signer", async function () {
      const { consent, founders, stranger } = await loadFixture(withGrant);
      const [member] = founders;
      const deadline = (await time.latest()) + 3_600;
      const signedAt = await time.latest();
      const message = {
        member: member.address,
        grantId: 1n,
        choice: Choice.OptOut,
        signedAt,
        deadline,
      };
      const signature = await member.signTypedData(
        await consentDomain(consent),
        { SetGrantChoice: CONSENT_TYPES.SetGrantChoice },
        message,
      );
      await expect(
        consent
          .connect(stranger)
          .setGrantChoiceBySig(member.address, 1, Choice.OptOut, signedAt, deadline, signature),
      )
        .to.emit(consent, "GrantChoiceSet")
        .withArgs(member.address, 1n, Choice.OptOut, signedAt);
      expect(await consent.grantChoiceOf(member.address, 1)).to.equal(BigInt(Choice.OptOut));
    });

    it("rejects a signature over other terms", async function () {
      const { consent, founders, stranger } = await loadFixture(withGrant);
      const [member] = founders;
      const deadline = (await time.latest()) + 3_600;
      const signedAt = await time.latest();
      const signature = await member.signTypedData(
        await consentDomain(consent),
        { SetGrantChoice: CONSENT_TYPES.SetGrantChoice },
        { member: member.address, grantId: 1n, choice: Choice.OptOut, signedAt, deadline },
      );
      await expect(
        consent
          .connect(stranger)
          .setGrantChoiceBySig(member.address, 1, Choice.OptIn, signedAt, deadline, signature),
      )
        .to.be.revertedWithCustomError(consent, "ConsentRegistryInvalidSignature")
        .withArgs(member.address);
    });
  });
});
