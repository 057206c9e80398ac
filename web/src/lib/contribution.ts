/**
 * Members' records, from the form or a spreadsheet's CSV, checked against the dataset's schema before they
 * are sent: every problem of every row at once (a short row does not hide the others; values out of range
 * or outside the allowed list are reported with the type errors), numbers written the reader's way
 * (3,5 or 3.5), yes/no in the reader's language, semicolon-separated files as spreadsheets write them where
 * the decimal mark is a comma. What is sent carries each value with its type (numbers as numbers, yes/no as
 * booleans, dates as YYYY-MM-DD). The gateway checks everything again; its row errors are read back into
 * the same plain problems (`fromGatewayRowError`). Pure, so it is unit-tested.
 */
import { enumLabel, fieldHeading, inLanguage, isRequired, type SchemaField } from "./schemaDoc.ts";

export const MAX_RECORDS = 1000;
const DEFAULT_MAX_STRING = 1000;
const RECORD_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** One problem: where (the file's line, the field) and what, as a dictionary key with its values. */
export type Problem = {
  /** The file's line number (1 is the header); undefined for the form. */
  line?: number;
  field?: string;
  code:
    | "required"
    | "number"
    | "integer"
    | "boolean"
    | "date"
    | "min"
    | "max"
    | "enum"
    | "tooLong"
    | "unknownColumn"
    | "cells"
    | "recordId"
    | "duplicateId"
    | "noIdColumn"
    | "duplicateColumn"
    | "quote"
    | "empty"
    | "tooMany"
    | "other";
  vars?: Record<string, string | number>;
};

export type Contribution = { recordId: string; values: Record<string, unknown> };

/** How `lang` writes numbers: its decimal mark and its digit grouping mark. */
export function numberMarks(lang: string): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(lang).formatToParts(12345.6);
  return {
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    group: parts.find((p) => p.type === "group")?.value ?? ",",
  };
}

/** The CSV separator a spreadsheet uses in `lang`: ";" where the decimal mark is a comma. */
export function csvSeparator(lang: string): "," | ";" {
  return numberMarks(lang).decimal === "," ? ";" : ",";
}

/**
 * A number as a person writes it: "3.5" or "3,5" (one mark is the decimal mark, whatever the language),
 * "1,234.5", "1.234,5", "1 234,5" or "12,34,567" (with both kinds of mark, or a repeated one, the last kind
 * is the decimal mark and the other groups digits), a leading minus. Null when it is not a number.
 */
