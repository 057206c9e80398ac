/** The relays table: what was accepted, what it may cost, what happened to it. */
import type { Queryable } from "../store/db.ts";
import type { DecodedRevert } from "./revert.ts";
import type { RelayKind } from "@datacoop/protocol/typedData";

export type RelayStatus = "pending" | "mined" | "failed";

export interface RelayRow {
  id: string;
  kind: RelayKind;
  chain_id: string;
  contract: string;
  signer: string;
  nonce: string;
  digest: string;
  request: Record<string, unknown>;
  calldata: string;
  gas_limit: string;
  max_fee_per_gas: string;
  max_priority_fee_per_gas: string;
  reserved_wei: string;
  status: RelayStatus;
  sender: string | null;
  tx_nonce: string | null;
  tx_hash: string | null;
  raw_tx: string | null;
  block_number: string | null;
  block_hash: string | null;
  gas_used: string | null;
  effective_gas_price: string | null;
  cost_wei: string | null;
  error_code: string | null;
  error_message: string | null;
  error_name: string | null;
  error_args: unknown[] | null;
  created_at: Date | string;
  sent_at: Date | string | null;
  finished_at: Date | string | null;
}

export interface NewRelay {
  id: string;
  kind: RelayKind;
  chainId: number;
  contract: string;
  signer: string;
  nonce: bigint;
  digest: string;
  request: Record<string, unknown>;
  calldata: string;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  createdAt: Date;
}

export async function insertRelay(db: Queryable, r: NewRelay): Promise<void> {
  await db.query(
    `INSERT INTO relayer_relays (id, kind, chain_id, contract, signer, nonce, digest, request, calldata,
       gas_limit, max_fee_per_gas, max_priority_fee_per_gas, reserved_wei, status, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'pending', $14)`,
    [
      r.id,
      r.kind,
      r.chainId,
      r.contract.toLowerCase(),
      r.signer.toLowerCase(),
      r.nonce.toString(),
      r.digest,
      JSON.stringify(r.request),
      r.calldata,
      r.gasLimit.toString(),
      r.maxFeePerGas.toString(),
      r.maxPriorityFeePerGas.toString(),
      (r.gasLimit * r.maxFeePerGas).toString(),
      r.createdAt.toISOString(),
    ],
  );
}

export async function getRelay(db: Queryable, id: string): Promise<RelayRow | undefined> {
  const { rows } = await db.query<RelayRow>("SELECT * FROM relayer_relays WHERE id = $1", [id]);
  return rows[0];
}

/** The live (pending or mined) relay of a signed nonce, if any. */
export async function liveRelayOf(
  db: Queryable,
  chainId: number,
  contract: string,
  signer: string,
  nonce: bigint,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM relayer_relays
     WHERE chain_id = $1 AND contract = $2 AND signer = $3 AND nonce = $4 AND status <> 'failed'`,
    [chainId, contract.toLowerCase(), signer.toLowerCase(), nonce.toString()],
  );
  return rows[0]?.id;
}

/**
 * The live (pending or mined) claim relay of `signer`'s that collects any of `grantIds`, if any: each share is
 * relayed once, whatever other shares the claims group it with.
 */
export async function liveClaimOf(
  db: Queryable,
  chainId: number,
  contract: string,
  signer: string,
  grantIds: readonly bigint[],
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM relayer_relays
     WHERE chain_id = $1 AND contract = $2 AND signer = $3 AND kind = 'claim' AND status <> 'failed'
       AND request->'grantIds' ?| $4::text[]
     ORDER BY seq LIMIT 1`,
    [chainId, contract.toLowerCase(), signer.toLowerCase(), grantIds.map(String)],
  );
  return rows[0]?.id;
}

/**
 * Takes the relayer's store-wide lock until the end of the transaction `tx`: the budget and limit checks and the
 * insert that follows them run one at a time across every process sharing the store.
 */
