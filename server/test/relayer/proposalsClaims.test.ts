/**
 * Proposals and claims through the relayer, against a real Hardhat node with the co-op deployed, on both stores,
 * over HTTP as the indexer serves it. Members left with zero ETH make a proposal (`proposeBySig`: the member is
 * its proposer) and collect their shares of two partners' fees (`Revenue.claim`, `claimMany`). The attacks of
 * THREATS.md, each refused with nothing sent (the relayer's account nonce, balance and stored relays unchanged):
 * a replayed proposal signature, an expired deadline, a non-member's proposal, a high-s twin, a forged signer, a
 * proposal over the member's daily number; a claim of nothing, a replayed claim, a non-member's claim, a claim over
 * the member's daily number, and a budget drain by many empty claims. A claim sent by someone else for a member is
 * accepted — and pays that member, never the sender or the relayer. Two processes sharing a Postgres store share
 * one budget: of two relays that together exceed it, sent at the same moment, exactly one is accepted.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress, type Address, type Hex, zeroHash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { relayerMigrations } from "../../src/relayer/migrations.ts";
import { createRelayer, type Relayer, type RelayerState } from "../../src/relayer/relayer.ts";
import type { ProposalRequest } from "@datacoop/protocol/typedData";
import { RELAYER_PATH } from "../../src/http/app.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { http, type GatewayHttp } from "../support/gateway.ts";
import { startNode, type TestNode } from "../support/node.ts";
import { stores } from "../support/stores.ts";
import { retrying } from "../support/wait.ts";
import { highSTwin } from "../support/highS.ts";
import { PATHS, body, sign } from "./sign.ts";
import {
  footprint as relayerFootprint,
  settled as settledRelay,
  type RelayBody,
} from "./observe.ts";

const RELAYER = 19;
const SECOND_RELAYER = 18;
const PARTNERS = [15, 16];
const FEE = 10n ** 18n;
const BUDGET = 10n ** 18n;

const member = privateKeyToAccount(generatePrivateKey());
const second = privateKeyToAccount(generatePrivateKey());
const outsider = privateKeyToAccount(generatePrivateKey());

describe("relayed proposals and claims against a real chain", () => {
  for (const store of stores) {
    describe(store.name, () => {
      let chain: TestChain;
      let db: Db;
      let node: TestNode;
      let api: GatewayHttp;
      let state: RelayerState;
      const c = () => coop(chain);
      const relayerAddress = () => chain.accounts[RELAYER].address;

      const settled = (id: string) => settledRelay(api, id);

      const footprint = () => relayerFootprint(chain, db, relayerAddress());

      async function refused(path: string, payload: unknown, status: number, code: string) {
        const res = await api.post(path, payload);
        assert.equal(res.status, status, `${code}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error?.code, code, JSON.stringify(res.body));
        assert.ok(res.body.error?.message);
        return res.body as { error: { details?: Record<string, unknown> } };
      }

      async function accepted(path: string, payload: unknown): Promise<RelayBody> {
        const res = await api.post<{ id: string; status: string }>(path, payload);
        assert.equal(res.status, 202, JSON.stringify(res.body));
        return settled(res.body.id);
      }

      const deadlineIn = async (seconds: number) =>
        (await chain.publicClient.getBlock()).timestamp + BigInt(seconds);

      const proposal = async (
        signer = member,
        overrides: Partial<ProposalRequest> = {},
      ): Promise<ProposalRequest> =>
        sign<ProposalRequest>(
          signer,
          {
            kind: "proposal",
            proposer: signer.address,
            targets: [chain.deployment.contracts.registry],
            values: [0n],
            calldatas: [
              c().call("registry", "setMinimumFee", [BigInt(Math.floor(Math.random() * 1e9))]).data,
            ],
            description: `# Raise the minimum fee\n\nProposed by a member without ETH (${Math.random()}).`,
            deadline: await deadlineIn(600),
            ...overrides,
          },
          state.domains.governor,
        );

      before(async () => {
        chain = retrying(await startChain());
        db = await store.open();
        await migrate(db, relayerMigrations);
        const co = c();
        await co.pass(
          [
            co.call("membership", "admit", [member.address]),
            co.call("membership", "admit", [second.address]),
            co.call("registry", "registerDataset", [
              "Yields",
              "ipfs://schemas/yields",
              `0x${"11".repeat(32)}`,
              ["plot", "yield"],
            ]),
          ],
          "# Admit two members and register the yields dataset",
        );
        // Two partners pay a fee each; one vote approves both: each fee is split equally among the members.
        for (const [i, partner] of PARTNERS.entries()) {
          await co.send(
            partner,
            "registry",
            "requestAccess",
            [
              1n,
              0,
              { fieldMask: 0b10n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
              30n * 86_400n,
              `ipfs://terms/partner-${i}`,
              `Partner ${i}`,
            ],
            FEE,
          );
        }
        const approvals = await Promise.all(
          [1n, 2n].map((id) =>
            co.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [id]),
          ),
        );
        await co.pass(
          approvals.map((a) => ({ target: a[0][0], value: a[1][0], data: a[2][0] })),
          approvals.map((a) => a[3]).join("\n\n"),
        );
        for (const a of [member, second, outsider]) {
          await chain.testClient.setBalance({ address: a.address, value: 0n });
        }
        node = await startNode(
          chain,
          {
            store: db,
            operator: false,
            relayer: {
              account: chain.accounts[RELAYER],
              limits: {
                gasBudgetWei: BUDGET,
                relaysPerMemberPerHour: 100,
                claimsPerMemberPerDay: 1,
                proposalsPerMemberPerDay: 1,
              },
              pollIntervalMs: 50,
            },
          },
          { follow: false },
        );
        api = http(`${node.url}${RELAYER_PATH}`);
        const res = await api.get<RelayerState>("");
        assert.equal(res.status, 200);
        state = res.body;
      });
      after(async () => {
        await node?.stop();
        await db?.close();
        await chain?.stop();
      });

      it("lists proposals and claims among what it accepts, with their limits and OpenAPI paths", async () => {
        assert.deepEqual(state.accepts, [
          "votes",
          "consents",
          "grant-choices",
          "claims",
          "proposals",
        ]);
        assert.equal(state.limits.claimsPerMemberPerDay, 1);
        assert.equal(state.limits.proposalsPerMemberPerDay, 1);
        assert.equal(state.contracts.revenue, chain.deployment.contracts.revenue);
        const doc = (await (await fetch(`${node.url}/openapi.json`)).json()) as {
          paths: Record<string, { post?: { description?: string } }>;
        };
        for (const route of ["/proposals", "/claims"]) {
          assert.ok(doc.paths[`${RELAYER_PATH}${route}`]?.post?.description, route);
        }
      });

      it("makes a member's proposal without ETH: the member is its proposer, a short number", async () => {
        const before = await c().read<bigint>("governor", "latestProposalId");
        const p = await proposal();
        const relay = await accepted(PATHS.proposal, body(p));
        assert.equal(relay.status, "mined", JSON.stringify(relay.error));
        assert.equal(relay.kind, "proposal");
        const id = await c().read<bigint>("governor", "latestProposalId");
        assert.equal(id, before + 1n);
        assert.equal(await c().read<Address>("governor", "proposalProposer", [id]), member.address);
        assert.equal(await chain.publicClient.getBalance({ address: member.address }), 0n);

        // The same signature again, and the same proposal signed again with another deadline: one proposal only.
        const snapshot = await footprint();
        await refused(PATHS.proposal, body(p), 409, "already_relayed");
        const again = await sign<ProposalRequest>(
          member,
          { ...p, deadline: p.deadline + 1n },
          state.domains.governor,
        );
        await refused(PATHS.proposal, body(again), 409, "already_relayed");
        assert.deepEqual(await footprint(), snapshot);
      });

      it("refuses expired, non-member, high-s, forged, front-run and over-limit proposals, sending nothing", async () => {
        const snapshot = await footprint();
        // Expired, and too close to expiring to be mined.
        await refused(
          PATHS.proposal,
          body(await proposal(second, { deadline: await deadlineIn(-1) })),
          422,
          "deadline_passed",
        );
        await refused(
          PATHS.proposal,
          body(await proposal(second, { deadline: await deadlineIn(3) })),
          422,
          "deadline_passed",
        );
        // Someone who is not a member.
        await refused(PATHS.proposal, body(await proposal(outsider)), 403, "not_member");
        // The high-s twin of a valid signature (the contract refuses it; so does the relayer).
        const valid = await proposal(second);
        await refused(
          PATHS.proposal,
          { ...body(valid), signature: highSTwin(valid.signature) },
          401,
          "signature_high_s",
        );
        // An outsider's signature naming a member as proposer.
        const forged = await sign<ProposalRequest>(
          outsider,
          { ...valid, proposer: second.address },
          state.domains.governor,
        );
        await refused(PATHS.proposal, body(forged), 401, "bad_signature");
        // A description reserved for another proposer (the governor's front-running protection) would revert.
        const reserved = await proposal(second, {
          description: `# Mine\n\n#proposer=${member.address}`,
        });
        const revert = await refused(PATHS.proposal, body(reserved), 422, "would_revert");
        assert.equal(revert.error.details?.error, "GovernorRestrictedProposer");
        // Uneven actions, and too many of them.
        await refused(
          PATHS.proposal,
          { ...body(valid), values: ["0", "0"] },
          400,
          "invalid_request",
        );
        const many = Array.from({ length: 11 }, () => valid.targets[0]);
        await refused(
          PATHS.proposal,
          {
            ...body(valid),
            targets: many,
            values: many.map(() => "0"),
            calldatas: many.map(() => "0x"),
          },
          400,
          "invalid_request",
        );
        // The member's daily number of proposals (1 here) is used up.
        await refused(PATHS.proposal, body(await proposal(member)), 429, "rate_limited");
        assert.deepEqual(await footprint(), snapshot);
      });

      it("collects a member's share for them, without ETH, and pays the member only", async () => {
        const share = await c().read<bigint>("revenue", "claimableOf", [1n, member.address]);
        assert.ok(share > 0n);
        const relayerBefore = await chain.publicClient.getBalance({ address: relayerAddress() });
        const relay = await accepted(PATHS.claim, {
          member: member.address,
          claims: [{ grantId: "1" }],
        });
        assert.equal(relay.status, "mined", JSON.stringify(relay.error));
        assert.equal(relay.kind, "claim");
        assert.equal(await chain.publicClient.getBalance({ address: member.address }), share);
        assert.equal(await c().read<bigint>("revenue", "claimableOf", [1n, member.address]), 0n);
        // The relayer paid gas and received nothing.
        assert.ok(
          (await chain.publicClient.getBalance({ address: relayerAddress() })) < relayerBefore,
        );

        // The same claim again: on record (idempotent), nothing sent.
        const snapshot = await footprint();
        const replay = await refused(
          PATHS.claim,
          { member: member.address, claims: [{ grantId: "1" }] },
          409,
          "already_relayed",
        );
        assert.equal(replay.error.details?.id, relay.id);
        // A second share, past the member's daily number of claims (1 here).
        await refused(
          PATHS.claim,
          { member: member.address, claims: [{ grantId: "2" }] },
          429,
          "rate_limited",
        );
        assert.deepEqual(await footprint(), snapshot);
      });

      it("takes a claim sent by someone else for a member — and pays that member, both shares in one transaction", async () => {
        // Nothing is signed: anyone may ask. Revenue pays the member named, so the asker gains nothing.
        const shares =
          (await c().read<bigint>("revenue", "claimableOf", [1n, second.address])) +
          (await c().read<bigint>("revenue", "claimableOf", [2n, second.address]));
        const relay = await accepted(PATHS.claim, {
          member: second.address,
          claims: [{ grantId: "1" }, { grantId: "2" }],
        });
        assert.equal(relay.status, "mined", JSON.stringify(relay.error));
        assert.equal(relay.signer, second.address);
        assert.equal(await chain.publicClient.getBalance({ address: second.address }), shares);
        assert.equal(await chain.publicClient.getBalance({ address: outsider.address }), 0n);
        const tx = await chain.publicClient.getTransaction({ hash: relay.txHash! });
        assert.equal(getAddress(tx.from), relayerAddress());
        assert.equal(getAddress(tx.to!), chain.deployment.contracts.revenue);
      });

      it("refuses a claim of nothing, a non-member's claim and a budget drain by many empty claims, sending nothing", async () => {
        // Founder 1 collects their share directly; the relayer then has nothing to collect for them.
        await c().send(1, "revenue", "claim", [1n, chain.accounts[1].address]);
        const snapshot = await footprint();
        const nothing = await refused(
          PATHS.claim,
          { member: chain.accounts[1].address, claims: [{ grantId: "1" }] },
          409,
          "nothing_to_claim",
        );
        assert.deepEqual(nothing.error.details?.grantIds, ["1"]);
        // A share in a claim already relayed, grouped with another.
        await refused(
          PATHS.claim,
          { member: second.address, claims: [{ grantId: "2" }, { grantId: "1" }] },
          409,
          "already_relayed",
        );
        // Someone who is not a member, and a by-use share of a grant split equally (no such share).
        await refused(
          PATHS.claim,
          { member: outsider.address, claims: [{ grantId: "1" }] },
          403,
          "not_member",
        );
        await refused(
          PATHS.claim,
          {
            member: chain.accounts[2].address,
            claims: [{ grantId: "1", amount: "5", proof: [zeroHash] }, { grantId: "2" }],
          },
          422,
          "would_revert",
        );
        // The drain: a hundred claims of shares that do not exist or are gone, for every member there is.
        const members = [0, 1, 2, 3].map((i) => chain.accounts[i].address);
        const attempts = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            api.post(PATHS.claim, {
              member: i % 5 === 4 ? member.address : members[i % 5],
              claims: [{ grantId: String(100 + i) }],
            }),
          ),
        );
        for (const res of attempts) {
          assert.equal(res.status, 409, JSON.stringify(res.body));
          assert.equal(res.body.error?.code, "nothing_to_claim");
        }
        // Bodies out of bounds.
        await refused(PATHS.claim, { member: member.address, claims: [] }, 400, "invalid_request");
        await refused(
          PATHS.claim,
          { member: member.address, claims: [{ grantId: "3" }, { grantId: "3" }] },
          400,
          "invalid_request",
        );
        await refused(
          PATHS.claim,
          {
            member: member.address,
            claims: Array.from({ length: 17 }, (_, i) => ({ grantId: String(i) })),
          },
          400,
          "invalid_request",
        );
        await refused(
          PATHS.claim,
          { member: member.address, claims: [{ grantId: "3", proof: [] }] },
          400,
          "invalid_request",
        );
        assert.deepEqual(await footprint(), snapshot);
        const res = await api.get<RelayerState>("");
        assert.equal(res.body.budget.reservedWei, "0");
      });

      // PGlite serves one process; the server store is where processes share a budget.
      const twin = store.twin;
      if (twin)
        it("shares one budget between two processes: of two relays that together exceed it, exactly one is accepted", async () => {
          const twinDb = await twin(db);
          const { spent, reserved } = await (async () => {
            const s = (await api.get<RelayerState>("")).body.budget;
            return { spent: BigInt(s.spentWei), reserved: BigInt(s.reservedWei) };
          })();
          assert.equal(reserved, 0n);
          // Founders 2 and 3 still have their share of grant 1; each claim's most cost, as the relayer reckons it.
          const claims = [2, 3].map((i) => ({
            member: chain.accounts[i].address,
            claims: [{ grantId: "1" }],
          }));
          await chain.testClient.setAutomine(false);
          const relayers: Relayer[] = [];
          try {
            const fees = await chain.publicClient.estimateFeesPerGas();
            const gas = await chain.publicClient.estimateGas({
              account: relayerAddress(),
              to: chain.deployment.contracts.revenue,
              data: c().call("revenue", "claim", [1n, chain.accounts[2].address]).data,
            });
            const most = ((gas * 12n) / 10n + 5_000n) * fees.maxFeePerGas;
            // Room for one and a half of them.
            const budget = spent + (most * 3n) / 2n;
            for (const [q, key] of [
              [db, RELAYER],
              [twinDb, SECOND_RELAYER],
            ] as const) {
              relayers.push(
                await createRelayer({
                  db: q,
                  client: chain.publicClient,
                  account: chain.accounts[key],
                  deployment: chain.deployment,
                  limits: { gasBudgetWei: budget, claimsPerMemberPerDay: 5 },
                  pollIntervalMs: 50,
                }),
              );
            }
            const outcomes = await Promise.allSettled(
              relayers.map((r, i) =>
                r.submit({
                  kind: "claim",
                  member: claims[i].member,
                  equalGrantIds: [1n],
                  allocations: [],
                }),
              ),
            );
            const codes = outcomes.map((o) =>
              o.status === "fulfilled" ? "accepted" : (o.reason as { code?: string }).code,
            );
            assert.deepEqual(codes.sort(), ["accepted", "budget_exhausted"]);
          } finally {
            await chain.testClient.setAutomine(true);
            await chain.testClient.mine({ blocks: 1 });
            for (const r of relayers) {
              await r.poll();
              await r.stop();
            }
            await twinDb.close();
          }
        });
    });
  }
});