export function parseNumber(input: string): number | null {
  const text = input
    .trim()
    .replace(/[\s\u00a0\u202f']/g, "")
    .replace(/^\u2212/, "-");
  if (!/^[-+]?[\d.,]+$/.test(text) || !/\d/.test(text)) return null;
  const sign = text.startsWith("-") ? -1 : 1;
  const body = text.replace(/^[-+]/, "");
  const commas = (body.match(/,/g) ?? []).length;
  const dots = (body.match(/\./g) ?? []).length;
  let integer: string;
  let fraction = "";
  const split = (mark: string) => {
    const at = body.lastIndexOf(mark);
    return [body.slice(0, at), body.slice(at + 1)] as const;
  };
  if (commas > 0 && dots > 0) {
    const decimal = body.lastIndexOf(",") > body.lastIndexOf(".") ? "," : ".";
    const group = decimal === "," ? "." : ",";
    if ((decimal === "," ? commas : dots) > 1) return null;
    [integer, fraction] = split(decimal);
    if (!validGroups(integer, group)) return null;
    integer = integer.split(group).join("");
  } else if (commas + dots === 1) {
    [integer, fraction] = split(commas ? "," : ".");
  } else if (commas + dots > 1) {
    // One mark repeated only groups digits: "1,234,567", "1.234.567".
    const group = commas ? "," : ".";
    if (!validGroups(body, group)) return null;
    integer = body.split(group).join("");
  } else integer = body;
  if (!/^\d*$/.test(integer) || !/^\d*$/.test(fraction) || integer + fraction === "") return null;
  const n = sign * Number(`${integer || "0"}.${fraction || "0"}`);
  return Number.isFinite(n) ? n : null;
}

/** Digit groups of 3 ("1,234,567"), or the Indian way ("12,34,567"): all but the first of 2 or 3. */
function validGroups(text: string, group: string): boolean {
  if (!text.includes(group)) return /^\d+$/.test(text);
  const parts = text.split(group);
  const [first, ...rest] = parts;
  if (!/^\d{1,3}$/.test(first)) return false;
  const last = rest.pop()!;
  return /^\d{3}$/.test(last) && rest.every((p) => /^\d{2,3}$/.test(p));
}

/** The words for yes and no in the dApp's languages, for spreadsheets filled in by hand. */
const YES = ["true", "yes", "y", "1", "sí", "si", "oui", "o", "ndiyo", "ndio", "हाँ", "हां", "हा"];
const NO = ["false", "no", "n", "0", "non", "hapana", "नहीं", "ना"];

export function parseBoolean(input: string): boolean | null {
  const t = input.trim().toLowerCase();
  if (YES.includes(t)) return true;
  if (NO.includes(t)) return false;
  return null;
}

/** Whether `lang` writes dates day first (7/12/2026) rather than month first (12/7/2026). */
export function dayFirst(lang: string): boolean {
  const parts = new Intl.DateTimeFormat(lang, { timeZone: "UTC" }).formatToParts(
    Date.UTC(2026, 11, 7),
  );
  const order = parts.filter((p) => p.type === "day" || p.type === "month").map((p) => p.type);
  return order[0] === "day";
}

/** A date as YYYY-MM-DD, from YYYY-MM-DD or a numeric date in the language's order (7/12/2026, 7.12.2026). */
export function parseDate(input: string, lang: string): string | null {
  const t = input.trim();
  let y: number, m: number, d: number;
  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t))) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    [d, m] = dayFirst(lang) ? [a, b] : [b, a];
    y = Number(match[3]);
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return null;
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** An example of a number written the reader's way, for hints: "2.5" or "2,5". */
export function numberExample(lang: string): string {
  return `2${numberMarks(lang).decimal}5`;
}

/** An example of a date the way a CSV may carry it in the reader's language. */
export function dateExample(lang: string): string {
  return dayFirst(lang) ? "31/12/2026" : "12/31/2026";
}

type Checked = { value?: unknown; problem?: Problem };

/**
 * One field's value from what was typed or written in a cell: typed, then checked against the field's
 * bounds, allowed values and length, so a value is reported for every problem it has at once.
 */
export function checkValue(field: SchemaField, raw: string, lang: string): Checked {
  const text = raw.trim();
  const at = { field: field.name };
  if (text === "")
    return isRequired(field) ? { problem: { ...at, code: "required" } } : { value: undefined };
  switch (field.type) {
    case "number":
    case "integer": {
      const n = parseNumber(text);
      if (n === null)
        return {
          problem: { ...at, code: "number", vars: { value: text, example: numberExample(lang) } },
        };
      if (field.type === "integer" && !Number.isInteger(n))
        return { problem: { ...at, code: "integer", vars: { value: text } } };
      if (field.min !== undefined && n < field.min)
        return { problem: { ...at, code: "min", vars: { value: text, min: field.min } } };
      if (field.max !== undefined && n > field.max)
        return { problem: { ...at, code: "max", vars: { value: text, max: field.max } } };
      return { value: n };
    }
    case "boolean": {
      const b = parseBoolean(text);
      return b === null
        ? { problem: { ...at, code: "boolean", vars: { value: text } } }
        : { value: b };
    }
    case "date": {
      const d = parseDate(text, lang);
      return d === null
        ? { problem: { ...at, code: "date", vars: { value: text, example: dateExample(lang) } } }
        : { value: d };
    }
    case "string": {
      if (field.enum) {
        const lower = text.toLowerCase();
        const value = field.enum.find(
          (v) => v.toLowerCase() === lower || enumLabel(field, v, lang).toLowerCase() === lower,
        );
        return value === undefined
          ? {
              problem: {
                ...at,
                code: "enum",
                vars: {
                  value: text,
                  allowed: field.enum.map((v) => enumLabel(field, v, lang)).join(", "),
                },
              },
            }
          : { value };
      }
      const max = field.maxLength ?? DEFAULT_MAX_STRING;
      if (text.length > max || text.includes("\0"))
        return { problem: { ...at, code: "tooLong", vars: { max } } };
      return { value: text };
    }
  }
}

