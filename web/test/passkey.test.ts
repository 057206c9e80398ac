/**
 * The passkey signer's encoding, against a software authenticator (a real P-256 key and the WebAuthn
 * byte layout): what the dApp sends decodes as OpenZeppelin's WebAuthn.WebAuthnAuth and verifies for the
 * passkey's public key and no other; the challenge is the hash the member approves.
 */
import { describe, expect, it } from "vitest";
import { p256 } from "@noble/curves/p256";
import { createHash } from "node:crypto";
import {
  bytesToHex,
  concat,
  decodeAbiParameters,
  hashMessage,
  hexToBytes,
  keccak256,
  stringToBytes,
  toHex,
  type Hex,
} from "viem";
import * as WebAuthnP256 from "ox/WebAuthnP256";
import {
  encodeAssertion,
  passkeySigner,
  publicKeyXY,
  savePasskey,
  savedPasskey,
  signerKey,
  type StoredPasskey,
} from "../src/lib/passkey.ts";

type GetFn = NonNullable<NonNullable<Parameters<typeof passkeySigner>[1]>["getFn"]>;

const N = p256.CURVE.n;
const VERIFIER = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** A phone's authenticator, in software: signs sha256(authenticatorData ‖ sha256(clientDataJSON)). */
function softwareAuthenticator(rpId = "localhost") {
  const secret = p256.utils.randomPrivateKey();
  const publicKey = bytesToHex(p256.getPublicKey(secret, false).slice(1));
  const id = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const seen: { challenge: Uint8Array; userVerification?: string }[] = [];
  const getFn: GetFn = async (options) => {
    const request = options!.publicKey!;
    const challenge = new Uint8Array(request.challenge as unknown as ArrayBuffer);
    seen.push({ challenge, userVerification: request.userVerification });
    const authenticatorData = concat([
      sha256(stringToBytes(rpId)),
      new Uint8Array([0x05]), // user present, user verified
      new Uint8Array([0, 0, 0, 1]),
    ]);
    const clientDataJSON = stringToBytes(
      JSON.stringify({
        type: "webauthn.get",
        challenge: base64url(challenge),
        origin: `http://${rpId}:5173`,
        crossOrigin: false,
      }),
    );
    const digest = sha256(concat([authenticatorData, sha256(clientDataJSON)]));
    // The high-s twin, as some authenticators return it: the signer must send the low one.
    const sig = p256.sign(digest, secret, { lowS: false, prehash: false });
    const highS = sig.s > N / 2n ? sig : new p256.Signature(sig.r, N - sig.s);
    return {
      id,
      type: "public-key",
      rawId: hexToBytes(toHex(id)).buffer,
      response: {
        authenticatorData: authenticatorData.buffer,
        clientDataJSON: clientDataJSON.buffer,
        signature: highS.toDERRawBytes().buffer,
      },
    } as unknown as Credential;
  };
  return { passkey: { id, publicKey }, getFn, seen };
}

function decode(signature: Hex) {
  const [r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON] = decodeAbiParameters(
    [
      { type: "bytes32" },
      { type: "bytes32" },
      { type: "uint256" },
      { type: "uint256" },
      { type: "bytes" },
      { type: "string" },
    ],
    signature,
  );
  return { r, s, challengeIndex, typeIndex, authenticatorData, clientDataJSON };
}

describe("passkey signer", () => {
  it("signs a hash as OpenZeppelin's WebAuthnAuth, low-s, verifiable for its key only", async () => {
    const phone = softwareAuthenticator();
    const signer = passkeySigner(phone.passkey, {
      webAuthnVerifier: VERIFIER,
      rpId: "localhost",
      getFn: phone.getFn,
    });
    const hash = keccak256(stringToBytes("a ballot"));
    const signature = await signer.signHash(hash);
    const [keys, assertions] = decodeAbiParameters(
      [{ type: "bytes[]" }, { type: "bytes[]" }],
      signature,
    );
    expect(keys.map((k) => k.toLowerCase())).toEqual([
      signerKey(VERIFIER, phone.passkey.publicKey).toLowerCase(),
    ]);
    expect(keys[0].toLowerCase()).toBe(
      `${VERIFIER}${phone.passkey.publicKey.slice(2)}`.toLowerCase(),
    );
    const auth = decode(assertions[0]);
    expect(phone.seen[0].userVerification).toBe("required");
    expect(bytesToHex(phone.seen[0].challenge)).toBe(hash);
    expect(BigInt(auth.s) <= N / 2n).toBe(true);
    const json = auth.clientDataJSON;
    expect(json.slice(Number(auth.typeIndex)).startsWith('"type":"webauthn.get"')).toBe(true);
    expect(json.slice(Number(auth.challengeIndex)).startsWith('"challenge":')).toBe(true);
    const metadata = {
      authenticatorData: auth.authenticatorData,
      clientDataJSON: json,
      challengeIndex: Number(auth.challengeIndex),
      typeIndex: Number(auth.typeIndex),
      userVerificationRequired: true,
    };
    const { x, y } = publicKeyXY(phone.passkey.publicKey);
    const publicKey = { prefix: 4, x: BigInt(x), y: BigInt(y) } as const;
    const sig = { r: BigInt(auth.r), s: BigInt(auth.s) };
    expect(WebAuthnP256.verify({ challenge: hash, metadata, publicKey, signature: sig })).toBe(
      true,
    );
    // Another hash, another key: no.
    const other = softwareAuthenticator();
    const { x: ox, y: oy } = publicKeyXY(other.passkey.publicKey);
    expect(
      WebAuthnP256.verify({
        challenge: hash,
        metadata,
        publicKey: { prefix: 4, x: BigInt(ox), y: BigInt(oy) },
        signature: sig,
      }),
    ).toBe(false);
    expect(
      WebAuthnP256.verify({
        challenge: keccak256(stringToBytes("another ballot")),
        metadata,
        publicKey,
        signature: sig,
      }),
    ).toBe(false);
  });

  it("signs sign-in text by its EIP-191 hash", async () => {
    const phone = softwareAuthenticator();
    const signer = passkeySigner(phone.passkey, {
      webAuthnVerifier: VERIFIER,
      rpId: "localhost",
      getFn: phone.getFn,
    });
    await signer.signMessage("Sign in to your data co-op.");
    expect(bytesToHex(phone.seen[0].challenge)).toBe(hashMessage("Sign in to your data co-op."));
  });

  it("refuses a malformed signature and finds missing indices in the client data", () => {
    const webauthn = {
      authenticatorData: "0x00" as Hex,
      clientDataJSON: '{"type":"webauthn.get","challenge":"AA"}',
    };
    expect(() => encodeAssertion({ signature: "0x1234", webauthn })).toThrow();
    const auth = decode(encodeAssertion({ signature: `0x${"11".repeat(64)}`, webauthn }));
    expect(auth.typeIndex).toBe(1n);
    expect(auth.challengeIndex).toBe(23n);
  });

  it("keeps the credential id and public key, and nothing malformed", () => {
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    expect(savedPasskey(storage)).toBeNull();
    const passkey: StoredPasskey = { id: "abc", publicKey: `0x${"ab".repeat(64)}` };
    savePasskey(passkey, storage);
    expect(savedPasskey(storage)).toEqual(passkey);
    items.set("datacoop.passkey", JSON.stringify({ id: "abc", publicKey: "0x12" }));
    expect(savedPasskey(storage)).toBeNull();
  });
});
