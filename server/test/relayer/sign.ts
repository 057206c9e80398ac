/** A member's side of the relayer: EIP-712 signatures over the contracts' own domains, as the dApp makes them. */
import { randomBytes } from "node:crypto";
import type { HDAccount, PrivateKeyAccount } from "viem";
import {
  typedDataOf,
  type Eip712Domain,
  type RelayRequest,
  type SignedRelayRequest,
} from "@datacoop/protocol/typedData";

type Signer = HDAccount | PrivateKeyAccount;

/** A random 192-bit nonce key: signed changes with different keys never invalidate each other. */
export const randomKey = () => BigInt(`0x${randomBytes(24).toString("hex")}`);

export async function sign<R extends SignedRelayRequest>(
  account: Signer,
  unsigned: Omit<R, "signature">,
  domain: Eip712Domain,
): Promise<R> {
  const request = { ...unsigned, signature: "0x" } as unknown as R;
  const typed = typedDataOf(request, domain);
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- without it tsc widens the value and rejects the call
  const signature = await account.signTypedData(typed as Parameters<Signer["signTypedData"]>[0]);
  return { ...request, signature };
}

/** The JSON body the relayer's routes take: integers as decimal strings, no `kind`. */
export function body(request: RelayRequest): Record<string, unknown> {
  const { kind: _kind, ...rest } = request;
  return Object.fromEntries(
    Object.entries(rest).map(([k, v]) => [
      k,
      typeof v === "bigint"
        ? v.toString()
        : Array.isArray(v)
          ? v.map((x: unknown) => (typeof x === "bigint" ? x.toString() : x))
          : v,
    ]),
  );
}

export const PATHS = {
  vote: "/votes",
  consent: "/consents",
  grantChoice: "/grant-choices",
  proposal: "/proposals",
  claim: "/claims",
} as const;
