import { useInfiniteQuery } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { AuditEntry, Page } from "../../app/api-types";

export interface AuditFilters {
  userId: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
}

/** Every action the server records (docs/platform-api.md), for the filter. */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "auth.password_changed",
  "setup.completed",
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.activated",
  "user.password_reset",
  "department.created",
  "department.updated",
  "department.deleted",
  "role.created",
  "role.updated",
  "role.deleted",
  "api_key.created",
  "api_key.revoked",
  "api_key.used",
] as const;

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
