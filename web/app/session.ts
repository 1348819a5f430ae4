import { useQuery } from "@tanstack/react-query";
import { createContext, useCallback, useContext } from "react";
import { ApiError, api, setCsrfToken } from "./api";
import type { FieldRuleValue, Me } from "./api-types";

export const meQueryKey = ["me"] as const;
export const setupQueryKey = ["setup"] as const;

/** The signed-in user, or null when nobody is signed in. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>("/auth/me");
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useMeQuery() {
  return useQuery({ queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 });
}

export function useSetupStatusQuery() {
  return useQuery({
    queryKey: setupQueryKey,
    queryFn: () => api.get<{ needsSetup: boolean }>("/setup"),
    staleTime: Infinity,
  });
}

export const SessionContext = createContext<Me | null>(null);

/** The signed-in user; only valid below the authenticated routes. */
export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) {
    throw new Error("useSession used outside an authenticated route");
  }
  return me;
}

/** Returns a predicate telling whether the user holds a permission such as "user:edit". */
export function useCan(): (permission: string) => boolean {
  const me = useSession();
  return useCallback((permission: string) => me.permissions.actions[permission] !== undefined, [me]);
}

const DEFAULT_FIELD_RULE: FieldRuleValue = { access: "edit", masked: false };

/** Returns the user's effective rule for a field of `entity` (default: editable, not masked). */
export function useFieldRules(entity: string): (field: string) => FieldRuleValue {
  const me = useSession();
  return useCallback(
    (field: string) => me.permissions.fields[entity]?.[field] ?? DEFAULT_FIELD_RULE,
    [me, entity],
  );
}
