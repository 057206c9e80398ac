import {
  encodeAbiParameters,
  encodePacked,
  hashStruct,
  hashTypedData,
  keccak256,
  parseAbiParameters,
  recoverTypedDataAddress,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { typedDataOf } from "@datacoop/protocol/typedData";
import { en, enPurposes } from "../src/i18n/en.ts";
import { es } from "../src/i18n/es.ts";
import { translate } from "../src/i18n/i18n.tsx";
import { GatewayError } from "../src/lib/gateway.ts";
import {
  ballotTypedData,
  canProposeBySig,
  claimRequestBody,
  consentRequestBody,
  consentTypedData,
  extendedBallotTypedData,
  grantChoiceRequestBody,
  grantChoiceTypedData,
  proposalRequestBody,
  proposeTypedData,
  relayerAccepts,
  relayerUrl,
  relayFailure,
  relayRefusal,
  SIGNATURE_VALID_SECONDS,
  signatureDeadline,
  voteRequestBody,
} from "../src/lib/relayer.ts";
import { ballotFields, consentFields, grantChoiceFields } from "../src/lib/signedMessage.ts";

const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
const domain = {
  name: "Valley Growers Data Co-op",
  version: "1",
  chainId: 31337,
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
} as const;
const consentDomain = {
  name: "DataCoop Consent",
  version: "1",
  chainId: 31337,
  verifyingContract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
} as const;
const ballot = { proposalId: 12345678901234567890n, support: 1, voter: account.address, nonce: 0n };
// When the member decided, on the chain's clock.
const signedAt = 1_799_996_400n;
const consent = { member: account.address, mask: 0b101n, signedAt, deadline: 1_800_000_000n };
const optOut = { ...consent, grantId: 4n, choice: 2 as const };
// The relayer's typed data is a union over its request kinds: hashed and recovered as plain typed data.
const asTyped = (td: unknown) => td as Parameters<typeof hashTypedData>[0];
const typeString = (fields: readonly { name: string; type: string }[]) =>
  fields.map((f) => `${f.type} ${f.name}`).join(",");
const t = (key: keyof typeof en, vars?: Record<string, string | number | bigint>) =>
  translate(en, key, vars);
const purposeEn = (key: keyof typeof enPurposes) => enPurposes[key];

describe("relayer", () => {
  it("lives next to the read API", () => {
    expect(relayerUrl("http://127.0.0.1:8600/api")).toBe("http://127.0.0.1:8600/relayer");
    expect(relayerUrl("https://coop.example/indexer/api/")).toBe(
      "https://coop.example/indexer/relayer",
    );
    expect(relayerUrl("https://coop.example")).toBe("https://coop.example/relayer");
  });

  it("signs the governor's Ballot type, recoverable to the voter", async () => {
    const typed = ballotTypedData(domain, ballot);
    const signature = await account.signTypedData(typed);
    expect(await recoverTypedDataAddress({ ...typed, signature })).toBe(account.address);
    // The type string the governor hashes (OpenZeppelin's BALLOT_TYPEHASH).
    expect(hashTypedData(typed)).not.toBe(
      hashTypedData({ ...typed, message: { ...ballot, support: 0 } }),
    );
    expect(Object.keys(typed.types)).toEqual(["Ballot"]);
    expect(typeString(typed.types.Ballot)).toBe(
      "uint256 proposalId,uint8 support,address voter,uint256 nonce",
    );
  });

  it("signs a ballot with a reason as the governor's ExtendedBallot, exactly as the relayer checks it", async () => {
    const withReason = { ...ballot, reason: "Fair terms, short enough." };
    const typed = extendedBallotTypedData(domain, withReason);
    expect(typeString(typed.types.ExtendedBallot)).toBe(
      "uint256 proposalId,uint8 support,address voter,uint256 nonce,string reason,bytes params",
    );
    const signature = await account.signTypedData(typed);
    const relayed = typedDataOf({ kind: "vote", ...withReason, signature }, domain);
    expect(hashTypedData(typed)).toBe(hashTypedData(asTyped(relayed)));
    expect(await recoverTypedDataAddress({ ...asTyped(relayed), signature })).toBe(account.address);
    // The reason is signed: another reason is another message.
    expect(hashTypedData(extendedBallotTypedData(domain, { ...withReason, reason: "x" }))).not.toBe(
      hashTypedData(typed),
    );
    expect(JSON.parse(voteRequestBody(withReason, signature))).toEqual({
      voter: account.address,
      proposalId: "12345678901234567890",
      support: 1,
      nonce: "0",
      reason: "Fair terms, short enough.",
      signature,
    });
    expect(JSON.parse(voteRequestBody(ballot, signature))).not.toHaveProperty("reason");
  });

  it("signs a standing consent exactly as the relayer and ConsentRegistry check it", async () => {
    const typed = consentTypedData(consentDomain, consent);
    // The contract's _SET_CONSENT_TYPEHASH.
    expect(Object.keys(typed.types)).toEqual(["SetConsent"]);
    expect(typeString(typed.types.SetConsent)).toBe(
      "address member,uint256 mask,uint256 signedAt,uint256 deadline",
    );
    const signature = await account.signTypedData(typed);
    const relayed = typedDataOf({ kind: "consent", ...consent, signature }, consentDomain);
    expect(hashTypedData(typed)).toBe(hashTypedData(asTyped(relayed)));
    expect(await recoverTypedDataAddress({ ...asTyped(relayed), signature })).toBe(account.address);
    // Every signed value counts: another mask, time, deadline or contract is another message.
    for (const other of [
      consentTypedData(consentDomain, { ...consent, mask: 0n }),
      consentTypedData(consentDomain, { ...consent, signedAt: signedAt + 1n }),
      consentTypedData(consentDomain, { ...consent, deadline: consent.deadline + 1n }),
      consentTypedData({ ...consentDomain, verifyingContract: domain.verifyingContract }, consent),
      consentTypedData({ ...consentDomain, chainId: 1 }, consent),
    ])
      expect(hashTypedData(other)).not.toBe(hashTypedData(typed));
  });

  it("signs a grant choice exactly as the relayer and ConsentRegistry check it", async () => {
    const typed = grantChoiceTypedData(consentDomain, optOut);
    expect(typeString(typed.types.SetGrantChoice)).toBe(
      "address member,uint256 grantId,uint8 choice,uint256 signedAt,uint256 deadline",
    );
    const signature = await account.signTypedData(typed);
    const relayed = typedDataOf({ kind: "grantChoice", ...optOut, signature }, consentDomain);
    expect(hashTypedData(typed)).toBe(hashTypedData(asTyped(relayed)));
    expect(hashTypedData(grantChoiceTypedData(consentDomain, { ...optOut, choice: 0 }))).not.toBe(
      hashTypedData(typed),
    );
  });

  it("sends big integers as decimal strings", () => {
    expect(JSON.parse(voteRequestBody(ballot, "0xabcd"))).toEqual({
      voter: account.address,
      proposalId: "12345678901234567890",
      support: 1,
      nonce: "0",
      signature: "0xabcd",
    });
    expect(JSON.parse(consentRequestBody(consent, "0xabcd"))).toEqual({
      member: account.address,
      mask: "5",
      signedAt: signedAt.toString(),
      deadline: "1800000000",
      signature: "0xabcd",
    });
    expect(JSON.parse(grantChoiceRequestBody(optOut, "0xabcd"))).toEqual({
      member: account.address,
      grantId: "4",
      choice: 2,
      signedAt: signedAt.toString(),
      deadline: "1800000000",
      signature: "0xabcd",
    });
  });

  it("gives a consent signature an hour from the later of the chain's clock and the wall clock", () => {
    const wallMs = 1_700_000_000_500;
    expect(signatureDeadline(1_600_000_000n, wallMs)).toBe(
      1_700_000_000n + BigInt(SIGNATURE_VALID_SECONDS),
    );
    // A local chain moved forward by weeks: its clock decides.
    expect(signatureDeadline(1_702_592_000n, wallMs)).toBe(
      1_702_592_000n + BigInt(SIGNATURE_VALID_SECONDS),
    );
  });

  it("reads the relayer's refusals and failures with the contract's error", () => {
    expect(
      relayRefusal(
        new GatewayError(422, "would_revert", "The call would revert.", {
          error: "ConsentRegistryInvalidMask",
          args: ["256"],
        }),
      ),
    ).toEqual({
      kind: "reverted",
      message: "The call would revert. (would_revert)",
      code: "would_revert",
      service: "relayer",
      customError: "ConsentRegistryInvalidMask(256)",
      errorName: "ConsentRegistryInvalidMask",
    });
    expect(relayRefusal(new GatewayError(403, "not_member", "Not a member."))).toEqual({
      kind: "other",
      message: "Not a member. (not_member)",
      code: "not_member",
      service: "relayer",
    });
    expect(relayRefusal(new Error("offline"))).toBeUndefined();
    expect(
      relayFailure({
        id: "r",
        status: "failed",
        txHash: "0x01",
        blockNumber: "9",
        error: {
          code: "reverted",
          message: "The transaction reverted.",
          name: "GovernorAlreadyCastVote",
          args: [account.address],
        },
      }),
    ).toEqual({
      kind: "reverted",
      message: "The transaction reverted.",
      code: "reverted",
      service: "relayer",
      customError: `GovernorAlreadyCastVote(${account.address})`,
      errorName: "GovernorAlreadyCastVote",
    });
    expect(
      relayFailure({
        id: "r",
        status: "failed",
        txHash: null,
        blockNumber: null,
        error: { code: "not_sent", message: "The node refused the transaction." },
      }),
    ).toEqual({
      kind: "other",
      message: "The node refused the transaction.",
      code: "not_sent",
      service: "relayer",
    });
  });
});

describe("what the member reads before signing", () => {
  const signer = (d: typeof domain | typeof consentDomain) => ({
    coop: "Valley Growers",
    domain: d,
    member: "you (member no. 3)",
    me: account.address,
  });

  it("names the co-op, the member, every purpose allowed after the change and how long it holds", () => {
    expect(consentFields(t, purposeEn, signer(consentDomain), 0b101n)).toEqual([
      {
        label: "Signed for",
        value: "Valley Growers",
        exact: `DataCoop Consent ${consentDomain.verifyingContract} (chain 31337)`,
      },
      { label: "Member", value: "you (member no. 3)", exact: account.address },
      {
        label: "Purposes allowed after this change",
        value: `${enPurposes.ACADEMIC_RESEARCH.label}, ${enPurposes.MEMBER_BENCHMARKING.label}`,
      },
      { label: "Good for", value: "one use, within an hour of signing" },
    ]);
    // Withdrawing everything says so, in the member's language.
    const fields = consentFields(
      (key, vars) => translate(es, key, vars),
      purposeEn,
      signer(consentDomain),
      0n,
    );
    expect(fields[2]).toEqual({
      label: "Finalidades permitidas tras este cambio",
      value: "Ninguna",
    });
  });

  it("names the grant and the choice, and the ballot's proposal by its short number, vote and reason", () => {
    expect(grantChoiceFields(t, signer(consentDomain), 4n, 2).slice(2, 4)).toEqual([
      { label: "Grant", value: "Grant 4" },
      { label: "Choice", value: "You left this grant out." },
    ]);
    expect(
      ballotFields(t, signer(domain), { id: 12345678901234567890n, number: 7 }, "For", "").slice(1),
    ).toEqual([
      { label: "Voter", value: "you (member no. 3)", exact: account.address },
      { label: "Proposal", value: "Proposal 7", exact: "12345678901234567890" },
      { label: "Vote", value: "For" },
    ]);
    const withReason = ballotFields(
      t,
      signer(domain),
      { id: 5n, number: undefined },
      "Against",
      "Too long",
    );
    expect(withReason.slice(2)).toEqual([
      { label: "Proposal", value: "A proposal", exact: "5" },
      { label: "Vote", value: "Against" },
      { label: "Reason", value: "Too long" },
    ]);
  });
});

describe("requests the contracts' stage 1 adds: proposals by signature and collected fees", () => {
  it("switches each relayed action on only when the relayer lists it", () => {
    expect(relayerAccepts(undefined, "votes")).toBe(false);
    // A relayer that lists nothing takes the three requests every relayer has.
    expect(relayerAccepts({}, "votes")).toBe(true);
    expect(relayerAccepts({}, "grant-choices")).toBe(true);
    expect(relayerAccepts({}, "claims")).toBe(false);
    expect(relayerAccepts({}, "proposals")).toBe(false);
    expect(relayerAccepts({ accepts: ["votes", "claims"] }, "claims")).toBe(true);
    expect(relayerAccepts({ accepts: ["votes", "claims"] }, "consents")).toBe(false);
    expect(canProposeBySig([{ type: "function", name: "propose" }])).toBe(false);
    expect(canProposeBySig([{ type: "function", name: "proposeBySig" }])).toBe(true);
    expect(canProposeBySig([{ type: "event", name: "proposeBySig" }])).toBe(false);
  });

  it("signs a proposal as the governor's Propose struct hashes it, recoverable to the proposer", async () => {
    const proposal = {
      proposer: account.address,
      targets: [domain.verifyingContract, consentDomain.verifyingContract],
      values: [0n, 5n],
      calldatas: ["0x1234", "0x"] as `0x${string}`[],
      description: "# Admit Ana\n\nShe farms maize.",
      deadline: 1_800_000_000n,
    };
    const typed = proposeTypedData(domain, proposal);
    // CoopGovernor._proposeStructHash: arrays packed and hashed, each calldata by its keccak256.
    const typeHash = keccak256(
      toHex(
        "Propose(address proposer,address[] targets,uint256[] values,bytes[] calldatas,string description,uint256 deadline)",
      ),
    );
    const structHash = keccak256(
      encodeAbiParameters(
        parseAbiParameters("bytes32, address, bytes32, bytes32, bytes32, bytes32, uint256"),
        [
          typeHash,
          proposal.proposer,
          keccak256(encodePacked(["address[]"], [proposal.targets])),
          keccak256(encodePacked(["uint256[]"], [proposal.values])),
          keccak256(encodePacked(["bytes32[]"], [proposal.calldatas.map((c) => keccak256(c))])),
          keccak256(toHex(proposal.description)),
          proposal.deadline,
        ],
      ),
    );
    expect(hashStruct({ data: proposal, primaryType: "Propose", types: typed.types })).toBe(
      structHash,
    );
    const signature = await account.signTypedData(typed);
    expect(await recoverTypedDataAddress({ ...typed, signature })).toBe(account.address);
    expect(JSON.parse(proposalRequestBody(proposal, signature))).toEqual({
      proposer: account.address,
      targets: proposal.targets,
      values: ["0", "5"],
      calldatas: ["0x1234", "0x"],
      description: proposal.description,
      deadline: "1800000000",
      signature,
    });
  });

  it("asks the relayer to collect one share or several, by use with the amount and proof", () => {
    expect(
      JSON.parse(
        claimRequestBody(account.address, [
          { grantId: 1n },
          { grantId: 3n, amount: 225n * 10n ** 14n, proof: [`0x${"ab".repeat(32)}`] },
        ]),
      ),
    ).toEqual({
      member: account.address,
      claims: [
        { grantId: "1" },
        { grantId: "3", amount: "22500000000000000", proof: [`0x${"ab".repeat(32)}`] },
      ],
    });
  });
});
