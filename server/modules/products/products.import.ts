import type { Kysely } from 'kysely';
import { newId } from '../../db/ids';
import type { Database } from '../../db/types';
import type { ProductsTable } from '../../db/types-deals';
import { BulkInsert, updateRecords } from '../imports/bulk-insert';
import { moneyCell } from '../imports/imports.number-cells';
import { type ImportContext, registerImportEntity } from '../imports/imports.registry';
import { chunked, optionKey, pickFlag, rowBody, type RowError, zodRowErrors } from '../imports/imports.values';
import { can } from '../permissions/permissions.service';
import { createProductBody } from './products.schema';

// Product import (CSV / XLSX) through the generic pipeline (server/modules/imports): rows are
// checked by the API's own schema; a duplicate is a live product with the same code (or, without
// a code, the same name); categories are matched by name and must exist.

const productColumns = [
  'id',
  'workspaceId',
  'name',
  'code',
  'unit',
  'priceCents',
  'categoryId',
  'active',
  'description',
  'custom',
  'createdBy',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'version',
] as const satisfies readonly (keyof ProductsTable)[];

const insertProducts = new BulkInsert('products', productColumns);

interface State {
  categories: Map<string, string>;
  editable: boolean;
}

type Ctx = ImportContext<State>;

function validateRow(ctx: Ctx, values: Record<string, string>) {
  const errors: RowError[] = [];
  const body = rowBody(values, ['code', 'unit', 'description']);
  if (values.price !== undefined) {
    // As Excel writes it (¥1,200, １２００) → a decimal string the API's money schema parses to cents.
    const price = moneyCell(values.price);
    if (typeof price === 'string') {
      body.price = price;
    } else {
      errors.push({ field: 'price', message: price.error });
    }
  }
  pickFlag(body, values, 'active', errors);
  const patch: Record<string, string | number | null> = {};
  const parsed = createProductBody.safeParse(body);
  if (parsed.success) {
    for (const [k, v] of Object.entries(parsed.data)) {
      if (k === 'price' && typeof v === 'number') {
        patch.priceCents = v;
      } else if (typeof v === 'string' || typeof v === 'number') {
        patch[k] = v;
      } else if (typeof v === 'boolean') {
        patch[k] = v ? 1 : 0;
      }
    }
  } else {
    errors.push(...zodRowErrors(parsed.error));
  }
  if (values.category !== undefined) {
    const categoryId = ctx.state.categories.get(optionKey(values.category));
    if (categoryId) {
      patch.categoryId = categoryId;
    } else {
      errors.push({ field: 'category', message: 'no such category' });
    }
  }
  const code = typeof patch.code === 'string' && patch.code !== '' ? patch.code.toLowerCase() : null;
  return { errors, patch, keys: { code, name: code ? null : optionKey(typeof patch.name === 'string' ? patch.name : '') }, extra: null };
}

async function findExisting(ctx: Ctx, db: Kysely<Database>, rows: readonly { keys: Record<string, string | null> }[]) {
  const codes = [...new Set(rows.map((r) => r.keys.code).filter((c): c is string => Boolean(c)))];
  const names = new Set(rows.map((r) => r.keys.name).filter((n): n is string => Boolean(n)));
  const found: { id: string; name: string; code: string | null; custom: unknown }[] = [];
  for (const part of chunked(codes, 1000)) {
    // Codes compare case-insensitively, as people type them.
    const byCode = await db.selectFrom('products').select(['id', 'name', 'code', 'custom']).where('workspaceId', '=', ctx.workspaceId).where('deletedAt', 'is', null).where((eb) => eb(eb.fn('lower', ['code']), 'in', part)).orderBy('createdAt').execute();
    found.push(...byCode);
  }
  if (names.size > 0) {
    // Names are matched among all products (a catalogue is small: thousands, not millions).
    const all = await db.selectFrom('products').select(['id', 'name', 'code', 'custom']).where('workspaceId', '=', ctx.workspaceId).where('deletedAt', 'is', null).orderBy('createdAt').execute();
    found.push(...all.filter((p) => names.has(optionKey(p.name))));
  }
  return found.map((p) => ({ id: p.id, name: p.name, ownerId: null, custom: p.custom, keys: { code: p.code ? p.code.toLowerCase() : null, name: p.code ? null : optionKey(p.name) } }));
}

registerImportEntity<State, null>({
  entity: 'product',
  fields: ['name', 'code', 'unit', 'price', 'category', 'active', 'description'],
  requiredFields: ['name'],
  permissionFields: { code: 'code', price: 'price', description: 'description' },
  headerGuesses: {
    name: ['产品名称', '产品', '名称', '商品名称', '商品', 'name', 'product', 'productname', 'item'],
    code: ['产品编码', '编码', '编号', '货号', 'sku', 'code', 'productcode'],
    unit: ['单位', '计量单位', 'unit', 'uom'],
    price: ['价格', '单价', '标准价格', '售价', 'price', 'unitprice', 'listprice'],
    category: ['分类', '产品分类', '类别', 'category', 'productcategory'],
    active: ['上架', '是否上架', '启用', '状态', 'active', 'enabled'],
    description: ['描述', '说明', '产品描述', 'description', 'details'],
  },
  templateLabels: {
    name: ['产品名称', 'Product name'],
    code: ['产品编码', 'Code'],
    unit: ['单位', 'Unit'],
    price: ['价格', 'Price'],
    category: ['产品分类', 'Category'],
    active: ['是否上架', 'Active'],
    description: ['产品描述', 'Description'],
  },
  templateHints: {
    price: ['金额，如 1,200.50', 'an amount, e.g. 1,200.50'],
    category: ['产品分类的名称', 'the name of a product category'],
    active: ['是 / 否', 'yes / no'],
  },
  dedupeKeys: ['code', 'name'],
  dedupeInCreateMode: true,
  analyzeTables: ['products'],

  async setup({ run, workspaceId }) {
    const categories = await run.deps.db.selectFrom('productCategories').select(['id', 'name']).where('workspaceId', '=', workspaceId).execute();
    return { categories: new Map(categories.map((c) => [optionKey(c.name), c.id])), editable: can(run.auth.permissions, 'product:edit') };
  },
  validateRow,
  findExisting,
  access: async (ctx) => Promise.resolve({ visible: () => true, editable: () => ctx.state.editable }),
  newRecord: (ctx, p) => {
    const f = p.patch;
    const text = (k: string) => (typeof f[k] === 'string' && f[k] !== '' ? f[k] : null);
    return {
      id: newId(),
      workspaceId: ctx.workspaceId,
      name: text('name') ?? '',
      code: text('code'),
      unit: text('unit'),
      priceCents: typeof f.priceCents === 'number' ? f.priceCents : 0,
      categoryId: text('categoryId'),
      active: f.active === 0 ? 0 : 1,
      description: text('description'),
      custom: JSON.stringify(p.custom),
      createdBy: ctx.run.auth.userId,
      createdAt: ctx.run.now,
      updatedAt: ctx.run.now,
      deletedAt: null,
      version: 1,
    };
  },
  async writeBatch(ctx, trx, { creates, updates }) {
    await insertProducts.insert(
      trx,
      creates.map((c) => c.record),
    );
    await updateRecords(trx, 'products', ctx.workspaceId, updates, ctx.run.now);
  },
});
