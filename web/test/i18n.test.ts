import { describe, expect, it } from "vitest";
import { PURPOSES } from "@datacoop/protocol/purposes.generated";
import { en, type Message } from "../src/i18n/en.ts";
import {
  LANGUAGES,
  loadDictionary,
  pickLanguage,
  pluralText,
  translate,
} from "../src/i18n/i18n.tsx";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** Every text of a message: the text itself, or each of its plural forms. */
const forms = (m: Message): string[] => (typeof m === "string" ? [m] : Object.values(m));
/** The placeholders a message uses in any of its forms (a form may leave {count} out, as "one" often does). */
const allPlaceholders = (m: Message) => [...new Set(forms(m).flatMap(placeholders))].sort();

const langs = Object.keys(LANGUAGES) as (keyof typeof LANGUAGES)[];
// Every language, loaded the way the app loads a chosen one.
const dictionaries = Object.fromEntries(
  await Promise.all(langs.map(async (l) => [l, await loadDictionary(l)] as const)),
);
const keys = Object.keys(en) as (keyof typeof en)[];

describe("dictionaries", () => {
  it("offers the co-ops' five languages, English first", () => {
    expect(langs).toEqual(["en", "es", "fr", "sw", "hi"]);
  });

  for (const lang of langs) {
    const { messages, purposes } = dictionaries[lang];
    it(`${lang}: has every English key, no other key, and no empty text`, () => {
      expect(Object.keys(messages).sort()).toEqual(Object.keys(en).sort());
      for (const [key, message] of Object.entries(messages))
        for (const text of forms(message)) expect(text.trim(), `${lang} ${key}`).not.toBe("");
    });

    it(`${lang}: keeps the same placeholders as English`, () => {
      for (const key of keys)
        expect(allPlaceholders(messages[key]), `${lang} ${key}`).toEqual(allPlaceholders(en[key]));
    });

    it(`${lang}: gives every plural form the language needs (Intl.PluralRules), and only those`, () => {
      const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const key of keys) {
        const message = messages[key];
        if (typeof en[key] === "string") {
          expect(typeof message, `${lang} ${key}`).toBe("string");
          continue;
        }
        expect(typeof message, `${lang} ${key}`).toBe("object");
        for (const category of needed)
          expect(message, `${lang} ${key} needs "${category}"`).toHaveProperty(category);
        for (const category of Object.keys(message as object))
          expect(needed, `${lang} ${key} has an unused form`).toContain(category);
      }
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
      const { messages } = dictionaries[lang];
      const same = keys.filter((k) => {
        const ours = forms(messages[k]);
        return forms(en[k]).some((text, i) => text === ours[i] && text.split(" ").length > 2);
      });
      expect(same, lang).toEqual([]);
    }
  });

  it("English purpose texts are the generated table's", () => {
    for (const p of PURPOSES) expect(dictionaries.en.purposes[p.key].label).toBe(p.label);
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones visible", () => {
    expect(translate(en, "membership.youAreMember", { id: 7n })).toBe("You are member number 7.");
    expect(translate(en, "membership.youAreMember")).toBe("You are member number {id}.");
  });

  it("picks the plural form by the language's rules", () => {
    expect(translate(en, "home.waiting.count", { count: 1 })).toBe("1 vote waits for you.");
    expect(translate(en, "home.waiting.count", { count: 3 })).toBe("3 votes wait for you.");
    const { messages: hi } = dictionaries.hi;
    // Hindi counts 0 and 1 as "one".
    expect(translate(hi, "contribute.done", { count: 0 }, "hi")).toBe(
      pluralText(hi["contribute.done"], "hi", 1).replace("{count}", "0"),
    );
    const { messages: sw } = dictionaries.sw;
    expect(translate(sw, "home.waiting.count", { count: 2 }, "sw")).toBe("Kura 2 zinakusubiri.");
  });

  it("writes numbers in the language's own grouping", () => {
    const { messages: hi } = dictionaries.hi;
    expect(translate(en, "accesses.count", { count: 1234567 })).toContain("1,234,567");
    expect(translate(hi, "accesses.count", { count: 1234567 }, "hi")).toContain("12,34,567");
  });
});

describe("pickLanguage", () => {
  it("prefers the stored choice, then the browser's languages, then English", () => {
    expect(pickLanguage("fr", ["es-ES"])).toBe("fr");
    expect(pickLanguage(null, ["de-DE", "es-MX", "fr"])).toBe("es");
    expect(pickLanguage(null, ["sw-TZ", "en"])).toBe("sw");
    expect(pickLanguage(null, ["hi-IN"])).toBe("hi");
    expect(pickLanguage("xx", ["de"])).toBe("en");
  });
});
