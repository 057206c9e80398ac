/**
 * The data gateway end to end, as the running indexer serves it: a real Hardhat node with the co-op
 * deployed, the follower indexing it in-process, the HTTP server with the gateway mounted, and real
 * signatures (Sign-In with Ethereum for members, EIP-712 for partners). The co-op registers a dataset by
 * vote; members sign in, contribute and set their consent on-chain; a partner's signed queries are refused
 * before approval, answered with only the consenting members' records after it, lose a member when that
 * member withdraws consent or opts out of the grant, and are refused after the guardian revokes the grant,
 * under another partner's grant and when replayed. Every decision is in the hash-chained access log, and
 * each member lists exactly the accesses that included their data.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, zeroHash } from "viem";
import { ConfigError, loadConfig, resolveGatewaySecret } from "../../src/config.ts";
import { verifyLog, type LoggedEntry } from "../../src/gateway/serving/accessLog.ts";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { SiweConfig } from "../../src/gateway/auth/memberAuth.ts";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import type { Db } from "../../src/store/db.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { http, signIn, signedQuery, type GatewayHttp } from "../support/gateway.ts";
import { startNode, type TestNode } from "../support/node.ts";
import { stores } from "../support/stores.ts";
import { retrying } from "../support/wait.ts";
import { type GatewayDomainConfig } from "@datacoop/protocol/typedData";

const PARTNER = 15;
const OTHER_PARTNER = 16;
const GUARDIAN = 9;
const NON_MEMBER = 12;
const CONTRIBUTORS = [0, 1, 2, 3, 4];
const ACADEMIC_RESEARCH = 0;
const PUBLIC_INTEREST = 1;

const soil: SchemaDocument = {
  name: "Soil readings",
  fields: [
    { name: "plot_owner", type: "string", identifying: true },
    { name: "region", type: "string", enum: ["north", "south"] },
    { name: "ph", type: "number", min: 0, max: 14 },
  ],
};
const FIELDS = soil.fields.map((f) => f.name);

/** Each member's two readings: values no other member has, so an answer shows whose records it used. */
const readings = (i: number) => [5 + i, 5.5 + i];
const regionOf = (i: number) => (i % 2 === 0 ? "south" : "north");

const rowsQuery = { type: "rows", select: ["region", "ph"], orderBy: [{ field: "ph" }] };

