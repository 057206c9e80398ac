/**
 * The exact mode's tabulations documents the gateway holds, by hash. A grant in the exact mode names its
 * document by keccak256 of its canonical JSON (the grant's `exactTabulations` term, voted with the grant);
 * anyone may publish the document (it is part of what the members voted), and the gateway stores it once
 * it hashes to the term of the grant it is published for and fits the dataset's schema. A document never
 * changes once stored (its hash names it), so publishing it again changes nothing.
 */
import type { Hex } from "viem";
import type { Queryable } from "../../store/db.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import type { DatasetSchema } from "@datacoop/protocol/datasetSchema";
import {
  checkTabulations,
  tabulationsDocumentSchema,
  tabulationsHash,
  type TabulationsDocument,
} from "@datacoop/protocol/tabulations";
import { z } from "zod";
import { isExactGrant, type GrantFacts } from "../query/policy.ts";

const MAX_KEPT = 4096;

export class TabulationsStore {
  private known = new Map<string, TabulationsDocument>();

  /** The document whose hash is `hash`, or null when the gateway holds none (read in the caller's transaction). */
  async get(q: Queryable, hash: Hex): Promise<TabulationsDocument | null> {
    const key = hash.toLowerCase();
    const kept = this.known.get(key);
    if (kept) return kept;
    const { rows } = await q.query<{ document: unknown }>(
      "SELECT document FROM gateway_tabulations WHERE tabulations_hash = $1",
      [key],
    );
    if (!rows[0]) return null;
    const raw = rows[0].document;
    const document = tabulationsDocumentSchema.parse(
      typeof raw === "string" ? JSON.parse(raw) : raw,
    );
    if (this.known.size >= MAX_KEPT) this.known.clear();
    this.known.set(key, document);
    return document;
  }
}

/**
 * Accepts the tabulations document of an exact-mode grant: it must parse, hash to the grant's term and fit
 * the dataset's schema. Returns its hash. 400 `tabulations_invalid`, 409 `tabulations_mismatch`, 404/409
 * when the grant is unknown or not in the exact mode.
 */
export async function acceptTabulations(
  q: Queryable,
  grant: GrantFacts | null,
  schema: DatasetSchema | null,
  input: unknown,
): Promise<Hex> {
  if (!grant) throw new GatewayError(404, "grant_unknown", "No such grant.");
  if (!isExactGrant(grant)) {
    throw new GatewayError(
      409,
      "grant_not_exact",
      `Grant ${grant.id} is answered with differential privacy; it declares no tabulations.`,
    );
  }
  const parsed = tabulationsDocumentSchema.safeParse(input);
  if (!parsed.success) {
    throw new GatewayError(400, "tabulations_invalid", z.prettifyError(parsed.error));
  }
  const hash = tabulationsHash(parsed.data);
  if (BigInt(hash) !== BigInt(grant.scope.exactTabulations!)) {
    throw new GatewayError(
      409,
      "tabulations_mismatch",
      `This document hashes to ${hash}; grant ${grant.id}'s terms name ${grant.scope.exactTabulations}.`,
    );
  }
  if (!schema) {
    throw new GatewayError(
      404,
      "dataset_unknown",
      `The gateway has no schema for dataset ${grant.datasetId}.`,
    );
  }
  const problems = checkTabulations(parsed.data, schema);
  if (problems.length > 0) {
    throw new GatewayError(400, "tabulations_invalid", problems.join("; "), { problems });
  }
  await q.query(
    `INSERT INTO gateway_tabulations (tabulations_hash, document) VALUES ($1, $2)
     ON CONFLICT (tabulations_hash) DO NOTHING`,
    [hash.toLowerCase(), JSON.stringify(parsed.data)],
  );
  return hash;
}
