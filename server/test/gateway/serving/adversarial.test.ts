/**
 * A determined partner against the gateway (issue 14, THREATS.md): valid keys, real grants, real EIP-712
 * signatures, the gateway's HTTP routes over a real store (PGlite, and a Postgres server when
 * TEST_DATABASE_URL is set), a credit union's loans where one institution is alone in its region.
 *
 * Under differential privacy (the default) every attack family runs for many trials and the attacker's
 * estimate of the lone member's figure is compared with what the accounting promises: its mean squared
 * error must match the noise the accounting promises (within five standard errors, computed from the
 * exact moments of the discrete Laplace law: a correct gateway fails this less than once in a million
 * runs per attack, and one whose noise scale were 30% too small fails it almost surely). Under the exact mode (a grant whose terms
 * chose it) each attack is refused or its target suppressed.
 *
 *   ADVERSARY_TRIALS=2000 node --test test/gateway/serving/adversarial.test.ts    deeper (default 400)
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import { getAddress } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import type { ConsentFacts, GrantFacts } from "../../../src/gateway/query/policy.ts";
import { acceptDataset, eraseRecords, storeRecords } from "../../../src/gateway/records/records.ts";
import { gatewayRoutes } from "../../../src/gateway/serving/routes.ts";
import { stores } from "../../support/stores.ts";
import { datasetSchema } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";

const TRIALS = Number(process.env.ADVERSARY_TRIALS ?? 400);
const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const CHAIN_ID = 31337;
const NOW = BigInt(Math.floor(Date.now() / 1000));
const SIWE = { domain: "coop.test", uri: "https://coop.test", chainId: CHAIN_ID };
const attacker = privateKeyToAccount(`0x${"a7".repeat(32)}`);
const accomplice = privateKeyToAccount(`0x${"b8".repeat(32)}`);
const memberKey = (i: number) =>
  privateKeyToAccount(`0x${(0x1000 + i).toString(16).padStart(64, "0")}`);
const MEMBERS = 24;
/** The lone institution of the east. */
const TARGET = 23;
const TARGET_LOAN = 777_000;

const loans: SchemaDocument = {
  name: "Quarterly loan book",
  fields: [
    { name: "institution", type: "string", identifying: true },
    { name: "region", type: "string", enum: ["north", "south", "east"] },
    { name: "quarter", type: "integer", min: 1, max: 4 },
    { name: "loan_total", type: "number", unit: "USD", min: 0, max: 1_000_000 },
  ],
};
const FIELDS = ["region", "quarter", "loan_total"];
const region = (i: number) => (i === TARGET ? "east" : i % 2 === 0 ? "north" : "south");
const loanOf = (i: number) => (i === TARGET ? TARGET_LOAN : 10_000 + 1_000 * i);

/** What the exact grant's terms declare. */
const tabulations: TabulationsDocument = {
  tabulations: [
    {
      groupBy: ["region"],
      measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
      filters: [
        { field: "region" },
        { field: "loan_total", bins: [0, 50_000, 100_000, 1_000_001] },
      ],
    },
    {
      groupBy: [],
      measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
      filters: [
        { field: "region" },
        { field: "loan_total", bins: [0, 50_000, 100_000, 1_000_001] },
      ],
    },
  ],
};

function consent(isMember = true): ConsentFacts {
  return {
    isMember,
    memberSince: isMember ? 1n : null,
    consentMask: isMember ? 1n : 0n,
    consentSetAt: 2n,
    grantChoice: "default",
    grantChoiceAt: null,
  };
}

function grantFacts(
  id: bigint,
  partner: PrivateKeyAccount,
  scope: Partial<GrantFacts["scope"]> = {},
): GrantFacts {
  return {
    id,
    grantee: partner.address,
    datasetId: 1n,
    purpose: 0,
    scope: { fields: FIELDS, rowLevel: false, k: 3, ...scope },
    start: NOW - 1000n,
    end: NOW + 100_000n,
    approvedAtBlock: 10n,
    revokedAtBlock: null,
  };
}

