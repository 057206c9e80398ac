/**
 * The sealed part of an access-log entry (format 2). A public entry names who asked what under which grant
 * and what was decided, and carries one hash, its `seal`, for everything else — the answer, the members it
 * concerned and every exact figure (member count, rows, groups, suppressed groups, the exact reason of a
 * refusal). The seal commits to two salted halves:
 *
 *   answer  = SHA-256(canonical { answer: SHA-256(canonical answer) | null, message, reason, salt })
 *   members = SHA-256(canonical { count, detail, set: the member set's hash, salt })
 *   seal    = SHA-256(canonical { answer, members })
 *
 * (hex without 0x; canonical = RFC 8785 JSON). Each half has its own 128-bit salt, so neither can be found by
 * trying likely answers or counts. Who may open what:
 *
 * - the partner who asked gets the answer half opened (it holds the answer and its refusal reason already)
 *   and the members half as a hash: it checks that the public entry commits to exactly what it was told;
 * - a signed-in member gets both halves as hashes for every entry that concerned them: they check that the
 *   entry's seal is theirs and recompute the entry's hash, then its inclusion under an anchor;
 * - the co-op (the store) holds both openings, and the gateway checks them in `verifyLog`.
 *
 * Runs in Node and in the browser (viem's SHA-256), never throws on bad input.
 */
import { sha256, stringToBytes } from "viem";
import { canonicalJson } from "../canonical.ts";

/** The answer half, opened: what the requester was told. */
export interface AnswerOpening {
  /** SHA-256 (hex) of the canonical JSON of the answer as served, or null for a refusal or an erasure. */
  answer: string | null;
  /** The exact reason code and message given to the requester. */
  reason: string;
  message: string;
  salt: string;
}

/** The members half, opened: whom it concerned, and the exact figures. Only the co-op holds it. */
export interface MembersOpening {
  /** How many members' data the decision concerned. */
  count: number;
  /** SHA-256 of the members' sorted keyed commitments, one per line. */
  set: string;
  /** Every exact figure of the decision not in the public entry (rows, groups, suppressed groups, records erased…). */
  detail: Record<string, unknown>;
  salt: string;
}

/** Both halves opened: what the store keeps beside each entry. */
export interface FullOpening {
  answer: AnswerOpening;
  members: MembersOpening;
}

/** What the partner who asked receives with its answer or refusal. */
export interface RequesterOpening {
  answer: AnswerOpening;
  /** The members half, as a hash. */
  members: string;
}

/** What a member receives for an entry that concerned them: both halves as hashes. */
export interface MemberOpening {
  answer: string;
  members: string;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hash(value: unknown): string {
  return sha256(stringToBytes(canonicalJson(value))).slice(2);
}

/** SHA-256 (hex) of an answer's canonical JSON, as the answer half names it. */
export function answerHash(answer: unknown): string {
  return hash(answer);
}

export function answerCommitment(opening: AnswerOpening): string {
  return hash({
    answer: opening.answer,
    message: opening.message,
    reason: opening.reason,
    salt: opening.salt,
  });
}

export function membersCommitment(opening: MembersOpening): string {
  return hash({
    count: opening.count,
    detail: opening.detail,
    set: opening.set,
    salt: opening.salt,
  });
}

/** The seal of two halves, each given opened or as its hash. */
export function sealOf(halves: {
  answer: AnswerOpening | string;
  members: MembersOpening | string;
}): string {
  const answer =
    typeof halves.answer === "string" ? halves.answer : answerCommitment(halves.answer);
  const members =
    typeof halves.members === "string" ? halves.members : membersCommitment(halves.members);
  return hash({ answer, members });
}

export type OpeningCheck =
  | { ok: true }
  | {
      ok: false;
      reason: "NOT_AN_ENTRY" | "OLD_FORMAT" | "MALFORMED" | "SEAL" | "ANSWER";
      message: string;
    };

/**
 * Whether an opening (a member's, a requester's or the co-op's) opens the seal of `entryText` (the
 * entry's canonical JSON as `/proofs/entries/{seq}` serves it). With `answer`, also whether the answer half
 * names exactly that answer (for the partner who received it).
 */
export function checkOpening(
  entryText: string,
  opening: { answer: AnswerOpening | string; members: MembersOpening | string },
  answer?: unknown,
): OpeningCheck {
  let entry: { v?: unknown; seal?: unknown };
  try {
    entry = JSON.parse(entryText) as typeof entry;
  } catch {
    return { ok: false, reason: "NOT_AN_ENTRY", message: "The entry's text is not JSON." };
  }
  if (entry?.v !== 2 || typeof entry.seal !== "string") {
    return {
      ok: false,
      reason: "OLD_FORMAT",
      message: "The entry has no seal (written before format 2).",
    };
  }
  try {
    const halves = [opening.answer, opening.members];
    if (halves.some((h) => typeof h === "string" && !HEX64.test(h))) {
      return { ok: false, reason: "MALFORMED", message: "A half is not a SHA-256 hash." };
    }
    if (sealOf(opening) !== entry.seal) {
      return { ok: false, reason: "SEAL", message: "The opening does not open the entry's seal." };
    }
    if (answer !== undefined) {
      const named = typeof opening.answer === "string" ? undefined : opening.answer.answer;
      if (named !== answerHash(answer)) {
        return {
          ok: false,
          reason: "ANSWER",
          message: "The entry commits to another answer than this one.",
        };
      }
    }
    return { ok: true };
  } catch {
    return { ok: false, reason: "MALFORMED", message: "The opening is malformed." };
  }
}
