import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiRequest } from "../../app/api";
import { formatMoney } from "../../../common/money";
import { type Board, centsOf, type ClosedStatus, type Deal, type DealDetail, type DealInput, type DealPage } from "./deals-types";

export const dealsQueryKey = ["deals"] as const;
export const BOARD_PAGE = 20;

export interface BoardParams {
  pipelineId: string | null;
  ownerId: string | null;
  q: string;
}

function boardUrl(params: BoardParams): string {
  const search = new URLSearchParams({ perColumn: String(BOARD_PAGE) });
  if (params.pipelineId) {
    search.set("pipelineId", params.pipelineId);
  }
  if (params.ownerId) {
    search.set("ownerId", params.ownerId);
  }
  if (params.q.trim()) {
    search.set("q", params.q.trim());
  }
  return `/deals/board?${search.toString()}`;
}

export const boardKey = (params: BoardParams) => [...dealsQueryKey, "board", params] as const;

/** The kanban: each column's first page, count and amount sum. */
export function useBoard(params: BoardParams) {
  return useQuery({ queryKey: boardKey(params), queryFn: () => api.get<Board>(boardUrl(params)), staleTime: 10_000 });
}

/** More cards of one column: the list in the board's order, from the column's cursor. */
export async function fetchColumnPage(stageId: string, cursor: string, params: BoardParams): Promise<DealPage> {
  const search = new URLSearchParams({ stageId, status: "open", limit: String(BOARD_PAGE), cursor });
  if (params.ownerId) {
    search.set("ownerId", params.ownerId);
  }
  if (params.q.trim()) {
    search.set("q", params.q.trim());
  }
  return api.get<DealPage>(`/deals?${search.toString()}`);
}

export interface DealListParams {
  q: string;
  status: string[];
  pipelineId: string | null;
  stageId: string | null;
  ownerId: string | null;
  customerId?: string | null;
  sort: string;
}

export function dealsUrl(params: DealListParams, extra: Record<string, string> = {}): string {
  const search = new URLSearchParams();
  if (params.q.trim()) {
    search.set("q", params.q.trim());
  }
  if (params.status.length > 0) {
    search.set("status[in]", params.status.join(","));
  }
  for (const key of ["pipelineId", "stageId", "ownerId", "customerId"] as const) {
    const value = params[key];
    if (value) {
      search.set(key, value);
    }
  }
  search.set("sort", params.sort);
  for (const [key, value] of Object.entries(extra)) {
    search.set(key, value);
  }
  return `/deals?${search.toString()}`;
}

export function useDealsList(params: DealListParams, pageSize = 50) {
  return useInfiniteQuery({
    queryKey: [...dealsQueryKey, "list", params, pageSize],
    queryFn: ({ pageParam }) => api.get<DealPage>(dealsUrl(params, { limit: String(pageSize), ...(pageParam ? { cursor: pageParam } : { count: "true" }) })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
}

export function useDeal(id: string | null) {
  return useQuery({ queryKey: [...dealsQueryKey, "one", id], queryFn: () => api.get<DealDetail>(`/deals/${id ?? ""}`), enabled: Boolean(id), retry: false });
}

/** Refreshes everything that shows deals: lists, the board, a customer's 360° page and timeline. */
export function useInvalidateDeals() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: dealsQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["customer360"] }),
      queryClient.invalidateQueries({ queryKey: ["timeline"] }),
    ]);
}

export function useCreateDeal() {
  const invalidate = useInvalidateDeals();
  return useMutation({ mutationFn: (body: DealInput) => api.post<DealDetail>("/deals", body), onSuccess: invalidate });
}

export function useUpdateDeal() {
  const invalidate = useInvalidateDeals();
  return useMutation({
    mutationFn: ({ id, version, body }: { id: string; version: number; body: DealInput }) => api.patch<DealDetail>(`/deals/${id}`, body, { ifMatch: version }),
    onSuccess: invalidate,
  });
}

/**
 * Drag and drop: the card moves at once in every cached board (optimistic); the server checks
 * the version (If-Match) and on refusal the boards are put back as they were.
 */
export function useMoveDeal() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateDeals();
  return useMutation({
    mutationFn: ({ deal, stageId }: { deal: Deal; stageId: string }) => apiRequest<DealDetail>("POST", `/deals/${deal.id}/move`, { stageId }, { ifMatch: deal.version }),
    onMutate: async ({ deal, stageId }) => {
      await queryClient.cancelQueries({ queryKey: [...dealsQueryKey, "board"] });
      const before = queryClient.getQueriesData<Board>({ queryKey: [...dealsQueryKey, "board"] });
      queryClient.setQueriesData<Board>({ queryKey: [...dealsQueryKey, "board"] }, (board) => (board ? moveInBoard(board, deal, stageId) : board));
      return { before };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.before ?? []) {
        queryClient.setQueryData(key, data);
      }
    },
    onSettled: invalidate,
  });
}

/** A column's amount moved by some cents (exact: through cents, never floats); hidden stays hidden. */
function shift(amount: string | undefined, cents: number): string | undefined {
  return amount === undefined ? undefined : formatMoney(centsOf(amount) + cents);
}

function moveInBoard(board: Board, deal: Deal, stageId: string): Board {
  const amount = centsOf(deal.amount);
  return {
    ...board,
    columns: board.columns.map((c) => {
      if (c.stageId === deal.stageId && c.stageId !== stageId) {
        return { ...c, count: c.count - 1, amount: shift(c.amount, -amount), deals: c.deals.filter((d) => d.id !== deal.id) };
      }
      if (c.stageId === stageId && deal.stageId !== stageId) {
        const moved = { ...deal, stageId, stageName: c.name, winProbability: c.winProbability };
        return { ...c, count: c.count + 1, amount: shift(c.amount, amount), deals: [moved, ...c.deals] };
      }
      return c;
    }),
  };
}

/** Won / lost / invalid: the card leaves the board at once. */
export function useCloseDeal() {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateDeals();
  return useMutation({
    mutationFn: ({ deal, status, reason }: { deal: Deal; status: ClosedStatus; reason?: string | null }) =>
      apiRequest<DealDetail>("POST", `/deals/${deal.id}/close`, { status, reason: reason ?? null }, { ifMatch: deal.version }),
    onMutate: async ({ deal }) => {
      await queryClient.cancelQueries({ queryKey: [...dealsQueryKey, "board"] });
      const before = queryClient.getQueriesData<Board>({ queryKey: [...dealsQueryKey, "board"] });
      queryClient.setQueriesData<Board>({ queryKey: [...dealsQueryKey, "board"] }, (board) =>
        board
          ? {
              ...board,
              columns: board.columns.map((c) =>
                c.deals.some((d) => d.id === deal.id)
                  ? { ...c, count: c.count - 1, amount: shift(c.amount, -centsOf(deal.amount)), deals: c.deals.filter((d) => d.id !== deal.id) }
                  : c,
              ),
            }
          : board,
      );
      return { before };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.before ?? []) {
        queryClient.setQueryData(key, data);
      }
    },
    onSettled: invalidate,
  });
}

export function useReopenDeal() {
  const invalidate = useInvalidateDeals();
  return useMutation({ mutationFn: (deal: Deal) => apiRequest<DealDetail>("POST", `/deals/${deal.id}/reopen`, {}, { ifMatch: deal.version }), onSuccess: invalidate });
}

export function useDeleteDeal() {
  const invalidate = useInvalidateDeals();
  return useMutation({ mutationFn: (id: string) => api.delete(`/deals/${id}`), onSuccess: invalidate });
}


