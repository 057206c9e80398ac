/**
 * Bounds on a JSON body checked on its text, before it is parsed, hashed or its signature checked: depth
 * (a body nested 5,000 levels deep would overflow every recursive walk — canonical JSON, hashing, schema
 * validation) and numbers JSON can write but a double cannot hold (1e999 parses to Infinity, which no hash
 * of canonical JSON can take). One linear pass over the characters, no allocation; the size is bounded
 * before (the body limit), the shape after (each route's schema).
 */
import type { MiddlewareHandler } from "hono";
import { errorBody } from "./errors.ts";

/** The deepest nesting any route's body needs is 5 (a query's `where[].values[]` in its envelope). */
export const MAX_BODY_DEPTH = 16;

export type BodyFault = { code: "body_too_deep" | "body_invalid"; message: string };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

function isNumberChar(c: number): boolean {
  return (
    (c >= ZERO && c <= NINE) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === MINUS
  );
}

/** The first fault of `text` as a JSON body, or null (malformed JSON is left to the parser: 400 there). */
export function checkBodyText(text: string, maxDepth = MAX_BODY_DEPTH): BodyFault | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > maxDepth) {
        return {
          code: "body_too_deep",
          message: `The body nests deeper than ${maxDepth} levels.`,
        };
      }
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth--;
    else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      let j = i + 1;
      let plain = true;
      while (j < text.length && isNumberChar(text.charCodeAt(j))) {
        const d = text.charCodeAt(j);
        if (d === 0x65 || d === 0x45) plain = false;
        j++;
      }
      // Without an exponent, more than 308 digits before any point are needed to overflow.
      if ((!plain || j - i > 300) && !Number.isFinite(Number(text.slice(i, j)))) {
        return {
          code: "body_invalid",
          message: `The number ${text.slice(i, Math.min(j, i + 40))} is out of range.`,
        };
      }
      i = j - 1;
    }
  }
  return null;
}

/**
 * Hono middleware: every body that is not CSV is checked as JSON text (whatever its content type, since
 * some routes parse their body themselves). A fault answers 400 `{ error: { code, message } }` at once.
 * Hono keeps the text it read, so the route parses the same body again.
 */
export function bodyBounds(maxDepth = MAX_BODY_DEPTH): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    if ((c.req.header("content-type") ?? "").toLowerCase().startsWith("text/csv")) return next();
    const fault = checkBodyText(await c.req.text(), maxDepth);
    if (fault) return c.json(errorBody(fault.code, fault.message), 400);
    return next();
  };
}
