import { newId } from '../../db/ids';
import type { TestApp } from '../../testing/test-app';

/**
 * A contract row written straight to the database (the contracts module owns its API; these
 * tests are about what happens once a contract exists and is approved).
 */
export async function insertContract(
  t: TestApp,
  input: { workspaceId: string; customerId: string; ownerId: string; totalCents: number; status?: 'draft' | 'pending' | 'approved' | 'rejected' | 'void'; signDate?: string | null; number?: string },
): Promise<string> {
  const id = newId();
  const now = t.deps.now().toISOString();
  await t.deps.db
    .insertInto('contracts')
    .values({
      id,
      workspaceId: input.workspaceId,
      number: input.number ?? `HT-${id.slice(-12)}`,
      name: `Contract ${id.slice(-4)}`,
      customerId: input.customerId,
      dealId: null,
      signDate: input.signDate === undefined ? now.slice(0, 10) : input.signDate,
      startDate: null,
      endDate: null,
      signerId: null,
      customerSignerId: null,
      totalCents: input.totalCents,
      status: input.status ?? 'approved',
      remark: null,
      custom: null,
      ownerId: input.ownerId,
      approvalId: null,
      submittedAt: null,
      approvedAt: input.status === undefined || input.status === 'approved' ? now : null,
      voidedAt: null,
      voidReason: null,
      createdBy: input.ownerId,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    })
    .execute();
  return id;
}

export async function contractSums(t: TestApp, contractId: string) {
  const row = await t.deps.db.selectFrom('contracts').select(['totalCents', 'committedPaymentCents', 'receivedCents']).where('id', '=', contractId).executeTakeFirstOrThrow();
  return { total: Number(row.totalCents), committed: Number(row.committedPaymentCents), received: Number(row.receivedCents) };
}
