/** Languages, the translate function and the React context that carries the chosen language. */
import {
  createContext,
  Fragment,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from "react";
import type { PurposeKey } from "@datacoop/protocol/purposes.generated";
import type { Message, MessageKey, Messages, PurposeTexts } from "./en.ts";
import { formatCount, formatNumber, formatters, type Formatters } from "./format.ts";

/** The co-ops' languages, each named in itself. */
export const LANGUAGES = {
  en: "English",
  es: "Español",
  fr: "Français",
  sw: "Kiswahili",
  hi: "हिन्दी",
} as const;
export type Lang = keyof typeof LANGUAGES;

export type Dictionary = { messages: Messages; purposes: PurposeTexts };

/**
 * Every language, English included, loads when it is needed (main.tsx starts loading the reader's while the
 * configuration arrives), so a phone downloads one dictionary and the first load stays small.
 */
const dictionaries: Record<Lang, () => Promise<Dictionary>> = {
  en: () => import("./en.ts").then((m) => ({ messages: m.en, purposes: m.enPurposes })),
  es: () => import("./es.ts").then((m) => ({ messages: m.es, purposes: m.esPurposes })),
  fr: () => import("./fr.ts").then((m) => ({ messages: m.fr, purposes: m.frPurposes })),
  sw: () => import("./sw.ts").then((m) => ({ messages: m.sw, purposes: m.swPurposes })),
  hi: () => import("./hi.ts").then((m) => ({ messages: m.hi, purposes: m.hiPurposes })),
};
const loaded = new Map<Lang, Dictionary>();

/** The language to start in, loaded: the reader's, else English when theirs cannot be fetched. */
export async function loadInitialLanguage(): Promise<Lang> {
  const wanted = initialLanguage();
  try {
    await loadDictionary(wanted);
    return wanted;
  } catch {
    await loadDictionary("en");
    return "en";
  }
}

/** The dictionary of `lang`, loaded once. */
export async function loadDictionary(lang: Lang): Promise<Dictionary> {
  const known = loaded.get(lang);
  if (known) return known;
  const dictionary = await dictionaries[lang]();
  loaded.set(lang, dictionary);
  return dictionary;
}

export type Vars = Record<string, string | number | bigint>;

const pluralRules = new Map<string, Intl.PluralRules>();

/** The text of `message` for `count`: the language's plural category (Intl.PluralRules), else "other". */
export function pluralText(message: Message, lang: string, count: unknown): string {
  if (typeof message === "string") return message;
  let rules = pluralRules.get(lang);
  if (!rules) pluralRules.set(lang, (rules = new Intl.PluralRules(lang)));
  const n = typeof count === "bigint" ? Number(count) : typeof count === "number" ? count : NaN;
  const category = Number.isFinite(n) ? rules.select(n) : "other";
  return message[category] ?? message.other;
}

/** A variable as text: numbers in the language's digits and grouping. */
function varText(lang: string, value: string | number | bigint): string {
  if (typeof value === "bigint") return formatCount(lang, value);
  if (typeof value === "number")
    return Number.isInteger(value) ? formatCount(lang, value) : formatNumber(lang, value);
  return value;
}

/**
 * Looks `key` up (the plural form for `vars.count` when it has forms) and fills `{name}` placeholders;
 * a missing variable stays visible as `{name}`.
 */
export function translate(messages: Messages, key: MessageKey, vars?: Vars, lang = "en"): string {
  return pluralText(messages[key], lang, vars?.count).replace(
    /\{(\w+)\}/g,
    (match, name: string) => (vars && vars[name] !== undefined ? varText(lang, vars[name]) : match),
  );
}

export type RichVars = Record<string, ReactNode | string | number | bigint>;

/** Like `translate`, but a variable may be an element (a link, a disclosure): returns React nodes. */
export function translateRich(
  messages: Messages,
  key: MessageKey,
  vars: RichVars,
  lang = "en",
): ReactNode {
  const text = pluralText(messages[key], lang, vars.count);
  const parts = text.split(/(\{\w+\})/);
  return parts.map((part, i) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined || vars[name] === undefined) return part;
    const v = vars[name];
    return (
      <Fragment key={i}>
        {typeof v === "string" || typeof v === "number" || typeof v === "bigint"
          ? varText(lang, v)
          : v}
      </Fragment>
    );
  });
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
  rich: (key: MessageKey, vars: RichVars) => ReactNode;
  purpose: (key: PurposeKey) => { label: string; description: string };
  fmt: Formatters;
};

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  // The language shown is one whose dictionary has arrived (main.tsx loads the first one before rendering);
  // a newly chosen one replaces it once loaded.
  const [lang, setLangState] = useState<Lang>(() => {
    const wanted = initialLanguage();
    return loaded.has(wanted) ? wanted : loaded.has("en") ? "en" : [...loaded.keys()][0];
  });
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    // A dictionary that cannot be fetched (offline) leaves the current language on screen.
    void loadDictionary(next).then(
      () => setLangState(next),
      () => undefined,
    );
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
      t: (key, vars) => translate(messages, key, vars, lang),
      rich: (key, vars) => translateRich(messages, key, vars, lang),
      purpose: (key) => purposes[key],
      fmt: formatters(lang),
    };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}
