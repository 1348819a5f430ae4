import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api } from "../../app/api";
import type {
  BulkInput,
  CreateCustomerInput,
  Customer,
  CustomerInput,
  CustomerPage,
  DuplicateMatch,
  ListFilters,
} from "./customer-types";

/** Rows per request: enough to fill a tall screen twice, small enough to answer in a few ms. */
export const CUSTOMER_PAGE_SIZE = 100;

export const customersQueryKey = ["customers"] as const;

export interface CustomerListParams {
  filters: ListFilters;
  sort: string;
  deleted: boolean;
}

/** Builds `<path>?…` for a filtered list (customers, contacts) with repeated keys for multi-valued filters. */
export function filteredListUrl(path: string, params: Pick<CustomerListParams, "filters" | "sort" | "deleted">, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params.filters)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== "") {
        search.append(key, item);
      }
    }
  }
  search.set("sort", params.sort);
  if (params.deleted) {
    search.set("deleted", "true");
  }
  for (const [key, value] of Object.entries(extra)) {
    search.set(key, value);
  }
  return `${path}?${search.toString()}`;
}

export function customersUrl(params: CustomerListParams, extra: Record<string, string> = {}): string {
  return filteredListUrl("/customers", params, extra);
}

/** The keyset-paged list; the first page also asks for the total. */
export function useCustomersList(params: CustomerListParams) {
  return useInfiniteQuery({
    queryKey: [...customersQueryKey, "list", params],
    queryFn: ({ pageParam }) =>
      api.get<CustomerPage>(
        customersUrl(params, {
          limit: String(CUSTOMER_PAGE_SIZE),
          ...(pageParam ? { cursor: pageParam } : { count: "true" }),
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 15_000,
  });
}

/** Every list, count and 360° view that may show a customer goes stale after a change. */
function useInvalidateCustomers() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: customersQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["customer360"] }),
      queryClient.invalidateQueries({ queryKey: ["tags"] }),
      queryClient.invalidateQueries({ queryKey: ["search"] }),
    ]);
  };
}

export function useCustomer(id: string | null) {
  return useQuery({
    queryKey: [...customersQueryKey, "one", id],
    queryFn: () => api.get<Customer>(`/customers/${id ?? ""}`),
    enabled: id !== null,
  });
}

export function useCreateCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (input: CreateCustomerInput) => api.post<Customer>("/customers", input),
    onSuccess: invalidate,
  });
}

export function useUpdateCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: async ({
      customer,
      changes,
      tags,
    }: {
      customer: Customer;
      changes: CustomerInput;
      tags?: { add: string[]; remove: string[] };
    }) => {
      let saved = customer;
      if (Object.keys(changes).length > 0) {
        saved = await api.patch<Customer>(`/customers/${customer.id}`, changes, { ifMatch: customer.version });
      }
      if (tags && (tags.add.length > 0 || tags.remove.length > 0)) {
        saved = await api.post<Customer>(`/customers/${customer.id}/tags`, tags);
      }
      return saved;
    },
    onSuccess: invalidate,
  });
}

export function useRestoreCustomers() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    // One request, all or nothing: a selection with one record that may not be restored restores none.
    mutationFn: async (ids: string[]) => (await api.post<{ changed: number }>("/customers/restore", { ids })).changed,
    onSettled: invalidate,
  });
}

export function useDeleteCustomer() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/customers/${id}`),
    onSuccess: invalidate,
  });
}

export function useBulkAction() {
  const invalidate = useInvalidateCustomers();
  return useMutation({
    mutationFn: (input: BulkInput) =>
      api.post<{ action: string; matched: number; changed: number }>("/customers/bulk", input),
    onSettled: invalidate,
  });
}

export interface ExportInput {
  format: "csv" | "xlsx";
  filter: ListFilters;
  ids?: string[];
  columns?: string[];
}

/** Starts an export job; `null` when the server has no export module yet (404). */
/** Starts an export of customers (default) or contacts; null when exports are not available (404). */
export function useStartExport(entity: "customer" | "contact" = "customer") {
  return useMutation({
    mutationFn: async (input: ExportInput) => {
      try {
        return await api.post<{ id: string }>("/exports", { entity, ...input });
      } catch (error) {
        if (error instanceof ApiError && error.status === 404 && error.code === "not_found") {
          return null;
        }
        throw error;
      }
    },
  });
}

export interface ExportStatus {
  id: string;
  status: string;
  total: number | null;
  processed: number;
}

export function useExportStatus(id: string | null) {
  return useQuery({
    queryKey: ["exports", id],
    queryFn: () => api.get<ExportStatus>(`/exports/${id ?? ""}`),
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === "done" || status === "failed" || status === "cancelled" ? false : 1000;
    },
  });
}

export interface DuplicateQuery {
  name?: string;
  phone?: string;
  email?: string;
  excludeId?: string;
}

/** Possible duplicates while typing; an empty list when the check is not available (404). */
export function useDuplicateCheck(query: DuplicateQuery, enabled: boolean) {
  return useQuery({
    queryKey: [...customersQueryKey, "duplicates", query],
    queryFn: async () => {
      try {
        return (await api.post<{ matches: DuplicateMatch[] }>("/customers/duplicates/check", query)).matches;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405)) {
          return [];
        }
        throw error;
      }
    },
    enabled,
    staleTime: 10_000,
    retry: false,
  });
}
