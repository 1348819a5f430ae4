import { z } from 'zod';
import { cursorSchema, limitSchema } from '../http/schemas';

export const jobStatuses = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(jobStatuses),
  payload: z.unknown(),
  progress: z.record(z.string(), z.unknown()).nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: z.string(),
  lockedBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  error: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const listJobsQuery = z.strictObject({
  status: z.enum(jobStatuses).optional(),
  kind: z.string().regex(/^[a-z][a-z0-9._-]{0,63}$/, 'must be a job kind').optional(),
  limit: limitSchema,
  cursor: cursorSchema,
});
export type ListJobsQuery = z.infer<typeof listJobsQuery>;
