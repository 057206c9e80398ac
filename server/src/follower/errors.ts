/** Errors of the follower, each with a stable code (logged, shown on /ready, used as the exit reason). */
export type FollowerErrorCode =
  "reorg_too_deep" | "chain_mismatch" | "deployment_mismatch" | "invalid_option";

export class FollowerError extends Error {
  readonly code: FollowerErrorCode;
  constructor(code: FollowerErrorCode, message: string) {
    super(message);
    this.name = "FollowerError";
    this.code = code;
  }
}
