import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../app/api";

/** GET /workspace (server/modules/workspace/workspace.routes.ts). */
export interface WorkspaceSettings {
  id: string;
  name: string;
  currency: string;
  locale: string;
  timezone: string;
  settings: { recycleBinDays: number };
  /** Sent back as If-Match: settings another admin changed meanwhile answer 412 instead of being overwritten. */
  version: number;
}

const key = ["workspace", "settings"] as const;

export function useWorkspaceSettings() {
  return useQuery({ queryKey: key, queryFn: () => api.get<WorkspaceSettings>("/workspace") });
}

/** PATCH /workspace: the stored settings are merged, so only the changed one is sent, with the version it is based on. */
export function useSaveRecycleBinDays() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ recycleBinDays, version }: { recycleBinDays: number; version: number }) =>
      api.patch<WorkspaceSettings>("/workspace", { settings: { recycleBinDays } }, { ifMatch: version }),
    onSuccess: (saved) => queryClient.setQueryData(key, saved),
  });
}
