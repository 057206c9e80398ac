/**
 * Gas of a passkey member (PasskeyAccount, WebAuthn over P-256, ERC-1271) beside a wallet member (an EOA, ECDSA) for
 * the actions a member signs and the relayer pays — castVoteBySig, setConsentBySig, an equal-split claim — and the
 * one-time cost of deploying the account, on two chains: Hardhat's EDR at hardfork "osaka" (the P-256 precompile of
 * EIP-7951 at 0x100) and at "cancun" (no precompile: OpenZeppelin's Solidity fallback). Whether 0x100 answers is
 * probed on each chain, not assumed.
 *
 *   npm run bench:gas   (runs bench/gas.ts, then this)
 *
 * Writes bench/results/passkey-gas.json and .md and the README's "passkey-gas" section.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { network } from "hardhat";
import DataCoop from "../ignition/modules/DataCoop.js";
import { Passkey } from "../test/accounts/webauthn.js";
import { updateReadmeSection } from "./readme.js";

const FAR = 2n ** 40n;
const HARDFORKS = ["osaka", "cancun"] as const;
const GOVERNANCE = {
  votingDelay: 1,
  votingPeriod: 3_600,
  lateQuorumExtension: 60,
  quorumPercent: 50,
  timelockDelay: 60,
};
const BALLOT = {
  Ballot: [
    { name: "proposalId", type: "uint256" },
    { name: "support", type: "uint8" },
    { name: "voter", type: "address" },
    { name: "nonce", type: "uint256" },
  ],
};
const SET_CONSENT = {
  SetConsent: [
    { name: "member", type: "address" },
    { name: "mask", type: "uint256" },
    { name: "signedAt", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

interface Row {
  action: string;
  wallet: number | null;
  passkey: number;
}

/** Whether 0x100 verifies a valid P-256 signature (EIP-7951 / RIP-7212 return 1 as a 32-byte word). */
async function hasPrecompile(provider: {
  call(tx: { to: string; data: string }): Promise<string>;
}) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const message = Buffer.from("probe");
  const jwk = publicKey.export({ format: "jwk" });
  const sig = sign("sha256", message, { key: privateKey, dsaEncoding: "ieee-p1363" });
  const input = Buffer.concat([
    createHash("sha256").update(message).digest(),
    sig,
    Buffer.from(jwk.x!, "base64url"),
    Buffer.from(jwk.y!, "base64url"),
  ]);
  const out = await provider.call({
    to: "0x" + "00".repeat(18) + "0100",
    data: "0x" + input.toString("hex"),
  });
  return BigInt(out === "0x" ? 0 : out) === 1n;
}

