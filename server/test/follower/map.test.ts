import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { encodeFunctionData, getAddress, keccak256, stringToHex, type Hex } from "viem";
import { membershipAbi } from "@datacoop/protocol/abis.generated";
import type { ChainLog } from "../../src/follower/types.ts";
import type { ContractName } from "@datacoop/protocol/contracts";
import { domain } from "../../src/follower/domain.ts";
import { migrate } from "../../src/store/migrate.ts";
import { insertRows } from "../../src/store/rows.ts";
import { stores } from "../support/stores.ts";

const ALICE = getAddress("0x00000000000000000000000000000000000a11ce");
const BOB = getAddress("0x0000000000000000000000000000000000000b0b");
const PARTNER = getAddress("0x00000000000000000000000000000000000abcde");
const MAX = (1n << 256n) - 1n;
const TX = `0x${"ab".repeat(32)}` as Hex;

let logIndex = 0;
function log(
  contract: ContractName,
  eventName: string,
  args: Record<string, unknown>,
  block = 10n,
): ChainLog {
  return {
    contract,
    address: ALICE,
    eventName,
    args,
    blockNumber: block,
    blockHash: `0x${"cd".repeat(32)}`,
    blockTime: 1_700_000_000n + block,
    logIndex: logIndex++,
    transactionHash: TX.toUpperCase().replace("0X", "0x") as Hex,
  };
}