/** The form's inputs (text, as typed) as one record's typed values, with every problem at once. */
export function checkForm(
  fields: readonly SchemaField[],
  inputs: Record<string, string>,
  lang: string,
): { values: Record<string, unknown>; problems: Problem[] } {
  const values: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const f of fields) {
    const checked = checkValue(f, inputs[f.name] ?? "", lang);
    if (checked.problem) problems.push(checked.problem);
    else if (checked.value !== undefined) values[f.name] = checked.value;
  }
  return { values, problems };
}

/**
 * A CSV's lines as cells, with each line's number. Separator: the one the header uses most (",", ";" or
 * tab, outside quotes), else the language's. Lines may have any number of cells (reported later, line by
 * line); a quote left open is the one problem that stops the reading.
 */
export function readCsv(
  text: string,
  lang: string,
): { separator: string; lines: { line: number; cells: string[] }[] } | { problem: Problem } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const separator = guessSeparator(body, lang);
  const lines: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let start = 1;
  const endLine = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0].trim() === "")) lines.push({ line: start, cells });
    cells = [];
    cell = "";
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (c === separator) {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      endLine();
      line++;
      start = line;
    } else cell += c;
  }
  if (quoted) return { problem: { line: start, code: "quote", vars: { line: start } } };
  if (cell !== "" || cells.length > 0) endLine();
  return { separator, lines };
}

function guessSeparator(text: string, lang: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? "";
  const outside = header.replace(/"[^"]*"/g, "");
  const counts = [",", ";", "\t"].map((s) => [s, outside.split(s).length - 1] as const);
  const best = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : csvSeparator(lang);
}

/**
 * A whole CSV file as records, with every problem of every line: a header naming `record_id` and fields
 * (by name, or by their label in the reader's language), then one record per line.
 */
export function checkCsv(
  fields: readonly SchemaField[],
  text: string,
  lang: string,
): { records: Contribution[]; lines: number[]; problems: Problem[] } {
  const read = readCsv(text, lang);
  if ("problem" in read) return { records: [], lines: [], problems: [read.problem] };
  const [header, ...rows] = read.lines;
  if (!header) return { records: [], lines: [], problems: [{ code: "empty" }] };
  const problems: Problem[] = [];
  const byName = new Map<string, SchemaField>();
  for (const f of fields) {
    byName.set(f.name.toLowerCase(), f);
    const label = inLanguage(f.labels, lang);
    if (label) byName.set(label.toLowerCase(), f);
    byName.set(fieldHeading(f, lang).toLowerCase(), f);
  }
  const columns = header.cells.map((c) => c.trim());
  const idColumn = columns.findIndex((c) => c.toLowerCase() === "record_id");
  if (idColumn < 0) problems.push({ line: 1, code: "noIdColumn" });
  const columnField = columns.map((c, i) => (i === idColumn ? null : byName.get(c.toLowerCase())));
  const seenFields = new Set<string>();
  columns.forEach((c, i) => {
    if (i === idColumn) return;
    const f = columnField[i];
    if (!f) problems.push({ line: 1, code: "unknownColumn", vars: { column: c } });
    else if (seenFields.has(f.name))
      problems.push({ line: 1, field: f.name, code: "duplicateColumn", vars: { column: c } });
    else seenFields.add(f.name);
  });
  if (rows.length === 0) problems.push({ code: "empty" });
  if (rows.length > MAX_RECORDS) problems.push({ code: "tooMany", vars: { max: MAX_RECORDS } });
  const records: Contribution[] = [];
  const lines: number[] = [];
  const ids = new Map<string, number>();
  for (const { line, cells } of rows.slice(0, MAX_RECORDS)) {
    if (cells.length !== columns.length)
      problems.push({
        line,
        code: "cells",
        vars: { count: cells.length, expected: columns.length },
      });
    const values: Record<string, unknown> = {};
    let recordId = "";
    if (idColumn >= 0) {
      recordId = (cells[idColumn] ?? "").trim();
      if (!RECORD_ID.test(recordId))
        problems.push({ line, field: "record_id", code: "recordId", vars: { value: recordId } });
      else if (ids.has(recordId))
        problems.push({
          line,
          field: "record_id",
          code: "duplicateId",
          vars: { value: recordId, other: ids.get(recordId)! },
        });
      else ids.set(recordId, line);
    }
    // Every field of the schema, so a missing column or a short line shows as the values it lacks.
    for (const f of fields) {
      const col = columnField.findIndex((x) => x?.name === f.name);
      const checked = checkValue(f, col >= 0 ? (cells[col] ?? "") : "", lang);
      if (checked.problem) problems.push({ line, ...checked.problem });
      else if (checked.value !== undefined) values[f.name] = checked.value;
    }
    records.push({ recordId, values });
    lines.push(line);
  }
  return { records, lines, problems };
}

