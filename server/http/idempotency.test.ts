import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceWithAdmin } from '../testing/factories';
import { createTestApp, type TestApp } from '../testing/test-app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('replays the first answer for a retried write instead of creating a duplicate', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const headers = { 'idempotency-key': 'dept-create-1' };
    const first = await ws.admin.post('/api/v1/departments', { name: 'East' }, headers);
    const second = await ws.admin.post('/api/v1/departments', { name: 'East' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await ws.admin.get<{ data: { name: string }[] }>('/api/v1/departments');
    expect(list.body.data.filter((d) => d.name === 'East')).toHaveLength(1);
  });

  it('refuses the same key for a different request', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const headers = { 'idempotency-key': 'k-2' };
    expect((await ws.admin.post('/api/v1/departments', { name: 'A' }, headers)).status).toBe(201);
    const other = await ws.admin.post('/api/v1/departments', { name: 'B' }, headers);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_mismatch');
  });

  it('releases the key when the write failed, so a corrected retry can succeed', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const headers = { 'idempotency-key': 'k-3' };
    const failed = await ws.admin.post('/api/v1/departments', { name: 'X', parentId: '01a205a9-f24e-70e8-a482-330494304f4b' }, headers);
    expect(failed.status).toBe(400);
    const retried = await ws.admin.post('/api/v1/departments', { name: 'X', parentId: '01a205a9-f24e-70e8-a482-330494304f4b' }, headers);
    expect(retried.status).toBe(400);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keys are per caller', async () => {
    const a = await createWorkspaceWithAdmin(t);
    const b = await createWorkspaceWithAdmin(t);
    const headers = { 'idempotency-key': 'shared-key' };
    const first = await a.admin.post('/api/v1/departments', { name: 'Same' }, headers);
    const second = await b.admin.post('/api/v1/departments', { name: 'Same' }, headers);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('keys expire after 24 hours', async () => {
    // Sessions must outlive the day this test skips over.
    const long = await createTestApp({ sessionIdleMinutes: 3000, sessionAbsoluteHours: 72 });
    try {
      const ws = await createWorkspaceWithAdmin(long);
      const headers = { 'idempotency-key': 'k-4' };
      const first = await ws.admin.post('/api/v1/departments', { name: 'Day1' }, headers);
      long.clock.advance(25 * 3_600_000);
      const later = await ws.admin.post('/api/v1/departments', { name: 'Day1' }, headers);
      expect(later.status).toBe(201);
      expect(later.body.id).not.toBe(first.body.id);
    } finally {
      await long.close();
    }
  });
});

describe('Idempotency-Key and secrets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('never stores an API key secret for replay', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const res = await ws.admin.post<{ secret: string }>('/api/v1/api-keys', { name: 'erp', roleId: ws.roles.sales }, { 'idempotency-key': 'key-1' });
    expect(res.status).toBe(201);
    const stored = await t.deps.db.selectFrom('idempotencyKeys').select('responseBody').where('workspaceId', '=', ws.workspaceId).execute();
    expect(stored.some((r) => r.responseBody.includes(res.body.secret))).toBe(false);
  });
});
