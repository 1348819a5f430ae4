import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { Contact } from "../customer-360/customer-360-types";
import { filteredListUrl } from "../customers/customers-api";
import type { ListFilters } from "../customers/customer-types";

/** A contact as the list answers it; bin rows also say when they were deleted. */
export type ContactRow = Contact & { deletedAt?: string | null };

export interface ContactPage {
  data: ContactRow[];
  nextCursor: string | null;
  total?: number;
  countExact?: boolean;
}

export interface ContactListParams {
  filters: ListFilters;
  sort: string;
  deleted: boolean;
}

/** Rows per request, as the customers list. */
export const CONTACT_PAGE_SIZE = 100;

export const contactsQueryKey = ["contacts"] as const;

export function contactsUrl(params: ContactListParams, extra: Record<string, string> = {}): string {
  return filteredListUrl("/contacts", params, extra);
}

/** The keyset-paged list (GET /contacts); the first page also asks for the total. */
export function useContactsList(params: ContactListParams) {
  return useInfiniteQuery({
    queryKey: [...contactsQueryKey, "list", params],
    queryFn: ({ pageParam }) =>
      api.get<ContactPage>(
        contactsUrl(params, { limit: String(CONTACT_PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : { count: "true" }) }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 15_000,
  });
}

/** Lists, 360° views (their contacts card) and search may all show a changed contact. */
export function useInvalidateContacts() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: contactsQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["customer360"] }),
      queryClient.invalidateQueries({ queryKey: ["customers"] }),
      queryClient.invalidateQueries({ queryKey: ["search"] }),
    ]);
  };
}

interface BulkResult {
  action: string;
  matched: number;
  changed: number;
}

/** Moves contacts to the recycle bin (POST /contacts/bulk, all or nothing). */
export function useDeleteContacts() {
  const invalidate = useInvalidateContacts();
  return useMutation({
    mutationFn: (ids: string[]) => api.post<BulkResult>("/contacts/bulk", { action: "delete", ids }),
    onSettled: invalidate,
  });
}

/** Takes contacts out of the recycle bin (POST /contacts/restore, all or nothing). */
export function useRestoreContacts() {
  const invalidate = useInvalidateContacts();
  return useMutation({
    mutationFn: (ids: string[]) => api.post<BulkResult>("/contacts/restore", { ids }),
    onSettled: invalidate,
  });
}