describe("domain.map", () => {
  it("maps an admission with lowercase addresses, decimal strings and the event's position", () => {
    const rows = domain.map(log("membership", "MemberAdmitted", { member: ALICE, memberId: 7n }));
    assert.deepEqual(rows, [
      {
        table: "member_changes",
        values: {
          member: ALICE.toLowerCase(),
          member_id: "7",
          admitted: true,
          resigned: null,
          block_number: "10",
          log_index: rows[0].values.log_index,
          block_time: "1700000010",
          tx_hash: TX,
        },
      },
    ]);
  });

  it("keeps a resignation apart from a removal", () => {
    const [resigned] = domain.map(
      log("membership", "MemberLeft", { member: BOB, memberId: 2n, resigned: true }),
    );
    const [removed] = domain.map(
      log("membership", "MemberLeft", { member: BOB, memberId: 2n, resigned: false }),
    );
    assert.equal(resigned.values.resigned, true);
    assert.equal(removed.values.resigned, false);
    assert.equal(resigned.values.admitted, false);
  });

  it("maps a proposal to one row and one row per action, decoding calls to co-op contracts", () => {
    const admit = encodeFunctionData({ abi: membershipAbi, functionName: "admit", args: [BOB] });
    const description = "# Admit Bob\n\nand pay for snacks";
    const rows = domain.map(
      log("governor", "ProposalCreated", {
        proposalId: MAX,
        proposer: ALICE,
        targets: [ALICE, BOB],
        values: [0n, 5n],
        signatures: ["", ""],
        calldatas: [admit, "0x"],
        voteStart: 100n,
        voteEnd: 700n,
        description,
      }),
    );
    assert.deepEqual(
      rows.map((r) => r.table),
      ["proposals", "proposal_actions", "proposal_actions"],
    );
    assert.equal(rows[0].values.proposal_id, MAX.toString());
    assert.equal(rows[0].values.description_hash, keccak256(stringToHex(description)));
    assert.equal(rows[0].values.action_count, 2);
    assert.equal(rows[1].values.function_name, "admit");
    assert.deepEqual(JSON.parse(rows[1].values.args as string), [BOB.toLowerCase()]);
    assert.equal(rows[2].values.function_name, null);
    assert.equal(rows[2].values.value, "5");
    assert.equal(rows[2].values.action_index, 1);
  });

  it("maps a request's scope and a uint256 fee exactly", () => {
    const [row] = domain.map(
      log("registry", "RequestCreated", {
        requestId: 3n,
        partner: PARTNER,
        datasetId: 1n,
        purpose: 6,
        scope: { fieldMask: MAX, rowLevel: true, minCohort: 4 },
        duration: 18_446_744_073_709_551_615n,
        termsURI: "ipfs://terms",
        fee: MAX,
        termsHash: `0x${"EF".repeat(32)}`,
      }),
    );
    assert.equal(row.table, "requests");
    assert.equal(row.values.field_mask, MAX.toString());
    assert.equal(row.values.fee, MAX.toString());
    assert.equal(row.values.duration, "18446744073709551615");
    assert.equal(row.values.row_level, true);
    assert.equal(row.values.min_cohort, 4);
    assert.equal(row.values.purpose, 6);
    assert.equal(row.values.terms_hash, `0x${"ef".repeat(32)}`);
  });

  it("records settings per contract, so two contracts' OperatorSet stay apart", () => {
    const [revenue] = domain.map(
      log("revenue", "OperatorSet", { oldOperator: ALICE, newOperator: BOB }),
    );
    const [anchor] = domain.map(
      log("accessLog", "OperatorSet", { oldOperator: BOB, newOperator: ALICE }),
    );
    const [paused] = domain.map(log("registry", "Paused", { account: ALICE }));
    const [period] = domain.map(
      log("governor", "VotingPeriodSet", { oldVotingPeriod: 600n, newVotingPeriod: 900n }),
    );
    assert.deepEqual(
      [revenue, anchor, paused, period].map((r) => [
        r.table,
        r.values.contract,
        r.values.setting,
        r.values.new_value,
      ]),
      [
        ["settings_changes", "revenue", "operator", BOB.toLowerCase()],
        ["settings_changes", "accessLog", "operator", ALICE.toLowerCase()],
        ["settings_changes", "registry", "paused", "true"],
        ["settings_changes", "governor", "voting_period", "900"],
      ],
    );
  });

  it("ignores token transfers and delegation bookkeeping", () => {
    assert.deepEqual(
      domain.map(log("membership", "Transfer", { from: ALICE, to: BOB, tokenId: 1n })),
      [],
    );
    assert.deepEqual(
      domain.map(
        log("membership", "DelegateVotesChanged", {
          delegate: ALICE,
          previousVotes: 0n,
          newVotes: 1n,
        }),
      ),
      [],
    );
    assert.deepEqual(domain.map(log("consent", "EIP712DomainChanged", {})), []);
  });

  it("maps the terms of issue 15: partner names, exact mode, members' grants, the privacy cap", () => {
    const exact = `0x${"ee".repeat(32)}` as Hex;
    const request = (scope: Record<string, unknown>) =>
      domain.map(
        log("registry", "RequestCreated", {
          requestId: 3n,
          partner: PARTNER,
          datasetId: 1n,
          partnerName: "Credit Union of Kisumu",
          purpose: 8,
          scope,
          duration: 100n,
          termsURI: "u",
          fee: 1n,
          termsHash: TX,
        }),
      )[0].values;
    const dp = request({
      fieldMask: 1n,
      rowLevel: false,
      minCohort: 3,
      exactTabulations: `0x${"00".repeat(32)}`,
    });
    assert.equal(dp.partner_name, "Credit Union of Kisumu");
    assert.equal(dp.exact_tabulations, null);
    const ex = request({
      fieldMask: 1n,
      rowLevel: false,
      minCohort: 3,
      exactTabulations: exact.toUpperCase().replace("0X", "0x"),
    });
    assert.equal(ex.exact_tabulations, exact);
    const [members] = domain.map(log("registry", "GrantedToMembers", { grantId: 4n }));
    assert.equal(members.table, "member_grants");
    assert.equal(members.values.grant_id, "4");
    const [cap] = domain.map(
      log("registry", "PrivacyCapSet", {
        oldEpsilonMillionths: 0n,
        oldPeriod: 0n,
        epsilonMillionths: 500_000n,
        period: 86_400n,
      }),
    );
    assert.equal(cap.table, "privacy_cap_changes");
    assert.equal(cap.values.epsilon_millionths, "500000");
    assert.equal(cap.values.period, "86400");
  });

  it("maps sweeps, replaced allocations, the claim period, delegation and consent times", () => {
    const [swept] = domain.map(log("revenue", "Swept", { grantId: 2n, amount: MAX }));
    assert.deepEqual([swept.table, swept.values.amount], ["revenue_sweeps", MAX.toString()]);
    const [replaced] = domain.map(
      log("revenue", "AllocationReplaced", {
        grantId: 2n,
        oldRoot: TX,
        oldAllocated: 10n,
        root: TX,
        allocated: 12n,
        fromTreasury: 2n,
        toTreasury: 0n,
      }),
    );
    assert.equal(replaced.table, "revenue_replacements");
    assert.equal(replaced.values.from_treasury, "2");
    const [period] = domain.map(log("revenue", "ClaimPeriodSet", { oldPeriod: 10, newPeriod: 20 }));
    assert.deepEqual(
      [period.table, period.values.setting, period.values.old_value, period.values.new_value],
      ["settings_changes", "claim_period", "10", "20"],
    );
    const [delegated] = domain.map(
      log("membership", "DelegateChanged", {
        delegator: ALICE,
        fromDelegate: "0x0000000000000000000000000000000000000000",
        toDelegate: ALICE,
      }),
    );
    assert.equal(delegated.table, "delegate_changes");
    assert.equal(delegated.values.to_delegate, ALICE.toLowerCase());
    const [registry] = domain.map(log("membership", "ConsentRegistrySet", { registry: BOB }));
    assert.deepEqual(
      [registry.values.contract, registry.values.setting, registry.values.new_value],
      ["membership", "consent_registry", BOB.toLowerCase()],
    );
    const [consent] = domain.map(
      log("consent", "ConsentSet", { member: ALICE, mask: 3n, decidedAt: 1_700_000_000 }),
    );
    assert.equal(consent.values.decided_at, "1700000000");
  });

  it("is pure: the same log gives the same rows", () => {
    const l = log("consent", "GrantChoiceSet", { member: ALICE, grantId: 2n, choice: 2 });
    assert.deepEqual(domain.map(l), domain.map(l));
    assert.deepEqual(domain.map(l)[0].values.choice, 2);
  });

  for (const store of stores) {
    it(`writes rows every table accepts, and rolls back by block number (${store.name})`, async () => {
      const db = await store.open();
      try {
        await migrate(db, domain.migrations);
        const logs = [
          log("membership", "MemberAdmitted", { member: ALICE, memberId: 1n }, 1n),
          log("consent", "ConsentSet", { member: ALICE, mask: 1n }, 2n),
          log(
            "registry",
            "RequestCreated",
            {
              requestId: 1n,
              partner: PARTNER,
              datasetId: 1n,
              purpose: 0,
              scope: { fieldMask: 1n, rowLevel: false, minCohort: 2 },
              duration: 100n,
              termsURI: "u",
              fee: MAX,
              termsHash: TX,
            },
            3n,
          ),
          log("consent", "GrantChoiceSet", { member: ALICE, grantId: 1n, choice: 2 }, 4n),
          log(
            "accessLog",
            "Anchored",
            {
              index: 1n,
              root: TX,
              size: 5n,
              previousRoot: `0x${"00".repeat(32)}`,
              timestamp: 9n,
            },
            4n,
          ),
        ];
        const rows = logs.flatMap((l) => domain.map(l));
        for (const r of rows) assert.ok(domain.tables.includes(r.table), r.table);
        await db.transaction((tx) => insertRows(tx, rows));
        const covered = async (b: number) =>
          (
            await db.query<{ v: boolean }>("SELECT consent_covers_at_block($1, 1, $2) AS v", [
              ALICE.toLowerCase(),
              b,
            ])
          ).rows[0].v;
        assert.equal(await covered(3), true);
        assert.equal(await covered(4), false); // opted out in block 4
        const fee = await db.query<{ fee: string }>("SELECT fee FROM requests");
        assert.equal(fee.rows[0].fee, MAX.toString());

        // A reorg back to block 3 removes block 4's rows from every table; the opt-out is gone.
        await db.transaction(async (tx) => {
          for (const t of domain.tables) await tx.query(`DELETE FROM ${t} WHERE block_number > 3`);
        });
        assert.equal(await covered(99), true);
        assert.equal((await db.query("SELECT 1 FROM access_log_anchors")).rows.length, 0);

        // Replaying an event is refused (one row per block and log index).
        await assert.rejects(db.transaction((tx) => insertRows(tx, domain.map(logs[0]))));
      } finally {
        await db.close();
      }
    });
    it(`voids consent stored before a member left, even when they return in the same second (${store.name})`, async () => {
      const db = await store.open();
      try {
        await migrate(db, domain.migrations);
        // Blocks 20–22 share one timestamp, as several blocks can on a fast chain.
        const at = (l: ChainLog): ChainLog => ({ ...l, blockTime: 1_700_000_100n });
        const logs = [
          log("membership", "MemberAdmitted", { member: BOB, memberId: 2n }, 5n),
          log(
            "registry",
            "RequestCreated",
            {
              requestId: 7n,
              partner: PARTNER,
              datasetId: 1n,
              purpose: 3,
              scope: { fieldMask: 1n, rowLevel: false, minCohort: 2 },
              duration: 100n,
              termsURI: "u",
              fee: 1n,
              termsHash: TX,
            },
            5n,
          ),
          at(log("consent", "ConsentSet", { member: BOB, mask: 8n }, 20n)),
          at(log("membership", "MemberLeft", { member: BOB, memberId: 2n, resigned: true }, 21n)),
          at(log("membership", "MemberAdmitted", { member: BOB, memberId: 2n }, 22n)),
        ];
        await db.transaction((tx) =>
          insertRows(
            tx,
            logs.flatMap((l) => domain.map(l)),
          ),
        );
        const bob = BOB.toLowerCase();
        const covers = async (b: number) =>
          (
            await db.query<{ v: boolean }>("SELECT consent_covers_at_block($1, 7, $2) AS v", [
              bob,
              b,
            ])
          ).rows[0].v;
        assert.equal(await covers(20), true);
        assert.equal(await covers(21), false); // not a member
        assert.equal(await covers(22), false); // back, but the old consent stays void
        const { rows } = await db.query<{ mask: string; stored_mask: string }>(
          "SELECT mask, stored_mask FROM consents WHERE member = $1",
          [bob],
        );
        assert.deepEqual(rows, [{ mask: "0", stored_mask: "8" }]);
        const covered = await db.query("SELECT member FROM grant_covered_members(7)");
        assert.equal(covered.rows.length, 0);
      } finally {
        await db.close();
      }
    });
  }
});
