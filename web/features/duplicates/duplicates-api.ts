import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import type { Customer } from "../customer-360/customer-360-types";

export interface DuplicateGroup {
  key: string;
  reason: string;
  /** How many live customers share the key (customers lists at most 50). */
  count?: number;
  customers: Customer[];
}

export interface MergeFieldValues {
  field: string;
  values: { customerId: string; value: unknown }[];
}

export interface MergePreview {
  target: Customer;
  sources: Customer[];
  fields: MergeFieldValues[];
  counts: Record<string, number | undefined>;
}

export interface MergeInput {
  targetId: string;
  sourceIds: string[];
  /** Field → the customer whose value the merged record keeps. */
  fields: Record<string, string>;
  /** Customer id → the version the caller saw; the server answers 412 if any changed since. */
  versions?: Record<string, number>;
}

export const duplicatesKey = ["duplicates"] as const;

export function useDuplicateGroups() {
  return useInfiniteQuery({
    queryKey: [...duplicatesKey, "groups"],
    queryFn: ({ pageParam }) =>
      api.get<Page<DuplicateGroup>>(withQuery("/customers/duplicates", { limit: 20, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMergePreview() {
  return useMutation({
    mutationFn: (input: { targetId: string; sourceIds: string[] }) =>
      api.post<MergePreview>("/customers/merge/preview", input),
  });
}

export function useMergeCustomers() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MergeInput) => api.post<Customer>("/customers/merge", input),
    onSuccess: async (_customer, input) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: duplicatesKey }),
        queryClient.invalidateQueries({ queryKey: ["customers"] }),
        queryClient.invalidateQueries({ queryKey: ["customer360"] }),
        queryClient.invalidateQueries({ queryKey: ["search"] }),
        queryClient.invalidateQueries({ queryKey: ["followUps"] }),
      ]);
      for (const id of input.sourceIds) {
        queryClient.removeQueries({ queryKey: ["customer360", id] });
      }
    },
  });
}
