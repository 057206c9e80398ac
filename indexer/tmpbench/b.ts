import { getAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { openDb } from "../src/store/db.ts";
import { migrate } from "../src/store/migrate.ts";
import { canonicalHash } from "../src/gateway/canonical.ts";
import { randomKeys } from "../src/gateway/keys.ts";
import { gatewayMigrations } from "../src/gateway/migrations.ts";
import { gatewayDomain, queryRequestMessage, queryRequestTypes } from "../src/gateway/partnerAuth.ts";
import { acceptDataset } from "../src/gateway/records.ts";
import { serveSignedQuery } from "../src/gateway/serve.ts";
import { TestChain } from "../test/gateway/testChain.ts";
import { farmDocument, ALL_FIELDS } from "../test/gateway/fixtures.ts";

const db = await openDb(process.env.PG ? { databaseUrl: process.env.PG, schema: "bench_" + Date.now() } : {});
await migrate(db, gatewayMigrations);
await acceptDataset(db, farmDocument, { datasetId: 1n, schemaHash: canonicalHash(farmDocument), fields: farmDocument.fields.map((f) => f.name) });
const M = 10_000, R = 100_000;
const members = Array.from({ length: M }, (_, i) => `0x${(0x100000 + i).toString(16).padStart(40, "0")}`);
const regions = ["north", "south", "east", "west"];
let t = Date.now();
for (let b = 0; b < R; b += 5000) {
  const ids: string[] = [], ms: string[] = [], data: string[] = [];
  for (let i = b; i < b + 5000; i++) {
    ms.push(members[i % M]!); ids.push(`r${i}`);
    data.push(JSON.stringify({ name: "x", region: regions[i % 4], crop: "maize", yield_kg: i % 5000, harvested: "2026-05-01", age: 20 + (i % 60) }));
  }
  await db.query("INSERT INTO gateway_records (dataset_id, member, record_id, data) SELECT 1, m, id, d FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(m, id, d)", [ms, ids, data]);
}
console.log("load", Date.now() - t);
const NOW = BigInt(Math.floor(Date.now() / 1000));
const chain = new TestChain({ latestBlock: 20n, latestTime: NOW, finalizedBlock: 15n, registryPaused: false });
for (const m of members) chain.consent.set(m, { isMember: true, memberSinceBlock: 1n, consentMask: 1n, consentSetAtBlock: 2n, grantChoice: "default", grantChoiceAtBlock: null });
const partner = privateKeyToAccount(`0x${"a1".repeat(32)}` as Hex);
chain.grants.set(7n, { id: 7n, grantee: partner.address, datasetId: 1n, purpose: 0, scope: { fields: ALL_FIELDS, rowLevel: true, k: 10 }, start: NOW - 10n, end: NOW + 100000n, approvedAtBlock: 1n, revokedAtBlock: null });
const origTx = db.transaction.bind(db);
(db as any).transaction = (fn: any) => origTx((tx: any) => fn({ exec: tx.exec, query: async (sql: string, params?: unknown[]) => { const t = performance.now(); const r = await tx.query(sql, params); if (process.env.TRACE) console.log("   ", (performance.now() - t).toFixed(0), sql.replace(/\s+/g, " ").slice(0, 70)); return r; } }));
const ctx = { db, chain, keys: randomKeys(), domain: { chainId: 31337, registry: getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3") } };
let nonce = 1n;
async function sign(query: unknown) {
  const p = { grantId: 7n, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
  const signature = await partner.signTypedData({ domain: gatewayDomain(ctx.domain), types: queryRequestTypes, primaryType: "QueryRequest", message: queryRequestMessage(p) });
  return { signer: partner.address, grantId: "7", datasetId: "1", query, nonce: p.nonce.toString(), deadline: p.deadline.toString(), signature };
}
const agg = { type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }, { fn: "mean", field: "yield_kg" }] };
const rows = { type: "rows", select: ["region", "yield_kg"], where: [{ field: "age", op: "gte", value: 50 }], limit: 100 };
for (const [name, q] of [["agg", agg], ["rows", rows]] as const) {
  const times: number[] = [];
  for (let i = 0; i < Number(process.env.N ?? 15); i++) {
    const body = await sign(q);
    const t0 = performance.now();
    await serveSignedQuery(ctx, body);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(name, "p50", times[Math.floor(times.length/2)]!.toFixed(1), "max", times[times.length-1]!.toFixed(1));
}
// bare SQL
const t0 = performance.now();
for (let i = 0; i < 10; i++) await db.query("SELECT data->>'region', count(*), avg((data->>'yield_kg')::float8) FROM gateway_records WHERE dataset_id = 1 AND erased_at IS NULL GROUP BY 1");
console.log("bare agg", ((performance.now() - t0) / 10).toFixed(1));
await db.close();
