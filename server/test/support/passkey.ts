/**
 * A phone's passkey in software, for the server's tests of passkey accounts: a P-256 key (node:crypto) and
 * the WebAuthn assertion layout (authenticatorData with user present and verified, clientDataJSON with the
 * challenge in base64url), encoded as the co-op's PasskeyAccount checks it (OpenZeppelin's
 * MultiSignerERC7913 over the ERC-7913 WebAuthn verifier; see /work/coord/P-interface.md and web/src/lib/passkey.ts):
 *
 *   abi.encode(bytes[] [verifier ‖ qx ‖ qy], bytes[] [abi.encode(r, s, challengeIndex, typeIndex,
 *              authenticatorData, clientDataJSON)])
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import {
  concat,
  encodeAbiParameters,
  encodeFunctionData,
  serializeErc6492Signature,
  stringToBytes,
  toHex,
  type Address,
  type Hex,
  type PublicClient,
} from "viem";
import { accountFactoryAbi } from "@datacoop/protocol/abis.generated";

const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function sha256(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

export interface SoftwarePasskey {
  qx: Hex;
  qy: Hex;
  /** The account's ERC-7913 signer key: verifier ‖ qx ‖ qy. */
  key: Hex;
  /** The account's signature of a 32-byte hash (the WebAuthn challenge). */
  sign(hash: Hex): Hex;
  /** The account's counterfactual address (salt 0). */
  address(): Promise<Address>;
  /** The factory call that deploys the account. */
  createCalldata: Hex;
  /** A signature wrapped for the account before it is deployed (ERC-6492). */
  wrap(signature: Hex): Hex;
}

export function encodeAuth(
  r: bigint,
  s: bigint,
  authenticatorData: Uint8Array,
  clientDataJSON: string,
): Hex {
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
      toHex(r, { size: 32 }),
      toHex(s, { size: 32 }),
      BigInt(clientDataJSON.indexOf('"challenge":')),
      BigInt(clientDataJSON.indexOf('"type":')),
      toHex(authenticatorData),
      clientDataJSON,
    ],
  );
}

export function accountSignature(key: Hex, auth: Hex): Hex {
  return encodeAbiParameters([{ type: "bytes[]" }, { type: "bytes[]" }], [[key], [auth]]);
}

/** An assertion of `hash` by `privateKey`, as an authenticator makes it (flags: user present and verified). */
export function assert(privateKey: KeyObject, hash: Hex, flags = 0x05): Hex {
  const authenticatorData = concat([
    sha256(stringToBytes("localhost")),
    new Uint8Array([flags]),
    new Uint8Array([0, 0, 0, 1]),
  ]);
  const clientDataJSON = JSON.stringify({
    type: "webauthn.get",
    challenge: Buffer.from(hash.slice(2), "hex").toString("base64url"),
    origin: "http://localhost:5173",
    crossOrigin: false,
  });
  const digest = concat([authenticatorData, sha256(stringToBytes(clientDataJSON))]);
  const raw = sign("sha256", digest, { key: privateKey, dsaEncoding: "ieee-p1363" });
  const r = BigInt(`0x${raw.subarray(0, 32).toString("hex")}`);
  let s = BigInt(`0x${raw.subarray(32).toString("hex")}`);
  if (s > N / 2n) s = N - s;
  return encodeAuth(r, s, authenticatorData, clientDataJSON);
}

export function softwarePasskey(
  client: PublicClient,
  contracts: { accountFactory: Address; webAuthnVerifier: Address },
): SoftwarePasskey & { privateKey: KeyObject } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = publicKey.export({ format: "jwk" });
  const qx = toHex(Buffer.from(jwk.x!, "base64url"));
  const qy = toHex(Buffer.from(jwk.y!, "base64url"));
  const key = concat([contracts.webAuthnVerifier, qx, qy]);
  const createCalldata = encodeFunctionData({
    abi: accountFactoryAbi,
    functionName: "createAccount",
    args: [qx, qy, 0n],
  });
  return {
    privateKey,
    qx,
    qy,
    key,
    createCalldata,
    sign: (hash) => accountSignature(key, assert(privateKey, hash)),
    address: () =>
      client.readContract({
        address: contracts.accountFactory,
        abi: accountFactoryAbi,
        functionName: "accountAddress",
        args: [qx, qy, 0n],
      }),
    wrap: (signature) =>
      serializeErc6492Signature({
        address: contracts.accountFactory,
        data: createCalldata,
        signature,
      }),
  };
}
