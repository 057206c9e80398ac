/**
 * A scripted co-op history on a real Hardhat node, indexed into every store and compared, at each step
 * and afterwards at every earlier step, with the contracts' own view functions.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, parseEther, stringToHex, type Address, type Hex, zeroHash } from "viem";
import { ABIS } from "@datacoop/protocol/abis.generated";
import type { Db } from "../../src/store/db.ts";
import { startChain, type TestChain } from "../support/chain.ts";
import { coop, type Proposal } from "../support/coop.ts";
import { chainIndexer, type Indexer } from "../support/indexChain.ts";
import { stores } from "../support/stores.ts";

const STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Expired",
  "Executed",
];
const STATUSES = ["None", "Pending", "Approved", "Rejected", "Withdrawn", "Revoked"];
const ZERO = `0x${"0".repeat(64)}`;
/** The accounts the history uses: founders 0–4, operator 8, guardian 9, members 10–11, outsiders 12–13,
 * partners 15–17, relayer 19. */
const ACCOUNTS = [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 15, 16, 17, 19];

interface Checkpoint {
  number: bigint;
  time: bigint;
}

describe("chain data follows the contracts", () => {
  let chain: TestChain;
  let c: ReturnType<typeof coop>;
  const dbs: { name: string; db: Db; indexer: Indexer }[] = [];
  const proposals: Proposal[] = [];
  const checkpoints: Checkpoint[] = [];
  let addr: (i: number) => Address;
  let lower: (i: number) => string;

  before(async () => {
    chain = await startChain();
    c = coop(chain);
    addr = (i) => chain.accounts[i].address;
    lower = (i) => addr(i).toLowerCase();
    for (const store of stores) {
      const db = await store.open();
      dbs.push({
        name: store.name,
        db,
        indexer: await chainIndexer(db, chain),
      });
    }
  });

  after(async () => {
    for (const { db } of dbs) await db.close();
    await chain?.stop();
  });

  const one = async <T>(db: Db, sql: string, params: unknown[] = []) =>
    (await db.query<T>(sql, params)).rows[0];

  async function requestCount(at: bigint) {
    return Number(await c.read<bigint>("registry", "requestCount", [], at));
  }

  /** Compares the "as of time t / block b" functions with the contracts' views at block b. */
  async function verifyAt(db: Db, { number: b, time: t }: Checkpoint) {
    const clock = await c.read<number>("governor", "clock", [], b);
    assert.equal(BigInt(clock), t, "reads at a block see that block's time");

    // Members
    const count = await c.read<bigint>("membership", "memberCount", [], b);
    const members = await db.query<{ member: string; member_id: string }>(
      "SELECT member, member_id FROM members_at($1) ORDER BY member",
      [t.toString()],
    );
    assert.equal(BigInt(members.rows.length), count);
    const countAt = await one<{ n: string }>(db, "SELECT member_count_at($1) AS n", [t.toString()]);
    assert.equal(BigInt(countAt.n), count);
    for (const i of ACCOUNTS) {
      const isMember = await c.read<boolean>("membership", "isMember", [addr(i)], b);
      const row = members.rows.find((r) => r.member === lower(i));
      assert.equal(Boolean(row), isMember, `isMember(${i}) at ${b}`);
      if (row) {
        const id = await c.read<bigint>("membership", "memberIdOf", [addr(i)], b);
        assert.equal(row.member_id, id.toString());
      }
    }

    // Proposals
    const rows = await db.query<Record<string, string | boolean | null>>(
      "SELECT * FROM proposals_at($1)",
      [t.toString()],
    );
    const created = [];
    for (const p of proposals) {
      const snapshot = await c.read<bigint>("governor", "proposalSnapshot", [p.id], b);
      if (snapshot === 0n) continue; // not proposed yet at b
      created.push(p.id);
      const row = rows.rows.find((r) => r.proposal_id === p.id.toString());
      assert.ok(row, `proposal ${p.id} at ${b}`);
      const state = await c.read<number>("governor", "state", [p.id], b);
      assert.equal(row.state, STATES[state], `state of "${p.description}" at block ${b}`);
      const [against, forVotes, abstain] = await c.read<bigint[]>(
        "governor",
        "proposalVotes",
        [p.id],
        b,
      );
      assert.deepEqual(
        [row.against_votes, row.for_votes, row.abstain_votes],
        [against, forVotes, abstain].map(String),
      );
      const deadline = await c.read<bigint>("governor", "proposalDeadline", [p.id], b);
      assert.equal(row.deadline, deadline.toString(), `deadline of "${p.description}"`);
      assert.equal(row.vote_start, snapshot.toString());
      const eta = await c.read<bigint>("governor", "proposalEta", [p.id], b);
      assert.equal(row.eta ?? "0", eta.toString());
      if (snapshot < t) {
        const quorum = await c.read<bigint>("governor", "quorum", [snapshot], b);
        assert.equal(row.quorum, quorum.toString(), `quorum of "${p.description}"`);
      }
      const state2 = await one<{ s: string }>(db, "SELECT proposal_state_at($1, $2) AS s", [
        p.id.toString(),
        t.toString(),
      ]);
      assert.equal(state2.s, STATES[state]);
    }
    assert.equal(rows.rows.length, created.length);

    // Grants and consent
    const n = await requestCount(b);
    for (let g = 1; g <= n; g++) {
      const active = await c.read<boolean>("registry", "isGrantActive", [BigInt(g)], b);
      const row = await one<{ a: boolean }>(db, "SELECT grant_active_at($1, $2) AS a", [
        String(g),
        t.toString(),
      ]);
      assert.equal(row.a, active, `grant ${g} active at ${b}`);
      for (const i of ACCOUNTS) {
        const covered = await c.read<boolean>("consent", "isCovered", [addr(i), BigInt(g)], b);
        const byBlock = await one<{ v: boolean }>(
          db,
          "SELECT consent_covers_at_block($1, $2, $3) AS v",
          [lower(i), String(g), b.toString()],
        );
        const byTime = await one<{ v: boolean }>(
          db,
          "SELECT consent_covers_at_time($1, $2, $3) AS v",
          [lower(i), String(g), t.toString()],
        );
        assert.equal(byBlock.v, covered, `isCovered(${i}, ${g}) at block ${b}`);
        assert.equal(byTime.v, covered, `isCovered(${i}, ${g}) at time ${t}`);
      }
    }
  }

  /** Compares the current views with the contracts' views at the latest block. */
  async function verifyNow(db: Db, { number: b }: Checkpoint) {
    // Membership standing of every account ever admitted.
    const status = await db.query<{ member: string; is_member: boolean; since: string | null }>(
      "SELECT member, is_member, since FROM member_status",
    );
    for (const i of ACCOUNTS) {
      const since = await c.read<bigint>("membership", "memberSince", [addr(i)], b);
      const row = status.rows.find((r) => r.member === lower(i));
      assert.equal(row?.since ?? "0", since.toString(), `memberSince(${i})`);
      assert.equal(row?.is_member ?? false, since !== 0n);
    }

    // Datasets
    const datasetCount = await c.read<bigint>("registry", "datasetCount", [], b);
    const datasets = await db.query<Record<string, unknown>>(
      "SELECT * FROM dataset_status ORDER BY dataset_id",
    );
    assert.equal(BigInt(datasets.rows.length), datasetCount);
    for (const ds of datasets.rows) {
      const [name, schemaURI, schemaHash, fieldCount, retired] = await c.read<unknown[]>(
        "registry",
        "dataset",
        [BigInt(ds.dataset_id as string)],
        b,
      );
      const fields = await c.read<string[]>("registry", "datasetFields", [
        BigInt(ds.dataset_id as string),
      ]);
      assert.deepEqual(
        [
          ds.name,
          ds.schema_uri,
          ds.schema_hash,
          BigInt(ds.field_count as number),
          ds.retired_at !== null,
        ],
        [name, schemaURI, schemaHash, fieldCount, retired],
      );
      assert.deepEqual(ds.fields, fields);
    }

    // Requests and grants
    const n = await requestCount(b);
    const requests = await db.query<Record<string, unknown>>(
      "SELECT * FROM request_status ORDER BY request_id",
    );
    assert.equal(requests.rows.length, n);
    for (const r of requests.rows) {
      const v = await c.read<{
        partner: Address;
        datasetId: bigint;
        purpose: number;
        scope: {
          fieldMask: bigint;
          rowLevel: boolean;
          minCohort: number;
          exactTabulations: Hex;
        };
        duration: bigint;
        termsURI: string;
        fee: bigint;
        termsHash: Hex;
        status: number;
        start: bigint;
        end: bigint;
      }>("registry", "request", [BigInt(r.request_id as string)], b);
      assert.deepEqual(
        [
          r.partner,
          r.dataset_id,
          r.purpose,
          r.field_mask,
          r.row_level,
          Number(r.min_cohort),
          r.duration,
          r.terms_uri,
          r.fee,
          r.terms_hash,
          r.status,
          r.start_time ?? "0",
          r.end_time ?? "0",
        ],
        [
          v.partner.toLowerCase(),
          v.datasetId.toString(),
          v.purpose,
          v.scope.fieldMask.toString(),
          v.scope.rowLevel,
          v.scope.minCohort,
          v.duration.toString(),
          v.termsURI,
          v.fee.toString(),
          v.termsHash,
          STATUSES[v.status],
          v.start.toString(),
          v.end.toString(),
        ],
        `request ${String(r.request_id)}`,
      );
    }
    // Every grant traces to the executed proposal that approved it.
    const approvals = await db.query<{ grant_id: string; proposal_id: string }>(
      "SELECT g.grant_id, a.proposal_id FROM grants g LEFT JOIN grant_approvals a USING (grant_id) ORDER BY g.grant_id",
    );
    for (const a of approvals.rows) {
      assert.ok(a.proposal_id, `grant ${a.grant_id} has its proposal`);
      const p = proposals.find((x) => x.id.toString() === a.proposal_id);
      assert.ok(p, `grant ${a.grant_id}: a proposal of the history`);
      const state = await c.read<number>("governor", "state", [p.id], b);
      assert.equal(STATES[state], "Executed");
      assert.ok(
        p.calldatas.some((d) => d.includes(BigInt(a.grant_id).toString(16).padStart(64, "0"))),
        `proposal ${p.id} names grant ${a.grant_id}`,
      );
    }
    for (const partner of [15, 16, 17]) {
      const ids = await c.read<bigint[]>("registry", "grantsOf", [addr(partner)], b);
      const grants = await db.query<{ grant_id: string }>(
        "SELECT grant_id FROM grants WHERE partner = $1 ORDER BY approved_block, approved_log_index",
        [lower(partner)],
      );
      assert.deepEqual(
        grants.rows.map((g) => g.grant_id),
        ids.map(String),
      );
      const refund = await c.read<bigint>("registry", "refundOf", [addr(partner)], b);
      const owed = await one<{ owed: string }>(
        db,
        "SELECT owed FROM partner_refunds WHERE partner = $1",
        [lower(partner)],
      );
      assert.equal(owed?.owed ?? "0", refund.toString(), `refundOf(${partner})`);
    }

    // Consent now
    for (const i of ACCOUNTS) {
      const mask = await c.read<bigint>("consent", "consentOf", [addr(i)], b);
      const [stored, updatedAt] = await c.read<[bigint, number]>(
        "consent",
        "storedConsent",
        [addr(i)],
        b,
      );
      const row = await one<{ mask: string; stored_mask: string; updated_at: string }>(
        db,
        "SELECT mask, stored_mask, updated_at FROM consents WHERE member = $1",
        [lower(i)],
      );
      assert.equal(row?.mask ?? "0", mask.toString(), `consentOf(${i})`);
      assert.equal(row?.stored_mask ?? "0", stored.toString());
      assert.equal(row?.updated_at ?? "0", String(updatedAt));
      for (let g = 1; g <= n; g++) {
        const choice = await c.read<number>("consent", "grantChoiceOf", [addr(i), BigInt(g)], b);
        const ch = await one<{ choice: number }>(
          db,
          "SELECT choice FROM grant_choices_now WHERE member = $1 AND grant_id = $2",
          [lower(i), String(g)],
        );
        assert.equal(ch?.choice ?? 0, choice, `grantChoiceOf(${i}, ${g})`);
      }
    }
    for (let g = 1; g <= n; g++) {
      const covered = await db.query<{ member: string }>(
        "SELECT member FROM grant_covered_members($1) ORDER BY member",
        [String(g)],
      );
      const expected: string[] = [];
      for (const i of ACCOUNTS) {
        if (await c.read<boolean>("consent", "isCovered", [addr(i), BigInt(g)], b)) {
          expected.push(lower(i));
        }
      }
      assert.deepEqual(
        covered.rows.map((r) => r.member),
        expected.sort(),
        `members covered for grant ${g}`,
      );
    }

    // Revenue
    const deposits = await db.query<Record<string, string | null>>(
      "SELECT * FROM revenue_by_grant ORDER BY grant_id",
    );
    let deposited = 0n;
    let toTreasury = 0n;
    let claimed = 0n;
    for (const d of deposits.rows) {
      const dist = await c.read<{
        mode: number;
        snapshot: number;
        memberShare: bigint;
        perMember: bigint;
        memberCount: bigint;
        root: Hex;
        allocated: bigint;
        claimed: bigint;
      }>("revenue", "distribution", [BigInt(d.grant_id!)], b);
      assert.deepEqual(
        [d.mode, d.snapshot, d.member_share, d.per_member, d.member_count, d.root ?? ZERO],
        [
          dist.mode,
          String(dist.snapshot),
          dist.memberShare.toString(),
          dist.perMember.toString(),
          dist.memberCount.toString(),
          dist.root,
        ],
      );
      deposited += BigInt(d.amount!);
      toTreasury += BigInt(d.to_treasury!);
      claimed += BigInt(d.claimed!);
    }
    const totals = await c.read<bigint[]>("revenue", "totals", [], b);
    assert.deepEqual([totals[0], totals[1], totals[2]], [deposited, toTreasury, claimed]);
    for (const i of ACCOUNTS) {
      const claimable = await db.query<{ grant_id: string; amount: string }>(
        "SELECT grant_id, amount FROM member_claimable($1)",
        [lower(i)],
      );
      for (const d of deposits.rows) {
        const expected = await c.read<bigint>(
          "revenue",
          "claimableOf",
          [BigInt(d.grant_id!), addr(i)],
          b,
        );
        const row = claimable.rows.find((r) => r.grant_id === d.grant_id);
        assert.equal(row?.amount ?? "0", expected.toString(), `claimableOf(${d.grant_id}, ${i})`);
        const isClaimed = await c.read<boolean>(
          "revenue",
          "isClaimed",
          [BigInt(d.grant_id!), addr(i)],
          b,
        );
        const claim = await one(
          db,
          "SELECT 1 FROM revenue_claims WHERE grant_id = $1 AND member = $2",
          [d.grant_id, lower(i)],
        );
        assert.equal(Boolean(claim), isClaimed);
      }
    }

    // Anchors
    const [root, size, index] = await c.read<[Hex, bigint, bigint]>("accessLog", "latest", [], b);
    const anchor = await one<{ root: string; size: string; batch_index: string }>(
      db,
      "SELECT root, size, batch_index FROM access_log_anchors ORDER BY batch_index DESC LIMIT 1",
    );
    assert.deepEqual(
      [anchor?.root ?? ZERO, anchor?.size ?? "0", anchor?.batch_index ?? "0"],
      [root, size.toString(), index.toString()],
    );

    // Settings
    const settings = await db.query<{ contract: string; setting: string; value: string }>(
      "SELECT contract, setting, value FROM settings",
    );
    const setting = (contract: string, name: string) =>
      settings.rows.find((s) => s.contract === contract && s.setting === name)?.value;
    const expect: [string, string, string, unknown][] = [
      ["governor", "voting_delay", "votingDelay", undefined],
      ["governor", "voting_period", "votingPeriod", undefined],
      ["governor", "late_quorum_extension", "lateQuorumVoteExtension", undefined],
      ["governor", "quorum_numerator", "quorumNumerator", undefined],
      ["registry", "guardian", "guardian", undefined],
      ["registry", "minimum_fee", "minimumFee", undefined],
      ["registry", "max_duration", "maxDuration", undefined],
      ["registry", "paused", "paused", undefined],
      ["revenue", "treasury_bps", "treasuryShare", undefined],
      ["revenue", "mode", "mode", undefined],
      ["revenue", "operator", "operator", undefined],
      ["revenue", "registry", "registry", undefined],
      ["accessLog", "operator", "operator", undefined],
    ];
    for (const [contract, name, fn] of expect) {
      const value = await c.read<unknown>(contract as never, fn, [], b);
      assert.equal(
        setting(contract, name) ?? (name === "paused" ? "false" : undefined),
        String(value).toLowerCase(),
        `${contract}.${fn}`,
      );
    }
  }

  async function verify(label: string) {
    const point = await c.latestBlock();
    checkpoints.push(point);
    for (const { name, db, indexer } of dbs) {
      await indexer.catchUp(point.number);
      await verifyNow(db, point).catch((e: Error) => {
        throw new Error(`${label} on ${name}: ${e.message}`, { cause: e });
      });
      await verifyAt(db, point).catch((e: Error) => {
        throw new Error(`${label} on ${name}: ${e.message}`, { cause: e });
      });
    }
  }

  const fee = parseEther;

  it("starts with the founders, and applications", async () => {
    await c.send(10, "membership", "applyForMembership", ["ipfs://application-10"]);
    await c.send(12, "membership", "applyForMembership", ["ipfs://application-12"]);
    // Consent stored before admission is void once admitted.
    await c.send(10, "consent", "setConsent", [1n]);
    await verify("founders");
  });

  it("admits members, registers a dataset and changes a setting by vote", async () => {
    proposals.push(
      await c.pass(
        [
          c.call("membership", "admit", [addr(10)]),
          c.call("membership", "admit", [addr(11)]),
          c.call("registry", "registerDataset", [
            "Harvests",
            "ipfs://schema-harvests",
            keccak256(stringToHex("schema")),
            ["member", "crop", "yield_kg", "region"],
          ]),
          c.call("revenue", "setTreasuryShare", [2000]),
        ],
        "# Admit 10 and 11, register Harvests",
      ),
    );
    await verify("admission");
  });

  it("records partners' requests, consent changes and per-grant choices", async () => {
    const scope = (fieldMask: bigint, rowLevel: boolean, minCohort: number) => ({
      fieldMask,
      rowLevel,
      minCohort,
      exactTabulations: zeroHash,
    });
    await c.send(
      15,
      "registry",
      "requestAccess",
      [
        1n,
        0,
        scope(0b0111n, false, 2),
        30n * 86_400n,
        "ipfs://terms-1",
        "Valley Research Institute",
      ],
      fee("1"),
    );
    await c.send(
      16,
      "registry",
      "requestAccess",
      [1n, 4, scope(0b1111n, true, 1), 2_000n, "ipfs://terms-2", "Valley Research Institute"],
      fee("0.5"),
    );
    await c.send(
      15,
      "registry",
      "requestAccess",
      [1n, 1, scope(0b0011n, false, 3), 86_400n, "ipfs://terms-3", "Valley Research Institute"],
      fee("0.2"),
    );
    await c.send(
      16,
      "registry",
      "requestAccess",
      [1n, 0, scope(0b0001n, false, 5), 86_400n, "ipfs://terms-4", "Valley Research Institute"],
      fee("0.1"),
    );
    await c.send(
      17,
      "registry",
      "requestAccess",
      [1n, 6, scope(0b1000n, false, 10), 86_400n, "ipfs://terms-5", "Valley Research Institute"],
      0n,
    );
    await c.send(
      17,
      "registry",
      "requestAccess",
      [1n, 2, scope(0b0100n, false, 2), 500n, "ipfs://terms-6", "Valley Research Institute"],
      fee("0.3"),
    );
    await c.send(16, "registry", "withdrawRequest", [4n]);

    await c.send(0, "consent", "setConsent", [0b11n]);
    await c.send(1, "consent", "setConsent", [0b1n]);
    await c.send(2, "consent", "setConsent", [0n]);
    await c.send(3, "consent", "setConsent", [0b10000n]);
    await c.send(4, "consent", "setConsent", [0xffn]);
    await c.send(11, "consent", "setConsent", [0b1n]);
    await c.send(1, "consent", "setGrantChoice", [1n, 2]); // opts out of grant 1
    await c.send(2, "consent", "setGrantChoice", [1n, 1]); // opts in to grant 1
    await c.send(0, "consent", "setGrantChoice", [2n, 1]);
    await c.send(10, "consent", "setGrantChoice", [2n, 2]);
    await c.send(10, "consent", "setGrantChoice", [2n, 0]); // and back to the standing consent
    await c.send(13, "consent", "setConsent", [0xffn]); // not a member: void
    await verify("requests");
  });

  it("approves two sponsored requests, with quorum reached late", async () => {
    const a1 = await c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [
      1n,
    ]);
    const a2 = await c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [
      2n,
    ]);
    const p = await c.propose(
      0,
      [
        { target: a1[0][0], data: a1[2][0] },
        { target: a2[0][0], data: a2[2][0] },
      ],
      `${a1[3]}\n\n${a2[3]}`,
    );
    proposals.push(p);
    await c.warp(2);
    await c.vote(4, p, 0, "not yet");
    await verify("sponsorship active");
    await c.warp(550);
    for (const v of [0, 1, 2, 10]) await c.vote(v, p, 1);
    await c.vote(3, p, 2);
    await verify("late quorum");
    await c.warp(600 + 120);
    await c.queue(p);
    await verify("sponsorship queued");
    await c.warp(61);
    await c.execute(p);
    await verify("grants approved");
  });

  it("rejects, removes, defeats and cancels", async () => {
    const r3 = await c.read<[Address[], bigint[], Hex[], string]>("registry", "rejectionProposal", [
      3n,
    ]);
    const a6 = await c.read<[Address[], bigint[], Hex[], string]>("registry", "approvalProposal", [
      6n,
    ]);
    const d = await c.propose(
      1,
      [
        { target: r3[0][0], data: r3[2][0] },
        { target: a6[0][0], data: a6[2][0] },
        c.call("membership", "remove", [addr(11)]),
        c.call("membership", "admit", [addr(12)]),
        c.call("governor", "updateQuorumNumerator", [40n]),
      ],
      r3[3],
    );
    const e = await c.propose(2, [c.call("registry", "setMinimumFee", [1n])], "# Minimum fee");
    const f = await c.propose(3, [c.call("registry", "setMaxDuration", [1n])], "# Cancel me");
    proposals.push(d, e, f);
    // Cancelled while still pending: at its snapshot at the latest.
    const snapshot = await c.read<bigint>("governor", "proposalSnapshot", [f.id]);
    await chain.testClient.setNextBlockTimestamp({ timestamp: snapshot });
    await c.send(3, "governor", "cancel", [f.targets, f.values, f.calldatas, f.descriptionHash]);
    await c.warp(2);
    for (const v of [0, 1, 2, 3]) await c.vote(v, d, 1);
    for (const v of [0, 1]) await c.vote(v, e, 1);
    for (const v of [2, 3, 4]) await c.vote(v, e, 0);
    await c.vote(10, e, 2);
    await verify("votes cast");
    await c.warp(600 + 120 + 1);
    await verify("defeated and succeeded");
    await c.queue(d);
    await c.warp(61);
    // 12 stores its consent in the very block that admits it, just before: that consent is in force.
    await chain.testClient.setAutomine(false);
    try {
      const consentTx = await chain.wallet(12).writeContract({
        address: chain.deployment.contracts.consent,
        abi: ABIS.consent,
        functionName: "setConsent",
        args: [0b1n],
        gas: 200_000n,
      });
      const executeTx = await chain.wallet(0).writeContract({
        address: chain.deployment.contracts.governor,
        abi: ABIS.governor,
        functionName: "execute",
        args: [d.targets, d.values, d.calldatas, d.descriptionHash],
        gas: 2_000_000n,
      });
      await chain.testClient.mine({ blocks: 1 });
      const [r1, r2] = await Promise.all(
        [consentTx, executeTx].map((hash) =>
          chain.publicClient.waitForTransactionReceipt({ hash }),
        ),
      );
      assert.deepEqual([r1.status, r2.status], ["success", "success"]);
      assert.equal(r1.blockNumber, r2.blockNumber);
      assert.ok(r1.transactionIndex < r2.transactionIndex);
    } finally {
      await chain.testClient.setAutomine(true);
    }
    assert.equal(await c.read<bigint>("consent", "consentOf", [addr(12)]), 1n);
    await verify("rejected, removed and admitted");
  });

  it("revokes a grant, pays claims and refunds, loses a member's consent, anchors the log", async () => {
    await c.send(9, "registry", "revoke", [2n, "a member complained"]);
    await c.send(19, "revenue", "claim", [1n, addr(0)]); // relayed
    await c.send(1, "revenue", "claim", [1n, addr(1)]);
    await c.send(10, "revenue", "claim", [1n, addr(10)]);
    await c.send(11, "revenue", "claim", [1n, addr(11)]); // left since, was a member at approval
    await c.send(15, "registry", "claimRefund");
    await c.send(16, "registry", "claimRefund");
    await verify("claims");
    await c.send(4, "membership", "resign");
    const root1 = keccak256(stringToHex("log 1"));
    await c.send(8, "accessLog", "anchor", [root1, 10n, ZERO]);
    await c.send(8, "accessLog", "anchor", [keccak256(stringToHex("log 2")), 25n, root1]);
    await verify("resigned and anchored");
  });

  it("follows open proposals, expiry and a pause", async () => {
    const g = await c.propose(0, [c.call("registry", "setMinimumFee", [5n])], "# Open question");
    const h = await c.propose(
      1,
      [c.call("registry", "setMaxDuration", [86_400n * 10n])],
      "# Shorter grants",
    );
    proposals.push(g, h);
    await verify("pending");
    await c.warp(2);
    await c.vote(0, g, 1);
    for (const v of [0, 1, 2, 3]) await c.vote(v, h, 1);
    await verify("active");
    await c.warp(800);
    await verify("expired grant, defeated and succeeded");
    await c.queue(h);
    await verify("queued");
    await c.send(9, "registry", "pause");
    await verify("paused");
  });

  it("answers every earlier point in time as the contracts did then", async () => {
    assert.ok(checkpoints.length >= 15);
    for (const { name, db } of dbs) {
      for (const point of checkpoints) {
        await verifyAt(db, point).catch((e: Error) => {
          throw new Error(`block ${point.number} on ${name}: ${e.message}`, { cause: e });
        });
      }
    }
    // Every state the Governor knows showed up in the history.
    const seen = new Set<string>();
    for (const point of checkpoints) {
      const { rows } = await dbs[0].db.query<{ state: string }>(
        "SELECT state FROM proposals_at($1)",
        [point.time.toString()],
      );
      for (const r of rows) seen.add(r.state);
    }
    assert.deepEqual([...seen].sort(), [
      "Active",
      "Canceled",
      "Defeated",
      "Executed",
      "Pending",
      "Queued",
      "Succeeded",
    ]);
    // A late-quorum extension, a resignation and a removal were recorded.
    const db = dbs[0].db;
    assert.equal((await db.query("SELECT 1 FROM proposal_extended")).rows.length, 1);
    const left = await db.query<{ member: string; resigned: boolean }>(
      "SELECT member, resigned FROM member_changes WHERE NOT admitted ORDER BY member",
    );
    assert.deepEqual(
      left.rows.map((r) => [r.member, r.resigned]).sort(),
      [
        [lower(11), false],
        [lower(4), true],
      ].sort(),
    );
  });
});
