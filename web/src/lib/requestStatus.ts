/**
 * Where a partner's request stands, in one phrase that never contradicts itself: the registry's status
 * read together with the votes that decide it (a vote that failed leaves the request waiting, it does not
 * refuse it). Pure, so it is unit-tested.
 */
import type { ApiProposal, ApiRequest } from "./indexerApi.ts";

export type RequestPhase =
  | "waitingSponsor"
  | "voting"
  | "voteFailed"
  | "votePassed"
  | "approved"
  | "rejected"
  | "withdrawn"
  | "revoked";

export function requestPhase(
  status: ApiRequest["status"],
  votes: readonly Pick<ApiProposal, "state">[],
): RequestPhase {
  switch (status) {
    case "Approved":
      return "approved";
    case "Rejected":
      return "rejected";
    case "Withdrawn":
      return "withdrawn";
    case "Revoked":
      return "revoked";
    case "Pending": {
      if (votes.some((v) => v.state === "Active" || v.state === "Pending")) return "voting";
      if (votes.some((v) => v.state === "Succeeded" || v.state === "Queued")) return "votePassed";
      if (votes.some((v) => v.state === "Defeated" || v.state === "Canceled")) return "voteFailed";
      return "waitingSponsor";
    }
  }
}
