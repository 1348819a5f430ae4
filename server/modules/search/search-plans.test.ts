import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../db/ids';
import { createUser, createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { indexDocs, type SearchDocInput } from './search.index';
import { type DocVisibility, docMatch, findMatchingDocs, pgBroadProbeWindow, pgProbeWindow, probeWindow, rareTerm } from './search.repo';
import { parseSearchQuery } from './search.text';

// The plans for a common term (more index matches than `rareTerm`): the caller's newest docs are
// walked and tested instead of the term's matches. Small data sets only ever take the rare-term
// plan, and an entity of at most `probeWindow` docs is walked whole, so `many` has more than that:
// everyone (plan 5), one owner (plan 2), two owners past ownScanLimit (plan 4, per-owner walks).
describe('search plans for common terms', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the newest matches of the entity and scope, and finds the few docs of a small entity', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { db, dialect } = t.deps;
    const ownerA = newId();
    const ownerB = newId();
    // The few docs of a small entity come first (oldest), then many common-term docs of another.
    const few: SearchDocInput[] = [
      { entity: 'few', recordId: newId(), ownerId: ownerA, name: '张小凡' },
      { entity: 'few', recordId: newId(), ownerId: ownerB, name: '李四' },
      { entity: 'few', recordId: newId(), ownerId: ownerB, name: '老张', company: null, phone: '13800001234' },
    ];
    const many: SearchDocInput[] = Array.from({ length: Math.max(Math.ceil(rareTerm * 1.6), probeWindow + 2_000) }, (_, i) => ({
      entity: 'many',
      recordId: newId(),
      ownerId: i % 2 === 0 ? ownerA : ownerB,
      // Two in three match 张 — more than rareTerm; every one matches the phone fragment 0000.
      name: i % 3 === 0 ? `王${i}` : `张${i}`,
      phone: `1390000${String(i % 10).repeat(4)}`,
    }));
    await db.transaction().execute(async (trx) => {
      await indexDocs(trx, dialect, ws.workspaceId, few, { fresh: true });
      await indexDocs(trx, dialect, ws.workspaceId, many, { fresh: true });
    });
    const all: DocVisibility = { scope: { kind: 'all' }, userId: ws.adminId, now: new Date().toISOString() };
    const find = async (entity: string, q: string, visibility = all, limit = 10) => {
      const query = parseSearchQuery(q);
      if (!query) {
        throw new Error('empty query');
      }
      return findMatchingDocs(db, dialect, ws.workspaceId, entity, query && docMatch(dialect, query, { phone: 'substring', email: 'substring' }), visibility, limit);
    };
    const ids = (docs: SearchDocInput[]) => docs.map((d) => d.recordId);
    const newest = (docs: SearchDocInput[], n: number) => ids(docs).reverse().slice(0, n);

    const zhang = many.filter((d) => d.name.startsWith('张'));
    expect(zhang.length).toBeGreaterThan(rareTerm);
    expect(await find('many', '张')).toEqual(newest(zhang, 10));
    const onlyB: DocVisibility = { ...all, scope: { kind: 'owners', ownerIds: [ownerB] } };
    expect(await find('many', '张', onlyB)).toEqual(newest(zhang.filter((d) => d.ownerId === ownerB), 10));
    const teamAB: DocVisibility = { ...all, scope: { kind: 'owners', ownerIds: [ownerA, ownerB] } };
    expect(await find('many', '张', teamAB, 25)).toEqual(newest(zhang, 25));
    expect(await find('many', '0000', onlyB)).toEqual(newest(many.filter((d) => d.ownerId === ownerB), 10));
    // A term none of the team's newest docs hold (张1000, 张10001…, far back): PostgreSQL's short
    // per-owner walk comes back empty and the term's matches among the team's docs answer.
    const sparse = many.filter((d) => d.name.includes('1000') || d.phone?.includes('1000'));
    expect(sparse.length).toBeGreaterThan(3);
    expect(await find('many', '1000', teamAB)).toEqual(newest(sparse, 10));
    const fives = many.filter((d) => d.phone?.endsWith('5555'));
    expect(await find('many', '5555')).toEqual(newest(fives, 10));
    // 张 is common, but the small entity holds only two of it: both, newest first.
    expect(await find('few', '张')).toEqual([few[2]?.recordId, few[0]?.recordId]);
    expect(await find('few', '张', onlyB)).toEqual([few[2]?.recordId]);
    expect(await find('few', '0000')).toEqual([few[2]?.recordId]);
  });

  it('checks the customer\'s owner for customer and contact entries, which recycling leaves as they were', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { db, dialect } = t.deps;
    const ownerA = ws.adminId;
    const ownerB = (await createUser(t.app, ws.admin, { name: 'Owner B' })).id;
    const now = new Date().toISOString();
    // Enough customers for the common-term plans (own walk, per-owner walks), half of them A's.
    const count = Math.max(Math.ceil(rareTerm * 1.6), probeWindow + 2_000);
    const customers = Array.from({ length: count }, (_, i) => ({ id: newId(), ownerId: i % 2 === 0 ? ownerA : ownerB, name: i % 3 === 0 ? `王${i}` : `张${i}`, phone: `1380000${String(i).padStart(4, '0')}` }));
    const rows = customers.map((c) => ({ id: c.id, workspaceId: ws.workspaceId, name: c.name, nameKey: c.name, kind: 'company', lifecycleStage: 'prospect', dealStatus: 'none', ownerId: c.ownerId, locked: 0, custom: '{}', createdBy: ws.adminId, createdAt: now, updatedAt: now }));
    for (let i = 0; i < rows.length; i += 500) {
      await db.insertInto('customers').values(rows.slice(i, i + 500)).execute();
    }
    const docs: SearchDocInput[] = customers.map((c) => ({ entity: 'customer', recordId: c.id, ownerId: c.ownerId, name: c.name, phone: c.phone }));
    const contactOf = customers[customers.length - 4];
    const contact: SearchDocInput = { entity: 'contact', recordId: newId(), customerId: contactOf?.id, ownerId: contactOf?.ownerId ?? null, name: '张联系人' };
    // A contact left with B when its (still owned) customer went to A without contacts: B finds it.
    const keptBy = customers[customers.length - 2];
    const kept: SearchDocInput = { entity: 'contact', recordId: newId(), customerId: keptBy?.id, ownerId: ownerB, name: '李联系人' };
    expect(keptBy?.ownerId).toBe(ownerA);
    await db.transaction().execute(async (trx) => {
      await indexDocs(trx, dialect, ws.workspaceId, [...docs, contact, kept], { fresh: true });
    });
    // What the recycling sweep does: every fourth customer (half of A's) back to the pool, entries untouched.
    const recycled = new Set(customers.filter((_, i) => i % 4 === 0).map((c) => c.id));
    for (const part of [...Array(Math.ceil(recycled.size / 500)).keys()].map((k) => [...recycled].slice(k * 500, k * 500 + 500))) {
      await db.updateTable('customers').set({ ownerId: null }).where('workspaceId', '=', ws.workspaceId).where('id', 'in', part).execute();
    }
    expect(contactOf && recycled.has(contactOf.id)).toBe(true);
    const stale = await db.selectFrom('searchDocs').select((eb) => eb.fn.countAll().as('n')).where('workspaceId', '=', ws.workspaceId).where('ownerId', '=', ownerA).executeTakeFirstOrThrow();
    expect(Number(stale.n)).toBe(count / 2 + 1);

    const all: DocVisibility = { scope: { kind: 'all' }, userId: ws.adminId, now };
    const find = async (entity: string, q: string, visibility: DocVisibility, limit = 10) => {
      const query = parseSearchQuery(q);
      if (!query) {
        throw new Error('empty query');
      }
      return findMatchingDocs(db, dialect, ws.workspaceId, entity, docMatch(dialect, query, { phone: 'substring', email: 'substring' }), visibility, limit);
    };
    const newest = (list: typeof customers, n: number) => list.map((c) => c.id).reverse().slice(0, n);
    const zhang = customers.filter((c) => c.name.startsWith('张'));
    const owned = zhang.filter((c) => !recycled.has(c.id));
    const onlyA: DocVisibility = { ...all, scope: { kind: 'owners', ownerIds: [ownerA] } };
    const teamAB: DocVisibility = { ...all, scope: { kind: 'owners', ownerIds: [ownerA, ownerB] } };
    // A rep's own walk, a team's per-owner walks, a rare term's walk: only customers still owned.
    expect(await find('customer', '张', onlyA)).toEqual(newest(owned.filter((c) => c.ownerId === ownerA), 10));
    expect(await find('customer', '张', teamAB, 25)).toEqual(newest(owned, 25));
    const rare = customers.filter((c) => c.phone.includes('0000123'));
    expect(rare.some((c) => recycled.has(c.id) && c.ownerId === ownerA)).toBe(true);
    expect(await find('customer', '0000123', onlyA)).toEqual(newest(rare.filter((c) => c.ownerId === ownerA && !recycled.has(c.id)), 10));
    expect(await find('customer', '0000123', teamAB)).toEqual(newest(rare.filter((c) => !recycled.has(c.id)), 10));
    // Everyone's scope still finds the pool customers; the contact of a recycled customer left A's scope.
    expect(await find('customer', '张', all)).toEqual(newest(zhang, 10));
    expect(await find('contact', '张', onlyA)).toEqual([]);
    expect(await find('contact', '张', all)).toEqual([contact.recordId]);
    expect(await find('contact', '李', { ...all, scope: { kind: 'owners', ownerIds: [ownerB] } })).toEqual([kept.recordId]);
    expect(await find('contact', '李', onlyA)).toEqual([]);
  });

  it('finds a short term that is sparse among the newest docs (PostgreSQL probes wider before the index walk)', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { db, dialect } = t.deps;
    // More docs than the first probe window, fewer than the wider one; 凤 every 1,000th: the first
    // probe sees a handful (fewer than the limit), the wider probe all of them.
    const total = Math.min(pgBroadProbeWindow, pgProbeWindow * 2 + 2_000);
    const docs: SearchDocInput[] = Array.from({ length: total }, (_, i) => ({ entity: 'sparse', recordId: newId(), ownerId: null, name: i % 1_000 === 7 ? `凤${i}` : `李${i}` }));
    await db.transaction().execute(async (trx) => {
      await indexDocs(trx, dialect, ws.workspaceId, docs, { fresh: true });
    });
    const all: DocVisibility = { scope: { kind: 'all' }, userId: ws.adminId, now: new Date().toISOString() };
    const query = parseSearchQuery('凤');
    if (!query) {
      throw new Error('empty query');
    }
    const found = await findMatchingDocs(db, dialect, ws.workspaceId, 'sparse', docMatch(dialect, query, { phone: 'substring', email: 'substring' }), all, 10);
    const matching = docs.filter((d) => d.name.startsWith('凤')).map((d) => d.recordId);
    expect(matching.length).toBeGreaterThan(10);
    expect(found).toEqual(matching.reverse().slice(0, 10));
  });
});
