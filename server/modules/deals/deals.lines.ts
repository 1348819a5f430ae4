import type { Kysely } from 'kysely';
import type { Database } from '../../db/types';
import type { FieldError } from '../../http/app-error';
import type { DealLineInput } from './deals.schema';

/**
 * price × quantity × (100 − discount%) / 100, rounded half up to a cent, computed exactly:
 * quantity has at most 3 decimals and the discount at most 2, so both become integers and the
 * product is taken in BigInt (no floating-point drift on large amounts).
 */
export function lineAmountCents(priceCents: number, quantity: number, discountPercent: number): number {
  const milli = BigInt(Math.round(quantity * 1000));
  const keepBasisPoints = BigInt(10_000 - Math.round(discountPercent * 100));
  const raw = BigInt(priceCents) * milli * keepBasisPoints; // in 10^-7 cents
  const divisor = 10_000_000n;
  return Number((raw + divisor / 2n) / divisor);
}

export interface ResolvedLine {
  productId: string | null;
  name: string;
  unit: string | null;
  priceCents: number;
  quantity: number;
  discountPercent: number;
  amountCents: number;
}

/**
 * Fills lines from the product catalogue (name, unit and price default to the product's) and
 * computes their amounts. A line needs a product or a name and price; products must be active.
 */
export async function resolveLines(
  db: Kysely<Database>,
  workspaceId: string,
  inputs: readonly DealLineInput[],
  keepProductIds: ReadonlySet<string> = new Set(),
): Promise<{ lines: ResolvedLine[]; errors: FieldError[] }> {
  const productIds = [...new Set(inputs.map((l) => l.productId).filter((id): id is string => typeof id === 'string'))];
  const products =
    productIds.length === 0
      ? []
      : await db
          .selectFrom('products')
          .select(['id', 'name', 'unit', 'priceCents', 'active'])
          .where('workspaceId', '=', workspaceId)
          .where('id', 'in', productIds)
          .where('deletedAt', 'is', null)
          .execute();
  const byId = new Map(products.map((p) => [p.id, p]));
  const errors: FieldError[] = [];
  const lines: ResolvedLine[] = [];
  inputs.forEach((input, i) => {
    const product = input.productId ? byId.get(input.productId) : undefined;
    if (input.productId && !product) {
      errors.push({ path: `lines.${i}.productId`, message: 'no such product' });
      return;
    }
    // An inactive product may stay on a deal that already had it, but is not offered for new lines.
    if (product && !product.active && !keepProductIds.has(product.id)) {
      errors.push({ path: `lines.${i}.productId`, message: 'product is inactive' });
      return;
    }
    const name = input.name ?? product?.name;
    const priceCents = input.price ?? (product ? Number(product.priceCents) : undefined);
    if (!name) {
      errors.push({ path: `lines.${i}.name`, message: 'required without a product' });
      return;
    }
    if (priceCents === undefined) {
      errors.push({ path: `lines.${i}.price`, message: 'required without a product' });
      return;
    }
    const discountPercent = input.discountPercent ?? 0;
    lines.push({
      productId: product?.id ?? null,
      name,
      unit: input.unit === undefined ? (product?.unit ?? null) : input.unit,
      priceCents,
      quantity: input.quantity,
      discountPercent,
      amountCents: lineAmountCents(priceCents, input.quantity, discountPercent),
    });
  });
  return { lines, errors };
}
