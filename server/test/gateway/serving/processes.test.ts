/**
 * Two gateway processes — real `node` processes (test/support/gatewayProcess.ts), each with its own memory,
 * serving HTTP — on one Postgres store: partners' differentially private queries sent to both at once never
 * take a member past the co-op's privacy cap, and a partner's rate limit is shared (two processes do not
 * give twice the rate). Postgres server only: PGlite allows one process per data folder.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { PrivateKeyAccount } from "viem/accounts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import { openDb, type Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { acceptDataset, storeRecords } from "../../../src/gateway/records/records.ts";
import { verifyLog } from "../../../src/gateway/serving/accessLog.ts";
import { periodStartOf } from "../../../src/gateway/serving/ledger.ts";
import { datasetSchema, farmDocument } from "../fixtures.ts";
import { DOMAIN } from "../../support/gatewayRoutes.ts";
import {
  PROCESS_CAP,
  PROCESS_MEMBERS,
  processChain,
  processMember,
  processPartners,
} from "../../support/gatewayProcess.ts";
import { run, untilGone, type Proc } from "../../support/processes.ts";

const url = process.env.TEST_DATABASE_URL;
const NOW = BigInt(Math.floor(Date.now() / 1000));
const PARTNER_LIMIT = 100;
const WORKER = path.join(import.meta.dirname, "..", "..", "support", "gatewayProcess.ts");

let nonce = BigInt(Date.now()) * 1000n;
async function signed(partner: PrivateKeyAccount, grantId: bigint, query: unknown) {
  const p = { grantId, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
  const signature = await partner.signTypedData({
    domain: gatewayDomain(DOMAIN),
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

/** Every query differs (the last filter removes nobody), so none is served again from memory. */
const query = (i: number, epsilon: number) => {
  const where = [{ field: "age", op: "lt", value: 1000 + i }];
  return [
    { type: "aggregate", measures: [{ fn: "count" }], where, epsilon },
    { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }], where, epsilon },
    { type: "aggregate", measures: [{ fn: "mean", field: "yield_kg" }], where, epsilon },
  ][i % 3];
};

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

