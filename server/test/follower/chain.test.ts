import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { membershipAbi } from "@datacoop/protocol/abis.generated";
import { startChain, type TestChain } from "../support/chain.ts";

describe("test chain", () => {
  let chain: TestChain;
  before(async () => {
    chain = await startChain();
  });
  after(() => chain?.stop());

  it("deploys the co-op with the five founders as members", async () => {
    const count = await chain.publicClient.readContract({
      address: chain.deployment.contracts.membership,
      abi: membershipAbi,
      functionName: "memberCount",
    });
    assert.equal(count, 5n);
    assert.equal(chain.deployment.chainId, 31337);
  });
});