export async function lockBudget(tx: Queryable, chainId: number): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `datacoop relayer budget ${chainId}`,
  ]);
}

/** A member's relays (of one kind, when given) since `since`, and the oldest of them (for Retry-After). */
export async function relaysSince(
  db: Queryable,
  chainId: number,
  signer: string,
  since: Date,
  kind?: RelayKind,
): Promise<{ count: number; oldest: Date | null }> {
  const { rows } = await db.query<{ count: string; oldest: Date | string | null }>(
    `SELECT count(*) AS count, min(created_at) AS oldest FROM relayer_relays
     WHERE chain_id = $1 AND signer = $2 AND created_at > $3 AND ($4::text IS NULL OR kind = $4)`,
    [chainId, signer.toLowerCase(), since.toISOString(), kind ?? null],
  );
  const row = rows[0];
  return { count: Number(row.count), oldest: row.oldest === null ? null : new Date(row.oldest) };
}

/** Spent (in blocks) and reserved (pending) wei since `since` (or ever). */
export async function spending(
  db: Queryable,
  chainId: number,
  since: Date | null,
): Promise<{ spent: bigint; reserved: bigint; pending: number }> {
  const { rows } = await db.query<{ spent: string; reserved: string; pending: string }>(
    `SELECT coalesce(sum(cost_wei), 0)::numeric(78,0) AS spent,
            coalesce(sum(reserved_wei) FILTER (WHERE status = 'pending'), 0)::numeric(78,0) AS reserved,
            count(*) FILTER (WHERE status = 'pending') AS pending
     FROM relayer_relays WHERE chain_id = $1 AND ($2::timestamptz IS NULL OR created_at > $2)`,
    [chainId, since?.toISOString() ?? null],
  );
  return {
    spent: BigInt(rows[0].spent),
    reserved: BigInt(rows[0].reserved),
    pending: Number(rows[0].pending),
  };
}

export async function markSent(
  db: Queryable,
  id: string,
  tx: { sender: string; nonce: number; hash: string; raw: string },
): Promise<void> {
  await db.query(
    `UPDATE relayer_relays SET sender = $2, tx_nonce = $3, tx_hash = $4, raw_tx = $5, sent_at = now()
     WHERE id = $1`,
    [id, tx.sender.toLowerCase(), tx.nonce, tx.hash, tx.raw],
  );
}

export interface Outcome {
  status: "mined" | "failed";
  blockNumber?: bigint;
  blockHash?: string;
  gasUsed?: bigint;
  effectiveGasPrice?: bigint;
  error?: { code: string; message: string; revert?: DecodedRevert };
}

export async function finish(db: Queryable, id: string, o: Outcome): Promise<void> {
  const cost =
    o.gasUsed !== undefined && o.effectiveGasPrice !== undefined
      ? (o.gasUsed * o.effectiveGasPrice).toString()
      : null;
  await db.query(
    `UPDATE relayer_relays SET status = $2, block_number = $3, block_hash = $4, gas_used = $5,
       effective_gas_price = $6, cost_wei = $7, error_code = $8, error_message = $9, error_name = $10,
       error_args = $11, finished_at = now()
     WHERE id = $1 AND status = 'pending'`,
    [
      id,
      o.status,
      o.blockNumber?.toString() ?? null,
      o.blockHash ?? null,
      o.gasUsed?.toString() ?? null,
      o.effectiveGasPrice?.toString() ?? null,
      cost,
      o.error?.code ?? null,
      o.error?.message ?? null,
      o.error?.revert?.name ?? null,
      o.error?.revert ? JSON.stringify(o.error.revert.args) : null,
    ],
  );
}

/** Pending relays in the order they were accepted. */
export async function pendingRelays(db: Queryable, chainId: number): Promise<RelayRow[]> {
  const { rows } = await db.query<RelayRow>(
    `SELECT * FROM relayer_relays WHERE chain_id = $1 AND status = 'pending'
     ORDER BY seq`,
    [chainId],
  );
  return rows;
}
