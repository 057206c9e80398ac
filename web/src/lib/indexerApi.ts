/**
 * The server's read API (server/src/api): lists of members, proposals, datasets, requests, grants,
 * revenue and anchors. Big integers arrive as decimal strings, addresses lowercase.
 */

import type { components } from "@datacoop/protocol/api.generated";

/** The read API's answers, as its OpenAPI document describes them (generated; see protocol/src/api.generated.ts). */
type Schemas = components["schemas"];

export type ApiPage<T> = { items: T[]; total: number; limit: number; offset: number };
export type ApiMember = Schemas["Member"];
export type ApiProposal = Schemas["Proposal"];
export type ApiAction = Schemas["ProposalAction"];
export type ApiVote = Schemas["Vote"];
export type ApiProposalDetail = Schemas["ProposalDetail"];
export type ApiDataset = Schemas["Dataset"];
export type ApiRequest = Schemas["Request"];
export type ApiGrant = Schemas["Grant"];
export type ApiRevenue = Schemas["Revenue"];
export type ApiClaim = Schemas["Claim"];
export type ApiMemberClaims = Schemas["MemberClaims"];
export type ApiMemberConsents = Schemas["MemberConsents"];
export type ApiAnchor = Schemas["Anchor"];
export type ApiMembershipChange = Schemas["MembershipChange"];
export type ApiMemberDetail = Schemas["MemberDetail"];

export const API_PROPOSAL_STATES = [
  "Pending",
  "Active",
  "Canceled",
  "Defeated",
  "Succeeded",
  "Queued",
  "Executed",
] as const satisfies readonly ApiProposal["state"][];

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Builds `base + path` with the query parameters that are set. */
export function apiUrl(
  base: string,
  path: string,
  params: Record<string, string | number | boolean | undefined> = {},
): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
  const query = search.toString();
  return `${base.replace(/\/$/, "")}${path}${query ? `?${query}` : ""}`;
}

/** GET JSON; a 4xx/5xx becomes an ApiError with the server's code and message. */
export async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `HTTP ${res.status}`,
    );
  }
  return body as T;
}
