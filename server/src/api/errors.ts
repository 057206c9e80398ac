/** The read API's errors: a stable code and a message, answered as `{ error: { code, message } }`. */
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error with a stable code, answered as `{ error: { code, message } }`. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });
