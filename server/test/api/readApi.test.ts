/**
 * The read API over an indexed history of a real chain: answers agree with the contracts, pagination
 * holds together, and bad input gets a 4xx with a code and a message, never a 5xx.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, stringToHex, type Address, type Hex, zeroHash } from "viem";
import { readApi } from "../../src/api/index.ts";
import * as queries from "../../src/follower/queries.ts";
import type { Db } from "../../src/store/db.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { chainIndexer } from "../support/indexChain.ts";
import { stores } from "../support/stores.ts";

type Json = Record<string, any>;

describe("read API", () => {
  let chain: TestChain;
  let c: ReturnType<typeof coop>;
  let approvalId: bigint;

  before(async () => {
    chain = await startChain();
    c = coop(chain);
    const addr = (i: number) => chain.accounts[i].address;
    await c.send(10, "membership", "applyForMembership", ["ipfs://me"]);
    await c.pass(
      [
        c.call("membership", "admit", [addr(10)]),
        c.call("registry", "registerDataset", [
          "Trips",
          "ipfs://trips",
          keccak256(stringToHex("trips")),
          ["driver", "km", "fare"],
        ]),
      ],
      "# Admit 10, register Trips",
    );
    const scope = { fieldMask: 0b011n, rowLevel: false, minCohort: 3, exactTabulations: zeroHash };
    await c.send(
      15,
      "registry",
      "requestAccess",
      [1n, 0, scope, 86_400n, "ipfs://t1", "Valley Research Institute"],
      parseEther("1"),
    );
    await c.send(
      16,
      "registry",
      "requestAccess",
      [1n, 1, scope, 86_400n, "ipfs://t2", "Valley Research Institute"],
      parseEther("2"),
    );
    await c.send(0, "consent", "setConsent", [0b1n]);
    await c.send(1, "consent", "setConsent", [0b11n]);
    await c.send(1, "consent", "setGrantChoice", [1n, 2]);
    await c.send(2, "consent", "setGrantChoice", [1n, 1]);
    const a1 = await c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [
      1n,
    ]);
    const p = await c.pass([{ target: a1[0][0], data: a1[2][0] }], a1[3]);
    approvalId = p.id;
    await c.send(3, "revenue", "claim", [1n, addr(3)]);
    await c.send(8, "accessLog", "anchor", [
      keccak256(stringToHex("root")),
      3n,
      `0x${"0".repeat(64)}`,
    ]);
  });

  after(() => chain?.stop());

  for (const store of stores) {
    describe(`read API (${store.name})`, () => {
      let db: Db;
      let app: ReturnType<typeof readApi>;
      let chainNow: bigint;

      before(async () => {
        db = await store.open();
        const indexer = await chainIndexer(db, chain);
        await indexer.catchUp();
        chainNow = (await c.latestBlock()).time;
        app = readApi(db, { now: () => chainNow });
      });
      after(() => db?.close());

      const get = async (path: string) => {
        const res = await app.request(path);
        return { status: res.status, body: (await res.json()) as Json };
      };
      const addr = (i: number) => chain.accounts[i].address.toLowerCase();

      it("lists the members the membership counts, and a member's detail", async () => {
        const count = await c.read<bigint>("membership", "memberCount");
        const { status, body } = await get("/members?limit=2");
        assert.equal(status, 200);
        assert.equal(body.total, Number(count));
        assert.equal(body.items.length, 2);
        const rest = await get("/members?limit=500&offset=2");
        const all = [...body.items, ...rest.body.items].map((m: Json) => m.address);
        assert.equal(new Set(all).size, Number(count));
        assert.ok(all.includes(addr(10)));

        const detail = await get(`/members/${chain.accounts[10].address}`);
        assert.equal(detail.status, 200);
        assert.equal(detail.body.isMember, true);
        assert.equal(detail.body.memberId, "6");
        assert.equal(
          detail.body.since,
          String(await c.read<bigint>("membership", "memberSince", [chain.accounts[10].address])),
        );
        assert.equal(detail.body.applications[0].uri, "ipfs://me");

        // Before the admission, 10 was not a member.
        const before = await get(`/members?at=${BigInt(detail.body.since) - 1n}`);
        assert.equal(before.body.total, Number(count) - 1);
      });

      it("serves proposals with the Governor's states and tallies", async () => {
        const { body } = await get("/proposals");
        assert.equal(body.total, 2);
        for (const p of body.items) {
          const state = await c.read<number>("governor", "state", [BigInt(p.proposalId)]);
          assert.equal(
            p.state,
            [
              "Pending",
              "Active",
              "Canceled",
              "Defeated",
              "Succeeded",
              "Queued",
              "Expired",
              "Executed",
            ][state],
          );
          const [against, forVotes, abstain] = await c.read<bigint[]>("governor", "proposalVotes", [
            BigInt(p.proposalId),
          ]);
          assert.deepEqual(
            [p.againstVotes, p.forVotes, p.abstainVotes],
            [against, forVotes, abstain].map(String),
          );
        }
        const executed = await get("/proposals?state=Executed&limit=1");
        assert.equal(executed.body.total, 2);
        assert.equal(executed.body.items.length, 1);
        const detail = await get(`/proposals/${approvalId}`);
        assert.equal(detail.status, 200);
        assert.equal(detail.body.actions[0].functionName, "approve");
        assert.equal(detail.body.votes.length, 4);
        assert.ok(detail.body.votes.every((v: Json) => v.support === "For"));
        // At its creation time the proposal was pending.
        const then = await get(`/proposals/${approvalId}?at=${detail.body.createdAt}`);
        assert.equal(then.body.state, "Pending");
        assert.equal(then.body.votes.length, 0);
      });

      it("serves datasets, requests and grants as the registry has them", async () => {
        const ds = await get("/datasets/1");
        assert.deepEqual(ds.body.fields, ["driver", "km", "fare"]);
        const requests = await get(`/requests?partner=${chain.accounts[16].address}`);
        assert.equal(requests.body.total, 1);
        assert.equal(requests.body.items[0].status, "Pending");
        assert.equal(requests.body.items[0].fee, parseEther("2").toString());
        assert.equal(requests.body.items[0].purposeKey, "PUBLIC_INTEREST_RESEARCH");
        const grants = await get("/grants?active=true");
        assert.equal(grants.body.total, 1);
        const grant = await get("/grants/1");
        assert.equal(grant.body.approvedByProposal, approvalId.toString());
        assert.equal(grant.body.active, await c.read<boolean>("registry", "isGrantActive", [1n]));
        const view = await c.read<{ end: bigint }>("registry", "request", [1n]);
        assert.equal(grant.body.end, view.end.toString());
        // Covered now: 0 (academic research), 2 (opted in); not 1 (opted out).
        assert.equal(grant.body.coveredMembers, 2);
        const afterEnd = await get(`/grants?active=true&at=${grant.body.end}`);
        assert.equal(afterEnd.body.total, 0);
        for (const i of [0, 1, 2, 3]) {
          const cov = await get(`/grants/1/coverage/${chain.accounts[i].address}`);
          assert.equal(
            cov.body.covered,
            await c.read<boolean>("consent", "isCovered", [chain.accounts[i].address, 1n]),
          );
        }
        const early = await get(`/grants/1/coverage/${addr(0)}?block=1`);
        assert.equal(early.body.covered, false);
      });

      it("serves consents with their history, revenue and claims, anchors and settings", async () => {
        const consents = await get(`/members/${addr(1)}/consents`);
        assert.equal(consents.body.current.mask, "3");
        assert.deepEqual(consents.body.current.purposes, [
          "ACADEMIC_RESEARCH",
          "PUBLIC_INTEREST_RESEARCH",
        ]);
        assert.deepEqual(
          consents.body.choices.map((x: Json) => [x.grantId, x.choice]),
          [["1", "OptOut"]],
        );
        assert.deepEqual(
          consents.body.history.map((h: Json) => h.kind),
          ["consent", "choice"],
        );
        const revenue = await get("/revenue/grants/1");
        const dist = await c.read<{ perMember: bigint; memberCount: bigint }>(
          "revenue",
          "distribution",
          [1n],
        );
        assert.equal(revenue.body.perMember, dist.perMember.toString());
        assert.equal(revenue.body.memberCount, dist.memberCount.toString());
        assert.equal(revenue.body.claimList.length, 1);
        const claims = await get(`/members/${addr(3)}/claims`);
        assert.equal(claims.body.claimed, dist.perMember.toString());
        assert.equal(claims.body.claimable.length, 0);
        const unclaimed = await get(`/members/${addr(4)}/claims`);
        assert.deepEqual(unclaimed.body.claimable, [
          { grantId: "1", amount: dist.perMember.toString() },
        ]);
        const anchors = await get("/anchors");
        assert.equal(anchors.body.items[0].size, "3");
        const settings = await get("/settings");
        const period = settings.body.items.find((s: Json) => s.setting === "voting_period");
        assert.equal(period.value, String(await c.read<bigint>("governor", "votingPeriod")));
        const apps = await get("/applications");
        assert.equal(apps.body.total, 1);
        assert.equal(
          apps.body.items[0].admittedAt,
          String(await c.read<bigint>("membership", "memberSince", [chain.accounts[10].address])),
        );
        assert.equal((await get("/applications?open=true")).body.total, 0);
        assert.equal((await get("/applications?open=false")).body.total, 1);
      });

      it("gives the gateway typed reads that agree with the contracts", async () => {
        const grant = await queries.getGrant(db, 1n);
        assert.ok(grant);
        const view = await c.read<{
          start: bigint;
          end: bigint;
          scope: { fieldMask: bigint; minCohort: number; exactTabulations: Hex };
        }>("registry", "request", [1n]);
        assert.deepEqual(
          [grant.start, grant.end, grant.fieldMask, grant.minCohort, grant.revokedBlock],
          [view.start.toString(), view.end.toString(), view.scope.fieldMask.toString(), 3, null],
        );
        assert.equal(await queries.getGrant(db, 2n), undefined); // requested, not approved
        assert.equal(await queries.isGrantActiveAt(db, 1n, chainNow), true);
        assert.equal(await queries.isGrantActiveAt(db, 1n, BigInt(grant.end)), false);
        assert.equal(await queries.isGrantActiveAt(db, 1n, BigInt(grant.end) - 1n), true);
        assert.equal(await queries.isRegistryPaused(db), false);
        const approved = BigInt(grant.approvedBlock);
        assert.equal(
          await queries.isGrantActiveAt(db, 1n, chainNow, { finalBlock: approved }),
          true,
        );
        assert.equal(
          await queries.isGrantActiveAt(db, 1n, chainNow, { finalBlock: approved - 1n }),
          false,
        );
        const expected: string[] = [];
        for (let i = 0; i < 20; i++) {
          const a = chain.accounts[i].address;
          const covered = await c.read<boolean>("consent", "isCovered", [a, 1n]);
          if (covered) expected.push(a.toLowerCase());
          assert.equal(await queries.isCovered(db, a, 1n, { time: chainNow }), covered);
          assert.equal(
            await queries.isMember(db, a),
            await c.read<boolean>("membership", "isMember", [a]),
          );
        }
        assert.deepEqual(await queries.coveredMembers(db, 1n), expected.sort());
        const ds = await queries.getDataset(db, 1n);
        assert.deepEqual(ds?.fields, ["driver", "km", "fare"]);
        assert.equal(await queries.getDataset(db, 2n), undefined);
      });

      it("describes every route in the OpenAPI document", async () => {
        const { status, body: doc } = await get("/openapi.json");
        assert.equal(status, 200);
        const paths = Object.keys(doc.paths ?? {});
        assert.ok(paths.length >= 18, `${paths.length} paths`);
        for (const [path, item] of Object.entries(doc.paths ?? {})) {
          const op = (item as Json).get;
          assert.ok(op?.summary, `${path} has a summary`);
          assert.ok(op.responses["200"] && op.responses["400"], `${path} documents its responses`);
        }
      });

      it("answers bad input with a 4xx and a code and message, never a 5xx", async () => {
        const good = chain.accounts[0].address;
        const bad = [
          "/members/0x123",
          "/members/not-an-address",
          `/members/${good}00`,
          `/members/${good.slice(0, 41)}g`,
          `/members/${good.slice(0, 2)}${good.slice(2, 6).toLowerCase()}${good.slice(6, 10).toUpperCase()}${good.slice(10)}`,
          "/members/0x0000000000000000000000000000000000000001", // never a member
          "/members/%27%20OR%201%3D1--",
          "/members?limit=0",
          "/members?limit=-1",
          "/members?limit=501",
          "/members?limit=99999999999999999999",
          "/members?limit=abc",
          "/members?limit=1.5",
          "/members?limit=1e2",
          "/members?limit=",
          "/members?offset=-5",
          "/members?offset=1000001",
          "/members?offset=NaN",
          "/members?limit=1&limit=2",
          "/members?at=-1",
          "/members?at=yesterday",
          "/members?at=1e9",
          "/members?at=99999999999999999",
          "/proposals?state=Expired",
          "/proposals?state=active",
          "/proposals?proposer=0xzz",
          "/proposals/abc",
          "/proposals/-1",
          "/proposals/1.0",
          `/proposals/${(1n << 256n).toString()}`,
          "/proposals/0x10",
          "/proposals/12345",
          "/datasets/0",
          "/datasets/99",
          "/datasets/one",
          "/datasets?limit=1000",
          "/requests?status=Done",
          "/requests?partner=0x1",
          "/requests?dataset=-2",
          "/requests/999",
          "/requests/%00",
          "/grants?active=yes",
          "/grants?active=1",
          "/grants?partner=' OR 1=1",
          "/grants/2",
          "/grants/abc",
          "/grants/1?at=now",
          `/grants/1/coverage/0x12`,
          `/grants/1/coverage/${good}?block=x`,
          `/grants/1/coverage/${good}?block=1&at=5`,
          `/grants/77/coverage/${good}`,
          "/revenue/grants/2",
          "/revenue/grants?offset=-1",
          "/members/0xabc/consents",
          "/members/0xabc/claims",
          "/anchors?limit=0",
          "/nothing/here",
          "/proposals/1/votes",
          "/members/%E0%A4%A",
          `/members/0x${"a".repeat(10_000)}`,
          `/proposals/${"9".repeat(5_000)}`,
          "/grants?at=%F0%9F%92%A5",
          "/members?limit[]=5",
          `/grants?partnr=${good}`, // misspelt filter
          "/proposals?stat=Active",
          "/applications?open=maybe",
        ];
        assert.ok(bad.length >= 50);
        for (const path of bad) {
          const res = await app.request(path);
          assert.ok(res.status >= 400 && res.status < 500, `${path} → ${res.status}`);
          const body = (await res.json()) as Json;
          assert.equal(typeof body.error?.code, "string", path);
          assert.ok(body.error.message.length > 0, path);
        }
        // Other methods and bodies are not served either.
        for (const method of ["POST", "PUT", "DELETE"]) {
          const res = await app.request("/members", { method, body: "{" });
          assert.ok(res.status >= 400 && res.status < 500, `${method} → ${res.status}`);
        }
      });
    });
  }
});
