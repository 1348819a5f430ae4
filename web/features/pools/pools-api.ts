import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { ListResponse, Page } from "../../app/api-types";
import type {
  BulkResult,
  ExpiringCustomer,
  MyUsage,
  OwnershipLimit,
  OwnershipLimitInput,
  Pool,
  PoolCustomer,
  PoolCustomerFilters,
  PoolInput,
  RecyclePreview,
  RecycleRun,
} from "./pools-types";

export const POOL_PAGE_SIZE = 50;
export const poolsKey = ["pools"] as const;

/** Everything a change of owner touches: pools, my usage, the customers' lists, 360 pages and to-dos. */
export function useInvalidatePools() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: poolsKey }),
      queryClient.invalidateQueries({ queryKey: ["customers"] }),
      queryClient.invalidateQueries({ queryKey: ["customer360"] }),
      queryClient.invalidateQueries({ queryKey: ["todo"] }),
    ]);
  };
}

export function usePools() {
  return useQuery({ queryKey: [...poolsKey, "list"], queryFn: () => api.get<ListResponse<Pool>>("/pools") });
}

export function usePoolCustomers(poolId: string | null, filters: PoolCustomerFilters) {
  return useInfiniteQuery({
    queryKey: [...poolsKey, "customers", poolId, filters],
    enabled: poolId !== null,
    queryFn: ({ pageParam }) =>
      api.get<Page<PoolCustomer>>(
        withQuery(`/pools/${poolId ?? ""}/customers`, {
          q: filters.q.trim() || undefined,
          level: filters.level ?? undefined,
          source: filters.source ?? undefined,
          industry: filters.industry ?? undefined,
          limit: POOL_PAGE_SIZE,
          cursor: pageParam,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMyUsage() {
  return useQuery({ queryKey: [...poolsKey, "my-usage"], queryFn: () => api.get<MyUsage>("/pools/my-usage") });
}

export function useExpiring() {
  return useQuery({ queryKey: [...poolsKey, "expiring"], queryFn: () => api.get<ListResponse<ExpiringCustomer>>("/pools/expiring") });
}

export function useClaim(poolId: string) {
  const invalidate = useInvalidatePools();
  return useMutation({
    mutationFn: (customerIds: string[]) => api.post<BulkResult>(`/pools/${poolId}/claim`, { customerIds }),
    onSettled: invalidate,
  });
}

export function useAssign(poolId: string) {
  const invalidate = useInvalidatePools();
  return useMutation({
    mutationFn: (input: { customerIds: string[]; ownerId: string; reason?: string }) => api.post<BulkResult>(`/pools/${poolId}/assign`, input),
    onSettled: invalidate,
  });
}

export function useRelease() {
  const invalidate = useInvalidatePools();
  return useMutation({
    mutationFn: (input: { customerIds: string[]; reason: string; poolId?: string }) => api.post<BulkResult>("/pools/release", input),
    onSettled: invalidate,
  });
}

export function useSavePool() {
  const invalidate = useInvalidatePools();
  return useMutation({
    // An edit carries the version the form was opened with (If-Match): a pool changed meanwhile answers 412.
    mutationFn: ({ pool, input }: { pool: Pool | null; input: PoolInput }) =>
      pool ? api.patch<Pool>(`/pools/${pool.id}`, input, { ifMatch: pool.version }) : api.post<Pool>("/pools", input),
    onSuccess: invalidate,
  });
}

export function useDeletePool() {
  const invalidate = useInvalidatePools();
  return useMutation({ mutationFn: (id: string) => api.delete(`/pools/${id}`), onSuccess: invalidate });
}

export function useOwnershipLimits(enabled: boolean) {
  return useQuery({ queryKey: [...poolsKey, "limits"], enabled, queryFn: () => api.get<ListResponse<OwnershipLimit>>("/ownership-limits") });
}

export function usePutOwnershipLimit() {
  const invalidate = useInvalidatePools();
  return useMutation({ mutationFn: (input: OwnershipLimitInput) => api.put<ListResponse<OwnershipLimit>>("/ownership-limits", input), onSuccess: invalidate });
}

export function useDeleteOwnershipLimit() {
  const invalidate = useInvalidatePools();
  return useMutation({ mutationFn: (id: string) => api.delete(`/ownership-limits/${id}`), onSuccess: invalidate });
}

const runsKey = [...poolsKey, "recycle-runs"] as const;

/** The recycling job's recent runs; polls every 2 s while one is queued or running. */
export function useRecycleRuns() {
  return useQuery({
    queryKey: runsKey,
    queryFn: () => api.get<ListResponse<RecycleRun>>(withQuery("/pools/recycle-runs", { limit: 10 })),
    refetchInterval: (query) => ((query.state.data?.data ?? []).some((r) => r.status === "queued" || r.status === "running") ? 2000 : false),
  });
}

/** "Run now": queues the recycling job; when it ends, pools, lists and to-dos are refreshed by the poll's caller. */
export function useStartRecycleRun() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RecycleRun>("/pools/recycle-runs", {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runsKey }),
  });
}

/** Counts what the recycling job would take back now with the rules as edited (nothing is saved). */
export function useRecyclePreview(poolId: string) {
  return useMutation({
    mutationFn: (input: Pick<PoolInput, "exemptDealt" | "exemptLocked" | "rules">) => api.post<RecyclePreview>(`/pools/${poolId}/recycle-preview`, input),
  });
}
