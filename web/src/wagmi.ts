/** The wagmi configuration for one deployment: its chain, its RPC URL and the wallets offered. */
import { type Chain, defineChain } from "viem";
import { hardhat, sepolia } from "viem/chains";
import { type Connector, type CreateConnectorFn, createConfig, http, injected } from "wagmi";
import { walletConnect } from "wagmi/connectors";
import type { AppConfig } from "./config.ts";
import { DEMO_ACCOUNTS, DEMO_CHAIN_ID } from "./wallet/demoAccounts.ts";
import { demoWallet } from "./wallet/demoWallet.ts";

const KNOWN_CHAINS: Record<number, Chain> = { [hardhat.id]: hardhat, [sepolia.id]: sepolia };

export function coopChain(config: AppConfig): Chain {
  const { chainId, network } = config.deployment;
  const base = KNOWN_CHAINS[chainId] ?? {
    id: chainId,
    name: network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  };
  return defineChain({ ...base, rpcUrls: { default: { http: [config.rpcUrl] } } });
}

export function createWagmiConfig(config: AppConfig) {
  const chain = coopChain(config);
  const connectors: CreateConnectorFn[] = [injected()];
  if (config.walletConnectProjectId)
    connectors.push(walletConnect({ projectId: config.walletConnectProjectId, showQrModal: true }));
  if (chain.id === DEMO_CHAIN_ID)
    for (const { index } of DEMO_ACCOUNTS) connectors.push(demoWallet(index, `Demo ${index}`));
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(config.rpcUrl, { batch: { wait: 16 } }) },
    pollingInterval: chain.id === DEMO_CHAIN_ID ? 1_000 : 4_000,
  });
}

export function isDemoConnector(connector: Pick<Connector, "type">): boolean {
  return connector.type === "demo";
}
