/**
 * Numbers, amounts, lengths of time and dates in the reader's language, through the browser's own Intl
 * data (CLDR): "0,16 ETH" in French, "siku 3" in Swahili, "12,34,567" grouped the Indian way in Hindi.
 * Pure functions of the language, so they are unit-tested; screens reach them through `useI18n().fmt`.
 */
import { formatEther } from "viem";

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${lang} ${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.NumberFormat(lang, options)));
  return f;
}

/**
 * A number rounded for people: at most `digits` decimals (2 by default), and never more than 3
 * significant decimals for small values, so 3.159488888888888 reads "3.16" and 0.000123 reads "0.000123".
 */
export function formatNumber(lang: string, value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  const fraction =
    abs !== 0 && abs < 1 ? Math.min(8, Math.max(digits, -Math.floor(Math.log10(abs)) + 2)) : digits;
  return numberFormat(lang, { maximumFractionDigits: fraction }).format(value);
}

/** A whole count, grouped as the language groups digits. */
export function formatCount(lang: string, value: number | bigint): string {
  return numberFormat(lang, { maximumFractionDigits: 0 }).format(value);
}

/** A share in [0, 1] as a percentage, e.g. "42 %" in French. */
export function formatPercent(lang: string, share: number): string {
  return numberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/**
 * An amount of wei in ether, in the reader's language: at most 4 decimals ("0.1575 ETH", "0,1575 ETH");
 * an amount too small to show that way says so ("< 0.0001 ETH") rather than rounding to nothing.
 */
export function formatEth(lang: string, wei: bigint): string {
  const ether = Number(formatEther(wei));
  if (wei > 0n && ether < 0.0001) return `< ${formatNumber(lang, 0.0001, 4)} ETH`;
  return `${numberFormat(lang, { maximumFractionDigits: 4 }).format(ether)} ETH`;
}

type Unit = "day" | "hour" | "minute";

function unit(lang: string, name: Unit, value: number): string {
  return numberFormat(lang, {
    style: "unit",
    unit: name,
    unitDisplay: "long",
    maximumFractionDigits: 1,
  }).format(value);
}

/**
 * A length of time set by a rule or a request, in days when it is a day or more ("120 days", "1.5 days"),
 * else in hours or minutes: never a count of seconds.
 */
export function formatDuration(lang: string, seconds: number): string {
  const s = Math.max(0, seconds);
  if (s >= 86_400) return unit(lang, "day", Math.round((s / 86_400) * 10) / 10);
  if (s >= 3_600) return unit(lang, "hour", Math.round((s / 3_600) * 10) / 10);
  return unit(lang, "minute", Math.max(1, Math.round(s / 60)));
}

/**
 * Time left, for a countdown: the two largest units ("2 days 3 hours", "5 hours 10 minutes",
 * "9 minutes"); under a minute, `underAMinute` (the caller's "less than a minute"). No seconds.
 */
export function formatTimeLeft(lang: string, seconds: number, underAMinute: string): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0)
    return hours > 0
      ? `${unit(lang, "day", days)} ${unit(lang, "hour", hours)}`
      : unit(lang, "day", days);
  if (hours > 0)
    return minutes > 0
      ? `${unit(lang, "hour", hours)} ${unit(lang, "minute", minutes)}`
      : unit(lang, "hour", hours);
  if (minutes > 0) return unit(lang, "minute", minutes);
  return underAMinute;
}

/** A date and time ("7 Dec 2026, 08:43"), from Unix seconds. */
export function formatDateTime(lang: string, unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString(lang, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** A date ("7 Dec 2026"), from Unix seconds. */
export function formatDate(lang: string, unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString(lang, { dateStyle: "medium" });
}

/** A day on a chart's axis ("7 Dec", "7 Des", "7 दिस॰"), from Unix seconds, in UTC as the series counts. */
export function formatDay(lang: string, unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleDateString(lang, {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** A list in the language's way ("a, b and c", "a, b na c"). */
export function formatList(lang: string, items: readonly string[]): string {
  return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(items);
}

/** Every formatter bound to one language, as screens use them. */
export function formatters(lang: string) {
  return {
    number: (value: number, digits?: number) => formatNumber(lang, value, digits),
    count: (value: number | bigint) => formatCount(lang, value),
    percent: (share: number) => formatPercent(lang, share),
    eth: (wei: bigint) => formatEth(lang, wei),
    duration: (seconds: number) => formatDuration(lang, seconds),
    timeLeft: (seconds: number, underAMinute: string) =>
      formatTimeLeft(lang, seconds, underAMinute),
    dateTime: (unixSeconds: number) => formatDateTime(lang, unixSeconds),
    date: (unixSeconds: number) => formatDate(lang, unixSeconds),
    day: (unixSeconds: number) => formatDay(lang, unixSeconds),
    list: (items: readonly string[]) => formatList(lang, items),
  };
}

export type Formatters = ReturnType<typeof formatters>;
