import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import { importEntityInfo } from "./import-entities";

/** An entity the server registers for import: customer, contact, lead, product, … */
export type ImportEntity = string;
export type DuplicateMode = "skip" | "update" | "create";
export type ImportStatus = "uploaded" | "queued" | "running" | "done" | "failed" | "cancelled";

export interface ImportColumn {
  index: number;
  header: string;
  sample: unknown[];
}

export interface ImportUpload {
  id: string;
  entity?: ImportEntity;
  fileName?: string;
  columns: ImportColumn[];
  encoding: string | null;
  /** Data rows; an estimate for big files unless rowCountExact. */
  rowCount: number | null;
  rowCountExact?: boolean;
  guesses: Record<string, string | null | undefined>;
  /** The entity's built-in fields a column may map to (custom fields are `cf.<key>`). */
  fields?: string[];
  /** Fields the mapping must include. */
  requiredFields?: string[];
}

/** Column index → target field (`name`, `cf.<key>`) or null to ignore the column. */
export type Mapping = Record<string, string | null>;

export interface DuplicateRef {
  /** The existing record, or null when the duplicate is an earlier row of the same file. */
  id: string | null;
  name: string | null;
  rowNumber: number | null;
  /** The dedupe key that matched: name, phone, email, or an entity's own (a product's code). */
  reason: string;
  /** false: the existing record is outside the caller's data scope. */
  visible: boolean;
}

export type RowAction = "create" | "update" | "skip" | "fail";

export interface PreviewRow {
  rowNumber: number;
  /** Keyed by target field. */
  values: Record<string, unknown>;
  errors: { field: string; message: string }[];
  duplicateOf?: DuplicateRef | null;
  action?: RowAction;
}

export interface ImportPreview {
  rows: PreviewRow[];
  validCount: number;
  errorCount: number;
  duplicateCount?: number;
}

export interface ImportJob {
  id: string;
  status: ImportStatus;
  entity?: ImportEntity;
  fileName?: string | null;
  duplicateMode?: DuplicateMode | null;
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  /** While running: "rows", then "indexing" (SQLite makes the new records searchable after the rows). */
  stage?: "rows" | "indexing" | null;
  indexed?: number | null;
  toIndex?: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  createdAt?: string;
  error?: string | null;
}

export const FINISHED: readonly ImportStatus[] = ["done", "failed", "cancelled"];

export const importsKey = ["imports"] as const;

/** The empty file to fill in for an entity (GET /imports/template), with the user's columns and language. */
export function templateFileUrl(entity: ImportEntity, format: "xlsx" | "csv"): string {
  return `/api/v1/imports/template?entity=${encodeURIComponent(entity)}&format=${format}`;
}

export function errorsFileUrl(id: string): string {
  return `/api/v1/imports/${id}/errors`;
}

export function useUploadImport() {
  return useMutation({
    mutationFn: ({ file, entity }: { file: File; entity: ImportEntity }) => {
      const form = new FormData();
      // Fields before the file: a streaming multipart parser sees `entity` first.
      form.append("entity", entity);
      form.append("file", file, file.name);
      return api.upload<ImportUpload>("/imports", form);
    },
  });
}

/** The first rows as they would be imported; a pure read, so cached per mapping and mode. */
export function useImportPreview(id: string, mapping: Mapping, duplicateMode: DuplicateMode) {
  return useQuery({
    queryKey: [...importsKey, "preview", id, mapping, duplicateMode],
    queryFn: () => api.post<ImportPreview>(`/imports/${id}/preview`, { mapping, duplicateMode }),
    staleTime: 60_000,
  });
}

export function useStartImport(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { mapping: Mapping; duplicateMode: DuplicateMode }) =>
      api.post<unknown>(`/imports/${id ?? ""}/start`, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...importsKey, "list"] }),
  });
}

/** The job's progress, polled every second until it finishes. */
export function useImportJob(id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...importsKey, "job", id],
    queryFn: async () => {
      const job = await api.get<ImportJob>(`/imports/${id ?? ""}`);
      if (FINISHED.includes(job.status)) {
        // New records exist now: the entity's lists, counts and agendas are stale.
        const keys = importEntityInfo(job.entity)?.queryKeys ?? [["customers"]];
        await Promise.all([
          ...keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })),
          queryClient.invalidateQueries({ queryKey: [...importsKey, "list"] }),
        ]);
      }
      return job;
    },
    enabled: id !== null,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && FINISHED.includes(status) ? false : 1000;
    },
    staleTime: 0,
  });
}

export function useCancelImport(id: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>(`/imports/${id ?? ""}/cancel`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: importsKey }),
  });
}

export function useImportsList() {
  return useInfiniteQuery({
    queryKey: [...importsKey, "list"],
    queryFn: ({ pageParam }) => api.get<Page<ImportJob>>(withQuery("/imports", { limit: 50, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
