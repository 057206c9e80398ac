/**
 * Partners' signatures: the fast recovery by libsecp256k1 against viem's, on many keys and messages, and
 * the general path (viem) it falls back to for every other form of signature.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  getAddress,
  hashTypedData,
  keccak256,
  parseSignature,
  recoverTypedDataAddress,
  serializeCompactSignature,
  serializeSignature,
  signatureToCompactSignature,
  toHex,
  verifyTypedData,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { GatewayError } from "@datacoop/protocol/errors";
import {
  checkGatewaySignature,
  queryRequestDigest,
  recoverSigner,
} from "../../../src/gateway/auth/partnerAuth.ts";
import { gatewayDomain, queryRequestTypes } from "@datacoop/protocol/typedData";

const CASES = 200;
/** The secp256k1 group order. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** Deterministic "random" 32-byte values, so a failure can be replayed. */
const bytes32 = (label: string, i: number): Hex => keccak256(toHex(`${label} ${i}`));
const uint = (label: string, i: number, bits: bigint) =>
  BigInt(bytes32(label, i)) & ((1n << bits) - 1n);

function typedFor(i: number) {
  return {
    domain: gatewayDomain({
      chainId: Number(uint("chain", i, 31n)) + 1,
      registry: getAddress(`0x${bytes32("registry", i).slice(26)}`),
    }),
    types: queryRequestTypes,
    primaryType: "QueryRequest" as const,
    message: {
      grantId: uint("grant", i, 64n),
      datasetId: uint("dataset", i, 32n),
      queryHash: bytes32("query", i),
      nonce: uint("nonce", i, 256n),
      deadline: uint("deadline", i, 40n),
    },
  };
}
type Typed = ReturnType<typeof typedFor>;

async function signed(i: number) {
  const account = privateKeyToAccount(bytes32("key", i));
  const typed = typedFor(i);
  return { account, typed, signature: await account.signTypedData(typed) };
}

/** The same signature with v as 0/1 instead of 27/28. */
function withParity(signature: Hex): Hex {
  const v = parseInt(signature.slice(130), 16);
  assert.ok(v === 27 || v === 28, `v is ${v}`);
  return `${signature.slice(0, 130)}0${v - 27}` as Hex;
}

/** The malleable twin: (r, n − s) with the other recovery bit, valid for the same key and digest. */
function highSTwin(signature: Hex): Hex {
  const { r, s, yParity } = parseSignature(signature);
  return serializeSignature({
    r,
    s: toHex(N - BigInt(s), { size: 32 }),
    yParity: yParity === 0 ? 1 : 0,
  });
}

async function check(typed: Typed, address: Address, signature: Hex): Promise<void> {
  await checkGatewaySignature({ ...typed, address, signature }, "this request");
}

const highS = (e: unknown) =>
  e instanceof GatewayError && e.status === 401 && e.code === "signature_high_s";
const badSignature = (e: unknown) =>
  e instanceof GatewayError && e.status === 401 && e.code === "bad_signature";

