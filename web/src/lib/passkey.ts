/**
 * A member's passkey: the phone's fingerprint or PIN in place of a wallet app. The passkey is a P-256 key
 * the phone keeps (WebAuthn, with the co-op's site as relying party and user verification required); the
 * member's account is a contract that checks its assertions (OpenZeppelin's SignerWebAuthn), so signing
 * means asking the phone to sign a 32-byte challenge — the hash of what the member approves — and sending
 * the assertion encoded as `WebAuthn.sol` decodes it:
 *
 *   abi.encode(bytes32 r, bytes32 s, uint256 challengeIndex, uint256 typeIndex,
 *              bytes authenticatorData, string clientDataJSON)
 *
 * (the fields of `WebAuthn.WebAuthnAuth` laid out at the signature's start, as `tryDecodeAuth` reads them;
 * s is the low one, as P256.sol requires). viem's WebAuthn account does the ceremony (ox normalises s).
 * The co-op's PasskeyAccount holds its passkeys as ERC-7913 signers (OpenZeppelin's MultiSignerERC7913),
 * so the account's signature names the passkey that signed:
 *
 *   abi.encode(bytes[] [webAuthnVerifier ‖ x ‖ y], bytes[] [the assertion above])
 *
 * Before the account is deployed, the relayer or the gateway receives it wrapped for ERC-6492 with the
 * factory's `createAccount(x, y, 0)` call ({@link wrapForUndeployed}).
 *
 * What is kept on the phone (localStorage): the credential id and the public key. Neither is a secret — the
 * private key never leaves the authenticator.
 */
import {
  concat,
  encodeAbiParameters,
  encodeFunctionData,
  hashMessage,
  hashTypedData,
  serializeErc6492Signature,
  size,
  slice,
  type Address,
  type Hex,
} from "viem";
import { accountFactoryAbi } from "@datacoop/protocol/abis.generated";
import {
  createWebAuthnCredential,
  toWebAuthnAccount,
  type WebAuthnAccount,
} from "viem/account-abstraction";
import type * as WebAuthnP256 from "ox/WebAuthnP256";

/** What the phone remembers of its passkey. */
export interface StoredPasskey {
  /** The credential id (base64url), to ask the authenticator for this passkey. */
  id: string;
  /** The public key, 64 bytes x ‖ y. */
  publicKey: Hex;
}

const STORAGE_KEY = "datacoop.passkey";

export function savedPasskey(
  storage: Pick<Storage, "getItem"> = localStorage,
): StoredPasskey | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<StoredPasskey>;
    if (typeof parsed.id !== "string" || typeof parsed.publicKey !== "string") return null;
    if (!/^0x[0-9a-fA-F]{128}$/.test(parsed.publicKey)) return null;
    return { id: parsed.id, publicKey: parsed.publicKey };
  } catch {
    return null;
  }
}

export function savePasskey(
  passkey: StoredPasskey,
  storage: Pick<Storage, "setItem"> = localStorage,
): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(passkey));
}

export function forgetPasskey(storage: Pick<Storage, "removeItem"> = localStorage): void {
  storage.removeItem(STORAGE_KEY);
}

/** The public key's coordinates, as the account's signer stores them. */
export function publicKeyXY(publicKey: Hex): { x: Hex; y: Hex } {
  if (size(publicKey) !== 64) throw new Error("A P-256 public key is 64 bytes, x ‖ y.");
  return { x: slice(publicKey, 0, 32), y: slice(publicKey, 32, 64) };
}

/**
 * Creates a passkey on this phone for the co-op's site (the relying party is the page's host: the phone
 * offers it only there). Resident key and user verification required: the phone asks for the
 * fingerprint or PIN.
 */
export async function createPasskey(options: {
  /** The name the phone shows for the passkey, e.g. "DataCoop — Amina". */
  name: string;
  /** The co-op's name, shown by the phone. */
  coopName: string;
  rpId?: string;
  createFn?: WebAuthnP256.createCredential.Options["createFn"];
}): Promise<StoredPasskey> {
  const rpId = options.rpId ?? window.location.hostname;
  const credential = await createWebAuthnCredential({
    name: options.name,
    rp: { id: rpId, name: options.coopName },
    authenticatorSelection: {
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "required",
    },
    createFn: options.createFn,
  });
  return { id: credential.id, publicKey: credential.publicKey };
}

