/**
 * The gateway's access log against the anchors on the chain, through the indexer's `/proofs` endpoints
 * (indexer/src/audit/README.md, "Endpoints"). The auditor is given the indexer's base URL (its `/proofs`
 * or `/gateway` URL works as well) and reads:
 *
 *   GET /proofs/anchors?from=&limit=             the batches the gateway knows, compared with the chain's
 *   GET /proofs/entries/{seq}/inclusion?batch=   every anchored entry, under the batch that first covered it
 *   GET /proofs/entries/{seq}                    the entries after the latest anchor, until 404 entry_not_found
 *   GET /proofs/consistency?from=b-1&to=b        each batch's tree extending the one before
 *
 * For every entry it checks its hash (SHA-256 of the previous hash and its text) and its link to the entry
 * before; for every anchored one, the served inclusion proof against the chain's anchor (`verifyServedInclusion`);
 * for every batch, the consistency proof (`verifyAnchorChain`). Finally it recomputes the hash chain from the
 * entries' texts and every anchored root from it (`verifyLog`): an entry changed, removed, added or moved
 * after anchoring fails the first batch that held it, even when the stored hashes were rewritten to hide it.
 *
 * A gateway that was given but does not serve the endpoints (404, 500, no answer) fails the check: an
 * operator must not pass the audit by hiding the log. (Without --gateway the audit says "not checked".)
 */
import type { Hex } from "viem";
import { verifyLog } from "@datacoop/protocol/accessLog/batches";
import { MerkleLog } from "@datacoop/protocol/accessLog/merkle";
import {
  GENESIS_ENTRY_HASH,
  accessLogEntryHash,
  batchOf,
  sameHash,
  verifyAnchorChain,
  verifyServedInclusion,
  type Anchor,
  type ServedInclusion,
} from "@datacoop/protocol/accessLog/verify";
import type { CheckResult, Violation } from "../report.ts";

/** Where the indexer mounts the access log's proofs (beside /api and /gateway). */
export const PROOFS_PATH = "/proofs";
const GATEWAY_PATH = "/gateway";

export interface GatewayLogOptions {
  /** Entries read at a time (default 8). */
  concurrency?: number;
  /** Called as entries are read: `known` is the chain's anchored size, or more once the walk passes it. */
  onProgress?: (read: number, known: number) => void;
}

/** An anchor read from the chain, with its batch number (from 1). */
export type ChainAnchor = Anchor & { batch: number };

const TITLE = "Every published access-log entry is intact and included under the anchors";
const ANCHOR_PAGE = 1000;
const ATTEMPTS = 3;
/** Individual entry faults listed before the rest are only counted. */
const LISTED = 50;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/** The `/proofs` URL for what the auditor was given: the indexer's base URL, or its /proofs or /gateway URL. */
export function proofsUrl(url: string): string {
  const base = url.replace(/\/+$/, "");
  if (base.endsWith(PROOFS_PATH)) return base;
  if (base.endsWith(GATEWAY_PATH)) return `${base.slice(0, -GATEWAY_PATH.length)}${PROOFS_PATH}`;
  return `${base}${PROOFS_PATH}`;
}

interface Answer {
  status: number;
  body: unknown;
}

class Unreachable extends Error {}

/** GET with retries on network errors and gateway timeouts; any HTTP answer is returned, not thrown. */
async function get(url: string): Promise<Answer> {
  let failure = "";
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, 250 * attempt));
    try {
      const response = await fetch(url, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(30_000),
      });
      if ([502, 503, 504].includes(response.status) && attempt < ATTEMPTS) {
        await response.body?.cancel();
        failure = `answered ${response.status}`;
        continue;
      }
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: response.status, body };
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  throw new Unreachable(`GET ${url} failed: ${failure}`);
}

function errorOf(answer: Answer): { code?: string; message?: string } {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)
    ?.error;
  return {
    code: typeof error?.code === "string" ? error.code : undefined,
    message: typeof error?.message === "string" ? error.message : undefined,
  };
}

function describeAnswer(answer: Answer): string {
  const { code, message } = errorOf(answer);
  return `${answer.status}${code ? ` ${code}` : ""}${message ? `: ${message}` : ""}`;
}

interface ServedAnchor {
  batch: number;
  root: string;
  size: number;
}

/** The batches the gateway lists, or undefined when it does not serve /proofs at all. */
async function servedAnchors(
  base: string,
): Promise<{ anchors: ServedAnchor[] } | { unavailable: string }> {
  const anchors: ServedAnchor[] = [];
  for (;;) {
    const url = `${base}/anchors?from=${anchors.length + 1}&limit=${ANCHOR_PAGE}`;
    let answer: Answer;
    try {
      answer = await get(url);
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      return { unavailable: `the gateway did not answer (${error.message})` };
    }
    const page = (answer.body as { anchors?: unknown } | undefined)?.anchors;
    if (answer.status !== 200 || !Array.isArray(page)) {
      return {
        unavailable: `the gateway does not serve its access log's proofs (GET ${url} answered ${describeAnswer(answer)})`,
      };
    }
    anchors.push(...(page as ServedAnchor[]));
    if (page.length < ANCHOR_PAGE) return { anchors };
  }
}