describe(
  "two gateway processes on one Postgres server",
  { skip: !url && "no TEST_DATABASE_URL" },
  () => {
    const schema = `t_procs_${randomBytes(6).toString("hex")}`;
    let db: Db;
    const procs: Proc[] = [];
    const bases: string[] = [];

    const post = async (base: string, body: unknown) => {
      const res = await fetch(`${base}/query`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { error?: { code: string } };
      return { status: res.status, code: json.error?.code };
    };

    before(async () => {
      db = await openDb({ databaseUrl: url!, schema });
      await migrate(db, gatewayMigrations);
      await acceptDataset(db, farmDocument, {
        datasetId: 1n,
        schemaHash: canonicalHash(farmDocument),
        fields: farmDocument.fields.map((f) => f.name),
      });
      const dataset = datasetSchema(farmDocument, 1n);
      for (let i = 0; i < PROCESS_MEMBERS; i++) {
        const records = [0, 1].map((j) => ({
          recordId: `r${j}`,
          values: {
            name: `Member ${i}`,
            region: ["north", "south", "east", "west"][i % 4],
            crop: "maize",
            yield_kg: 1000 + i * 10 + j,
            harvested: "2026-05-01",
            age: 20 + i,
          },
        }));
        await storeRecords(db, dataset, processMember(i), records);
      }
      const env = {
        GW_DATABASE_URL: url!,
        GW_SCHEMA: schema,
        GW_KEYS: randomBytes(32).toString("hex"),
        GW_NOW: NOW.toString(),
        GW_PARTNER_LIMIT: String(PARTNER_LIMIT),
      };
      for (let i = 0; i < 2; i++) procs.push(run(process.execPath, [WORKER], env));
      for (const p of procs) {
        const line = await p.waitFor((l) => l.event === "listening");
        bases.push(`http://127.0.0.1:${line.port as number}`);
      }
      assert.notEqual(procs[0].child.pid, procs[1].child.pid);
    });

    after(async () => {
      for (const p of procs) p.child.kill("SIGTERM");
      const left = await untilGone(procs.map((p) => p.child.pid!));
      for (const pid of left) process.kill(pid, "SIGKILL");
      await db?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await db?.close();
    });

    it("never takes a member past the cap when both answer private queries at once", async () => {
      const chain = processChain(NOW);
      const grants = [1n, 2n, 3n, 4n, 5n, 6n];
      const epsilons = [0.05, 0.1, 0.2, 0.3];
      const statuses: number[] = [];
      let i = 0;
      // 6 waves of 24 queries in flight, alternating between the processes, over six grants and three
      // partners (48 each: under their rate limit).
      for (let wave = 0; wave < 6; wave++) {
        const bodies = await Promise.all(
          Array.from({ length: 24 }, async () => {
            const n = i++;
            const grantId = grants[n % grants.length];
            const partner = processPartners.find(
              (p) => p.address === chain.grants.get(grantId)!.grantee,
            )!;
            return signed(partner, grantId, query(n, epsilons[n % epsilons.length]));
          }),
        );
        const answers = await Promise.all(bodies.map((b, j) => post(bases[j % 2], b)));
        statuses.push(...answers.map((a) => a.status));
      }
      assert.deepEqual(
        statuses.filter((s) => s !== 200),
        [],
        "every query is answered (members at the cap are left out, not refused)",
      );
      const spent = await totals(db, periodStartOf(chain.cap, NOW));
      const worst = Math.max(...[...spent.values()].map(Number));
      assert.ok(
        worst <= Number(PROCESS_CAP),
        `a member was charged ${worst} millionths (cap ${PROCESS_CAP})`,
      );
      // The test means something: every member reached the cap, within one query's ε of it …
      assert.equal(spent.size, PROCESS_MEMBERS);
      for (const [m, total] of spent) {
        assert.ok(
          Number(total) > Number(PROCESS_CAP) - 300_000,
          `member ${m} charged only ${total}`,
        );
      }
      // … and both processes charged (each extended the ledger the other had written).
      const { rows } = await db.query<{ entry: string }>(
        "SELECT entry FROM gateway_access_log ORDER BY seq",
      );
      assert.equal(rows.length, statuses.length);
      const charged = rows.filter(
        (r) => ((JSON.parse(r.entry) as { body: { epsilon?: number } }).body.epsilon ?? 0) > 0,
      );
      assert.ok(charged.length > 0 && charged.length < rows.length, `${charged.length} charged`);
      assert.equal((await verifyLog(db)).ok, true);
    });

    it("shares a partner's rate limit: two processes allow the limit, not twice it", async () => {
      const partner = processPartners[3];
      const sent = 3 * PARTNER_LIMIT;
      const bodies = await Promise.all(
        Array.from({ length: sent }, (_, n) => signed(partner, 7n, query(10_000 + n, 0.001))),
      );
      const answers: { status: number; code?: string }[] = [];
      // 16 in flight, alternating between the processes.
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < bodies.length) {
            const n = next++;
            answers.push(await post(bases[n % 2], bodies[n]));
          }
        }),
      );
      const ok = answers.filter((a) => a.status === 200).length;
      const limited = answers.filter((a) => a.status === 429);
      assert.deepEqual(
        answers.filter((a) => a.status !== 200 && a.status !== 429),
        [],
        "only answers and rate-limit refusals",
      );
      assert.ok(limited.every((a) => a.code === "rate_limited"));
      // Never past the limit, however the two processes reserved their tokens; a process may end the
      // window holding a few reserved tokens it did not use (an eighth of what was left, at least one).
      assert.ok(ok <= PARTNER_LIMIT, `${ok} answered with a limit of ${PARTNER_LIMIT}`);
      assert.ok(ok >= PARTNER_LIMIT - 30, `only ${ok} answered with a limit of ${PARTNER_LIMIT}`);
      // Per process, each saw 150 requests: a limit counted per process would have answered 200.
      assert.equal(limited.length, sent - ok);
    });
  },
);
