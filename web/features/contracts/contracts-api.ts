import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import type { ApprovalInstance } from "../approvals/approvals-api";
import { todoQueryKey } from "../home/todo-api";

export type ContractStatus = "draft" | "pending" | "approved" | "rejected" | "void";
export const CONTRACT_STATUSES: ContractStatus[] = ["draft", "pending", "approved", "rejected", "void"];

export interface ContractLine {
  id?: string;
  productId: string | null;
  name: string;
  unit: string | null;
  /** Money is a decimal string with two digits ("1234.50"), in the workspace currency. */
  price: string;
  quantity: number;
  discountPercent: number;
  amount: string;
  remark?: string | null;
}

export interface Contract {
  id: string;
  number: string;
  name: string;
  customerId: string;
  customerName: string | null;
  dealId: string | null;
  dealName: string | null;
  signDate?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  signerId?: string | null;
  signerName?: string | null;
  customerSignerId?: string | null;
  customerSignerName?: string | null;
  total?: string;
  currency: string;
  status: ContractStatus;
  remark?: string | null;
  custom: Record<string, unknown>;
  ownerId?: string | null;
  ownerName?: string | null;
  approvalId: string | null;
  submittedAt: string | null;
  approvedAt: string | null;
  voidedAt: string | null;
  voidReason: string | null;
  access: { edit: boolean; delete: boolean; submit: boolean; void: boolean };
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ContractDetail extends Contract {
  lines?: ContractLine[];
  files: { id: string; name: string; size: number; mime: string }[];
  approval: ApprovalInstance | null;
}

export interface LineInput {
  productId?: string | null;
  name?: string;
  unit?: string | null;
  price?: string;
  quantity: number;
  discountPercent: number;
  remark?: string | null;
}

export interface ContractInput {
  name?: string;
  customerId?: string;
  dealId?: string | null;
  number?: string;
  signDate?: string | null;
  startDate?: string | null;
  endDate?: string | null;
  signerId?: string | null;
  customerSignerId?: string | null;
  total?: string;
  remark?: string | null;
  lines?: LineInput[];
  fileIds?: string[];
  /** Custom field values by key (only the changed ones on edit); null clears one. */
  custom?: Record<string, string | number | boolean | string[] | null>;
}

export interface Prefill {
  customerId: string | null;
  customerName: string | null;
  dealId: string | null;
  dealName: string | null;
  name: string | null;
  lines: ContractLine[];
  total: string;
  currency: string;
}

export interface ContractListFilter {
  status?: string;
  q?: string;
  signFrom?: string;
  signTo?: string;
  customerId?: string;
  dealId?: string;
  expiringWithin?: string;
}

export const contractsQueryKey = ["contracts"] as const;

export function useContracts(filter: ContractListFilter, enabled = true) {
  return useInfiniteQuery({
    enabled,
    queryKey: [...contractsQueryKey, "list", filter],
    queryFn: ({ pageParam }) =>
      api.get<Page<Contract> & { total?: number }>(
        withQuery("/contracts", {
          status: filter.status,
          q: filter.q,
          "signDate[gte]": filter.signFrom,
          "signDate[lte]": filter.signTo,
          customerId: filter.customerId,
          dealId: filter.dealId,
          expiringWithin: filter.expiringWithin,
          limit: 50,
          cursor: pageParam,
          count: pageParam === undefined ? true : undefined,
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useContract(id: string | undefined) {
  return useQuery({
    queryKey: [...contractsQueryKey, "one", id],
    queryFn: () => api.get<ContractDetail>(`/contracts/${id ?? ""}`),
    enabled: id !== undefined,
  });
}

export function usePrefill(source: { dealId?: string | null; customerId?: string | null } | null) {
  return useQuery({
    queryKey: [...contractsQueryKey, "prefill", source],
    queryFn: () => api.get<Prefill>(withQuery("/contracts/prefill", { dealId: source?.dealId, customerId: source?.customerId })),
    enabled: source !== null && Boolean(source.dealId ?? source.customerId),
  });
}

function useInvalidate() {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all(
      [contractsQueryKey, ["approvals"], todoQueryKey, ["customer360"], ["targets"]].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
    );
  };
}

export function useSaveContract() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (input: { id: string | null; version?: number; body: ContractInput }) =>
      input.id ? api.patch<ContractDetail>(`/contracts/${input.id}`, input.body, { ifMatch: input.version }) : api.post<ContractDetail>("/contracts", input.body),
    onSuccess: invalidate,
  });
}

export function useContractAction() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async (input: { id: string; action: "submit" | "void" | "delete"; reason?: string }): Promise<ContractDetail | null> => {
      if (input.action === "delete") {
        await api.delete(`/contracts/${input.id}`);
        return null;
      }
      return api.post<ContractDetail>(`/contracts/${input.id}/${input.action}`, input.action === "void" ? { reason: input.reason } : undefined);
    },
    onSuccess: invalidate,
  });
}

export interface NumberingRule {
  pattern: string;
  reset: "day" | "month" | "year" | "never";
  preview: string;
}

export function useNumberingRule(enabled = true) {
  return useQuery({ queryKey: [...contractsQueryKey, "numbering"], queryFn: () => api.get<NumberingRule>("/contracts/numbering"), enabled });
}

export function useSaveNumberingRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { pattern: string; reset: NumberingRule["reset"] }) => api.put<NumberingRule>("/contracts/numbering", body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...contractsQueryKey, "numbering"] }),
  });
}

export interface Option {
  id: string;
  name: string;
}

export function useCustomerOptions(q: string) {
  return useQuery({
    queryKey: ["contract-customer-options", q],
    queryFn: () => api.get<Page<Option>>(withQuery("/customers", { q: q || undefined, limit: 20, sort: q ? undefined : "-updatedAt" })),
  });
}

export interface ProductOption extends Option {
  unit: string | null;
  price?: string;
  code?: string | null;
}

export function useProductOptions(q: string) {
  return useQuery({
    queryKey: ["contract-product-options", q],
    queryFn: () => api.get<Page<ProductOption>>(withQuery("/products", { q: q || undefined, active: "true", limit: 20 })),
  });
}

export function useCustomerContacts(customerId: string | null | undefined) {
  return useQuery({
    queryKey: ["contract-contacts", customerId],
    queryFn: () => api.get<{ data: Option[] }>(`/customers/${customerId ?? ""}/contacts`),
    enabled: Boolean(customerId),
  });
}
