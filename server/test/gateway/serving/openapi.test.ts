/**
 * The gateway's OpenAPI document is complete enough that a third-party client needs no source: every
 * request body, parameter and answer is a described schema (no bare `object`, no `{}`), the query
 * language, the answer formats and the schema-document format are components whose every property says
 * what it is, every example validates against its schema, every error code a route answers with is listed
 * with its status and meaning (and every code the gateway's source can throw is in that list), and real
 * answers of the real routes validate against what the document says they are.
 */
import assert from "node:assert/strict";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { getAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { canonicalHash } from "@datacoop/protocol/canonical";
import { randomKeys } from "../../../src/gateway/auth/keys.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import { gatewayMigrations } from "../../../src/gateway/migrations.ts";
import { REASONS } from "../../../src/gateway/query/policy.ts";
import { statusesOf, isErrorCode } from "@datacoop/protocol/errors";
import { gatewayRoutes } from "../../../src/gateway/serving/routes.ts";
import type { Db } from "../../../src/store/db.ts";
import { migrate } from "../../../src/store/migrate.ts";
import { stores } from "../../support/stores.ts";
import { ALL_FIELDS, farmDocument } from "../fixtures.ts";
import { TestChain } from "../testChain.ts";

type Json = any;

const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
const DOMAIN = { chainId: 31337, registry: REGISTRY };
const SIWE = { domain: "coop.example", uri: "https://coop.example", chainId: 31337 };
const partner = privateKeyToAccount(`0x${"a1".repeat(32)}`);
const members = Array.from({ length: 4 }, (_, i) =>
  privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, "7")}`),
);
const NOW = BigInt(Math.floor(Date.now() / 1000));

/** Components that define the language, the answers and the document format: every property described. */
const DESCRIBED = [
  "Query",
  "RowQuery",
  "AggregateQuery",
  "Filter",
  "ComparisonFilter",
  "InFilter",
  "BetweenFilter",
  "Measure",
  "CountMeasure",
  "FieldMeasure",
  "QuantilesMeasure",
  "Answer",
  "RowAnswer",
  "AggregateAnswer",
  "GroupAnswer",
  "Served",
  "LogRef",
  "RequesterOpening",
  "AnswerOpening",
  "MemberAccess",
  "MemberOpening",
  "SchemaDocument",
  "SignedQuery",
  "SignedContribution",
  "Error",
];

function resolve(doc: Json, node: Json): Json {
  let n = node;
  for (let i = 0; n?.$ref && i < 20; i++) {
    n = n.$ref
      .slice(2)
      .split("/")
      .reduce((o: Json, k: string) => o?.[k], doc);
  }
  return n;
}

/** Every place in `node` (depth first) where a schema says nothing about what it holds. */
function bareSchemas(doc: Json, node: Json, where: string, seen = new Set<Json>()): string[] {
  if (node === true || node === undefined) return [`${where}: any value`];
  if (typeof node !== "object" || node === null) return [];
  if (node.$ref) {
    const target = resolve(doc, node);
    if (!target) return [`${where}: $ref ${node.$ref} does not resolve`];
    if (seen.has(target)) return [];
    seen.add(target);
    return bareSchemas(doc, target, node.$ref, seen);
  }
  const out: string[] = [];
  const says = ["type", "oneOf", "anyOf", "allOf", "enum", "const", "not"].some((k) => k in node);
  if (!says) out.push(`${where}: a bare {}`);
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    (node[key] ?? []).forEach((s: Json, i: number) =>
      out.push(...bareSchemas(doc, s, `${where}.${key}[${i}]`, seen)),
    );
  }
  const types = [node.type].flat();
  if (types.includes("object")) {
    const props = Object.entries(node.properties ?? {});
    const extra = node.additionalProperties;
    if (
      props.length === 0 &&
      (extra === undefined ||
        extra === true ||
        (typeof extra === "object" && Object.keys(extra).length === 0))
    ) {
      out.push(`${where}: a bare object`);
    }
    for (const [k, s] of props) out.push(...bareSchemas(doc, s, `${where}.${k}`, seen));
    if (typeof extra === "object") out.push(...bareSchemas(doc, extra, `${where}[*]`, seen));
  }
  if (types.includes("array")) {
    if (!node.items) out.push(`${where}: an array of anything`);
    else out.push(...bareSchemas(doc, node.items, `${where}[]`, seen));
  }
  return out;
}

/** Properties of a component (and of its oneOf/anyOf branches) with no description, on them or their target. */
function undescribed(doc: Json, name: string): string[] {
  const out: string[] = [];
  const visit = (node: Json, where: string) => {
    const n = resolve(doc, node);
    if (!n || typeof n !== "object") return;
    for (const key of ["oneOf", "anyOf"])
      (n[key] ?? []).forEach((s: Json, i: number) => !s.$ref && visit(s, `${where}.${key}[${i}]`));
    for (const [k, s] of Object.entries<Json>(n.properties ?? {})) {
      if (!s.description && !resolve(doc, s)?.description) out.push(`${where}.${k}`);
      if (!s.$ref) visit(s, `${where}.${k}`);
    }
    if (n.items && !n.items.$ref) visit(n.items, `${where}[]`);
  };
  const component = doc.components.schemas[name];
  if (!component) return [`${name}: no such component`];
  if (!component.description) out.push(`${name}: no description`);
  visit(component, name);
  return out;
}

/** Every example in the document, with the JSON pointer of the schema that holds it. */
function examplesOf(
  node: Json,
  pointer: string,
  out: [string, unknown][] = [],
): [string, unknown][] {
  if (typeof node !== "object" || node === null) return out;
  if (Array.isArray(node)) {
    node.forEach((n, i) => examplesOf(n, `${pointer}/${i}`, out));
    return out;
  }
  const isSchema = pointer.includes("/schema") || pointer.startsWith("#/components/schemas");
  if (isSchema && "example" in node) out.push([pointer, node.example]);
  if (isSchema && Array.isArray(node.examples))
    for (const e of node.examples) out.push([pointer, e]);
  for (const [k, v] of Object.entries(node)) {
    if (k === "example" || k === "examples") continue;
    examplesOf(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, out);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("the gateway's OpenAPI document", () => {
  let doc: Json;
  let ajv: InstanceType<typeof Ajv2020>;
  const validate = (pointer: string, value: unknown): string | null => {
    const check = ajv.compile({ $ref: `openapi${pointer}` });
    return check(value) ? null : ajv.errorsText(check.errors);
  };

  before(async () => {
    const app = gatewayRoutes({
      db: {} as never,
      chain: {} as never,
      keys: randomKeys(),
      domain: DOMAIN,
      siwe: SIWE,
    });
    doc = await (await app.request("/openapi.json")).json();
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...doc, $id: "openapi" });
  });

  it("describes every request body, parameter and answer (no bare object, no {})", () => {
    const faults: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        operations++;
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.summary) faults.push(`${where}: no summary`);
        for (const p of op.parameters ?? []) {
          if (!p.schema) faults.push(`${where} ${p.name}: no schema`);
          else faults.push(...bareSchemas(doc, p.schema, `${where} ${p.in} ${p.name}`));
        }
        for (const [type, media] of Object.entries<Json>(op.requestBody?.content ?? {})) {
          faults.push(...bareSchemas(doc, media.schema, `${where} body (${type})`));
        }
        if (!op.responses?.["200"]) faults.push(`${where}: no 200`);
        for (const [status, res] of Object.entries<Json>(op.responses ?? {})) {
          if (!res.description) faults.push(`${where} ${status}: no description`);
          for (const media of Object.values<Json>(res.content ?? {})) {
            faults.push(...bareSchemas(doc, media.schema, `${where} ${status}`));
          }
        }
      }
    }
    assert.ok(operations >= 11, `${operations} operations`);
    assert.deepEqual(faults, []);
  });

  it("describes every property of the query language, the answers and the schema document", () => {
    assert.deepEqual(
      DESCRIBED.flatMap((name) => undescribed(doc, name)),
      [],
    );
    const query = doc.paths["/query"].post;
    assert.equal(
      query.requestBody.content["application/json"].schema.$ref,
      "#/components/schemas/SignedQuery",
    );
    assert.equal(
      doc.components.schemas.SignedQuery.properties.query.$ref,
      "#/components/schemas/Query",
    );
    assert.equal(
      query.responses["200"].content["application/json"].schema.$ref,
      "#/components/schemas/Served",
    );
    const schema = doc.paths["/datasets/{datasetId}/schema"].post;
    assert.equal(
      schema.requestBody.content["application/json"].schema.$ref,
      "#/components/schemas/SchemaDocument",
    );
    assert.match(schema.description, /Anyone may publish/);
  });

  it("has examples, and every one validates against its schema", () => {
    const examples = examplesOf(doc, "#");
    assert.ok(examples.length >= 20, `${examples.length} examples`);
    for (const name of [
      "Query",
      "RowQuery",
      "AggregateQuery",
      "SchemaDocument",
      "SignedQuery",
      "AggregateAnswer",
      "RowAnswer",
    ]) {
      assert.ok(
        examples.some(([p]) => p === `#/components/schemas/${name}`),
        `${name} has an example`,
      );
    }
    const faults = examples.flatMap(([pointer, example]) => {
      const error = validate(pointer, example);
      return error ? [`${pointer}: ${error} (${JSON.stringify(example).slice(0, 120)})`] : [];
    });
    assert.deepEqual(faults, []);
    // The validation is real: a broken example fails.
    assert.notEqual(
      validate("#/components/schemas/Query", { type: "aggregate", measures: [] }),
      null,
    );
    assert.notEqual(
      validate("#/components/schemas/Query", { type: "rows", select: ["a"], limit: 5000 }),
      null,
    );
  });

  it("lists every error code a route answers with, under its status, with what it means", () => {
    const faults: string[] = [];
    for (const [path, item] of Object.entries<Json>(doc.paths)) {
      for (const [method, op] of Object.entries<Json>(item)) {
        for (const [status, res] of Object.entries<Json>(op.responses ?? {})) {
          if (status === "200") continue;
          const codes = [...String(res.description).matchAll(/`([a-z_]+)`:/g)].map((m) => m[1]);
          if (codes.length === 0) faults.push(`${method} ${path} ${status}: no code listed`);
          for (const code of codes) {
            // The gateway answers each code with the list's first status.
            if (!isErrorCode(code) || statusesOf(code)[0] !== Number(status))
              faults.push(`${method} ${path} ${status}: ${code}`);
          }
        }
      }
    }
    assert.deepEqual(faults, []);
    // The policy's refusals of a query are all documented on /query.
    const query = doc.paths["/query"].post.responses;
    for (const [reason, status] of Object.entries(REASONS)) {
      assert.match(query[String(status)]?.description ?? "", new RegExp(`\`${reason}\``), reason);
    }
  });

  it("names every code the gateway's source can answer with, with the status it is thrown with", () => {
    const root = new URL("../../../src/gateway/", import.meta.url).pathname;
    const protocol = new URL("../../../../protocol/src/", import.meta.url).pathname;
    const files = [
      ...sourceFiles(root),
      ...sourceFiles(protocol),
      new URL("../../../src/http/bodyBounds.ts", import.meta.url).pathname,
    ];
    const thrown = new Map<string, Set<number>>();
    const add = (code: string, status: number) =>
      thrown.set(code, (thrown.get(code) ?? new Set()).add(status));
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/GatewayError\(\s*(\d{3})\s*(?:as \d+)?,\s*"([a-z_]+)"/g))
        add(m[2], Number(m[1]));
      for (const m of text.matchAll(/unauthorized\(\s*"([a-z_]+)"/g)) add(m[1], 401);
      for (const m of text.matchAll(/errorBody\("([a-z_]+)",[^)]*\),\s*(\d{3})/g))
        add(m[1], Number(m[2]));
      for (const m of text.matchAll(/code: "(body_[a-z_]+)"/g)) add(m[1], 400);
    }
    for (const [code, status] of Object.entries(REASONS)) add(code, status);
    assert.ok(thrown.size >= 30, `${thrown.size} codes found in the source`);
    const faults = [...thrown].flatMap(([code, statuses]) => {
      const known = isErrorCode(code) ? statusesOf(code)[0] : undefined;
      return [...statuses].filter((s) => known !== s).map((s) => `${code} (${s})`);
    });
    assert.deepEqual(faults, [], "thrown but not in @datacoop/protocol/errors with that status");
  });

  for (const store of stores) {
    describe(`real answers match the document (${store.name})`, () => {
      let db: Db;
      let app: ReturnType<typeof gatewayRoutes>;
      const tokens: string[] = [];
      const send = async (method: string, path: string, body?: unknown, token?: string) => {
        const res = await app.request(path, {
          method,
          headers: {
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: res.status, json: (await res.json()) as Json };
      };
      /** Checks an answer against the document's schema for its route and status. */
      const conforms = (
        method: string,
        template: string,
        answer: { status: number; json: Json },
      ) => {
        const response = doc.paths[template]?.[method]?.responses?.[String(answer.status)];
        assert.ok(response, `${method} ${template} does not document ${answer.status}`);
        const pointer = `#/paths/${template.replace(/\//g, "~1")}/${method}/responses/${answer.status}/content/application~1json/schema`;
        const error = validate(pointer, answer.json);
        assert.equal(
          error,
          null,
          `${method} ${template} ${answer.status}: ${error}\n${JSON.stringify(answer.json).slice(0, 300)}`,
        );
      };
      let nonce = 1n;
      const signed = async (query: unknown) => {
        const p = { grantId: 7n, datasetId: 1n, query, nonce: nonce++, deadline: NOW + 600n };
        return {
          signer: partner.address,
          grantId: "7",
          datasetId: "1",
          query,
          nonce: p.nonce.toString(),
          deadline: p.deadline.toString(),
          signature: await partner.signTypedData({
            domain: gatewayDomain(DOMAIN),
            types: queryRequestTypes,
            primaryType: "QueryRequest",
            message: queryRequestMessage(p),
          }),
        };
      };

      before(async () => {
        db = await store.open();
        await migrate(db, gatewayMigrations);
        const chain = new TestChain({
          latestBlock: 20n,
          latestTime: NOW,
          finalizedBlock: 15n,
          registryPaused: false,
        });
        chain.datasets.set(1n, {
          datasetId: 1n,
          schemaHash: canonicalHash(farmDocument),
          fields: farmDocument.fields.map((f) => f.name),
        });
        for (const m of members) {
          chain.consent.set(m.address.toLowerCase(), {
            isMember: true,
            memberSince: 1n,
            consentMask: 1n,
            consentSetAt: 2n,
            grantChoice: "default",
            grantChoiceAt: null,
          });
        }
        chain.grants.set(7n, {
          id: 7n,
          grantee: partner.address,
          datasetId: 1n,
          purpose: 0,
          scope: { fields: ALL_FIELDS, rowLevel: true, k: 3 },
          start: NOW - 100n,
          end: NOW + 100_000n,
          approvedAtBlock: 10n,
          revokedAtBlock: null,
        });
        app = gatewayRoutes({ db, chain, keys: randomKeys(), domain: DOMAIN, siwe: SIWE });
      });
      after(async () => db.close());

      it("for sign-in, schema publication, contributions, listings, queries and refusals", async () => {
        conforms(
          "post",
          "/datasets/{datasetId}/schema",
          await send("POST", "/datasets/1/schema", farmDocument),
        );
        conforms(
          "post",
          "/datasets/{datasetId}/schema",
          await send("POST", "/datasets/1/schema", { ...farmDocument, name: "x" }),
        );
        for (const [i, m] of members.entries()) {
          const nonceAnswer = await send("GET", "/auth/nonce");
          conforms("get", "/auth/nonce", nonceAnswer);
          const message = createSiweMessage({
            address: m.address,
            chainId: 31337,
            domain: SIWE.domain,
            uri: SIWE.uri,
            version: "1",
            nonce: nonceAnswer.json.nonce,
            issuedAt: new Date(),
          });
          const login = await send("POST", "/auth/login", {
            message,
            signature: await m.signMessage({ message }),
          });
          conforms("post", "/auth/login", login);
          tokens.push(login.json.token);
          const stored = await send(
            "POST",
            "/datasets/1/records",
            {
              records: [
                {
                  recordId: "r",
                  values: {
                    name: `M${i}`,
                    region: "north",
                    crop: "maize",
                    yield_kg: 100 * i,
                    harvested: "2026-05-01",
                    age: 40 + i,
                    organic: i % 2 === 0,
                  },
                },
              ],
            },
            tokens[i],
          );
          conforms("post", "/datasets/{datasetId}/records", stored);
        }
        conforms(
          "post",
          "/datasets/{datasetId}/records",
          await send(
            "POST",
            "/datasets/1/records",
            { records: [{ recordId: "x", values: { age: "old" } }] },
            tokens[0],
          ),
        );
        conforms(
          "get",
          "/datasets/{datasetId}/records",
          await send("GET", "/datasets/1/records", undefined, tokens[0]),
        );
        const aggregate = await send(
          "POST",
          "/query",
          await signed({
            type: "aggregate",
            groupBy: ["organic"],
            measures: [
              { fn: "count" },
              { fn: "mean", field: "yield_kg" },
              { fn: "sum", field: "age" },
            ],
          }),
        );
        assert.equal(aggregate.status, 200, JSON.stringify(aggregate.json));
        conforms("post", "/query", aggregate);
        const rows = await send(
          "POST",
          "/query",
          await signed({ type: "rows", select: ["region", "yield_kg", "hectares"] }),
        );
        assert.equal(rows.status, 200, JSON.stringify(rows.json));
        conforms("post", "/query", rows);
        const refused = await send(
          "POST",
          "/query",
          await signed({
            type: "aggregate",
            measures: [{ fn: "quantiles", field: "age", q: [0.5] }],
          }),
        );
        assert.equal(refused.status, 403);
        conforms("post", "/query", refused);
        conforms("post", "/query", await send("POST", "/query", await signed({ type: "nope" })));
        conforms("get", "/me/accesses", await send("GET", "/me/accesses", undefined, tokens[1]));
        conforms("get", "/me/accesses", await send("GET", "/me/accesses"));
        conforms(
          "post",
          "/datasets/{datasetId}/records/erase",
          await send("POST", "/datasets/1/records/erase", {}, tokens[3]),
        );
        conforms("post", "/auth/logout", await send("POST", "/auth/logout", undefined, tokens[3]));
      });
    });
  }
});
