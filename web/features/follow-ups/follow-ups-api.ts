import { type UseQueryResult, useInfiniteQuery, useMutation, useQueries, useQuery } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { Page } from "../../app/api-types";
import { customer360Key, useInvalidateCustomer } from "../customer-360/customer-360-api";
import type { UploadedFile } from "../customer-360/customer-360-types";

export type FollowUpBucket = "today" | "overdue" | "upcoming";

export interface FollowUp {
  id: string;
  /** Lists also show leads' and deals' follow-ups; those are changed in the lead's page or the deal's drawer. */
  entity: "customer" | "contact" | "lead" | "deal";
  recordId: string;
  /** The deal's or the lead's name, for their follow-ups. */
  recordName: string | null;
  customerId: string | null;
  customerName: string | null;
  contactId: string | null;
  contactName: string | null;
  type: string;
  content: string;
  nextFollowupAt: string | null;
  attachments: UploadedFile[];
  ownerId: string | null;
  ownerName: string | null;
  /** What the user may do with it (the author always may). */
  access: { edit: boolean; delete: boolean };
  createdAt: string;
  updatedAt: string;
  /** Sent back as If-Match when editing: someone else's edit meanwhile answers 412. */
  version: number;
}

export interface UpdateFollowUpInput {
  type?: string;
  content?: string;
  nextFollowupAt?: string | null;
  /** The files it carries from now on (ones already on it, or the user's new uploads); absent leaves them. */
  attachmentIds?: string[];
}

export interface CreateFollowUpInput {
  entity: "customer" | "contact";
  recordId: string;
  type: string;
  content: string;
  nextFollowupAt?: string | null;
  attachmentIds?: string[];
}

export interface AgendaRow {
  entity: "customer" | "contact" | "deal" | "lead";
  recordId: string;
  name: string;
  customerId: string | null;
  customerName: string | null;
  nextFollowupAt: string | null;
  lastFollowupAt: string | null;
  lastFollowupContent: string | null;
}

export interface AgendaPage extends Page<AgendaRow> {
  counts: Record<FollowUpBucket, number>;
}

const PAGE_SIZE = 50;

export function useCreateFollowUp(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: (input: CreateFollowUpInput) => api.post<FollowUp>("/follow-ups", input),
    onSuccess: invalidate,
  });
}

/** Edits a follow-up at the version it was shown at; the customer's page (timeline, next contact) refreshes. */
export function useUpdateFollowUp(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: ({ followUp, input }: { followUp: FollowUp; input: UpdateFollowUpInput }) => api.patch<FollowUp>(`/follow-ups/${followUp.id}`, input, { ifMatch: followUp.version }),
    onSuccess: invalidate,
  });
}

export function useDeleteFollowUp(customerId: string) {
  const invalidate = useInvalidateCustomer(customerId);
  return useMutation({
    mutationFn: (id: string) => api.delete(`/follow-ups/${id}`),
    onSuccess: invalidate,
  });
}

/** Uploads one attachment (POST /files, multipart field `file`). */
export function uploadFile(file: File): Promise<UploadedFile> {
  const form = new FormData();
  form.append("file", file, file.name);
  return api.upload<UploadedFile>("/files", form);
}

/** Records I own whose next follow-up falls in `bucket`, with the counts of all three buckets. */
export function useMyFollowUps(bucket: FollowUpBucket) {
  return useInfiniteQuery({
    queryKey: ["followUps", "mine", bucket],
    queryFn: ({ pageParam }) =>
      api.get<AgendaPage>(withQuery("/follow-ups/mine", { bucket, limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** GET /follow-ups takes at most this many ids at once (followUpIdsMax on the server). */
const IDS_PER_REQUEST = 100;

/**
 * The follow-ups a customer's loaded timeline entries name, for what the entries do not carry
 * themselves (attachments, the version an edit is sent at, what the user may do). Asked by id in
 * chunks in the order the entries came, so loading another page asks only for its own; lives under
 * the customer's key so saving refreshes it. Answers a lookup by id.
 */
export function useFollowUpsById(customerId: string, ids: readonly string[]): Map<string, FollowUp> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
    chunks.push(ids.slice(i, i + IDS_PER_REQUEST));
  }
  return useQueries({
    queries: chunks.map((chunk) => ({
      queryKey: [...customer360Key(customerId), "followUps", chunk.join(",")],
      queryFn: () => api.get<Page<FollowUp>>(withQuery("/follow-ups", { id: chunk.join(","), limit: chunk.length })),
      staleTime: 30_000,
    })),
    combine: followUpsById,
  });
}

/** Module-level, so useQueries keeps the combined map while the answers stay the same. */
function followUpsById(results: UseQueryResult<Page<FollowUp>>[]): Map<string, FollowUp> {
  const byId = new Map<string, FollowUp>();
  for (const result of results) {
    for (const item of result.data?.data ?? []) {
      byId.set(item.id, item);
    }
  }
  return byId;
}

/** A page of the follow-up records list. */
export interface RecordsPage extends Page<FollowUp> {
  total?: number;
  countExact?: boolean;
  /** A content search read this far back in this request; the cursor goes on from there. */
  searchedTo?: string;
}

/** Follow-up records 跟进记录 the user may see, newest first, filtered (recordsQuery). */
export function useFollowUpRecords(query: Record<string, string>) {
  return useInfiniteQuery({
    queryKey: ["followUps", "records", query],
    queryFn: ({ pageParam }) => api.get<RecordsPage>(withQuery("/follow-ups", { ...query, limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * How many follow-ups the filter matches (exact up to 1 000), asked on its own so the page shows
 * without waiting for it: for a team over millions of follow-ups the count reads some 20 000 rows
 * (bench case h1). A content search has none (the server reads it a slice at a time).
 */
export function useFollowUpRecordsCount(query: Record<string, string>) {
  return useQuery({
    queryKey: ["followUps", "records", "count", query],
    queryFn: () => api.get<RecordsPage>(withQuery("/follow-ups", { ...query, limit: 1, count: "true" })),
    enabled: query.q === undefined,
  });
}
