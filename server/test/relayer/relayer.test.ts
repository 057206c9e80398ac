/**
 * The relayer against a real Hardhat node with the co-op deployed, on both stores, over HTTP as the indexer
 * serves it. Members admitted by a vote and then left with zero ETH vote, change their consent and opt out
 * of a grant through the relayer, and the chain shows it. Replays (mined or in flight), non-members, forged
 * signatures, signatures for another chain or contract, expired deadlines, consent signatures older than the
 * member's latest decision, ballots with a nonce other than 0, calls that would
 * revert, members over their hourly limit and requests over the gas budget are refused — and the relayer's
 * account nonce and balance show that nothing was sent. Relays keep their status across a restart, and a
 * relay left pending by a stopped relayer is seen into its block by the next one.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Hex, zeroHash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { governorAbi } from "@datacoop/protocol/abis.generated";
import { relayerMigrations } from "../../src/relayer/migrations.ts";
import { createRelayer, type Relayer, type RelayerState } from "../../src/relayer/relayer.ts";
import { relayerRoutes } from "../../src/relayer/routes.ts";
import type { ConsentRequest, GrantChoiceRequest, VoteRequest } from "@datacoop/protocol/typedData";
import { RELAYER_PATH } from "../../src/http/app.ts";
import type { Db } from "../../src/store/db.ts";
import { migrate } from "../../src/store/migrate.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop, type Proposal } from "../support/coop.ts";
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
const PARTNER = 15;
const PER_HOUR = 100;
const STRICT_PER_HOUR = 3;
const BUDGET = 10n ** 18n;

const member = privateKeyToAccount(generatePrivateKey());
const second = privateKeyToAccount(generatePrivateKey());
const outsider = privateKeyToAccount(generatePrivateKey());

describe("relayer against a real chain", () => {
  for (const store of stores) {
    describe(store.name, () => {
      let chain: TestChain;
      let db: Db;
      let node: TestNode;
      let api: GatewayHttp;
      let base: string;
      let proposal: Proposal;
      let state: RelayerState;
      const relayerAddress = () => chain.accounts[RELAYER].address;

      async function startRelayer(limits: Partial<Relayer["limits"]> = {}) {
        // The server as main.ts builds it, serving the relayer; the follower and the operator stay idle.
        node = await startNode(
          chain,
          {
            store: db,
            operator: false,
            relayer: {
              account: chain.accounts[RELAYER],
              limits: { gasBudgetWei: BUDGET, relaysPerMemberPerHour: PER_HOUR, ...limits },
              pollIntervalMs: 50,
            },
          },
          { follow: false },
        );
        base = `${node.url}${RELAYER_PATH}`;
        api = http(base);
      }

      async function stopRelayer() {
        await node.stop();
      }

      const settled = (id: string) => settledRelay(api, id);

      const footprint = () => relayerFootprint(chain, db, relayerAddress());

      /** Now on the chain's clock: the time a member signs a decision (it must be later than their latest). */
      const signedNow = async () => (await chain.publicClient.getBlock()).timestamp;

      const deadlineIn = async (seconds: number) =>
        (await chain.publicClient.getBlock()).timestamp + BigInt(seconds);

      before(async () => {
        chain = retrying(await startChain());
        db = await store.open();
        await migrate(db, relayerMigrations);
        const c = coop(chain);
        // Two fresh keys become members by a vote; a dataset is registered in the same proposal.
        await c.pass(
          [
            c.call("membership", "admit", [member.address]),
            c.call("membership", "admit", [second.address]),
            c.call("registry", "registerDataset", [
              "Yields",
              "ipfs://schemas/yields",
              `0x${"11".repeat(32)}`,
              ["plot", "yield"],
            ]),
          ],
          "# Admit two members and register the yields dataset",
        );
        await c.send(PARTNER, "registry", "requestAccess", [
          1n,
          0,
          { fieldMask: 0b10n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
          30n * 86_400n,
          "ipfs://terms/partner",
          "Valley Research Institute",
        ]);
        proposal = await c.propose(
          0,
          [c.call("membership", "admit", [chain.accounts[13].address])],
          "# Admit account 13",
        );
        await c.warp(2);
        // Members without a wei to their name.
        for (const a of [member, second, outsider]) {
          await chain.testClient.setBalance({ address: a.address, value: 0n });
        }
        await startRelayer();
        const res = await api.get<RelayerState>("");
        assert.equal(res.status, 200);
        state = res.body;
      });
      after(async () => {
        await node?.stop();
        await db?.close();
        await chain?.stop();
      });

      it("shows its address, budget, limits and the contracts' signing domains", async () => {
        const doc = (await (await fetch(base.replace(RELAYER_PATH, "/openapi.json"))).json()) as {
          paths: Record<string, unknown>;
        };
        for (const route of ["", "/votes", "/consents", "/grant-choices", "/relays/{id}"]) {
          assert.ok(doc.paths[`${RELAYER_PATH}${route}`], `${route} is in the OpenAPI document`);
        }
        assert.equal(state.address, relayerAddress());
        assert.equal(state.chainId, chain.deployment.chainId);
        assert.equal(state.budget.totalWei, BUDGET.toString());
        assert.equal(state.budget.spentWei, "0");
        assert.equal(state.budget.leftWei, BUDGET.toString());
        assert.equal(state.limits.relaysPerMemberPerHour, PER_HOUR);
        assert.deepEqual(state.domains.consent, {
          name: "DataCoop Consent",
          version: "1",
          chainId: chain.deployment.chainId,
          verifyingContract: chain.deployment.contracts.consent,
        });
        assert.equal(state.domains.governor.verifyingContract, chain.deployment.contracts.governor);
        assert.ok(BigInt(state.balanceWei) > 0n);
      });

      let vote: VoteRequest;
      let consent: ConsentRequest;

      it("lets a member with no ETH vote, and the chain counts the vote", async () => {
        const c = coop(chain);
        const before = await c.read<[bigint, bigint, bigint]>("governor", "proposalVotes", [
          proposal.id,
        ]);
        // The governor uses no nonces: every ballot signs nonce 0, and one vote per proposal refuses a replay.
        assert.equal(await c.read<bigint>("governor", "nonces", [member.address]), 0n);
        vote = await sign<VoteRequest>(
          member,
          { kind: "vote", voter: member.address, proposalId: proposal.id, support: 1, nonce: 0n },
          state.domains.governor,
        );
        const res = await api.post<RelayBody>(PATHS.vote, body(vote));
        assert.equal(res.status, 202, JSON.stringify(res.body));
        assert.equal(res.body.status, "pending");
        assert.equal(res.body.statusUrl, `${RELAYER_PATH}/relays/${res.body.id}`);
        const done = await settled(res.body.id);
        assert.equal(done.status, "mined", JSON.stringify(done.error));
        assert.equal(done.error, null);
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: done.txHash! });
        assert.equal(receipt.from, relayerAddress().toLowerCase());
        assert.equal(done.blockNumber, receipt.blockNumber.toString());
        assert.equal(done.costWei, (receipt.gasUsed * receipt.effectiveGasPrice).toString());
        assert.equal(await c.read("governor", "hasVoted", [proposal.id, member.address]), true);
        const after = await c.read<[bigint, bigint, bigint]>("governor", "proposalVotes", [
          proposal.id,
        ]);
        assert.equal(after[1], before[1] + 1n);
        assert.equal(await chain.publicClient.getBalance({ address: member.address }), 0n);
      });

      it("relays a ballot with a reason (ExtendedBallot)", async () => {
        const c = coop(chain);
        const ballot = await sign<VoteRequest>(
          second,
          {
            kind: "vote",
            voter: second.address,
            proposalId: proposal.id,
            support: 0,
            nonce: 0n,
            reason: "Not before the next general assembly",
          },
          state.domains.governor,
        );
        const res = await api.post<RelayBody>(PATHS.vote, body(ballot));
        assert.equal(res.status, 202, JSON.stringify(res.body));
        assert.equal((await settled(res.body.id)).status, "mined");
        const [against] = await c.read<[bigint, bigint, bigint]>("governor", "proposalVotes", [
          proposal.id,
        ]);
        assert.equal(against, 1n);
        const logs = await chain.publicClient.getContractEvents({
          address: chain.deployment.contracts.governor,
          abi: governorAbi,
          eventName: "VoteCast",
          fromBlock: 0n,
        });
        const cast = logs.find((l) => l.args.voter === second.address);
        assert.equal(cast?.args.reason, "Not before the next general assembly");
      });

      it("changes a member's consent and opts them out of a grant", async () => {
        const c = coop(chain);
        consent = await sign<ConsentRequest>(
          member,
          {
            kind: "consent",
            member: member.address,
            mask: 0b11n,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        const res = await api.post<RelayBody>(PATHS.consent, body(consent));
        assert.equal(res.status, 202, JSON.stringify(res.body));
        assert.equal((await settled(res.body.id)).status, "mined");
        assert.equal(await c.read<bigint>("consent", "consentOf", [member.address]), 0b11n);
        assert.equal(await c.read("consent", "isCovered", [member.address, 1n]), true);

        const optOut = await sign<GrantChoiceRequest>(
          member,
          {
            kind: "grantChoice",
            member: member.address,
            grantId: 1n,
            choice: 2,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        const opted = await api.post<RelayBody>(PATHS.grantChoice, body(optOut));
        assert.equal(opted.status, 202, JSON.stringify(opted.body));
        assert.equal((await settled(opted.body.id)).status, "mined");
        assert.equal(await c.read<number>("consent", "grantChoiceOf", [member.address, 1n]), 2);
        assert.equal(await c.read("consent", "isCovered", [member.address, 1n]), false);
        assert.equal(await chain.publicClient.getBalance({ address: member.address }), 0n);
      });

      it("refuses replays, non-members, forged or misdirected signatures and expired deadlines, sending nothing", async () => {
        const before = await footprint();
        const refused = async (
          path: string,
          payload: unknown,
          status: number,
          code: string,
        ): Promise<Record<string, unknown>> => {
          const res = await api.post(path, payload);
          assert.equal(res.status, status, `${code}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error?.code, code, JSON.stringify(res.body));
          assert.ok(res.body.error?.message);
          return res.body;
        };
        // The same signatures again, after they were mined: the ballot's relay is on record, and the consent change
        // is no longer later than the member's latest decision (it is that decision).
        await refused(PATHS.vote, body(vote), 409, "already_relayed");
        const outdated = await refused(PATHS.consent, body(consent), 409, "signature_outdated");
        assert.equal(
          (outdated.error as { details: { latestDecisionAt: string } }).details.latestDecisionAt,
          consent.signedAt.toString(),
        );

        const fresh = async (signer = member, claimed = member.address, overrides = {}) =>
          sign<ConsentRequest>(
            signer,
            {
              kind: "consent",
              member: claimed,
              mask: 0b1n,
              signedAt: await signedNow(),
              deadline: await deadlineIn(600),
              ...overrides,
            },
            state.domains.consent,
          );
        // The high-s twin of each kind of signature (valid for viem, refused by the contracts, EIP-2):
        // a ballot and a consent change already relayed, and a fresh grant choice.
        await refused(
          PATHS.vote,
          { ...body(vote), signature: highSTwin(vote.signature) },
          401,
          "signature_high_s",
        );
        await refused(
          PATHS.consent,
          { ...body(consent), signature: highSTwin(consent.signature) },
          401,
          "signature_high_s",
        );
        const choice = await sign<GrantChoiceRequest>(
          member,
          {
            kind: "grantChoice",
            member: member.address,
            grantId: 1n,
            choice: 1,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        await refused(
          PATHS.grantChoice,
          { ...body(choice), signature: highSTwin(choice.signature) },
          401,
          "signature_high_s",
        );
        // A non-member signs for themselves.
        const stranger = await fresh(outsider, outsider.address);
        await refused(PATHS.consent, body(stranger), 403, "not_member");
        // Someone else signs in a member's name.
        await refused(PATHS.consent, body(await fresh(outsider)), 401, "bad_signature");
        // A valid signature, tampered with.
        const good = await fresh();
        await refused(PATHS.consent, { ...body(good), mask: "4" }, 401, "bad_signature");
        const flipped = good.signature.slice(0, 20) + (good.signature[20] === "a" ? "b" : "a");
        await refused(
          PATHS.consent,
          { ...body(good), signature: flipped + good.signature.slice(21) },
          401,
          "bad_signature",
        );
        // Signed for another chain, or for another contract.
        const otherChain = await sign<ConsentRequest>(
          member,
          { ...good, signature: undefined } as never,
          { ...state.domains.consent, chainId: 1 },
        );
        await refused(PATHS.consent, body(otherChain), 401, "bad_signature");
        const otherContract = await sign<ConsentRequest>(
          member,
          { ...good, signature: undefined } as never,
          { ...state.domains.consent, verifyingContract: chain.deployment.contracts.registry },
        );
        await refused(PATHS.consent, body(otherContract), 401, "bad_signature");
        // A ballot for another proposal than the one signed.
        await refused(
          PATHS.vote,
          { ...body(vote), proposalId: (proposal.id + 1n).toString() },
          401,
          "bad_signature",
        );
        // Expired, or expiring before a block could include it.
        const expired = await fresh(member, member.address, { deadline: await deadlineIn(-1) });
        await refused(PATHS.consent, body(expired), 422, "deadline_passed");
        const tooSoon = await fresh(member, member.address, { deadline: await deadlineIn(2) });
        await refused(PATHS.consent, body(tooSoon), 422, "deadline_passed");
        // Signed before the member's latest decision (an old signature kept by someone): refused.
        const older = await fresh(member, member.address, { signedAt: consent.signedAt - 1n });
        await refused(PATHS.consent, body(older), 409, "signature_outdated");
        // A ballot with a nonce other than 0.
        const nonZero = await sign<VoteRequest>(
          member,
          { kind: "vote", voter: member.address, proposalId: proposal.id, support: 1, nonce: 1n },
          state.domains.governor,
        );
        const notCurrent = await refused(PATHS.vote, body(nonZero), 409, "nonce_not_current");
        assert.equal(
          (notCurrent.error as { details: { currentNonce: string } }).details.currentNonce,
          "0",
        );
        // Malformed requests.
        await refused(PATHS.consent, { ...body(good), extra: 1 }, 400, "invalid_request");
        await refused(PATHS.consent, { ...body(good), member: "0x12" }, 400, "invalid_request");
        await refused(PATHS.consent, { ...body(good), mask: "-1" }, 400, "invalid_request");
        await refused(
          PATHS.consent,
          { ...body(good), mask: "1".repeat(79) },
          400,
          "invalid_request",
        );
        await refused(
          PATHS.consent,
          { ...body(good), signature: "0x1234" },
          400,
          "invalid_request",
        );
        await refused(PATHS.vote, { ...body(vote), support: 3 }, 400, "invalid_request");
        await refused(
          PATHS.consent,
          { ...body(good), pad: "x".repeat(20_000) },
          413,
          "body_too_large",
        );
        const notJson = await fetch(`${base}${PATHS.consent}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: "{",
        });
        assert.equal(notJson.status, 400);
        assert.equal((await api.get(`/relays/${crypto.randomUUID()}`)).status, 404);
        assert.equal((await api.get("/relays/nope")).status, 400);

        assert.deepEqual(await footprint(), before, "nothing sent, nothing stored");
      });

      it("refuses a call that would revert, with the decoded error, sending nothing", async () => {
        const before = await footprint();
        const unknownGrant = await sign<GrantChoiceRequest>(
          member,
          {
            kind: "grantChoice",
            member: member.address,
            grantId: 99n,
            choice: 2,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        const res = await api.post(PATHS.grantChoice, body(unknownGrant));
        assert.equal(res.status, 422, JSON.stringify(res.body));
        assert.equal(res.body.error?.code, "would_revert");
        assert.deepEqual(res.body.error?.details, {
          error: "ConsentRegistryUnknownGrant",
          args: ["99"],
        });
        assert.match(res.body.error.message, /ConsentRegistryUnknownGrant\(99\)/);

        const badMask = await sign<ConsentRequest>(
          member,
          {
            kind: "consent",
            member: member.address,
            mask: 1n << 100n,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        const mask = await api.post(PATHS.consent, body(badMask));
        assert.equal(mask.status, 422);
        assert.deepEqual(mask.body.error?.details, {
          error: "ConsentRegistryInvalidMask",
          args: [(1n << 100n).toString()],
        });

        const nowhere = 123n;
        const ballot = await sign<VoteRequest>(
          member,
          {
            kind: "vote",
            voter: member.address,
            proposalId: nowhere,
            support: 1,
            nonce: 0n,
          },
          state.domains.governor,
        );
        const missing = await api.post(PATHS.vote, body(ballot));
        assert.equal(missing.status, 422, JSON.stringify(missing.body));
        assert.deepEqual(missing.body.error?.details, {
          error: "GovernorNonexistentProposal",
          args: ["123"],
        });
        assert.deepEqual(await footprint(), before);
      });

      it("refuses a signature already in flight", async () => {
        await chain.testClient.setAutomine(false);
        try {
          const change = await sign<ConsentRequest>(
            second,
            {
              kind: "consent",
              member: second.address,
              mask: 0b100n,
              signedAt: await signedNow(),
              deadline: await deadlineIn(600),
            },
            state.domains.consent,
          );
          const first = await api.post<RelayBody>(PATHS.consent, body(change));
          assert.equal(first.status, 202, JSON.stringify(first.body));
          const again = await api.post(PATHS.consent, body(change));
          assert.equal(again.status, 409);
          assert.equal(again.body.error?.code, "already_relayed");
          assert.deepEqual(again.body.error?.details, { id: first.body.id });
          // Sent once: one transaction waits in the pool.
          const pending = await chain.publicClient.getTransactionCount({
            address: relayerAddress(),
            blockTag: "pending",
          });
          const latest = await chain.publicClient.getTransactionCount({
            address: relayerAddress(),
          });
          for (let i = 0; i < 100 && pending === latest; i++)
            await new Promise((r) => setTimeout(r, 20));
          assert.equal(
            (await chain.publicClient.getTransactionCount({
              address: relayerAddress(),
              blockTag: "pending",
            })) - latest,
            1,
          );
          await chain.testClient.mine({ blocks: 1 });
          assert.equal((await settled(first.body.id)).status, "mined");
          assert.equal(
            await coop(chain).read<bigint>("consent", "consentOf", [second.address]),
            0b100n,
          );
        } finally {
          await chain.testClient.setAutomine(true);
        }
      });

      it("reports a relay that reverted on chain as failed, with the decoded error", async () => {
        const c = coop(chain);
        const next = await c.propose(
          1,
          [c.call("membership", "admit", [chain.accounts[14].address])],
          "# Admit account 14",
        );
        await c.warp(2);
        // The relayer sends the member's ballot; before a block includes it, someone sends another ballot the
        // member signed directly, paying more, so it is mined first.
        const ballot = (support: number) =>
          sign<VoteRequest>(
            member,
            { kind: "vote", voter: member.address, proposalId: next.id, support, nonce: 0n },
            state.domains.governor,
          );
        const direct = await ballot(2);
        await chain.testClient.setAutomine(false);
        let id: string;
        try {
          const relayed = await api.post<RelayBody>(PATHS.vote, body(await ballot(1)));
          assert.equal(relayed.status, 202, JSON.stringify(relayed.body));
          id = relayed.body.id;
          for (let i = 0; i < 200; i++) {
            const sent = await db.query<{ tx_hash: string | null }>(
              "SELECT tx_hash FROM relayer_relays WHERE id = $1",
              [id],
            );
            if (sent.rows[0].tx_hash) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          await chain.wallet(0).writeContract({
            address: chain.deployment.contracts.governor,
            abi: governorAbi,
            functionName: "castVoteBySig",
            args: [next.id, 2, member.address, direct.signature],
            gas: 300_000n,
            maxFeePerGas: 1_000_000_000_000n,
            maxPriorityFeePerGas: 500_000_000_000n,
          });
          await chain.testClient.mine({ blocks: 1 });
        } finally {
          await chain.testClient.setAutomine(true);
        }
        const failed = await settled(id);
        assert.equal(failed.status, "failed");
        assert.ok(failed.txHash && failed.blockNumber);
        assert.equal(failed.error?.code, "reverted");
        assert.equal(failed.error?.name, "GovernorAlreadyCastVote");
        assert.deepEqual(failed.error?.args, [member.address]);
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: failed.txHash });
        assert.equal(receipt.status, "reverted");
        // Its gas was paid all the same and counts against the budget.
        assert.equal(failed.costWei, (receipt.gasUsed * receipt.effectiveGasPrice).toString());
        const votes = await c.read<[bigint, bigint, bigint]>("governor", "proposalVotes", [
          next.id,
        ]);
        assert.deepEqual(votes, [0n, 0n, 1n]);
      });

      it("holds each member to their hourly number of relays", async () => {
        // `second` has relayed a ballot and a consent change: under a limit of three, one more fits.
        await stopRelayer();
        await startRelayer({ relaysPerMemberPerHour: STRICT_PER_HOUR });
        const change = async (mask: bigint) =>
          sign<ConsentRequest>(
            second,
            {
              kind: "consent",
              member: second.address,
              mask,
              signedAt: await signedNow(),
              deadline: await deadlineIn(600),
            },
            state.domains.consent,
          );
        const third = await api.post<RelayBody>(PATHS.consent, body(await change(0b1000n)));
        assert.equal(third.status, 202, JSON.stringify(third.body));
        assert.equal((await settled(third.body.id)).status, "mined");
        const before = await footprint();
        const res = await fetch(`${base}${PATHS.consent}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body(await change(0b10000n))),
        });
        assert.equal(res.status, 429);
        const refusal = (await res.json()) as {
          error: { code: string; details: { limit: number; retryAfterSeconds: number } };
        };
        assert.equal(refusal.error.code, "rate_limited");
        assert.equal(refusal.error.details.limit, STRICT_PER_HOUR);
        assert.ok(refusal.error.details.retryAfterSeconds > 3500);
        assert.equal(
          res.headers.get("retry-after"),
          String(refusal.error.details.retryAfterSeconds),
        );
        assert.deepEqual(await footprint(), before);
        assert.equal(
          await coop(chain).read<bigint>("consent", "consentOf", [second.address]),
          0b1000n,
        );
        // Back to the usual limit: the relay is accepted.
        await stopRelayer();
        await startRelayer();
        const later = await api.post<RelayBody>(PATHS.consent, body(await change(0b10000n)));
        assert.equal(later.status, 202, JSON.stringify(later.body));
        assert.equal((await settled(later.body.id)).status, "mined");
      });

      it("counts every transaction's gas against the budget and refuses what would exceed it", async () => {
        const res = await api.get<RelayerState>("");
        const rows = await db.query<{ tx_hash: Hex }>(
          "SELECT tx_hash FROM relayer_relays WHERE block_number IS NOT NULL",
        );
        let spent = 0n;
        for (const { tx_hash } of rows.rows) {
          const r = await chain.publicClient.getTransactionReceipt({ hash: tx_hash });
          spent += r.gasUsed * r.effectiveGasPrice;
        }
        assert.ok(spent > 0n);
        assert.equal(res.body.budget.spentWei, spent.toString());
        assert.equal(res.body.budget.reservedWei, "0");
        assert.equal(res.body.budget.leftWei, (BUDGET - spent).toString());
        assert.equal(res.body.pending, 0);

        // The same store and key with a budget a thousand wei above what was spent.
        const tight = await createRelayer({
          db,
          client: chain.publicClient,
          account: chain.accounts[RELAYER],
          deployment: chain.deployment,
          limits: { gasBudgetWei: spent + 1000n },
        });
        const app = relayerRoutes({ relayer: tight });
        const before = await footprint();
        const change = await sign<ConsentRequest>(
          member,
          {
            kind: "consent",
            member: member.address,
            mask: 0b10n,
            signedAt: await signedNow(),
            deadline: await deadlineIn(600),
          },
          state.domains.consent,
        );
        const over = await app.request(PATHS.consent, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body(change)),
        });
        assert.equal(over.status, 402);
        const refusal = (await over.json()) as {
          error: { code: string; details: Record<string, string> };
        };
        assert.equal(refusal.error.code, "budget_exhausted");
        assert.equal(refusal.error.details.spentWei, spent.toString());
        assert.ok(BigInt(refusal.error.details.neededWei) > 1000n);
        assert.deepEqual(await footprint(), before);

        // A relayer whose own account is empty refuses too, whatever its budget.
        const broke = privateKeyToAccount(generatePrivateKey());
        const empty = relayerRoutes({
          relayer: await createRelayer({
            db,
            client: chain.publicClient,
            account: broke,
            deployment: chain.deployment,
            limits: { gasBudgetWei: BUDGET },
          }),
        });
        const unfunded = await empty.request(PATHS.consent, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body(change)),
        });
        assert.equal(unfunded.status, 503);
        assert.equal(
          ((await unfunded.json()) as { error: { code: string } }).error.code,
          "relayer_underfunded",
        );
        assert.deepEqual(await footprint(), before);
      });

      it("keeps every relay's status across a restart and sees a pending one into its block", async () => {
        const earlier = await db.query<{ id: string; status: string }>(
          "SELECT id, status FROM relayer_relays ORDER BY seq",
        );
        await chain.testClient.setAutomine(false);
        let id: string;
        try {
          const change = await sign<ConsentRequest>(
            member,
            {
              kind: "consent",
              member: member.address,
              mask: 0b101n,
              signedAt: await signedNow(),
              deadline: await deadlineIn(600),
            },
            state.domains.consent,
          );
          const res = await api.post<RelayBody>(PATHS.consent, body(change));
          assert.equal(res.status, 202, JSON.stringify(res.body));
          id = res.body.id;
          // Wait until it was handed to the node, then stop the relayer before any block.
          for (let i = 0; i < 200; i++) {
            const row = await db.query<{ tx_hash: string | null }>(
              "SELECT tx_hash FROM relayer_relays WHERE id = $1",
              [id],
            );
            if (row.rows[0].tx_hash) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          await stopRelayer();
          await chain.testClient.mine({ blocks: 1 });
        } finally {
          await chain.testClient.setAutomine(true);
        }
        await startRelayer();
        const done = await settled(id);
        assert.equal(done.status, "mined");
        assert.equal(
          await coop(chain).read<bigint>("consent", "consentOf", [member.address]),
          0b101n,
        );
        for (const row of earlier.rows) {
          const res = await api.get<RelayBody>(`/relays/${row.id}`);
          assert.equal(res.status, 200);
          assert.equal(res.body.status, row.status);
        }
      });
    });
  }
});
