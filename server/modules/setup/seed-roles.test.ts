import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEntity } from '../../../common/permissions';
import { grantPaymentExport } from '../../db/migrations/0020-role-defaults-applied';
import { createUser, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { expectProblem } from '../../testing/expect-problem';
import { createTestApp, signIn, type TestApp, testPassword } from '../../testing/test-app';
import { syncSeededRoleGrants } from './seed-roles';

// Grants of seeded roles when the permission catalog grows after a workspace was set up (upgrades).
describe('seeded roles get the defaults of new actions once', () => {
  let t: TestApp;
  let ws: TestWorkspace;
  let repEmail: string;
  const grantsOf = async (roleKey: string, entity: string) =>
    (await t.deps.db.selectFrom('rolePermissions').select(['action', 'scope']).where('roleId', '=', ws.roles[roleKey] ?? '').where('entity', '=', entity).orderBy('action').execute()).map((g) => `${g.action}:${g.scope}`);

  beforeAll(async () => {
    t = await createTestApp();
    ws = await createWorkspaceWithAdmin(t);
    // Made before the probe entity below exists: the admin may only grant what the admin holds.
    repEmail = (await createUser(t.app, ws.admin, { name: 'Rep', roleIds: [ws.roles.sales ?? ''] })).email;
  });
  afterAll(async () => {
    await t.close();
  });

  it('a new workspace has every default applied: nothing to add', async () => {
    expect(await syncSeededRoleGrants(t.deps.db, { workspaceId: ws.workspaceId })).toBe(0);
    const applied = await t.deps.db.selectFrom('roleDefaultsApplied').select(['entity', 'action']).where('workspaceId', '=', ws.workspaceId).execute();
    expect(applied).toContainEqual({ entity: 'payment', action: 'export' });
  });

  it('an entity added later reaches the seeded roles with their scopes, once, and a revoked default stays revoked', async () => {
    registerEntity(
      { key: 'roleSyncProbe', actions: ['view', 'export'], scoped: true, fields: [] },
      { sales: { view: 'own', export: 'own' }, sales_manager: { view: 'subordinates' } },
    );
    // The sales manager already holds a scope for export (an admin gave it): kept as it is.
    await t.deps.db.insertInto('rolePermissions').values({ workspaceId: ws.workspaceId, roleId: ws.roles.sales_manager ?? '', entity: 'roleSyncProbe', action: 'export', scope: 'all' }).execute();
    expect(await syncSeededRoleGrants(t.deps.db, { workspaceId: ws.workspaceId })).toBe(3);
    expect(await grantsOf('sales', 'roleSyncProbe')).toEqual(['export:own', 'view:own']);
    expect(await grantsOf('sales_manager', 'roleSyncProbe')).toEqual(['export:all', 'view:subordinates']);
    expect(await grantsOf('marketer', 'roleSyncProbe')).toEqual([]);

    // The admin takes the rep's export away; the next start-up does not put it back.
    await t.deps.db.deleteFrom('rolePermissions').where('roleId', '=', ws.roles.sales ?? '').where('entity', '=', 'roleSyncProbe').where('action', '=', 'export').execute();
    expect(await syncSeededRoleGrants(t.deps.db, { workspaceId: ws.workspaceId })).toBe(0);
    expect(await grantsOf('sales', 'roleSyncProbe')).toEqual(['view:own']);
  });

  it('migration 0020 gives payment:export to reps who view payments, at their view scope, and the rep can export', async () => {
    // A workspace from before payment:export: the rep's role lacks it.
    await t.deps.db.deleteFrom('rolePermissions').where('roleId', 'in', [ws.roles.sales ?? '', ws.roles.sales_manager ?? '']).where('entity', '=', 'payment').where('action', '=', 'export').execute();
    expectProblem(await (await signIn(t.app, repEmail, testPassword)).post('/api/v1/exports', { entity: 'payment' }), 403, 'forbidden');

    await grantPaymentExport(t.deps.db, ws.workspaceId);
    expect(await grantsOf('sales', 'payment')).toContain('export:own');
    expect(await grantsOf('sales_manager', 'payment')).toContain('export:subordinates');
    expect(await grantsOf('service_agent', 'payment')).not.toContain('export:all');
    const res = await (await signIn(t.app, repEmail, testPassword)).post<{ id: string }>('/api/v1/exports', { entity: 'payment' });
    expect(res.status).toBeLessThan(300);
    // Run again: nothing doubled (one scope per role and action).
    await grantPaymentExport(t.deps.db, ws.workspaceId);
    expect((await grantsOf('sales', 'payment')).filter((g) => g.startsWith('export:'))).toEqual(['export:own']);
  });
});