describe("partners' signatures", () => {
  it(`recovers exactly the address viem recovers, for ${CASES} keys and messages, v as 27/28 or 0/1`, async () => {
    for (let i = 0; i < CASES; i++) {
      const { account, typed, signature } = await signed(i);
      const digest = hashTypedData(typed);
      const viaViem = await recoverTypedDataAddress({ ...typed, signature });
      assert.equal(viaViem, account.address);
      assert.equal(recoverSigner(digest, signature), account.address.toLowerCase(), `case ${i}`);
      assert.equal(
        recoverSigner(digest, withParity(signature)),
        account.address.toLowerCase(),
        `case ${i}, v as 0/1`,
      );
      // Another message's digest recovers some other address: the same one viem recovers.
      const other = typedFor(i + CASES);
      const otherViaViem = await recoverTypedDataAddress({ ...other, signature });
      assert.notEqual(otherViaViem, account.address);
      assert.equal(recoverSigner(hashTypedData(other), signature), otherViaViem.toLowerCase());
      await check(typed, account.address, signature);
      await check(typed, account.address.toLowerCase() as Address, withParity(signature));
    }
  });

  it("refuses the high-s twin (which viem accepts) with 401 signature_high_s, for any address", async () => {
    for (let i = 0; i < 20; i++) {
      const { account, typed, signature } = await signed(i);
      const digest = hashTypedData(typed);
      for (const twin of [highSTwin(signature), withParity(highSTwin(signature))]) {
        assert.equal(BigInt(`0x${twin.slice(66, 130)}`) > N / 2n, true);
        assert.equal(recoverSigner(digest, twin), undefined);
        // viem (2.57) recovers high-s signatures as they are: the twin is a valid signature by the same
        // key, a second form of one already seen. The gateway refuses it before recovering anything (EIP-2).
        assert.equal(
          await verifyTypedData({ ...typed, address: account.address, signature: twin }),
          true,
        );
        await assert.rejects(check(typed, account.address, twin), highS);
        const stranger = privateKeyToAccount(bytes32("stranger", i)).address;
        await assert.rejects(check(typed, stranger, twin), highS);
      }
      // The low-s original still verifies.
      await check(typed, account.address, signature);
    }
  });

  it("refuses another key's signature, another message, r = 0, s = 0 and garbage with 401 bad_signature", async () => {
    for (let i = 0; i < 20; i++) {
      const { account, typed, signature } = await signed(i);
      const digest = hashTypedData(typed);
      // Signed by another key.
      const { signature: byOther } = await signed(i + CASES);
      const otherKey = privateKeyToAccount(bytes32("key", i + CASES));
      const forgery = await otherKey.signTypedData(typed);
      assert.equal(recoverSigner(digest, forgery), otherKey.address.toLowerCase());
      await assert.rejects(check(typed, account.address, forgery), badSignature);
      await assert.rejects(check(typed, account.address, byOther), badSignature);
      // The message changed after signing (so the digest is another one).
      const tampered = { ...typed, message: { ...typed.message, nonce: typed.message.nonce ^ 1n } };
      await assert.rejects(check(tampered, account.address, signature), badSignature);
      // r = 0 is no signature: libsecp256k1 refuses it, and so does the gateway.
      const zeroR = `0x${"00".repeat(32)}${signature.slice(66)}` as Hex;
      assert.equal(recoverSigner(digest, zeroR), null);
      await assert.rejects(check(typed, account.address, zeroR), badSignature);
      // s = 0 goes to viem, which refuses it too.
      const zeroS = `${signature.slice(0, 66)}${"00".repeat(32)}${signature.slice(130)}` as Hex;
      assert.equal(recoverSigner(digest, zeroS), undefined);
      await assert.rejects(check(typed, account.address, zeroS), badSignature);
      // Random bytes, with a valid v (recovered, to some other address or none) and an invalid one (viem).
      // (s below n/2, so that libsecp256k1 takes them.)
      const garbage = `${bytes32("garbage r", i)}3${bytes32("garbage s", i).slice(3)}`;
      for (const v of ["1b", "1c", "00", "01"]) {
        const g = `${garbage}${v}` as Hex;
        const fast = recoverSigner(digest, g);
        assert.ok(fast === null || (fast !== undefined && fast !== account.address.toLowerCase()));
        await assert.rejects(check(typed, account.address, g), badSignature);
      }
      for (const v of ["02", "1d", "ff"]) {
        const g = `${garbage}${v}` as Hex;
        assert.equal(recoverSigner(digest, g), undefined);
        await assert.rejects(check(typed, account.address, g), badSignature);
      }
      // Not hex at all.
      await assert.rejects(check(typed, account.address, `0x${"zz".repeat(65)}`), badSignature);
    }
  });

  it("leaves 64-byte signatures (130 hex characters) to viem, and answers as viem does", async () => {
    for (let i = 0; i < 10; i++) {
      const { account, typed, signature } = await signed(i);
      const compact = serializeCompactSignature(
        signatureToCompactSignature(parseSignature(signature)),
      );
      assert.equal(compact.length, 130);
      assert.equal(recoverSigner(hashTypedData(typed), compact), undefined);
      const viemAccepts = await verifyTypedData({
        ...typed,
        address: account.address,
        signature: compact,
      }).catch(() => false);
      // viem (2.57) refuses a 64-byte signature ("invalid signature length"), so the gateway does too,
      // although the request envelope admits 130 hex characters.
      assert.equal(viemAccepts, false);
      await assert.rejects(check(typed, account.address, compact), badSignature);
    }
  });
});

describe("a query request's digest", () => {
  it("is viem's hashTypedData for many domains and messages, the largest values included", () => {
    for (let i = 0; i < CASES; i++) {
      const typed = typedFor(i);
      const config = { chainId: typed.domain.chainId, registry: typed.domain.verifyingContract };
      assert.equal(queryRequestDigest(config, typed.message), hashTypedData(typed), `case ${i}`);
    }
    const max = (1n << 256n) - 1n;
    const typed = typedFor(0);
    const message = {
      grantId: max,
      datasetId: 0n,
      queryHash: typed.message.queryHash,
      nonce: max,
      deadline: max,
    };
    const config = { chainId: typed.domain.chainId, registry: typed.domain.verifyingContract };
    assert.equal(queryRequestDigest(config, message), hashTypedData({ ...typed, message }));
  });

  it("is left to the general path for a value outside uint256 or a malformed query hash", () => {
    const typed = typedFor(1);
    const config = { chainId: typed.domain.chainId, registry: typed.domain.verifyingContract };
    assert.equal(queryRequestDigest(config, { ...typed.message, nonce: 1n << 256n }), undefined);
    assert.equal(queryRequestDigest(config, { ...typed.message, grantId: -1n }), undefined);
    assert.equal(queryRequestDigest(config, { ...typed.message, queryHash: "0x1234" }), undefined);
  });
});
