import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak256, stringToHex } from "viem";
import { canonicalHash, canonicalJson } from "../src/canonical.ts";

describe("canonicalJson (RFC 8785)", () => {
  it("sorts keys, drops undefined members and writes numbers as ECMAScript does", () => {
    assert.equal(
      canonicalJson({
        type: "rows",
        select: ["b", "a"],
        where: [{ field: "é", op: "eq", value: 1.5 }],
      }),
      '{"select":["b","a"],"type":"rows","where":[{"field":"é","op":"eq","value":1.5}]}',
    );
    assert.equal(
      canonicalJson({
        z: null,
        a: [true, false, -0, -0.1, 1e21],
        é: 'x"y',
        A: { c: 1, b: undefined },
      }),
      '{"A":{"c":1},"a":[true,false,0,-0.1,1e+21],"z":null,"é":"x\\"y"}',
    );
  });

  it("orders keys by UTF-16 code units, not by code points", () => {
    // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFD by code unit.
    assert.equal(canonicalJson({ "\uFFFD": 1, "\u{1F600}": 2 }), '{"\u{1F600}":2,"\uFFFD":1}');
  });

  it("refuses what JSON cannot carry", () => {
    assert.throws(() => canonicalJson(Number.NaN), TypeError);
    assert.throws(() => canonicalJson(Number.POSITIVE_INFINITY), TypeError);
    assert.throws(() => canonicalJson(() => 1), TypeError);
  });

  it("hashes the UTF-8 bytes of the canonical text", () => {
    assert.equal(canonicalHash("x"), keccak256(stringToHex('"x"')));
    assert.equal(canonicalHash({ b: 1, a: 2 }), keccak256(stringToHex('{"a":2,"b":1}')));
  });
});
