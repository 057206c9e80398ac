/**
 * One HTTP error module for every route: the same bad request gets the same code and status under /api,
 * /gateway, /relayer and /proofs; every code answered is in the one list (@datacoop/protocol/errors) with
 * the status listed there; the OpenAPI document describes every refusal with the one Error schema, and
 * each signed body with the schema that checks it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ERROR_CODES, isErrorCode, statusesOf } from "@datacoop/protocol/errors";
import { REASONS } from "../../src/gateway/query/policy.ts";
import { inertServer } from "../support/inertServer.ts";

type Inert = Awaited<ReturnType<typeof inertServer>>;

describe("the HTTP edge every route shares", () => {
  let server: Inert;
  before(async () => {
    server = await inertServer();
  });
  after(() => server?.close());

  async function call(method: string, path: string, body?: string, type = "application/json") {
    const res = await server.app.request(path, {
      method,
      ...(body === undefined ? {} : { body, headers: { "content-type": type } }),
    });
    const json = (await res.json()) as { error?: { code: string; message: string } };
    assert.ok(json.error, `${method} ${path}: an error body`);
    assert.ok(isErrorCode(json.error.code), `${json.error.code} is in the list`);
    assert.ok(
      (statusesOf(json.error.code) as readonly number[]).includes(res.status),
      `${json.error.code} is answered with ${res.status}, as listed`,
    );
    assert.ok(json.error.message.length > 0);
    return [res.status, json.error.code];
  }

  it("answers a malformed request with 400 invalid_request on every route", async () => {
    const malformed: [string, string, string?][] = [
      ["GET", "/api/members?limit=abc"],
      ["GET", "/api/proposals/not-a-number"],
      ["POST", "/gateway/query", "{}"],
      ["POST", "/gateway/query", "not json"],
      ["POST", "/gateway/auth/login", JSON.stringify({ message: 1 })],
      ["POST", "/gateway/datasets/1/records/signed", JSON.stringify({ records: [] })],
      ["POST", "/relayer/votes", "{}"],
      ["POST", "/relayer/consents", "not json"],
      ["GET", "/relayer/relays/x"],
      ["GET", "/proofs/entries/0"],
      ["GET", "/proofs/consistency?from=x"],
    ];
    for (const [method, path, body] of malformed) {
      assert.deepEqual(await call(method, path, body), [400, "invalid_request"], path);
    }
  });

  it("answers an unknown route with 404 not_found under every mount", async () => {
    for (const path of [
      "/nowhere",
      "/api/nowhere",
      "/gateway/nowhere",
      "/relayer/x/y",
      "/proofs/x",
    ]) {
      assert.deepEqual(await call("GET", path), [404, "not_found"], path);
    }
  });

  it("answers an oversized body with 413 body_too_large where bodies are taken", async () => {
    const big = JSON.stringify({ padding: "x".repeat(2 * 1024 * 1024) });
    for (const path of ["/gateway/query", "/relayer/votes"]) {
      assert.deepEqual(await call("POST", path, big), [413, "body_too_large"], path);
    }
  });

  it("answers what the client could not cause with a 500 internal that hides the cause", async () => {
    // The inert relayer fails every call: a bug from the client's side of the wire.
    const res = await server.app.request("/relayer");
    assert.equal(res.status, 500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "internal");
    assert.doesNotMatch(body.error.message, /inert/);
  });

  it("documents every refusal with the one Error schema, and signed bodies with their checks", async () => {
    const doc = (await (await server.app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    type Operation = {
      responses: Record<string, { content?: { "application/json"?: { schema: unknown } } }>;
      requestBody?: { content: Record<string, { schema: unknown }> };
    };
    const refs = new Set<string>();
    let refusals = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        for (const [status, response] of Object.entries(op.responses)) {
          // /ready's 503 is its status (not ready yet), not a refusal.
          if (Number(status) < 400 || path === "/ready") continue;
          refusals++;
          const schema = response.content?.["application/json"]?.schema as { $ref?: string };
          assert.ok(schema?.$ref, `${method} ${path} ${status} refers to a schema`);
          refs.add(schema.$ref);
        }
      }
    }
    assert.ok(refusals > 50, `${refusals} refusals documented`);
    assert.deepEqual([...refs], ["#/components/schemas/Error"]);
    for (const old of ["ProofError", "RelayerError"]) assert.ok(!(old in doc.components.schemas));
    const bodyRef = (path: string) =>
      (doc.paths[path].post.requestBody!.content["application/json"].schema as { $ref: string })
        .$ref;
    assert.equal(bodyRef("/gateway/query"), "#/components/schemas/SignedQuery");
    assert.equal(
      bodyRef("/gateway/datasets/{datasetId}/records/signed"),
      "#/components/schemas/SignedContribution",
    );
  });
});

describe("the one list of error codes", () => {
  it("holds every reason the gateway's policy refuses with, at the policy's status", () => {
    for (const [reason, status] of Object.entries(REASONS)) {
      assert.ok(isErrorCode(reason), `${reason} is in the list`);
      assert.ok((statusesOf(reason) as readonly number[]).includes(status), reason);
    }
  });

  it("says what each code means", () => {
    for (const [code, { description }] of Object.entries(ERROR_CODES)) {
      assert.match(code, /^[a-z][a-z_]*[a-z]$/);
      assert.ok(description.length > 10, code);
    }
  });
});
