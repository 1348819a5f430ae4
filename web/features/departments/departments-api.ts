import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { Department, ListResponse } from "../../app/api-types";

export const departmentsQueryKey = ["departments"] as const;

export interface CreateDepartmentInput {
  name: string;
  parentId?: string | null;
  leaderId?: string | null;
}

export interface UpdateDepartmentInput {
  name?: string;
  parentId?: string | null;
  leaderId?: string | null;
  sort?: number;
}

export function useDepartments(enabled = true) {
  return useQuery({
    queryKey: departmentsQueryKey,
    queryFn: async () => (await api.get<ListResponse<Department>>("/departments")).data,
    enabled,
  });
}

function useInvalidateDepartments() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: departmentsQueryKey }),
      // Users show their department's name.
      queryClient.invalidateQueries({ queryKey: ["users"] }),
    ]);
  };
}

export function useCreateDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: (input: CreateDepartmentInput) => api.post<Department>("/departments", input),
    onSuccess: invalidate,
  });
}

export function useUpdateDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: ({ department, changes }: { department: Department; changes: UpdateDepartmentInput }) =>
      api.patch<Department>(`/departments/${department.id}`, changes, { ifMatch: department.version }),
    onSuccess: invalidate,
  });
}

export function useDeleteDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/departments/${id}`),
    onSuccess: invalidate,
  });
}

/**
 * Applies a move as the minimum set of PATCHes: the moved department gets its new parent
 * and position, and siblings whose position changed are renumbered.
 */
export function useMoveDepartment() {
  const invalidate = useInvalidateDepartments();
  return useMutation({
    mutationFn: async (move: { departments: Department[]; id: string; parentId: string | null; index: number }) => {
      const moved = move.departments.find((d) => d.id === move.id);
      if (!moved) {
        return;
      }
      const siblings = sortDepartments(
        move.departments.filter((d) => d.parentId === move.parentId && d.id !== move.id),
      );
      const index = Math.max(0, Math.min(move.index, siblings.length));
      siblings.splice(index, 0, moved);
      const changes: UpdateDepartmentInput = { sort: index };
      if (moved.parentId !== move.parentId) {
        changes.parentId = move.parentId;
      }
      // The moved department first: a cycle (422) or a tree changed meanwhile (412) must stop the renumbering.
      await api.patch<Department>(`/departments/${moved.id}`, changes, { ifMatch: moved.version });
      for (const [position, sibling] of siblings.entries()) {
        if (sibling.id !== moved.id && sibling.sort !== position) {
          await api.patch<Department>(`/departments/${sibling.id}`, { sort: position }, { ifMatch: sibling.version });
        }
      }
    },
    onSettled: invalidate,
  });
}

/** Siblings in display order: by sort, then by name. */
export function sortDepartments(list: Department[]): Department[] {
  return [...list].sort((a, b) => a.sort - b.sort || a.name.localeCompare(b.name));
}

export interface DepartmentNode {
  department: Department;
  children: DepartmentNode[];
}

/** Builds the tree from the flat list; departments whose parent is missing become roots. */
export function buildDepartmentTree(list: Department[]): DepartmentNode[] {
  const ids = new Set(list.map((d) => d.id));
  const byParent = new Map<string | null, Department[]>();
  for (const department of list) {
    const parent = department.parentId !== null && ids.has(department.parentId) ? department.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), department]);
  }
  const build = (parentId: string | null, seen: Set<string>): DepartmentNode[] =>
    sortDepartments(byParent.get(parentId) ?? [])
      .filter((d) => !seen.has(d.id))
      .map((department) => {
        const nextSeen = new Set(seen).add(department.id);
        return { department, children: build(department.id, nextSeen) };
      });
  return build(null, new Set());
}
