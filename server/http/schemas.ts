import { z } from 'zod';

/** Shared request/response building blocks. Feature schemas compose these. */
export const idSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be an id');

export const idParams = z.strictObject({ id: idSchema });

export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);
export const cursorSchema = z.string().min(1).max(2000).optional();

function hasControlCharacters(value: string): boolean {
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) {
      return true;
    }
  }
  return false;
}

/** Text a person types: trimmed, no control characters, bounded. */
export function textSchema(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((v) => !hasControlCharacters(v), 'must not contain control characters');
}

export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((v) => v.toLowerCase());

export const phoneSchema = z
  .string()
  .trim()
  .max(40)
  .regex(/^\+?[0-9][0-9 ()-]{3,38}$/, 'must be a phone number');

export const isoTimestamp = z.iso.datetime({ offset: true });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** The common error answers, added to every route's OpenAPI responses. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  412: problemSchema,
  422: problemSchema,
  429: problemSchema,
} as const;

export function page<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** Custom field values as the API carries them (checked against the definitions by the service). */
export const customValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]));

/** Optional free text that may be cleared with null. */
export const nullableText = (max: number) => z.string().trim().max(max).nullish();

/** Money in cents: integers, at most 10^15 (exact in a double and in bigint). */
export const centsSchema = z.number().int().min(0).max(1e15);

/** A calendar date without time, `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();