/** What the gateway answered for one entry. */
type Read =
  | { seq: number; served: ServedInclusion | EntryShape }
  | { seq: number; missing: true }
  | { seq: number; refused: string };

interface EntryShape {
  seq: number;
  index: number;
  entry: string;
  prevHash: Hex;
  hash: Hex;
}

function isEntry(body: unknown, seq: number): body is EntryShape {
  const e = body as Partial<EntryShape> | undefined;
  return (
    e?.seq === seq &&
    e.index === seq - 1 &&
    typeof e.entry === "string" &&
    typeof e.hash === "string" &&
    HASH.test(e.hash) &&
    typeof e.prevHash === "string" &&
    HASH.test(e.prevHash)
  );
}

export async function checkGatewayLog(
  gatewayUrl: string,
  anchors: ChainAnchor[],
  options: GatewayLogOptions = {},
): Promise<CheckResult> {
  const base = proofsUrl(gatewayUrl);
  const listed = await servedAnchors(base);
  if ("unavailable" in listed) {
    return {
      id: "gateway",
      title: TITLE,
      status: "fail",
      notes: [],
      violations: [
        {
          message: `The gateway's access log cannot be checked: ${listed.unavailable}. A gateway must serve its log's proofs to the auditor.`,
        },
      ],
    };
  }

  const batchFaults: Violation[] = [];
  const entryFaults: Violation[] = [];
  const notes: string[] = [];

  // The gateway's batches must be the chain's. Its indexer may trail the chain (or the audit be of a past
  // block): proofs are asked only under the batches both know.
  let provable = Math.min(anchors.length, listed.anchors.length);
  for (let b = 1; b <= provable; b++) {
    const chain = anchors[b - 1];
    const served = listed.anchors[b - 1];
    if (
      served.batch !== b ||
      !sameHash(String(served.root), chain.root) ||
      served.size !== chain.size
    ) {
      batchFaults.push({
        message: `The gateway lists batch ${b} as (${served.root}, ${served.size}), but the chain anchored (${chain.root}, ${chain.size}).`,
      });
      provable = b - 1;
      break;
    }
  }
  if (provable < anchors.length)
    notes.push(
      `Proofs were asked under the first ${provable} of the ${anchors.length} batches on the chain, the ones ` +
        `the gateway lists as the chain does: entries after ${provable ? anchors[provable - 1].size : 0} ` +
        "were read without proofs (their anchored roots are still recomputed).",
    );
  const provableAnchors = anchors.slice(0, provable);
  const provableSize = provable ? anchors[provable - 1].size : 0;
  const anchoredSize = anchors.at(-1)?.size ?? 0;

  // Each batch's tree extends the one before.
  if (provable > 0) {
    const proofs: Hex[][] = [];
    for (let b = 1; b <= provable; b++) {
      const url = `${base}/consistency?from=${b - 1}&to=${b}`;
      let answer: Answer;
      try {
        answer = await get(url);
      } catch (error) {
        if (!(error instanceof Unreachable)) throw error;
        answer = { status: 0, body: undefined };
      }
      const proof = (answer.body as { proof?: unknown } | undefined)?.proof;
      if (answer.status !== 200 || !Array.isArray(proof)) {
        batchFaults.push({
          message: `The gateway gave no consistency proof for batch ${b} (GET ${url} answered ${describeAnswer(answer)}).`,
        });
        break;
      }
      proofs.push(proof as Hex[]);
    }
    const chain = verifyAnchorChain(provableAnchors.slice(0, proofs.length), proofs);
    if (!chain.ok)
      batchFaults.push({
        message: `Anchor batch ${chain.batch} (entries ${chain.fromSize + 1}–${chain.toSize}): ${chain.message}`,
      });
  }

  // Every entry by seq: the anchored ones with their proofs (all must exist), then on until the first
  // missing. Answers arrive out of order; they are checked in order, and only the tree is kept.
  const tree = new MerkleLog();
  const pending = new Map<number, Read>();
  let next = 1;
  let end = Number.POSITIVE_INFINITY;
  let cursor = 1;
  let finished: Read | undefined;
  let stopped: string | undefined;
  let previous: string | undefined = `0x${GENESIS_ENTRY_HASH}`;
  let chained = GENESIS_ENTRY_HASH;
  let published = 0;
  let proofsChecked = 0;

  const check = (seq: number, read: Read) => {
    const batch = seq <= anchoredSize ? batchOf(anchors, seq - 1) : undefined;
    const where = `Access-log entry ${seq}${batch ? ` (anchor batch ${batch})` : ""}`;
    if (!("served" in read)) {
      entryFaults.push({
        message:
          "missing" in read
            ? `${where} is missing: the gateway answers entry_not_found.`
            : `${where} could not be read: ${read.refused}.`,
      });
      previous = undefined; // the gap is the fault; the next entry's link is not blamed for it
      return;
    }
    const e = read.served;
    published++;
    const computed = accessLogEntryHash(e.prevHash, e.entry);
    if (!sameHash(computed, e.hash)) {
      entryFaults.push({
        message: `${where} was edited: its text hashes to ${computed}, not to its recorded hash ${e.hash}.`,
      });
    } else if (previous !== undefined && !sameHash(e.prevHash, previous)) {
      entryFaults.push({
        message: `${where} does not follow the entry before: prevHash ${e.prevHash}, expected ${previous}.`,
      });
    }
    previous = e.hash;
    // The leaf as the entries' texts alone determine it: the hash chain recomputed from the first entry.
    const leaf = accessLogEntryHash(chained, e.entry);
    tree.append(leaf);
    chained = leaf.slice(2);
    if ("proof" in e) {
      proofsChecked++;
      if (e.batch !== batch)
        entryFaults.push({
          message: `${where} was proved under batch ${e.batch}, not the batch ${batch} asked for.`,
        });
      const verdict = verifyServedInclusion(e, anchors);
      // A text that does not hash to its hash is reported above.
      if (!verdict.ok && verdict.reason !== "ENTRY_HASH")
        entryFaults.push({
          message: `${where} has no valid inclusion proof under batch ${e.batch}: ${verdict.message}`,
        });
    }
  };
  const drain = () => {
    for (let read = pending.get(cursor); read && !finished; read = pending.get(cursor)) {
      pending.delete(cursor);
      // Past the anchored entries, the log ends at the first entry the gateway does not serve.
      if (cursor > anchoredSize && !("served" in read)) {
        finished = read;
        return;
      }
      check(cursor, read);
      options.onProgress?.(cursor, Math.max(anchoredSize, cursor));
      cursor++;
    }
  };
  const readOne = async (seq: number): Promise<Read> => {
    const batch = seq <= provableSize ? batchOf(provableAnchors, seq - 1) : undefined;
    const url = batch
      ? `${base}/entries/${seq}/inclusion?batch=${batch}`
      : `${base}/entries/${seq}`;
    const answer = await get(url);
    if (answer.status === 200) {
      return isEntry(answer.body, seq)
        ? { seq, served: answer.body }
        : { seq, refused: `GET ${url} answered a malformed entry` };
    }
    if (answer.status === 404 && errorOf(answer).code === "entry_not_found")
      return { seq, missing: true };
    return { seq, refused: `GET ${url} answered ${describeAnswer(answer)}` };
  };
  const worker = async () => {
    while (stopped === undefined && finished === undefined) {
      const seq = next++;
      if (seq >= end) return;
      let read: Read;
      try {
        read = await readOne(seq);
      } catch (error) {
        if (!(error instanceof Unreachable)) throw error;
        stopped ??= `The gateway stopped answering at entry ${seq}: ${error.message}.`;
        return;
      }
      if (seq > anchoredSize && !("served" in read)) end = Math.min(end, seq);
      pending.set(seq, read);
      drain();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  if (stopped) entryFaults.push({ message: stopped });
  else if (finished && "refused" in finished)
    entryFaults.push({
      message: `The log could not be read past entry ${cursor - 1}: ${finished.refused}.`,
    });

  // Every anchored root from those leaves; when the gateway stopped answering, only the batches it served.
  const read = cursor - 1;
  const log = verifyLog(tree, stopped ? anchors.filter((a) => a.size <= read) : anchors);
  if (!log.ok)
    batchFaults.push({
      message: `Anchor batch ${log.batch} (entries ${log.fromSize + 1}–${log.toSize}): ${log.message}`,
    });

  const violations = [...batchFaults, ...entryFaults.slice(0, LISTED)];
  if (entryFaults.length > LISTED)
    violations.push({ message: `… and ${entryFaults.length - LISTED} more faulty entries.` });
  notes.unshift(
    `${published} entries published; ${Math.min(anchoredSize, read)} anchored in ${anchors.length} batches, ` +
      `${proofsChecked} inclusion proofs checked, each under the batch that first covered its entry; ` +
      `${provable} consistency proofs checked.`,
  );
  return {
    id: "gateway",
    title: TITLE,
    status: violations.length ? "fail" : "pass",
    notes,
    violations,
  };
}
