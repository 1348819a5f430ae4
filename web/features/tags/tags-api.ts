import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { ListResponse } from "../../app/api-types";

export interface Tag {
  id: string;
  name: string;
  color: string;
  usage: number;
  /** Sent back as If-Match: a tag someone changed meanwhile answers 412 instead of being overwritten. */
  version: number;
}

export const tagsQueryKey = ["tags"] as const;

/** Colours offered for tags, options and select values (antd preset names the server accepts). */
export const TAG_COLORS = [
  "default",
  "blue",
  "green",
  "red",
  "orange",
  "gold",
  "cyan",
  "purple",
  "magenta",
  "volcano",
  "lime",
  "geekblue",
] as const;

export function useTags() {
  return useQuery({
    queryKey: tagsQueryKey,
    queryFn: () => api.get<ListResponse<Tag>>("/tags"),
    staleTime: 60_000,
  });
}

function useInvalidateTags() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: tagsQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["customers"] }),
    ]);
  };
}

export function useCreateTag() {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: (input: { name: string; color: string }) => api.post<Tag>("/tags", input),
    onSuccess: invalidate,
  });
}

export function useUpdateTag() {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: ({ tag, changes }: { tag: Tag; changes: { name?: string; color?: string } }) =>
      api.patch<Tag>(`/tags/${tag.id}`, changes, { ifMatch: tag.version }),
    onSuccess: invalidate,
  });
}

export function useDeleteTag() {
  const invalidate = useInvalidateTags();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/tags/${id}`),
    onSuccess: invalidate,
  });
}
