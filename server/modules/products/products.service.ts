import type { CustomFieldDefinition } from '../../../common/custom-fields';
import { formatMoney } from '../../../common/money';
import { type Expression, type Kysely, type SqlBool, sql, type Updateable } from 'kysely';
import { containsInsensitive, type DialectName, parseJson } from '../../db/dialect';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';
import { updateVersioned } from '../../db/versioned-update';
import type { ProductsTable } from '../../db/types-deals';
import { type Deps, nowIso } from '../../deps';
import { AppError, type FieldError } from '../../http/app-error';
import type { AuthContext } from '../../http/auth-context';
import { filtersExpression, keyset } from '../../list/build-list';
import type { ParsedList } from '../../list/list-spec';
import { encodeListCursor, parseListQuery, type RawQuery } from '../../list/parse-list';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';
import { checkCustomValues, customFieldDefinitions, throwIfFieldProblems } from '../custom-fields/custom-fields.service';
import { registerCustomizableTable } from '../custom-fields/custom-fields.tables';
import { claimUniqueValues, type UniqueClaim } from '../custom-fields/unique-values';
import { presentCustom } from '../customers/customers.present';
import { assertWritableFields, fieldAccess, type Permissions, presentFields } from '../permissions/permissions.service';
import { workspaceCurrency } from '../workspace/workspace.currency';
import { productListSpec } from './products.list-spec';
import type { CreateProductBody, Product, UpdateProductBody } from './products.schema';

registerCustomizableTable('product', 'products');

const productColumns = [
  'p.id',
  'p.name',
  'p.code',
  'p.unit',
  // Aliased to the API field name (still cents) so list cursors find the sort value under it.
  'p.priceCents as price',
  'p.categoryId',
  'pc.name as categoryName',
  'p.active',
  'p.description',
  'p.custom',
  'p.createdAt',
  'p.updatedAt',
  'p.deletedAt',
  'p.version',
] as const;

/** Products of one workspace with their category's name; every product query starts here. */
function base(db: Kysely<Database>, workspaceId: string) {
  return db.selectFrom('products as p').leftJoin('productCategories as pc', 'pc.id', 'p.categoryId').select(productColumns).where('p.workspaceId', '=', workspaceId);
}

export type ProductRow = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;

const productFieldKeys: Record<string, (keyof Product)[]> = { price: ['price'], code: ['code'], description: ['description'] };

export function presentProduct(permissions: Permissions, definitions: readonly CustomFieldDefinition[], row: ProductRow, currency: string): Product {
  return presentFields(
    permissions,
    'product',
    {
      id: row.id,
      name: row.name,
      code: row.code,
      unit: row.unit,
      price: formatMoney(Number(row.price)),
      currency,
      categoryId: row.categoryId,
      categoryName: row.categoryName,
      active: row.active === 1,
      description: row.description,
      custom: presentCustom(permissions, 'product', definitions, row.custom),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      deletedAt: row.deletedAt,
      version: row.version,
    },
    productFieldKeys,
  );
}

function listConditions(dialect: DialectName, workspaceId: string, list: ParsedList, ids?: readonly string[]): Expression<SqlBool>[] {
  const parts: Expression<SqlBool>[] = [
    sql<SqlBool>`p.workspace_id = ${workspaceId}`,
    sql<SqlBool>`p.deleted_at is null`,
    filtersExpression(dialect, productListSpec.customColumn, list.filters),
  ];
  if (list.q) {
    parts.push(sql<SqlBool>`(${containsInsensitive(dialect, 'p.name', list.q)} or ${containsInsensitive(dialect, 'p.code', list.q)})`);
  }
  if (ids) {
    parts.push(ids.length === 0 ? sql<SqlBool>`1 = 0` : sql<SqlBool>`p.id in (${sql.join([...ids])})`);
  }
  return parts;
}

