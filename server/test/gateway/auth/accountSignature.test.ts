/**
 * Contract accounts (a passkey member's account) sign in to the gateway and sign contributions: ERC-6492
 * while the account is not deployed, ERC-1271 once it is — checked on a real Hardhat node against a real
 * CREATE2 factory. A forged signature, another account's signature and an account's signature without a
 * chain to ask are refused; a wallet's valid signature never reaches the chain.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { hashMessage, type Address, type Hex, type PublicClient } from "viem";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import {
  contributionMessage,
  contributionTypes,
  gatewayDomain,
} from "@datacoop/protocol/typedData";
import { issueNonce, signIn, type SiweConfig } from "../../../src/gateway/auth/memberAuth.ts";
import { verifySignedContribution } from "../../../src/gateway/auth/memberSignature.ts";
import type { AccountChecker } from "../../../src/gateway/auth/accountSignature.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { stores } from "../../support/stores.ts";
import { startChain, type TestChain } from "../../support/chain.ts";
import { deployOwnedAccounts, type OwnedAccounts } from "../../support/ownedAccount.ts";
import { accountSignature, assert as assertion, softwarePasskey } from "../../support/passkey.ts";
import { accountFactoryAbi } from "@datacoop/protocol/abis.generated";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayRoutes } from "../../../src/gateway/serving/routes.ts";
import { consenting, farmChain, requestJson } from "../../support/gatewayRoutes.ts";

const anyone = async () => true;
const owner = privateKeyToAccount(generatePrivateKey());
const intruder = privateKeyToAccount(generatePrivateKey());

function refusedWith(code: string) {
  return (e: unknown) => {
    assert.ok(e instanceof GatewayError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

/** Counts the chain calls a check makes. */
function counting(client: PublicClient) {
  const calls: string[] = [];
  const checker: AccountChecker = {
    getCode: (args) => (calls.push("getCode"), client.getCode(args)),
    verifyHash: (args) => (calls.push("verifyHash"), client.verifyHash(args)),
  };
  return { checker, calls };
}

