import { describe, expect, it } from "vitest";
import {
  checkCsv,
  checkForm,
  csvSeparator,
  csvTemplate,
  fromGatewayRowError,
  parseBoolean,
  parseDate,
  parseNumber,
  readCsv,
} from "../src/lib/contribution.ts";
import type { SchemaField } from "../src/lib/schemaDoc.ts";
import { HARVESTS } from "../../scripts/demo.ts";

const fields = HARVESTS.fields as SchemaField[];
const header =
  "record_id,farm,region,crop,hectares,yield_t_per_ha,rainfall_mm,organic,harvest_date";

describe("numbers, yes/no and dates as people write them", () => {
  it("reads decimal points and commas, digit groups of every kind, and refuses the rest", () => {
    expect(parseNumber("3.5")).toBe(3.5);
    expect(parseNumber("3,5")).toBe(3.5);
    expect(parseNumber(" -2 ")).toBe(-2);
    expect(parseNumber("1,234.5")).toBe(1234.5);
    expect(parseNumber("1.234,5")).toBe(1234.5);
    expect(parseNumber("1 234,5")).toBe(1234.5);
    expect(parseNumber("1\u202f234,5")).toBe(1234.5);
    expect(parseNumber("12,34,567")).toBe(1234567);
    expect(parseNumber("1,234,567")).toBe(1234567);
    expect(parseNumber("\u22124")).toBe(-4);
    for (const bad of [
      "",
      "abc",
      "1,2,3.4.5",
      "1.2.3,4,5",
      "12,3,4",
      "--1",
      "1e5",
      "1,23,45,6",
      ".",
    ])
      expect(parseNumber(bad), bad).toBeNull();
  });

  it("reads yes and no in every language of the app", () => {
    for (const yes of ["yes", "TRUE", "ndiyo", "हाँ", "oui", "sí", "1"])
      expect(parseBoolean(yes)).toBe(true);
    for (const no of ["no", "false", "hapana", "नहीं", "non", "0"])
      expect(parseBoolean(no)).toBe(false);
    expect(parseBoolean("maybe")).toBeNull();
  });

  it("reads ISO dates and numeric dates in the language's order, refusing impossible ones", () => {
    expect(parseDate("2026-06-11", "en")).toBe("2026-06-11");
    expect(parseDate("6/11/2026", "en-US")).toBe("2026-06-11");
    expect(parseDate("11/6/2026", "fr")).toBe("2026-06-11");
    expect(parseDate("11.06.2026", "sw")).toBe("2026-06-11");
    expect(parseDate("11/6/2026", "hi")).toBe("2026-06-11");
    expect(parseDate("2026-02-30", "en")).toBeNull();
    expect(parseDate("yesterday", "en")).toBeNull();
  });
});

describe("the form", () => {
  it("sends every value with its type, enum values by their labels in the reader's language", () => {
    const { values, problems } = checkForm(
      fields,
      {
        farm: "Shamba la Amani",
        region: "Kaskazini",
        crop: "maize",
        hectares: "2,5",
        yield_t_per_ha: "3.1",
        rainfall_mm: "820",
        organic: "true",
        harvest_date: "2026-06-11",
      },
      "sw",
    );
    expect(problems).toEqual([]);
    expect(values).toEqual({
      farm: "Shamba la Amani",
      region: "north",
      crop: "maize",
      hectares: 2.5,
      yield_t_per_ha: 3.1,
      rainfall_mm: 820,
      organic: true,
      harvest_date: "2026-06-11",
    });
  });

  it("names every problem of the form at once: missing, type, range and enum", () => {
    const { problems } = checkForm(
      fields,
      {
        farm: "",
        region: "mars",
        crop: "maize",
        hectares: "250",
        yield_t_per_ha: "lots",
        rainfall_mm: "-1",
        organic: "true",
        harvest_date: "2026-13-01",
      },
      "en",
    );
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ["farm", "required"],
      ["region", "enum"],
      ["hectares", "max"],
      ["yield_t_per_ha", "number"],
      ["rainfall_mm", "min"],
      ["harvest_date", "date"],
    ]);
    expect(problems[1].vars).toEqual({
      value: "mars",
      allowed: "North, South, East, West, Valley",
    });
  });
});

