/** Structured logs (pino): one JSON line per event on stdout; no secrets or personal data. */
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level = "info"): Logger {
  return pino({ level, base: { service: "indexer" } });
}

/** A logger that drops everything (tests, libraries used without logging). */
export const silentLogger: Logger = pino({ level: "silent" });
