/**
 * The server on a test chain, built by `createNode` as `npm run server` builds it, with test defaults: the
 * chain's retrying client, a 20 ms poll, quiet logs, and everything started (listening on a free port).
 */
import { http } from "viem";
import { createNode, type CoopNode, type NodeConfig, type StartOptions } from "../../src/node.ts";
import type { TestChain } from "./chain.ts";
import { testLogger } from "./wait.ts";

export type { CoopNode, NodeConfig };

export interface TestNode extends CoopNode {
  /** http://127.0.0.1:<port>, where the node listens. */
  url: string;
}

/** Builds and starts a node on `chain`; `config` overrides the test defaults part by part. */
export async function startNode(
  chain: Pick<TestChain, "rpcUrl" | "deployment" | "publicClient">,
  config: Partial<NodeConfig> = {},
  start: StartOptions = {},
): Promise<TestNode> {
  const node = await createNode({
    deployment: chain.deployment,
    rpcUrl: chain.rpcUrl,
    client: chain.publicClient,
    transport: http(chain.rpcUrl, { retryCount: 5, retryDelay: 50 }),
    logger: testLogger,
    ...config,
    follower: { pollIntervalMs: 20, ...config.follower },
  });
  try {
    const port = await node.start(start);
    return Object.assign(node, { url: `http://127.0.0.1:${port}` });
  } catch (error) {
    await node.stop();
    throw error;
  }
}
