import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import { todoQueryKey } from "../home/todo-api";

export type ApprovalMode = "all" | "any";
export type InstanceStatus = "pending" | "approved" | "rejected" | "withdrawn";
export type TaskStatus = "pending" | "approved" | "rejected" | "closed";

export type ApproverSpec =
  | { kind: "user"; userId: string }
  | { kind: "role"; roleId: string }
  | { kind: "manager"; levels: number };

export interface FlowStep {
  name: string;
  mode: ApprovalMode;
  approvers: ApproverSpec[];
  missingManager: "skip" | "admin";
}

export interface ApprovalFlow {
  id: string;
  subjectType: string;
  name: string;
  description: string | null;
  priority: number;
  /** Amount bounds as decimal strings ("10000.00"); null = no bound. */
  minAmount: string | null;
  maxAmount: string | null;
  active: boolean;
  steps: FlowStep[];
  version: number;
}

export interface FlowInput {
  subjectType?: string;
  name: string;
  description?: string | null;
  priority: number;
  /** Amount bounds as decimal strings ("10000.00"); null = no bound. */
  minAmount: string | null;
  maxAmount: string | null;
  active: boolean;
  steps: FlowStep[];
}

interface UserRef {
  id: string;
  name: string | null;
}

export interface ApprovalTask {
  id: string;
  stepIndex: number;
  approver: UserRef;
  status: TaskStatus;
  comment: string | null;
  actedAt: string | null;
}

export interface ApprovalInstance {
  id: string;
  subjectType: string;
  subjectId: string;
  title: string | null;
  path: string | null;
  flowName: string | null;
  submitter: UserRef;
  amount: string | null;
  status: InstanceStatus;
  currentStep: number;
  steps: { index: number; name: string; mode: ApprovalMode; state: string; tasks: ApprovalTask[] }[];
  history: { id: string; stepName: string | null; actor: UserRef | null; action: string; comment: string | null; createdAt: string }[];
  can: { approve: boolean; reject: boolean; withdraw: boolean };
  createdAt: string;
  decidedAt: string | null;
}

export interface ApprovalRow {
  instanceId: string;
  taskId: string | null;
  subjectType: string;
  subjectId: string;
  title: string | null;
  path: string | null;
  flowName: string | null;
  stepName: string | null;
  submitter: UserRef;
  amount: string | null;
  instanceStatus: InstanceStatus;
  taskStatus: TaskStatus | null;
  comment: string | null;
  createdAt: string;
  actedAt: string | null;
}

export const approvalsQueryKey = ["approvals"] as const;
export type ApprovalTab = "waiting" | "done" | "submitted";

export function useApprovalRows(tab: ApprovalTab) {
  return useInfiniteQuery({
    queryKey: [...approvalsQueryKey, "rows", tab],
    queryFn: ({ pageParam }) =>
      api.get<Page<ApprovalRow>>(
        tab === "submitted"
          ? withQuery("/approvals/submitted", { limit: 50, cursor: pageParam })
          : withQuery("/approvals/tasks", { status: tab === "waiting" ? "pending" : "done", limit: 50, cursor: pageParam }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useApproval(id: string | null) {
  return useQuery({
    queryKey: [...approvalsQueryKey, "one", id],
    queryFn: () => api.get<ApprovalInstance>(`/approvals/${id ?? ""}`),
    enabled: id !== null,
  });
}

/** After any decision: approvals, to-do counts and every subject page (contracts, payments…) may have moved. */
export function useInvalidateApprovals() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(
      [approvalsQueryKey, todoQueryKey, ["contracts"], ["payments"], ["targets"], ["customer360"]].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey }),
      ),
    );
  };
}

export function useDecideApproval() {
  const invalidate = useInvalidateApprovals();
  return useMutation({
    mutationFn: (input: { id: string; action: "approve" | "reject" | "withdraw"; comment: string | null }) =>
      api.post<ApprovalInstance>(`/approvals/${input.id}/${input.action}`, { comment: input.comment }),
    onSuccess: invalidate,
  });
}

export function useApprovalFlows() {
  return useQuery({
    queryKey: [...approvalsQueryKey, "flows"],
    queryFn: () => api.get<{ data: ApprovalFlow[]; subjectTypes: string[] }>("/approval-flows"),
  });
}

export function useSaveFlow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string | null; version?: number; body: FlowInput }) =>
      input.id
        ? api.patch<ApprovalFlow>(`/approval-flows/${input.id}`, input.body, { ifMatch: input.version })
        : api.post<ApprovalFlow>("/approval-flows", input.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: approvalsQueryKey }),
  });
}

export function useDeleteFlow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/approval-flows/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: approvalsQueryKey }),
  });
}
