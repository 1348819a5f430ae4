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

export interface SearchResults {
  customers: CustomerHit[];
  contacts: ContactHit[];
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
  return contact ? `contact:${contact.customerId}:${contact.id}` : null;
}

/** Substring search over customers and contacts the user may see; one Chinese character is enough. */
export function useGlobalSearch(q: string) {
  return useQuery({
    ...searchQueryOptions(q),
    enabled: q.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}
