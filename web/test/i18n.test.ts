import { describe, expect, it } from "vitest";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { en } from "../src/i18n/en.ts";
import { LANGUAGES, loadDictionary, pickLanguage, translate } from "../src/i18n/i18n.tsx";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const langs = Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[];
// Every language, loaded the way the app loads a chosen one.
const dictionaries = Object.fromEntries(
  await Promise.all(langs.map(async (l) => [l, await loadDictionary(l)] as const)),
);

describe("dictionaries", () => {
  it("offers English and at least two more languages", () => {
    expect(langs[0]).toBe("en");
    expect(langs.length).toBeGreaterThanOrEqual(3);
  });

  for (const lang of langs) {
    const { messages, purposes } = dictionaries[lang]!;
    it(`${lang}: has every English key, no other key, and no empty text`, () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(messages))
        expect(text.trim(), `${lang} ${key}`).not.toBe("");
    });

    it(`${lang}: keeps the same placeholders as English`, () => {
      for (const key of Object.keys(en) as (keyof typeof en)[])
        expect(placeholders(messages[key]), `${lang} ${key}`).toEqual(placeholders(en[key]));
    });

    it(`${lang}: names and describes every purpose of the generated table`, () => {
      expect(Object.keys(purposes).sort()).toEqual(PURPOSES.map((p) => p.key).sort());
      for (const p of PURPOSES) {
        expect(purposes[p.key].label.trim(), `${lang} ${p.key}`).not.toBe("");
        expect(purposes[p.key].description.trim(), `${lang} ${p.key}`).not.toBe("");
      }
    });
  }

  it("translates other languages rather than copying English sentences", () => {
    for (const lang of langs.filter((l) => l !== "en")) {
      const { messages } = dictionaries[lang]!;
      const same = (Object.keys(en) as (keyof typeof en)[]).filter(
        (k) => messages[k] === en[k] && en[k].split(" ").length > 2,
      );
      expect(same, lang).toEqual([]);
    }
  });

  it("English purpose texts are the generated table's", () => {
    for (const p of PURPOSES) expect(dictionaries.en!.purposes[p.key].label).toBe(p.label);
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate(en, "membership.youAreMember", { id: 7n })).toBe("You are member number 7.");
    expect(translate(en, "membership.youAreMember")).toBe("You are member number {id}.");
  });
});

describe("pickLanguage", () => {
  it("prefers the stored choice, then the browser's languages, then English", () => {
    expect(pickLanguage("fr", ["es-ES"])).toBe("fr");
    expect(pickLanguage(null, ["de-DE", "es-MX", "fr"])).toBe("es");
    expect(pickLanguage("xx", ["de"])).toBe("en");
  });
});
