import { getAddress, zeroAddress, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { parseSiweMessage } from "viem/siwe";
import { describe, expect, it } from "vitest";
import { CONTRACT_NAMES } from "@datacoop/protocol/contracts";
import type { Deployment } from "@datacoop/protocol/deployment";
import { createNode } from "@datacoop/server";
import { parseQuery } from "@datacoop/protocol/query";
import {
  answerTable,
  buildQuery,
  filterValue,
  gatewayUrl,
  type QueryForm,
  signedQueryBody,
  siweMessage,
  toCsv,
} from "../src/lib/gateway.ts";
import { fieldsFromMask, maskFromFields } from "../src/lib/fields.ts";
import { recordValues } from "../src/lib/records.ts";
import { queryTypedData } from "@datacoop/protocol/typedData";

const partner = mnemonicToAccount("test test test test test test test test test test test junk", {
  addressIndex: 5,
});
const registry = getAddress("0x1000000000000000000000000000000000000004");

const form: QueryForm = {
  shape: "aggregate",
  select: [],
  groupBy: "",
  measure: "count",
  measureField: "",
  filterField: "",
  filterOp: "eq",
  filterValue: "",
  limit: "",
};

describe("gateway client", () => {
  it("finds the gateway next to the read API", () => {
    expect(gatewayUrl("http://127.0.0.1:8600/api")).toBe("http://127.0.0.1:8600/gateway");
    expect(gatewayUrl("https://coop.example/indexer/api/")).toBe(
      "https://coop.example/indexer/gateway",
    );
    expect(gatewayUrl("https://coop.example")).toBe("https://coop.example/gateway");
  });

  it("signs a query the gateway verifies, and no other", async () => {
    const query = buildQuery({ ...form, groupBy: "region", measure: "mean", measureField: "ph" });
    if (!query.ok) throw new Error(query.error);
    const now = BigInt(Math.floor(Date.now() / 1000));
    const signed = async (chainId: number) => {
      const typed = queryTypedData({
        chainId,
        registry,
        grantId: 3n,
        datasetId: 1n,
        query: query.query,
        nonce: BigInt(chainId),
        deadline: now + 600n,
      });
      return signedQueryBody(
        partner.address,
        typed,
        query.query,
        await partner.signTypedData(typed),
      );
    };
    const body = await signed(31337);
    // The gateway parses the built query as it is.
    expect(parseQuery(body.query)).toEqual(query.query);

    // The server's own gateway, on an empty store: nothing runs, the request goes in process.
    const deployment: Deployment = {
      network: "test",
      chainId: 31337,
      startBlock: 0,
      contracts: {
        ...(Object.fromEntries(
          CONTRACT_NAMES.map((n): [string, Address] => [n, zeroAddress]),
        ) as Deployment["contracts"]),
        registry,
      },
    };
    const node = await createNode({ deployment, rpcUrl: "http://127.0.0.1:9", operator: false });
    try {
      const ask = async (b: unknown) => {
        const res = await node.app.request("/gateway/query", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(b),
        });
        return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code];
      };
      // Verified: the signature holds, and the signer then has no standing: it holds no approved grant in an
      // empty store (refused before anything is logged).
      expect(await ask(body)).toEqual([403, "no_grant"]);
      // Signed for another chain, or a changed query: the signature does not hold.
      expect(await ask(await signed(1))).toEqual([401, "bad_signature"]);
      expect(await ask({ ...body, query: { ...query.query, groupBy: [] } })).toEqual([
        401,
        "bad_signature",
      ]);
    } finally {
      await node.stop();
    }
  });

  it("writes the sign-in message for the dApp's origin", () => {
    const text = siweMessage({
      address: partner.address,
      chainId: 31337,
      nonce: "abcdef0123456789",
      origin: "http://127.0.0.1:5173",
      statement: "Sign in.",
      now: new Date("2026-01-02T03:04:05Z"),
    });
    expect(parseSiweMessage(text)).toMatchObject({
      domain: "127.0.0.1:5173",
      uri: "http://127.0.0.1:5173",
      chainId: 31337,
      nonce: "abcdef0123456789",
      address: partner.address,
    });
  });
});

