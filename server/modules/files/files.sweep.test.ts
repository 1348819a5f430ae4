import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../jobs/system-jobs';
import { runJobsUntilIdle } from '../../jobs/runner';
import { countScheduledJobs } from '../../jobs/schedules';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { signIn, type Json, type TestApp, testPassword } from '../../testing/test-app';
import { uploadFile, useFilesTestApp } from './files.testing';
import { unattachedFileDays } from './files.sweep';

describe('uploads nothing carries', () => {
  let t: TestApp;
  useFilesTestApp((app) => (t = app));

  it('go after a week (rows and contents, in the daily job); attached ones and recent ones stay', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post<Json>('/api/v1/customers', { name: '附件清理客户' });
    const attached = await uploadFile(ws.admin, 'attached.txt', 'kept');
    const dropped = await uploadFile(ws.admin, 'dropped.txt', 'taken off by an edit');
    const neverSent = await uploadFile(ws.admin, 'never-sent.txt', 'form never sent');
    const followUp = await ws.admin.post<{ id: string; version: number }>('/api/v1/follow-ups', { entity: 'customer', recordId: customer.body.id, type: 'call', content: 'x', attachmentIds: [attached.body.id, dropped.body.id] });
    expect(followUp.status, JSON.stringify(followUp.body)).toBe(201);
    expect((await ws.admin.patch(`/api/v1/follow-ups/${followUp.body.id}`, { attachmentIds: [attached.body.id] })).status).toBe(200);
    const onDisk = (id: string) => fs.existsSync(path.join(t.deps.config.dataDir, 'files', ws.workspaceId, id));

    t.clock.advance((unattachedFileDays + 1) * 86_400_000);
    const admin = await signIn(t.app, ws.adminEmail, testPassword);
    const recent = await uploadFile(admin, 'recent.txt', 'just picked');
    await runJobsUntilIdle(t.deps, { schedules: true });
    expect(await countScheduledJobs(t.deps, 'files.sweep-unattached')).toBeGreaterThan(0);

    const left = await t.deps.db.selectFrom('files').select('id').where('workspaceId', '=', ws.workspaceId).orderBy('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([attached.body.id, recent.body.id].sort());
    expect([attached, dropped, neverSent, recent].map((f) => onDisk(f.body.id))).toEqual([true, false, false, true]);
    expect((await admin.get(`/api/v1/files/${attached.body.id}`)).status).toBe(200);
  });
});
