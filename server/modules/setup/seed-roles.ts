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
  await markDefaultsApplied(db, workspaceId, defaultPairs());
  return ids;
}

type NonAdminKey = Exclude<SeededRoleKey, 'admin'>;

/** Every (entity, action) some non-admin seeded role gets by default, with those roles' scopes. */
function defaultPairs(): { entity: string; action: string; scopes: Partial<Record<NonAdminKey, string>> }[] {
  const pairs = new Map<string, { entity: string; action: string; scopes: Partial<Record<NonAdminKey, string>> }>();
  for (const e of entityCatalog()) {
    for (const [key, actions] of Object.entries(e.defaults) as [NonAdminKey, Record<string, string>][]) {
      for (const [action, scope] of Object.entries(actions)) {
        const id = `${e.key}:${action}`;
        const pair = pairs.get(id) ?? { entity: e.key, action, scopes: {} };
        pair.scopes[key] = scope;
        pairs.set(id, pair);
      }
    }
  }
  return [...pairs.values()];
}

async function markDefaultsApplied(db: Kysely<Database>, workspaceId: string, pairs: readonly { entity: string; action: string }[]): Promise<void> {
  if (pairs.length > 0) {
    await db
      .insertInto('roleDefaultsApplied')
      .values(pairs.map((p) => ({ workspaceId, entity: p.entity, action: p.action })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * An action added to the catalog after a workspace was set up (a new module, or e.g.
 * payment:export) reaches that workspace's seeded roles (sales, sales_manager, …) with their default
 * scope — once. role_defaults_applied remembers every pair offered, so a grant an admin has taken
 * away since stays away, and a role that already has some scope for the action keeps it. Roles an
 * admin made are never touched. Run at start-up after syncAdminGrants; returns the grants added.
 */
export async function syncSeededRoleGrants(db: Kysely<Database>, only?: { workspaceId: string }): Promise<number> {
  const pairs = defaultPairs();
  const workspaces = await db.selectFrom('workspaces').select('id').$if(only !== undefined, (qb) => qb.where('id', '=', only?.workspaceId ?? '')).execute();
  const applied = await db
    .selectFrom('roleDefaultsApplied')
    .select(['workspaceId', 'entity', 'action'])
    .$if(only !== undefined, (qb) => qb.where('workspaceId', '=', only?.workspaceId ?? ''))
    .execute();
  const done = new Set(applied.map((a) => `${a.workspaceId}|${a.entity}:${a.action}`));
  let added = 0;
  for (const { id: workspaceId } of workspaces) {
    const missing = pairs.filter((p) => !done.has(`${workspaceId}|${p.entity}:${p.action}`));
    if (missing.length === 0) {
      continue;
    }
    added += await db.transaction().execute(async (trx) => {
      const roles = await trx.selectFrom('roles').select(['id', 'key']).where('workspaceId', '=', workspaceId).where('key', 'in', seededRoleKeys.filter((k) => k !== 'admin')).execute();
      const held = await trx.selectFrom('rolePermissions').select(['roleId', 'entity', 'action']).where('workspaceId', '=', workspaceId).execute();
      const has = new Set(held.map((h) => `${h.roleId}|${h.entity}:${h.action}`));
      const grants = missing.flatMap((p) =>
        roles.flatMap((r) => {
          const scope = p.scopes[r.key as NonAdminKey];
          return scope === undefined || has.has(`${r.id}|${p.entity}:${p.action}`) ? [] : [{ workspaceId, roleId: r.id, entity: p.entity, action: p.action, scope }];
        }),
      );
      if (grants.length > 0) {
        await trx.insertInto('rolePermissions').values(grants).execute();
      }
      await markDefaultsApplied(trx, workspaceId, missing);
      return grants.length;
    });
  }
  return added;
}

/** Start-up: the admin role gets the whole catalog, seeded roles the defaults of new actions. */
export async function syncGrants(db: Kysely<Database>): Promise<void> {
  await syncAdminGrants(db);
  await syncSeededRoleGrants(db);
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