/** An assertion as viem's WebAuthn account returns it. */
export interface Assertion {
  /** r ‖ s, 64 bytes, s low. */
  signature: Hex;
  webauthn: {
    authenticatorData: Hex;
    clientDataJSON: string;
    /** Where `"challenge":` and `"type":` start in clientDataJSON (found in it when absent). */
    challengeIndex?: number | undefined;
    typeIndex?: number | undefined;
  };
}

/** The assertion in OpenZeppelin's `WebAuthn.WebAuthnAuth` encoding: the account's signature bytes. */
export function encodeAssertion(assertion: Assertion): Hex {
  const { signature, webauthn } = assertion;
  if (size(signature) !== 64) throw new Error("A P-256 signature is 64 bytes, r ‖ s.");
  const challengeIndex = webauthn.challengeIndex ?? webauthn.clientDataJSON.indexOf('"challenge":');
  const typeIndex = webauthn.typeIndex ?? webauthn.clientDataJSON.indexOf('"type":');
  if (challengeIndex < 0 || typeIndex < 0)
    throw new Error("The client data lacks its type or challenge.");
  return encodeAbiParameters(
    [
      { type: "bytes32" },
      { type: "bytes32" },
      { type: "uint256" },
      { type: "uint256" },
      { type: "bytes" },
      { type: "string" },
    ],
    [
      slice(signature, 0, 32),
      slice(signature, 32, 64),
      BigInt(challengeIndex),
      BigInt(typeIndex),
      webauthn.authenticatorData,
      webauthn.clientDataJSON,
    ],
  );
}

/** The passkey as the account's ERC-7913 signer: the verifier's address ‖ x ‖ y (84 bytes). */
export function signerKey(webAuthnVerifier: Address, publicKey: Hex): Hex {
  const { x, y } = publicKeyXY(publicKey);
  return concat([webAuthnVerifier, x, y]);
}

/** The account's signature: which of its passkeys signed, and that passkey's assertion. */
export function accountSignature(key: Hex, assertion: Hex): Hex {
  return encodeAbiParameters([{ type: "bytes[]" }, { type: "bytes[]" }], [[key], [assertion]]);
}

/** The factory call that deploys the member's account (salt 0: a member's first account). */
export function createAccountCall(publicKey: Hex): Hex {
  const { x, y } = publicKeyXY(publicKey);
  return encodeFunctionData({
    abi: accountFactoryAbi,
    functionName: "createAccount",
    args: [x, y, 0n],
  });
}

/** A signature of an account not deployed yet, wrapped with its deployment (ERC-6492). */
export function wrapForUndeployed(accountFactory: Address, publicKey: Hex, signature: Hex): Hex {
  return serializeErc6492Signature({
    address: accountFactory,
    data: createAccountCall(publicKey),
    signature,
  });
}

/** Signs for the member's account: each call asks the phone for the fingerprint or PIN. */
export interface PasskeySigner {
  passkey: StoredPasskey;
  /** The account's signature of a 32-byte hash. */
  signHash(hash: Hex): Promise<Hex>;
  /** Of EIP-191 text (sign-in to the gateway). */
  signMessage(message: string): Promise<Hex>;
  /** Of EIP-712 typed data (ballots, consent, proposals, contributions). */
  signTypedData(typed: Parameters<typeof hashTypedData>[0]): Promise<Hex>;
}

export function passkeySigner(
  passkey: StoredPasskey,
  options: {
    /** The co-op's WebAuthn verifier (deployment.accounts.webAuthnVerifier). */
    webAuthnVerifier: Address;
    rpId?: string;
    getFn?: WebAuthnP256.sign.Options["getFn"];
  },
): PasskeySigner {
  const account: WebAuthnAccount = toWebAuthnAccount({
    credential: passkey,
    rpId: options.rpId,
    getFn: options.getFn,
  });
  const key = signerKey(options.webAuthnVerifier, passkey.publicKey);
  const signHash = async (hash: Hex) =>
    accountSignature(key, encodeAssertion(await account.sign({ hash })));
  return {
    passkey,
    signHash,
    signMessage: (message) => signHash(hashMessage(message)),
    signTypedData: (typed) => signHash(hashTypedData(typed)),
  };
}