/** One keyset page (limit + 1 rows) of products: the list's and the export's query. */
export async function listProductRows(db: Kysely<Database>, dialect: DialectName, workspaceId: string, list: ParsedList, ids?: readonly string[]): Promise<ProductRow[]> {
  const { orderBy, condition } = keyset(dialect, productListSpec.customColumn, productListSpec.idColumn, list);
  let q = base(db, workspaceId);
  for (const part of listConditions(dialect, workspaceId, list, ids)) {
    q = q.where(part);
  }
  if (condition) {
    q = q.where(condition);
  }
  return q.orderBy(orderBy).limit(list.limit + 1).execute();
}

export async function countProducts(db: Kysely<Database>, dialect: DialectName, workspaceId: string, list: ParsedList, ids?: readonly string[], cap = 100_000): Promise<number> {
  let inner = db.selectFrom('products as p').select(sql`1`.as('one'));
  for (const part of listConditions(dialect, workspaceId, list, ids)) {
    inner = inner.where(part);
  }
  const row = await db.selectFrom(inner.limit(cap + 1).as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A keyset page of products: filters (category, active, price…), search in name and code. */
export async function listProductsPage(deps: Deps, auth: AuthContext, raw: RawQuery) {
  const [definitions, currency] = await Promise.all([customFieldDefinitions(deps, auth.workspaceId, 'product'), workspaceCurrency(deps.db, auth.workspaceId)]);
  const list = parseListQuery(raw, productListSpec, definitions, (f) => fieldAccess(auth.permissions, 'product', f));
  const rows = await listProductRows(deps.db, deps.dialect, auth.workspaceId, list);
  const page = rows.slice(0, list.limit);
  const last = page.at(-1);
  let nextCursor: string | null = null;
  if (rows.length > list.limit && last) {
    const target = list.sort.target;
    const value =
      target.kind === 'custom'
        ? (((parseJson(last.custom) ?? {}) as Record<string, string | number | null>)[target.field.key] ?? null)
        : ((last as Record<string, unknown>)[target.field.name] as string | number | null);
    nextCursor = encodeListCursor(list.sort.name, value, last.id);
  }
  const result: { data: Product[]; nextCursor: string | null; total?: number; countExact?: boolean } = {
    data: page.map((r) => presentProduct(auth.permissions, definitions, r, currency)),
    nextCursor,
  };
  if (list.count) {
    const n = await countProducts(deps.db, deps.dialect, auth.workspaceId, list);
    result.total = Math.min(n, 100_000);
    result.countExact = n <= 100_000;
  }
  return result;
}

async function loadProduct(deps: Deps, workspaceId: string, id: string): Promise<ProductRow> {
  const row = await base(deps.db, workspaceId).where('p.id', '=', id).where('p.deletedAt', 'is', null).executeTakeFirst();
  if (!row) {
    throw new AppError('not_found');
  }
  return row;
}

export async function getProduct(deps: Deps, auth: AuthContext, id: string): Promise<Product> {
  const [definitions, currency] = await Promise.all([customFieldDefinitions(deps, auth.workspaceId, 'product'), workspaceCurrency(deps.db, auth.workspaceId)]);
  return presentProduct(auth.permissions, definitions, await loadProduct(deps, auth.workspaceId, id), currency);
}

/** The body's problems thrown; what to store as `custom` (null: unchanged) and the unique values to claim. */
async function validate(deps: Deps, auth: AuthContext, body: Partial<CreateProductBody>, existing: ProductRow | null): Promise<{ custom: string | null; claims: UniqueClaim[] }> {
  const errors: FieldError[] = [];
  assertWritableFields(
    auth.permissions,
    'product',
    [
      ...(body.price !== undefined ? ['price'] : []),
      ...(body.code !== undefined ? ['code'] : []),
      ...(body.description !== undefined ? ['description'] : []),
      ...Object.keys(body.custom ?? {}).map((k) => `cf.${k}`),
    ],
  );
  // A code another product holds is a conflict (409), as a unique custom value is; bad input wins (400).
  const conflicts: FieldError[] = [];
  if (body.code) {
    const taken = await deps.db
      .selectFrom('products')
      .select('id')
      .where('workspaceId', '=', auth.workspaceId)
      .where('code', '=', body.code)
      .where('deletedAt', 'is', null)
      .where('id', '<>', existing?.id ?? '')
      .executeTakeFirst();
    if (taken) {
      conflicts.push({ path: 'code', message: 'already used by another product' });
    }
  }
  if (body.categoryId) {
    const category = await deps.db.selectFrom('productCategories').select('id').where('workspaceId', '=', auth.workspaceId).where('id', '=', body.categoryId).executeTakeFirst();
    if (!category) {
      errors.push({ path: 'categoryId', message: 'no such category' });
    }
  }
  const definitions = await customFieldDefinitions(deps, auth.workspaceId, 'product');
  const stored = (existing ? (parseJson(existing.custom) ?? {}) : {}) as Record<string, unknown>;
  const custom =
    body.custom === undefined && existing ? null : await checkCustomValues(deps, auth.workspaceId, { entity: 'product', noun: 'product', definitions }, body.custom, existing ? { id: existing.id, custom: stored } : null);
  throwIfFieldProblems([...errors, ...(custom?.errors ?? [])], [...conflicts, ...(custom?.conflicts ?? [])]);
  return { custom: custom ? JSON.stringify(custom.values) : null, claims: custom?.claims ?? [] };
}

export async function createProduct(deps: Deps, auth: AuthContext, actor: AuditActor, body: CreateProductBody): Promise<Product> {
  const { custom, claims } = await validate(deps, auth, body, null);
  const id = newId();
  const now = nowIso(deps);
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'product', noun: 'product' }, claims, null);
    await trx
      .insertInto('products')
      .values({
        id,
        workspaceId: auth.workspaceId,
        name: body.name,
        code: body.code || null,
        unit: body.unit || null,
        priceCents: body.price ?? 0,
        categoryId: body.categoryId ?? null,
        active: body.active === false ? 0 : 1,
        description: body.description || null,
        custom: custom ?? '{}',
        createdBy: auth.userId,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      })
      .execute();
  });
  await recordAudit(deps, actor, { action: 'product.created', targetType: 'product', targetId: id, detail: { name: body.name } });
  return getProduct(deps, auth, id);
}

