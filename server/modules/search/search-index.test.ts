import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { reindexContacts, reindexCustomers, reindexWorkspace } from './search.index';

async function found(client: Client, q: string): Promise<{ customers: string[]; contacts: string[] }> {
  const res = await client.get<{ customers: Json[]; contacts: Json[] }>(`/api/v1/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return { customers: res.body.customers.map((c) => String(c.name)).sort(), contacts: res.body.contacts.map((c) => String(c.name)).sort() };
}

describe('search index stays in step with every write', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('follows edits, deletes, restores, transfers and bulk deletes', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const created = await ws.admin.post('/api/v1/customers', { name: '钱塘旧名', phone: '13511112222', contact: { name: '钱一' } });
    const id = String(created.body.id);
    expect(await found(ws.admin, '旧名')).toEqual({ customers: ['钱塘旧名'], contacts: ['钱一'] });

    const renamed = await ws.admin.patch(`/api/v1/customers/${id}`, { name: '钱塘新名', phone: '13599998888', email: 'new@qiantang.cn' });
    expect(renamed.status).toBe(200);
    expect(await found(ws.admin, '旧名')).toEqual({ customers: [], contacts: [] });
    // The contact's company changed with the customer's name.
    expect(await found(ws.admin, '新名')).toEqual({ customers: ['钱塘新名'], contacts: ['钱一'] });
    expect((await found(ws.admin, '1111')).customers).toEqual([]);
    expect((await found(ws.admin, '9998')).customers).toEqual(['钱塘新名']);
    expect((await found(ws.admin, 'qiantang')).customers).toEqual(['钱塘新名']);

    expect((await ws.admin.delete(`/api/v1/customers/${id}`)).status).toBe(204);
    expect(await found(ws.admin, '钱')).toEqual({ customers: [], contacts: [] });
    expect((await ws.admin.get<{ data: Json[] }>('/api/v1/customers?deleted=true&q=%E9%92%B1')).body.data).toHaveLength(1);
    expect((await ws.admin.post(`/api/v1/customers/${id}/restore`)).status).toBe(200);
    expect(await found(ws.admin, '钱')).toEqual({ customers: ['钱塘新名'], contacts: ['钱一'] });

    // A transfer changes who may find it.
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    expect(await found(repClient, '钱塘')).toEqual({ customers: [], contacts: [] });
    expect((await ws.admin.post(`/api/v1/customers/${id}/transfer`, { ownerId: rep.id })).status).toBe(200);
    expect(await found(repClient, '钱塘')).toEqual({ customers: ['钱塘新名'], contacts: ['钱一'] });

    const other = String((await ws.admin.post('/api/v1/customers', { name: '钱庄' })).body.id);
    const bulk = await ws.admin.post('/api/v1/customers/bulk', { action: 'delete', ids: [id, other] });
    expect(bulk.status).toBe(200);
    expect(await found(ws.admin, '钱')).toEqual({ customers: [], contacts: [] });
  });

  it('indexes rows written outside the services once reindexCustomers / reindexContacts run (imports)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { db, dialect } = t.deps;
    const now = new Date().toISOString();
    const ids = Array.from({ length: 3 }, () => newId());
    await db
      .insertInto('customers')
      .values(
        ids.map((id, i) => ({
          id,
          workspaceId: ws.workspaceId,
          name: `导入客户${i}`,
          nameKey: `导入客户${i}`,
          kind: 'company',
          phone: `1370000000${i}`,
          phoneKey: phoneKey(`1370000000${i}`),
          email: null,
          emailKey: null,
          website: null,
          level: null,
          source: null,
          industry: null,
          lifecycleStage: 'prospect',
          dealStatus: 'none',
          ownerId: ws.adminId,
          locked: 0,
          province: null,
          city: null,
          district: null,
          address: null,
          primaryContactId: null,
          remark: null,
          lastFollowupAt: null,
          lastFollowupContent: null,
          nextFollowupAt: null,
          ownerSince: now,
          custom: '{}',
          createdBy: ws.adminId,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
          deletedBy: null,
        })),
      )
      .execute();
    expect((await found(ws.admin, '导入')).customers).toEqual([]);
    await db.transaction().execute((trx) => reindexCustomers(trx, dialect, ws.workspaceId, ids));
    expect((await found(ws.admin, '导入')).customers).toEqual(['导入客户0', '导入客户1', '导入客户2']);

    const contactId = newId();
    await db
      .insertInto('contacts')
      .values({ id: contactId, workspaceId: ws.workspaceId, customerId: ids[0] ?? '', ownerId: ws.adminId, name: '导入联系人', phone: null, phoneKey: null, email: null, emailKey: null, title: null, department: null, wechat: null, isPrimary: 0, isDecisionMaker: 0, remark: null, lastFollowupAt: null, lastFollowupContent: null, nextFollowupAt: null, custom: '{}', createdBy: null, createdAt: now, updatedAt: now, deletedAt: null })
      .execute();
    await reindexContacts(db, dialect, ws.workspaceId, [contactId]);
    expect((await found(ws.admin, '联系人')).contacts).toEqual(['导入联系人']);
    await db.updateTable('contacts').set({ deletedAt: now }).where('id', '=', contactId).execute();
    await reindexContacts(db, dialect, ws.workspaceId, [contactId, newId()]);
    expect((await found(ws.admin, '联系人')).contacts).toEqual([]);

    // A full rebuild gives the same answers.
    await reindexWorkspace(db, dialect, ws.workspaceId);
    expect((await found(ws.admin, '导入客户1')).customers).toEqual(['导入客户1']);
    const docs = await db.selectFrom('searchDocs').select('recordId').where('workspaceId', '=', ws.workspaceId).execute();
    expect(docs.map((d) => d.recordId).sort()).toEqual([...ids].sort());
  });
});
