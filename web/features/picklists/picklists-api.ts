import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../app/api";
import type { PicklistOption } from "../customers/customer-types";

export const PICKLIST_KEYS = ["customer.level", "customer.source", "customer.industry", "followUp.type", "payment.method"] as const;
export type PicklistKey = (typeof PICKLIST_KEYS)[number];

/** Option lists with labels in the UI language (the server translates the defaults). */
export function usePicklists() {
  const { i18n } = useTranslation();
  return useQuery({
    queryKey: ["picklists", i18n.language],
    queryFn: () => api.get<{ lists: Record<string, PicklistOption[] | undefined> }>("/picklists"),
    staleTime: 5 * 60_000,
  });
}

const NO_OPTIONS: PicklistOption[] = [];

/** The options of one list (inactive ones included: they still label old values). */
export function usePicklist(key: PicklistKey): PicklistOption[] {
  const lists = usePicklists();
  return lists.data?.lists[key] ?? NO_OPTIONS;
}

/** Maps a stored value to its option, falling back to the value itself. */
export function usePicklistLookup(key: PicklistKey): (value: string | null | undefined) => PicklistOption | null {
  const options = usePicklist(key);
  return useCallback(
    (value: string | null | undefined) => {
      if (value === null || value === undefined || value === "") {
        return null;
      }
      return options.find((option) => option.value === value) ?? { value, label: value, color: null, active: false };
    },
    [options],
  );
}

export interface PicklistOptionInput {
  value: string;
  label: string;
  color?: string | null;
  active?: boolean;
}

export function useReplacePicklist() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ key, options }: { key: PicklistKey; options: PicklistOptionInput[] }) =>
      api.put<{ options: PicklistOption[] }>(`/picklists/${key}`, { options }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["picklists"] });
    },
  });
}
