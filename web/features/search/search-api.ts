import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";

export interface CustomerHit {
  id: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  ownerName?: string | null;
}

export interface ContactHit {
  id: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  customerId: string;
  customerName: string | null;
}

/** A deal 商机 (the `deals` group; present when the user may view deals). */
export interface DealHit {
  id: string;
  name: string;
  status?: string;
  customerId?: string;
  customerName?: string | null;
  stageName?: string | null;
  ownerName?: string | null;
}

export interface SearchResults {
  customers: CustomerHit[];
  contacts: ContactHit[];
  deals?: DealHit[];
}

export const SEARCH_LIMIT = 8;

export function searchQueryOptions(q: string, limit = SEARCH_LIMIT) {
  const term = q.trim();
  return {
    queryKey: ["search", term, limit] as const,
    queryFn: () => api.get<SearchResults>(withQuery("/search", { q: term, limit })),
    staleTime: 10_000,
  };
}

/** The first hit's route target, or null. */
export function firstHitOf(results: SearchResults | undefined): string | null {
  const customer = results?.customers[0];
  if (customer) {
    return `customer:${customer.id}`;
  }
  const contact = results?.contacts[0];
  if (contact) {
    return `contact:${contact.customerId}:${contact.id}`;
  }
  const deal = results?.deals?.[0];
  return deal ? `deal:${deal.id}` : null;
}

/** Substring search over customers, contacts and deals the user may see; one Chinese character is enough. */
export function useGlobalSearch(q: string) {
  return useQuery({
    ...searchQueryOptions(q),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
