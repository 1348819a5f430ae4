import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiRequest, withQuery } from "../../app/api";

export type TargetKind = "contract_amount" | "payment_amount";
export type SubjectType = "user" | "department";

export interface Figure {
  target: string;
  actual: string;
  percent: number | null;
}

export interface ReportRow {
  subjectId: string;
  name: string | null;
  months: Figure[];
  year: Figure;
  editable: boolean;
}

export interface SummaryItem {
  scope: "me" | "department";
  subjectId: string;
  subjectName: string | null;
  kind: TargetKind;
  month: Figure;
  year: Figure;
}

export interface Target {
  id: string;
  year: number;
  kind: TargetKind;
  subjectType: SubjectType;
  subjectId: string;
  subjectName: string | null;
  months: string[];
  yearTotal: string;
}

/** Every targets query starts with this key: approving a contract or payment invalidates it. */
export const targetsQueryKey = ["targets"] as const;

/**
 * Home-page widget. Actuals move when a contract or payment is approved (anywhere): mutations
 * that approve invalidate targetsQueryKey; on top, it refetches on focus and every 30 s.
 */
export function useTargetSummary() {
  return useQuery({
    queryKey: [...targetsQueryKey, "summary"],
    queryFn: () => api.get<{ today: string; items: SummaryItem[] }>("/targets/summary"),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
  });
}

export function useTargetReport(year: number, kind: TargetKind, subjectType: SubjectType) {
  return useQuery({
    queryKey: [...targetsQueryKey, "report", year, kind, subjectType],
    queryFn: () => api.get<{ rows: ReportRow[] }>(withQuery("/targets/report", { year, kind, subjectType })),
    refetchOnWindowFocus: true,
  });
}

export function useTargets(year: number, kind: TargetKind, subjectType: SubjectType) {
  return useQuery({
    queryKey: [...targetsQueryKey, "list", year, kind, subjectType],
    queryFn: () => api.get<{ data: Target[] }>(withQuery("/targets", { year, kind, subjectType })),
  });
}

export interface SetTargetsInput {
  year: number;
  kind: TargetKind;
  items: { subjectType: SubjectType; subjectId: string; months?: string[]; yearTotal?: string }[];
}

export function useSetTargets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetTargetsInput) => apiRequest<{ data: Target[] }>("PUT", "/targets", input),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: targetsQueryKey });
    },
  });
}

/** For modules whose mutations approve contracts or payments: refresh every targets view. */
export function useInvalidateTargets() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: targetsQueryKey });
}
