/**
 * A member's and a partner's side of the data gateway over HTTP, with real signatures: Sign-In with
 * Ethereum for members, EIP-712 signed queries for partners.
 */
import type { Address, HDAccount } from "viem";
import { createSiweMessage } from "viem/siwe";
import type { SiweConfig } from "../../src/gateway/auth/memberAuth.ts";
import {
  gatewayDomain,
  queryRequestMessage,
  queryRequestTypes,
  type GatewayDomainConfig,
} from "@datacoop/protocol/typedData";

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: unknown } };
}

/** JSON over HTTP to `base` (e.g. http://127.0.0.1:1234/gateway). */
export function http(base: string) {
  async function call<T>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<HttpAnswer<T>> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${method} ${path}: ${res.status}, not JSON: ${text.slice(0, 200)}`);
    }
    return { status: res.status, body: parsed as HttpAnswer<T>["body"] };
  }
  return {
    get: <T = Record<string, unknown>>(path: string, token?: string) =>
      call<T>("GET", path, undefined, token),
    post: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>("POST", path, body, token),
  };
}

export type GatewayHttp = ReturnType<typeof http>;

/** Signs in `account` with a freshly issued nonce; returns the session token. */
export async function signIn(
  api: GatewayHttp,
  siwe: SiweConfig,
  account: HDAccount,
): Promise<string> {
  const nonce = await api.get<{ nonce: string }>("/auth/nonce");
  if (nonce.status !== 200) throw new Error(`nonce: ${nonce.status}`);
  const message = createSiweMessage({
    domain: siwe.domain,
    address: account.address,
    statement: "Sign in to the co-op's data gateway.",
    uri: siwe.uri,
    version: "1",
    chainId: siwe.chainId,
    nonce: nonce.body.nonce,
    issuedAt: new Date(),
  });
  const signature = await account.signMessage({ message });
  const login = await api.post<{ token: string; address: Address }>("/auth/login", {
    message,
    signature,
  });
  if (login.status !== 200) {
    throw new Error(`login of ${account.address}: ${login.status} ${JSON.stringify(login.body)}`);
  }
  return login.body.token;
}

let lastNonce = BigInt(Date.now()) * 1000n;

/** The body of a partner's signed query (a new nonce each time, a deadline ten minutes ahead). */
export async function signedQuery(
  partner: HDAccount,
  domain: GatewayDomainConfig,
  request: { grantId: bigint; datasetId: bigint; query: unknown },
) {
  const nonce = ++lastNonce;
  const deadline = BigInt(Math.floor(Date.now() / 1000) + 600);
  const signature = await partner.signTypedData({
    domain: gatewayDomain(domain),
    types: queryRequestTypes,
    primaryType: "QueryRequest",
    message: queryRequestMessage({ ...request, nonce, deadline }),
  });
  return {
    signer: partner.address,
    grantId: request.grantId.toString(),
    datasetId: request.datasetId.toString(),
    query: request.query,
    nonce: nonce.toString(),
    deadline: deadline.toString(),
    signature,
  };
}
