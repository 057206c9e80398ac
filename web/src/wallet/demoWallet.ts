/**
 * A wagmi connector for one local test account: an EIP-1193 provider that signs in the page with the
 * account's key (derived from the public test mnemonic) and sends to the local chain. It only ever answers
 * for the local chain, so it cannot sign for another network.
 */
import {
  type Chain,
  createWalletClient,
  custom,
  type EIP1193RequestFn,
  fromHex,
  getAddress,
  type Hex,
  http,
  numberToHex,
  RpcRequestError,
  SwitchChainError,
} from "viem";
import { rpc } from "viem/utils";
import { createConnector } from "wagmi";
import { DEMO_ACCOUNTS, DEMO_CHAIN_ID, DEMO_MNEMONIC, demoConnectorId } from "./demoAccounts.ts";

const STORAGE_KEY = "datacoop.demoWallet";

type HdAccount = ReturnType<(typeof import("viem/accounts"))["mnemonicToAccount"]>;
const accountCache = new Map<number, Promise<HdAccount>>();

/** Derives the account lazily (the HD code loads only when a demo account is used). */
function demoAccount(index: number): Promise<HdAccount> {
  let account = accountCache.get(index);
  if (!account) {
    account = import("viem/accounts").then(({ mnemonicToAccount }) =>
      mnemonicToAccount(DEMO_MNEMONIC, { addressIndex: index }),
    );
    accountCache.set(index, account);
  }
  return account;
}

type TxParams = { to?: Hex; data?: Hex; value?: Hex; gas?: Hex; from?: Hex };

export function demoWallet(index: number, name: string) {
  type Provider = ReturnType<ReturnType<typeof custom>>;
  return createConnector<Provider>((config) => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the assertion names the untyped reply's shape
    const chain = config.chains.find((c) => c.id === DEMO_CHAIN_ID) as Chain | undefined;
    const id = demoConnectorId(index);
    const address = DEMO_ACCOUNTS.find((a) => a.index === index)!.address;
    let provider: Provider | undefined;

    async function rpcCall(method: string, params: unknown) {
      const url = chain!.rpcUrls.default.http[0];
      const body = { method, params };
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- viem's rpc.http types the JSON-RPC reply as any
      const { error, result } = await rpc.http(url, { body });
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- as above
      if (error) throw new RpcRequestError({ body, error, url });
      return result as unknown;
    }

    return {
      id,
      name,
      type: "demo",
      async connect({ withCapabilities } = {}) {
        if (!chain) throw new SwitchChainError(new Error("The local chain is not configured."));
        localStorage.setItem(STORAGE_KEY, id);
        const accounts = [address];
        return {
          accounts: (withCapabilities
            ? accounts.map((address) => ({ address, capabilities: {} }))
            : accounts) as never,
          chainId: DEMO_CHAIN_ID,
        };
      },
      async disconnect() {
        if (localStorage.getItem(STORAGE_KEY) === id) localStorage.removeItem(STORAGE_KEY);
      },
      async getAccounts() {
        return [getAddress(address)];
      },
      async getChainId() {
        return DEMO_CHAIN_ID;
      },
      async isAuthorized() {
        return chain !== undefined && localStorage.getItem(STORAGE_KEY) === id;
      },
      async switchChain({ chainId }) {
        if (chainId !== DEMO_CHAIN_ID || !chain)
          throw new SwitchChainError(new Error("The demo wallet only works on the local chain."));
        return chain;
      },
      onAccountsChanged() {},
      onChainChanged() {},
      onDisconnect() {
        config.emitter.emit("disconnect");
      },
      async getProvider() {
        if (provider) return provider;
        const request = async ({
          method,
          params,
        }: {
          method: string;
          params?: unknown;
        }): Promise<unknown> => {
          // Only signing needs the key: derive it then.
          const account = () => demoAccount(index);
          switch (method) {
            case "eth_chainId":
              return numberToHex(DEMO_CHAIN_ID);
            case "eth_accounts":
            case "eth_requestAccounts":
              return [address];
            case "wallet_switchEthereumChain": {
              const [{ chainId }] = params as [{ chainId: Hex }];
              if (fromHex(chainId, "number") !== DEMO_CHAIN_ID)
                throw new SwitchChainError(
                  new Error("The demo wallet only works on the local chain."),
                );
              return null;
            }
            case "eth_sendTransaction": {
              const [tx] = params as [TxParams];
              // Estimate first through the node, so a revert reaches the page with its data like any wallet's.
              const gas =
                tx.gas ?? ((await rpcCall("eth_estimateGas", [{ ...tx, from: address }])) as Hex);
              const wallet = createWalletClient({
                account: await account(),
                chain: chain!,
                transport: http(),
              });
              return wallet.sendTransaction({
                to: tx.to,
                data: tx.data,
                value: tx.value ? fromHex(tx.value, "bigint") : undefined,
                gas: fromHex(gas, "bigint"),
              });
            }
            case "personal_sign": {
              const [message] = params as [Hex];
              return (await account()).signMessage({ message: { raw: message } });
            }
            case "eth_signTypedData_v4": {
              const [, typed] = params as [Hex, string];
              // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the dApp's own typed data, which viem checks when signing
              return (await account()).signTypedData(JSON.parse(typed));
            }
            default:
              return rpcCall(method, params);
          }
        };
        provider = custom({ request: request as EIP1193RequestFn })({ retryCount: 0 });
        return provider;
      },
    };
  });
}
