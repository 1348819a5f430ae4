import { sql } from 'kysely';
import { newId } from '../../db/ids';
import { type Deps, nowIso } from '../../deps';
import { AppError } from '../../http/app-error';
import { type AuditActor, recordAudit } from '../audit-log/audit-log.service';

type CategoryInput = { name: string; parentId?: string | null | undefined; sort?: number | undefined };

/** Product categories 产品分类 with how many (live) products each holds. */
export async function listCategories(deps: Deps, workspaceId: string) {
  const rows = await deps.db
    .selectFrom('productCategories as c')
    .select((eb) => [
      'c.id',
      'c.name',
      'c.parentId',
      'c.sort',
      eb
        .selectFrom('products as p')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('p.categoryId', '=', 'c.id')
        .where('p.workspaceId', '=', workspaceId)
        .where('p.deletedAt', 'is', null)
        .as('productCount'),
    ])
    .where('c.workspaceId', '=', workspaceId)
    .orderBy('c.sort')
    .orderBy('c.name')
    .execute();
  return rows.map((r) => ({ ...r, productCount: Number(r.productCount ?? 0) }));
}

async function checkParent(deps: Deps, workspaceId: string, id: string | null, parentId: string | null | undefined): Promise<void> {
  if (!parentId) {
    return;
  }
  // Walk up from the new parent: meeting the category itself would make a loop.
  let current: string | null = parentId;
  for (let depth = 0; current; depth += 1) {
    if (current === id || depth > 20) {
      throw new AppError('validation_failed', { errors: [{ path: 'parentId', message: 'would make a loop' }] });
    }
    const row: { parentId: string | null } | undefined = await deps.db.selectFrom('productCategories').select('parentId').where('workspaceId', '=', workspaceId).where('id', '=', current).executeTakeFirst();
    if (!row) {
      throw new AppError('validation_failed', { errors: [{ path: 'parentId', message: 'no such category' }] });
    }
    current = row.parentId;
  }
}

export async function createCategory(deps: Deps, actor: AuditActor, body: CategoryInput) {
  await checkParent(deps, actor.workspaceId, null, body.parentId);
  const id = newId();
  const now = nowIso(deps);
  await deps.db
    .insertInto('productCategories')
    .values({ id, workspaceId: actor.workspaceId, name: body.name, parentId: body.parentId ?? null, sort: body.sort ?? 0, createdAt: now, updatedAt: now })
    .execute();
  await recordAudit(deps, actor, { action: 'product_category.created', targetType: 'productCategory', targetId: id, detail: { name: body.name } });
  return (await listCategories(deps, actor.workspaceId)).find((c) => c.id === id) as Awaited<ReturnType<typeof listCategories>>[number];
}

export async function updateCategory(deps: Deps, actor: AuditActor, id: string, body: CategoryInput) {
  await checkParent(deps, actor.workspaceId, id, body.parentId);
  const result = await deps.db
    .updateTable('productCategories')
    .set({ name: body.name, parentId: body.parentId ?? null, ...(body.sort !== undefined ? { sort: body.sort } : {}), updatedAt: nowIso(deps), version: sql`version + 1` })
    .where('workspaceId', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new AppError('not_found');
  }
  await recordAudit(deps, actor, { action: 'product_category.updated', targetType: 'productCategory', targetId: id, detail: { name: body.name } });
  return (await listCategories(deps, actor.workspaceId)).find((c) => c.id === id) as Awaited<ReturnType<typeof listCategories>>[number];
}

/** Deletes an empty category (no products, no sub-categories). */
export async function deleteCategory(deps: Deps, actor: AuditActor, id: string): Promise<void> {
  const all = await listCategories(deps, actor.workspaceId);
  const category = all.find((c) => c.id === id);
  if (!category) {
    throw new AppError('not_found');
  }
  const inUse = await deps.db.selectFrom('products').select('id').where('workspaceId', '=', actor.workspaceId).where('categoryId', '=', id).limit(1).executeTakeFirst();
  if (inUse || all.some((c) => c.parentId === id)) {
    throw new AppError('conflict', { detail: 'The category still holds products or sub-categories' });
  }
  await deps.db.deleteFrom('productCategories').where('workspaceId', '=', actor.workspaceId).where('id', '=', id).execute();
  await recordAudit(deps, actor, { action: 'product_category.deleted', targetType: 'productCategory', targetId: id });
}
