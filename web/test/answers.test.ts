import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en.ts";
import { formatNumber } from "../src/i18n/format.ts";
import { translate } from "../src/i18n/i18n.tsx";
import {
  cellText,
  columnHeading,
  columnParts,
  QUERY_REFUSALS,
  refusalKey,
} from "../src/lib/answers.ts";
import {
  enumLabel,
  fieldHeading,
  fieldLabel,
  humanize,
  inLanguage,
  isRequired,
} from "../src/lib/schemaDoc.ts";
import type { SchemaField } from "../src/lib/schemaDoc.ts";
import { HARVESTS } from "../../scripts/demo.ts";

const fields = HARVESTS.fields as SchemaField[];
const t = (key: keyof typeof en, vars?: Record<string, string | number>) =>
  translate(en, key, vars);
const number = (v: number, digits?: number) => formatNumber("en", v, digits);

describe("answers made readable", () => {
  it("gives columns readable headers from the schema's labels and units", () => {
    expect(columnParts("mean:yield_t_per_ha")).toEqual({ fn: "mean", field: "yield_t_per_ha" });
    expect(columnHeading("mean:yield_t_per_ha", fields, "en", t)).toBe("Average of Yield (t/ha)");
    expect(columnHeading("count", fields, "en", t)).toBe("Number of records");
    expect(columnHeading("region", fields, "en", t)).toBe("Region");
    expect(columnHeading("sum:unknown_thing", undefined, "en", t)).toBe("Sum of Unknown thing");
  });

  it("rounds numbers, names enum values and yes/no, never shows raw floats", () => {
    expect(cellText(3.159488888888888, "mean:yield_t_per_ha", fields, "en", t, number)).toBe(
      "3.16",
    );
    expect(cellText(6.0000001, "count", fields, "en", t, number)).toBe("6");
    expect(cellText("valley", "region", fields, "sw", t, number)).toBe("Bondeni");
    expect(cellText(true, "organic", fields, "en", t, number)).toBe("Yes");
    expect(cellText(null, "region", fields, "en", t, number)).toBe("");
    expect(cellText([1.234, 2.345], "quantiles:hectares", fields, "en", t, number)).toBe(
      "1.23, 2.35",
    );
  });

  it("says what to change for every refusal, and something plain for an unknown one", () => {
    expect(refusalKey("cohort_too_small")).toBe("refusal.cohort");
    expect(refusalKey("budget_exhausted")).toBe("refusal.budget");
    expect(refusalKey("never_seen")).toBe("refusal.other");
    expect(refusalKey(undefined)).toBe("refusal.other");
    for (const key of Object.values(QUERY_REFUSALS)) expect(en).toHaveProperty(key);
  });
});

describe("schema documents as members meet them", () => {
  const region = fields.find((f) => f.name === "region")!;
  it("names fields and values in the reader's language, falling back to English, then to the name made readable", () => {
    expect(inLanguage({ en: "Region", sw: "Eneo" }, "sw-TZ")).toBe("Eneo");
    expect(inLanguage({ en: "Region" }, "hi")).toBe("Region");
    expect(inLanguage(undefined, "hi")).toBeUndefined();
    expect(fieldLabel(fields, "region", "hi")).toBe("क्षेत्र");
    expect(fieldLabel(fields, "soil_ph_level", "en")).toBe("Soil ph level");
    expect(humanize("yieldPerHa")).toBe("Yield Per Ha");
    expect(
      fieldHeading(
        fields.find((f) => f.name === "rainfall_mm")!,
        "fr",
      ),
    ).toBe("Pluie (mm)");
    expect(enumLabel(region, "north", "hi")).toBe("उत्तर");
    expect(enumLabel({ name: "x", type: "string" }, "dry_season", "en")).toBe("Dry season");
    expect(isRequired(region)).toBe(true);
    expect(isRequired({ ...region, required: false })).toBe(false);
  });
});
