import { openDb } from "../src/store/db.ts";
import { migrate } from "../src/store/migrate.ts";
import { canonicalHash } from "../src/gateway/canonical.ts";
import { gatewayMigrations } from "../src/gateway/migrations.ts";
import { acceptDataset } from "../src/gateway/records.ts";
import { farmDocument } from "../test/gateway/fixtures.ts";
import { datasetSchema } from "../test/gateway/fixtures.ts";
import { cohortSql, aggregateSql } from "../src/gateway/querySql.ts";
import { parseQuery } from "../src/gateway/query.ts";

const db = await openDb({});
await migrate(db, gatewayMigrations);
await acceptDataset(db, farmDocument, { datasetId: 1n, schemaHash: canonicalHash(farmDocument), fields: farmDocument.fields.map((f) => f.name) });
const M = 10_000, R = 100_000;
const members = Array.from({ length: M }, (_, i) => `0x${(0x100000 + i).toString(16).padStart(40, "0")}`);
const regions = ["north", "south", "east", "west"];
for (let b = 0; b < R; b += 5000) {
  const ids: string[] = [], ms: string[] = [], data: string[] = [];
  for (let i = b; i < b + 5000; i++) {
    ms.push(members[i % M]!); ids.push(`r${i}`);
    data.push(JSON.stringify({ name: "x", region: regions[i % 4], crop: "maize", yield_kg: i % 5000, harvested: "2026-05-01", age: 20 + (i % 60) }));
  }
  await db.query("INSERT INTO gateway_records (dataset_id, member, record_id, data) SELECT 1, m, id, d FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS t(m, id, d)", [ms, ids, data]);
}
await db.exec("ANALYZE"); if (process.env.WM) await db.exec(`SET work_mem = '${process.env.WM}'`);
const time = async (name: string, f: () => Promise<unknown>) => { const t = performance.now(); for (let i = 0; i < 3; i++) await f(); console.log(name, ((performance.now() - t) / 3).toFixed(1)); };
const schema = datasetSchema();
const q = parseQuery({ type: "aggregate", groupBy: ["region"], measures: [{ fn: "count" }, { fn: "mean", field: "yield_kg" }] });
const scope = { datasetId: 1n, members };
await time("distinct members", () => db.query("SELECT DISTINCT member FROM gateway_records WHERE dataset_id = 1 AND erased_at IS NULL"));
const c = cohortSql(q, schema, scope);
await time("cohort", () => db.query(c.text, c.values));
const c2 = c.text.replace(/r.member IN \(SELECT unnest\((\$\d+)::text\[\]\)\)/, "r.member = ANY($1::text[])");
console.log(c2.slice(0, 0));
await time("cohort ANY", () => db.query(c2, c.values));
const c3 = c.text.replace(/ AND r.member IN \(SELECT unnest\((\$\d+)::text\[\]\)\)/, " AND cardinality($1::text[]) >= 0");
await time("cohort no member filter", () => db.query(c3, c.values));
const a = aggregateSql(q as never, schema, scope);
await time("aggregate", () => db.query(a.text, a.values));
await time("bare", () => db.query("SELECT data->>'region', count(*), avg((data->>'yield_kg')::float8) FROM gateway_records WHERE dataset_id = 1 AND erased_at IS NULL GROUP BY 1"));
await time("bare count only", () => db.query("SELECT count(*) FROM gateway_records WHERE dataset_id = 1 AND erased_at IS NULL"));
await time("pm hash", () => db.query(`WITH base AS (SELECT r.member, (r.data->>'region') AS g0, (r.data->>'yield_kg')::float8 AS x0 FROM gateway_records r WHERE dataset_id = 1 AND erased_at IS NULL AND r.member = ANY($1::text[])),
 pm AS (SELECT g0, member, count(*) AS c, sum(x0) AS s, count(x0) AS cx FROM base GROUP BY g0, member)
 SELECT g0, GROUPING(g0) gs, count(*) n, sum(c) cnt, sum(s)/sum(cx) mean FROM pm GROUP BY GROUPING SETS ((g0), ())`, [members]));
await time("pm hash + members", () => db.query(`WITH base AS (SELECT r.member, (r.data->>'region') AS g0, (r.data->>'yield_kg')::float8 AS x0 FROM gateway_records r WHERE dataset_id = 1 AND erased_at IS NULL AND r.member = ANY($1::text[])),
 pm AS (SELECT g0, member, count(*) AS c, sum(x0) AS s, count(x0) AS cx FROM base GROUP BY g0, member)
 SELECT g0, GROUPING(g0) gs, count(*) n, sum(c) cnt, sum(s)/sum(cx) mean, array_agg(member) FILTER (WHERE true) AS members FROM pm GROUP BY GROUPING SETS ((g0), ())`, [members]));
await time("bare again", () => db.query("SELECT data->>'region', count(*), avg((data->>'yield_kg')::float8) FROM gateway_records WHERE dataset_id = 1 AND erased_at IS NULL GROUP BY 1"));
await db.close();
