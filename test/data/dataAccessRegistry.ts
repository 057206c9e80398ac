import { expect } from "chai";
import {
  DAY,
  DURATION,
  FEE,
  FIELDS,
  MAX_DURATION,
  SCOPE,
  Status,
  TERMS_URI,
  deployDataCoop,
  ethers,
  expectedTermsHash,
  networkHelpers,
  withDataset,
  withGrant,
  withRequest,
  PARTNER_NAME,
} from "./fixture.js";

const { loadFixture, time } = networkHelpers;

describe("DataAccessRegistry", function () {
  describe("deployment", function () {
    it("is owned by the timelock and wired to the revenue contract", async function () {
      const { registry, revenue, timelock, guardian } = await loadFixture(deployDataCoop);
      expect(await registry.owner()).to.equal(await timelock.getAddress());
      expect(await registry.revenue()).to.equal(await revenue.getAddress());
      expect(await revenue.registry()).to.equal(await registry.getAddress());
      expect(await registry.guardian()).to.equal(guardian.address);
      expect(await registry.minimumFee()).to.equal(0n);
      expect(await registry.maxDuration()).to.equal(BigInt(MAX_DURATION));
      expect(await registry.paused()).to.equal(false);
    });
  });

  describe("registerDataset", function () {
    it("registers datasets with dense ids and their fields in bit order", async function () {
      const { registry, asTimelock } = await loadFixture(deployDataCoop);
      const schemaHash = ethers.id("schema");
      await expect(
        registry.connect(asTimelock).registerDataset("Harvests", "ipfs://s", schemaHash, FIELDS),
      )
        .to.emit(registry, "DatasetRegistered")
        .withArgs(1n, "Harvests", "ipfs://s", schemaHash, FIELDS);
      await registry.connect(asTimelock).registerDataset("Trips", "ipfs://t", schemaHash, ["km"]);
      expect(await registry.datasetCount()).to.equal(2n);
      expect(await registry.dataset(1)).to.deep.equal([
        "Harvests",
        "ipfs://s",
        schemaHash,
        BigInt(FIELDS.length),
        false,
      ]);
      expect(await registry.datasetFields(1)).to.deep.equal(FIELDS);
      expect(await registry.datasetFields(2)).to.deep.equal(["km"]);
    });

    it("accepts 256 fields and reverts on none or more than 256", async function () {
      const { registry, asTimelock } = await loadFixture(deployDataCoop);
      const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`);
      await registry.connect(asTimelock).registerDataset("Wide", "", ethers.ZeroHash, fields(256));
      expect((await registry.dataset(1)).fieldCount).to.equal(256n);
      for (const n of [0, 257]) {
        await expect(
          registry.connect(asTimelock).registerDataset("x", "", ethers.ZeroHash, fields(n)),
        )
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryInvalidFieldCount")
          .withArgs(n);
      }
    });

    it("reverts for anyone but the timelock, the guardian included", async function () {
      const { registry, guardian, founders } = await loadFixture(deployDataCoop);
      for (const caller of [guardian, founders[0]]) {
        await expect(registry.connect(caller).registerDataset("x", "", ethers.ZeroHash, ["a"]))
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(caller.address);
      }
    });

    it("reverts on the views of an unknown dataset", async function () {
      const { registry } = await loadFixture(withDataset);
      for (const id of [0, 2]) {
        await expect(registry.dataset(id))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownDataset")
          .withArgs(id);
        await expect(registry.datasetFields(id))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownDataset")
          .withArgs(id);
      }
    });
  });

  describe("retireDataset", function () {
    it("stops new requests but keeps grants already made", async function () {
      const { registry, asTimelock, partner } = await loadFixture(withGrant);
      await expect(registry.connect(asTimelock).retireDataset(1))
        .to.emit(registry, "DatasetRetired")
        .withArgs(1n);
      expect((await registry.dataset(1)).retired).to.equal(true);
      expect(await registry.isGrantActive(1)).to.equal(true);
      await expect(
        registry
          .connect(partner)
          .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE }),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryDatasetRetired")
        .withArgs(1n);
    });

    it("reverts on an unknown or already retired dataset, and for anyone but the timelock", async function () {
      const { registry, asTimelock, guardian } = await loadFixture(withDataset);
      await expect(registry.connect(asTimelock).retireDataset(2))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownDataset")
        .withArgs(2n);
      await expect(registry.connect(guardian).retireDataset(1))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(guardian.address);
      await registry.connect(asTimelock).retireDataset(1);
      await expect(registry.connect(asTimelock).retireDataset(1))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryDatasetRetired")
        .withArgs(1n);
    });

    it("makes a pending request on the dataset unapprovable", async function () {
      const { registry, asTimelock } = await loadFixture(withRequest);
      await registry.connect(asTimelock).retireDataset(1);
      const { termsHash } = await registry.request(1);
      await expect(registry.connect(asTimelock).approve(1, termsHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryDatasetRetired")
        .withArgs(1n);
    });
  });

  describe("requestAccess", function () {
    it("stores every term, binds them in the terms hash and escrows the fee", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      const registryAddress = await registry.getAddress();
      const termsHash = await expectedTermsHash(registryAddress, 1n, partner.address, {
        partnerName: PARTNER_NAME,
        datasetId: 1n,
        purpose: 6,
        scope: SCOPE,
        duration: DURATION,
        termsURI: TERMS_URI,
        fee: FEE,
      });
      const tx = registry
        .connect(partner)
        .requestAccess(1, 6, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
      await expect(tx)
        .to.emit(registry, "RequestCreated")
        .withArgs(
          1n,
          partner.address,
          1n,
          PARTNER_NAME,
          6,
          [SCOPE.fieldMask, SCOPE.rowLevel, SCOPE.minCohort, SCOPE.exactTabulations],
          DURATION,
          TERMS_URI,
          FEE,
          termsHash,
        );
      await expect(tx).to.changeEtherBalances(ethers, [partner, registry], [-FEE, FEE]);

      const request = await registry.request(1);
      expect(request.partner).to.equal(partner.address);
      expect(request.partnerName).to.equal(PARTNER_NAME);
      expect(request.forMembers).to.equal(false);
      expect(request.scope.exactTabulations).to.equal(ethers.ZeroHash);
      expect(request.datasetId).to.equal(1n);
      expect(request.purpose).to.equal(6n);
      expect(request.scope.fieldMask).to.equal(SCOPE.fieldMask);
      expect(request.scope.rowLevel).to.equal(false);
      expect(request.scope.minCohort).to.equal(5n);
      expect(request.duration).to.equal(BigInt(DURATION));
      expect(request.termsURI).to.equal(TERMS_URI);
      expect(request.fee).to.equal(FEE);
      expect(request.termsHash).to.equal(termsHash);
      expect(request.status).to.equal(BigInt(Status.Pending));
      expect(request.start).to.equal(0n);
      expect(request.end).to.equal(0n);
      expect(await registry.requestCount()).to.equal(1n);
      expect(await registry.purposeOf(1)).to.equal(6n);
      expect(await registry.totals()).to.deep.equal([FEE, FEE, 0n, 0n]);
    });

    it("gives each request its own id and terms hash, even with identical terms", async function () {
      const { registry, partner } = await loadFixture(withRequest);
      await registry
        .connect(partner)
        .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
      expect(await registry.requestCount()).to.equal(2n);
      expect((await registry.request(2)).termsHash).to.not.equal(
        (await registry.request(1)).termsHash,
      );
    });

    it("accepts the widest dataset's last field and a zero fee by default", async function () {
      const { registry, asTimelock, partner } = await loadFixture(deployDataCoop);
      const fields = Array.from({ length: 256 }, (_, i) => `f${i}`);
      await registry.connect(asTimelock).registerDataset("Wide", "", ethers.ZeroHash, fields);
      const scope = {
        fieldMask: 1n << 255n,
        rowLevel: true,
        minCohort: 1,
        exactTabulations: ethers.ZeroHash,
      };
      await registry.connect(partner).requestAccess(1, 7, scope, 1, "ipfs://t", PARTNER_NAME);
      const request = await registry.request(1);
      expect(request.scope.fieldMask).to.equal(1n << 255n);
      expect(request.fee).to.equal(0n);
      expect(await registry.requestCount()).to.equal(1n);
    });

    it("reverts when a member asks", async function () {
      const { registry, founders } = await loadFixture(withDataset);
      await expect(
        registry
          .connect(founders[0])
          .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE }),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryMemberCannotRequest")
        .withArgs(founders[0].address);
    });

    it("reverts on an unknown dataset or an invalid purpose", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      const request = registry.connect(partner);
      for (const id of [0, 2]) {
        await expect(request.requestAccess(id, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownDataset")
          .withArgs(id);
      }
      await expect(request.requestAccess(1, 9, SCOPE, DURATION, TERMS_URI, PARTNER_NAME))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryInvalidPurpose")
        .withArgs(9);
    });

    it("reverts on an empty field mask or one naming a field the dataset lacks", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      for (const fieldMask of [0n, 1n << BigInt(FIELDS.length), ethers.MaxUint256]) {
        await expect(
          registry
            .connect(partner)
            .requestAccess(1, 0, { ...SCOPE, fieldMask }, DURATION, TERMS_URI, PARTNER_NAME),
        )
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryInvalidFieldMask")
          .withArgs(1n, fieldMask, BigInt(FIELDS.length));
      }
    });

    it("requires groups of at least 2 members for aggregates and 1 for rows", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      const request = registry.connect(partner);
      await expect(
        request.requestAccess(1, 0, { ...SCOPE, minCohort: 1 }, DURATION, TERMS_URI, PARTNER_NAME),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryCohortTooSmall")
        .withArgs(1, 2);
      await expect(
        request.requestAccess(
          1,
          0,
          { ...SCOPE, rowLevel: true, minCohort: 0 },
          DURATION,
          TERMS_URI,
          PARTNER_NAME,
        ),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryCohortTooSmall")
        .withArgs(0, 1);
      await request.requestAccess(
        1,
        0,
        { ...SCOPE, minCohort: 2 },
        DURATION,
        TERMS_URI,
        PARTNER_NAME,
      );
      await request.requestAccess(
        1,
        0,
        { ...SCOPE, rowLevel: true, minCohort: 1 },
        DURATION,
        TERMS_URI,
        PARTNER_NAME,
      );
      expect(await registry.requestCount()).to.equal(2n);
    });

    it("reverts on a zero or too long duration and an empty terms URI", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      const request = registry.connect(partner);
      await expect(
        request.requestAccess(1, 0, SCOPE, 0, TERMS_URI, PARTNER_NAME),
      ).to.be.revertedWithCustomError(registry, "DataAccessRegistryZeroDuration");
      await expect(request.requestAccess(1, 0, SCOPE, MAX_DURATION + 1, TERMS_URI, PARTNER_NAME))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryDurationTooLong")
        .withArgs(MAX_DURATION + 1, MAX_DURATION);
      await expect(
        request.requestAccess(1, 0, SCOPE, DURATION, "", PARTNER_NAME),
      ).to.be.revertedWithCustomError(registry, "DataAccessRegistryEmptyTermsURI");
      await request.requestAccess(1, 0, SCOPE, MAX_DURATION, TERMS_URI, PARTNER_NAME);
    });

    it("reverts below the minimum fee the co-op set", async function () {
      const { registry, asTimelock, partner } = await loadFixture(withDataset);
      await expect(registry.connect(asTimelock).setMinimumFee(FEE))
        .to.emit(registry, "MinimumFeeSet")
        .withArgs(0n, FEE);
      await expect(
        registry
          .connect(partner)
          .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE - 1n }),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryFeeTooLow")
        .withArgs(FEE - 1n, FEE);
      await registry
        .connect(partner)
        .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
    });

    it("reverts while paused", async function () {
      const { registry, guardian, partner } = await loadFixture(withDataset);
      await registry.connect(guardian).pause();
      await expect(
        registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME),
      ).to.be.revertedWithCustomError(registry, "EnforcedPause");
    });
  });

  describe("withdrawRequest", function () {
    it("lets the partner withdraw an undecided request and makes the fee refundable", async function () {
      const { registry, partner } = await loadFixture(withRequest);
      await expect(registry.connect(partner).withdrawRequest(1))
        .to.emit(registry, "RequestWithdrawn")
        .withArgs(1n, partner.address);
      expect((await registry.request(1)).status).to.equal(BigInt(Status.Withdrawn));
      expect(await registry.refundOf(partner.address)).to.equal(FEE);
      expect(await registry.totals()).to.deep.equal([FEE, 0n, FEE, 0n]);
    });

    it("works while paused, so a pause never traps a partner's fee", async function () {
      const { registry, guardian, partner } = await loadFixture(withRequest);
      await registry.connect(guardian).pause();
      await registry.connect(partner).withdrawRequest(1);
      await expect(registry.connect(partner).claimRefund()).to.changeEtherBalance(
        ethers,
        partner,
        FEE,
      );
    });

    it("reverts for anyone but the partner, on a decided request and on an unknown one", async function () {
      const { registry, partner, otherPartner, asTimelock } = await loadFixture(withRequest);
      await expect(registry.connect(otherPartner).withdrawRequest(1))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryNotPartner")
        .withArgs(1n, otherPartner.address);
      await expect(registry.connect(partner).withdrawRequest(2))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
        .withArgs(2n);
      await registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      await expect(registry.connect(partner).withdrawRequest(1))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Approved);
    });
  });

  describe("claimRefund", function () {
    it("pays every refund owed to the caller once", async function () {
      const { registry, partner, asTimelock } = await loadFixture(withRequest);
      await registry
        .connect(partner)
        .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE * 2n });
      await registry.connect(partner).withdrawRequest(1);
      await registry.connect(asTimelock).reject(2, (await registry.request(2)).termsHash);
      const tx = registry.connect(partner).claimRefund();
      await expect(tx)
        .to.emit(registry, "RefundClaimed")
        .withArgs(partner.address, FEE * 3n);
      await expect(tx).to.changeEtherBalances(ethers, [partner, registry], [FEE * 3n, -FEE * 3n]);
      expect(await registry.refundOf(partner.address)).to.equal(0n);
      expect(await registry.totals()).to.deep.equal([FEE * 3n, 0n, 0n, FEE * 3n]);
      await expect(registry.connect(partner).claimRefund())
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryNothingToRefund")
        .withArgs(partner.address);
    });
  });

  describe("approve", function () {
    it("activates the grant from now for its duration and forwards the fee", async function () {
      const { registry, revenue, asTimelock, partner } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      const tx = registry.connect(asTimelock).approve(1, termsHash);
      const start = BigInt((await time.latest()) + 1);
      await expect(tx)
        .to.emit(registry, "RequestApproved")
        .withArgs(1n, partner.address, start, start + BigInt(DURATION));
      await expect(tx).to.emit(revenue, "Deposited");
      await expect(tx).to.changeEtherBalance(ethers, registry, -FEE);
      const request = await registry.request(1);
      expect(request.status).to.equal(BigInt(Status.Approved));
      expect(request.start).to.equal(start);
      expect(request.end).to.equal(start + BigInt(DURATION));
      expect(await registry.isGrantActive(1)).to.equal(true);
      expect(await registry.grantsOf(partner.address)).to.deep.equal([1n]);
      expect(await registry.totals()).to.deep.equal([FEE, 0n, 0n, 0n]);
    });

    it("reverts when the hash is not the request's terms hash", async function () {
      const { registry, asTimelock } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      const other = ethers.id("other terms");
      await expect(registry.connect(asTimelock).approve(1, other))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryTermsMismatch")
        .withArgs(1n, termsHash, other);
      await expect(registry.connect(asTimelock).reject(1, other))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryTermsMismatch")
        .withArgs(1n, termsHash, other);
    });

    it("reverts on a decided or unknown request and for anyone but the timelock", async function () {
      const { registry, asTimelock, guardian } = await loadFixture(withGrant);
      const { termsHash } = await registry.request(1);
      await expect(registry.connect(asTimelock).approve(1, termsHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Approved);
      await expect(registry.connect(asTimelock).approve(2, termsHash))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
        .withArgs(2n);
      await expect(registry.connect(guardian).approve(1, termsHash))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(guardian.address);
    });

    it("approves a request without a fee without calling the revenue contract", async function () {
      const { registry, revenue, asTimelock, partner } = await loadFixture(withDataset);
      await registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      const tx = registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      await expect(tx).to.emit(registry, "RequestApproved");
      await expect(tx).to.not.emit(revenue, "Deposited");
      expect(await registry.isGrantActive(1)).to.equal(true);
    });
  });

  describe("reject", function () {
    it("makes the fee refundable to the partner", async function () {
      const { registry, asTimelock, partner, guardian } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      await expect(registry.connect(guardian).reject(1, termsHash))
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(guardian.address);
      await expect(registry.connect(asTimelock).reject(1, termsHash))
        .to.emit(registry, "RequestRejected")
        .withArgs(1n, partner.address);
      expect((await registry.request(1)).status).to.equal(BigInt(Status.Rejected));
      expect(await registry.refundOf(partner.address)).to.equal(FEE);
      expect(await registry.isGrantActive(1)).to.equal(false);
      expect(await registry.grantsOf(partner.address)).to.deep.equal([]);
    });
  });

  describe("revoke", function () {
    it("lets the guardian or the timelock end a grant for good", async function () {
      const { registry, asTimelock, guardian, partner } = await loadFixture(withGrant);
      await expect(registry.connect(guardian).revoke(1, "data leak reported"))
        .to.emit(registry, "GrantRevoked")
        .withArgs(1n, guardian.address, "data leak reported");
      expect((await registry.request(1)).status).to.equal(BigInt(Status.Revoked));
      expect(await registry.isGrantActive(1)).to.equal(false);

      await registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      await registry.connect(asTimelock).approve(2, (await registry.request(2)).termsHash);
      await expect(registry.connect(asTimelock).revoke(2, "by vote"))
        .to.emit(registry, "GrantRevoked")
        .withArgs(2n, asTimelock.address, "by vote");
    });

    it("reverts for anyone else, on an ungranted, revoked or expired grant", async function () {
      const { registry, guardian, partner, stranger } = await loadFixture(withGrant);
      await expect(registry.connect(partner).revoke(1, "mine"))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnauthorized")
        .withArgs(partner.address);
      await expect(registry.connect(stranger).revoke(1, ""))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnauthorized")
        .withArgs(stranger.address);
      await registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      await expect(registry.connect(guardian).revoke(2, ""))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(2n, Status.Pending);
      const { end } = await registry.request(1);
      await time.increaseTo(end);
      await expect(registry.connect(guardian).revoke(1, ""))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryGrantExpired")
        .withArgs(1n, end);
    });

    it("reverts on a grant already revoked", async function () {
      const { registry, guardian } = await loadFixture(withGrant);
      await registry.connect(guardian).revoke(1, "");
      await expect(registry.connect(guardian).revoke(1, ""))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Revoked);
    });
  });

  describe("isGrantActive", function () {
    it("is true from approval until the end, exclusive", async function () {
      const { registry } = await loadFixture(withGrant);
      const { end } = await registry.request(1);
      await time.setNextBlockTimestamp(end - 1n);
      await networkHelpers.mine();
      expect(await registry.isGrantActive(1)).to.equal(true);
      await networkHelpers.mine(1, { interval: 1 });
      expect(await registry.isGrantActive(1)).to.equal(false);
    });

    it("is false for a request never approved or unknown", async function () {
      const { registry } = await loadFixture(withRequest);
      expect(await registry.isGrantActive(1)).to.equal(false);
      expect(await registry.isGrantActive(0)).to.equal(false);
      expect(await registry.isGrantActive(99)).to.equal(false);
    });

    it("is false while paused, and a revoked grant stays inactive after the pause", async function () {
      const { registry, guardian, asTimelock, partner } = await loadFixture(withGrant);
      await registry.connect(partner).requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME);
      await registry.connect(asTimelock).approve(2, (await registry.request(2)).termsHash);
      await registry.connect(guardian).pause();
      expect(await registry.isGrantActive(1)).to.equal(false);
      expect(await registry.isGrantActive(2)).to.equal(false);
      await registry.connect(guardian).revoke(2, "during the pause");
      await registry.connect(asTimelock).unpause();
      expect(await registry.isGrantActive(1)).to.equal(true);
      expect(await registry.isGrantActive(2)).to.equal(false);
    });
  });

  describe("pause and unpause", function () {
    it("lets the guardian pause but only the timelock unpause", async function () {
      const { registry, guardian, asTimelock } = await loadFixture(withGrant);
      await expect(registry.connect(guardian).pause())
        .to.emit(registry, "Paused")
        .withArgs(guardian.address);
      await expect(registry.connect(guardian).unpause())
        .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
        .withArgs(guardian.address);
      await expect(registry.connect(asTimelock).unpause())
        .to.emit(registry, "Unpaused")
        .withArgs(asTimelock.address);
      await expect(registry.connect(asTimelock).unpause()).to.be.revertedWithCustomError(
        registry,
        "ExpectedPause",
      );
    });

    it("reverts for anyone else, and when already paused", async function () {
      const { registry, founders, asTimelock } = await loadFixture(deployDataCoop);
      await expect(registry.connect(founders[0]).pause())
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnauthorized")
        .withArgs(founders[0].address);
      await registry.connect(asTimelock).pause();
      await expect(registry.connect(asTimelock).pause()).to.be.revertedWithCustomError(
        registry,
        "EnforcedPause",
      );
    });
  });

  describe("settings", function () {
    it("changes the guardian, who then holds the role alone", async function () {
      const { registry, asTimelock, guardian, stranger } = await loadFixture(withGrant);
      await expect(registry.connect(asTimelock).setGuardian(stranger.address))
        .to.emit(registry, "GuardianSet")
        .withArgs(guardian.address, stranger.address);
      await expect(registry.connect(guardian).pause())
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnauthorized")
        .withArgs(guardian.address);
      await registry.connect(stranger).revoke(1, "new guardian");
    });

    it("changes the longest duration", async function () {
      const { registry, asTimelock, partner } = await loadFixture(withDataset);
      await expect(registry.connect(asTimelock).setMaxDuration(DAY))
        .to.emit(registry, "MaxDurationSet")
        .withArgs(MAX_DURATION, DAY);
      await expect(
        registry.connect(partner).requestAccess(1, 0, SCOPE, DAY + 1, TERMS_URI, PARTNER_NAME),
      )
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryDurationTooLong")
        .withArgs(DAY + 1, DAY);
    });

    it("reverts when the longest duration is above 100 years, so no grant's end can overflow", async function () {
      const { registry, asTimelock } = await loadFixture(deployDataCoop);
      const limit = 100n * 365n * BigInt(DAY);
      for (const duration of [limit + 1n, 2n ** 64n - 1n]) {
        await expect(registry.connect(asTimelock).setMaxDuration(duration))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryMaxDurationTooLong")
          .withArgs(duration, limit);
      }
      await expect(registry.connect(asTimelock).setMaxDuration(limit))
        .to.emit(registry, "MaxDurationSet")
        .withArgs(MAX_DURATION, limit);
    });

    it("reverts for anyone but the timelock", async function () {
      const { registry, guardian } = await loadFixture(deployDataCoop);
      for (const call of [
        () => registry.connect(guardian).setGuardian(guardian.address),
        () => registry.connect(guardian).setMinimumFee(1),
        () => registry.connect(guardian).setMaxDuration(1),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(registry, "OwnableUnauthorizedAccount")
          .withArgs(guardian.address);
      }
    });
  });

  describe("approvalProposal and rejectionProposal", function () {
    it("give the exact call binding the terms, with a description naming the request and hash", async function () {
      const { registry, partner } = await loadFixture(withRequest);
      const { termsHash } = await registry.request(1);
      const registryAddress = await registry.getAddress();

      const [targets, values, calldatas, description] = await registry.approvalProposal(1);
      expect(targets).to.deep.equal([registryAddress]);
      expect(values).to.deep.equal([0n]);
      expect(calldatas).to.deep.equal([
        registry.interface.encodeFunctionData("approve", [1n, termsHash]),
      ]);
      expect(description).to.equal(
        "# Approve data access request 1\n\n" +
          `Grant partner ${PARTNER_NAME} (${partner.address}) access to dataset 1 for purpose 0: fields 0x07, aggregate ` +
          `answers over groups of at least 5 members, for ${DURATION} seconds from approval, for a fee ` +
          `of ${FEE} wei.\n\nTerms hash: ${termsHash}`,
      );

      const rejection = await registry.rejectionProposal(1);
      expect(rejection[2]).to.deep.equal([
        registry.interface.encodeFunctionData("reject", [1n, termsHash]),
      ]);
      expect(rejection[3]).to.equal(
        "# Reject data access request 1\n\n" +
          `Refuse partner ${PARTNER_NAME} (${partner.address}) access to dataset 1 for purpose 0; the fee of ${FEE} wei ` +
          `is refunded.\n\nTerms hash: ${termsHash}`,
      );
    });

    it("describes row-level access", async function () {
      const { registry, partner } = await loadFixture(withDataset);
      await registry
        .connect(partner)
        .requestAccess(
          1,
          2,
          { fieldMask: 0b10n, rowLevel: true, minCohort: 1, exactTabulations: ethers.ZeroHash },
          DAY,
          TERMS_URI,
          PARTNER_NAME,
        );
      const [, , , description] = await registry.approvalProposal(1);
      expect(description).to.contain(
        "fields 0x02, pseudonymised rows from at least 1 members, for 86400 seconds",
      );
    });

    it("revert once the request is decided or for an unknown request", async function () {
      const { registry } = await loadFixture(withGrant);
      await expect(registry.approvalProposal(1))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnexpectedStatus")
        .withArgs(1n, Status.Approved);
      await expect(registry.rejectionProposal(2))
        .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
        .withArgs(2n);
    });
  });

  describe("views", function () {
    it("revert on an unknown request", async function () {
      const { registry } = await loadFixture(withRequest);
      for (const id of [0, 2]) {
        await expect(registry.request(id))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
          .withArgs(id);
        await expect(registry.purposeOf(id))
          .to.be.revertedWithCustomError(registry, "DataAccessRegistryUnknownRequest")
          .withArgs(id);
      }
    });

    it("account for every wei partners paid", async function () {
      const { registry, revenue, asTimelock, partner, otherPartner } =
        await loadFixture(withRequest);
      await registry
        .connect(otherPartner)
        .requestAccess(1, 1, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: 7n });
      await registry
        .connect(partner)
        .requestAccess(1, 2, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: 5n });
      await registry.connect(asTimelock).approve(1, (await registry.request(1)).termsHash);
      await registry.connect(asTimelock).reject(2, (await registry.request(2)).termsHash);
      await registry.connect(otherPartner).claimRefund();
      const [received, escrowed, refundable, refunded] = await registry.totals();
      const [deposited] = await revenue.totals();
      expect(received).to.equal(FEE + 12n);
      expect([escrowed, refundable, refunded, deposited]).to.deep.equal([5n, 0n, 7n, FEE]);
      expect(await ethers.provider.getBalance(registry)).to.equal(escrowed + refundable);
    });
  });
});
