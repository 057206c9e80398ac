/**
 * The per-member privacy ledger: many grants, partners and queries served by two gateways over one store
 * (two connections to one Postgres server; two gateway objects over one PGlite) never take any member past
 * the co-op's cap; a withdrawal, a resignation, a new period and a lowered cap behave as the gateway's
 * README says.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { getAddress } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { memberCommitment, randomKeys, type GatewayKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import type { ConsentFacts, GrantFacts } from "../../../src/gateway/query/policy.ts";
import { acceptDataset, storeRecords } from "../../../src/gateway/records/records.ts";
import { memberPrivacy, periodStartOf } from "../../../src/gateway/serving/ledger.ts";
import { Gateway, type Served } from "../../../src/gateway/serving/serve.ts";
import { stores } from "../../support/stores.ts";
import { ALL_FIELDS, datasetSchema, farmDocument } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";

const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const CHAIN_ID = 31337;
const NOW = BigInt(Math.floor(Date.now() / 1000));
const MEMBERS = 30;
const CAP = 1_000_000n;
const partners = [1, 2, 3].map((i) => privateKeyToAccount(`0x${String(i).repeat(64)}`));
const member = (i: number) => getAddress(`0x${(0x3000 + i).toString(16).padStart(40, "0")}`);
const REGIONS = ["north", "south", "east", "west"];

function consent(mask: bigint, isMember = true): ConsentFacts {
  return {
    isMember,
    memberSince: isMember ? 1n : null,
    consentMask: mask,
    consentSetAt: 2n,
    grantChoice: "default",
    grantChoiceAt: null,
  };
}

function grantFacts(id: bigint, partner: PrivateKeyAccount, purpose: number): GrantFacts {
  return {
    id,
    grantee: partner.address,
    datasetId: 1n,
    purpose,
    scope: { fields: ALL_FIELDS, rowLevel: false, k: 3 },
    start: NOW - 1000n,
    end: NOW + 10_000_000n,
    approvedAtBlock: 10n,
    revokedAtBlock: null,
  };
}

/** Six grants of three partners over two purposes; members consent to purpose 0, the even ones to 1 too. */
function makeChain(): TestChain {
  const chain = new TestChain({
    latestBlock: 20n,
    latestTime: NOW,
    finalizedBlock: 15n,
    registryPaused: false,
  });
  chain.cap = { epsilonMillionths: CAP, periodSeconds: 365n * 86_400n, since: 0n };
  const plan: [number, number, number][] = [
    [1, 0, 0],
    [2, 0, 0],
    [3, 0, 1],
    [4, 1, 1],
    [5, 1, 0],
    [6, 2, 0],
  ];
  for (const [id, p, purpose] of plan) {
    chain.grants.set(BigInt(id), grantFacts(BigInt(id), partners[p], purpose));
  }
  for (let i = 0; i < MEMBERS; i++) {
    chain.consent.set(member(i).toLowerCase(), consent(i % 2 === 0 ? 0b11n : 0b01n));
  }
  return chain;
}

let nonce = 1n;
async function sign(grant: GrantFacts, partner: PrivateKeyAccount, query: unknown) {
  const p = { grantId: grant.id, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
  const signature = await partner.signTypedData({
    domain: gatewayDomain({ chainId: CHAIN_ID, registry: REGISTRY }),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage(p),
  });
  return {
    signer: partner.address,
    grantId: p.grantId.toString(),
    datasetId: "1",
    query,
    nonce: p.nonce.toString(),
    deadline: p.deadline.toString(),
    signature,
  };
}

/** Each member's total charged in the period, from the store alone, by member number. */
async function totals(db: Db, period: bigint): Promise<Map<number, bigint>> {
  const { rows } = await db.query<{ e: string; bitmap: Uint8Array }>(
    `SELECT c.epsilon_millionths::text AS e, s.bitmap FROM gateway_privacy_charges c
     JOIN gateway_privacy_sets s ON s.dataset_id = c.dataset_id AND s.members_hash = c.members_hash
     WHERE c.period_start = $1`,
    [period.toString()],
  );
  const out = new Map<number, bigint>();
  for (const r of rows) {
    const bits = new Uint8Array(r.bitmap);
    for (let m = 0; m < bits.length * 8; m++) {
      if (bits[m >> 3] & (1 << (m & 7))) out.set(m, (out.get(m) ?? 0n) + BigInt(r.e));
    }
  }
  return out;
}

async function memberNumbers(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ member: string; member_no: number }>(
    "SELECT member, member_no FROM gateway_contributors WHERE dataset_id = 1",
  );
  return new Map(rows.map((r) => [r.member, Number(r.member_no)]));
}