async function measure(hardfork: (typeof HARDFORKS)[number]) {
  const { ethers, ignition, networkHelpers } = await network.create({ override: { hardfork } });
  const signers = await ethers.getSigners();
  const [deployer, relayer, partner] = signers;
  const founders = signers.slice(3, 6);
  const deployed = await ignition.deploy(DataCoop, {
    parameters: { Governance: { founders: founders.map((f) => f.address), ...GOVERNANCE } },
  });
  const at = async <T extends string>(name: T, key: keyof typeof deployed) =>
    ethers.getContractAt(name, await deployed[key].getAddress());
  const membership = await ethers.getContractAt(
    "Membership",
    await deployed.membership.getAddress(),
  );
  const governor = await ethers.getContractAt("CoopGovernor", await deployed.governor.getAddress());
  const consent = await ethers.getContractAt(
    "ConsentRegistry",
    await deployed.consent.getAddress(),
  );
  const revenue = await ethers.getContractAt("Revenue", await deployed.revenue.getAddress());
  const registry = await ethers.getContractAt(
    "DataAccessRegistry",
    await deployed.registry.getAddress(),
  );
  const factory = await ethers.getContractAt(
    "PasskeyAccountFactory",
    await deployed.accountFactory.getAddress(),
  );
  void at;
  const verifier = await deployed.webAuthnVerifier.getAddress();
  const timelock = await ethers.getImpersonatedSigner(await deployed.timelock.getAddress());
  await networkHelpers.setBalance(timelock.address, 10n ** 20n);

  const passkey = new Passkey();
  const account = await factory.accountAddress(passkey.qx, passkey.qy, 0);
  const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
    Number((await (await tx).wait())!.gasUsed);

  const deployGas = await gasOf(factory.connect(relayer).createAccount(passkey.qx, passkey.qy, 0));
  await membership.connect(timelock).admit(account);
  const wallet = founders[0];

  // A vote each.
  await governor
    .connect(founders[1])
    .propose(
      [await membership.getAddress()],
      [0n],
      [membership.interface.encodeFunctionData("admit", [partner.address])],
      "bench",
    );
  const proposalId = await governor.getProposalId(
    [await membership.getAddress()],
    [0n],
    [membership.interface.encodeFunctionData("admit", [partner.address])],
    ethers.id("bench"),
  );
  await networkHelpers.time.increase(GOVERNANCE.votingDelay + 1);
  const [, name, version, chainId, verifyingContract] = await governor.eip712Domain();
  const governorDomain = { name, version, chainId, verifyingContract };
  const ballot = (voter: string) => ({ proposalId, support: 1, voter, nonce: 0n });
  const walletVote = await gasOf(
    governor
      .connect(relayer)
      .castVoteBySig(
        proposalId,
        1,
        wallet.address,
        await wallet.signTypedData(governorDomain, BALLOT, ballot(wallet.address)),
      ),
  );
  const passkeyVote = await gasOf(
    governor
      .connect(relayer)
      .castVoteBySig(
        proposalId,
        1,
        account,
        passkey.signature(
          verifier,
          ethers.TypedDataEncoder.hash(governorDomain, BALLOT, ballot(account)),
        ),
      ),
  );

  // A consent change each (the member's first, so both write a warm slot).
  const consentDomain = {
    name: "DataCoop Consent",
    version: "1",
    chainId,
    verifyingContract: await consent.getAddress(),
  };
  const signedAt = await networkHelpers.time.latest();
  const decision = (member: string) => ({ member, mask: 0b11n, signedAt, deadline: FAR });
  const walletConsent = await gasOf(
    consent
      .connect(relayer)
      .setConsentBySig(
        wallet.address,
        0b11n,
        signedAt,
        FAR,
        await wallet.signTypedData(consentDomain, SET_CONSENT, decision(wallet.address)),
      ),
  );
  const passkeyConsent = await gasOf(
    consent
      .connect(relayer)
      .setConsentBySig(
        account,
        0b11n,
        signedAt,
        FAR,
        passkey.signature(
          verifier,
          ethers.TypedDataEncoder.hash(consentDomain, SET_CONSENT, decision(account)),
        ),
      ),
  );

  // A claim each: paid to the EOA, and to the account (a call into the clone's receive()).
  await registry
    .connect(timelock)
    .registerDataset("Harvests", "ipfs://schema", ethers.id("schema"), ["region"]);
  await registry
    .connect(partner)
    .requestAccess(
      1,
      0,
      { fieldMask: 1n, rowLevel: false, minCohort: 2, exactTabulations: ethers.ZeroHash },
      30 * 86_400,
      "ipfs://terms",
      "Bench partner",
      { value: 10n ** 18n },
    );
  const { termsHash } = await registry.request(1);
  await registry.connect(timelock).approve(1, termsHash);
  const walletClaim = await gasOf(
    revenue.connect(relayer)["claim(uint256,address)"](1, wallet.address),
  );
  const passkeyClaim = await gasOf(revenue.connect(relayer)["claim(uint256,address)"](1, account));
  void deployer;

  const rows: Row[] = [
    { action: "castVoteBySig", wallet: walletVote, passkey: passkeyVote },
    { action: "setConsentBySig", wallet: walletConsent, passkey: passkeyConsent },
    { action: "claim (equal split)", wallet: walletClaim, passkey: passkeyClaim },
    { action: "deploy the account (once)", wallet: null, passkey: deployGas },
  ];
  return { hardfork, precompile: await hasPrecompile(ethers.provider), rows };
}

const results = [];
for (const hardfork of HARDFORKS) results.push(await measure(hardfork));

const fmt = (n: number | null) => (n === null ? "—" : n.toLocaleString("en-US"));
const lines = [
  "#### Passkey members (gas, paid by the relayer)",
  "",
  "| action | wallet member | passkey, P-256 precompile | passkey, Solidity fallback |",
  "| --- | ---: | ---: | ---: |",
];
const [withPrecompile, fallback] = results;
for (let i = 0; i < withPrecompile.rows.length; ++i) {
  const row = withPrecompile.rows[i];
  lines.push(
    `| ${row.action} | ${fmt(row.wallet)} | ${fmt(row.passkey)} | ${fmt(fallback.rows[i].passkey)} |`,
  );
}
lines.push(
  "",
  `Hardhat EDR at hardfork "${withPrecompile.hardfork}" (0x100 answers: ${withPrecompile.precompile}) and ` +
    `"${fallback.hardfork}" (0x100 answers: ${fallback.precompile}); \`npm run bench:gas\`, bench/passkeyGas.ts.`,
);
const markdown = lines.join("\n");
const outDir = path.resolve(import.meta.dirname, "results");
await mkdir(outDir, { recursive: true });
await writeFile(path.join(outDir, "passkey-gas.json"), JSON.stringify(results, null, 2) + "\n");
await writeFile(path.join(outDir, "passkey-gas.md"), markdown + "\n");
await updateReadmeSection("passkey-gas", markdown);
console.log(markdown);
