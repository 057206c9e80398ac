/**
 * The relayer's errors: a code from the one list (@datacoop/protocol/errors), a message for people and,
 * for refusals the dApp shows in detail (a call that would revert, a rate limit), machine-readable
 * details. Every refusal is a RelayerError raised before anything is sent; anything else is a bug (500).
 */
import { CoopError, type ErrorCode, type StatusOf } from "@datacoop/protocol/errors";

export class RelayerError<C extends ErrorCode = ErrorCode> extends CoopError<C> {
  override name = "RelayerError";

  constructor(status: StatusOf<C>, code: C, message: string, details?: Record<string, unknown>) {
    super(status, code, message, details);
  }
}
