import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import {
  authenticate,
  issueNonce,
  signIn,
  signOut,
  type SiweConfig,
} from "../../../src/gateway/auth/memberAuth.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { stores } from "../../support/stores.ts";

const config: SiweConfig = { domain: "coop.example", uri: "https://coop.example", chainId: 31337 };
const account = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey());
/** Standing for everyone: these tests are about the message and the signature. */
const anyone = async () => true;

function refusedWith(code: string) {
  return (e: unknown) => {
    assert.ok(e instanceof GatewayError, String(e));
    assert.equal(e.code, code, e.message);
    return true;
  };
}

for (const store of stores) {
  describe(`member sign-in (${store.name})`, () => {
    let db: Db;
    before(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
    });
    after(async () => db.close());

    async function signed(
      overrides: Partial<Parameters<typeof createSiweMessage>[0]> = {},
      signer = account,
    ) {
      const nonce = overrides.nonce ?? (await issueNonce(db, config));
      const message = createSiweMessage({
        address: account.address,
        chainId: 31337,
        domain: "coop.example",
        uri: "https://coop.example/login",
        version: "1",
        nonce,
        issuedAt: new Date(),
        statement: "Sign in to your data co-op.",
        ...overrides,
      });
      return { message, signature: await signer.signMessage({ message }) };
    }

    it("opens a session for a signed message, once per nonce", async () => {
      const input = await signed();
      const session = await signIn(db, config, input, anyone);
      assert.equal(session.address, account.address);
      assert.equal(await authenticate(db, session.token), account.address);
      await assert.rejects(signIn(db, config, input, anyone), refusedWith("siwe_nonce"));
      await signOut(db, session.token);
      await assert.rejects(authenticate(db, session.token), refusedWith("session_invalid"));
      await assert.rejects(authenticate(db, undefined), refusedWith("session_missing"));
    });

    it("refuses another domain, URI, chain, signer, an unknown nonce, and stale or future messages", async () => {
      await assert.rejects(
        signIn(db, config, await signed({ domain: "evil.example" }), anyone),
        refusedWith("siwe_domain"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ uri: "https://evil.example/login" }), anyone),
        refusedWith("siwe_uri"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ chainId: 1 }), anyone),
        refusedWith("siwe_chain"),
      );
      await assert.rejects(
        signIn(db, config, await signed({}, other), anyone),
        refusedWith("bad_signature"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ nonce: "abcdef0123456789" }), anyone),
        refusedWith("siwe_nonce"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ expirationTime: new Date(Date.now() - 1000) }), anyone),
        refusedWith("siwe_expired"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ notBefore: new Date(Date.now() + 60_000) }), anyone),
        refusedWith("siwe_expired"),
      );
      await assert.rejects(
        signIn(db, config, await signed({ issuedAt: new Date(Date.now() - 3600_000) }), anyone),
        refusedWith("siwe_expired"),
      );
      await assert.rejects(
        signIn(db, config, { message: "hello", signature: "0x00" }, anyone),
        refusedWith("siwe_invalid"),
      );
      await assert.rejects(
        signIn(db, config, { message: "hello", signature: `0x${"11".repeat(65)}` }, anyone),
        refusedWith("siwe_invalid"),
      );
    });

    it("refuses an address without standing with 403 no_standing, writing nothing", async () => {
      const input = await signed();
      const sessions = async () =>
        (await db.query<{ n: string }>("SELECT count(*) AS n FROM gateway_sessions")).rows[0].n;
      const before = await sessions();
      const asked: string[] = [];
      const nobody = async (address: string) => (asked.push(address), false);
      await assert.rejects(signIn(db, config, input, nobody), refusedWith("no_standing"));
      assert.deepEqual(asked, [account.address]);
      assert.equal(await sessions(), before);
      // The nonce was not used up: the same message signs in once the address has standing.
      await signIn(db, config, input, anyone);
    });

    it("expires nonces and sessions", async () => {
      const nonce = await issueNonce(db, config);
      const input = await signed({ nonce });
      await assert.rejects(
        signIn(db, config, input, anyone, new Date(Date.now() + 301_000)),
        refusedWith("siwe_expired"),
      );
      const session = await signIn(db, config, input, anyone);
      await assert.rejects(
        authenticate(db, session.token, new Date(Date.now() + 13 * 3600_000)),
        refusedWith("session_invalid"),
      );
      // A message's own expiration time caps the session.
      const short = await signIn(
        db,
        config,
        await signed({ expirationTime: new Date(Date.now() + 60_000) }),
        anyone,
      );
      assert.ok(short.expiresAt.getTime() <= Date.now() + 60_000);
    });
  });
}
