import { z } from 'zod';
import { type ErrorCode, errorCatalog } from '../../common/error-codes';
import { parseMoney } from '../../common/money';

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

/** Every stable `code` a problem can carry (common/error-codes.ts). */
export const errorCodeSchema = z.enum(Object.keys(errorCatalog) as [ErrorCode, ...ErrorCode[]]);

/** The application/problem+json body (RFC 9457) of every error: what problem.ts sends, and its type. */
export const problemSchema = z.object({
  type: z.string().describe('URI naming the error code, e.g. https://haoke.dev/errors/validation-failed'),
  title: z.string().describe("The code's short title, in the caller's language"),
  status: z.number().int().min(400).max(599).describe('The HTTP status'),
  code: errorCodeSchema.describe('Stable and documented: switch on this, not on the texts'),
  detail: z.string().optional().describe("What went wrong in this case, in the caller's language"),
  errors: z
    .array(z.object({ path: z.string().describe('The field: a body path (email, custom.tier, querystring.kind) or a field name (cf.tax_no, If-Match)'), message: z.string() }))
    .optional()
    .describe('One entry per field at fault, for showing next to it'),
});
export type Problem = z.infer<typeof problemSchema>;

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

/** A calendar date without time, `YYYY-MM-DD`. */
export const dateSchema = z.iso.date();

/**
 * Money as the API carries it (api.md): a decimal string with at most two decimals ("1234.50"),
 * or a JSON number for convenience; parsed to integer cents without floating point (a number is
 * read from its shortest decimal text, so 0.1 is 10 cents and 1.005 is refused, not rounded).
 */
function moneyParser(allowZero: boolean) {
  return z
    .union([z.string().trim().max(20), z.number().finite()])
    .transform((v, ctx) => {
      const cents = parseMoney(typeof v === 'number' ? String(v) : v);
      if (cents === null || cents < 0 || (!allowZero && cents === 0) || cents > 1e15) {
        ctx.addIssue({ code: 'custom', message: allowZero ? 'must be an amount ≥ 0 with at most 2 decimals' : 'must be a positive amount with at most 2 decimals' });
        return z.NEVER;
      }
      return cents;
    })
    .meta({ description: 'Decimal string with at most 2 decimals, e.g. "1234.50" (a number is accepted too)' });
}

/** A positive amount (a payment, a plan) → cents. */
export const moneyInput = moneyParser(false);
/** An amount where zero is legal (a price, a deal amount, a target, an approval bound) → cents. */
export const moneyInputNonNegative = moneyParser(true);
/** Money in answers: always a decimal string with two digits; format cents with formatMoney. */
export const moneyOutput = z.string().meta({ description: 'Decimal string with two digits, e.g. "1234.50"', example: '1234.50' });
/** The workspace currency (ISO 4217), carried beside money on records. */
export const currencySchema = z.string().meta({ description: 'Workspace currency (ISO 4217), e.g. CNY', example: 'CNY' });
