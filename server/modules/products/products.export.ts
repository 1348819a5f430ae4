import { type ExportColumnDef, registerExportEntity } from '../exports/exports.registry';
import { productListSpec } from './products.list-spec';
import { workspaceCurrency } from '../workspace/workspace.currency';
import type { Product } from './products.schema';
import { countProducts, listProductRows, presentProduct, type ProductRow } from './products.service';

const text = (value: string | null | undefined) => value ?? '';

/** Headers are the words the product importer recognises, so an exported file imports back. */
const columns: ExportColumnDef<Product>[] = [
  { key: 'name', zh: '产品名称', en: 'Name', cell: (p) => p.name },
  { key: 'code', zh: '产品编码', en: 'Code', permissionField: 'code', cell: (p) => text(p.code) },
  { key: 'unit', zh: '单位', en: 'Unit', cell: (p) => text(p.unit) },
  { key: 'price', zh: '价格', en: 'Price', permissionField: 'price', cell: (p) => p.price ?? '' },
  { key: 'categoryName', zh: '分类', en: 'Category', cell: (p) => text(p.categoryName) },
  { key: 'active', zh: '上架', en: 'Active', cell: (p, x) => (p.active ? x.word('是', 'yes') : x.word('否', 'no')) },
  { key: 'description', zh: '描述', en: 'Description', permissionField: 'description', cell: (p) => text(p.description) },
  { key: 'createdAt', zh: '创建时间', en: 'Created at', cell: (p, x) => x.formatTime(p.createdAt) },
];

/** Products: the list's query (products have no owner: product:export is the whole check). */
registerExportEntity<ProductRow, Product>({
  entity: 'product',
  names: { zh: '产品', en: 'products' },
  listSpec: productListSpec,
  columns,
  customValues: (p) => p.custom,
  plan: async (deps, auth, { list, ids, definitions }) => {
    const currency = await workspaceCurrency(deps.db, auth.workspaceId);
    return {
      page: (db, page) => listProductRows(db, deps.dialect, auth.workspaceId, page, ids),
      count: (db) => countProducts(db, deps.dialect, auth.workspaceId, list, ids, 50_000_000),
      present: (rows) => rows.map((r) => presentProduct(auth.permissions, definitions, r, currency)),
    };
  },
});
