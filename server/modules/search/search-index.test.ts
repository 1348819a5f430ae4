import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneKey } from '../../../common/normalize';
import { newId } from '../../db/ids';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { type Client, createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { reindexContacts, reindexCustomers, reindexWorkspace } from './search.index';
import { fillWorkspaceIndex } from './search.rebuild';

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

describe('bulk fill of a workspace (search.rebuild.ts) matches the incremental path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const queries = ['张', '张三', '三丰', '科技', 'abc', 'ＡＢＣ', '星辰科技', '5678', '1381234', 'zhang.san', 'example', '武当', '王'];

  /** The workspace's customer/contact docs as stored (without ids), and what admin and rep find. */
  async function snapshot(ws: Awaited<ReturnType<typeof createWorkspaceWithAdmin>>, rep: Client) {
    const { db, dialect } = t.deps;
    const docs = await db
      .selectFrom('searchDocs')
      .select(['entity', 'recordId', 'customerId', 'ownerId', 'name', 'company', 'phone', 'email', ...(dialect === 'postgres' ? [sql<string>`array_to_string(grams, ' ')`.as('grams')] : [])])
      .where('workspaceId', '=', ws.workspaceId)
      .orderBy('entity')
      .orderBy('recordId')
      .execute();
    const answers: Record<string, unknown> = {};
    for (const q of queries) {
      answers[`admin ${q}`] = await found(ws.admin, q);
      answers[`rep ${q}`] = await found(rep, q);
    }
    // PostgreSQL: the n-grams as a set (their order in the array is not part of the contract).
    return { docs: docs.map((d) => ({ ...d, ...('grams' in d ? { grams: String(d.grams).split(' ').sort().join(' ') } : {}) })), answers };
  }

  async function indexState() {
    const { db, dialect } = t.deps;
    const rows =
      dialect === 'postgres'
        ? await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'search_docs' order by 1`.execute(db)
        : await sql<{ name: string }>`select name from sqlite_master where tbl_name = 'search_docs' and type in ('index', 'trigger') order by 1`.execute(db);
    return rows.rows.map((r) => r.name);
  }

  async function clear(workspaceId: string) {
    await t.deps.db.deleteFrom('searchDocs').where('workspaceId', '=', workspaceId).where('entity', 'in', ['customer', 'contact']).execute();
  }

  it('writes the same docs and gives the same answers, with indexes and triggers rebuilt or kept', async () => {
    const { db, dialect } = t.deps;
    const ws = await createWorkspaceWithAdmin(t);
    const rep = await createUser(t.app, ws.admin, { roleIds: [ws.roles.sales ?? ''] });
    const repClient = await rep.client();
    const made: string[] = [];
    const customer = async (body: Record<string, unknown>) => {
      const res = await ws.admin.post('/api/v1/customers', body);
      expect(res.status).toBe(201);
      made.push(String(res.body.id));
      return String(res.body.id);
    };
    const star = await customer({ name: '星辰科技有限公司', phone: '+86 138-1234-5678', email: 'Info@StarTech.cn', contact: { name: '张三丰', phone: '13912345678', email: 'Zhang.San@Example.com' } });
    await customer({ name: 'ＡＢＣ  贸易', email: 'abc@example.com' });
    const wudang = await customer({ name: '武当实业', phone: '021-5555 1234', contact: { name: '张翠山' } });
    const binned = await customer({ name: '张三科技（已删除）', contact: { name: '王五' } });
    expect((await ws.admin.post('/api/v1/contacts', { customerId: star, name: '王小明', phone: '13800005678' })).status).toBe(201);
    const gone = await ws.admin.post('/api/v1/contacts', { customerId: wudang, name: '张无忌' });
    expect((await ws.admin.delete(`/api/v1/contacts/${String(gone.body.id)}`)).status).toBe(204);
    expect((await ws.admin.delete(`/api/v1/customers/${binned}`)).status).toBe(204);
    expect((await ws.admin.post(`/api/v1/customers/${wudang}/transfer`, { ownerId: rep.id })).status).toBe(200);
    // Another workspace's docs must be left alone by the fill.
    const other = await createWorkspaceWithAdmin(t, 'Other Co');
    expect((await other.admin.post('/api/v1/customers', { name: '张三其他公司' })).status).toBe(201);
    const otherDocs = async () => (await db.selectFrom('searchDocs').select(['recordId', 'name']).where('workspaceId', '=', other.workspaceId).execute()).length;

    const incremental = await snapshot(ws, repClient);
    expect(incremental.docs.length).toBe(6); // 3 live customers + 3 live contacts of live customers
    expect(incremental.answers['admin 张']).toEqual({ customers: [], contacts: ['张三丰', '张翠山'] });
    expect(incremental.answers['rep 张']).toEqual({ customers: [], contacts: ['张翠山'] });
    const indexesBefore = await indexState();
    const otherBefore = await otherDocs();

    for (const rebuildIndexes of [true, false]) {
      await clear(ws.workspaceId);
      expect((await found(ws.admin, '张')).contacts).toEqual([]);
      const written = await fillWorkspaceIndex(db, dialect, ws.workspaceId, { rebuildIndexes });
      expect(written).toBe(6);
      expect(await snapshot(ws, repClient)).toEqual(incremental);
      expect(await indexState()).toEqual(indexesBefore);
      expect(await otherDocs()).toBe(otherBefore);
      if (dialect === 'sqlite') {
        // The trigram table agrees with its content table row for row.
        await sql`insert into search_fts(search_fts, rank) values ('integrity-check', 1)`.execute(db);
      }
    }

    // Inside a caller's transaction (a migration), and through reindexWorkspace (it picks the fill for an empty workspace).
    await clear(ws.workspaceId);
    await db.transaction().execute((trx) => fillWorkspaceIndex(trx, dialect, ws.workspaceId, { rebuildIndexes: true }));
    expect(await snapshot(ws, repClient)).toEqual(incremental);
    await clear(ws.workspaceId);
    await reindexWorkspace(db, dialect, ws.workspaceId);
    expect(await snapshot(ws, repClient)).toEqual(incremental);
    expect(await indexState()).toEqual(indexesBefore);

    // The per-write paths still work after the fill (the insert trigger is back).
    const fresh = await customer({ name: '张三新客户', phone: '13700001111' });
    expect((await found(ws.admin, '新客户')).customers).toEqual(['张三新客户']);
    expect((await ws.admin.patch(`/api/v1/customers/${fresh}`, { name: '李四新客户' })).status).toBe(200);
    expect((await found(ws.admin, '张三')).customers).toEqual([]);
    expect((await found(ws.admin, '李四')).customers).toEqual(['李四新客户']);
    expect((await ws.admin.delete(`/api/v1/customers/${fresh}`)).status).toBe(204);
    expect((await found(ws.admin, '李四')).customers).toEqual([]);
    expect(made.length).toBe(5);
  });
});
