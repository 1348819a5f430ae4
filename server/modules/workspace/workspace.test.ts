import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../testing/expect-problem';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';

interface WorkspaceJson {
  name: string;
  settings: { recycleBinDays: number };
  version: number;
}

describe('workspace settings', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses settings based on a version another admin changed meanwhile (If-Match, 412) and keeps theirs', async () => {
    const ws = await createWorkspaceWithAdmin(t, 'Versioned Co');
    const second = await (await createUser(t.app, ws.admin, { roleIds: [ws.roles.admin ?? ''] })).client();
    const loaded = (await ws.admin.get<WorkspaceJson>('/api/v1/workspace')).body;
    expect(loaded).toMatchObject({ settings: { recycleBinDays: 30 }, version: 1 });
    const theirs = await second.patch<WorkspaceJson>('/api/v1/workspace', { settings: { recycleBinDays: 90 } }, { 'if-match': '"1"' });
    expect(theirs.body).toMatchObject({ settings: { recycleBinDays: 90 }, version: 2 });
    expectProblem(await ws.admin.patch('/api/v1/workspace', { name: 'Renamed Co', settings: { recycleBinDays: 7 } }, { 'if-match': '"1"' }), 412, 'version_mismatch');
    expect((await ws.admin.get<WorkspaceJson>('/api/v1/workspace')).body).toMatchObject({ name: 'Versioned Co', settings: { recycleBinDays: 90 }, version: 2 });
    // Without If-Match an edit still applies (and moves the version on).
    expect((await ws.admin.patch<WorkspaceJson>('/api/v1/workspace', { name: 'Renamed Co' })).body).toMatchObject({ name: 'Renamed Co', settings: { recycleBinDays: 90 }, version: 3 });
  });
});