describe("CSV files", () => {
  const good = "f-1,Farm 10,north,maize,2.5,3.1,820,yes,2026-06-11";

  it("reports every problem of every line at once: a short line hides nothing, range and enum come with type errors", () => {
    const text = [
      header,
      good,
      "f-2,Farm 10,north,maize,2.5", // short: 5 cells of 9
      "f-3,Farm 10,mars,maize,2.5,25,820,perhaps,2026-06-11", // enum, range and yes/no on one line
      "f-4,Farm 10,south,beans,abc,3,820,no,31/12/2026", // a type error and a date in the other order
      "f-1,Farm 10,north,maize,2.5,3.1,820,yes,2026-06-11", // the same record name again
    ].join("\n");
    const { records, problems } = checkCsv(fields, text, "en-US");
    expect(records).toHaveLength(5);
    expect(problems.map((p) => [p.line, p.field ?? "", p.code])).toEqual([
      [3, "", "cells"],
      [3, "yield_t_per_ha", "required"],
      [3, "rainfall_mm", "required"],
      [3, "organic", "required"],
      [3, "harvest_date", "required"],
      [4, "region", "enum"],
      [4, "yield_t_per_ha", "max"],
      [4, "organic", "boolean"],
      [5, "hectares", "number"],
      [5, "harvest_date", "date"],
      [6, "record_id", "duplicateId"],
    ]);
    expect(problems.find((p) => p.code === "duplicateId")!.vars).toEqual({
      value: "f-1",
      other: 2,
    });
    expect(problems[0].vars).toEqual({ count: 5, expected: 9 });
  });

  it("reads a spreadsheet's semicolons and decimal commas, and headers by their labels", () => {
    const text = [
      "record_id;Jina la shamba;Eneo;Zao;Ukubwa wa shamba (ha);Mavuno kwa hekta (t/ha);Mvua (mm);Kilimo hai;Tarehe ya mavuno",
      "s-1;Shamba 1;Kusini;Mahindi;1,5;2,75;640;ndiyo;11/06/2026",
    ].join("\r\n");
    const { records, problems } = checkCsv(fields, `\ufeff${text}\r\n`, "sw");
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        recordId: "s-1",
        values: {
          farm: "Shamba 1",
          region: "south",
          crop: "maize",
          hectares: 1.5,
          yield_t_per_ha: 2.75,
          rainfall_mm: 640,
          organic: true,
          harvest_date: "2026-06-11",
        },
      },
    ]);
  });

  it("names unknown and repeated columns, a missing record_id column, an open quote and an empty file", () => {
    const p = (text: string) => checkCsv(fields, text, "en").problems.map((x) => x.code);
    expect(p(`${header},colour\n${good},red`)).toEqual(["unknownColumn"]);
    expect(p(`${header},region\n${good},north`)).toEqual(["duplicateColumn"]);
    expect(p("farm,region\nFarm 1,north")).toContain("noIdColumn");
    expect(p(`${header}\n"f-1,Farm`)).toEqual(["quote"]);
    expect(p(header)).toEqual(["empty"]);
    expect(p("")).toEqual(["empty"]);
  });

  it("keeps quoted cells whole, separators and line breaks included", () => {
    const read = readCsv('record_id,farm\nq-1,"Farm, ""big"" one"\n', "en");
    expect("lines" in read && read.lines[1].cells).toEqual(["q-1", 'Farm, "big" one']);
  });

  it("offers a template in the separator the reader's spreadsheet uses", () => {
    expect(csvSeparator("en")).toBe(",");
    expect(csvSeparator("fr")).toBe(";");
    expect(csvSeparator("es")).toBe(";");
    expect(csvSeparator("hi")).toBe(",");
    expect(csvTemplate(fields, "fr")).toBe(`\ufeff${header.replaceAll(",", ";")}\r\n`);
    // The template reads back with no problem but the missing records.
    expect(checkCsv(fields, csvTemplate(fields, "fr"), "fr").problems.map((x) => x.code)).toEqual([
      "empty",
    ]);
  });
});

describe("the gateway's row errors", () => {
  it("read as the same plain problems, on the file's lines, quoting the value sent", () => {
    const sent = [
      { recordId: "a", values: { hectares: 2 } },
      { recordId: "b", values: { hectares: 900 } },
      { recordId: "a", values: {} },
    ];
    const lines = [2, 4, 7];
    const read = (e: { row: number; field?: string; message: string }) =>
      fromGatewayRowError(e, { lang: "en", sent, lines });
    expect(read({ row: 1, field: "hectares", message: "above the maximum 200" })).toEqual({
      line: 4,
      field: "hectares",
      code: "max",
      vars: { value: "900", max: "200" },
    });
    expect(read({ row: 2, field: "recordId", message: "used twice in this batch" })).toEqual({
      line: 7,
      field: "record_id",
      code: "duplicateId",
      vars: { value: "a", other: 2 },
    });
    expect(read({ row: 0, field: "hectares", message: "expected a number" }).vars).toEqual({
      value: "2",
      example: "2.5",
    });
    expect(read({ row: 0, field: "x", message: "not a field of this dataset" }).code).toBe(
      "unknownColumn",
    );
    expect(read({ row: 0, message: "something new" })).toEqual({
      line: 2,
      code: "other",
      vars: { message: "something new" },
    });
  });
});
