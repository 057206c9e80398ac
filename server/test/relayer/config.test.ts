/** The relayer's configuration: where its key comes from, when it is on, and what must be set where. */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  ConfigError,
  LOCAL_RELAYER_BUDGET,
  loadRelayerConfig,
  resolveRelayerKey,
} from "../../src/config.ts";
import { accounts } from "../support/chain.ts";

const rejects = (fn: () => unknown, pattern: RegExp) =>
  assert.rejects(
    async () => fn(),
    (e: Error) => e instanceof ConfigError && pattern.test(e.message),
  );

describe("relayer configuration", () => {
  it("uses Hardhat's test account 19 on the local chain only, with a local budget", async () => {
    const local = await resolveRelayerKey(loadRelayerConfig({}), 31337);
    assert.ok(local);
    assert.equal(local.source, "local test account");
    assert.equal(privateKeyToAccount(local.privateKey).address, accounts[19].address);
    assert.equal(local.budget, LOCAL_RELAYER_BUDGET);
    // Elsewhere, no key means no relayer; RELAYER=on without a key is an error.
    assert.equal(await resolveRelayerKey(loadRelayerConfig({}), 11155111), null);
    await rejects(
      () => resolveRelayerKey(loadRelayerConfig({ RELAYER: "on" }), 11155111),
      /RELAYER=on needs RELAYER_PRIVATE_KEY/,
    );
    assert.equal(await resolveRelayerKey(loadRelayerConfig({ RELAYER: "off" }), 31337), null);
  });

  it("takes the key from RELAYER_PRIVATE_KEY or RELAYER_KEY_FILE, and needs a budget off the local chain", async () => {
    const key = generatePrivateKey();
    await rejects(
      () => resolveRelayerKey(loadRelayerConfig({ RELAYER_PRIVATE_KEY: key }), 11155111),
      /RELAYER_GAS_BUDGET \(wei\) is required/,
    );
    const fromEnv = await resolveRelayerKey(
      loadRelayerConfig({ RELAYER_PRIVATE_KEY: key.slice(2), RELAYER_GAS_BUDGET: "5000" }),
      11155111,
    );
    assert.deepEqual(fromEnv, { privateKey: key, source: "environment", budget: 5000n });

    const dir = await mkdtemp(path.join(os.tmpdir(), "coop-relayer-"));
    try {
      const file = path.join(dir, "relayer.key");
      await writeFile(file, `${key}\n`, { mode: 0o600 });
      const fromFile = await resolveRelayerKey(
        loadRelayerConfig({ RELAYER_KEY_FILE: file, RELAYER_GAS_BUDGET: "7" }),
        1,
      );
      assert.deepEqual(fromFile, { privateKey: key, source: "file", budget: 7n });
      await writeFile(file, "not a key");
      await rejects(
        () => resolveRelayerKey(loadRelayerConfig({ RELAYER_KEY_FILE: file }), 31337),
        /RELAYER_KEY_FILE does not hold/,
      );
      await rejects(
        () => resolveRelayerKey(loadRelayerConfig({ RELAYER_KEY_FILE: path.join(dir, "none") }), 1),
        /Cannot read RELAYER_KEY_FILE/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("refuses bad values without echoing them", () => {
    const secret = "ab".repeat(31);
    assert.throws(
      () => loadRelayerConfig({ RELAYER_PRIVATE_KEY: secret }),
      (e: Error) =>
        e instanceof ConfigError &&
        /RELAYER_PRIVATE_KEY/.test(e.message) &&
        !e.message.includes(secret),
    );
    assert.throws(() => loadRelayerConfig({ RELAYER_GAS_BUDGET: "1e18" }), /RELAYER_GAS_BUDGET/);
    assert.throws(
      () => loadRelayerConfig({ RELAYER_RELAYS_PER_HOUR: "0" }),
      /RELAYER_RELAYS_PER_HOUR/,
    );
    assert.throws(() => loadRelayerConfig({ RELAYER: "maybe" }), /RELAYER/);
    assert.throws(
      () =>
        loadRelayerConfig({ RELAYER_PRIVATE_KEY: generatePrivateKey(), RELAYER_KEY_FILE: "/x" }),
      /not both/,
    );
    const parsed = loadRelayerConfig({
      RELAYER_GAS_BUDGET: "1000000000000000000",
      RELAYER_RELAYS_PER_HOUR: "12",
      RELAYER_BUDGET_PERIOD_HOURS: "720",
      RELAYER_MAX_GAS: "400000",
    });
    assert.equal(parsed.RELAYER_GAS_BUDGET, 10n ** 18n);
    assert.equal(parsed.RELAYER_RELAYS_PER_HOUR, 12);
    assert.equal(parsed.RELAYER_BUDGET_PERIOD_HOURS, 720);
    assert.equal(parsed.RELAYER_MAX_GAS, 400_000);
  });
});
