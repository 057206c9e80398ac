/**
 * A dataset's schema document as members meet it: each field's type, unit, bounds, allowed values and
 * whether it is required, and what to call it in the reader's language (the document's `labels`, else a
 * readable form of its name). Mirrors indexer/src/gateway/schema.ts; pure, so it is unit-tested.
 */

export type FieldType = "number" | "integer" | "string" | "boolean" | "date";

export type SchemaField = {
  name: string;
  type: FieldType;
  unit?: string;
  description?: string;
  identifying?: boolean;
  required?: boolean;
  min?: number;
  max?: number;
  enum?: string[];
  maxLength?: number;
  labels?: Record<string, string>;
  enumLabels?: Record<string, Record<string, string>>;
};

export type SchemaDocument = {
  name?: string;
  description?: string;
  fields: SchemaField[];
  privacy?: unknown;
};

/** The text for `lang` among texts by language: the exact tag, its base language, then English. */
export function inLanguage(
  texts: Record<string, string> | undefined,
  lang: string,
): string | undefined {
  if (!texts) return undefined;
  return texts[lang] ?? texts[lang.split("-")[0]] ?? texts.en;
}

/** A field name made readable when the schema gives no label: "yield_t_per_ha" → "Yield t per ha". */
export function humanize(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/_+/g, " ")
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What to call field `name` in `lang`. */
export function fieldLabel(
  fields: readonly SchemaField[] | undefined,
  name: string,
  lang: string,
): string {
  const f = fields?.find((x) => x.name === name);
  return inLanguage(f?.labels, lang) ?? humanize(name);
}

/** The field's label with its unit, for headers and form labels: "Yield (t/ha)". */
export function fieldHeading(field: SchemaField, lang: string): string {
  const label = inLanguage(field.labels, lang) ?? humanize(field.name);
  return field.unit ? `${label} (${field.unit})` : label;
}

/** What to call an allowed value of an enum field in `lang`. */
export function enumLabel(field: SchemaField, value: string, lang: string): string {
  return inLanguage(field.enumLabels?.[value], lang) ?? humanize(value);
}

/** Whether contributions must carry the field (the gateway's default: yes). */
export const isRequired = (f: SchemaField) => f.required !== false;
