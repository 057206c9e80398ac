/** A contribution typed into the form: text inputs to the values of the dataset's field types. */

export type SchemaField = {
  name: string;
  type: "number" | "integer" | "string" | "boolean" | "date";
  unit?: string;
  enum?: string[];
};

/**
 * Each filled-in input as its field's type: numbers as numbers (a comma is a decimal point), booleans as
 * true/false, the rest as text. Empty inputs are left out; text that is not a number stays text, so the
 * gateway names the problem for that field.
 */
export function recordValues(
  fields: readonly SchemaField[],
  inputs: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = (inputs[f.name] ?? "").trim();
    if (raw === "") continue;
    if (f.type === "number" || f.type === "integer") {
      const n = Number(raw.replace(",", "."));
      out[f.name] = /^-?\d+([.,]\d+)?$/.test(raw) && Number.isFinite(n) ? n : raw;
    } else if (f.type === "boolean") out[f.name] = raw === "true";
    else out[f.name] = raw;
  }
  return out;
}
