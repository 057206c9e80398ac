/**
 * The access-log seal as the gateway's README and the proofs' OpenAPI document state it, recomputed here
 * with Node's SHA-256 and a canonical JSON written by hand (so the formula, not only the code, is held), and
 * `checkOpening` on every kind of bad input: it answers, never throws.
 */
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { publicEntrySchema } from "../../src/accessLog/entry.ts";
import {
  answerCommitment,
  answerHash,
  checkOpening,
  membersCommitment,
  sealOf,
  type FullOpening,
} from "../../src/accessLog/seal.ts";

const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function opening(answer: unknown): FullOpening {
  return {
    answer: {
      answer: answer === null ? null : answerHash(answer),
      reason: answer === null ? "cohort_too_small" : "allowed",
      message: answer === null ? "Fewer than 3 members." : "",
      salt: randomBytes(16).toString("hex"),
    },
    members: {
      count: 4,
      set: sha("a\nb\nc\nd"),
      detail: { groups: 2, suppressedGroups: 1 },
      salt: randomBytes(16).toString("hex"),
    },
  };
}

function entryText(seal: string): string {
  const entry = {
    at: "2026-05-01T12:00:00.000Z",
    body: { datasetId: "1", kind: "erasure" },
    seal,
    seq: 3,
    v: 2,
  };
  assert.equal(publicEntrySchema.safeParse(entry).success, true);
  return JSON.stringify(entry);
}

describe("the access-log seal", () => {
  const answer = { shape: "aggregate", groups: [{ key: {}, values: { count: 12 } }] };

  it("is SHA-256 of canonical { answer, members }, each half salted, as documented", () => {
    const o = opening(answer);
    // Canonical JSON (RFC 8785) of these flat objects: keys sorted, no spaces.
    const answerHalf = sha(
      `{"answer":"${o.answer.answer}","message":"","reason":"allowed","salt":"${o.answer.salt}"}`,
    );
    const membersHalf = sha(
      `{"count":4,"detail":{"groups":2,"suppressedGroups":1},"salt":"${o.members.salt}","set":"${o.members.set}"}`,
    );
    assert.equal(answerCommitment(o.answer), answerHalf);
    assert.equal(membersCommitment(o.members), membersHalf);
    assert.equal(sealOf(o), sha(`{"answer":"${answerHalf}","members":"${membersHalf}"}`));
    assert.equal(
      answerHash(answer),
      sha('{"groups":[{"key":{},"values":{"count":12}}],"shape":"aggregate"}'),
    );
  });

  it("opens for the partner (answer half opened), a member (both as hashes) and the co-op", () => {
    const o = opening(answer);
    const text = entryText(sealOf(o));
    const members = membersCommitment(o.members);
    assert.deepEqual(checkOpening(text, o), { ok: true });
    assert.deepEqual(checkOpening(text, { answer: o.answer, members }, answer), { ok: true });
    assert.deepEqual(checkOpening(text, { answer: answerCommitment(o.answer), members }), {
      ok: true,
    });
    // A refusal names no answer.
    const refused = opening(null);
    assert.deepEqual(checkOpening(entryText(sealOf(refused)), refused), { ok: true });
  });

  it("fails on another answer, figure, reason or salt, and on anything malformed, without throwing", () => {
    const o = opening(answer);
    const text = entryText(sealOf(o));
    const members = membersCommitment(o.members);
    const other = { ...answer, groups: [{ key: {}, values: { count: 13 } }] };
    assert.equal(checkOpening(text, { answer: o.answer, members }, other).ok, false);
    for (const changed of [
      { ...o, members: { ...o.members, count: 5 } },
      { ...o, members: { ...o.members, detail: { groups: 2, suppressedGroups: 0 } } },
      { ...o, answer: { ...o.answer, reason: "differencing" } },
      { ...o, answer: { ...o.answer, salt: "0".repeat(32) } },
    ]) {
      assert.deepEqual(checkOpening(text, changed), {
        ok: false,
        reason: "SEAL",
        message: "The opening does not open the entry's seal.",
      });
    }
    assert.equal(checkOpening("not json", o).ok, false);
    assert.equal(checkOpening('{"seq":1,"members":3}', o).ok, false);
    assert.equal(checkOpening(text, { answer: "xyz", members }).ok, false);
    assert.equal(checkOpening(text, { answer: null as never, members: null as never }).ok, false);
  });
});
