/**
 * The co-op's data gateway (server/src/gateway): members sign in with Ethereum and contribute records or
 * list who used their data; partners sign queries (EIP-712, domain "DataCoop Gateway") and read answers.
 * The pure parts (query building, typed data, tables and CSV) are unit-tested.
 */
import type { Address, Hex } from "viem";
import { createSiweMessage } from "viem/siwe";
import type { components } from "@datacoop/protocol/api.generated";
import type { queryTypedData } from "@datacoop/protocol/typedData";

/** The gateway lives next to the read API: …/api → …/gateway. */
export function gatewayUrl(indexerUrl: string): string {
  const base = indexerUrl.replace(/\/+$/, "");
  return /\/api$/.test(base) ? `${base.slice(0, -4)}/gateway` : `${base}/gateway`;
}

export type RowError = { row: number; field?: string; message: string };

/** The co-op's services the dApp calls with the same JSON error shape: their codes overlap, their meanings differ. */
export type Service = "gateway" | "relayer";

export class GatewayError extends Error {
  override name = "GatewayError";
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Which service answered (the same code means different things in each: `rate_limited`, `not_member`). */
  readonly service: Service;
  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    service: Service = "gateway",
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.service = service;
  }
  /** Per-row problems of a contribution (422 records_invalid). */
  get rowErrors(): RowError[] {
    return Array.isArray(this.details) ? (this.details as RowError[]) : [];
  }
}

export async function gatewayFetch<T>(
  base: string,
  path: string,
  init: {
    method?: string;
    body?: string;
    contentType?: string;
    token?: string;
    /** The service at `base`, carried by the error it answers with; the gateway unless said. */
    service?: Service;
  } = {},
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: {
      ...(init.body !== undefined
        ? { "content-type": init.contentType ?? "application/json" }
        : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body,
  });
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } })?.error;
    throw new GatewayError(
      res.status,
      e?.code ?? "http_error",
      e?.message ?? `HTTP ${res.status}`,
      e?.details,
      init.service ?? "gateway",
    );
  }
  return body as T;
}

/** The Sign-In with Ethereum message a member signs for the gateway. */
export function siweMessage(input: {
  address: Address;
  chainId: number;
  nonce: string;
  origin: string;
  statement: string;
  now?: Date;
}): string {
  const url = new URL(input.origin);
  return createSiweMessage({
    domain: url.host,
    address: input.address,
    statement: input.statement,
    uri: url.origin,
    version: "1",
    chainId: input.chainId,
    nonce: input.nonce,
    issuedAt: input.now ?? new Date(),
  });
}

/** The body POSTed to /query. */
export function signedQueryBody(
  signer: Address,
  typed: ReturnType<typeof queryTypedData>,
  query: unknown,
  signature: Hex,
) {
  const m = typed.message;
  return {
    signer,
    grantId: m.grantId.toString(),
    datasetId: m.datasetId.toString(),
    query,
    nonce: m.nonce.toString(),
    deadline: m.deadline.toString(),
    signature,
  };
}

/** A query's answer, as the gateway's OpenAPI document describes it. */
export type Answer = components["schemas"]["Answer"];

/** An answer as a table: column names and rows of cells. */
export function answerTable(answer: Answer): { columns: string[]; rows: unknown[][] } {
  if (answer.shape === "rows") {
    const columns = [...new Set(answer.rows.flatMap((r) => Object.keys(r)))];
    return { columns, rows: answer.rows.map((r) => columns.map((c) => r[c])) };
  }
  const keys = [...new Set(answer.groups.flatMap((g) => Object.keys(g.key)))];
  const values = [...new Set(answer.groups.flatMap((g) => Object.keys(g.values)))];
  return {
    columns: [...keys, ...values],
    rows: answer.groups.map((g) => [
      ...keys.map((k) => g.key[k]),
      ...values.map((v) => g.values[v]),
    ]),
  };
}

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
          String(value);
  // Quote when needed (RFC 4180); a leading = + - @ is neutralised so a spreadsheet never runs it.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === "string" ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(table: { columns: string[]; rows: unknown[][] }): string {
  return [table.columns, ...table.rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export type QueryForm = {
  shape: "rows" | "aggregate";
  select: string[];
  groupBy: string;
  measure: "count" | "sum" | "mean" | "min" | "max";
  measureField: string;
  filterField: string;
  filterOp: "eq" | "ne" | "lt" | "lte" | "gt" | "gte";
  filterValue: string;
  limit: string;
};

/** A filter value as JSON: numbers and true/false as such, anything else as text. */
export function filterValue(text: string): string | number | boolean {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

/** The query the form describes, in the gateway's JSON language; an error key when incomplete. */
export function buildQuery(
  form: QueryForm,
): { ok: true; query: Record<string, unknown> } | { ok: false; error: string } {
  const where =
    form.filterField && form.filterValue.trim() !== ""
      ? [{ field: form.filterField, op: form.filterOp, value: filterValue(form.filterValue) }]
      : undefined;
  if (form.shape === "rows") {
    if (form.select.length === 0) return { ok: false, error: "query.error.select" };
    const limit = form.limit.trim() === "" ? undefined : Number(form.limit);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000))
      return { ok: false, error: "query.error.limit" };
    return {
      ok: true,
      query: {
        type: "rows",
        select: form.select,
        ...(where ? { where } : {}),
        ...(limit !== undefined ? { limit } : {}),
      },
    };
  }
  if (form.measure !== "count" && !form.measureField)
    return { ok: false, error: "query.error.measureField" };
  const measure =
    form.measure === "count" ? { fn: "count" } : { fn: form.measure, field: form.measureField };
  return {
    ok: true,
    query: {
      type: "aggregate",
      ...(form.groupBy ? { groupBy: [form.groupBy] } : {}),
      measures: [measure],
      ...(where ? { where } : {}),
    },
  };
}
