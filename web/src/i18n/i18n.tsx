/** Languages, the translate function and the React context that carries the chosen language. */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import type { PurposeKey } from "@datacoop/protocol/purposes.generated";
import { en, enPurposes, type MessageKey, type Messages, type PurposeTexts } from "./en.ts";

export const LANGUAGES = { en: "English", es: "Español", fr: "Français" } as const;
export type Lang = keyof typeof LANGUAGES;

export type Dictionary = { messages: Messages; purposes: PurposeTexts };

/** English ships with the app; every other language loads when it is chosen, so a phone downloads one. */
const dictionaries: Record<Lang, () => Promise<Dictionary>> = {
  en: () => Promise.resolve({ messages: en, purposes: enPurposes }),
  es: () => import("./es.ts").then((m) => ({ messages: m.es, purposes: m.esPurposes })),
  fr: () => import("./fr.ts").then((m) => ({ messages: m.fr, purposes: m.frPurposes })),
};
const loaded = new Map<Lang, Dictionary>([["en", { messages: en, purposes: enPurposes }]]);

/** The dictionary of `lang`, loaded once. */
export async function loadDictionary(lang: Lang): Promise<Dictionary> {
  const known = loaded.get(lang);
  if (known) return known;
  const dictionary = await dictionaries[lang]();
  loaded.set(lang, dictionary);
  return dictionary;
}

export type Vars = Record<string, string | number | bigint>;

/** Looks `key` up and fills `{name}` placeholders; a missing variable stays visible as `{name}`. */
export function translate(messages: Messages, key: MessageKey, vars?: Vars): string {
  return messages[key].replace(/\{(\w+)\}/g, (match, name: string) =>
    vars && vars[name] !== undefined ? String(vars[name]) : match,
  );
}

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && Object.hasOwn(LANGUAGES, value);
}

/** The stored choice, else the first of the browser's languages we speak, else English. */
export function pickLanguage(stored: string | null, preferred: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "en";
}

const STORAGE_KEY = "datacoop.lang";

/** The language to start in: the stored choice, else the browser's. */
export function initialLanguage(): Lang {
  return pickLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages ?? []);
}

type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  purpose: (key: PurposeKey) => { label: string; description: string };
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  // The language shown is one whose dictionary has arrived (main.tsx loads the first one before rendering);
  // a newly chosen one replaces it once loaded.
  const [lang, setLangState] = useState<Lang>(() => {
    const wanted = initialLanguage();
    return loaded.has(wanted) ? wanted : "en";
  });
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    void loadDictionary(next).then(() => setLangState(next));
  }, []);
  useEffect(() => {
    const wanted = initialLanguage();
    if (!loaded.has(wanted)) void loadDictionary(wanted).then(() => setLangState(wanted));
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const { messages, purposes } = loaded.get(lang)!;
    return {
      lang,
      setLang,
      t: (key, vars) => translate(messages, key, vars),
      purpose: (key) => purposes[key],
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}
