import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { FieldRule, ListResponse, PermissionCatalog, PermissionGrant, Role, RoleSummary } from "../../app/api-types";

export const rolesQueryKey = ["roles"] as const;

export interface RoleInput {
  name: string;
  description?: string | null;
  permissions: PermissionGrant[];
  fieldRules: FieldRule[];
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: [...rolesQueryKey, "list"],
    queryFn: async () => (await api.get<ListResponse<RoleSummary>>("/roles")).data,
    enabled,
  });
}

export function useRole(id: string | undefined) {
  return useQuery({
    queryKey: [...rolesQueryKey, "detail", id],
    queryFn: () => api.get<Role>(`/roles/${id ?? ""}`),
    enabled: id !== undefined,
  });
}

export function usePermissionCatalog() {
  return useQuery({
    queryKey: ["permission-catalog"],
    queryFn: () => api.get<PermissionCatalog>("/permissions/catalog"),
    staleTime: Infinity,
  });
}

function useInvalidateRoles() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: rolesQueryKey }),
      // A role change may change what I may do myself.
      queryClient.invalidateQueries({ queryKey: ["me"] }),
      queryClient.invalidateQueries({ queryKey: ["users"] }),
    ]);
  };
}

export function useSaveRole() {
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: ({ role, input }: { role: Role | null; input: RoleInput }) =>
      role === null
        ? api.post<Role>("/roles", input)
        : api.patch<Role>(`/roles/${role.id}`, input, { ifMatch: role.version }),
    onSuccess: invalidate,
  });
}

export function useDeleteRole() {
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/roles/${id}`),
    onSuccess: invalidate,
  });
}
