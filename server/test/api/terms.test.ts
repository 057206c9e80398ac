/**
 * The terms of issue 15 as the store and the read API show them, on a real chain and both stores: the
 * partner's name and the exact-mode term on requests and grants, a grant voted to the members, ERC-5805
 * self-delegation, the co-op's terms (privacy cap, claim period, treasury share), and revenue corrected
 * by vote (a replaced by-use allocation, a sweep of what no member claimed) — each compared with the
 * contracts' own views.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, stringToHex, type Address, type Hex, zeroHash } from "viem";
import { readApi } from "../../src/api/index.ts";
import { sqlChainView } from "../../src/follower/chainView.ts";
import type { Db } from "../../src/store/db.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { chainIndexer } from "../support/indexChain.ts";
import { stores } from "../support/stores.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
const DAY = 86_400;
const OPERATOR = 8;
const PARTNER = 15;
const EXACT = keccak256(stringToHex("declared tabulations"));

interface Distribution {
  root: Hex;
  allocated: bigint;
  claimed: bigint;
  swept: bigint;
  closed: boolean;
  memberShare: bigint;
}

describe("the contracts' terms in the store and the read API", () => {
  let chain: TestChain;
  let c: ReturnType<typeof coop>;
  let checkpointTime: bigint;

  before(async () => {
    chain = await startChain();
    c = coop(chain);
    const aggregate = {
      fieldMask: 0b11n,
      rowLevel: false,
      minCohort: 3,
      exactTabulations: zeroHash,
    };
    await c.pass(
      [
        c.call("registry", "registerDataset", [
          "Loans",
          "ipfs://loans",
          keccak256(stringToHex("loans")),
          ["institution", "amount"],
        ]),
        c.call("registry", "grantToMembers", [1n, 0, aggregate, BigInt(90 * DAY), "ipfs://bench"]),
        c.call("registry", "setPrivacyCap", [250_000n, BigInt(30 * DAY)]),
        c.call("revenue", "setClaimPeriod", [30 * DAY]),
        c.call("revenue", "setMode", [1]),
      ],
      "# Loans, a benchmark for ourselves, a privacy cap, a 30-day claim period, shares by use",
    );
    await c.send(
      PARTNER,
      "registry",
      "requestAccess",
      [
        1n,
        0,
        { ...aggregate, exactTabulations: EXACT },
        BigInt(DAY),
        "ipfs://t",
        "Lakeside Credit Bureau",
      ],
      parseEther("1"),
    );
    const a = await c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [
      2n,
    ]);
    await c.pass([{ target: a[0][0], data: a[2][0] }], a[3]);
    // The operator posts allocations; the co-op replaces them (more) before anyone claims; later it
    // sweeps what nobody claimed.
    const share = (await c.read<Distribution>("revenue", "distribution", [2n])).memberShare;
    await c.send(OPERATOR, "revenue", "postAllocation", [
      2n,
      keccak256(stringToHex("v1")),
      share / 2n,
    ]);
    const more = share - share / 4n;
    await c.pass(
      [
        {
          ...c.call("revenue", "replaceAllocation", [2n, keccak256(stringToHex("v2")), more]),
          value: more - share / 2n,
        },
      ],
      "# Correct grant 2's allocations",
    );
    await c.warp(31 * DAY);
    await c.pass([c.call("revenue", "sweep", [2n])], "# Sweep grant 2's unclaimed shares");
    checkpointTime = (await c.latestBlock()).time;
  });

  after(() => chain?.stop());

  for (const store of stores) {
    describe(store.name, () => {
      let db: Db;
      let app: ReturnType<typeof readApi>;
      before(async () => {
        db = await store.open();
        await (await chainIndexer(db, chain)).catchUp();
        app = readApi(db, { now: () => checkpointTime });
      });
      after(() => db?.close());
      const get = async (path: string) => {
        const res = await app.request(path);
        return { status: res.status, body: (await res.json()) as Json };
      };

      it("shows the partner's name, the exact-mode term and the members' grant as the registry does", async () => {
        for (const id of [1n, 2n]) {
          const onChain = await c.read<{
            partnerName: string;
            forMembers: boolean;
            scope: { exactTabulations: Hex };
          }>("registry", "request", [id]);
          const { status, body } = await get(`/grants/${id}`);
          assert.equal(status, 200, JSON.stringify(body));
          assert.equal(body.partnerName, onChain.partnerName);
          assert.equal(body.forMembers, onChain.forMembers);
          const exact =
            BigInt(onChain.scope.exactTabulations) === 0n
              ? null
              : onChain.scope.exactTabulations.toLowerCase();
          assert.equal(body.exactTabulations, exact);
        }
        const { body: requests } = await get("/requests");
        const partner = requests.items.find((r: Json) => r.requestId === "2");
        assert.deepEqual(
          [partner.partnerName, partner.forMembers, partner.exactTabulations],
          ["Lakeside Credit Bureau", false, EXACT.toLowerCase()],
        );
        // The members' grant came from a passed vote like any other.
        const { body: members } = await get("/grants/1");
        assert.equal(members.forMembers, true);
        assert.ok(members.approvedByProposal, "the vote that granted it");
      });

      it("gives the gateway the same facts", async () => {
        const view = sqlChainView({ chainId: chain.deployment.chainId, confirmations: 0 });
        const members = await view.grant(db, 1n);
        const partner = await view.grant(db, 2n);
        assert.equal(members?.toMembers, true);
        assert.equal(members?.scope.exactTabulations, null);
        assert.equal(partner?.toMembers, false);
        assert.equal(partner?.scope.exactTabulations, EXACT.toLowerCase());
      });

      it("shows every member delegated to self", async () => {
        const { body } = await get("/members?limit=100");
        assert.ok(body.items.length >= 5);
        for (const m of body.items) {
          const onChain = await c.read<Address>("membership", "delegates", [m.address]);
          assert.equal(m.delegate, onChain.toLowerCase());
          assert.equal(m.delegate, m.address);
        }
        const detail = await get(`/members/${body.items[0].address}`);
        assert.equal(detail.body.delegate, body.items[0].address);
      });

      it("states the co-op's terms as the contracts hold them", async () => {
        const { status, body } = await get("/settings");
        assert.equal(status, 200, JSON.stringify(body));
        const [epsilon, period] = await c.read<[bigint, bigint]>("registry", "privacyCap");
        assert.equal(body.terms.privacyCap.epsilonMillionths, epsilon.toString());
        assert.equal(body.terms.privacyCap.default, false);
        // The deployment's period was 30 days too: the voted term is in force.
        assert.equal(body.terms.privacyCap.periodSeconds, period.toString());
        assert.equal(
          body.terms.claimPeriodSeconds,
          String(await c.read<number>("revenue", "claimPeriod")),
        );
        assert.equal(
          body.terms.treasuryShareBps,
          Number(await c.read<number>("revenue", "treasuryShare")),
        );
        assert.equal(body.terms.revenueMode, "ByUse");
        assert.equal(body.terms.paused, false);
        assert.ok(
          BigInt(body.terms.privacyCap.periodStart) <= checkpointTime &&
            checkpointTime < BigInt(body.terms.privacyCap.periodEnd),
        );
      });

      it("shows a replaced allocation and a sweep, adding up like the revenue contract", async () => {
        const d = await c.read<Distribution>("revenue", "distribution", [2n]);
        const { status, body } = await get("/revenue/grants/2");
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.root, d.root.toLowerCase());
        assert.equal(body.allocated, d.allocated.toString());
        assert.equal(body.swept, d.swept.toString());
        assert.equal(body.closed, d.closed);
        assert.equal(body.closed, true);
        assert.equal(body.postedRoot, keccak256(stringToHex("v1")));
        assert.equal(body.replacements, "1");
        assert.equal(body.replacementList.length, 1);
        const r = body.replacementList[0];
        assert.equal(BigInt(r.allocated) - BigInt(r.oldAllocated), BigInt(r.fromTreasury));
        // Fee = treasury (net of the top-up) + swept back + claimed (none).
        assert.equal(
          BigInt(body.toTreasury) + BigInt(body.swept) + BigInt(body.claimed),
          BigInt(body.amount),
        );
        const [, toTreasury, , , , swept] = await c.read<bigint[]>("revenue", "totals");
        assert.equal(BigInt(body.toTreasury) + BigInt(body.swept), toTreasury);
        assert.equal(BigInt(body.swept), swept);
        // The OpenAPI document describes the new fields.
        const doc = (await get("/openapi.json")).body;
        for (const f of ["partnerName", "forMembers", "exactTabulations"])
          assert.ok(doc.components.schemas.Grant.properties[f].description, f);
        assert.ok(doc.components.schemas.Revenue.properties.swept.description);
        assert.ok(doc.components.schemas.CoopTerms);
      });
    });
  }
});