let nonce = 1n;
async function signed(partner: PrivateKeyAccount, grantId: bigint, query: unknown) {
  const p = { grantId, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
  const signature = await partner.signTypedData({
    domain: gatewayDomain({ chainId: CHAIN_ID, registry: REGISTRY }),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage(p),
  });
  return {
    signer: partner.address,
    grantId: grantId.toString(),
    datasetId: "1",
    query,
    nonce: p.nonce.toString(),
    deadline: p.deadline.toString(),
    signature,
  };
}

interface Group {
  key: Record<string, unknown>;
  values: Record<string, number | null>;
}
interface Reply {
  status: number;
  code?: string;
  answer?: {
    mode: string;
    groups: Group[];
    suppressedGroups: number;
    noise: { epsilon: number; scales: Record<string, number> } | null;
  };
  log?: { seq: number };
}

/** The exact moments of a discrete Laplace of scale b (in units): P[x] ∝ q^|x|, q = e^(−1/b). */
function moments(b: number) {
  const q = Math.exp(-1 / b);
  const m2 = (2 * q) / (1 - q) ** 2;
  const m4 = (2 * q * (1 + 10 * q + q * q)) / (1 - q) ** 4;
  return { m2, m4 };
}

/**
 * The MSE of an estimate Σ cᵢ·Xᵢ of independent discrete Laplace noises of scales bᵢ (in units), and the
 * standard error of the mean of n squared errors.
 */
function promised(terms: { c: number; b: number }[], n: number) {
  const parts = terms.map(({ c, b }) => ({ c, ...moments(b) }));
  const mse = parts.reduce((s, p) => s + p.c * p.c * p.m2, 0);
  let m4 = 0;
  for (const p of parts) m4 += p.c ** 4 * p.m4;
  for (let i = 0; i < parts.length; i++)
    for (let j = i + 1; j < parts.length; j++)
      m4 += 6 * parts[i].c ** 2 * parts[i].m2 * parts[j].c ** 2 * parts[j].m2;
  return { mse, se: Math.sqrt((m4 - mse * mse) / n) };
}

for (const store of stores) {
  describe(`a determined partner (${store.name})`, () => {
    let db: Db;
    let chain: TestChain;
    let app: ReturnType<typeof gatewayRoutes>;
    const keys = randomKeys();

    const call = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await app.request(path, {
        method,
        headers: {
          ...(body === undefined ? {} : { "content-type": "application/json" }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const ask = async (grantId: bigint, query: unknown, partner = attacker): Promise<Reply> => {
      const res = await call("POST", "/query", await signed(partner, grantId, query));
      const body = res.json as {
        answer?: Reply["answer"];
        log?: Reply["log"];
        error?: { code: string };
      };
      return { status: res.status, code: body.error?.code, answer: body.answer, log: body.log };
    };
    const login = async (i: number) => {
      const account = memberKey(i);
      const nonceRes = await call("GET", "/auth/nonce");
      const message = createSiweMessage({
        address: account.address,
        chainId: CHAIN_ID,
        domain: SIWE.domain,
        uri: `${SIWE.uri}/login`,
        version: "1",
        nonce: String(nonceRes.json.nonce),
        issuedAt: new Date(),
      });
      const res = await call("POST", "/auth/login", {
        message,
        signature: await account.signMessage({ message }),
      });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      return String(res.json.token);
    };
    const target = () => memberKey(TARGET).address;
    /** Units of the answers' sums: loan_total ∈ [0, 10⁶] is kept in tenths (10⁷ ≤ 2²⁴). */
    const units = (x: number | null) => Math.round((x ?? 0) * 10);
    const sumOf = (r: Reply, key?: string) => {
      assert.equal(r.status, 200, r.code);
      const g = r.answer!.groups.find((x) => (key === undefined ? true : x.key.region === key));
      return g ? (g.values["sum:loan_total"] as number) : null;
    };

    beforeEach(async () => {
      db = await store.open();
      await migrate(db, gatewayMigrations);
      await acceptDataset(db, loans, {
        datasetId: 1n,
        schemaHash: canonicalHash(loans),
        fields: loans.fields.map((f) => f.name),
      });
      const schema = datasetSchema(loans, 1n);
      for (let i = 0; i < MEMBERS; i++) {
        const records = [
          {
            recordId: "q1",
            values: {
              institution: `Credit union ${i}`,
              region: region(i),
              quarter: 1,
              loan_total: loanOf(i),
            },
          },
        ];
        // Member 5 has a second quarter: record-level attacks aim at it.
        if (i === 5) {
          records.push({
            recordId: "q2",
            values: {
              institution: "Credit union 5",
              region: region(5),
              quarter: 2,
              loan_total: 55_500,
            },
          });
        }
        await storeRecords(db, schema, memberKey(i).address, records);
      }
      chain = new TestChain({
        latestBlock: 20n,
        latestTime: NOW,
        finalizedBlock: 15n,
        registryPaused: false,
      });
      chain.datasets.set(1n, {
        datasetId: 1n,
        schemaHash: canonicalHash(loans),
        fields: loans.fields.map((f) => f.name),
      });
      for (let i = 0; i < MEMBERS; i++)
        chain.consent.set(memberKey(i).address.toLowerCase(), consent());
      chain.grants.set(1n, grantFacts(1n, attacker));
      chain.grants.set(2n, grantFacts(2n, accomplice));
      chain.grants.set(
        3n,
        grantFacts(3n, attacker, { exactTabulations: tabulationsHash(tabulations) }),
      );
      chain.grants.set(
        4n,
        grantFacts(4n, accomplice, { exactTabulations: tabulationsHash(tabulations) }),
      );
      // A cap high enough for many trials; the budget attacks set the co-op's real one.
      chain.cap = { epsilonMillionths: 10n ** 12n, periodSeconds: 365n * 86_400n, since: 0n };
      app = gatewayRoutes({
        db,
        chain,
        keys,
        domain: { chainId: CHAIN_ID, registry: REGISTRY },
        siwe: SIWE,
        partnerRequestsPerMinute: 1_000_000,
        memberRequestsPerMinute: 1_000_000,
      });
      const published = await call("POST", "/grants/3/tabulations", tabulations);
      assert.equal(published.status, 200, JSON.stringify(published.json));
    });
    afterEach(async () => db.close());

    /**
     * Runs an attack `TRIALS` times (each trial's queries differ from every other's, so nothing is
     * served again) and checks the attacker's squared error against the promise.
     */
    async function trials(
      name: string,
      attack: (trial: number) => Promise<{ estimate: number; truth: number }>,
      noise: { c: number; b: number }[],
    ) {
      let squares = 0;
      for (let t = 0; t < TRIALS; t++) {
        const { estimate, truth } = await attack(t);
        squares += (estimate - truth) ** 2;
      }
      const mse = squares / TRIALS;
      const { mse: expected, se } = promised(noise, TRIALS);
      assert.ok(
        Math.abs(mse - expected) <= 5 * se,
        `${name}: the attacker's mean squared error ${mse.toExponential(3)} units², promised ${expected.toExponential(3)} ± ${(5 * se).toExponential(2)}`,
      );
    }

    /** A filter every record passes, different for every trial (so no answer is served again). */
    const fresh = (t: number) => ({ field: "loan_total", op: "lte", value: 1_000_000 + t });

    it("complement: the total minus the other groups tells the lone member's loan no better than the noise", async () => {
      // One query with two statistics (count, sum) at ε = 1: each at ε/2; the sum's Δ is 10⁷ units.
      const b = (10_000_000 * 2) / 1;
      await trials(
        "complement",
        async (t) => {
          const measures = [{ fn: "count" }, { fn: "sum", field: "loan_total" }];
          // A group whose noisy count falls below k is suppressed (about 1% of trials with 11 and 12
          // members at this ε); the attacker then asks again with fresh filters. The counts' noise is
          // independent of the sums', so retrying on it leaves the sums' error as promised.
          for (let attempt = 0; attempt < 16; attempt++) {
            const where = [fresh(t * 16 + attempt)];
            const total = await ask(1n, { type: "aggregate", measures, where, epsilon: 1 });
            const grouped = await ask(1n, {
              type: "aggregate",
              groupBy: ["region"],
              measures,
              where,
              epsilon: 1,
            });
            const north = sumOf(grouped, "north");
            const south = sumOf(grouped, "south");
            if (north === null || south === null) continue;
            return {
              estimate: units(sumOf(total)) - units(north) - units(south),
              truth: TARGET_LOAN * 10,
            };
          }
          throw new Error("the big groups were suppressed 16 times in a row");
        },
        [
          { c: 1, b },
          { c: -1, b },
          { c: -1, b },
        ],
      );
    });

    it("record-level differencing: two filters one record apart tell that record no better than the noise", async () => {
      const b = (10_000_000 * 2) / 1;
      await trials(
        "one record",
        async (t) => {
          const measures = [{ fn: "count" }, { fn: "sum", field: "loan_total" }];
          const all = await ask(1n, {
            type: "aggregate",
            measures,
            where: [fresh(t)],
            epsilon: 1,
            recordsPerMember: 2,
          });
          const without = await ask(1n, {
            type: "aggregate",
            measures,
            where: [fresh(t), { field: "loan_total", op: "ne", value: 55_500 }],
            epsilon: 1,
            recordsPerMember: 2,
          });
          return { estimate: units(sumOf(all)) - units(sumOf(without)), truth: 555_000 };
        },
        // recordsPerMember 2 doubles the sensitivity: Δ = 2 · 10⁷ units.
        [
          { c: 1, b: 2 * b },
          { c: -1, b: 2 * b },
        ],
      );
    });

    it("linear combinations: overlapping sums solved for one member, no better than the noise", async () => {
      const b = (10_000_000 * 2) / 0.5;
      await trials(
        "linear combination",
        async (t) => {
          const sum = async (regions: string[]) =>
            units(
              sumOf(
                await ask(1n, {
                  type: "aggregate",
                  measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
                  where: [fresh(t), { field: "region", op: "in", values: regions }],
                  epsilon: 0.5,
                }),
              ),
            );
          // (N+E) + (S+E) − (N+S) = 2E.
          const twice =
            (await sum(["north", "east"])) +
            (await sum(["south", "east"])) -
            (await sum(["north", "south"]));
          return { estimate: twice / 2, truth: TARGET_LOAN * 10 };
        },
        [
          { c: 0.5, b },
          { c: 0.5, b },
          { c: -0.5, b },
        ],
      );
    });

    it("averaging: a repeated query gets the same answer, and every answer is charged to the member until the cap", async () => {
      chain.cap = { epsilonMillionths: 1_000_000n, periodSeconds: 365n * 86_400n, since: 0n };
      const q = { type: "aggregate", measures: [{ fn: "sum", field: "loan_total" }], epsilon: 0.1 };
      chain.now = { ...chain.now, head: "20:0x01" };
      const first = await ask(1n, q);
      const again = await ask(1n, q);
      assert.deepEqual(again.answer, first.answer);
      // Rephrased (a filter that removes nobody), the partner and an accomplice under another grant.
      const token = await login(TARGET);
      let charged = 0;
      for (let t = 0; t < 30; t++) {
        const r = await ask(
          t % 2 ? 2n : 1n,
          { ...q, where: [fresh(t)] },
          t % 2 ? accomplice : attacker,
        );
        assert.equal(r.status, 200);
        const listed = await call("GET", "/me/accesses?limit=1", undefined, token);
        const latest = (listed.json.accesses as { seq: number }[])[0]?.seq;
        if (latest === r.log!.seq) charged++;
      }
      // ε 0.1 each, cap 1: the first answer and nine more included the member; the rest did not.
      assert.equal(charged, 9);
      const figure = await call("GET", "/me/privacy", undefined, token);
      const dataset = (figure.json.datasets as { epsilonUsed: number; epsilonCap: number }[])[0];
      assert.ok(dataset.epsilonUsed <= dataset.epsilonCap, JSON.stringify(dataset));
      assert.equal(dataset.epsilonUsed, 1);
    });

    it("many grants, many partners: one cap across all of them", async () => {
      chain.cap = { epsilonMillionths: 500_000n, periodSeconds: 365n * 86_400n, since: 0n };
      for (let g = 5n; g < 15n; g++)
        chain.grants.set(g, grantFacts(g, g % 2n ? attacker : accomplice));
      for (let g = 5n; g < 15n; g++) {
        const r = await ask(
          g,
          { type: "aggregate", measures: [{ fn: "count" }], epsilon: 0.2 },
          g % 2n ? attacker : accomplice,
        );
        assert.equal(r.status, 200);
      }
      const token = await login(TARGET);
      const figure = await call("GET", "/me/privacy", undefined, token);
      const dataset = (
        figure.json.datasets as { epsilonUsed: number; privateAnswers: number }[]
      )[0];
      // Ten grants of ε 0.2 each; the member was in two (0.4), then left out.
      assert.deepEqual([dataset.epsilonUsed, dataset.privateAnswers], [0.4, 2]);
    });

    it("across time: a member who withdrew or resigned is neither read nor charged afterwards", async () => {
      const q = (t: number) => ({
        type: "aggregate",
        measures: [{ fn: "count" }],
        where: [fresh(t)],
        epsilon: 1,
      });
      const token = await login(TARGET);
      const before = await ask(1n, q(0));
      const seen = async () =>
        (
          (await call("GET", "/me/accesses", undefined, token)).json.accesses as { seq: number }[]
        ).map((a) => a.seq);
      assert.ok((await seen()).includes(before.log!.seq));
      chain.setConsent(target(), 0n);
      const afterWithdrawal = await ask(1n, q(1));
      assert.ok(!(await seen()).includes(afterWithdrawal.log!.seq));
      chain.consent.set(target().toLowerCase(), consent(false));
      const afterResignation = await ask(2n, q(2), accomplice);
      assert.ok(!(await seen()).includes(afterResignation.log!.seq));
      // What they were charged while they consented stays charged.
      assert.equal(
        (
          (await call("GET", "/me/privacy", undefined, token)).json.datasets as {
            epsilonUsed: number;
          }[]
        )[0].epsilonUsed,
        1,
      );
    });

    it("order statistics are never served: min, max and quantiles under either mode", async () => {
      for (const m of [
        { fn: "min", field: "loan_total" },
        { fn: "max", field: "loan_total" },
        { fn: "quantiles", field: "loan_total", q: [0.5, 0.99] },
      ]) {
        const query = {
          type: "aggregate",
          measures: [m],
          where: [{ field: "region", op: "eq", value: "east" }],
        };
        assert.deepEqual(
          [(await ask(1n, query)).code, (await ask(3n, query)).code],
          ["measure_not_private", "tabulation_not_declared"],
        );
      }
    });

    it("side channels: whether a filter isolates the member or nobody, the codes, statuses and log fields are the same", async () => {
      const shapes = [
        { field: "loan_total", op: "eq", value: TARGET_LOAN },
        { field: "loan_total", op: "gte", value: TARGET_LOAN },
        { field: "loan_total", op: "gte", value: TARGET_LOAN + 1 },
        { field: "loan_total", op: "eq", value: 555_555 },
      ];
      const seen: string[] = [];
      for (const f of shapes) {
        const r = await ask(1n, {
          type: "aggregate",
          measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
          where: [f],
        });
        const { rows } = await db.query<{ entry: string }>(
          "SELECT entry FROM gateway_access_log WHERE seq = $1",
          [r.log!.seq],
        );
        const entry = JSON.parse(rows[0].entry) as {
          members: number;
          body: Record<string, unknown>;
        };
        const { groups, suppressedGroups, queryHash, ...rest } = entry.body;
        void groups;
        void suppressedGroups;
        void queryHash;
        seen.push(JSON.stringify([r.status, r.code ?? null, r.answer!.mode, entry.members, rest]));
      }
      assert.equal(new Set(seen).size, 1, seen.join("\n"));
    });

    it("floating point: every answer lies on the fixed-point grid, noise added to integers", async () => {
      for (let t = 0; t < 40; t++) {
        const r = await ask(1n, {
          type: "aggregate",
          groupBy: ["region"],
          measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
          where: [fresh(t)],
          epsilon: 1,
        });
        for (const g of r.answer!.groups) {
          assert.ok(Number.isInteger(g.values.count));
          const s = g.values["sum:loan_total"]!;
          assert.equal(Number(`${Math.round(s * 10)}e-1`), s, `${s} is not a multiple of 0.1`);
        }
      }
    });

    it("members in several groups: the bound on records counts in the noise, and it is bounded", async () => {
      const r = await ask(1n, {
        type: "aggregate",
        groupBy: ["quarter"],
        measures: [{ fn: "count" }],
        recordsPerMember: 4,
        epsilon: 0.5,
      });
      // Four records of one member can touch four quarters: count's scale is 4 / 0.5.
      assert.deepEqual(r.answer!.noise!.scales, { count: 8 });
      assert.equal(
        (await ask(1n, { type: "aggregate", measures: [{ fn: "count" }], recordsPerMember: 1001 }))
          .status,
        400,
      );
    });

    describe("against the exact mode", () => {
      const exact = (where: unknown[] = [], groupBy?: string[]) => ({
        type: "aggregate",
        ...(groupBy ? { groupBy } : {}),
        measures: [{ fn: "count" }, { fn: "sum", field: "loan_total" }],
        ...(where.length ? { where } : {}),
      });
      const region = (r: string) => ({ field: "region", op: "eq", value: r });

      it("complement and marginals: the lone member's group is hidden with the group that would give it away", async () => {
        const grouped = await ask(3n, exact([], ["region"]));
        assert.equal(grouped.status, 200);
        assert.deepEqual(
          grouped.answer!.groups.map((g) => g.key.region),
          ["north"],
        );
        const total = await ask(3n, exact());
        const south = await ask(3n, exact([region("south")]));
        // Total − north − south would be the east: one of the two is refused.
        assert.ok(total.status === 403 || south.status === 403, `${total.status} ${south.status}`);
        assert.equal((await ask(3n, exact([region("east")]))).code, "cohort_too_small");
      });

      it("record-level differencing: no filter may drop one record, and a record erased between two answers is seen", async () => {
        // The south: members 1, 3, … 21, twelve records (member 5 has two quarters: 15,000 and 55,500).
        const south = exact([region("south")]);
        assert.equal((await ask(3n, south)).status, 200);
        const dropOne = exact([region("south"), { field: "loan_total", op: "ne", value: 55_500 }]);
        assert.equal((await ask(3n, dropOne)).code, "tabulation_not_declared");
        const onlyIt = exact([region("south"), { field: "loan_total", op: "gte", value: 50_000 }]);
        assert.equal((await ask(3n, onlyIt)).code, "cohort_too_small");
        // Member 5 erases that quarter: the same question is one record away from its first answer.
        await eraseRecords(db, keys, 1n, memberKey(5).address, ["q2"]);
        assert.equal((await ask(3n, south)).code, "differencing");
        assert.equal((await ask(4n, south, accomplice)).code, "differencing");
      });

      it("linear combinations: overlapping unions are not declared", async () => {
        for (const values of [
          ["north", "east"],
          ["south", "east"],
          ["north", "south"],
        ]) {
          const r = await ask(3n, exact([{ field: "region", op: "in", values }]));
          assert.equal(r.code, "tabulation_not_declared");
        }
        const below = await ask(3n, exact([{ field: "loan_total", op: "lt", value: 100_000 }]));
        assert.equal(below.code, "tabulation_not_declared");
      });

      it("across grants, partners and time: a withdrawal and a resignation are not revealed", async () => {
        const south = exact([region("south")]);
        assert.equal((await ask(3n, south)).status, 200);
        chain.setConsent(memberKey(3).address, 0n);
        assert.equal((await ask(4n, south, accomplice)).code, "differencing");
        chain.setConsent(memberKey(3).address, 1n);
        chain.consent.set(memberKey(7).address.toLowerCase(), consent(false));
        assert.equal((await ask(3n, south)).code, "differencing");
      });
    });
  });
}
