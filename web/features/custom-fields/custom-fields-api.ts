import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";
import type { ListResponse } from "../../app/api-types";
import type { CustomFieldType } from "../../../common/custom-fields";
import type { CustomFieldDefinition, CustomFieldOption } from "../customers/customer-types";

export type CustomizableEntity = "customer" | "contact" | "lead" | "deal" | "product" | "contract";
export const CUSTOMIZABLE_ENTITIES: readonly CustomizableEntity[] = ["customer", "contact", "lead", "deal", "product", "contract"];

export const customFieldsKey = (entity: CustomizableEntity) => ["customFields", entity] as const;

/** The definitions of an entity's custom fields, in their display order. */
export function useCustomFields(entity: CustomizableEntity) {
  return useQuery({
    queryKey: customFieldsKey(entity),
    queryFn: () => api.get<ListResponse<CustomFieldDefinition>>(`/custom-fields/${entity}`),
    staleTime: 5 * 60_000,
  });
}

export interface CreateCustomFieldInput {
  key: string;
  label: string;
  type: CustomFieldType;
  required: boolean;
  unique: boolean;
  options: CustomFieldOption[];
}

export type UpdateCustomFieldInput = Partial<Pick<CreateCustomFieldInput, "label" | "required" | "unique" | "options">> & {
  sort?: number;
};

function useInvalidateFields(entity: CustomizableEntity) {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: customFieldsKey(entity) }),
      // Lists and records present custom values through the definitions.
      queryClient.invalidateQueries({ queryKey: ["customers"] }),
    ]);
  };
}

export function useCreateCustomField(entity: CustomizableEntity) {
  const invalidate = useInvalidateFields(entity);
  return useMutation({
    mutationFn: (input: CreateCustomFieldInput) => api.post<CustomFieldDefinition>(`/custom-fields/${entity}`, input),
    onSuccess: invalidate,
  });
}

export function useUpdateCustomField(entity: CustomizableEntity) {
  const invalidate = useInvalidateFields(entity);
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateCustomFieldInput }) =>
      api.patch<CustomFieldDefinition>(`/custom-fields/${entity}/${id}`, changes),
    onSuccess: invalidate,
  });
}

/** Moves fields by writing each one's new position (only the ones that changed). */
export function useReorderCustomFields(entity: CustomizableEntity) {
  const invalidate = useInvalidateFields(entity);
  return useMutation({
    mutationFn: async (moves: { id: string; sort: number }[]) => {
      for (const move of moves) {
        await api.patch<CustomFieldDefinition>(`/custom-fields/${entity}/${move.id}`, { sort: move.sort });
      }
    },
    onSettled: invalidate,
  });
}

export function useDeleteCustomField(entity: CustomizableEntity) {
  const invalidate = useInvalidateFields(entity);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/custom-fields/${entity}/${id}`),
    onSuccess: invalidate,
  });
}