describe("contract accounts' signatures", () => {
  let chain: TestChain;
  let accounts: OwnedAccounts;
  let config: SiweConfig;
  let domain: { chainId: number; registry: Address };
  before(async () => {
    chain = await startChain();
    accounts = await deployOwnedAccounts(chain.publicClient, chain.wallet(7));
    config = {
      domain: "coop.example",
      uri: "https://coop.example",
      chainId: 31337,
      accounts: chain.publicClient,
    };
    domain = { chainId: 31337, registry: chain.deployment.contracts.registry };
  });
  after(async () => chain?.stop());

  const siwe = (address: Address, nonce: string) =>
    createSiweMessage({
      address,
      chainId: 31337,
      domain: "coop.example",
      uri: "https://coop.example/login",
      version: "1",
      nonce,
      issuedAt: new Date(),
    });
  /** The owner key's signature of the message's hash, as the account's isValidSignature checks it. */
  const ownerSigns = (message: string, key = owner) => key.sign({ hash: hashMessage(message) });

  async function contribution(signer: Address, sign: (hash: Hex) => Promise<Hex>, nonce: bigint) {
    const records = [{ recordId: `r-${nonce}`, values: { crop: "maize" } }];
    const deadline = BigInt(Math.floor(Date.now() / 1000) + 600);
    const { hashTypedData } = await import("viem");
    const hash = hashTypedData({
      domain: gatewayDomain(domain),
      types: contributionTypes,
      primaryType: "Contribution",
      message: contributionMessage({ datasetId: 1n, records, nonce, deadline }),
    });
    return {
      signer,
      records,
      nonce: String(nonce),
      deadline: String(deadline),
      signature: await sign(hash),
    };
  }
  const now = () => BigInt(Math.floor(Date.now() / 1000));

  it("a co-op passkey account signs in and contributes before deployment (ERC-6492) and after (ERC-1271)", async () => {
    const db = await stores[0].open();
    try {
      await migrate(db, gatewayMigrations);
      const contracts = chain.deployment.accounts!;
      const phone = softwarePasskey(chain.publicClient, contracts);
      const address = await phone.address();
      assert.equal(await chain.publicClient.getCode({ address }), undefined);

      const message = siwe(address, await issueNonce(db, config));
      const hash = hashMessage(message);
      // Another phone's assertion under this passkey's key; this passkey's under another's key: refused.
      const thief = softwarePasskey(chain.publicClient, contracts);
      for (const forged of [
        accountSignature(phone.key, assertion(thief.privateKey, hash)),
        thief.sign(hash),
        // The user was not verified (no fingerprint or PIN): the verifier requires it.
        accountSignature(phone.key, assertion(phone.privateKey, hash, 0x01)),
      ]) {
        await assert.rejects(
          signIn(db, config, { message, signature: phone.wrap(forged) }, anyone),
          refusedWith("bad_signature"),
        );
      }
      const session = await signIn(
        db,
        config,
        { message, signature: phone.wrap(phone.sign(hash)) },
        anyone,
      );
      assert.equal(session.address, address);
      const body = await contribution(address, async (h) => phone.wrap(phone.sign(h)), 11n);
      assert.equal(
        (await verifySignedContribution(body, 1n, domain, now(), config.accounts)).signer,
        address,
      );
      assert.equal(await chain.publicClient.getCode({ address }), undefined);

      const wallet = chain.wallet(7);
      await chain.publicClient.waitForTransactionReceipt({
        hash: await wallet.writeContract({
          address: contracts.accountFactory,
          abi: accountFactoryAbi,
          functionName: "createAccount",
          args: [phone.qx, phone.qy, 0n],
        }),
      });
      assert.ok(await chain.publicClient.getCode({ address }));
      const later = siwe(address, await issueNonce(db, config));
      const again = await signIn(
        db,
        config,
        { message: later, signature: phone.sign(hashMessage(later)) },
        anyone,
      );
      assert.equal(again.address, address);
      await assert.rejects(
        signIn(db, config, { message: later, signature: thief.sign(hashMessage(later)) }, anyone),
        refusedWith("bad_signature"),
      );
    } finally {
      await db.close();
    }
  });

  it("signs a passkey member in over HTTP (the route takes a contract account's long signature)", async () => {
    const db = await stores[0].open();
    try {
      await migrate(db, gatewayMigrations);
      const phone = softwarePasskey(chain.publicClient, chain.deployment.accounts!);
      const address = await phone.address();
      const members = farmChain([]);
      members.consent.set(address.toLowerCase(), consenting);
      const app = gatewayRoutes({
        db,
        chain: members,
        keys: randomKeys(),
        domain,
        siwe: config,
      });
      const call = (method: string, path: string, body?: unknown) =>
        requestJson<ReturnType<typeof JSON.parse>>(app, method, path, body, {}, null);
      const { json } = await call("GET", "/auth/nonce");
      const message = siwe(address, json.nonce as string);
      const signature = phone.wrap(phone.sign(hashMessage(message)));
      assert.ok(signature.length > 1000);
      const login = await call("POST", "/auth/login", { message, signature });
      assert.equal(login.status, 200, login.text);
      assert.equal(login.json.address, address);
      const me = await call("GET", "/auth/nonce");
      const forged = await call("POST", "/auth/login", {
        message: siwe(address, me.json.nonce as string),
        signature: phone.wrap(
          softwarePasskey(chain.publicClient, chain.deployment.accounts!).sign(
            hashMessage(message),
          ),
        ),
      });
      assert.deepEqual([forged.status, forged.json.error.code], [401, "bad_signature"]);
    } finally {
      await db.close();
    }
  });

  for (const store of stores) {
    describe(store.name, () => {
      let db: Db;
      const salt: Hex = `0x${store.name === stores[0].name ? "01" : "02"}${"00".repeat(31)}`;
      before(async () => {
        db = await store.open();
        await migrate(db, gatewayMigrations);
      });
      after(async () => db.close());

      it("signs in and contributes before the account is deployed (ERC-6492), then after (ERC-1271)", async () => {
        const address = accounts.addressOf(owner.address, salt);
        assert.equal(await chain.publicClient.getCode({ address }), undefined);

        const message = siwe(address, await issueNonce(db, config));
        const wrapped = accounts.wrap(owner.address, await ownerSigns(message), salt);
        const session = await signIn(db, config, { message, signature: wrapped }, anyone);
        assert.equal(session.address, address);
        // Verifying simulated the deployment; nothing was deployed.
        assert.equal(await chain.publicClient.getCode({ address }), undefined);

        const body = await contribution(
          address,
          async (hash) => accounts.wrap(owner.address, await owner.sign({ hash }), salt),
          1n,
        );
        const signed = await verifySignedContribution(body, 1n, domain, now(), config.accounts);
        assert.equal(signed.signer, address);

        await accounts.deploy(owner.address, salt);
        assert.ok(await chain.publicClient.getCode({ address }));
        const later = siwe(address, await issueNonce(db, config));
        const again = await signIn(
          db,
          config,
          { message: later, signature: await ownerSigns(later) },
          anyone,
        );
        assert.equal(again.address, address);
        const deployed = await contribution(address, (hash) => owner.sign({ hash }), 2n);
        assert.equal(
          (await verifySignedContribution(deployed, 1n, domain, now(), config.accounts)).signer,
          address,
        );
      });

      it("refuses a forged signature, another account's signature, and accounts with no chain to ask", async () => {
        const address = accounts.addressOf(owner.address, `0x${"ab".repeat(32)}`);
        const otherSalt: Hex = `0x${"cd".repeat(32)}`;
        const message = siwe(address, await issueNonce(db, config));
        // Forged: another key signs, wrapped with the real factory call.
        const forged = accounts.wrap(
          owner.address,
          await ownerSigns(message, intruder),
          `0x${"ab".repeat(32)}`,
        );
        await assert.rejects(
          signIn(db, config, { message, signature: forged }, anyone),
          refusedWith("bad_signature"),
        );
        // Another account's (the same owner's other account) signature does not sign for this one.
        const others = accounts.wrap(owner.address, await ownerSigns(message), otherSalt);
        await assert.rejects(
          signIn(db, config, { message, signature: others }, anyone),
          refusedWith("bad_signature"),
        );
        // Without a chain client the gateway accepts wallets only.
        const genuine = accounts.wrap(
          owner.address,
          await ownerSigns(message),
          `0x${"ab".repeat(32)}`,
        );
        await assert.rejects(
          signIn(db, { ...config, accounts: undefined }, { message, signature: genuine }, anyone),
          refusedWith("bad_signature"),
        );
        // The genuine one signs in (the nonce was kept through the refusals).
        assert.equal(
          (await signIn(db, config, { message, signature: genuine }, anyone)).address,
          address,
        );

        const body = await contribution(
          address,
          async (hash) =>
            accounts.wrap(owner.address, await intruder.sign({ hash }), `0x${"ab".repeat(32)}`),
          3n,
        );
        await assert.rejects(
          verifySignedContribution(body, 1n, domain, now(), config.accounts),
          refusedWith("bad_signature"),
        );
      });

      it("checks a wallet's valid signature without asking the chain", async () => {
        const { checker, calls } = counting(chain.publicClient);
        const wallet = privateKeyToAccount(generatePrivateKey());
        const message = siwe(wallet.address, await issueNonce(db, config));
        const signature = await wallet.signMessage({ message });
        await signIn(db, { ...config, accounts: checker }, { message, signature }, anyone);
        const body = await contribution(wallet.address, (hash) => wallet.sign({ hash }), 4n);
        await verifySignedContribution(body, 1n, domain, now(), checker);
        assert.deepEqual(calls, []);
        // A wrong wallet signature costs one eth_getCode, and no validator call.
        const wrong = await contribution(wallet.address, (hash) => intruder.sign({ hash }), 5n);
        await assert.rejects(
          verifySignedContribution(wrong, 1n, domain, now(), checker),
          refusedWith("bad_signature"),
        );
        assert.deepEqual(calls, ["getCode"]);
      });
    });
  }
});