const query = (i: number, epsilon: number) => {
  // Every query differs (the last filter removes nobody), so none is served again.
  const where = [{ field: "age", op: "lt", value: 1000 + i }];
  return [
    { type: "aggregate", measures: [{ fn: "count" }], where, epsilon },
    { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }], where, epsilon },
    { type: "aggregate", measures: [{ fn: "mean", field: "yield_kg" }], where, epsilon },
  ][i % 3];
};

for (const store of stores) {
  describe(`the privacy ledger (${store.name})`, () => {
    let db: Db;
    let twin: Db | null;
    let chain: TestChain;
    let keys: GatewayKeys;
    const gateways: Gateway[] = [];
    const open = (on: Db) => {
      const g = new Gateway({
        db: on,
        chain,
        keys,
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
      });
      gateways.push(g);
      return g;
    };

    beforeEach(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      await acceptDataset(db, farmDocument, {
        datasetId: 1n,
        schemaHash: canonicalHash(farmDocument),
        fields: farmDocument.fields.map((f) => f.name),
      });
      const schema = datasetSchema(farmDocument, 1n);
      for (let i = 0; i < MEMBERS; i++) {
        const records = [0, 1].map((j) => ({
          recordId: `r${j}`,
          values: {
            name: `Member ${i}`,
            region: REGIONS[i % 4],
            crop: "maize",
            yield_kg: 1000 + i * 10 + j,
            harvested: "2026-05-01",
            age: 20 + i,
          },
        }));
        await storeRecords(db, schema, member(i), records);
      }
      twin = store.twin ? await store.twin(db) : null;
      chain = makeChain();
      keys = randomKeys();
    });
    afterEach(async () => {
      for (const g of gateways.splice(0)) g.close();
      await twin?.close();
      await db.close();
    });

    it("never takes a member past the cap, whatever the grants, partners, queries and gateways", async () => {
      const [one, two] = [open(db), open(twin ?? db)];
      const grants = [...chain.grants.values()];
      const epsilons = [0.05, 0.1, 0.2, 0.3];
      const served: Served[] = [];
      let i = 0;
      // 8 waves of 24 queries in flight, spread over both gateways, six grants and three partners.
      for (let wave = 0; wave < 8; wave++) {
        const bodies = await Promise.all(
          Array.from({ length: 24 }, async () => {
            const n = i++;
            const grant = grants[n % grants.length];
            const partner = partners.find((p) => p.address === grant.grantee)!;
            return sign(grant, partner, query(n, epsilons[n % epsilons.length]));
          }),
        );
        const answers = await Promise.all(
          bodies.map((b, j) => (j % 2 === 0 ? one : two).serveSigned(b)),
        );
        served.push(...answers);
      }
      assert.equal(served.length, 192);
      const period = periodStartOf(chain.cap, NOW);
      const spent = await totals(db, period);
      const numbers = await memberNumbers(db);
      const worst = Math.max(...[...spent.values()].map(Number));
      assert.ok(worst <= Number(CAP), `a member was charged ${worst} millionths (cap ${CAP})`);
      // The test means something: members reached the cap (within one query's ε of it) …
      for (let m = 0; m < MEMBERS; m++) {
        const total = Number(spent.get(numbers.get(member(m).toLowerCase())!) ?? 0n);
        assert.ok(total > Number(CAP) - 300_000, `member ${m} charged only ${total}`);
      }
      // … and later answers were computed without them: answered, logged, charged to nobody.
      const charges = await db.query<{ n: string }>(
        "SELECT count(*)::text AS n FROM gateway_privacy_charges",
      );
      assert.ok(Number(charges.rows[0].n) < served.length, `${charges.rows[0].n} charges`);
      const { rows } = await db.query<{ entry: string }>(
        "SELECT entry FROM gateway_access_log ORDER BY seq",
      );
      const zero = rows.filter(
        (r) => (JSON.parse(r.entry) as { body: { epsilon?: number } }).body.epsilon === 0,
      );
      assert.equal(zero.length, served.length - Number(charges.rows[0].n));
      // Every member's own figure says the same as the ledger.
      for (const m of [0, 1, 17]) {
        const [figure] = await memberPrivacy(db, memberCommitment(keys, member(m)), chain.cap, NOW);
        assert.equal(
          BigInt(figure.usedMillionths),
          spent.get(numbers.get(member(m).toLowerCase())!),
        );
      }
    });

    it("stops charging a member who withdraws or resigns, keeps what they were charged, and renews each period", async () => {
      chain.cap = { epsilonMillionths: CAP, periodSeconds: 10_000n, since: 0n };
      let now = NOW;
      const gateway = new Gateway({
        db,
        chain,
        keys,
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
      });
      gateways.push(gateway);
      const grant = chain.grants.get(1n)!;
      let n = 0;
      const ask = (epsilon: number) =>
        sign(grant, partners[0], query(3 * n++, epsilon)).then((b) => gateway.serveSigned(b));
      const used = async (i: number) => {
        const rows = await memberPrivacy(db, memberCommitment(keys, member(i)), chain.cap, now);
        return Number(rows[0]?.usedMillionths ?? 0) / 1e6;
      };
      await ask(0.25);
      assert.deepEqual([await used(4), await used(5)], [0.25, 0.25]);
      // Member 4 withdraws, member 5 resigns: no longer charged, not in the answers; what they were
      // charged stays charged.
      chain.setConsent(member(4), 0n);
      chain.consent.set(member(5).toLowerCase(), consent(0b01n, false));
      chain.now = { ...chain.now, latestBlock: 21n };
      await ask(0.25);
      assert.deepEqual([await used(4), await used(5), await used(6)], [0.25, 0.25, 0.5]);
      // A lowered cap (a vote): member 6, at 0.5, is left out of an answer of 0.25 under a cap of 0.6.
      chain.cap = { ...chain.cap, epsilonMillionths: 600_000n };
      const capped = await ask(0.25);
      assert.equal(await used(6), 0.5);
      assert.ok(capped.answer.shape === "aggregate");
      // A new period (the chain's time moves on): everyone starts again from nothing (member 4,
      // withdrawn, still is not charged).
      now = NOW + 10_000n;
      chain.now = { ...chain.now, latestBlock: 22n, latestTime: now };
      await ask(0.25);
      assert.deepEqual([await used(4), await used(6)], [0, 0.25]);
      // Periods never go back, even if the clock does: the charge stays in the later period.
      now = NOW;
      chain.now = { ...chain.now, latestTime: NOW };
      await ask(0.1);
      const { rows } = await db.query<{ p: string }>(
        "SELECT max(period_start)::text AS p FROM gateway_privacy_charges",
      );
      const latest = await db.query<{ p: string }>(
        "SELECT period_start::text AS p FROM gateway_privacy_charges ORDER BY seq DESC LIMIT 1",
      );
      assert.equal(latest.rows[0].p, rows[0].p);
    });
  });
}
