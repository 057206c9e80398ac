/** Loads and checks config.json (see scripts/runtime-config.ts): the deployment and where to reach it. */
import { CONTRACT_NAMES, type ContractName } from "@datacoop/protocol/contracts";
import type { Deployment } from "@datacoop/protocol/deployment";
import { type Address, isAddress } from "viem";

export type AppConfig = {
  deployment: Deployment;
  rpcUrl: string;
  indexerUrl: string;
  walletConnectProjectId?: string;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function url(value: unknown, field: string): string {
  if (typeof value !== "string" || !/^https?:\/\//.test(value))
    throw new ConfigError(`${field} must be an http(s) URL`);
  return value;
}

/** Checks the shape of config.json; throws ConfigError naming the first bad field. */
export function parseConfig(json: unknown): AppConfig {
  if (!isRecord(json)) throw new ConfigError("config.json must be an object");
  const d = json.deployment;
  if (!isRecord(d)) throw new ConfigError("deployment is missing");
  if (typeof d.network !== "string") throw new ConfigError("deployment.network must be a string");
  if (!Number.isSafeInteger(d.chainId) || (d.chainId as number) <= 0)
    throw new ConfigError("deployment.chainId must be a positive integer");
  if (!Number.isSafeInteger(d.startBlock) || (d.startBlock as number) < 0)
    throw new ConfigError("deployment.startBlock must be a block number");
  if (!isRecord(d.contracts)) throw new ConfigError("deployment.contracts is missing");
  const contracts = {} as Record<ContractName, Address>;
  for (const name of CONTRACT_NAMES) {
    const address = d.contracts[name];
    if (typeof address !== "string" || !isAddress(address))
      throw new ConfigError(`deployment.contracts.${name} must be an address`);
    contracts[name] = address;
  }
  const projectId = json.walletConnectProjectId;
  if (projectId !== undefined && (typeof projectId !== "string" || projectId === ""))
    throw new ConfigError("walletConnectProjectId must be a non-empty string when set");
  return {
    deployment: {
      network: d.network,
      chainId: d.chainId as number,
      startBlock: d.startBlock as number,
      contracts,
    },
    rpcUrl: url(json.rpcUrl, "rpcUrl"),
    indexerUrl: url(json.indexerUrl, "indexerUrl"),
    ...(projectId ? { walletConnectProjectId: projectId } : {}),
  };
}

/** Reads config.json; `pending` is a request already made for it (index.html starts one early). */
export async function loadConfig(
  href = "config.json",
  pending?: Promise<Response>,
): Promise<AppConfig> {
  const res = await (pending?.catch(() => fetch(href, { cache: "no-store" })) ??
    fetch(href, { cache: "no-store" }));
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const message =
      isRecord(body) && isRecord(body.error) && typeof body.error.message === "string"
        ? body.error.message
        : `HTTP ${res.status}`;
    throw new ConfigError(`config.json could not be loaded: ${message}`);
  }
  return parseConfig(body);
}
