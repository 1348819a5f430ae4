import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiRequest, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import { todoQueryKey } from "../home/todo-api";
import { targetsQueryKey } from "../targets/targets-api";

export type PlanStatus = "pending" | "partial" | "paid" | "overdue";
export type PaymentStatus = "pending" | "approved" | "rejected" | "withdrawn";

export interface PaymentPlan {
  id: string;
  contractId: string;
  contractNumber: string | null;
  contractName: string | null;
  customerId: string;
  customerName: string | null;
  period: number;
  amount: string;
  paid: string;
  outstanding: string;
  /** The workspace currency of the amounts. */
  currency: string;
  dueDate: string;
  remindDays: number;
  status: PlanStatus;
  remark: string | null;
  access: { edit: boolean };
  version: number;
}

export interface Payment {
  id: string;
  contractId: string;
  contractNumber: string | null;
  contractName: string | null;
  customerId: string;
  customerName: string | null;
  planId: string | null;
  planPeriod: number | null;
  amount: string;
  /** The workspace currency of the amount. */
  currency: string;
  paidOn: string;
  /** Absent when a field rule hides it. */
  method?: string;
  remark?: string | null;
  ownerId: string | null;
  ownerName: string | null;
  status: PaymentStatus;
  approvalId: string | null;
  approvedAt: string | null;
  createdBy: string | null;
  access: { edit: boolean; delete: boolean };
  createdAt: string;
  version: number;
}

export interface PaymentSummary {
  contractId: string;
  total: string;
  received: string;
  pending: string;
  outstanding: string;
  available: string;
  planned: string;
}

/** A customer's 回款 over its approved contracts the caller may see (GET /customers/:id/payment-summary). */
export interface CustomerPaymentSummary {
  customerId: string;
  contracts: number;
  total: string;
  received: string;
  pending: string;
  outstanding: string;
  overduePlans: number;
  overdue: string;
  currency: string;
}

export const paymentsQueryKey = ["payments"] as const;
const PAGE_SIZE = 50;

export interface PaymentFilter {
  contractId?: string;
  customerId?: string;
  status?: PaymentStatus;
}

export function usePayments(filter: PaymentFilter) {
  return useInfiniteQuery({
    queryKey: [...paymentsQueryKey, "list", filter],
    queryFn: ({ pageParam }) => api.get<Page<Payment>>(withQuery("/payments", { ...filter, limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export interface PlanFilter {
  contractId?: string;
  customerId?: string;
  status?: PlanStatus;
  due?: "soon" | "overdue";
}

export function usePlans(filter: PlanFilter, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: [...paymentsQueryKey, "plans", filter],
    queryFn: ({ pageParam }) => api.get<Page<PaymentPlan>>(withQuery("/payment-plans", { ...filter, limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function usePaymentSummary(contractId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...paymentsQueryKey, "summary", contractId],
    queryFn: () => api.get<PaymentSummary>(`/contracts/${contractId}/payment-summary`),
  });
}

export function useCustomerPaymentSummary(customerId: string, enabled: boolean) {
  return useQuery({
    enabled,
    // Under the 360° page's key: contract changes (approval, void) refresh it as well as payment ones.
    queryKey: ["customer360", "payment-summary", customerId],
    queryFn: () => api.get<CustomerPaymentSummary>(`/customers/${customerId}/payment-summary`),
  });
}

/**
 * A contract one may record a payment on, as the picker shows it. Only identity fields: the money
 * fields of the contract API are its own module's business.
 */
export interface ContractOption {
  id: string;
  number: string;
  name: string;
  customerId: string;
  customerName: string | null;
}

/** Approved contracts (only those take payments) matching `q` (name or number), optionally of one customer. */
export function useContractOptions(q: string, customerId: string | undefined) {
  return useQuery({
    queryKey: [...paymentsQueryKey, "contract-options", q, customerId ?? null],
    queryFn: () => api.get<Page<ContractOption>>(withQuery("/contracts", { status: "approved", q: q || undefined, customerId, limit: 20 })),
  });
}

/**
 * After any payment change: payments, plans, summaries, the to-do counts, the targets widget
 * (a payment approved at once moves the actuals) and the contract views showing received amounts.
 */
export function useInvalidatePayments() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: paymentsQueryKey }),
      queryClient.invalidateQueries({ queryKey: todoQueryKey }),
      queryClient.invalidateQueries({ queryKey: targetsQueryKey }),
      queryClient.invalidateQueries({ queryKey: ["contracts"] }),
      queryClient.invalidateQueries({ queryKey: ["customer360"] }),
    ]);
  };
}

export interface PaymentInput {
  contractId: string;
  planId?: string | null;
  amount: string;
  paidOn: string;
  method: string;
  remark?: string | null;
}

export function useCreatePayment() {
  const invalidate = useInvalidatePayments();
  return useMutation({ mutationFn: (input: PaymentInput) => api.post<Payment>("/payments", input), onSuccess: invalidate });
}

export function usePaymentAction() {
  const invalidate = useInvalidatePayments();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: "submit" | "withdraw" | "delete" }) =>
      action === "delete" ? apiRequest<undefined>("DELETE", `/payments/${id}`) : api.post<Payment>(`/payments/${id}/${action}`),
    onSuccess: invalidate,
  });
}

export interface PlanInput {
  contractId: string;
  period?: number;
  amount: string;
  dueDate: string;
  remindDays: number;
  remark?: string | null;
}

export function useSavePlan() {
  const invalidate = useInvalidatePayments();
  return useMutation({
    mutationFn: ({ id, input, version }: { id: string | null; input: PlanInput; version?: number }) =>
      id
        ? apiRequest<PaymentPlan>("PATCH", `/payment-plans/${id}`, { amount: input.amount, dueDate: input.dueDate, remindDays: input.remindDays, remark: input.remark ?? null, ...(input.period ? { period: input.period } : {}) }, version === undefined ? {} : { ifMatch: version })
        : api.post<PaymentPlan>("/payment-plans", input),
    onSuccess: invalidate,
  });
}

export function useDeletePlan() {
  const invalidate = useInvalidatePayments();
  return useMutation({ mutationFn: (id: string) => apiRequest<undefined>("DELETE", `/payment-plans/${id}`), onSuccess: invalidate });
}
