/**
 * Datasets' schemas and members' records: validation of contributions against the schema (every error of
 * every row, with its place), JSON and CSV batches, idempotent storage by the client's record id, the
 * member's own listing, and erasure (immediate, and logged).
 */
import type { Address } from "viem";
import { z } from "zod";
import type { Db, Queryable } from "../../store/db.ts";
import { appendEntry } from "../serving/accessLog.ts";
import { recordsChanged } from "./changes.ts";
import type { RawValue } from "../query/engine.ts";
import { parseCsv, CsvError } from "./csv.ts";
import { GatewayError } from "@datacoop/protocol/errors";
import type { GatewayKeys } from "../auth/keys.ts";
import { hasType, isDate } from "@datacoop/protocol/query";
import {
  acceptSchemaDocument,
  schemaDocumentSchema,
  type DatasetRegistration,
  type DatasetSchema,
  type FieldDef,
} from "@datacoop/protocol/datasetSchema";

export const MAX_BATCH = 1000;
const DEFAULT_MAX_STRING = 1000;

export const recordIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, "a record id is 1-128 letters, digits or . _ : -");

export const contributionSchema = z.strictObject({
  recordId: recordIdSchema,
  values: z.record(z.string().max(64), z.unknown()),
});
export type Contribution = z.infer<typeof contributionSchema>;

export const batchSchema = z.strictObject({
  records: z.array(contributionSchema).min(1).max(MAX_BATCH),
});

export interface RowError {
  /** Index of the row in the batch (0-based; for CSV, line = row + 2). */
  row: number;
  field?: string;
  message: string;
}

/**
 * Typed storage: each accepted dataset also has a table `gateway_data_<dataset id>` holding its live
 * records with one typed column per field (f0, f1… in the schema's order) and the contributor's number
 * (m), which queries read instead of the JSON in `gateway_records`. `gateway_records` stays the record of
 * what each member sent (their listing, idempotency, erasure); both are written in one transaction.
 */
const SQL_TYPE: Record<FieldDef["type"], string> = {
  number: "float8",
  integer: "float8",
  string: "text",
  boolean: "boolean",
  date: "date",
};

/** The typed table of a dataset (the id is a validated integer, the only thing spliced). */
export function dataTable(datasetId: bigint): string {
  if (datasetId < 0n) throw new Error("dataset ids are unsigned");
  return `gateway_data_${datasetId.toString()}`;
}

/** The typed value expression of every field, read from a JSON record `d` (field names as parameters). */
function typedValues(
  schema: DatasetSchema,
  firstParam: number,
): { exprs: string[]; names: string[] } {
  const names = schema.fields.map((f) => f.name);
  const exprs = schema.fields.map((f, i) =>
    f.type === "string"
      ? `(d ->> $${firstParam + i})`
      : `(d ->> $${firstParam + i})::${SQL_TYPE[f.type]}`,
  );
  return { exprs, names };
}

