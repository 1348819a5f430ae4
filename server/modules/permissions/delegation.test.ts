import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin } from '../../testing/factories';
import { expectProblem } from '../../testing/expect-problem';
import { createTestApp, type TestApp } from '../../testing/test-app';

/** Nobody hands out more than they hold: the guard against "user:edit makes me admin". */
describe('delegation limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('a user manager cannot give anyone (or themselves) the admin role', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'user', action: 'view' },
      { entity: 'user', action: 'create' },
      { entity: 'user', action: 'edit' },
    ]);
    const self = await manager.session.get<{ user: { id: string } }>('/api/v1/auth/me');
    const admin = ws.roles.admin ?? '';
    expectProblem(await manager.session.patch(`/api/v1/users/${self.body.user.id}`, { roleIds: [admin] }), 403, 'forbidden');
    expectProblem(
      await manager.session.post('/api/v1/users', { name: 'Mallory', email: 'mallory@example.com', password: 'Long-enough-pw-1', roleIds: [admin] }),
      403,
      'forbidden',
    );
    // Roles within the manager's own powers are fine.
    const ok = await manager.session.post('/api/v1/users', { name: 'Rep', email: 'rep-ok@example.com', password: 'Long-enough-pw-1', roleIds: [] });
    expect(ok.status).toBe(201);
  });

  it('cannot reset the password of someone more powerful', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const manager = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'user', action: 'view' },
      { entity: 'user', action: 'edit' },
    ]);
    expectProblem(await manager.session.post(`/api/v1/users/${ws.adminId}/reset-password`, { password: 'Takeover-pass-1' }), 403, 'forbidden');
    const peer = await createUser(t.app, ws.admin);
    const reset = await manager.session.post(`/api/v1/users/${peer.id}/reset-password`, { password: 'Fresh-pass-123' });
    expect(reset.status).toBe(204);
  });

  it('cannot mint an API key or a role stronger than themselves', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const keyMaker = await createUserWithGrants(t.app, ws.admin, [
      { entity: 'apiKey', action: 'create' },
      { entity: 'role', action: 'create' },
      { entity: 'role', action: 'view' },
    ]);
    expectProblem(await keyMaker.session.post('/api/v1/api-keys', { name: 'root', roleId: ws.roles.admin }), 403, 'forbidden');
    expectProblem(
      await keyMaker.session.post('/api/v1/roles', { name: 'Wider', permissions: [{ entity: 'auditLog', action: 'view', scope: 'all' }] }),
      403,
      'forbidden',
    );
    const narrow = await keyMaker.session.post('/api/v1/roles', { name: 'Viewer', permissions: [{ entity: 'role', action: 'view', scope: 'all' }] });
    expect(narrow.status).toBe(201);
  });
});
