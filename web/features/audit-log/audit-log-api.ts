import { useInfiniteQuery } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { AuditEntry, Page } from "../../app/api-types";

export interface AuditFilters {
  userId: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
}

const PAGE_SIZE = 50;

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: ["audit-log", filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntry>>(
        withQuery("/audit-log", {
          userId: filters.userId,
          action: filters.action,
          from: filters.from,
          to: filters.to,
          limit: PAGE_SIZE,
          cursor: pageParam,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