/** Creates the dataset's typed table if missing, filled from the live records already stored. */
export async function ensureDataTable(db: Queryable, schema: DatasetSchema): Promise<void> {
  const table = dataTable(schema.datasetId);
  if (!(await hasDataTable(db, schema.datasetId))) {
    const cols = schema.fields.map((f, i) => `f${i} ${SQL_TYPE[f.type]}`);
    await db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (m integer NOT NULL, record_id text NOT NULL, ${cols.join(", ")},
         PRIMARY KEY (m, record_id))`,
    );
    await fillDataTable(db, schema);
  }
}

async function hasDataTable(db: Queryable, datasetId: bigint): Promise<boolean> {
  const { rows } = await db.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [
    dataTable(datasetId),
  ]);
  return rows[0]?.t != null;
}

/** Rewrites the dataset's typed table from its live records (after a bulk load or a repair). */
export async function fillDataTable(db: Queryable, schema: DatasetSchema): Promise<void> {
  const table = dataTable(schema.datasetId);
  const { exprs, names } = typedValues(schema, 2);
  await db.query(`DELETE FROM ${table}`);
  await db.query(
    `INSERT INTO ${table} (m, record_id, ${schema.fields.map((_, i) => `f${i}`).join(", ")})
     SELECT c.member_no, r.record_id, ${exprs.join(", ")}
     FROM (SELECT member, record_id, data AS d FROM gateway_records
           WHERE dataset_id = $1 AND erased_at IS NULL) r
     JOIN gateway_contributors c ON c.dataset_id = $1 AND c.member = r.member`,
    [schema.datasetId.toString(), ...names],
  );
  await db.query(`ANALYZE ${table}`);
  await bumpRevision(db, schema.datasetId);
}

/** Marks the dataset's records as changed (see migration 206), in the changing transaction. */
export async function bumpRevision(db: Queryable, datasetId: bigint): Promise<bigint | null> {
  const { rows } = await db.query<{ revision: string }>(
    "UPDATE gateway_datasets SET revision = revision + 1 WHERE dataset_id = $1 RETURNING revision",
    [datasetId.toString()],
  );
  return rows[0] ? BigInt(rows[0].revision) : null;
}

/** Stores a schema document for a registered dataset once it matches the registration. */
export async function acceptDataset(
  db: Queryable,
  document: unknown,
  registration: DatasetRegistration,
): Promise<DatasetSchema> {
  const schema = acceptSchemaDocument(document, registration);
  // The document already held: nothing to write, and the in-memory columns stay as they are (anyone may
  // publish a document, so re-publishing must not be a way to make the gateway rebuild them).
  const { rows: held } = await db.query<{ schema_hash: string }>(
    "SELECT schema_hash FROM gateway_datasets WHERE dataset_id = $1",
    [registration.datasetId.toString()],
  );
  if (held[0]?.schema_hash.toLowerCase() === schema.schemaHash.toLowerCase()) return schema;
  await db.query(
    `INSERT INTO gateway_datasets (dataset_id, schema_hash, document) VALUES ($1, $2, $3)
     ON CONFLICT (dataset_id) DO UPDATE SET schema_hash = EXCLUDED.schema_hash, document = EXCLUDED.document,
       accepted_at = now()`,
    [registration.datasetId.toString(), schema.schemaHash, JSON.stringify(document)],
  );
  await ensureDataTable(db, schema);
  await bumpRevision(db, registration.datasetId);
  return schema;
}

export async function loadDataset(db: Queryable, datasetId: bigint): Promise<DatasetSchema | null> {
  const { rows } = await db.query<{ schema_hash: string; document: unknown }>(
    "SELECT schema_hash, document FROM gateway_datasets WHERE dataset_id = $1",
    [datasetId.toString()],
  );
  if (!rows[0]) return null;
  const doc = schemaDocumentSchema.parse(
    typeof rows[0].document === "string" ? JSON.parse(rows[0].document) : rows[0].document,
  );
  const schema: DatasetSchema = {
    datasetId,
    schemaHash: rows[0].schema_hash as `0x${string}`,
    fields: doc.fields,
    privacy: doc.privacy ?? null,
  };
  await ensureDataTable(db, schema);
  return schema;
}

/** Every problem with one record's values; [] when it fits the schema. */
export function validateValues(
  schema: DatasetSchema,
  values: Record<string, unknown>,
): Omit<RowError, "row">[] {
  const errors: Omit<RowError, "row">[] = [];
  const known = new Map(schema.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(values)) {
    if (!known.has(name))
      errors.push({ field: name.slice(0, 64), message: "not a field of this dataset" });
  }
  for (const f of schema.fields) {
    const v = values[f.name];
    if (v === undefined || v === null) {
      if (f.required !== false) errors.push({ field: f.name, message: "required" });
      continue;
    }
    const problem = checkValue(f, v);
    if (problem) errors.push({ field: f.name, message: problem });
  }
  return errors;
}

function checkValue(f: FieldDef, v: unknown): string | null {
  if (!hasType(f, v))
    return `expected ${f.type === "date" ? "a date (YYYY-MM-DD)" : `a ${f.type}`}`;
  if (typeof v === "number") {
    if (f.min !== undefined && v < f.min) return `below the minimum ${f.min}`;
    if (f.max !== undefined && v > f.max) return `above the maximum ${f.max}`;
  }
  if (typeof v === "string") {
    if (v.length > (f.maxLength ?? DEFAULT_MAX_STRING)) return "too long";
    if (v.includes("\0")) return "contains a NUL character";
    if (f.enum && !f.enum.includes(v)) return `not one of ${f.enum.join(", ")}`;
  }
  return null;
}

/** Checks a batch: every row's errors, and record ids used twice. Throws 422 with them all. */
export function validateBatch(schema: DatasetSchema, records: readonly Contribution[]): void {
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const [row, r] of records.entries()) {
    if (seen.has(r.recordId))
      errors.push({ row, field: "recordId", message: "used twice in this batch" });
    seen.add(r.recordId);
    for (const e of validateValues(schema, r.values)) errors.push({ row, ...e });
  }
  if (errors.length > 0) {
    throw new GatewayError(
      422,
      "records_invalid",
      `${new Set(errors.map((e) => e.row)).size} of ${records.length} records do not fit the schema.`,
      errors.slice(0, 1000),
    );
  }
}

/** Whether any object in `value` (walked without recursion) has an own "__proto__" key. */
export function hasProtoKey(value: unknown): boolean {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null) continue;
    if (Object.hasOwn(v, "__proto__")) return true;
    for (const child of Object.values(v)) stack.push(child);
  }
  return false;
}

/** Parses a JSON batch body ({ records: [...] }); 400 when it is not one. */
export function parseJsonBatch(input: unknown): Contribution[] {
  // Parsing drops a "__proto__" key silently; refuse it instead of storing less than was sent.
  if (hasProtoKey(input)) throw new GatewayError(400, "batch_invalid", 'A key is "__proto__".');
  const parsed = batchSchema.safeParse(input);
  if (!parsed.success) throw new GatewayError(400, "batch_invalid", z.prettifyError(parsed.error));
  return parsed.data.records;
}

/**
 * Parses a CSV batch: a header naming `record_id` and fields, one record per line. Cells are converted by
 * the field's type; an empty cell is a missing value. Conversion problems are row errors (422).
 */
export function parseCsvBatch(schema: DatasetSchema, text: string): Contribution[] {
  let csv;
  try {
    csv = parseCsv(text, MAX_BATCH);
  } catch (error) {
    if (error instanceof CsvError) throw new GatewayError(400, "csv_invalid", error.message);
    throw error;
  }
  const idColumn = csv.header.indexOf("record_id");
  if (idColumn < 0)
    throw new GatewayError(400, "csv_invalid", 'The header has no "record_id" column.');
  if (new Set(csv.header).size !== csv.header.length) {
    throw new GatewayError(400, "csv_invalid", "The header names a column twice.");
  }
  if (csv.rows.length === 0) throw new GatewayError(400, "csv_invalid", "No records.");
  const known = new Map(schema.fields.map((f) => [f.name, f]));
  const errors: RowError[] = [];
  const records: Contribution[] = csv.rows.map((cells, row) => {
    const entries: [string, unknown][] = [];
    let recordId = "";
    csv.header.forEach((name, col) => {
      const cell = cells[col];
      if (col === idColumn) {
        recordId = cell;
        if (!recordIdSchema.safeParse(cell).success) {
          errors.push({ row, field: "record_id", message: "not a valid record id" });
        }
        return;
      }
      const f = known.get(name);
      if (!f) {
        entries.push([name, cell]); // reported by validation as an unknown field
        return;
      }
      if (cell === "") return;
      const v = fromCell(f, cell);
      if (v === undefined) errors.push({ row, field: name, message: `expected a ${f.type}` });
      else entries.push([name, v]);
    });
    // fromEntries defines own properties, so even a "__proto__" column stays visible to validation.
    return { recordId, values: Object.fromEntries(entries) };
  });
  if (errors.length > 0) {
    throw new GatewayError(
      422,
      "records_invalid",
      "Some cells do not fit the schema.",
      errors.slice(0, 1000),
    );
  }
  return records;
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function fromCell(f: FieldDef, cell: string): unknown {
  switch (f.type) {
    case "number":
    case "integer":
      return NUMBER.test(cell) ? Number(cell) : undefined;
    case "boolean":
      return cell === "true" ? true : cell === "false" ? false : undefined;
    case "date":
      return isDate(cell) ? cell : undefined;
    case "string":
      return cell;
  }
}

export interface StoreResult {
  /** Records new or changed by this batch; the rest were already stored as they are. */
  stored: number;
  unchanged: number;
}

/** Validates and stores a member's batch, all or nothing. Re-sending a record id replaces that record. */
export async function storeRecords(
  db: Db,
  schema: DatasetSchema,
  member: Address,
  records: readonly Contribution[],
  /** Runs first in the storing transaction (e.g. using up a signed batch's nonce). */
  before?: (tx: Queryable) => Promise<void>,
): Promise<StoreResult> {
  if (records.length === 0) throw new GatewayError(400, "batch_invalid", "No records.");
  if (records.length > MAX_BATCH) {
    throw new GatewayError(413, "batch_too_large", `At most ${MAX_BATCH} records per batch.`);
  }
  validateBatch(schema, records);
  const outcome = await db.transaction(async (tx) => {
    await before?.(tx);
    const { rows } = await tx.query<{ n: string }>(
      `WITH input AS (
       SELECT id, d FROM unnest($3::text[], $4::jsonb[]) AS t(id, d)
     ), upserted AS (
       INSERT INTO gateway_records (dataset_id, member, record_id, data)
       SELECT $1, $2, id, d FROM input
       ON CONFLICT (dataset_id, member, record_id) DO UPDATE
         SET data = EXCLUDED.data, erased_at = NULL, contributed_at = now()
         WHERE gateway_records.data IS DISTINCT FROM EXCLUDED.data
       RETURNING 1
     )
     SELECT count(*) AS n FROM upserted`,
      [
        schema.datasetId.toString(),
        member.toLowerCase(),
        records.map((r) => r.recordId),
        records.map((r) => JSON.stringify(r.values)),
      ],
    );
    const stored = Number(rows[0].n);
    const memberNo = await countLive(tx, schema.datasetId, member);
    const { exprs, names } = typedValues(schema, 4);
    const cols = schema.fields.map((_, i) => `f${i}`);
    await tx.query(
      `INSERT INTO ${dataTable(schema.datasetId)} (m, record_id, ${cols.join(", ")})
       SELECT $1, id, ${exprs.join(", ")} FROM unnest($2::text[], $3::jsonb[]) AS t(id, d)
       ON CONFLICT (m, record_id) DO UPDATE SET ${cols.map((c) => `${c} = EXCLUDED.${c}`).join(", ")}`,
      [
        memberNo,
        records.map((r) => r.recordId),
        records.map((r) => JSON.stringify(r.values)),
        ...names,
      ],
    );
    const revision = await bumpRevision(tx, schema.datasetId);
    return { result: { stored, unchanged: records.length - stored }, revision, memberNo };
  });
  if (outcome.revision !== null) {
    recordsChanged(db, {
      datasetId: schema.datasetId,
      revision: outcome.revision,
      member: member.toLowerCase(),
      memberNo: outcome.memberNo,
      stored: records.map((r) => ({
        recordId: r.recordId,
        values: schema.fields.map((f) => typedValue(f, r.values[f.name])),
      })),
      erased: [],
    });
  }
  return outcome.result;
}

/** A contributed value as the typed table holds it (see `typedValues`). */
function typedValue(field: FieldDef, value: unknown): RawValue {
  if (value === undefined || value === null) return null;
  switch (field.type) {
    case "string":
      return typeof value === "string" ? value : JSON.stringify(value);
    case "boolean":
      return value === true || value === "true";
    case "date":
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
      return String(value);
    default:
      return Number(value);
  }
}

/**
 * Keeps the member's live record count in `gateway_contributors` (in the writing transaction); returns
 * the member's number in the dataset.
 */
async function countLive(tx: Queryable, datasetId: bigint, member: Address): Promise<number> {
  const { rows } = await tx.query<{ member_no: number }>(
    `INSERT INTO gateway_contributors (dataset_id, member, live)
     SELECT $1, $2, count(*) FROM gateway_records WHERE dataset_id = $1 AND member = $2 AND erased_at IS NULL
     ON CONFLICT (dataset_id, member) DO UPDATE SET live = EXCLUDED.live
     RETURNING member_no`,
    [datasetId.toString(), member.toLowerCase()],
  );
  return Number(rows[0].member_no);
}

export interface OwnRecord {
  recordId: string;
  values: Record<string, unknown>;
  contributedAt: string;
}

/** The member's own live records in a dataset. */
export async function recordsOf(
  db: Queryable,
  datasetId: bigint,
  member: Address,
  options: { limit?: number; afterRecordId?: string } = {},
): Promise<OwnRecord[]> {
  const { rows } = await db.query<{
    record_id: string;
    data: unknown;
    contributed_at: Date | string;
  }>(
    `SELECT record_id, data, contributed_at FROM gateway_records
     WHERE dataset_id = $1 AND member = $2 AND erased_at IS NULL AND record_id > $3
     ORDER BY record_id LIMIT $4`,
    [
      datasetId.toString(),
      member.toLowerCase(),
      options.afterRecordId ?? "",
      Math.min(options.limit ?? 100, 1000),
    ],
  );
  return rows.map((r) => ({
    recordId: r.record_id,
    values: (typeof r.data === "string" ? JSON.parse(r.data) : r.data) as Record<string, unknown>,
    contributedAt: new Date(r.contributed_at).toISOString(),
  }));
}

/**
 * Erases the member's records in a dataset (those named, or all): the values are gone when this returns,
 * and the erasure is in the access log, in the same transaction.
 */
export async function eraseRecords(
  db: Db,
  keys: GatewayKeys,
  datasetId: bigint,
  member: Address,
  recordIds?: readonly string[],
): Promise<number> {
  const outcome = await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ n: string }>(
      `WITH erased AS (
         UPDATE gateway_records SET data = NULL, erased_at = now()
         WHERE dataset_id = $1 AND member = $2 AND erased_at IS NULL
           AND ($3::text[] IS NULL OR record_id = ANY($3::text[]))
         RETURNING 1
       ) SELECT count(*) AS n FROM erased`,
      [datasetId.toString(), member.toLowerCase(), recordIds ? [...recordIds] : null],
    );
    const n = Number(rows[0].n);
    if (recordIds && n === 0) {
      throw new GatewayError(404, "records_unknown", "None of these records is yours and live.");
    }
    // Nothing erased: nothing to write, and nothing to log.
    if (n === 0) return { n, revision: null, memberNo: -1 };
    const memberNo = await countLive(tx, datasetId, member);
    // Without a typed table (no schema accepted yet) there is nothing typed to erase.
    if (await hasDataTable(tx, datasetId))
      await tx.query(
        `DELETE FROM ${dataTable(datasetId)}
       WHERE m = $1 AND ($2::text[] IS NULL OR record_id = ANY($2::text[]))`,
        [memberNo, recordIds ? [...recordIds] : null],
      );
    const revision = await bumpRevision(tx, datasetId);
    await appendEntry(
      tx,
      keys,
      { kind: "erasure", datasetId: datasetId.toString(), records: n },
      [member],
      new Date(),
      { erased: n },
    );
    return { n, revision, memberNo };
  });
  if (outcome.revision !== null) {
    recordsChanged(db, {
      datasetId,
      revision: outcome.revision,
      member: member.toLowerCase(),
      memberNo: outcome.memberNo,
      stored: [],
      erased: recordIds ? [...recordIds] : "all",
    });
  }
  return outcome.n;
}