export async function updateProduct(deps: Deps, auth: AuthContext, actor: AuditActor, id: string, body: UpdateProductBody, expectedVersion?: number): Promise<Product> {
  const existing = await loadProduct(deps, auth.workspaceId, id);
  const { custom, claims } = await validate(deps, auth, body, existing);
  const patch: Updateable<ProductsTable> = {};
  for (const key of ['name', 'code', 'unit', 'categoryId', 'description'] as const) {
    if (body[key] !== undefined) {
      (patch as Record<string, unknown>)[key] = body[key] === '' ? null : body[key];
    }
  }
  if (body.price !== undefined) {
    patch.priceCents = body.price;
  }
  if (body.active !== undefined) {
    patch.active = body.active ? 1 : 0;
  }
  if (custom) {
    patch.custom = custom;
  }
  await deps.db.transaction().execute(async (trx) => {
    await claimUniqueValues(trx, deps.dialect, auth.workspaceId, { entity: 'product', noun: 'product' }, claims, id);
    if ((await updateVersioned(trx, 'products', auth.workspaceId, id, { ...patch, updatedAt: nowIso(deps) }, expectedVersion)) === 0) {
      throw new AppError('version_mismatch');
    }
  });
  await recordAudit(deps, actor, { action: 'product.updated', targetType: 'product', targetId: id, detail: { fields: Object.keys(patch) } });
  return getProduct(deps, auth, id);
}

/** Soft delete: deal and contract lines keep their copy of name, unit and price. */
export async function deleteProduct(deps: Deps, auth: AuthContext, actor: AuditActor, id: string): Promise<void> {
  await loadProduct(deps, auth.workspaceId, id);
  const now = nowIso(deps);
  await deps.db.updateTable('products').set({ deletedAt: now, updatedAt: now }).where('workspaceId', '=', auth.workspaceId).where('id', '=', id).execute();
  await recordAudit(deps, actor, { action: 'product.deleted', targetType: 'product', targetId: id });
}