describe("buildQuery", () => {
  it("builds aggregate queries, grouped or not, with an optional filter", () => {
    expect(buildQuery(form)).toEqual({
      ok: true,
      query: { type: "aggregate", measures: [{ fn: "count" }] },
    });
    expect(
      buildQuery({
        ...form,
        groupBy: "region",
        measure: "sum",
        measureField: "ph",
        filterField: "ph",
        filterOp: "gte",
        filterValue: " 6.5 ",
      }),
    ).toEqual({
      ok: true,
      query: {
        type: "aggregate",
        groupBy: ["region"],
        measures: [{ fn: "sum", field: "ph" }],
        where: [{ field: "ph", op: "gte", value: 6.5 }],
      },
    });
    expect(buildQuery({ ...form, measure: "max" })).toEqual({
      ok: false,
      error: "query.error.measureField",
    });
  });

  it("builds row queries with a limit from 1 to 1000", () => {
    expect(buildQuery({ ...form, shape: "rows", select: ["ph"], limit: "10" })).toEqual({
      ok: true,
      query: { type: "rows", select: ["ph"], limit: 10 },
    });
    expect(buildQuery({ ...form, shape: "rows" })).toEqual({
      ok: false,
      error: "query.error.select",
    });
    for (const limit of ["0", "1001", "2.5", "x"])
      expect(buildQuery({ ...form, shape: "rows", select: ["ph"], limit }).ok).toBe(false);
  });

  it("types filter values", () => {
    expect(filterValue("true")).toBe(true);
    expect(filterValue("-3")).toBe(-3);
    expect(filterValue("north")).toBe("north");
    expect(filterValue("1e3")).toBe("1e3");
  });
});

describe("answers as tables and CSV", () => {
  it("lays out row answers and grouped answers", () => {
    expect(
      answerTable({
        shape: "rows",
        rows: [
          { member: "p1", ph: 5 },
          { member: "p2", ph: 6, note: "x" },
        ],
        limit: 100,
        offset: 0,
      }),
    ).toEqual({
      columns: ["member", "ph", "note"],
      rows: [
        ["p1", 5, undefined],
        ["p2", 6, "x"],
      ],
    });
    expect(
      answerTable({
        shape: "aggregate",
        groups: [{ key: { region: "north" }, values: { count: 4, "mean:ph": 6.75 } }],
        suppressedGroups: 1,
        noise: null,
      }),
    ).toEqual({ columns: ["region", "count", "mean:ph"], rows: [["north", 4, 6.75]] });
  });

  it("quotes CSV cells and keeps spreadsheets from running formulas", () => {
    expect(
      toCsv({
        columns: ["a", "b"],
        rows: [
          ['x,"y"', "=SUM(A1)"],
          [null, -2],
          ["line\nbreak", true],
        ],
      }),
    ).toBe('a,b\r\n"x,""y""",\'=SUM(A1)\r\n,-2\r\n"line\nbreak",true\r\n');
  });
});

describe("fields and records", () => {
  it("maps fields to a grant's mask and back, in bit order", () => {
    const fields = ["owner", "region", "ph"];
    expect(maskFromFields(["ph", "region"], fields)).toBe(6n);
    expect(fieldsFromMask(6n, fields)).toEqual(["region", "ph"]);
  });

  it("types a form's inputs by the schema, leaving bad numbers for the gateway to name", () => {
    expect(
      recordValues(
        [
          { name: "region", type: "string" },
          { name: "ph", type: "number" },
          { name: "plots", type: "integer" },
          { name: "organic", type: "boolean" },
          { name: "note", type: "string" },
        ],
        { region: " north ", ph: "6,5", plots: "abc", organic: "true", note: "" },
      ),
    ).toEqual({ region: "north", ph: 6.5, plots: "abc", organic: true });
  });
});
