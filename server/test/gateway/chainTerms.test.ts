/**
 * The gateway reads the co-op's on-chain terms through the indexed chain (the follower's ChainView), end
 * to end on a real Hardhat node: a grant the members voted to themselves (GrantedToMembers), a partner's
 * exact-mode grant whose tabulations are named by their hash, and the privacy cap set by vote
 * (PrivacyCapSet). Each attack of THREATS.md on these terms is kept here: a partner or a non-member
 * claiming the members' grant, a tabulations document or a query outside the voted hash, and a vote that
 * changes the cap's period mid-period to hand members a fresh budget.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Address, type Hex, zeroHash } from "viem";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import { tabulationsHash, type TabulationsDocument } from "@datacoop/protocol/tabulations";
import { type GatewayDomainConfig } from "@datacoop/protocol/typedData";
import type { SiweConfig } from "../../src/gateway/auth/memberAuth.ts";
import type { Db } from "../../src/store/db.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { http, signIn, signedQuery, type GatewayHttp } from "../support/gateway.ts";
import { startNode, type TestNode } from "../support/node.ts";
import { stores } from "../support/stores.ts";
import { retrying } from "../support/wait.ts";

const PARTNER = 15;
const NON_MEMBER = 12;
const CONTRIBUTORS = [0, 1, 2, 3, 4];
const ACADEMIC_RESEARCH = 0;
const DAY = 86_400;

const loans: SchemaDocument = {
  name: "Loan book",
  fields: [
    { name: "institution", type: "string", identifying: true },
    { name: "region", type: "string", enum: ["north", "south"] },
    { name: "amount", type: "number", min: 0, max: 1_000_000 },
  ],
};
const FIELDS = loans.fields.map((f) => f.name);
const declared: TabulationsDocument = {
  name: "Loans by region",
  tabulations: [
    { groupBy: ["region"], measures: [{ fn: "count" }, { fn: "sum", field: "amount" }] },
  ],
};
const countByRegion = {
  type: "aggregate",
  groupBy: ["region"],
  measures: [{ fn: "count" }, { fn: "sum", field: "amount" }],
};

describe("the gateway under the co-op's on-chain terms", () => {
  for (const store of stores) {
    describe(store.name, () => {
      let chain: TestChain;
      let db: Db;
      let node: TestNode;
      before(async () => {
        chain = retrying(await startChain());
        db = await store.open();
      });
      after(async () => {
        await node?.stop();
        await db?.close();
        await chain?.stop();
      });

      it("serves the members' grant to members only, the exact mode only as voted, and the voted cap", async () => {
        const c = coop(chain);
        const { deployment, accounts } = chain;
        const chainId = deployment.chainId;
        const siwe: SiweConfig = { domain: "coop.test", uri: "https://coop.test", chainId };
        const domain: GatewayDomainConfig = { chainId, registry: deployment.contracts.registry };
        node = await startNode(chain, { store: db, gateway: { siwe }, operator: false });
        const api: GatewayHttp = http(`${node.url}/gateway`);
        const indexed = (block?: bigint) => node.indexed(block);
        const send = async (...args: Parameters<typeof c.send>) =>
          indexed((await c.send(...args)).blockNumber);

        // The members vote: the dataset, a benchmark grant to themselves, and a privacy cap of ε = 0.5
        // per 10 days.
        const aggregate = {
          fieldMask: 0b110n,
          rowLevel: false,
          minCohort: 2,
          exactTabulations: zeroHash,
        };
        await c.pass(
          [
            c.call("registry", "registerDataset", [
              "Loan book",
              "ipfs://schemas/loans",
              canonicalHash(loans),
              FIELDS,
            ]),
            c.call("registry", "grantToMembers", [
              1n,
              ACADEMIC_RESEARCH,
              aggregate,
              BigInt(365 * DAY),
              "ipfs://terms/benchmark",
            ]),
            c.call("registry", "setPrivacyCap", [500_000n, BigInt(10 * DAY)]),
          ],
          "# Register the loan book, benchmark it ourselves, cap privacy loss",
        );
        await indexed();
        const membersGrant = 1n;
        assert.equal((await api.post("/datasets/1/schema", loans)).status, 200);

        const tokens = new Map<number, string>();
        for (const i of CONTRIBUTORS) tokens.set(i, await signIn(api, siwe, accounts[i]));
        for (const i of CONTRIBUTORS) {
          const stored = await api.post(
            "/datasets/1/records",
            {
              records: [
                {
                  recordId: `loan-${i}`,
                  values: {
                    institution: `Union ${i}`,
                    region: i % 2 ? "north" : "south",
                    amount: 1000 * (i + 1),
                  },
                },
              ],
            },
            tokens.get(i),
          );
          assert.equal(stored.status, 200, JSON.stringify(stored.body));
          await send(i, "consent", "setConsent", [1n << BigInt(ACADEMIC_RESEARCH)]);
        }

        // The cap members see is the one on chain, not the default: the new ε at once; the new 10-day
        // period only once the deployment's 30-day period (running when the vote passed) ends.
        type Privacy = { cap: { epsilon: number; period: { start: string; end: string } } };
        const privacy = await api.get<Privacy>("/me/privacy", tokens.get(0));
        assert.equal(privacy.status, 200, JSON.stringify(privacy.body));
        assert.equal(privacy.body.cap.epsilon, 0.5);
        const { start, end } = privacy.body.cap.period;
        // The deployment's term (the registry's constructor) started the running period.
        const { rows: first } = await db.query<{ block_time: string }>(
          "SELECT block_time FROM privacy_cap_changes ORDER BY block_number, log_index LIMIT 1",
        );
        assert.equal(Date.parse(start) / 1000, Number(first[0]!.block_time));
        assert.equal((Date.parse(end) - Date.parse(start)) / 1000, 30 * DAY);

        // A member queries the members' grant with their session: a private answer.
        const bench = {
          grantId: membersGrant.toString(),
          datasetId: "1",
          query: { type: "aggregate", measures: [{ fn: "count" }] },
        };
        const served = await api.post<{ answer: { mode: string } }>(
          "/me/query",
          bench,
          tokens.get(1),
        );
        assert.equal(served.status, 200, JSON.stringify(served.body));
        assert.equal(served.body.answer.mode, "private");

        // Attack: a partner with a grant of its own claims the members' grant.
        const exactHash = tabulationsHash(declared);
        await send(PARTNER, "registry", "requestAccess", [
          1n,
          ACADEMIC_RESEARCH,
          { ...aggregate, exactTabulations: exactHash },
          BigInt(30 * DAY),
          "ipfs://terms/partner",
          "Lakeside Credit Bureau",
        ]);
        const partnerGrant = 2n;
        const approval = await c.read<[Address[], bigint[], Hex[], string]>(
          "registry",
          "approvalProposal",
          [partnerGrant],
        );
        await c.pass([{ target: approval[0][0], data: approval[2][0] }], approval[3]);
        await indexed();
        const ask = async (query: unknown, grantId: bigint, from = PARTNER) =>
          api.post(
            "/query",
            await signedQuery(accounts[from], domain, { grantId, datasetId: 1n, query }),
          );
        const claimed = await ask(bench.query, membersGrant);
        assert.deepEqual([claimed.status, claimed.body.error?.code], [403, "not_grantee"]);
        // A non-member signing for it holds no grant at all: refused, nothing logged for it.
        const outsider = await ask(bench.query, membersGrant, NON_MEMBER);
        assert.equal(outsider.status, 403);
        assert.ok(
          ["no_grant", "not_grantee"].includes(outsider.body.error!.code),
          outsider.body.error!.code,
        );
        // And the members' grant is not the partner's to reach through a member's session either.
        assert.equal((await api.post("/me/query", bench)).status, 401);

        // Attack: a tabulations document other than the voted one.
        const other: TabulationsDocument = {
          tabulations: [{ groupBy: ["institution"], measures: [{ fn: "sum", field: "amount" }] }],
        };
        const wrong = await api.post(`/grants/${partnerGrant}/tabulations`, other);
        assert.deepEqual([wrong.status, wrong.body.error?.code], [409, "tabulations_mismatch"]);
        const notExact = await api.post(`/grants/${membersGrant}/tabulations`, declared);
        assert.deepEqual([notExact.status, notExact.body.error?.code], [409, "grant_not_exact"]);
        const published = await api.post(`/grants/${partnerGrant}/tabulations`, declared);
        assert.equal(published.status, 200, JSON.stringify(published.body));
        const shown = await api.get<{ hash: string }>(`/grants/${partnerGrant}/tabulations`);
        assert.equal(shown.body.hash, exactHash);

        // The declared tabulation is answered exactly; anything else is refused with a clear code.
        const exact = await ask(countByRegion, partnerGrant);
        assert.equal(exact.status, 200, JSON.stringify(exact.body));
        assert.equal((exact.body as { answer: { mode: string } }).answer.mode, "exact");
        const undeclared = await ask(
          { type: "aggregate", measures: [{ fn: "mean", field: "amount" }] },
          partnerGrant,
        );
        assert.deepEqual(
          [undeclared.status, undeclared.body.error?.code],
          [403, "tabulation_not_declared"],
        );

        // Attack: a vote shortens the cap's period mid-period (to one day), hoping for a fresh budget.
        await c.pass(
          [c.call("registry", "setPrivacyCap", [500_000n, BigInt(DAY)])],
          "# One-day privacy periods",
        );
        await indexed();
        const later = await api.get<Privacy>("/me/privacy", tokens.get(0));
        assert.equal(later.status, 200);
        // The vote took days (voting period, timelock); the running period is still the one before it.
        assert.equal(later.body.cap.period.start, start, "the running period keeps its start");
        assert.equal(later.body.cap.period.end, end, "and its end");
        // Once it has ended, one-day periods (the last vote's), counted from its end.
        const { time } = await c.latestBlock();
        await c.warp(Number(BigInt(Date.parse(end) / 1000) - time) + 3600);
        await indexed();
        const renewed = await api.get<Privacy>("/me/privacy", tokens.get(0));
        assert.equal(renewed.body.cap.period.start, end);
        const length = (Date.parse(renewed.body.cap.period.end) - Date.parse(end)) / 1000;
        assert.equal(length, DAY);
      });
    });
  }
});
