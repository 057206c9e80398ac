import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byUseGrantsToAsk, byUseShares } from "../src/lib/byUse.ts";
import type { ApiClaim, ApiRevenue } from "../src/lib/indexerApi.ts";

const me = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const event = { blockNumber: "1", blockTime: "1", txHash: "0x01", logIndex: 0 };
const grant = (grantId: string, mode: ApiRevenue["mode"]) =>
  ({ ...event, grantId, mode }) as unknown as ApiRevenue;
const claim = (grantId: string) => ({ ...event, grantId, member: me, amount: "1" }) as ApiClaim;

describe("revenue by use: which grants to ask", () => {
  it("asks only by-use grants the member has not claimed from", () => {
    expect(
      byUseGrantsToAsk(
        [grant("1", "EqualSplit"), grant("2", "ByUse"), grant("3", "ByUse"), grant("4", "ByUse")],
        [claim("1"), claim("3")],
      ),
    ).toEqual(["2", "4"]);
    expect(byUseGrantsToAsk([], [])).toEqual([]);
  });
});

describe("revenue by use: the member's shares from the gateway", () => {
  // The answers of the gateway's /proofs routes (indexer/src/audit/revenueRoutes.ts), per path.
  const answers: Record<string, [number, unknown]> = {
    "/proofs/allocations/2": [200, { status: "posted" }],
    [`/proofs/allocations/2/members/${me.toLowerCase()}`]: [
      200,
      { member: me, units: 3, amount: "300", proof: ["0xaa", "0xbb"], root: "0xcc" },
    ],
    "/proofs/allocations/4": [200, { status: "built" }],
    "/proofs/allocations/5": [404, { error: { code: "allocation_not_built", message: "none" } }],
    "/proofs/allocations/6": [200, { status: "posted" }],
    [`/proofs/allocations/6/members/${me.toLowerCase()}`]: [
      404,
      { error: { code: "member_not_in_allocation", message: "no share" } },
    ],
    "/proofs/allocations/7": [500, { error: { code: "internal", message: "down" } }],
  };
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const [status, body] = answers[req.url ?? ""] ?? [
        404,
        { error: { code: "x", message: "x" } },
      ];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/proofs`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("keeps posted shares with their proofs; skips unposted, unbuilt and shareless grants", async () => {
    expect(await byUseShares(base, ["2", "4", "5", "6"], me)).toEqual([
      { grantId: "2", amount: 300n, units: 3, proof: ["0xaa", "0xbb"] },
    ]);
  });

  it("reports a failing gateway instead of showing no share", async () => {
    await expect(byUseShares(base, ["2", "7"], me)).rejects.toThrow("down");
  });
});