/** A CSV template for the dataset: the header the reader's spreadsheet reads, with its separator. */
export function csvTemplate(fields: readonly SchemaField[], lang: string): string {
  const sep = csvSeparator(lang);
  const cell = (s: string) => (/[",;\t\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${["record_id", ...fields.map((f) => f.name)].map(cell).join(sep)}\r\n`;
}

/**
 * The gateway's row error (English, from server/src/gateway/records/records.ts) as the same plain problem
 * the dApp reports, so both read alike in every language. `sent`: the records sent (row i of the batch),
 * so the problem can quote the value; `lines`: the CSV line of each, when they came from a file.
 */
export function fromGatewayRowError(
  error: { row: number; field?: string; message: string },
  context: { lang: string; sent?: readonly Contribution[]; lines?: readonly number[] },
): Problem {
  const { lang, sent, lines } = context;
  const field = error.field === "recordId" ? "record_id" : error.field;
  const at = {
    ...(lines ? { line: lines[error.row] ?? error.row + 2 } : {}),
    ...(field ? { field } : {}),
  };
  const record = sent?.[error.row];
  const raw = field === "record_id" ? record?.recordId : field ? record?.values[field] : undefined;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a JSON scalar here (objects are handled before); String() is the rendering
  const value = raw === undefined || raw === null ? "" : String(raw);
  const m = error.message;
  let match: RegExpExecArray | null;
  if (m === "required") return { ...at, code: "required" };
  if (/^expected a (number|integer)/.test(m))
    return { ...at, code: "number", vars: { value, example: numberExample(lang) } };
  if (/^expected a boolean/.test(m)) return { ...at, code: "boolean", vars: { value } };
  if (/^expected a date/.test(m))
    return { ...at, code: "date", vars: { value, example: dateExample(lang) } };
  if ((match = /^below the minimum (.+)$/.exec(m)))
    return { ...at, code: "min", vars: { value, min: match[1] } };
  if ((match = /^above the maximum (.+)$/.exec(m)))
    return { ...at, code: "max", vars: { value, max: match[1] } };
  if ((match = /^not one of (.+)$/.exec(m)))
    return { ...at, code: "enum", vars: { value, allowed: match[1] } };
  if (m === "too long") return { ...at, code: "tooLong", vars: { max: DEFAULT_MAX_STRING } };
  if (m === "not a field of this dataset")
    return { ...at, code: "unknownColumn", vars: { column: error.field ?? "" } };
  if (m === "used twice in this batch") {
    const first = sent?.findIndex((r) => r.recordId === record?.recordId) ?? -1;
    const other = first >= 0 ? (lines ? (lines[first] ?? first + 2) : first + 1) : "?";
    return { ...at, code: "duplicateId", vars: { value, other } };
  }
  return { ...at, code: "other", vars: { message: m } };
}
