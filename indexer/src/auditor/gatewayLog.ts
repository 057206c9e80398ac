/**
 * The published access log against the anchors on-chain. The auditor reads the gateway's log through
 * two HTTP endpoints under the gateway's base URL (the interface below); a gateway without them is
 * reported as not checkable, never as passing.
 *
 *   GET {gateway}/log?from=<index>&limit=<n>
 *     200 { size, entries: [{ index, seq, entry, prevHash, hash }] }
 *     `index` from 0 (= seq − 1); `entry` the canonical JSON text the hash covers; `prevHash` and `hash`
 *     64 hex digits, hash = SHA-256(prevHash ‖ entry) (the hash chain of gateway/accessLog.ts).
 *   GET {gateway}/log/proof?index=<i>&size=<n>
 *     200 { index, size, proof: ["0x…", …] }   RFC 6962 inclusion proof of leaf i in the tree of n leaves.
 *
 * A leaf's input is the entry's 32-byte hash (indexer/src/audit/README.md). For every published entry the
 * auditor checks its hash and its link to the entry before (an edited entry breaks both), then, for every
 * anchored entry, the gateway's inclusion proof under the batch that first covered it; finally it recomputes every
 * anchored root from the entries (`verifyLog`), which names the first batch whose entries were changed,
 * removed, added or moved.
 */
import { createHash } from "node:crypto";
import type { Hex } from "viem";
import { verifyLog, type Anchor } from "../audit/batches.ts";
import { hashLeaf, verifyInclusion } from "../audit/merkle.ts";
import type { CheckResult, Violation } from "./report.ts";

export interface PublishedEntry {
  index: number;
  seq: number;
  entry: string;
  prevHash: string;
  hash: string;
}

export const LOG_PATH = "/log";
export const PROOF_PATH = "/log/proof";
const PAGE = 500;
const GENESIS = "0".repeat(64);
const HASH = /^[0-9a-f]{64}$/;
const TITLE = "Every published access-log entry is intact and included under the anchors";

class Unavailable extends Error {}

async function getJson(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new Unavailable(`the gateway did not answer at ${url}: ${(error as Error).message}`);
  }
  if (response.status === 404 || response.status === 405 || response.status === 501)
    throw new Unavailable(
      `the gateway does not publish its access log (GET ${url} answered ${response.status})`,
    );
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return response.json();
}

async function readEntries(base: string): Promise<PublishedEntry[]> {
  const entries: PublishedEntry[] = [];
  for (;;) {
    const page = (await getJson(`${base}${LOG_PATH}?from=${entries.length}&limit=${PAGE}`)) as {
      size?: unknown;
      entries?: unknown;
    };
    if (!Array.isArray(page.entries) || typeof page.size !== "number")
      throw new Error(`GET ${base}${LOG_PATH} did not answer { size, entries }`);
    entries.push(...(page.entries as PublishedEntry[]));
    if (page.entries.length === 0 || entries.length >= page.size) return entries;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function checkGatewayLog(
  gatewayUrl: string,
  anchors: (Anchor & { batch: number })[],
): Promise<CheckResult> {
  const base = gatewayUrl.replace(/\/+$/, "");
  let entries: PublishedEntry[];
  try {
    entries = await readEntries(base);
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error;
    return {
      id: "gateway",
      title: TITLE,
      status: "skipped",
      notes: [`Not checked: ${error.message}.`],
      violations: [],
    };
  }
  const violations: Violation[] = [];
  let previous = GENESIS;
  for (const [position, e] of entries.entries()) {
    const where = `Access-log entry ${position + 1}`;
    if (e.index !== position || e.seq !== position + 1) {
      violations.push({ message: `${where} is published as index ${e.index}, seq ${e.seq}.` });
    } else if (!HASH.test(String(e.hash)) || !HASH.test(String(e.prevHash))) {
      violations.push({ message: `${where} has a malformed hash.` });
    } else if (e.prevHash !== previous) {
      violations.push({
        message: `${where} does not follow the entry before: prevHash ${e.prevHash}, expected ${previous}.`,
      });
    } else if (sha256(`${e.prevHash}${e.entry}`) !== e.hash) {
      violations.push({
        message: `${where} was edited: its content hashes to ${sha256(`${e.prevHash}${e.entry}`)}, not to its recorded hash ${e.hash}.`,
      });
    }
    previous = String(e.hash);
  }

  const latest = anchors.at(-1);
  let proofsChecked = 0;
  if (latest && violations.length === 0) {
    const anchored = entries.slice(0, Math.min(latest.size, entries.length));
    try {
      await pool(anchored, 8, async (e) => {
        // Each entry under the batch that first covered it: a later rewrite cannot blame earlier batches.
        const anchor = anchors.find((a) => a.size > e.index) ?? latest;
        const answer = (await getJson(
          `${base}${PROOF_PATH}?index=${e.index}&size=${anchor.size}`,
        )) as { proof?: unknown };
        const proof = Array.isArray(answer.proof) ? (answer.proof as Hex[]) : [];
        const valid = verifyInclusion({
          index: e.index,
          size: anchor.size,
          leafHash: hashLeaf(`0x${e.hash}`),
          proof,
          root: anchor.root,
        });
        proofsChecked++;
        if (!valid)
          violations.push({
            message: `Access-log entry ${e.seq} has no valid inclusion proof under anchor batch ${anchor.batch} (root ${anchor.root}, ${anchor.size} entries).`,
          });
      });
    } catch (error) {
      if (!(error instanceof Unavailable)) throw error;
      violations.push({ message: `Inclusion proofs could not be checked: ${error.message}.` });
    }
    const log = verifyLog(
      entries.map((e) => `0x${e.hash}` as Hex),
      anchors,
    );
    if (!log.ok)
      violations.push({
        message: `Anchor batch ${log.batch} (entries ${log.fromSize + 1}–${log.toSize}): ${log.message}`,
      });
  }
  violations.sort((a, b) => a.message.localeCompare(b.message, "en", { numeric: true }));
  return {
    id: "gateway",
    title: TITLE,
    status: violations.length ? "fail" : "pass",
    notes: [
      `${entries.length} entries published; ${latest ? Math.min(latest.size, entries.length) : 0} anchored, ` +
        `${proofsChecked} inclusion proofs checked, each under the batch that first covered its entry.`,
    ],
    violations,
  };
}
