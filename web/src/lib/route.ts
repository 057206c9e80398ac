/** Hash routes (#/, #/proposals/7, #/propose/<kind>?member=0x…, …): work on any static host. */
import { parseProposalId } from "./format.ts";

export type Route =
  | { page: "home" }
  | { page: "membership" }
  | { page: "consent" }
  | { page: "proposals"; id?: bigint; invalidId?: string }
  | { page: "propose"; kind?: string; params: Record<string, string> }
  | { page: "data" }
  | { page: "benchmark" }
  | { page: "partner"; grantId?: string }
  | { page: "audit" };

export function parseRoute(hash: string): Route {
  const [path = "", search = ""] = hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const params = Object.fromEntries(new URLSearchParams(search));
  switch (parts[0]) {
    case "membership":
      return { page: "membership" };
    case "consent":
      return { page: "consent" };
    case "data":
      return { page: "data" };
    case "benchmark":
      return { page: "benchmark" };
    case "audit":
      return { page: "audit" };
    case "partner":
      return parts[1] !== undefined && /^\d{1,30}$/.test(parts[1])
        ? { page: "partner", grantId: parts[1] }
        : { page: "partner" };
    case "propose":
      return { page: "propose", ...(parts[1] ? { kind: parts[1] } : {}), params };
    case "proposals": {
      if (parts[1] === undefined) return { page: "proposals" };
      const id = parseProposalId(decodeURIComponent(parts[1]));
      return id === null ? { page: "proposals", invalidId: parts[1] } : { page: "proposals", id };
    }
    default:
      return { page: "home" };
  }
}