describe("gateway against a real chain", () => {
  it("reads its secret from GATEWAY_SECRET, or generates and keeps one for the local chain only", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "coop-secret-"));
    try {
      const file = path.join(dir, "31337.gateway-secret");
      const first = await resolveGatewaySecret({ chainId: 31337, file });
      assert.equal(first.source, "generated");
      assert.match(first.secret, /^[0-9a-f]{64}$/);
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      const again = await resolveGatewaySecret({ chainId: 31337, file });
      assert.deepEqual(again, { secret: first.secret, source: "file" });
      assert.equal((await readFile(file, "utf8")).trim(), first.secret);

      const given = "ab".repeat(32);
      assert.deepEqual(await resolveGatewaySecret({ secret: given, chainId: 1, file }), {
        secret: given,
        source: "environment",
      });
      await assert.rejects(
        resolveGatewaySecret({ chainId: 1, file: path.join(dir, "1.gateway-secret") }),
        (e: Error) => e instanceof ConfigError && /GATEWAY_SECRET is required/.test(e.message),
      );
      assert.throws(
        () => loadConfig([], { GATEWAY_SECRET: "abcd" }),
        (e: Error) => e instanceof ConfigError && /GATEWAY_SECRET/.test(e.message),
      );
      const config = loadConfig(["--siwe-uri", "https://coop.example:8443/app"], {
        DATA_DIR: dir,
      });
      assert.equal(config.siweDomain, "coop.example:8443");
      assert.equal(config.gatewaySecretFileFor(5), `${dir}.gateway-secret`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const store of stores) {
    describe(store.name, () => {
      let chain: TestChain;
      let db: Db;
      let node: TestNode;
      let base: string;
      before(async () => {
        chain = retrying(await startChain());
        db = await store.open();
      });
      after(async () => {
        await node?.stop();
        await db?.close();
        await chain?.stop();
      });

      it("serves only what grants and consent allow, and logs every decision", async () => {
        const c = coop(chain);
        const { deployment, accounts } = chain;
        const addr = (i: number) => accounts[i].address;
        const chainId = deployment.chainId;
        const siwe: SiweConfig = { domain: "coop.test", uri: "https://coop.test", chainId };
        const gatewayDomain: GatewayDomainConfig = {
          chainId,
          registry: deployment.contracts.registry,
        };

        // The server as main.ts builds it (createNode), without the operator's anchoring.
        node = await startNode(chain, { store: db, gateway: { siwe }, operator: false });
        base = node.url;
        const api: GatewayHttp = http(`${base}/gateway`);

        /** Waits until the follower has indexed `block` (default: the node's latest). */
        const indexed = (block?: bigint) => node.indexed(block);
        const send = async (...args: Parameters<typeof c.send>) =>
          indexed((await c.send(...args)).blockNumber);

        // The OpenAPI document of the whole server describes the gateway too.
        const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
          paths: Record<string, unknown>;
        };
        for (const p of [
          "/gateway/query",
          "/gateway/auth/login",
          "/gateway/me/accesses",
          "/api/grants",
        ]) {
          assert.ok(p in doc.paths, `${p} in /openapi.json`);
        }
        assert.equal((await fetch(`${base}/docs`)).status, 200);
        // The dApp's origin (where members sign in) may call the gateway from a browser; others not.
        const preflight = (origin: string) =>
          fetch(`${base}/gateway/auth/login`, {
            method: "OPTIONS",
            headers: {
              origin,
              "access-control-request-method": "POST",
              "access-control-request-headers": "content-type,authorization",
            },
          });
        const allowed = await preflight(siwe.uri);
        assert.equal(allowed.headers.get("access-control-allow-origin"), siwe.uri);
        assert.match(allowed.headers.get("access-control-allow-headers") ?? "", /authorization/);
        const elsewhere = await preflight("https://elsewhere.example");
        assert.equal(elsewhere.headers.get("access-control-allow-origin"), null);

        // Register the dataset by a vote of the members.
        const schemaHash = canonicalHash(soil);
        await c.pass(
          [
            c.call("registry", "registerDataset", [
              "Soil readings",
              "ipfs://schemas/soil",
              schemaHash,
              FIELDS,
            ]),
          ],
          "# Register the soil readings dataset",
        );
        await indexed();
        const datasetId = 1n;

        // The schema document: another document does not match the on-chain hash.
        const wrong = await api.post("/datasets/1/schema", { ...soil, name: "Other" });
        assert.equal(wrong.status, 422);
        assert.equal(wrong.body.error?.code, "schema_hash_mismatch");
        const accepted = await api.post("/datasets/1/schema", soil);
        assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
        assert.equal(accepted.body.schemaHash, schemaHash);

        // Members sign in and contribute; a non-member may not even sign in, and contributes nothing.
        const tokens = new Map<number, string>();
        for (const i of CONTRIBUTORS) tokens.set(i, await signIn(api, siwe, accounts[i]));
        await assert.rejects(signIn(api, siwe, accounts[NON_MEMBER]), /403.*no_standing/);
        for (const i of CONTRIBUTORS) {
          const records = readings(i).map((ph, j) => ({
            recordId: `reading-${i}-${j}`,
            values: { plot_owner: `Farmer ${i}`, region: regionOf(i), ph },
          }));
          const stored = await api.post("/datasets/1/records", { records }, tokens.get(i));
          assert.equal(stored.status, 200, JSON.stringify(stored.body));
          assert.deepEqual(stored.body, { stored: 2, unchanged: 0 });
        }
        const outsider = await api.post(
          "/datasets/1/records",
          { records: [{ recordId: "x", values: { plot_owner: "x", region: "north", ph: 7 } }] },
          tokens.get(NON_MEMBER),
        );
        assert.equal(outsider.status, 401);
        assert.equal(outsider.body.error?.code, "session_missing");

        // Standing consent: 0, 1 and 2 for academic research; 3 only for public-interest research.
        for (const i of [0, 1, 2])
          await send(i, "consent", "setConsent", [1n << BigInt(ACADEMIC_RESEARCH)]);
        await send(3, "consent", "setConsent", [1n << BigInt(PUBLIC_INTEREST)]);

        // Two partners ask for access: the partner rows of region and pH, the other aggregates.
        await send(PARTNER, "registry", "requestAccess", [
          datasetId,
          ACADEMIC_RESEARCH,
          { fieldMask: 0b110n, rowLevel: true, minCohort: 2, exactTabulations: zeroHash },
          30n * 86_400n,
          "ipfs://terms/partner",
          "Valley Research Institute",
        ]);
        await send(OTHER_PARTNER, "registry", "requestAccess", [
          datasetId,
          ACADEMIC_RESEARCH,
          { fieldMask: 0b110n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
          30n * 86_400n,
          "ipfs://terms/other",
          "Valley Research Institute",
        ]);
        const grantId = 1n;
        const otherGrant = 2n;
        // Member 4 has no standing consent but opts in to this grant.
        await send(4, "consent", "setGrantChoice", [grantId, 1]);

        /** What the partner's signed query gets; `body` is returned to replay it. */
        async function ask(query: unknown, grant = grantId, partner = PARTNER) {
          const body = await signedQuery(accounts[partner], gatewayDomain, {
            grantId: grant,
            datasetId,
            query,
          });
          return { ...(await api.post("/query", body)), request: body };
        }
        const decisions: { reason: string; grantId: string; partner: Address }[] = [];
        const logged = (reason: string, partner = PARTNER, grant = grantId) =>
          decisions.push({ reason, grantId: grant.toString(), partner: addr(partner) });

        // Before approval the partner holds no grant of the co-op: refused, and not logged (no standing).
        const early = await ask(rowsQuery);
        assert.equal(early.status, 403);
        assert.equal(early.body.error?.code, "no_grant");

        // The co-op approves both requests by vote.
        const approval = async (id: bigint) =>
          c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [id]);
        const [a1, a2] = [await approval(grantId), await approval(otherGrant)];
        const p = await c.propose(
          0,
          [
            { target: a1[0][0], data: a1[2][0] },
            { target: a2[0][0], data: a2[2][0] },
          ],
          `${a1[3]}\n\n${a2[3]}`,
        );
        await c.warp(2);
        for (const v of [0, 1, 2, 3]) await c.vote(v, p, 1);
        await c.warp(600 + 120 + 1);
        await c.queue(p);
        await c.warp(61);
        await c.execute(p);
        await indexed();

        /** The rows answered, as sorted pH values and the set of pseudonyms. */
        async function answered(expected: number[]) {
          const res = await ask(rowsQuery);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          logged("allowed");
          const rows = (
            res.body.answer as { rows: { member: string; region: string; ph: number }[] }
          ).rows;
          for (const row of rows) {
            assert.deepEqual(Object.keys(row).sort(), ["member", "ph", "region"]);
          }
          const text = JSON.stringify(rows).toLowerCase();
          for (const i of CONTRIBUTORS) {
            assert.ok(!text.includes(addr(i).slice(2).toLowerCase()), "no member's address");
          }
          assert.deepEqual(
            rows.map((r) => r.ph),
            expected.flatMap(readings).sort((a, b) => a - b),
          );
          for (const r of rows) {
            const owner = expected.find((i) => readings(i).includes(r.ph))!;
            assert.equal(r.region, regionOf(owner));
          }
          const pseudonyms = new Map<number, string>();
          for (const r of rows)
            pseudonyms.set(
              expected.find((i) => readings(i).includes(r.ph))!,
              r.member,
            );
          assert.equal(new Set(rows.map((r) => r.member)).size, expected.length);
          return { pseudonyms, request: res.request };
        }

        // Approved and indexed: only the consenting members (0, 1, 2 by standing consent, 4 by opt-in).
        const first = await answered([0, 1, 2, 4]);
        const count = await ask({ type: "aggregate", measures: [{ fn: "count" }] });
        assert.equal(count.status, 200, JSON.stringify(count.body));
        // Differentially private (the grant's terms chose no exact mode): a noisy count, shown when at least k.
        const counted = count.body.answer as {
          mode: string;
          groups: { key: object; values: { count: number } }[];
          suppressedGroups: number;
        };
        assert.equal(counted.mode, "private");
        assert.equal(counted.groups.length + counted.suppressedGroups, 1);
        for (const g of counted.groups)
          assert.ok(Number.isInteger(g.values.count) && g.values.count >= 2);
        logged("allowed");
        // Outside the grant's scope (an identifying field, too): refused.
        const owner = await ask({ type: "rows", select: ["plot_owner"] });
        assert.equal(owner.status, 403);
        assert.equal(owner.body.error?.code, "field_not_in_scope");
        logged("field_not_in_scope");

        // Member 1 withdraws consent: gone from the next answer; the others keep their pseudonyms.
        await send(1, "consent", "setConsent", [0n]);
        const second = await answered([0, 2, 4]);
        for (const i of [0, 2, 4]) assert.equal(second.pseudonyms.get(i), first.pseudonyms.get(i));

        // Member 2 opts out of this grant (standing consent unchanged): gone.
        await send(2, "consent", "setGrantChoice", [grantId, 2]);
        const third = await answered([0, 4]);

        // The same signed request again: refused as a replay, and not logged (no decision was made).
        const replay = await api.post("/query", third.request);
        assert.equal(replay.status, 401);
        assert.equal(replay.body.error?.code, "nonce_reused");
        // A request whose signature is not the signer's: refused, not logged.
        const forged = {
          ...(await signedQuery(accounts[PARTNER], gatewayDomain, {
            grantId,
            datasetId,
            query: rowsQuery,
          })),
          signer: addr(OTHER_PARTNER),
        };
        const bad = await api.post("/query", forged);
        assert.equal(bad.status, 401);
        assert.equal(bad.body.error?.code, "bad_signature");

        // Another partner's grant: refused to this partner.
        const foreign = await ask({ type: "aggregate", measures: [{ fn: "count" }] }, otherGrant);
        assert.equal(foreign.status, 403);
        assert.equal(foreign.body.error?.code, "not_grantee");
        logged("not_grantee", PARTNER, otherGrant);
        // That partner's own grant: aggregates only; its audience differs, since the choices above were
        // for grant 1 — member 2 (standing consent) is in, member 4 (opted in to grant 1 only) is not.
        const rowsThere = await ask(rowsQuery, otherGrant, OTHER_PARTNER);
        assert.equal(rowsThere.status, 403);
        assert.equal(rowsThere.body.error?.code, "rows_not_allowed");
        logged("rows_not_allowed", OTHER_PARTNER, otherGrant);
        const theirs = await ask(
          {
            type: "aggregate",
            groupBy: ["region"],
            measures: [{ fn: "count" }, { fn: "mean", field: "ph" }],
          },
          otherGrant,
          OTHER_PARTNER,
        );
        assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
        // Noisy, over the region's declared values; a mean within the schema's bounds.
        const grouped = theirs.body.answer as {
          groups: {
            key: { region: string };
            values: { count: number; "mean:ph": number | null };
          }[];
          suppressedGroups: number;
        };
        assert.equal(grouped.groups.length + grouped.suppressedGroups, 2);
        for (const g of grouped.groups) {
          assert.ok(["north", "south"].includes(g.key.region));
          const mean = g.values["mean:ph"];
          assert.ok(mean === null || (mean >= 0 && mean <= 14), String(mean));
        }
        logged("allowed", OTHER_PARTNER, otherGrant);

        // The guardian revokes the grant: refused once indexed.
        await send(GUARDIAN, "registry", "revoke", [grantId, "a member complained"]);
        const revoked = await ask(rowsQuery);
        assert.equal(revoked.status, 403);
        assert.equal(revoked.body.error?.code, "grant_revoked");
        logged("grant_revoked");

        // Every decision is in the access log, in order, and the chain of hashes holds.
        const { rows: log } = await db.query<{ entry: string; opening: string }>(
          "SELECT entry, opening FROM gateway_access_log ORDER BY seq",
        );
        const entries = log.map((r) => JSON.parse(r.entry) as LoggedEntry);
        assert.deepEqual(
          entries.map((e) => {
            assert.equal(e.body.kind, "query");
            const b = e.body;
            return { reason: b.reason, grantId: b.grantId, partner: b.partner };
          }),
          decisions.map((d) => ({ ...d, partner: d.partner.toLowerCase() })),
        );
        // How many members each decision concerned: sealed, in the opening the store keeps.
        assert.deepEqual(
          log.map((r) => JSON.parse(r.opening).members.count),
          decisions.map((_, n) => [4, 4, 0, 3, 2, 0, 0, 2, 0][n]),
        );
        const verified = await verifyLog(db);
        assert.equal(verified.ok, true);
        assert.equal(verified.length, decisions.length);

        // Each member lists the accesses that included their data, and only those.
        const allowedSeqs = entries
          .filter(
            (e) => e.body.kind === "query" && (e.body as { decision: string }).decision === "allow",
          )
          .map((e) => e.seq);
        const [rows1, count1, rows2, rows3, theirs1] = allowedSeqs;
        const expectedAccesses: Record<number, number[]> = {
          0: [theirs1, rows3, rows2, count1, rows1],
          1: [count1, rows1],
          2: [theirs1, rows2, count1, rows1],
          3: [],
          4: [rows3, rows2, count1, rows1],
        };
        for (const i of CONTRIBUTORS) {
          const mine = await api.get<{
            accesses: {
              seq: number;
              partner: string;
              grantId: string;
              fields: string[];
              shape: string;
            }[];
          }>("/me/accesses", tokens.get(i));
          assert.equal(mine.status, 200);
          assert.deepEqual(
            mine.body.accesses.map((a) => a.seq),
            expectedAccesses[i],
            `member ${i}'s accesses`,
          );
          for (const a of mine.body.accesses) {
            const theirs = a.seq === theirs1;
            assert.equal(a.partner, addr(theirs ? OTHER_PARTNER : PARTNER).toLowerCase());
            assert.equal(a.grantId, theirs ? "2" : "1");
            assert.deepEqual(a.fields, a.seq === count1 ? [] : ["region", "ph"]);
          }
        }
        const noSession = await api.get("/me/accesses");
        assert.equal(noSession.status, 401);
      });
    });
  }
});
