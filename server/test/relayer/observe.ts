/** What the relayer tests watch: a relay's status until it settles, and what the relayer has spent and stored. */
import assert from "node:assert/strict";
import type { Address, Hex } from "viem";
import type { Db } from "../../src/store/db.ts";
import type { TestChain } from "../support/chain.ts";
import type { GatewayHttp } from "../support/gateway.ts";

/** A relay as GET /relayer/relays/{id} answers it. */
export interface RelayBody {
  id: string;
  kind: string;
  signer: string;
  status: "pending" | "mined" | "failed";
  statusUrl: string;
  txHash: Hex | null;
  blockNumber: string | null;
  costWei: string | null;
  error: { code: string; message: string; name?: string; args?: unknown[] } | null;
}

/** Polls the relay's status until it is no longer pending. */
export async function settled(api: GatewayHttp, id: string): Promise<RelayBody> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const res = await api.get<RelayBody>(`/relays/${id}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    if (res.body.status !== "pending") return res.body;
    if (Date.now() > deadline) throw new Error(`relay ${id} still pending`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The relayer account's nonce and balance, and the number of relays stored. */
export async function footprint(chain: TestChain, db: Db, relayer: Address) {
  const [nonce, balance, rows] = await Promise.all([
    chain.publicClient.getTransactionCount({ address: relayer }),
    chain.publicClient.getBalance({ address: relayer }),
    db.query<{ n: string }>("SELECT count(*) AS n FROM relayer_relays"),
  ]);
  return { nonce, balance, relays: Number(rows.rows[0].n) };
}
