import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJobsUntilIdle } from '../../jobs/runner';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { copyTuning } from './bulk-insert';
import { csvText, uploadImport } from './imports.fixtures';

/**
 * New customers are written with COPY on PostgreSQL (bulk-insert.ts `insertMany`) and multi-row
 * INSERTs on SQLite: the characters COPY's text format gives a meaning to must arrive unchanged.
 */
describe('bulk writes of imported rows', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('keeps tabs, newlines, backslashes, \\N and quotes in cells exactly', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const tricky = ['tab\there', 'line one\nline two', 'crlf\r\nend', 'back\\slash', '\\N', '\\.', 'say "hi", ok', '表情😀', ' ', 'trailing\\'];
    const count = Math.max(copyTuning.minRows, 1) + tricky.length;
    const rows = [['客户名称', '备注', '网址']];
    for (let i = 0; i < count; i += 1) {
      const remark = tricky[i % tricky.length] ?? '';
      rows.push([`转义客户${String(i).padStart(3, '0')}`, remark, i % 2 === 0 ? '' : `https://e.example/${i}`]);
    }
    const upload = await uploadImport<{ id: string; guesses: Record<string, string> }>(ws.admin, 'escape.csv', Buffer.from(csvText(rows)));
    expect(upload.status).toBe(201);
    expect((await ws.admin.post(`/api/v1/imports/${upload.body.id}/start`, { mapping: upload.body.guesses, duplicateMode: 'skip' })).status).toBe(202);
    await runJobsUntilIdle(t.deps);
    expect((await ws.admin.get<{ status: string; created: number }>(`/api/v1/imports/${upload.body.id}`)).body).toMatchObject({ status: 'done', created: count });

    const stored = await t.deps.db.selectFrom('customers').select(['name', 'remark', 'website', 'custom', 'version', 'locked']).where('workspaceId', '=', ws.workspaceId).execute();
    expect(stored).toHaveLength(count);
    const byName = new Map(stored.map((c) => [c.name, c]));
    for (let i = 0; i < count; i += 1) {
      const c = byName.get(`转义客户${String(i).padStart(3, '0')}`);
      const remark = tricky[i % tricky.length] ?? '';
      // The importer trims cells; a blank one is no value.
      expect(c?.remark ?? null, `row ${i}`).toBe(remark.trim() === '' ? null : remark.trim());
      expect(c?.website ?? null).toBe(i % 2 === 0 ? null : `https://e.example/${i}`);
      expect(Number(c?.version)).toBe(1);
    }
  });
});
