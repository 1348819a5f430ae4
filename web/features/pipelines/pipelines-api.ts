import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { Pipeline } from "./pipelines-types";

export const pipelinesQueryKey = ["pipelines"] as const;

export function usePipelines(enabled = true) {
  return useQuery({ queryKey: pipelinesQueryKey, queryFn: () => api.get<{ data: Pipeline[] }>("/pipelines"), enabled, staleTime: 60_000 });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: pipelinesQueryKey }), queryClient.invalidateQueries({ queryKey: ["deals"] })]);
}

export interface StageInput {
  id?: string;
  name: string;
  winProbability: number;
}

export function useCreatePipeline() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: { name: string; isDefault?: boolean; stages: StageInput[] }) => api.post<Pipeline>("/pipelines", body),
    onSuccess: invalidate,
  });
}

export function useUpdatePipeline() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; isDefault?: true; active?: boolean }) => api.patch<Pipeline>(`/pipelines/${id}`, body),
    onSuccess: invalidate,
  });
}

export function useReplaceStages() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, stages }: { id: string; stages: StageInput[] }) => api.put<Pipeline>(`/pipelines/${id}/stages`, { stages }),
    onSuccess: invalidate,
  });
}

export function useDeletePipeline() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/pipelines/${id}`), onSuccess: invalidate });
}
