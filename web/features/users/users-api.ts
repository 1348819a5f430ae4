import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page, User, UserStatus } from "../../app/api-types";

export interface UserFilters {
  q: string;
  status: UserStatus | null;
}

export interface CreateUserInput {
  name: string;
  email: string;
  phone?: string | null;
  departmentId?: string | null;
  managerId?: string | null;
  roleIds: string[];
  password: string;
}

export type UpdateUserInput = Partial<Omit<CreateUserInput, "password">>;

const PAGE_SIZE = 50;

export const usersQueryKey = ["users"] as const;

export function useUsersList(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: [...usersQueryKey, "list", filters],
    queryFn: ({ pageParam }) =>
      api.get<Page<User>>(
        withQuery("/users", { q: filters.q, status: filters.status, limit: PAGE_SIZE, cursor: pageParam }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Users matching `q` for pickers (manager, leader, audit filter). */
export function useUserOptions(q: string, enabled = true) {
  return useQuery({
    queryKey: [...usersQueryKey, "options", q],
    queryFn: () => api.get<Page<User>>(withQuery("/users", { q, status: "active", limit: 20 })),
    enabled,
    staleTime: 30_000,
  });
}

/** Everything that shows user-derived numbers (member counts, user counts) goes stale too. */
function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: usersQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["departments"] }),
      queryClient.invalidateQueries({ queryKey: ["roles"] }),
    ]);
  };
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<User>("/users", input),
    onSuccess: invalidate,
  });
}

export function useUpdateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, version, changes }: { id: string; version: number; changes: UpdateUserInput }) =>
      api.patch<User>(`/users/${id}`, changes, { ifMatch: version }),
    onSuccess: invalidate,
  });
}

export function useSetUserStatus() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, active }: { id: string; active: boolean }) =>
      api.post<User>(`/users/${id}/${active ? "activate" : "deactivate"}`),
    onSuccess: invalidate,
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post<void>(`/users/${id}/reset-password`, { password }),
  });
}
