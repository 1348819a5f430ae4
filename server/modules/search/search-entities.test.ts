import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { indexDocs, reindexWorkspace, removeDocs, type SearchDocInput } from './search.index';
import { type DocVisibility, docMatch, findMatchingDocs } from './search.repo';
import { parseSearchQuery } from './search.text';

// Any entity can be indexed and searched through the same index (leads, products, …).
const entity = 'probe';

describe('search index for other entities (indexDocs / removeDocs)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('indexes in bulk, updates, scopes by owner, removes, and survives a workspace rebuild', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { db, dialect } = t.deps;
    const other = await createWorkspaceWithAdmin(t, 'Other Co');
    const ownerA = ws.adminId;
    const ownerB = newId();
    const docs: SearchDocInput[] = [
      { entity, recordId: newId(), ownerId: ownerA, name: '张三丰线索', company: '武当科技有限公司', phone: '138-0013-8000', email: 'Zhang@WuDang.cn' },
      { entity, recordId: newId(), ownerId: ownerB, name: '李四', company: null, phone: '13912345678', email: null },
    ];
    const [zhang, li] = docs.map((d) => d.recordId);
    await db.transaction().execute((trx) => indexDocs(trx, dialect, ws.workspaceId, docs, { fresh: true }));
    // The same record id in another workspace must never be found from this one.
    await indexDocs(db, dialect, other.workspaceId, [{ entity, recordId: newId(), ownerId: null, name: '张三丰' }]);

    const all: DocVisibility = { scope: { kind: 'all' }, userId: ws.adminId, now: new Date().toISOString() };
    const find = async (q: string, visibility = all) => {
      const query = parseSearchQuery(q);
      if (!query) {
        throw new Error('empty query');
      }
      const match = docMatch(dialect, query, { phone: 'substring', email: 'substring' });
      return (await findMatchingDocs(db, dialect, ws.workspaceId, entity, match, visibility, 10)).sort();
    };
    expect(await find('张')).toEqual([zhang]);
    expect(await find('三丰')).toEqual([zhang]);
    expect(await find('武当科技')).toEqual([zhang]);
    expect(await find('wudang')).toEqual([zhang]);
    expect(await find('0013')).toEqual([zhang]);
    expect(await find('1234')).toEqual([li]);
    expect(await find('李')).toEqual([li]);
    expect(await find('王')).toEqual([]);
    // Only the owners in scope.
    const onlyB: DocVisibility = { ...all, scope: { kind: 'owners', ownerIds: [ownerB] } };
    expect(await find('李', onlyB)).toEqual([li]);
    expect(await find('张', onlyB)).toEqual([]);
    expect(await find('139', onlyB)).toEqual([li]);

    // Upsert: a rename replaces the old text and n-grams.
    await indexDocs(db, dialect, ws.workspaceId, [{ entity, recordId: li ?? '', ownerId: ownerB, name: '王五', phone: '13912345678' }]);
    expect(await find('李')).toEqual([]);
    expect(await find('王五')).toEqual([li]);

    // A rebuild of the customers' and contacts' index leaves other entities alone.
    await reindexWorkspace(db, dialect, ws.workspaceId);
    expect(await find('张三')).toEqual([zhang]);

    await removeDocs(db, ws.workspaceId, entity, [zhang ?? '', newId()]);
    expect(await find('张')).toEqual([]);
    expect(await find('武当')).toEqual([]);
    expect(await find('王')).toEqual([li]);
  });
});
