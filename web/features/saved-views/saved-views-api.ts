import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { ListResponse } from "../../app/api-types";

export type SavedViewEntity = "customer" | "contact" | "lead";

export interface ViewDefinition {
  filters: Record<string, string | string[]>;
  sort: string | null;
  columns: string[];
}

export interface SavedView {
  id: string;
  entity: SavedViewEntity;
  name: string;
  shared: boolean;
  ownerId: string;
  ownerName: string | null;
  definition: ViewDefinition;
  access: { edit: boolean; delete: boolean };
  createdAt: string;
  updatedAt: string;
  /** Sent back as If-Match: a view changed meanwhile (another tab) answers 412 instead of being overwritten. */
  version: number;
}

const savedViewsKey = (entity: SavedViewEntity) => ["savedViews", entity] as const;

export function useSavedViews(entity: SavedViewEntity) {
  return useQuery({
    queryKey: savedViewsKey(entity),
    queryFn: () => api.get<ListResponse<SavedView>>(withQuery("/saved-views", { entity })),
    staleTime: 60_000,
  });
}

export function useCreateSavedView(entity: SavedViewEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; shared: boolean; definition: ViewDefinition }) =>
      api.post<SavedView>("/saved-views", { entity, ...input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedViewsKey(entity) }),
  });
}

export function useUpdateSavedView(entity: SavedViewEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ view, changes }: { view: SavedView; changes: Partial<Pick<SavedView, "name" | "shared" | "definition">> }) =>
      api.patch<SavedView>(`/saved-views/${view.id}`, changes, { ifMatch: view.version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedViewsKey(entity) }),
  });
}

export function useDeleteSavedView(entity: SavedViewEntity) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/saved-views/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: savedViewsKey(entity) }),
  });
}
