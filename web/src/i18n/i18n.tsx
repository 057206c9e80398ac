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
import type { PurposeKey } from "../../../shared/purposes.generated.ts";
import { en, enPurposes, type MessageKey, type Messages, type PurposeTexts } from "./en.ts";
import { es, esPurposes } from "./es.ts";
import { fr, frPurposes } from "./fr.ts";

export const LANGUAGES = { en: "English", es: "Español", fr: "Français" } as const;
export type Lang = keyof typeof LANGUAGES;

export const dictionaries: Record<Lang, { messages: Messages; purposes: PurposeTexts }> = {
  en: { messages: en, purposes: enPurposes },
  es: { messages: es, purposes: esPurposes },
  fr: { messages: fr, purposes: frPurposes },
};

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

type I18n = {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: Vars) => string;
  purpose: (key: PurposeKey) => { label: string; description: string };
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() =>
    pickLanguage(localStorage.getItem(STORAGE_KEY), navigator.languages ?? []),
  );
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => {
    const { messages, purposes } = dictionaries[lang];
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
