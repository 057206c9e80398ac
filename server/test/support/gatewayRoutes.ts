/**
 * The set-up the gateway's route tests share (serving/routes.test.ts, serving/abuse.test.ts): the signing
 * domain and SIWE settings, a partner and members with real keys, a test chain with the farm dataset and
 * grant 7, partners' signed queries and members' signed contributions, and JSON requests to a sub-app.
 */
import assert from "node:assert/strict";
import { getAddress, type Hex } from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { canonicalHash } from "@datacoop/protocol/canonical";
import {
  contributionMessage,
  contributionTypes,
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
} from "@datacoop/protocol/typedData";
import type { ConsentFacts } from "../../src/gateway/query/policy.ts";
import type { gatewayRoutes } from "../../src/gateway/serving/routes.ts";
import { ALL_FIELDS, farmDocument } from "../gateway/fixtures.ts";
import { TestChain } from "../gateway/testChain.ts";

export const REGISTRY = getAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3");
export const CHAIN_ID = 31337;
export const SIWE = { domain: "coop.example", uri: "https://coop.example", chainId: CHAIN_ID };
export const DOMAIN = { chainId: CHAIN_ID, registry: REGISTRY };
/** Holds grant 7. */
export const partner = privateKeyToAccount(`0x${"a1".repeat(32)}`);
export const NOW = BigInt(Math.floor(Date.now() / 1000));

/** `n` members' keys (the same first keys for every n). */
export const memberAccounts = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    privateKeyToAccount(`0x${(i + 1).toString(16).padStart(64, "c")}`),
  );

/** A member since block time 1 consenting to purpose 0, with no choice for the grant. */
export const consenting: ConsentFacts = {
  isMember: true,
  memberSince: 1n,
  consentMask: 1n,
  consentSetAt: 2n,
  grantChoice: "default",
  grantChoiceAt: null,
};

/**
 * Block 20 (final 15), dataset 1 registered with the farm document, `members` consenting, and grant 7 to
 * `partner`: every farm field, row-level, k = 3, approved in block 10, running.
 */
export function farmChain(members: readonly PrivateKeyAccount[]): TestChain {
  const chain = new TestChain({
    latestBlock: 20n,
    latestTime: NOW,
    finalizedBlock: 15n,
    registryPaused: false,
  });
  chain.datasets.set(1n, {
    datasetId: 1n,
    schemaHash: canonicalHash(farmDocument),
    fields: farmDocument.fields.map((f) => f.name),
  });
  for (const m of members) chain.consent.set(m.address.toLowerCase(), consenting);
  chain.grants.set(7n, {
    id: 7n,
    grantee: partner.address,
    datasetId: 1n,
    purpose: 0,
    scope: { fields: ALL_FIELDS, rowLevel: true, k: 3 },
    start: NOW - 100n,
    end: NOW + 100_000n,
    approvedAtBlock: 10n,
    revokedAtBlock: null,
  });
  return chain;
}

/** Nonces of every signed body these helpers make (one sequence for queries and contributions). */
let nonce = 1n;
/** The next nonce of that sequence (for a test that signs its own bodies). */
export const nextNonce = () => nonce++;

/** A partner's signed query body for `query` (grant 7 by `partner` unless told otherwise). */
export async function signedQuery(
  query: unknown,
  opts: { grantId?: bigint; account?: PrivateKeyAccount } = {},
) {
  const p = {
    grantId: opts.grantId ?? 7n,
    datasetId: 1n,
    query,
    nonce: nonce++,
    deadline: NOW + 600n,
  };
  const signature = await (opts.account ?? partner).signTypedData({
    domain: gatewayDomain(DOMAIN),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage(p),
  });
  return {
    signer: (opts.account ?? partner).address,
    grantId: p.grantId.toString(),
    datasetId: "1",
    query,
    nonce: p.nonce.toString(),
    deadline: p.deadline.toString(),
    signature,
  };
}

/** A member's EIP-712 signed contribution body to dataset 1. */
export async function signedContribution(account: PrivateKeyAccount, records: unknown[]) {
  const n = nonce++;
  const deadline = NOW + 600n;
  const signature = await account.signTypedData({
    domain: gatewayDomain(DOMAIN),
    types: contributionTypes,
    primaryType: "Contribution",
    message: contributionMessage({ datasetId: 1n, records, nonce: n, deadline }),
  });
  return {
    signer: account.address,
    records,
    nonce: n.toString(),
    deadline: deadline.toString(),
    signature,
  };
}

/** A farm record (its identifying `name` included), with `extra` fields over it. */
export const farmRecord = (i: number, extra: Record<string, unknown> = {}) => ({
  name: `Secret Name ${i}`,
  region: i % 2 ? "north" : "south",
  crop: "maize",
  yield_kg: 1000 + i,
  harvested: "2026-05-01",
  age: 30 + i,
  ...extra,
});

export type GatewayApp = ReturnType<typeof gatewayRoutes>;

/**
 * A JSON request to a gateway sub-app: the status, the text and the parsed body (`empty` for an empty
 * one); a body that is not JSON fails the test.
 */
export async function requestJson<J>(
  app: GatewayApp,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  empty: J,
): Promise<{ status: number; text: string; json: J }> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const res = await app.request(path, init);
  const text = await res.text();
  let json = empty;
  try {
    json = text ? (JSON.parse(text) as J) : empty;
  } catch {
    assert.fail(`${method} ${path} → ${res.status}, not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, text, json };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Signs `account` in with SIWE through `call` (the high-s twin of its signature when `twin`). */
export async function siweLogin<R>(
  call: (method: string, path: string, body?: unknown) => Promise<R & { json: unknown }>,
  account: PrivateKeyAccount,
  twin?: (signature: Hex) => Hex,
): Promise<R> {
  const { json } = await call("GET", "/auth/nonce");
  const message = createSiweMessage({
    address: account.address,
    chainId: CHAIN_ID,
    domain: SIWE.domain,
    uri: `${SIWE.uri}/login`,
    version: "1",
    nonce: (json as { nonce: string }).nonce,
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  return call("POST", "/auth/login", { message, signature: twin ? twin(signature) : signature });
}
