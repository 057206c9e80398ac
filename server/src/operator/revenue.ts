/**
 * Revenue by use: for a grant in the revenue contract's ByUse mode, the members' share of its fee goes to
 * the members whose data was actually served under it.
 *
 * The rule, in full:
 * 1. **Units.** One unit per allowed answer under the grant that included the member's data: every
 *    access-log entry of kind `query`, decision `allow`, for the grant, up to the log's size when the
 *    distribution is built, gives one unit to each member of its member set (row answers and aggregates
 *    alike; a member counts once per answer however many of their records it used). Member sets hold keyed
 *    commitments; the gateway maps them back to addresses by recomputing the commitment of every member who
 *    contributed to the grant's dataset.
 * 2. **Shares.** With S the grant's member share (wei) and U the total units, member i with u_i units gets
 *    floor(S·u_i / U); the R wei left over (R < number of members) go one each to the R members with the
 *    largest remainders (S·u_i mod U), ties to the lower address. The shares add up to S exactly. A grant
 *    nobody's data was served under allocates nothing: its member share returns to the treasury.
 * 3. **Distribution.** An OpenZeppelin StandardMerkleTree of `(address, uint256)` leaves — the revenue
 *    contract's `keccak256(bytes.concat(keccak256(abi.encode(member, amount))))` — over the members with a
 *    non-zero share; its root and total go to `Revenue.postAllocation`, once, when the grant ends (or on the
 *    operator's command). The tree is stored, so every member's proof can be served afterwards.
 */
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { getAddress, keccak256, toHex, type Address, type Hex, type PublicClient } from "viem";
import { revenueAbi } from "@datacoop/protocol/abis.generated";
import { memberCommitment, type GatewayKeys } from "../gateway/auth/keys.ts";
import type { Db, Queryable } from "../store/db.ts";
import type { OperatorWallet } from "./anchorer.ts";
import { CoopError, type ErrorCode } from "@datacoop/protocol/errors";

/** Revenue.Mode.ByUse. */
export const BY_USE = 1;

/** The root posted for a grant whose member share nobody earned: no leaf hashes to it. */
export const NOTHING_ALLOCATED_ROOT: Hex = keccak256(toHex("datacoop: nothing allocated"));

/** A refused allocation: a code from the one list (@datacoop/protocol/errors), answered as is under /proofs. */
export class AllocationError<C extends ErrorCode = ErrorCode> extends CoopError<C> {
  override name = "AllocationError";
}

export interface Share {
  member: Address;
  units: number;
  amount: bigint;
}

/**
 * Units per member for a grant (rule 1), counted over log entries 1..`logSize`. Returns the members in
 * address order and the number of units whose commitment matched no contributor (0 unless the key changed).
 */
export async function usageOf(
  db: Queryable,
  keys: GatewayKeys,
  grantId: bigint,
  logSize: number,
): Promise<{ usage: Map<Address, number>; unmatched: number }> {
  const { rows: candidates } = await db.query<{ member: string }>(
    `SELECT DISTINCT c.member FROM gateway_contributors c
     JOIN grants g ON g.dataset_id = c.dataset_id WHERE g.grant_id = $1`,
    [grantId.toString()],
  );
  const byCommitment = new Map(
    candidates.map(({ member }) => [memberCommitment(keys, member), getAddress(member)]),
  );
  const { rows } = await db.query<{ commitment: string; units: number }>(
    `SELECT m.commitment, count(*)::int AS units
     FROM gateway_access_log l
     JOIN gateway_member_set_members m ON m.members_hash = l.members_hash
     WHERE l.seq <= $2
       AND l.entry::jsonb -> 'body' ->> 'kind' = 'query'
       AND l.entry::jsonb -> 'body' ->> 'decision' = 'allow'
       AND l.entry::jsonb -> 'body' ->> 'grantId' = $1
     GROUP BY m.commitment`,
    [grantId.toString(), logSize],
  );
  const usage = new Map<Address, number>();
  let unmatched = 0;
  for (const { commitment, units } of rows) {
    const member = byCommitment.get(commitment);
    if (member) usage.set(member, units);
    else unmatched += units;
  }
  return { usage: new Map([...usage].sort(([a], [b]) => compareAddress(a, b))), unmatched };
}

