import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, setCsrfToken } from "../../app/api";
import type { Me, User } from "../../app/api-types";
import { fetchMe, meQueryKey, setupQueryKey } from "../../app/session";

export interface LoginInput {
  email: string;
  password: string;
}

export async function login(input: LoginInput): Promise<void> {
  const result = await api.post<{ user: User; csrfToken: string }>("/auth/login", input);
  setCsrfToken(result.csrfToken);
}

/**
 * After a login or setup: drop whatever an earlier session cached and load the new
 * user's /auth/me before the signed-in pages render.
 */
export function useStartSession(): () => Promise<Me | null> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    queryClient.removeQueries({
      predicate: (query) => query.queryKey[0] !== meQueryKey[0] && query.queryKey[0] !== setupQueryKey[0],
    });
    return queryClient.fetchQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 0 });
  }, [queryClient]);
}
