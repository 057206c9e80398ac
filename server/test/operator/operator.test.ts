/**
 * The operator's duties end to end on a real chain, as the running indexer wires them: the gateway serves a
 * partner's queries under a grant whose fee is split by use; the access log is anchored on-chain; its
 * proofs are served under /proofs and verify against the anchors read from the chain; the by-use
 * distribution is built from the log, posted on the operator's signed command, and every member claims
 * exactly their share (forged proofs and second claims revert). Finally the log is tampered with in the
 * database: an edited and a deleted entry each make verification fail and name the batch.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  BaseError,
  ContractFunctionRevertedError,
  createWalletClient,
  http as viemHttp,
  type Address,
  type Hex,
  zeroHash,
} from "viem";
import { hardhat } from "viem/chains";
import { revenueAbi } from "@datacoop/protocol/abis.generated";
import { readAnchors } from "@datacoop/protocol/accessLog/anchors";
import { verifyLog } from "@datacoop/protocol/accessLog/batches";
import { createOperator, type Operator } from "../../src/operator/operator.ts";
import { NOTHING_ALLOCATED_ROOT } from "../../src/operator/revenue.ts";
import { allocationCommand } from "../../src/operator/revenueRoutes.ts";
import {
  accessLogEntryHash,
  verifyConsistency,
  verifyServedConsistency,
  verifyServedInclusion,
  type ServedConsistency,
  type ServedInclusion,
} from "@datacoop/protocol/accessLog/verify";
import { canonicalHash } from "@datacoop/protocol/canonical";
import type { SiweConfig } from "../../src/gateway/auth/memberAuth.ts";
import type { SchemaDocument } from "@datacoop/protocol/datasetSchema";
import type { Db } from "../../src/store/db.ts";
import { accounts, startChain, type TestChain } from "../support/chain.ts";
import { coop } from "../support/coop.ts";
import { http, signIn, signedQuery } from "../support/gateway.ts";
import { startNode, type TestNode } from "../support/node.ts";
import { highSTwin } from "../support/highS.ts";
import { stores } from "../support/stores.ts";
import { retrying, testLogger } from "../support/wait.ts";
import { type GatewayDomainConfig } from "@datacoop/protocol/typedData";

const PARTNER = 15;
const OTHER_PARTNER = 16;
const OPERATOR = 8;
const RELAYER = 11;
const CONTRIBUTORS = [0, 1, 2, 3, 4];
const ACADEMIC_RESEARCH = 0;
const PUBLIC_INTEREST = 1;
const BY_USE = 1;
// An odd fee, so that the split has remainders to round.
const FEE = 1_000_000_000_000_000_007n;

const soil: SchemaDocument = {
  name: "Soil readings",
  fields: [
    { name: "plot_owner", type: "string", identifying: true },
    { name: "region", type: "string", enum: ["north", "south"] },
    { name: "ph", type: "number", min: 0, max: 14 },
  ],
};
const rowsQuery = { type: "rows", select: ["region", "ph"], orderBy: [{ field: "ph" }] };

function revertName(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
  return revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : undefined;
}

for (const store of stores) {
  describe(`the gateway operator on a real chain (${store.name})`, () => {
    let chain: TestChain;
    let db: Db;
    let node: TestNode;
    let operator: Operator;
    before(async () => {
      chain = retrying(await startChain());
      db = await store.open();
    });
    after(async () => {
      await node?.stop();
      await db?.close();
      await chain?.stop();
    });

    it("anchors, proves, pays members by use, and names the batch of a tampered entry", async () => {
      const c = coop(chain);
      const { deployment } = chain;
      const addr = (i: number) => accounts[i].address;
      const chainId = deployment.chainId;
      const siwe: SiweConfig = { domain: "coop.test", uri: "https://coop.test", chainId };
      const gatewayDomain: GatewayDomainConfig = {
        chainId,
        registry: deployment.contracts.registry,
      };

      // As main.ts builds it; on the local chain the operator key defaults to test account 8. The test
      // drives the anchorer and the allocator itself, so the operator's loop does not run.
      node = await startNode(
        chain,
        {
          store: db,
          gateway: { siwe },
          operator: { intervalMs: 3_600_000, every: 1, allocateOnGrantEnd: false },
        },
        { operate: false },
      );
      operator = node.operator!;
      const { keys } = node;
      assert.equal(operator.address, addr(OPERATOR));
      assert.equal(operator.keySource, "local-test-account");
      const base = node.url;
      const api = http(`${base}/gateway`);
      const proofs = http(`${base}/proofs`);

      const indexed = () => node.indexed();
      const send = async (...args: Parameters<typeof c.send>) => {
        const receipt = await c.send(...args);
        await indexed();
        return receipt;
      };

      const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
        paths: Record<string, unknown>;
      };
      for (const p of [
        "/proofs/anchors",
        "/proofs/entries/{seq}/inclusion",
        "/proofs/consistency",
        "/proofs/allocations/{grantId}/members/{address}",
      ]) {
        assert.ok(p in doc.paths, `${p} in /openapi.json`);
      }

      // One vote: fees are split by use from now on, and the dataset is registered.
      await c.pass(
        [
          c.call("revenue", "setMode", [BY_USE]),
          c.call("registry", "registerDataset", [
            "Soil readings",
            "ipfs://schemas/soil",
            canonicalHash(soil),
            soil.fields.map((f) => f.name),
          ]),
        ],
        "# Split fees by use; register the soil readings dataset",
      );
      await indexed();
      assert.equal((await api.post("/datasets/1/schema", soil)).status, 200);
      for (const i of CONTRIBUTORS) {
        const token = await signIn(api, siwe, accounts[i]);
        const records = [0, 1].map((j) => ({
          recordId: `reading-${i}-${j}`,
          values: {
            plot_owner: `Farmer ${i}`,
            region: i % 2 ? "north" : "south",
            ph: 5 + i + j / 2,
          },
        }));
        assert.equal((await api.post("/datasets/1/records", { records }, token)).status, 200);
      }
      // 0, 1, 2 consent to academic research; 3 only to public-interest research; 4 opts in to the grant.
      for (const i of [0, 1, 2])
        await send(i, "consent", "setConsent", [1n << BigInt(ACADEMIC_RESEARCH)]);
      await send(3, "consent", "setConsent", [1n << BigInt(PUBLIC_INTEREST)]);
      await c.send(
        PARTNER,
        "registry",
        "requestAccess",
        [
          1n,
          ACADEMIC_RESEARCH,
          { fieldMask: 0b110n, rowLevel: true, minCohort: 2, exactTabulations: zeroHash },
          86_400n,
          "ipfs://terms",
          "Valley Research Institute",
        ],
        FEE,
      );
      // A second request, approved with the first and never queried: nobody earns its member share.
      await c.send(
        OTHER_PARTNER,
        "registry",
        "requestAccess",
        [
          1n,
          ACADEMIC_RESEARCH,
          { fieldMask: 0b110n, rowLevel: false, minCohort: 2, exactTabulations: zeroHash },
          86_400n,
          "ipfs://terms/unused",
          "Valley Research Institute",
        ],
        FEE,
      );
      const grantId = 1n;
      const unused = 2n;
      await send(4, "consent", "setGrantChoice", [grantId, 1]);
      const approval = (id: bigint) =>
        c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [id]);
      const [a1, a2] = [await approval(grantId), await approval(unused)];
      await c.pass(
        [
          { target: a1[0][0], data: a1[2][0] },
          { target: a2[0][0], data: a2[2][0] },
        ],
        `${a1[3]}\n\n${a2[3]}`,
      );
      await indexed();

      const ask = async (query: unknown) =>
        api.post(
          "/query",
          await signedQuery(accounts[PARTNER], gatewayDomain, { grantId, datasetId: 1n, query }),
        );
      // Served: {0, 1, 2, 4} twice, then {0, 2, 4} once member 1 withdraws; one refusal (no units).
      const units = new Map<number, number>();
      const served = async (members: number[]) => {
        const res = await ask(rowsQuery);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal((res.body.answer as { rows: unknown[] }).rows.length, members.length * 2);
        for (const m of members) units.set(m, (units.get(m) ?? 0) + 1);
      };
      await served([0, 1, 2, 4]);
      await served([0, 1, 2, 4]);
      const refused = await ask({ type: "rows", select: ["plot_owner"] });
      assert.equal(refused.status, 403);
      await send(1, "consent", "setConsent", [0n]);
      await served([0, 2, 4]);

      // Anchoring: the first batch covers the four entries so far.
      const anchorer = operator.anchorer!;
      const first = await anchorer.tick();
      assert.equal(first.action === "anchored" && first.decision.size, 4);
      await served([0, 2, 4]);
      const second = await anchorer.tick();
      assert.equal(second.action === "anchored" && second.decision.size, 5);
      await indexed();

      // The proofs served verify against the anchors read from the chain.
      const chainAnchors = await readAnchors(chain.publicClient, deployment.contracts.accessLog, {
        fromBlock: BigInt(deployment.startBlock),
      });
      const listed = await proofs.get("/anchors");
      assert.equal(listed.status, 200);
      const anchors = listed.body.anchors as {
        batch: number;
        root: Hex;
        size: number;
        txHash: Hex;
      }[];
      assert.deepEqual(
        anchors.map((a) => [a.batch, a.root, a.size, a.txHash]),
        chainAnchors.map((a) => [a.batch, a.root, a.size, a.transactionHash]),
      );
      for (let seq = 1; seq <= 5; seq++) {
        for (const batch of seq <= 4 ? [1, 2] : [2]) {
          const res = await proofs.get(`/entries/${seq}/inclusion?batch=${batch}`);
          assert.equal(res.status, 200, JSON.stringify(res.body));
          assert.deepEqual(
            verifyServedInclusion(res.body as unknown as ServedInclusion, chainAnchors),
            {
              ok: true,
              batch,
            },
          );
        }
      }
      const latest = await proofs.get("/entries/5/inclusion");
      assert.equal(latest.body.batch, 2);
      const consistency = await proofs.get("/consistency?from=1&to=2");
      assert.equal(consistency.status, 200);
      const cp = consistency.body as {
        from: { size: number; root: Hex };
        to: { size: number; root: Hex };
        proof: Hex[];
      };
      assert.ok(
        verifyConsistency({
          first: cp.from.size,
          second: cp.to.size,
          firstRoot: chainAnchors[0].root,
          secondRoot: chainAnchors[1].root,
          proof: cp.proof,
        }),
      );
      assert.equal(
        verifyConsistency({
          first: cp.from.size,
          second: cp.to.size,
          firstRoot: chainAnchors[1].root,
          secondRoot: chainAnchors[1].root,
          proof: cp.proof,
        }),
        false,
      );
      for (const [from, to] of [
        [0, 1],
        [0, 2],
        [1, 2],
        [2, 2],
      ]) {
        const res = await proofs.get(`/consistency?from=${from}&to=${to}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(
          verifyServedConsistency(res.body as unknown as ServedConsistency, chainAnchors),
          { ok: true },
        );
      }
      // Clear refusals for bad input.
      for (const [path, status, code] of [
        ["/entries/0", 400, "invalid_request"],
        ["/entries/99", 404, "entry_not_found"],
        ["/entries/3/inclusion?batch=9", 404, "batch_not_found"],
        ["/consistency?from=2&to=1", 400, "invalid_range"],
        ["/entries/1/inclusion?bogus=1", 400, "invalid_request"],
      ] as const) {
        const res = await proofs.get(path);
        assert.equal(res.status, status, path);
        assert.equal(res.body.error?.code, code, path);
      }
      await served([0, 2, 4]);
      const unanchored = await proofs.get("/entries/6/inclusion");
      assert.equal(unanchored.status, 409);
      assert.equal(unanchored.body.error?.code, "not_anchored");

      // Revenue by use: the grant's member share, split by the units above.
      const dist = await c.read<{ memberShare: bigint; mode: number }>("revenue", "distribution", [
        grantId,
      ]);
      assert.equal(dist.mode, BY_USE);
      const memberShare = dist.memberShare;
      const totalUnits = [...units.values()].reduce((a, b) => a + b, 0);
      assert.deepEqual(Object.fromEntries(units), { 0: 5, 1: 2, 2: 5, 4: 5 });

      // Due for posting once the grant has ended (a day after approval).
      const chainNow = async () =>
        (await chain.publicClient.getBlock({ blockTag: "latest" })).timestamp;
      assert.deepEqual(await operator.allocator.due(await chainNow()), []);
      await c.warp(86_400);
      await indexed();
      assert.deepEqual(await operator.allocator.due(await chainNow()), [grantId, unused]);

      // The operator's command, signed by the operator key; anyone else's signature is refused.
      const deadline = Math.floor(Date.now() / 1000) + 600;
      const message = allocationCommand(chainId, grantId, deadline);
      const forged = await accounts[PARTNER].signMessage({ message });
      const refusedCommand = await proofs.post(`/allocations/${grantId}`, {
        deadline,
        signature: forged,
      });
      assert.equal(refusedCommand.status, 401);
      assert.equal(refusedCommand.body.error?.code, "bad_signature");
      const signature = await accounts[OPERATOR].signMessage({ message });
      // The operator's own signature in its high-s form (EIP-2): refused.
      const twin = await proofs.post(`/allocations/${grantId}`, {
        deadline,
        signature: highSTwin(signature),
      });
      assert.deepEqual([twin.status, twin.body.error?.code], [401, "signature_high_s"]);
      const posted = await proofs.post(`/allocations/${grantId}`, { deadline, signature });
      assert.equal(posted.status, 200, JSON.stringify(posted.body));
      assert.equal(posted.body.status, "posted");
      assert.equal(posted.body.units, totalUnits);
      assert.equal(posted.body.allocated, memberShare.toString());
      assert.equal(posted.body.logSize, 6);
      await indexed();
      assert.deepEqual(await operator.allocator.due(await chainNow()), [unused]);

      // The operator's own loop posts what is due: the unused grant allocates nothing, so its member
      // share goes to the treasury.
      const looping = createOperator({
        db,
        client: chain.publicClient,
        transport: viemHttp(chain.rpcUrl, { retryCount: 5, retryDelay: 50 }),
        deployment,
        keys,
        intervalMs: 100,
        every: 1_000_000,
        allocateOnGrantEnd: true,
        logger: testLogger,
      });
      await looping.start();
      try {
        const deadline = Date.now() + 20_000;
        while ((await looping.allocator.get(unused))?.status !== "posted") {
          assert.ok(Date.now() < deadline, "the loop posted the due allocation in time");
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        await looping.stop();
      }
      const nothing = await c.read<{ root: Hex; allocated: bigint }>("revenue", "distribution", [
        unused,
      ]);
      assert.equal(nothing.root, NOTHING_ALLOCATED_ROOT);
      assert.equal(nothing.allocated, 0n);
      await indexed();
      assert.deepEqual(await operator.allocator.due(await chainNow()), []);
      // Posting again changes nothing.
      const again = await proofs.post(`/allocations/${grantId}`, { deadline, signature });
      assert.equal(again.body.txHash, posted.body.txHash);

      const relayer = createWalletClient({
        chain: hardhat,
        account: accounts[RELAYER],
        transport: viemHttp(chain.rpcUrl, { retryCount: 5, retryDelay: 50 }),
      });
      const claim = (member: Address, amount: bigint, proof: Hex[]) =>
        relayer.writeContract({
          address: deployment.contracts.revenue,
          abi: revenueAbi,
          functionName: "claim",
          args: [grantId, member, amount, proof],
        });
      const claimError = async (member: Address, amount: bigint, proof: Hex[]) =>
        revertName(
          await claim(member, amount, proof).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );

      let paid = 0n;
      for (const [i, u] of units) {
        const share = await proofs.get(`/allocations/${grantId}/members/${addr(i)}`);
        assert.equal(share.status, 200, JSON.stringify(share.body));
        assert.equal(share.body.units, u);
        const amount = BigInt(share.body.amount as string);
        // Largest remainder: within one wei of the exact proportion.
        const exact = (memberShare * BigInt(u)) / BigInt(totalUnits);
        assert.ok(amount === exact || amount === exact + 1n, `member ${i}: ${amount} vs ${exact}`);
        const proof = share.body.proof as Hex[];
        // A forged amount does not verify.
        assert.equal(await claimError(addr(i), amount + 1n, proof), "RevenueInvalidProof");
        const balance = await chain.publicClient.getBalance({ address: addr(i) });
        const hash = await claim(addr(i), amount, proof);
        const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
        assert.equal(receipt.status, "success");
        assert.equal(await chain.publicClient.getBalance({ address: addr(i) }), balance + amount);
        paid += amount;
        // A second claim reverts.
        assert.equal(await claimError(addr(i), amount, proof), "RevenueAlreadyClaimed");
      }
      assert.equal(paid, memberShare);
      const after = await c.read<{ claimed: bigint; allocated: bigint }>(
        "revenue",
        "distribution",
        [grantId],
      );
      assert.equal(after.claimed, memberShare);
      assert.equal(after.allocated, memberShare);
      // Member 3 (no consent for the purpose) was never served and has no share.
      const none = await proofs.get(`/allocations/${grantId}/members/${addr(3)}`);
      assert.equal(none.status, 404);
      assert.equal(none.body.error?.code, "no_share");

      // Tampering, as an auditor sees it: the entries' hashes recomputed from the table's text.
      const recomputed = async (): Promise<Hex[]> => {
        const { rows } = await db.query<{ entry: string }>(
          "SELECT entry FROM gateway_access_log ORDER BY seq",
        );
        let prev = "0".repeat(64);
        return rows.map(({ entry }) => {
          const hash = accessLogEntryHash(prev, entry);
          prev = hash.slice(2);
          return hash;
        });
      };
      const firstBad = (r: ReturnType<typeof verifyLog>) =>
        r.ok ? "ok" : [r.batch, r.fromSize, r.toSize, r.fault];
      assert.equal(firstBad(verifyLog(await recomputed(), chainAnchors)), "ok");

      // An edited past entry (entry 5, in batch 2): verification fails and names batch 2, and the
      // served proof of that entry no longer checks out.
      await db.query(
        `UPDATE gateway_access_log SET entry = replace(entry, '"decision":"allow"', '"decision":"deny"')
         WHERE seq = 5`,
      );
      assert.deepEqual(firstBad(verifyLog(await recomputed(), chainAnchors)), [
        2,
        4,
        5,
        "ROOT_MISMATCH",
      ]);
      const edited = await proofs.get("/entries/5/inclusion");
      const check = verifyServedInclusion(edited.body as unknown as ServedInclusion, chainAnchors);
      assert.equal(check.ok, false);
      assert.equal(!check.ok && check.reason, "ENTRY_HASH");
      // Re-hashing the table to hide the edit only moves the failure to the anchored root.
      const { rows } = await db.query<{ seq: string; entry: string }>(
        "SELECT seq, entry FROM gateway_access_log ORDER BY seq",
      );
      let prev = "0".repeat(64);
      for (const row of rows) {
        const hash = accessLogEntryHash(prev, row.entry).slice(2);
        await db.query("UPDATE gateway_access_log SET prev_hash = $1, hash = $2 WHERE seq = $3", [
          prev,
          hash,
          row.seq,
        ]);
        prev = hash;
      }
      const stored = async (): Promise<Hex[]> =>
        (
          await db.query<{ hash: string }>("SELECT hash FROM gateway_access_log ORDER BY seq")
        ).rows.map((r): Hex => `0x${r.hash}`);
      assert.deepEqual(firstBad(verifyLog(await stored(), chainAnchors)), [
        2,
        4,
        5,
        "ROOT_MISMATCH",
      ]);

      // A deleted entry (entry 2, in batch 1): batch 1 is named.
      await db.query("DELETE FROM gateway_access_log WHERE seq = 2");
      assert.deepEqual(firstBad(verifyLog(await recomputed(), chainAnchors)), [
        1,
        0,
        4,
        "ROOT_MISMATCH",
      ]);
      assert.deepEqual(firstBad(verifyLog(await stored(), chainAnchors)), [
        1,
        0,
        4,
        "ROOT_MISMATCH",
      ]);
    });
  });
}
