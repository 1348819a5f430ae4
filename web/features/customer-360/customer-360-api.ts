import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { ListResponse, Page } from "../../app/api-types";
import type { Collaborator, Contact, Customer, CustomerOverview, CustomValue, TimelineEntry } from "./customer-360-types";

const TIMELINE_PAGE = 20;

export const customer360Key = (id: string) => ["customer360", id] as const;

/** Everything derived from one customer: the 360° view, its lists elsewhere, search and agendas. */
export function useInvalidateCustomer(id: string) {
  const queryClient = useQueryClient();
  return async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: customer360Key(id) }),
      queryClient.invalidateQueries({ queryKey: ["customers"] }),
      queryClient.invalidateQueries({ queryKey: ["followUps"] }),
      queryClient.invalidateQueries({ queryKey: ["search"] }),
    ]);
  };
}

export function useCustomerOverview(id: string) {
  return useQuery({
    queryKey: [...customer360Key(id), "overview"],
    queryFn: () => api.get<CustomerOverview>(`/customers/${id}/overview`),
  });
}

/**
 * The timeline, newest first. `kinds` is a comma-separated filter ("" = all). The first page of
 * the unfiltered timeline comes with the overview, so opening the page costs one request.
 */
export function useTimeline(id: string, kinds: string, overview: CustomerOverview | undefined, overviewAt: number) {
  const seeded = kinds === "" && overview !== undefined;
  return useInfiniteQuery({
    queryKey: [...customer360Key(id), "timeline", kinds],
    queryFn: ({ pageParam }) =>
      api.get<Page<TimelineEntry>>(
        withQuery(`/customers/${id}/timeline`, { kind: kinds, limit: TIMELINE_PAGE, cursor: pageParam }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: seeded ? { pages: [overview.timeline], pageParams: [null] } : undefined,
    initialDataUpdatedAt: seeded ? overviewAt : undefined,
    staleTime: 30_000,
  });
}

export function useCustomerAction(id: string) {
  const invalidate = useInvalidateCustomer(id);
  return useMutation({
    mutationFn: (action: "lock" | "unlock" | "restore") => api.post<Customer>(`/customers/${id}/${action}`),
    onSuccess: invalidate,
  });
}

export function useDeleteCustomer(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`/customers/${id}`),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: customer360Key(id) });
      await queryClient.invalidateQueries({ queryKey: ["customers"] });
    },
  });
}

export function useUpdateCustomer(id: string) {
  const invalidate = useInvalidateCustomer(id);
  return useMutation({
    mutationFn: ({ version, changes }: { version: number; changes: Record<string, unknown> }) =>
      api.patch<Customer>(`/customers/${id}`, changes, { ifMatch: version }),
    onSuccess: invalidate,
  });
}

export interface TransferInput {
  ownerId: string;
  reason?: string;
  withContacts: boolean;
}

export function useTransferCustomer(id: string) {
  const invalidate = useInvalidateCustomer(id);
  return useMutation({
    mutationFn: (input: TransferInput) => api.post<unknown>(`/customers/${id}/transfer`, input),
    onSuccess: invalidate,
  });
}

export function useCollaborators(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...customer360Key(id), "collaborators"],
    queryFn: () => api.get<ListResponse<Collaborator>>(`/customers/${id}/collaborators`),
    enabled,
  });
}

export interface CollaboratorInput {
  userId: string;
  access: "read" | "write";
  expiresAt: string | null;
}

export function useSaveCollaborators(id: string) {
  const invalidate = useInvalidateCustomer(id);
  return useMutation({
    mutationFn: (collaborators: CollaboratorInput[]) =>
      api.put<unknown>(`/customers/${id}/collaborators`, { collaborators }),
    onSuccess: invalidate,
  });
}

export interface ContactInput {
  name?: string;
  phone?: string | null;
  email?: string | null;
  title?: string | null;
  department?: string | null;
  wechat?: string | null;
  isDecisionMaker?: boolean;
  isPrimary?: boolean;
  remark?: string | null;
  custom?: Record<string, CustomValue>;
}

export function useSaveContact(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: ({ contact, changes }: { contact: Contact | null; changes: ContactInput }) =>
      contact
        ? api.patch<Contact>(`/contacts/${contact.id}`, changes, { ifMatch: contact.version })
        : api.post<Contact>("/contacts", { customerId, ...changes }),
    onSuccess: invalidate,
  });
}

export function useDeleteContact(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: (contactId: string) => api.delete(`/contacts/${contactId}`),
    onSuccess: invalidate,
  });
}

export function useAddComment(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: (input: { content: string; mentions: string[] }) =>
      api.post<TimelineEntry>(`/customers/${customerId}/comments`, input),
    onSuccess: invalidate,
  });
}
