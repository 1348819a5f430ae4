import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { AppShell } from './pages/app-shell';
import { LoginPage, SetupPage } from './pages/auth';
import { expectText } from './pages/expect';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const manager = { workspaceName: 'Haoke Sales 好客', name: 'Mia Manager', email: 'mia@sales.test', password: 'manager-pass-2024!' };
const rep = { name: 'Ray Rep', email: 'ray@sales.test', password: 'rep-pass-2024-long' };

interface Deal {
  id: string;
  status: string;
  amount?: string;
  currency?: string;
}
interface Contract {
  id: string;
  status: string;
}

describe('sales, through the browser', () => {
  let env: E2eEnv;
  let managerContext: BrowserContext;
  let repContext: BrowserContext;
  let boss: Page;
  let ray: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    env = await startE2e();
    ({ context: managerContext, page: boss } = await newPage(env, 'en-US'));
    ({ context: repContext, page: ray } = await newPage(env, 'en-US'));
    watchPageErrors(boss, errors, 'manager');
    watchPageErrors(ray, errors, 'rep');
  });

  afterAll(async () => {
    await managerContext?.close();
    await repContext?.close();
    await env?.close();
  });

  it('lead → converted with a deal → deal dragged to won → contract approved by the manager → payment approved → target widget moves', async () => {
    const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'sales', name, run);
    const year = new Date().getFullYear();
    let dealId = '';
    let contractId = '';

    await step(boss, 'setup: the manager, a rep reporting to them, approval flows, a target', async () => {
      await boss.goto('/');
      await boss.waitForURL('**/setup');
      await new SetupPage(boss).complete(manager);
      await new AppShell(boss).waitUntilSignedIn(manager.name);
      const me = await callApi<{ user: { id: string } }>(boss, 'GET', '/auth/me');
      const roles = await callApi<{ data: { id: string; key: string | null }[] }>(boss, 'GET', '/roles');
      const salesRole = roles.body.data.find((r) => r.key === 'sales')?.id;
      const created = await callApi<{ id: string }>(boss, 'POST', '/users', {
        name: rep.name,
        email: rep.email,
        password: rep.password,
        roleIds: [salesRole],
        managerId: me.body.user.id,
      });
      expect(created.status).toBe(201);
      for (const subjectType of ['contract', 'payment']) {
        const flow = await callApi(boss, 'POST', '/approval-flows', {
          subjectType,
          name: `${subjectType} by the manager`,
          steps: [{ name: 'Manager', mode: 'any', approvers: [{ kind: 'manager', levels: 1 }] }],
        });
        expect(flow.status).toBe(201);
      }
      // 12,000.00 a year of payments: 1,000.00 a month, so 250.00 received this month is 25%.
      const target = await callApi(boss, 'PUT', '/targets', {
        year,
        kind: 'payment_amount',
        items: [{ subjectType: 'user', subjectId: created.body.id, yearTotal: '12000.00' }],
      });
      expect(target.status).toBe(200);
    });

    await step(ray, 'the rep signs in and creates a lead', async () => {
      const login = new LoginPage(ray);
      await login.goto();
      expect(await login.signIn(rep.email, rep.password)).toBe(200);
      await new AppShell(ray).waitUntilSignedIn(rep.name);
      await ray.getByTestId('nav-leads').click();
      await ray.waitForURL('**/leads');
      await ray.getByTestId('leads-create').click();
      await ray.getByTestId('lead-form-name').fill('Zhou Lei');
      await ray.getByTestId('lead-form-company').fill('Suzhou Precision Parts Co., Ltd.');
      await ray.getByTestId('lead-form-phone').fill('13911112222');
      const saved = ray.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST');
      await ray.getByTestId('lead-form-submit').click();
      expect((await saved).status()).toBe(201);
    });

    await step(ray, 'convert the lead with a deal', async () => {
      await ray.getByText('Zhou Lei').first().click();
      await ray.getByTestId('lead-detail').waitFor();
      await ray.getByTestId('lead-convert').click();
      await ray.getByTestId('convert-with-deal').click();
      await ray.getByTestId('convert-deal-name').fill('Precision parts 2027');
      await ray.getByTestId('convert-deal-amount').fill('1000');
      const converted = ray.waitForResponse((r) => /\/api\/v1\/leads\/[^/]+\/convert$/.test(r.url()) && r.request().method() === 'POST');
      await ray.getByTestId('convert-confirm').click();
      const response = await converted;
      expect(response.status()).toBe(200);
      const body = (await response.json()) as { dealId?: string | null; deal?: { id: string } | null };
      dealId = body.dealId ?? body.deal?.id ?? '';
      expect(dealId).not.toBe('');
    });

    await step(ray, 'drag the deal to won on the board', async () => {
      await ray.goto('/deals');
      await ray.getByTestId('deals-view-board').click();
      const card = ray.getByTestId(`deal-card-${dealId}`);
      await card.waitFor();
      // Winning needs no reason: the drop closes the deal at once.
      const closed = ray.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}/close`));
      await card.dragTo(ray.getByTestId('kanban-drop-won'));
      expect((await closed).status()).toBe(200);
      await expect.poll(async () => (await callApi<Deal>(ray, 'GET', `/deals/${dealId}`)).body.status, { timeout: 10_000 }).toBe('won');
      // The amount typed in the convert dialog came through as money (decimal string + currency).
      expect((await callApi<Deal>(ray, 'GET', `/deals/${dealId}`)).body).toMatchObject({ amount: '1000.00', currency: 'CNY' });
    });

    await step(ray, 'a contract from the deal, submitted for approval', async () => {
      const contract = await callApi<Contract>(ray, 'POST', '/contracts', { name: 'Precision parts supply', dealId, total: '1000.00' });
      expect(contract.status).toBe(201);
      contractId = contract.body.id;
      await ray.goto(`/contracts/${contractId}`);
      const submitted = ray.waitForResponse((r) => r.url().endsWith(`/api/v1/contracts/${contractId}/submit`));
      await ray.getByTestId('contract-submit').click();
      expect((await submitted).status()).toBe(200);
      await expect.poll(async () => (await callApi<Contract>(ray, 'GET', `/contracts/${contractId}`)).body.status).toBe('pending');
    });

    /** The manager approves whatever waits for them about `subjectId`, from My approvals. */
    async function managerApproves(subjectId: string): Promise<void> {
      const tasks = await callApi<{ data: { instanceId: string; subjectId: string }[] }>(boss, 'GET', '/approvals/tasks?status=pending');
      const task = tasks.body.data.find((row) => row.subjectId === subjectId);
      expect(task).toBeDefined();
      await boss.goto('/approvals');
      await boss.getByTestId(`approval-open-${task?.instanceId}`).click();
      await boss.getByTestId('approval-approve').click();
      await boss.getByTestId('approval-comment').waitFor({ state: 'visible' });
      await boss.getByTestId('approval-comment').fill('OK 同意');
      const decided = boss.waitForResponse((r) => r.url().includes(`/api/v1/approvals/${task?.instanceId}/approve`));
      await boss.getByTestId('approval-confirm').click();
      expect((await decided).status()).toBe(200);
    }

    await step(boss, 'the manager approves the contract', async () => {
      await managerApproves(contractId);
      await expect.poll(async () => (await callApi<Contract>(ray, 'GET', `/contracts/${contractId}`)).body.status).toBe('approved');
    });

    await step(ray, 'the rep records a payment', async () => {
      await ray.goto('/');
      await expectText(ray.getByTestId('target-widget-me-payment_amount-month-percent'), '0%');
      await ray.goto(`/contracts/${contractId}`);
      await ray.getByTestId('contract-record-payment').click();
      await ray.getByTestId('payment-form-amount').fill('250');
      const saved = ray.waitForResponse((r) => r.url().endsWith('/api/v1/payments') && r.request().method() === 'POST');
      await ray.getByTestId('payment-form-submit').click();
      expect((await saved).status()).toBe(201);
      await expectText(ray.getByTestId('contract-payments-pending'), '250.00');
    });

    await step(boss, 'the manager approves the payment', async () => {
      const payments = await callApi<{ data: { id: string }[] }>(boss, 'GET', `/payments?contractId=${contractId}`);
      const paymentId = payments.body.data[0]?.id ?? '';
      await managerApproves(paymentId);
    });

    await step(ray, 'the target widget shows the new percent', async () => {
      await ray.goto(`/contracts/${contractId}`);
      await expectText(ray.getByTestId('contract-payments-received'), '250.00');
      await expectText(ray.getByTestId('contract-payments-outstanding'), '750.00');
      await ray.getByTestId('nav-home').click();
      await expectText(ray.getByTestId('target-widget-me-payment_amount-month-percent'), '25%');
    });

    expect(errors).toEqual([]);
  });
});