function compareAddress(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rule 2: `memberShare` split by units with largest-remainder rounding; the amounts sum to it exactly. */
export function splitShares(memberShare: bigint, usage: ReadonlyMap<Address, number>): Share[] {
  const members = [...usage]
    .filter(([, units]) => units > 0)
    .sort(([a], [b]) => compareAddress(a, b));
  const total = BigInt(members.reduce((sum, [, units]) => sum + units, 0));
  if (total === 0n || memberShare === 0n) {
    return members.map(([member, units]) => ({ member, units, amount: 0n }));
  }
  const shares = members.map(([member, units]) => {
    const scaled = memberShare * BigInt(units);
    return { member, units, amount: scaled / total, remainder: scaled % total };
  });
  let left = memberShare - shares.reduce((sum, s) => sum + s.amount, 0n);
  // Stable sort: equal remainders keep address order.
  const byRemainder = [...shares].sort((x, y) =>
    x.remainder === y.remainder ? 0 : x.remainder > y.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (left === 0n) break;
    share.amount += 1n;
    left -= 1n;
  }
  return shares.map(({ member, units, amount }) => ({ member, units, amount }));
}

export type AllocationTree = StandardMerkleTree<[string, string]>;

/** Rule 3: the OpenZeppelin tree over the non-zero shares (undefined when there are none). */
export function distributionTree(shares: readonly Share[]): AllocationTree | undefined {
  const values = shares
    .filter((s) => s.amount > 0n)
    .map((s) => [s.member, s.amount.toString()] as [string, string]);
  return values.length ? StandardMerkleTree.of(values, ["address", "uint256"]) : undefined;
}

export interface AllocationRecord {
  grantId: string;
  memberShare: string;
  allocated: string;
  units: number;
  logSize: number;
  root: Hex;
  members: number;
  status: "built" | "sent" | "posted" | "failed";
  txHash: Hex | null;
  error: string | null;
}

interface AllocationRow {
  grant_id: string;
  member_share: string;
  allocated: string;
  units: string;
  log_size: string;
  root: Hex;
  tree: ReturnType<AllocationTree["dump"]> | null;
  shares: { member: Address; units: number; amount: string }[];
  status: AllocationRecord["status"];
  tx_hash: Hex | null;
  error: string | null;
}

function toRecord(row: AllocationRow): AllocationRecord {
  return {
    grantId: row.grant_id,
    memberShare: row.member_share,
    allocated: row.allocated,
    units: Number(row.units),
    logSize: Number(row.log_size),
    root: row.root,
    members: row.shares.filter((s) => s.amount !== "0").length,
    status: row.status,
    txHash: row.tx_hash,
    error: row.error,
  };
}

async function loadRow(db: Queryable, grantId: bigint): Promise<AllocationRow | undefined> {
  const { rows } = await db.query<AllocationRow>(
    `SELECT grant_id::text, member_share::text, allocated::text, units::text, log_size::text, root, tree,
       shares, status, tx_hash, error FROM audit_allocations WHERE grant_id = $1`,
    [grantId.toString()],
  );
  return rows[0];
}

export interface AllocatorOptions {
  db: Db;
  keys: GatewayKeys;
  client: PublicClient;
  /** The operator's wallet; without it distributions are built and served but not posted. */
  wallet?: OperatorWallet;
  /** The Revenue contract. */
  revenue: Address;
}

export interface Allocator {
  /** Builds (once) and posts grant `grantId`'s distribution; returns its record. */
  allocate(grantId: bigint): Promise<AllocationRecord>;
  /** The stored distribution of a grant, if built. */
  get(grantId: bigint): Promise<AllocationRecord | undefined>;
  /** A member's share and proof. */
  proofOf(
    grantId: bigint,
    member: Address,
  ): Promise<{ member: Address; units: number; amount: string; proof: Hex[]; root: Hex }>;
  /** Ended (or revoked) ByUse grants without a posted distribution, by chain time `now` (seconds). */
  due(now: bigint): Promise<bigint[]>;
}

export function createAllocator(options: AllocatorOptions): Allocator {
  const { db, keys, client, revenue } = options;

  async function build(grantId: bigint): Promise<AllocationRow> {
    const existing = await loadRow(db, grantId);
    if (existing) return existing;
    const distribution = await client.readContract({
      address: revenue,
      abi: revenueAbi,
      functionName: "distribution",
      args: [grantId],
    });
    if (distribution.snapshot === 0) {
      throw new AllocationError(404, "grant_unknown", `Grant ${grantId} has no fee deposited.`);
    }
    if (distribution.mode !== BY_USE) {
      throw new AllocationError(
        409,
        "not_by_use",
        `Grant ${grantId}'s fee is split equally, not by use.`,
      );
    }
    const { rows: sizeRows } = await db.query<{ n: string | null }>(
      "SELECT max(seq)::text AS n FROM gateway_access_log",
    );
    const logSize = Number(sizeRows[0]?.n ?? 0);
    const { usage } = await usageOf(db, keys, grantId, logSize);
    const shares = splitShares(distribution.memberShare, usage);
    const tree = distributionTree(shares);
    const allocated = shares.reduce((sum, s) => sum + s.amount, 0n);
    const units = shares.reduce((sum, s) => sum + s.units, 0);
    // First writer wins: a distribution, once built, never changes.
    await db.query(
      `INSERT INTO audit_allocations
         (grant_id, member_share, allocated, units, log_size, root, tree, shares, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'built') ON CONFLICT (grant_id) DO NOTHING`,
      [
        grantId.toString(),
        distribution.memberShare.toString(),
        allocated.toString(),
        units,
        logSize,
        tree ? (tree.root as Hex) : NOTHING_ALLOCATED_ROOT,
        tree ? JSON.stringify(tree.dump()) : null,
        JSON.stringify(shares.map((s) => ({ ...s, amount: s.amount.toString() }))),
      ],
    );
    return (await loadRow(db, grantId))!;
  }

  async function setStatus(grantId: bigint, fields: Record<string, unknown>): Promise<void> {
    const names = Object.keys(fields);
    await db.query(
      `UPDATE audit_allocations SET ${names.map((n, i) => `${n} = $${i + 2}`).join(", ")} WHERE grant_id = $1`,
      [grantId.toString(), ...names.map((n) => fields[n])],
    );
  }

  return {
    async allocate(grantId) {
      const row = await build(grantId);
      if (row.status === "posted") return toRecord(row);
      const onChain = await client.readContract({
        address: revenue,
        abi: revenueAbi,
        functionName: "distribution",
        args: [grantId],
      });
      if (onChain.root !== `0x${"0".repeat(64)}`) {
        if (onChain.root.toLowerCase() !== row.root.toLowerCase()) {
          throw new AllocationError(
            409,
            "allocation_differs",
            `Grant ${grantId} already has allocations with root ${onChain.root} on the chain.`,
          );
        }
        await setStatus(grantId, { status: "posted" });
        return toRecord((await loadRow(db, grantId))!);
      }
      if (!options.wallet) {
        throw new AllocationError(409, "no_operator", "No operator key is configured.");
      }
      let txHash: Hex;
      try {
        txHash = await options.wallet.writeContract({
          address: revenue,
          abi: revenueAbi,
          functionName: "postAllocation",
          args: [grantId, row.root, BigInt(row.allocated)],
          chain: null,
        });
      } catch (error) {
        const message = (error as { shortMessage?: string }).shortMessage ?? String(error);
        await setStatus(grantId, { status: "failed", error: message.slice(0, 1000) });
        throw error;
      }
      await setStatus(grantId, { status: "sent", tx_hash: txHash });
      const receipt = await client.waitForTransactionReceipt({ hash: txHash });
      await setStatus(
        grantId,
        receipt.status === "success"
          ? { status: "posted", error: null }
          : { status: "failed", error: "reverted" },
      );
      return toRecord((await loadRow(db, grantId))!);
    },

    async get(grantId) {
      const row = await loadRow(db, grantId);
      return row && toRecord(row);
    },

    async proofOf(grantId, member) {
      const row = await loadRow(db, grantId);
      if (!row) {
        throw new AllocationError(
          404,
          "allocation_not_built",
          `Grant ${grantId} has no distribution yet.`,
        );
      }
      const tree = row.tree ? StandardMerkleTree.load(row.tree) : undefined;
      const wanted = member.toLowerCase();
      if (tree) {
        for (const [i, [account, amount]] of tree.entries()) {
          if (account.toLowerCase() !== wanted) continue;
          const share = row.shares.find((s) => s.member.toLowerCase() === wanted);
          return {
            member: getAddress(account),
            units: share?.units ?? 0,
            amount,
            proof: tree.getProof(i) as Hex[],
            root: row.root,
          };
        }
      }
      throw new AllocationError(
        404,
        "no_share",
        `${getAddress(member)} has no share of grant ${grantId}.`,
      );
    },

    async due(now) {
      const { rows } = await db.query<{ grant_id: string }>(
        `SELECT d.grant_id::text FROM revenue_deposits d
         JOIN grants g USING (grant_id)
         LEFT JOIN revenue_allocations a USING (grant_id)
         LEFT JOIN audit_allocations x USING (grant_id)
         WHERE d.mode = $1 AND a.grant_id IS NULL AND (x.status IS NULL OR x.status <> 'posted')
           AND (g.end_time <= $2 OR g.revoked_at IS NOT NULL)
         ORDER BY d.grant_id`,
        [BY_USE, now.toString()],
      );
      return rows.map((r) => BigInt(r.grant_id));
    },
  };
}
