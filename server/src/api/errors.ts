/** The read API's errors: a code from the one list (@datacoop/protocol/errors) and a message. */
import { CoopError, type ErrorCode } from "@datacoop/protocol/errors";

export class ApiError<C extends ErrorCode = ErrorCode> extends CoopError<C> {
  override name = "ApiError";
}
