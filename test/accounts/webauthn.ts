/**
 * A passkey in TypeScript, for tests: a P-256 key (node:crypto) that answers WebAuthn `get()` ceremonies with the
 * assertion a phone's authenticator would produce — authenticatorData (rpIdHash ‖ flags ‖ signCount) and
 * clientDataJSON — encoded as PasskeyAccount expects (`abi.encode(bytes[] signers, bytes[] signatures)`, one signer
 * `verifier ‖ qx ‖ qy`, one the WebAuthnAuth fields encoded in place).
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { AbiCoder, concat, getBytes, hexlify, toBeHex } from "ethers";

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const coder = AbiCoder.defaultAbiCoder();
/**
 * WebAuthnAuth's fields, encoded as a parameter list: OpenZeppelin's `WebAuthn.tryDecodeAuth` reads the struct in
 * place (its head at offset 0), i.e. `abi.encode(r, s, challengeIndex, typeIndex, authenticatorData,
 * clientDataJSON)`, without the leading offset word `abi.encode(auth)` would give a dynamic struct.
 */
export const WEBAUTHN_AUTH = ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"];

const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();

export interface AssertionOptions {
  /** Authenticator flags; default UP | UV (0x05). */
  flags?: number;
  rpId?: string;
  /** Signs this challenge instead of the hash asked for. */
  challenge?: string;
  /** Another key signs the assertion (a forgery). */
  signWith?: Passkey;
}

export class Passkey {
  readonly qx: string;
  readonly qy: string;
  private readonly privateKey: KeyObject;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = publicKey.export({ format: "jwk" });
    this.qx = hexlify(Buffer.from(jwk.x!, "base64url"));
    this.qy = hexlify(Buffer.from(jwk.y!, "base64url"));
    this.privateKey = privateKey;
  }

  /** The account's ERC-7913 signer key for this passkey. */
  key(verifier: string): string {
    return concat([verifier, this.qx, this.qy]);
  }

  /** The WebAuthn assertion of `hash` (the challenge), ABI-encoded as a WebAuthnAuth. */
  assert(hash: string, options: AssertionOptions = {}): string {
    const challenge = Buffer.from(getBytes(options.challenge ?? hash)).toString("base64url");
    const clientDataJSON = JSON.stringify({
      type: "webauthn.get",
      challenge,
      origin: "http://localhost:5173",
      crossOrigin: false,
    });
    const authenticatorData = concat([
      sha256(options.rpId ?? "localhost"),
      toBeHex(options.flags ?? 0x05, 1),
      "0x00000001",
    ]);
    const signed = Buffer.concat([getBytes(authenticatorData), sha256(clientDataJSON)]);
    const der = sign("sha256", signed, {
      key: (options.signWith ?? this).privateKey,
      dsaEncoding: "ieee-p1363",
    });
    const r = BigInt(hexlify(der.subarray(0, 32)));
    let s = BigInt(hexlify(der.subarray(32)));
    // OpenZeppelin's P256 accepts low s only (malleability), as a wallet library normalises it.
    if (s > N / 2n) s = N - s;
    return coder.encode(WEBAUTHN_AUTH, [
      toBeHex(r, 32),
      toBeHex(s, 32),
      clientDataJSON.indexOf('"challenge":"'),
      clientDataJSON.indexOf('"type":"webauthn.get"'),
      authenticatorData,
      clientDataJSON,
    ]);
  }

  /** What an account's isValidSignature takes: this passkey's assertion of `hash`. */
  signature(verifier: string, hash: string, options: AssertionOptions = {}): string {
    return coder.encode(
      ["bytes[]", "bytes[]"],
      [[this.key(verifier)], [this.assert(hash, options)]],
    );
  }
}
