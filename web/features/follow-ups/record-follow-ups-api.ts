import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, withQuery } from "../../app/api";
import type { UploadedFile } from "../customer-360/customer-360-types";
import type { UpdateFollowUpInput } from "./follow-ups-api";

/** A follow-up of a lead or a deal, as `/leads/:id/follow-ups` and `/deals/:id/follow-ups` answer it. */
export interface RecordFollowUp {
  id: string;
  type: string;
  content: string;
  nextFollowupAt: string | null;
  attachments: UploadedFile[];
  ownerId: string;
  ownerName: string | null;
  /** Edit and delete as the server allows: the author, or followUp:edit / delete scope over them. */
  access: { edit: boolean; delete: boolean };
  createdAt: string;
  updatedAt: string;
  /** Sent back as If-Match on an edit. */
  version: number;
}

export interface RecordFollowUpInput {
  type: string;
  content: string;
  nextFollowupAt: string | null;
  attachmentIds?: string[];
}

const PAGE_SIZE = 20;

/** `/deals/<id>` or `/leads/<id>`: the record whose follow-ups these are. */
export type RecordPath = `/deals/${string}` | `/leads/${string}`;

const followUpsKey = (record: RecordPath) => ["recordFollowUps", record] as const;

/** The record's follow-ups, newest first, a page at a time ("load more"). */
export function useRecordFollowUps(record: RecordPath) {
  return useInfiniteQuery({
    queryKey: followUpsKey(record),
    queryFn: ({ pageParam }) => api.get<{ data: RecordFollowUp[]; nextCursor: string | null }>(withQuery(`${record}/follow-ups`, { limit: PAGE_SIZE, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** After a change: this list, and whatever the record's owner shows of it (`also`: the deal board, the lead, the agenda). */
function useAfterChange(record: RecordPath, also: () => Promise<unknown>) {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: followUpsKey(record) }), also()]);
}

export function useAddRecordFollowUp(record: RecordPath, also: () => Promise<unknown>) {
  const onSuccess = useAfterChange(record, also);
  return useMutation({ mutationFn: (input: RecordFollowUpInput) => api.post<RecordFollowUp>(`${record}/follow-ups`, input), onSuccess });
}

/** Edits at the version the follow-up was shown at (412 if someone changed it meanwhile). */
export function useUpdateRecordFollowUp(record: RecordPath, followUp: { id: string; version: number }, also: () => Promise<unknown>) {
  const onSuccess = useAfterChange(record, also);
  return useMutation({
    mutationFn: (input: UpdateFollowUpInput) => api.patch<RecordFollowUp>(`${record}/follow-ups/${followUp.id}`, input, { ifMatch: followUp.version }),
    onSuccess,
  });
}

export function useDeleteRecordFollowUp(record: RecordPath, also: () => Promise<unknown>) {
  const onSuccess = useAfterChange(record, also);
  return useMutation({ mutationFn: (followUpId: string) => api.delete(`${record}/follow-ups/${followUpId}`), onSuccess });
}

/** Where a file of one of the record's follow-ups downloads: through the record, which is what the viewer may see. */
export const recordFileHref = (record: RecordPath, followUpId: string) => (file: { id: string }) => `/api/v1${record}/follow-ups/${followUpId}/files/${file.id}`;
