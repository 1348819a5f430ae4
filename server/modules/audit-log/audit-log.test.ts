import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createUserWithGrants, createWorkspaceWithAdmin, type TestWorkspace } from '../../testing/factories';
import { anonymous, Client, createTestApp, type TestApp, testPassword } from '../../testing/test-app';

interface Entry {
  id: string;
  action: string;
  actorUserId: string | null;
  actorName: string | null;
  actorApiKeyId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: Record<string, unknown> | null;
  createdAt: string;
}
interface Page {
  data: Entry[];
  nextCursor: string | null;
}

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function entries(ws: TestWorkspace, query = ''): Promise<Entry[]> {
    const res = await ws.admin.get<Page>(`/api/v1/audit-log?limit=200${query}`);
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('records sign-ins (with ip and user agent) and failed sign-ins', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin, { name: 'Signer' });
    await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: 'Wrong-password-1' }, { 'user-agent': 'Firefox/130' });
    await anonymous(t.app).post('/api/v1/auth/login', { email: user.email, password: testPassword }, { 'user-agent': 'Firefox/130' });
    const logins = await entries(ws, `&userId=${user.id}`);
    expect(logins.map((e) => e.action)).toEqual(['auth.login', 'auth.login_failed']);
    expect(logins[0]).toEqual({
      id: expect.any(String) as unknown,
      action: 'auth.login',
      actorUserId: user.id,
      actorName: 'Signer',
      actorApiKeyId: null,
      targetType: 'user',
      targetId: user.id,
      ip: '127.0.0.1',
      userAgent: 'Firefox/130',
      detail: null,
      createdAt: t.clock.now.toISOString(),
    });
    expect(logins[1]).toMatchObject({ ip: '127.0.0.1', detail: { reason: 'wrong_password' } });
  });

  it('records bulk actions under codes its filter takes, and refuses an action it never records', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post<{ id: string }>('/api/v1/customers', { name: 'Bulk Audit Co' });
    const tag = await ws.admin.post<{ id: string }>('/api/v1/tags', { name: 'VIP', color: '#ff0000' });
    expect(tag.status, JSON.stringify(tag.body)).toBe(201);
    const bulk = await ws.admin.post('/api/v1/customers/bulk', { action: 'addTags', tagIds: [tag.body.id], ids: [customer.body.id] });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    const tagged = await entries(ws, '&action=customer.bulk_add_tags');
    expect(tagged.map((e) => e.action)).toEqual(['customer.bulk_add_tags']);
    expect((await ws.admin.get('/api/v1/audit-log?action=customer.bulk_addTags')).status).toBe(400);
    expect((await ws.admin.get('/api/v1/audit-log?action=nothing.happened')).status).toBe(400);
  });

  it('records user, role, permission and API key changes with their actor', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const role = await ws.admin.post<{ id: string }>('/api/v1/roles', { name: 'Auditable', permissions: [{ entity: 'user', action: 'view', scope: 'own' }] });
    await ws.admin.patch(`/api/v1/roles/${role.body.id}`, { permissions: [{ entity: 'user', action: 'view', scope: 'all' }] });
    const user = await createUser(t.app, ws.admin, { roleIds: [role.body.id] });
    await ws.admin.patch(`/api/v1/users/${user.id}`, { roleIds: [ws.roles.sales ?? ''] });
    await ws.admin.post(`/api/v1/users/${user.id}/deactivate`);
    await ws.admin.post(`/api/v1/users/${user.id}/activate`);
    await ws.admin.post(`/api/v1/users/${user.id}/reset-password`, { password: 'Reset-password-88' });
    const key = await ws.admin.post<{ id: string; secret: string }>('/api/v1/api-keys', { name: 'Audited key', roleId: role.body.id });
    await new Client(t.app, { bearer: key.body.secret }).get('/api/v1/users');
    await ws.admin.delete(`/api/v1/api-keys/${key.body.id}`);

    const all = await entries(ws);
    const actions = all.map((e) => e.action).reverse();
    expect(actions).toEqual([
      'setup.completed',
      'auth.login',
      'role.created',
      'role.updated',
      'user.created',
      'user.updated',
      'user.deactivated',
      'user.activated',
      'user.password_reset',
      'api_key.created',
      'api_key.used',
      'api_key.revoked',
    ]);
    const byAction = new Map(all.map((e) => [e.action, e]));
    expect(byAction.get('user.updated')).toMatchObject({
      actorUserId: ws.adminId,
      actorName: 'Admin',
      targetType: 'user',
      targetId: user.id,
      detail: { changes: { roleIds: { from: [role.body.id], to: [ws.roles.sales] } } },
    });
    expect(byAction.get('role.updated')?.detail).toMatchObject({
      from: { permissions: [{ entity: 'user', action: 'view', scope: 'own' }] },
      to: { permissions: [{ entity: 'user', action: 'view', scope: 'all' }] },
    });
    expect(byAction.get('api_key.used')).toMatchObject({ actorUserId: null, actorName: null, actorApiKeyId: key.body.id });
    expect(byAction.get('api_key.revoked')).toMatchObject({ actorUserId: ws.adminId, targetId: key.body.id });
    expect(JSON.stringify(all)).not.toContain('Reset-password-88');
    expect(JSON.stringify(all)).not.toContain(testPassword);
    expect(JSON.stringify(all)).not.toContain(key.body.secret);
  });

  it('filters by user, action and time range', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const user = await createUser(t.app, ws.admin);
    const start = t.clock.now.toISOString();
    t.clock.advance(60_000);
    const middle = t.clock.now.toISOString();
    const session = await user.client();
    await session.patch('/api/v1/auth/me', { name: 'Changed' });
    await session.post('/api/v1/auth/logout');
    t.clock.advance(60_000);
    const late = t.clock.now.toISOString();
    await ws.admin.post('/api/v1/departments', { name: 'Later' });

    expect((await entries(ws, `&userId=${user.id}`)).map((e) => e.action)).toEqual(['auth.logout', 'auth.login']);
    expect((await entries(ws, '&action=department.created')).map((e) => e.createdAt)).toEqual([late]);
    expect((await entries(ws, `&from=${encodeURIComponent(middle)}&to=${encodeURIComponent(middle)}`)).map((e) => e.action)).toEqual([
      'auth.logout',
      'auth.login',
    ]);
    expect((await entries(ws, `&to=${encodeURIComponent(start)}`)).every((e) => e.createdAt <= start)).toBe(true);
    expect((await entries(ws, `&from=${encodeURIComponent(late)}`)).map((e) => e.action)).toEqual(['department.created']);
    // Offsets are normalised to UTC.
    const plus8 = new Date(Date.parse(late) + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
    expect((await entries(ws, `&from=${encodeURIComponent(plus8)}`)).map((e) => e.action)).toEqual(['department.created']);
    expect(await entries(ws, `&userId=${user.id}&action=department.created`)).toEqual([]);
  });

  it('pages newest first with a keyset cursor, without duplicates or gaps', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (let i = 0; i < 13; i += 1) {
      if (i % 5 === 0) {
        t.clock.advance(1000);
      }
      await ws.admin.post('/api/v1/departments', { name: `Dept ${i}` });
    }
    const everything = await entries(ws);
    expect(everything).toHaveLength(15);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/audit-log?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await ws.admin.get<Page>(url);
      seen.push(...res.body.data.map((e) => e.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(everything.map((e) => e.id));
    const times = everything.map((e) => e.createdAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('validates the query with 400', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    for (const query of ['userId=nope', 'action=DROP TABLE', 'from=yesterday', 'to=2026-13-01', 'limit=500', 'cursor=%%%', 'sort=createdAt']) {
      expectProblem(await ws.admin.get(`/api/v1/audit-log?${query}`), 400, 'validation_failed');
    }
  });

  it('has no way to change or delete entries over HTTP, and the database refuses too', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const [entry] = await entries(ws);
    expect(entry).toBeDefined();
    const id = entry?.id ?? '';
    for (const res of [
      await ws.admin.patch('/api/v1/audit-log', { action: 'x.y' }),
      await ws.admin.delete('/api/v1/audit-log'),
      await ws.admin.patch(`/api/v1/audit-log/${id}`, { action: 'x.y' }),
      await ws.admin.delete(`/api/v1/audit-log/${id}`),
      await ws.admin.get(`/api/v1/audit-log/${id}`),
    ]) {
      expect([404, 405]).toContain(res.status);
    }
    const db = t.deps.db;
    await expect(db.updateTable('auditLog').set({ action: 'tampered' }).where('workspaceId', '=', ws.workspaceId).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('auditLog').where('workspaceId', '=', ws.workspaceId).execute()).rejects.toThrow(/append-only/);
    expect((await entries(ws)).find((e) => e.id === id)).toEqual(entry);
  });

  it('answers 403 without auditLog:view, 401 without credentials, and shows only its own workspace', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const other = await createWorkspaceWithAdmin(t);
    const member = await createUserWithGrants(t.app, ws.admin, [{ entity: 'user', action: 'view' }]);
    expectProblem(await member.session.get('/api/v1/audit-log'), 403, 'forbidden');
    expectProblem(await anonymous(t.app).get('/api/v1/audit-log'), 401, 'unauthenticated');
    const auditor = await createUserWithGrants(t.app, ws.admin, [{ entity: 'auditLog', action: 'view' }]);
    expect((await auditor.session.get('/api/v1/audit-log')).status).toBe(200);

    const theirs = await entries(other);
    const ours = await entries(ws);
    expect(theirs.map((e) => e.id).filter((id) => ours.some((o) => o.id === id))).toEqual([]);
    expect(theirs.every((e) => e.actorUserId === null || e.actorUserId === other.adminId)).toBe(true);
    expect(await entries(other, `&userId=${ws.adminId}`)).toEqual([]);
  });
});
