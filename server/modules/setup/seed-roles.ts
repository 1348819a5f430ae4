import type { Kysely } from 'kysely';
import { entityCatalog, type SeededRoleKey, seededRoleKeys } from '../../../common/permissions';
import type { Locale } from '../../../common/locale';
import type { Database } from '../../db/types';
import { newId } from '../../db/ids';
import '../catalog';

const roleNames: Record<SeededRoleKey, { 'zh-CN': string; en: string; descriptionZh: string; descriptionEn: string }> = {
  admin: { 'zh-CN': '管理员', en: 'Administrator', descriptionZh: '管理用户、部门、角色、字段、设置与集成；可见全部数据', descriptionEn: 'Users, departments, roles, fields, settings and integrations; sees everything' },
  sales_manager: { 'zh-CN': '销售经理', en: 'Sales manager', descriptionZh: '分配客户、设定目标、审批合同；可见本人及下属数据', descriptionEn: 'Assigns customers, sets targets, approves contracts; sees own and subordinates’ records' },
  sales: { 'zh-CN': '销售', en: 'Sales rep', descriptionZh: '线索、客户、跟进、商机、合同、回款；可见本人数据', descriptionEn: 'Leads, customers, follow-ups, deals, contracts, payments; sees own records' },
  service_agent: { 'zh-CN': '客服', en: 'Service agent', descriptionZh: '工单与回访；可查看全部客户', descriptionEn: 'Tickets and care visits; reads all customers' },
  marketer: { 'zh-CN': '市场', en: 'Marketer', descriptionZh: '客户分群、邮件/短信营销、表单', descriptionEn: 'Segments, email/SMS campaigns, web forms' },
};

/** Every action of every registered entity at scope 'all': what the admin role holds. */
export function fullGrants(): { entity: string; action: string; scope: string }[] {
  return entityCatalog().flatMap((e) => e.actions.map((action) => ({ entity: e.key, action, scope: 'all' })));
}

/** Creates the five default roles of a new workspace and returns their ids by key. */
export async function seedRoles(db: Kysely<Database>, workspaceId: string, locale: Locale, now: string): Promise<Record<SeededRoleKey, string>> {
  const ids = {} as Record<SeededRoleKey, string>;
  for (const key of seededRoleKeys) {
    const id = newId();
    ids[key] = id;
    const names = roleNames[key];
    await db
      .insertInto('roles')
      .values({
        id,
        workspaceId,
        key,
        name: names[locale],
        description: locale === 'zh-CN' ? names.descriptionZh : names.descriptionEn,
        isSystem: key === 'admin' ? 1 : 0,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const grants =
      key === 'admin'
        ? fullGrants()
        : entityCatalog().flatMap((e) =>
            Object.entries(e.defaults[key] ?? {}).map(([action, scope]) => ({ entity: e.key, action, scope: String(scope) })),
          );
    if (grants.length > 0) {
      await db
        .insertInto('rolePermissions')
        .values(grants.map((g) => ({ ...g, workspaceId, roleId: id })))
        .execute();
    }
  }
  return ids;
}

/**
 * Entities registered after a workspace was created (new modules) must reach its admin role:
 * run at start-up, inserts whatever grant an admin role lacks.
 */
export async function syncAdminGrants(db: Kysely<Database>): Promise<number> {
  const admins = await db.selectFrom('roles').select(['id', 'workspaceId']).where('key', '=', 'admin').execute();
  let added = 0;
  const wanted = fullGrants();
  for (const role of admins) {
    const existing = await db.selectFrom('rolePermissions').select(['entity', 'action', 'scope']).where('roleId', '=', role.id).execute();
    const have = new Set(existing.map((g) => `${g.entity}:${g.action}:${g.scope}`));
    const missing = wanted.filter((g) => !have.has(`${g.entity}:${g.action}:${g.scope}`));
    for (const g of missing) {
      await db.deleteFrom('rolePermissions').where('roleId', '=', role.id).where('entity', '=', g.entity).where('action', '=', g.action).execute();
      await db.insertInto('rolePermissions').values({ ...g, workspaceId: role.workspaceId, roleId: role.id }).execute();
      added += 1;
    }
  }
  return added;
}
