/**
 * A strict RFC 4180 CSV reader: comma-separated, fields optionally double-quoted ("" escapes a quote),
 * CRLF or LF line ends. Returns the header and the rows as strings; a malformed file is an error with its
 * line number, never a guess.
 */
export interface Csv {
  header: string[];
  rows: string[][];
}

export class CsvError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`CSV line ${line}: ${message}`);
    this.line = line;
  }
}

export function parseCsv(text: string, maxRows = 10_000): Csv {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let line = 1;
  let quoted = false;
  let afterQuote = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  const endRecord = () => {
    record.push(field);
    field = "";
    // Blank lines are skipped.
    if (!(record.length === 1 && record[0] === "")) records.push(record);
    if (records.length > maxRows + 1) throw new CsvError(line, `more than ${maxRows} rows`);
    record = [];
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
          afterQuote = true;
        }
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === ",") {
      record.push(field);
      field = "";
      afterQuote = false;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endRecord();
      afterQuote = false;
      line++;
    } else if (afterQuote) {
      throw new CsvError(line, "text after a closing quote");
    } else if (c === '"') {
      if (field !== "") throw new CsvError(line, "a quote inside an unquoted field");
      quoted = true;
    } else {
      field += c;
    }
  }
  if (quoted) throw new CsvError(line, "a quoted field is not closed");
  if (field !== "" || record.length > 0) endRecord();
  if (records.length === 0) throw new CsvError(1, "no header");
  const [header, ...rows] = records as [string[], ...string[][]];
  for (const [n, row] of rows.entries()) {
    if (row.length !== header.length) {
      throw new CsvError(n + 2, `${row.length} fields where the header has ${header.length}`);
    }
  }
  return { header: header.map((h) => h.trim()), rows };
}
