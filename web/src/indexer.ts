/**
 * Lists from the indexer's read API (COOP_INDEXER_URL), through TanStack Query. They refresh with each new
 * block, so a decision shows soon after the indexer has seen it; live figures of one proposal still come
 * from the chain itself.
 */
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import { useAppConfig } from "./appConfig.tsx";
import {
  type ApiAnchor,
  type ApiDataset,
  type ApiGrant,
  type ApiMember,
  type ApiMemberClaims,
  type ApiMemberConsents,
  type ApiMemberDetail,
  type ApiPage,
  type ApiProposal,
  type ApiProposalDetail,
  type ApiRequest,
  type ApiRevenue,
  apiUrl,
  getJson,
} from "./lib/indexerApi.ts";
import { numberProposals } from "./lib/proposalNumbers.ts";
import { useRefetchOnBlock } from "./live.ts";

type Params = Record<string, string | number | boolean | undefined>;

export function useIndexer<T>(path: string | null, params: Params = {}, live = true) {
  const { indexerUrl } = useAppConfig();
  const query = useQuery({
    queryKey: ["indexer", indexerUrl, path, params],
    enabled: path !== null,
    queryFn: ({ signal }) => getJson<T>(apiUrl(indexerUrl, path!, params), { signal }),
    placeholderData: (previous) => previous,
    // The indexer follows the chain a moment behind: poll as well, in case a block's refetch came early.
    refetchInterval: live ? 3_000 : false,
  });
  const { refetch } = query;
  // Give the indexer a moment to store the new block before asking.
  const later = useCallback(() => setTimeout(() => void refetch(), 300), [refetch]);
  useRefetchOnBlock(live && path !== null ? later : noop);
  return query;
}

function noop() {}

/** The latest 200 proposals (one query shared by every screen that lists or numbers them). */
export const useProposals = (params: Params = {}) =>
  useIndexer<ApiPage<ApiProposal>>("/proposals", { limit: 200, ...params });
/** Proposal id → its short number ("proposal 7"), for the proposals the list holds. */
export function useProposalNumbers() {
  const page = useProposals().data;
  return useMemo(() => (page ? numberProposals(page) : undefined), [page]);
}
export const useProposalDetail = (id: bigint) => useIndexer<ApiProposalDetail>(`/proposals/${id}`);
export const useMembers = () => useIndexer<ApiPage<ApiMember>>("/members", { limit: 500 });
export const useMemberDetail = (address: string | undefined) =>
  useIndexer<ApiMemberDetail>(address ? `/members/${address.toLowerCase()}` : null);
export const useDatasets = () => useIndexer<ApiPage<ApiDataset>>("/datasets", { limit: 500 });
export const useRequests = (params: Params = {}) =>
  useIndexer<ApiPage<ApiRequest>>("/requests", { limit: 100, ...params });
export const useGrants = (params: Params = {}) =>
  useIndexer<ApiPage<ApiGrant>>("/grants", { limit: 100, ...params });
export const useRevenue = () => useIndexer<ApiPage<ApiRevenue>>("/revenue/grants", { limit: 500 });
export const useMemberClaims = (address: string | undefined) =>
  useIndexer<ApiMemberClaims>(address ? `/members/${address.toLowerCase()}/claims` : null);
export const useMemberConsents = (address: string | undefined) =>
  useIndexer<ApiMemberConsents>(address ? `/members/${address.toLowerCase()}/consents` : null);
export const useAnchors = () => useIndexer<ApiPage<ApiAnchor>>("/anchors", { limit: 500 });
