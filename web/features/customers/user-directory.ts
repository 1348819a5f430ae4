import { useQueries, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, withQuery } from "../../app/api";
import type { Page, User } from "../../app/api-types";
import { useCan } from "../../app/session";

/**
 * Names for user ids shown in lists (custom "user" fields) and pickers. The first 200 users
 * cover most workspaces in one request; ids beyond them are looked up one by one.
 */
export function useUserNames(ids: readonly string[]): Map<string, string> {
  const can = useCan();
  const allowed = can("user:view");
  const directory = useQuery({
    queryKey: ["users", "directory"],
    queryFn: () => api.get<Page<User>>(withQuery("/users", { limit: 200 })),
    enabled: allowed && ids.length > 0,
    staleTime: 5 * 60_000,
  });
  const known = useMemo(() => new Map((directory.data?.data ?? []).map((u) => [u.id, u.name])), [directory.data]);
  const missing = useMemo(
    () => (directory.isSuccess ? [...new Set(ids)].filter((id) => !known.has(id)).slice(0, 50) : []),
    [directory.isSuccess, ids, known],
  );
  const singles = useQueries({
    queries: missing.map((id) => ({
      queryKey: ["users", "one", id],
      queryFn: () => api.get<User>(`/users/${id}`),
      enabled: allowed,
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  const singleNames = singles.map((q) => (q.data ? `${q.data.id}\u0000${q.data.name}` : "")).join("\u0001");
  return useMemo(() => {
    const names = new Map(known);
    for (const entry of singleNames.split("\u0001")) {
      const [id, name] = entry.split("\u0000");
      if (id && name) {
        names.set(id, name);
      }
    }
    return names;
  }, [known, singleNames]);
}
