/** Hash routes (#/membership, #/consent, #/proposals, #/proposals/<id>): work on any static host. */
import { parseProposalId } from "./format.ts";

export type Route =
  | { page: "membership" }
  | { page: "consent" }
  | { page: "proposals"; id?: bigint; invalidId?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  if (parts[0] === "consent") return { page: "consent" };
  if (parts[0] === "proposals") {
    if (parts[1] === undefined) return { page: "proposals" };
    const id = parseProposalId(decodeURIComponent(parts[1]));
    return id === null ? { page: "proposals", invalidId: parts[1] } : { page: "proposals", id };
  }
  return { page: "membership" };
}
