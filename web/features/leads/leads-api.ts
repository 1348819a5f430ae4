import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type {
  AssignInput,
  ConvertInput,
  ConvertPreview,
  ConvertResult,
  Lead,
  LeadEvent,
  LeadInput,
  LeadPage,
  LeadSettings,
  Pipeline,
} from "./leads-types";

export const LEAD_PAGE_SIZE = 50;
export const leadsQueryKey = ["leads"] as const;

export interface LeadListParams {
  q: string;
  status: string[];
  source: string | null;
  ownerId: string | null;
  deleted: boolean;
  sort: string;
}

export function leadsUrl(params: LeadListParams, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  if (params.q.trim()) {
    search.set("q", params.q.trim());
  }
  if (params.status.length > 0) {
    search.set("status[in]", params.status.join(","));
  }
  if (params.source) {
    search.set("source", params.source);
  }
  if (params.ownerId) {
    search.set("ownerId", params.ownerId);
  }
  if (params.deleted) {
    search.set("deleted", "true");
  }
  search.set("sort", params.sort);
  for (const [key, value] of Object.entries(extra)) {
    search.set(key, value);
  }
  return `/leads?${search.toString()}`;
}

export function useLeadsList(params: LeadListParams) {
  return useInfiniteQuery({
    queryKey: [...leadsQueryKey, "list", params],
    queryFn: ({ pageParam }) =>
      api.get<LeadPage>(leadsUrl(params, { limit: String(LEAD_PAGE_SIZE), ...(pageParam ? { cursor: pageParam } : { count: "true" }) })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 15_000,
  });
}

/** Refreshes the lead lists and pages, and the to-do agenda their follow-up times feed. */
export function useInvalidateLeads() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: leadsQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["todo"] }),
    ]);
  };
}

export function useLead(id: string | undefined) {
  return useQuery({ queryKey: [...leadsQueryKey, "one", id], queryFn: () => api.get<Lead>(`/leads/${id ?? ""}`), enabled: Boolean(id), retry: false });
}

export function useLeadHistory(id: string) {
  return useQuery({ queryKey: [...leadsQueryKey, "history", id], queryFn: () => api.get<{ data: LeadEvent[] }>(`/leads/${id}/history`) });
}


export function useCreateLead() {
  const invalidate = useInvalidateLeads();
  return useMutation({ mutationFn: (input: LeadInput) => api.post<Lead>("/leads", input), onSuccess: invalidate });
}

export function useUpdateLead() {
  const invalidate = useInvalidateLeads();
  return useMutation({
    mutationFn: ({ lead, changes }: { lead: Lead; changes: LeadInput }) => api.patch<Lead>(`/leads/${lead.id}`, changes, { ifMatch: lead.version }),
    onSuccess: invalidate,
  });
}

export function useDeleteLead() {
  const invalidate = useInvalidateLeads();
  return useMutation({ mutationFn: (id: string) => api.delete(`/leads/${id}`), onSuccess: invalidate });
}

export function useRestoreLead() {
  const invalidate = useInvalidateLeads();
  return useMutation({ mutationFn: (id: string) => api.post<Lead>(`/leads/${id}/restore`), onSuccess: invalidate });
}

export function useAssignLeads() {
  const invalidate = useInvalidateLeads();
  return useMutation({
    mutationFn: async ({ ids, input }: { ids: string[]; input: AssignInput }): Promise<unknown> =>
      ids.length === 1 && ids[0] ? api.post<Lead>(`/leads/${ids[0]}/assign`, input) : api.post<{ assigned: number }>("/leads/assign", { ids, ...input }),
    onSuccess: invalidate,
  });
}

export function useLeadSettings(enabled: boolean) {
  return useQuery({ queryKey: [...leadsQueryKey, "settings"], queryFn: () => api.get<LeadSettings>("/leads/settings"), enabled });
}

export function useSaveLeadSettings() {
  const invalidate = useInvalidateLeads();
  return useMutation({
    mutationFn: (input: { autoAssignDepartmentId: string | null; autoAssignOnCreate: boolean }) => api.put<LeadSettings>("/leads/settings", input),
    onSuccess: invalidate,
  });
}

export function useConvertPreview(id: string, enabled: boolean) {
  return useQuery({ queryKey: ["leadConvertPreview", id], queryFn: () => api.get<ConvertPreview>(`/leads/${id}/convert-preview`), enabled, retry: false, staleTime: 0 });
}

export function useConvertLead() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateLeads();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: ConvertInput }) => api.post<ConvertResult>(`/leads/${id}/convert`, input),
    onSuccess: async () => {
      await Promise.all([invalidate(), queryClient.invalidateQueries({ queryKey: ["customers"] }), queryClient.invalidateQueries({ queryKey: ["deals"] })]);
    },
  });
}


/** Pipelines for the optional deal of a conversion (needs deal:view). */
export function usePipelines(enabled: boolean) {
  return useQuery({ queryKey: ["pipelines"], queryFn: () => api.get<{ data: Pipeline[] }>("/pipelines"), enabled, staleTime: 60_000 });
}

export interface SourceConversion {
  source: string | null;
  total: number;
  converted: number;
  invalid: number;
  conversionRate: number;
}

export interface ConversionBySource {
  data: SourceConversion[];
  total: number;
  converted: number;
}

/** 线索来源转化 for leads created in [from, to] (either end open), in the caller's data scope. */
export function useConversionBySource(range: { from: string | null; to: string | null }) {
  const search = new URLSearchParams();
  if (range.from) {
    search.set("from", range.from);
  }
  if (range.to) {
    search.set("to", range.to);
  }
  return useQuery({
    queryKey: [...leadsQueryKey, "by-source", range],
    queryFn: () => api.get<ConversionBySource>(`/leads/conversion-by-source?${search.toString()}`),
  });
}
