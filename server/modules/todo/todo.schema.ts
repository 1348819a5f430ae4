import { z } from 'zod';

export const todoItemSchema = z.object({
  key: z.string(),
  labelKey: z.string(),
  count: z.number().int().nonnegative(),
  /** False when the count stopped at its cap: there are at least `count` (the UI shows "1,000+"). */
  countExact: z.boolean(),
  link: z.string(),
});

export const todoListSchema = z.object({
  data: z.array(todoItemSchema),
  /** The workspace's "today" (YYYY-MM-DD) the counts were taken for. */
  today: z.string(),
});

export type TodoItem = z.infer<typeof todoItemSchema>;
export type TodoList = z.infer<typeof todoListSchema>;
