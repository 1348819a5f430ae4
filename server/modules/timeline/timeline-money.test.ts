import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../db/dialect';
import { up as migrate0017 } from '../../db/migrations/0017-timeline-money';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type Json, type TestApp } from '../../testing/test-app';
import { createContract, customerOf } from '../contracts/contracts.testing';
import { appendTimeline, type TimelineKind } from './timeline.writer';

interface Entry extends Json {
  id: string;
  kind: string;
  data: Json | null;
}

const decimal = /^-?\d+\.\d{2}$/;

/** No key of the entry's data is an integer-cents one. */
function centsKeys(data: Json | null): string[] {
  return Object.keys(data ?? {}).filter((k) => /cents/i.test(k));
}

describe('money on the timeline is a decimal string (amount / total)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });
  /** Migration 0017 over the test database, in one transaction as the migrator runs it. */
  const runMigration = () => t.deps.db.transaction().execute((trx) => migrate0017(trx as unknown as Kysely<unknown>));

  it('new deal, contract and payment entries carry amount / total as decimal strings', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '金额客户');
    const deal = await ws.admin.post('/api/v1/deals', { name: '年度采购', customerId, amount: '1234.50' });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    t.clock.advance(1000);
    expect((await ws.admin.post(`/api/v1/deals/${String(deal.body.id)}/close`, { status: 'won' })).status).toBe(200);
    const lost = await ws.admin.post('/api/v1/deals', { name: '小单', customerId, amount: '0.05' });
    t.clock.advance(1000);
    expect((await ws.admin.post(`/api/v1/deals/${String(lost.body.id)}/close`, { status: 'lost', reason: '预算不足' })).status).toBe(200);
    t.clock.advance(1000);
    const contract = await createContract(ws.admin, { customerId, total: '88000.00' });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    t.clock.advance(1000);
    expect((await ws.admin.post(`/api/v1/contracts/${contract.body.id}/submit`)).status).toBe(200);
    t.clock.advance(1000);
    const payment = await ws.admin.post('/api/v1/payments', { contractId: contract.body.id, amount: '1000.10', paidOn: '2026-03-10', method: 'bank_transfer' });
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);

    const page = await ws.admin.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?limit=100`);
    const byKind = (kind: string) => page.body.data.filter((e) => e.kind === kind).map((e) => e.data);
    expect(byKind('deal_created')).toEqual([
      expect.objectContaining({ name: '小单', amount: '0.05' }),
      expect.objectContaining({ name: '年度采购', amount: '1234.50' }),
    ]);
    expect(byKind('deal_won')).toEqual([expect.objectContaining({ name: '年度采购', amount: '1234.50' })]);
    expect(byKind('deal_lost')).toEqual([expect.objectContaining({ name: '小单', amount: '0.05', reason: '预算不足' })]);
    expect(byKind('contract_created')).toEqual([expect.objectContaining({ number: contract.body.number, total: '88000.00' })]);
    const contractEntries = page.body.data.filter((e) => e.kind.startsWith('contract_'));
    expect(contractEntries.length).toBeGreaterThanOrEqual(2);
    expect(contractEntries.every((e) => e.data?.total === '88000.00')).toBe(true);
    expect(byKind('payment_recorded')).toEqual([expect.objectContaining({ amount: '1000.10' })]);
    for (const entry of page.body.data) {
      expect(centsKeys(entry.data), entry.kind).toEqual([]);
    }
    // What is stored is what is answered: no cents in the table either.
    const stored = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('workspaceId', '=', ws.workspaceId).execute();
    expect(stored.filter((r) => JSON.stringify(parseJson(r.data)).includes('Cents'))).toEqual([]);
  });

  it('migration 0017 rewrites entries stored with integer cents; the timeline and overview answer decimals', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '老数据客户');
    const at = (s: number) => new Date(Date.parse('2026-01-05T08:00:00.000Z') + s * 1000).toISOString();
    const old = (kind: TimelineKind, entity: string, data: Json, s: number) => ({ workspaceId: ws.workspaceId, customerId, entity, recordId: customerId, kind, actorUserId: ws.adminId, data, at: at(s) });
    // Rows as the code before this change wrote them.
    await appendTimeline(t.deps.db, [
      old('deal_created', 'deal', { name: '老商机', amountCents: 123_450, stageId: 's1', leadId: null }, 1),
      old('deal_won', 'deal', { name: '老商机', amountCents: 5, stageId: 's1', stageName: '谈判', reason: null }, 2),
      old('deal_invalid', 'deal', { name: '负数', amountCents: -1_999, stageId: 's1', stageName: '谈判', reason: 'x' }, 3),
      old('contract_created', 'contract', { contractId: 'k1', number: 'HT-1', name: '老合同', totalCents: 8_800_000 }, 4),
      old('contract_voided', 'contract', { contractId: 'k1', number: 'HT-1', name: '老合同', totalCents: 0, reason: '重签', previousStatus: 'draft' }, 5),
      old('payment_recorded', 'payment', { paymentId: 'p1', contractId: 'k1', amount: '100.00', paidOn: '2026-01-05', method: null }, 6),
      old('comment', 'customer', { content: 'amountCents is just text here', mentions: [] }, 7),
    ]);
    const before = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('workspaceId', '=', ws.workspaceId).where('customerId', '=', customerId).execute();
    expect(before.filter((r) => JSON.stringify(parseJson(r.data)).includes('"amountCents"') || JSON.stringify(parseJson(r.data)).includes('"totalCents"'))).toHaveLength(5);

    await runMigration();

    const stored = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('workspaceId', '=', ws.workspaceId).where('customerId', '=', customerId).execute();
    const data = new Map(stored.map((r) => [r.kind, parseJson(r.data) as Json]));
    expect(data.get('deal_created')).toEqual({ name: '老商机', amount: '1234.50', stageId: 's1', leadId: null });
    expect(data.get('deal_won')).toEqual({ name: '老商机', amount: '0.05', stageId: 's1', stageName: '谈判', reason: null });
    expect(data.get('deal_invalid')).toMatchObject({ amount: '-19.99' });
    expect(data.get('contract_created')).toEqual({ contractId: 'k1', number: 'HT-1', name: '老合同', total: '88000.00' });
    expect(data.get('contract_voided')).toEqual({ contractId: 'k1', number: 'HT-1', name: '老合同', total: '0.00', reason: '重签', previousStatus: 'draft' });
    expect(data.get('payment_recorded')).toMatchObject({ amount: '100.00' });
    expect(data.get('comment')).toEqual({ content: 'amountCents is just text here', mentions: [] });

    const page = await ws.admin.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?limit=100`);
    for (const entry of page.body.data) {
      expect(centsKeys(entry.data), entry.kind).toEqual([]);
      for (const key of ['amount', 'total']) {
        if (entry.data && key in entry.data) {
          expect(entry.data[key], `${entry.kind}.${key}`).toMatch(decimal);
        }
      }
    }
    const overview = await ws.admin.get<{ timeline: { data: Entry[] } }>(`/api/v1/customers/${customerId}/overview?limit=50`);
    expect(overview.body.timeline.data.find((e) => e.kind === 'deal_created')?.data).toMatchObject({ amount: '1234.50' });

    // Running it again changes nothing (a restarted migration, or a second instance).
    await runMigration();
    const again = await t.deps.db.selectFrom('timelineEvents').select(['kind', 'data']).where('workspaceId', '=', ws.workspaceId).where('customerId', '=', customerId).execute();
    expect(new Map(again.map((r) => [r.kind, parseJson(r.data)]))).toEqual(new Map(stored.map((r) => [r.kind, parseJson(r.data)])));
  });

  it('an entry written in cents after the migration (an old instance mid-upgrade) is still answered in decimals', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const { customerId } = await customerOf(ws.admin, '滚动升级客户');
    // Raw SQL, as an instance running the previous code would have written it.
    const json = JSON.stringify({ name: '旧实例写入', amountCents: 99_999, stageId: 's', leadId: null });
    await sql`insert into timeline_events (id, workspace_id, customer_id, entity, record_id, kind, actor_user_id, data, created_at)
      values (${'0190a000-0000-7000-8000-00000000f017'}, ${ws.workspaceId}, ${customerId}, 'deal', ${customerId}, 'deal_created', ${ws.adminId},
        ${t.deps.dialect === 'postgres' ? sql`cast(${json} as jsonb)` : json}, ${new Date(Date.now() + 60_000).toISOString()})`.execute(t.deps.db);
    const page = await ws.admin.get<{ data: Entry[] }>(`/api/v1/customers/${customerId}/timeline?kind=deal_created`);
    expect(page.body.data.map((e) => e.data)).toEqual([{ name: '旧实例写入', amount: '999.99', stageId: 's', leadId: null }]);
  });
});
