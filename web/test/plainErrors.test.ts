import { describe, expect, it } from "vitest";
import { ABIS } from "@datacoop/protocol/abis.generated";
import { en } from "../src/i18n/en.ts";
import {
  CONTRACT_ERRORS,
  GATEWAY_CODES,
  gatewayErrorKey,
  plainError,
  RELAYER_CODES,
} from "../src/lib/plainErrors.ts";
import { ERROR_CODES } from "@datacoop/protocol/errors";
import { readableError } from "../src/lib/errors.ts";
import { GatewayError } from "../src/lib/gateway.ts";
import { relayFailure, relayRefusal } from "../src/lib/relayer.ts";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

describe("what a member reads when something did not go through", () => {
  it("has a plain sentence for every custom error of every co-op contract", () => {
    const names = new Set(
      Object.values(ABIS)
        .flat()
        .filter((item) => item.type === "error")
        .map((item) => (item as { name: string }).name),
    );
    expect(names.size).toBeGreaterThan(50);
    const missing = [...names].filter((n) => !(n in CONTRACT_ERRORS));
    expect(missing).toEqual([]);
    for (const key of Object.values(CONTRACT_ERRORS)) expect(en).toHaveProperty(key);
  });

  it("has a plain sentence for every refusal code the relayer sends", () => {
    // Every source file of the relayer (main split it by concern: checks.ts, admit.ts, …).
    const relayerRoot = path.join(import.meta.dirname, "../../server/src/relayer");
    const source = readdirSync(relayerRoot)
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(relayerRoot, f), "utf8"))
      .join("\n");
    const codes = new Set(
      [...source.matchAll(/new RelayerError\(\s*\d{3},\s*"([a-z_]+)"/g)].map((m) => m[1]),
    );
    expect(codes.size).toBeGreaterThan(5);
    expect([...codes].filter((c) => !(c in RELAYER_CODES))).toEqual([]);
    for (const key of Object.values(RELAYER_CODES)) expect(en).toHaveProperty(key);
  });

  it("has a plain sentence for every code the data gateway answers with", () => {
    const root = path.join(import.meta.dirname, "../../server/src/gateway");
    const source = readdirSync(root, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => readFileSync(path.join(root, f), "utf8"))
      .join("\n");
    // Every code of the server's one list that the gateway's sources name as a string.
    const codes = Object.keys(ERROR_CODES).filter((c) => source.includes(`"${c}"`));
    expect(codes.length).toBeGreaterThan(40);
    for (const c of [
      "group_not_public",
      "groups_too_many",
      "tabulation_not_declared",
      "siwe_expired",
    ])
      expect(codes).toContain(c);
    expect(codes.filter((c) => !(c in GATEWAY_CODES))).toEqual([]);
    for (const key of Object.values(GATEWAY_CODES)) expect(en).toHaveProperty(key);
    expect(gatewayErrorKey("groups_too_many")).toBe("refusal.groupsTooMany");
    expect(gatewayErrorKey("something_new")).toBe("refusal.other");
    expect(plainError({ kind: "other", message: "x", code: "siwe_expired" }, "").key).toBe(
      "gw.session",
    );
  });

  it("puts the contract's reason first, then the code of the service that sent it, then the kind of failure", () => {
    expect(plainError({ kind: "rejected", message: "User rejected." }, "localhost").key).toBe(
      "err.rejected",
    );
    expect(plainError({ kind: "chain", message: "chain 1" }, "localhost")).toEqual({
      key: "err.chain",
      vars: { network: "localhost", code: "chain" },
    });
    expect(
      plainError(
        {
          kind: "reverted",
          message: "x",
          errorName: "GovernorAlreadyCastVote",
          code: "would_revert",
        },
        "localhost",
      ).key,
    ).toBe("err.alreadyVoted");
    expect(
      plainError({ kind: "other", message: "x", code: "rate_limited", service: "relayer" }, "").key,
    ).toBe("err.relayerLimit");
    expect(plainError({ kind: "funds", message: "x" }, "").key).toBe("err.noFunds");
    expect(plainError({ kind: "network", message: "x" }, "").key).toBe("err.network");
    expect(plainError({ kind: "reverted", message: "x", errorName: "SomethingNew" }, "")).toEqual({
      key: "err.internal",
      vars: { network: "", code: "SomethingNew" },
    });
    expect(plainError({ kind: "other", message: "Missing or invalid parameters." }, "").key).toBe(
      "err.unknown",
    );
  });

  // The relayer and the gateway answer in the same shape and share codes that mean different things there.
  const shared = Object.keys(RELAYER_CODES).filter((c) => c in GATEWAY_CODES);
  const differing = shared.filter((c) => RELAYER_CODES[c] !== GATEWAY_CODES[c]);

  it("shares codes between the relayer and the gateway that need different words", () => {
    for (const c of [
      "rate_limited",
      "not_member",
      "not_found",
      "bad_signature",
      "budget_exhausted",
    ])
      expect(differing).toContain(c);
  });

  describe.each(shared)("the shared code %s", (code) => {
    it("is worded as the gateway means it when the gateway sent it", () => {
      const error = readableError(new GatewayError(429, code, "refused", undefined, "gateway"));
      expect(error.service).toBe("gateway");
      expect(plainError(error, "").key).toBe(GATEWAY_CODES[code]);
      // The caller may say which service it called, whatever the error carries.
      expect(plainError({ kind: "other", message: "x", code }, "", "gateway").key).toBe(
        GATEWAY_CODES[code],
      );
    });

    it("is worded as the relayer means it when the relayer sent it", () => {
      const refusal = relayRefusal(new GatewayError(429, code, "refused", undefined, "relayer"));
      expect(refusal?.service).toBe("relayer");
      expect(plainError(refusal!, "").key).toBe(RELAYER_CODES[code]);
      const failed = relayFailure({
        id: "1",
        status: "failed",
        txHash: null,
        blockNumber: null,
        error: { code, message: "failed" },
      });
      expect(plainError(failed, "").key).toBe(RELAYER_CODES[code]);
      expect(plainError({ kind: "other", message: "x", code }, "", "relayer").key).toBe(
        RELAYER_CODES[code],
      );
    });

    it("gets neither service's words when nobody says which sent it and they differ", () => {
      const key = plainError({ kind: "other", message: "x", code }, "").key;
      expect(key).toBe(differing.includes(code) ? "err.unknown" : RELAYER_CODES[code]);
    });
  });

  it("keeps the code and its service from a gateway error (sign-in, records) and from the relayer's client", () => {
    expect(readableError(new GatewayError(401, "siwe_expired", "expired"))).toEqual({
      kind: "other",
      message: "expired",
      code: "siwe_expired",
      service: "gateway",
    });
    expect(plainError(readableError(new GatewayError(403, "not_member", "no")), "").key).toBe(
      "contribute.err.notMember",
    );
  });
});
