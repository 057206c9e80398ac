/**
 * A member with a passkey and no ETH: their account (a PasskeyAccount clone at a counterfactual address) applies,
 * is admitted by a vote, votes, proposes, sets and withdraws consent, claims revenue (paid to the account), adds a
 * second passkey, and resigns — every action a signature relayed by someone else. Forged, replayed and malformed
 * WebAuthn assertions are refused, and a membership moves to a new account only by a passed vote.
 */
import { expect } from "chai";
import type { TypedDataField } from "ethers";
import {
  CONSENT_TYPES,
  DURATION,
  FEE,
  FIELDS,
  PARTNER_NAME,
  SCOPE,
  TERMS_URI,
  consentDomain,
  deployDataCoop,
  ethers,
  networkHelpers,
  passProposal,
  signingTime,
} from "../data/fixture.js";
import { Passkey } from "./webauthn.js";

const APPLY_TYPES = {
  ApplyForMembership: [
    { name: "applicant", type: "address" },
    { name: "uri", type: "string" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
const RESIGN_TYPES = {
  Resign: [
    { name: "member", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
const BALLOT_TYPES = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};
const PROPOSE_TYPES = {
  Propose: [
    { name: "proposer", type: "address" },
    { name: "targets", type: "address[]" },
    { name: "values", type: "uint256[]" },
    { name: "calldatas", type: "bytes[]" },
    { name: "description", type: "string" },
    { name: "deadline", type: "uint256" },
  ],
};
const EXECUTE_TYPES = {
  Execute: [
    { name: "mode", type: "bytes32" },
    { name: "executionData", type: "bytes" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
const BATCH_MODE = "0x01" + "00".repeat(31);
const FAR = 2n ** 40n;

async function domainOf(contract: {
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
}) {
  const [, name, version, chainId, verifyingContract] = await contract.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

const digest = (
  domain: Awaited<ReturnType<typeof domainOf>>,
  types: Record<string, TypedDataField[]>,
  value: Record<string, unknown>,
) => ethers.TypedDataEncoder.hash(domain, types, value);

async function passkeyCoop() {
  const f = await deployDataCoop();
  const verifier = await f.accountFactory.implementation().then(async (impl) => {
    const account = await ethers.getContractAt("PasskeyAccount", impl);
    return account.webAuthnVerifier();
  });
  const passkey = new Passkey();
  const address = await f.accountFactory.accountAddress(passkey.qx, passkey.qy, 0);
  const relayer = f.stranger;
  return { ...f, verifier, passkey, address, relayer };
}

type Coop = Awaited<ReturnType<typeof passkeyCoop>>;

async function deployAccount(f: Coop, passkey = f.passkey) {
  await f.accountFactory.connect(f.relayer).createAccount(passkey.qx, passkey.qy, 0);
  return ethers.getContractAt(
    "PasskeyAccount",
    await f.accountFactory.accountAddress(passkey.qx, passkey.qy, 0),
  );
}

async function applyBySig(f: Coop, uri = "ipfs://application") {
  const domain = await domainOf(f.membership);
  const nonce = await f.membership.nonces(f.address);
  const hash = digest(domain, APPLY_TYPES, { applicant: f.address, uri, nonce, deadline: FAR });
  return f.membership
    .connect(f.relayer)
    .applyForMembershipBySig(f.address, uri, FAR, f.passkey.signature(f.verifier, hash));
}

/** A passkey member admitted by the founders' vote, account deployed. */
async function admittedFixture() {
  const f = await passkeyCoop();
  const account = await deployAccount(f);
  await applyBySig(f);
  const membership = await f.membership.getAddress();
  await passProposal(
    f.governor,
    [
      [membership],
      [0n],
      [f.membership.interface.encodeFunctionData("admit", [f.address])],
      "Admit",
    ],
    f.founders[0],
    f.founders.slice(0, 3),
  );
  return { ...f, account };
}

async function consentBySig(f: Coop, mask: bigint, signedAt?: number, passkey = f.passkey) {
  const at = signedAt ?? (await signingTime());
  const hash = digest(
    await consentDomain(f.consent),
    { SetConsent: CONSENT_TYPES.SetConsent },
    {
      member: f.address,
      mask,
      signedAt: at,
      deadline: FAR,
    },
  );
  return {
    at,
    send: () =>
      f.consent
        .connect(f.relayer)
        .setConsentBySig(f.address, mask, at, FAR, passkey.signature(f.verifier, hash)),
  };
}

describe("PasskeyAccount: a member with a phone and no ETH", () => {
  it("lives at its counterfactual address, and creating it again returns it", async () => {
    const f = await networkHelpers.loadFixture(passkeyCoop);
    expect(await ethers.provider.getCode(f.address)).to.equal("0x");
    await expect(f.accountFactory.createAccount(f.passkey.qx, f.passkey.qy, 0))
      .to.emit(f.accountFactory, "PasskeyAccountCreated")
      .withArgs(f.address, f.passkey.qx, f.passkey.qy, 0);
    expect(await ethers.provider.getCode(f.address)).to.not.equal("0x");
    await expect(f.accountFactory.createAccount(f.passkey.qx, f.passkey.qy, 0)).to.not.emit(
      f.accountFactory,
      "PasskeyAccountCreated",
    );
    const account = await ethers.getContractAt("PasskeyAccount", f.address);
    expect(await account.isSigner(f.passkey.key(f.verifier))).to.equal(true);
    await expect(account.initialize(f.passkey.qx, f.passkey.qy)).to.be.revertedWithCustomError(
      account,
      "InvalidInitialization",
    );
  });

  it("applies by signature, once per nonce, and is admitted by the founders' vote", async () => {
    const f = await networkHelpers.loadFixture(passkeyCoop);
    await deployAccount(f);
    const domain = await domainOf(f.membership);
    const hash = digest(domain, APPLY_TYPES, {
      applicant: f.address,
      uri: "ipfs://a",
      nonce: 0n,
      deadline: FAR,
    });
    const signature = f.passkey.signature(f.verifier, hash);
    await expect(
      f.membership
        .connect(f.relayer)
        .applyForMembershipBySig(f.address, "ipfs://a", FAR, signature),
    )
      .to.emit(f.membership, "MembershipApplied")
      .withArgs(f.address, "ipfs://a");
    // Replayed: the nonce moved on.
    await expect(
      f.membership
        .connect(f.relayer)
        .applyForMembershipBySig(f.address, "ipfs://a", FAR, signature),
    ).to.be.revertedWithCustomError(f.membership, "MembershipInvalidSignature");
    const g = await networkHelpers.loadFixture(admittedFixture);
    expect(await g.membership.isMember(g.address)).to.equal(true);
    expect(await ethers.provider.getBalance(g.address)).to.equal(0n);
  });

  it("votes, proposes and changes consent by signature; opts out; resigns", async () => {
    const f = await networkHelpers.loadFixture(admittedFixture);
    await networkHelpers.time.increase(2);
    // Proposes (proposeBySig).
    const membership = await f.membership.getAddress();
    const calls = [f.membership.interface.encodeFunctionData("admit", [f.partner.address])];
    const description = "Admit the outsider";
    const governorDomain = await domainOf(f.governor);
    const proposeHash = digest(governorDomain, PROPOSE_TYPES, {
      proposer: f.address,
      targets: [membership],
      values: [0n],
      calldatas: calls,
      description,
      deadline: FAR,
    });
    await f.governor
      .connect(f.relayer)
      .proposeBySig(
        [membership],
        [0n],
        calls,
        description,
        f.address,
        FAR,
        f.passkey.signature(f.verifier, proposeHash),
      );
    const proposalId = await f.governor.getProposalId(
      [membership],
      [0n],
      calls,
      ethers.id(description),
    );
    expect(await f.governor.proposalProposer(proposalId)).to.equal(f.address);
    await networkHelpers.time.increase(3);
    // Votes (castVoteBySig); a forged ballot first.
    const ballot = digest(governorDomain, BALLOT_TYPES, {
      proposalId,
      support: 1,
      voter: f.address,
      nonce: 0n,
    });
    const forger = new Passkey();
    await expect(
      f.governor
        .connect(f.relayer)
        .castVoteBySig(
          proposalId,
          1,
          f.address,
          f.passkey.signature(f.verifier, ballot, { signWith: forger }),
        ),
    ).to.be.revertedWithCustomError(f.governor, "GovernorInvalidSignature");
    const vote = f.passkey.signature(f.verifier, ballot);
    await expect(f.governor.connect(f.relayer).castVoteBySig(proposalId, 1, f.address, vote))
      .to.emit(f.governor, "VoteCast")
      .withArgs(f.address, proposalId, 1, 1, "");
    await expect(
      f.governor.connect(f.relayer).castVoteBySig(proposalId, 1, f.address, vote),
    ).to.be.revertedWithCustomError(f.governor, "GovernorAlreadyCastVote");
    // Consent: gives it, a replay of the same decision is refused, then withdraws it (opts out).
    const give = await consentBySig(f, 0b11n);
    await give.send();
    expect(await f.consent.consentOf(f.address)).to.equal(0b11n);
    await expect(give.send()).to.be.revertedWithCustomError(
      f.consent,
      "ConsentRegistryOutdatedSignature",
    );
    await networkHelpers.time.increase(1);
    await (await consentBySig(f, 0n)).send();
    expect(await f.consent.consentOf(f.address)).to.equal(0n);
    // Resigns by signature.
    const resign = digest(await domainOf(f.membership), RESIGN_TYPES, {
      member: f.address,
      nonce: await f.membership.nonces(f.address),
      deadline: FAR,
    });
    await expect(
      f.membership
        .connect(f.relayer)
        .resignBySig(f.address, FAR, f.passkey.signature(f.verifier, resign)),
    )
      .to.emit(f.membership, "MemberLeft")
      .withArgs(f.address, await f.membership.memberIdOf(f.address), true);
    expect(await f.membership.isMember(f.address)).to.equal(false);
    expect(await ethers.provider.getBalance(f.address)).to.equal(0n);
  });

  it("claims an equal share, paid to the account", async () => {
    const f = await networkHelpers.loadFixture(admittedFixture);
    await f.registry
      .connect(f.asTimelock)
      .registerDataset("Harvests 2025", "ipfs://schema", ethers.id("schema"), FIELDS);
    await f.registry
      .connect(f.partner)
      .requestAccess(1, 0, SCOPE, DURATION, TERMS_URI, PARTNER_NAME, { value: FEE });
    const { termsHash } = await f.registry.request(1);
    await f.registry.connect(f.asTimelock).approve(1, termsHash);
    const share = await f.revenue.claimableOf(1, f.address);
    expect(share).to.be.greaterThan(0n);
    await f.revenue.connect(f.relayer)["claim(uint256,address)"](1, f.address);
    expect(await ethers.provider.getBalance(f.address)).to.equal(share);
  });

  it("refuses a wrong challenge, a missing user-presence or user-verification flag, and a stranger's key", async () => {
    const f = await networkHelpers.loadFixture(admittedFixture);
    await networkHelpers.time.increase(2);
    const at = await signingTime();
    const hash = digest(
      await consentDomain(f.consent),
      { SetConsent: CONSENT_TYPES.SetConsent },
      {
        member: f.address,
        mask: 1n,
        signedAt: at,
        deadline: FAR,
      },
    );
    const bad = [
      f.passkey.signature(f.verifier, hash, { challenge: ethers.id("another message") }),
      f.passkey.signature(f.verifier, hash, { flags: 0x04 }), // UV without UP
      f.passkey.signature(f.verifier, hash, { flags: 0x01 }), // UP without UV
      new Passkey().signature(f.verifier, hash), // a key the account does not hold
      f.passkey.signature(f.verifier, hash, { signWith: new Passkey() }), // this key named, another signed
    ];
    for (const signature of bad) {
      await expect(
        f.consent.connect(f.relayer).setConsentBySig(f.address, 1n, at, FAR, signature),
      ).to.be.revertedWithCustomError(f.consent, "ConsentRegistryInvalidSignature");
      expect(await f.account.isValidSignature(hash, signature)).to.equal("0xffffffff");
    }
    expect(await f.account.isValidSignature(hash, f.passkey.signature(f.verifier, hash))).to.equal(
      "0x1626ba7e",
    );
  });

  it("adds a second passkey only by a call its own passkey signed", async () => {
    const f = await networkHelpers.loadFixture(admittedFixture);
    const second = new Passkey();
    await expect(f.account.connect(f.relayer).addSigners([second.key(f.verifier)]))
      .to.be.revertedWithCustomError(f.account, "AccountUnauthorized")
      .withArgs(f.relayer.address);
    const accountAddress = await f.account.getAddress();
    const executionData = ethers.AbiCoder.defaultAbiCoder().encode(
      ["tuple(address,uint256,bytes)[]"],
      [
        [
          [
            accountAddress,
            0n,
            f.account.interface.encodeFunctionData("addSigners", [[second.key(f.verifier)]]),
          ],
        ],
      ],
    );
    const domain = await domainOf(f.account);
    const execute = digest(domain, EXECUTE_TYPES, {
      mode: BATCH_MODE,
      executionData,
      nonce: 0n,
      deadline: FAR,
    });
    // Signed by the passkey being added: refused.
    await expect(
      f.account
        .connect(f.relayer)
        .executeBySig(BATCH_MODE, executionData, FAR, second.signature(f.verifier, execute)),
    ).to.be.revertedWithCustomError(f.account, "PasskeyAccountInvalidSignature");
    const signature = f.passkey.signature(f.verifier, execute);
    await f.account.connect(f.relayer).executeBySig(BATCH_MODE, executionData, FAR, signature);
    expect(await f.account.isSigner(second.key(f.verifier))).to.equal(true);
    // Replayed: the nonce moved on.
    await expect(
      f.account.connect(f.relayer).executeBySig(BATCH_MODE, executionData, FAR, signature),
    ).to.be.revertedWithCustomError(f.account, "PasskeyAccountInvalidSignature");
    // The second phone now signs for the member.
    await networkHelpers.time.increase(2);
    await (await consentBySig(f, 0b1n, undefined, second)).send();
    expect(await f.consent.consentOf(f.address)).to.equal(0b1n);
  });

  it("moves a membership to a new account only by a passed vote, keeping the member number and consent", async () => {
    const f = await networkHelpers.loadFixture(admittedFixture);
    await networkHelpers.time.increase(2);
    await (await consentBySig(f, 0b101n)).send();
    const memberId = await f.membership.memberIdOf(f.address);
    const newPhone = new Passkey();
    const to = await f.accountFactory.accountAddress(newPhone.qx, newPhone.qy, 0);
    await expect(f.membership.connect(f.founders[0]).moveMembership(f.address, to))
      .to.be.revertedWithCustomError(f.membership, "OwnableUnauthorizedAccount")
      .withArgs(f.founders[0].address);
    await expect(
      f.membership.connect(f.relayer).moveMembership(f.address, to),
    ).to.be.revertedWithCustomError(f.membership, "OwnableUnauthorizedAccount");
    const membership = await f.membership.getAddress();
    const receipt = await passProposal(
      f.governor,
      [
        [membership],
        [0n],
        [f.membership.interface.encodeFunctionData("moveMembership", [f.address, to])],
        "Move member to their new phone",
      ],
      f.founders[0],
      f.founders.slice(0, 3),
    );
    const moved = receipt.logs
      .map((log) => {
        try {
          return f.membership.interface.parseLog(log);
        } catch {
          return null;
        }
      })
      .find((log) => log?.name === "MembershipMoved");
    expect(moved?.args.toArray()).to.deep.equal([f.address, to, memberId]);
    expect(await f.membership.isMember(f.address)).to.equal(false);
    expect(await f.membership.isMember(to)).to.equal(true);
    expect(await f.membership.memberIdOf(to)).to.equal(memberId);
    expect(await f.membership.ownerOf(memberId)).to.equal(to);
    expect(await f.membership.hasMovedAway(f.address)).to.equal(true);
    expect(await f.consent.consentOf(to)).to.equal(0b101n);
    expect(await f.consent.consentOf(f.address)).to.equal(0n);
    expect(await f.consent.movedFrom(to)).to.equal(f.address);
    await expect(f.membership.connect(f.asTimelock).admit(f.address))
      .to.be.revertedWithCustomError(f.membership, "MembershipMovedAway")
      .withArgs(f.address);
    await expect(
      f.membership.connect(f.asTimelock).moveMembership(to, f.founders[1].address),
    ).to.be.revertedWithCustomError(f.membership, "MembershipMoveTargetUsed");
  });
});
