import { z } from 'zod';
import { textSchema } from '../../http/schemas';

/** Entities whose lists can be saved as views; later modules (leads, deals, …) append theirs. */
export const savedViewEntities = ['customer', 'contact', 'lead'] as const;
export type SavedViewEntity = (typeof savedViewEntities)[number];

/** A list query key as the list engine reads it: `q`, `tag`, `deleted`, `field`, `field[op]`, `cf.key[op]`. */
const filterKey = z.string().regex(/^(cf\.)?[A-Za-z][A-Za-z0-9_]{0,63}(\[[a-z]{1,12}\])?$/, 'must be a list filter key');
const filterValue = z.union([z.string().max(2000), z.array(z.string().max(500)).max(100)]);
const sortKey = z.string().regex(/^-?(cf\.)?[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a sort field, e.g. -createdAt');
const columnKey = z.string().regex(/^(cf\.)?[A-Za-z][A-Za-z0-9_]{0,63}$/, 'must be a column key');

/**
 * What a view remembers: the list query (the same keys as `GET /customers`), its sort and the
 * shown columns. It is checked again by the list when applied, so a view naming a field that was
 * removed later answers that list with 400 unknown_filter rather than silently showing more.
 */
export const viewDefinition = z.strictObject({
  filters: z
    .record(filterKey, filterValue)
    .refine((filters) => Object.keys(filters).length <= 50, 'at most 50 filters')
    .default({}),
  sort: sortKey.nullish(),
  columns: z.array(columnKey).max(100).default([]),
});
export type ViewDefinition = z.infer<typeof viewDefinition>;

export const savedViewSchema = z.object({
  id: z.string(),
  entity: z.string(),
  name: z.string(),
  shared: z.boolean(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  definition: z.object({
    filters: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
    sort: z.string().nullable(),
    columns: z.array(z.string()),
  }),
  /** What the caller may do with it (the UI shows buttons from it). */
  access: z.object({ edit: z.boolean(), delete: z.boolean() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Send it back as `If-Match` on PATCH: a view changed meanwhile answers 412. */
  version: z.number().int(),
});
export type SavedView = z.infer<typeof savedViewSchema>;

export const listSavedViewsQuery = z.strictObject({ entity: z.enum(savedViewEntities) });

export const createSavedViewBody = z.strictObject({
  entity: z.enum(savedViewEntities),
  name: textSchema(80),
  shared: z.boolean().default(false),
  definition: viewDefinition,
});
export type CreateSavedViewBody = z.infer<typeof createSavedViewBody>;

export const updateSavedViewBody = z
  .strictObject({
    name: textSchema(80).optional(),
    shared: z.boolean().optional(),
    definition: viewDefinition.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateSavedViewBody = z.infer<typeof updateSavedViewBody>;
