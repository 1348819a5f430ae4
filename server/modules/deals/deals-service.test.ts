import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePermissions } from '../permissions/permissions.service';
import { createWorkspaceWithAdmin } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/test-app';
import { createDeal } from './deals.service';

describe('createDeal (service, as lead conversion calls it)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function principalOf(workspaceId: string, userId: string) {
    const roles = await t.deps.db.selectFrom('userRoles').select('roleId').where('workspaceId', '=', workspaceId).where('userId', '=', userId).execute();
    return { workspaceId, userId, permissions: await resolvePermissions(t.deps, workspaceId, roles.map((r) => r.roleId)) };
  }

  it('creates inside the caller transaction, on the seeded default pipeline, with lines, history and timeline', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Acme' });
    expect(customer.status).toBe(201);
    const customerId = String(customer.body.id);
    const principal = await principalOf(ws.workspaceId, ws.adminId);
    const deal = await t.deps.db.transaction().execute((trx) =>
      createDeal(t.deps, principal, { name: 'Big one', customerId, leadId: '00000000-0000-4000-8000-000000000001', lines: [{ name: 'Seat', price: 19_999, quantity: 3, discountPercent: 10 }] }, trx),
    );
    // The service takes parsed input (cents) and answers the stored row: 199.99 × 3 × 0.9 = 539.973 → 539.97
    expect(deal).toMatchObject({ name: 'Big one', customerId, amount: 53_997, status: 'open', ownerId: ws.adminId, leadId: '00000000-0000-4000-8000-000000000001' });
    const stages = await t.deps.db.selectFrom('pipelineStages').select(['id', 'name', 'winProbability']).where('pipelineId', '=', deal.pipelineId).orderBy('sort').execute();
    expect(stages.length).toBe(5);
    expect(stages[0]?.id).toBe(deal.stageId);
    expect(stages[0]?.name).toBe('Initial contact');
    const history = await t.deps.db.selectFrom('dealStageHistory').selectAll().where('dealId', '=', deal.id).execute();
    expect(history).toHaveLength(1);
    expect(history[0]?.leftAt).toBeNull();
    const timeline = await t.deps.db.selectFrom('timelineEvents').select('kind').where('customerId', '=', customerId).orderBy('createdAt').execute();
    expect(timeline.map((e) => e.kind)).toContain('deal_created');
    const after = await t.deps.db.selectFrom('customers').select('lifecycleStage').where('id', '=', customerId).executeTakeFirstOrThrow();
    expect(after.lifecycleStage).toBe('intent');
  });

  it('rolls back with the caller and rejects unknown customers', async () => {
    const ws = await createWorkspaceWithAdmin(t);
    const principal = await principalOf(ws.workspaceId, ws.adminId);
    await expect(createDeal(t.deps, principal, { name: 'x', customerId: '00000000-0000-4000-8000-000000000002' })).rejects.toMatchObject({ code: 'validation_failed' });
    const customer = await ws.admin.post('/api/v1/customers', { name: 'Beta' });
    const customerId = String(customer.body.id);
    await expect(
      t.deps.db.transaction().execute(async (trx) => {
        await createDeal(t.deps, principal, { name: 'rolled back', customerId, amount: 100 }, trx);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const count = await t.deps.db.selectFrom('deals').select((eb) => eb.fn.countAll().as('n')).where('workspaceId', '=', ws.workspaceId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
