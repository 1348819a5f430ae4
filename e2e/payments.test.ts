import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { setUpWorkspace } from './pages/auth';
import { expectText } from './pages/expect';
import { startExport } from './pages/exports';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Payments 好客', name: 'Pat Payer', email: 'pat@payments.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'payments', name, run);

describe('payments and targets, through the browser', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env = await startE2e();
    ({ context, page } = await newPage(env, 'en-US'));
    watchPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await context?.close();
    await env?.close();
  });

  it('a payment is recorded on a contract, approved, and the home-page target widget shows the new percent', async () => {
    let contractId = '';
    const today = new Date();
    const year = today.getFullYear();

    await step(page, 'setup, an approved contract, a payment flow and a target', async () => {
      await setUpWorkspace(page, admin);
      const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');
      const customer = await callApi<{ id: string }>(page, 'POST', '/customers', { name: '杭州回款测试有限公司' });
      const contract = await callApi<{ id: string }>(page, 'POST', '/contracts', { name: 'Annual licence', customerId: customer.body.id, total: '1000.00' });
      expect(contract.status).toBe(201);
      contractId = contract.body.id;
      // No contract flow: submitting approves it at once.
      expect((await callApi(page, 'POST', `/contracts/${contractId}/submit`)).status).toBe(200);
      const flow = await callApi(page, 'POST', '/approval-flows', { subjectType: 'payment', name: 'Finance', steps: [{ name: 'Finance', mode: 'any', approvers: [{ kind: 'user', userId: me.body.user.id }] }] });
      expect(flow.status).toBe(201);
      // 1000.00 a month: 250.00 received this month is 25%.
      const set = await page.request.fetch('/api/v1/targets', {
        method: 'PUT',
        headers: { 'x-csrf-token': decodeURIComponent((await context.cookies()).find((c) => c.name === 'haoke_csrf')?.value ?? '') },
        data: { year, kind: 'payment_amount', items: [{ subjectType: 'user', subjectId: me.body.user.id, yearTotal: '12000.00' }] },
      });
      expect(set.status()).toBe(200);
    });

    await step(page, 'the widget starts at 0%', async () => {
      // Targets were set through the API behind the page's back: load it afresh.
      await page.goto('/');
      await expectText(page.getByTestId('target-widget-me-payment_amount-month-percent'), '0%');
    });

    await step(page, 'record a payment from the contract page', async () => {
      await page.goto(`/contracts/${contractId}`);
      await page.getByTestId('contract-record-payment').click();
      await page.getByTestId('payment-form-amount').fill('250');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/payments') && r.request().method() === 'POST');
      await page.getByTestId('payment-form-submit').click();
      expect((await saved).status()).toBe(201);
      await expectText(page.getByTestId('contract-payments-pending'), '250.00');
      await expectText(page.getByTestId('payment-status').first(), 'In approval');
    });

    await step(page, 'approve it from my approvals', async () => {
      const payments = await callApi<{ data: { approvalId: string }[] }>(page, 'GET', `/payments?contractId=${contractId}`);
      const approvalId = payments.body.data[0]?.approvalId ?? '';
      await page.goto('/approvals');
      await page.getByTestId(`approval-open-${approvalId}`).click();
      await page.getByTestId('approval-approve').click();
      // Let the comment dialog finish opening before confirming.
      await page.getByTestId('approval-comment').waitFor({ state: 'visible' });
      const decided = page.waitForResponse((r) => r.url().includes(`/api/v1/approvals/${approvalId}/approve`));
      await page.getByTestId('approval-confirm').click();
      expect((await decided).status()).toBe(200);
    });

    await step(page, 'the contract shows it received and the widget the new percent', async () => {
      await page.goto(`/contracts/${contractId}`);
      await expectText(page.getByTestId('contract-payments-received'), '250.00');
      await expectText(page.getByTestId('contract-payments-outstanding'), '750.00');
      await page.getByTestId('nav-home').click();
      await expectText(page.getByTestId('target-widget-me-payment_amount-month-percent'), '25%');
      await expectText(page.getByTestId('target-widget-me-payment_amount-year-percent'), '2.08%');
    });

    await step(page, 'the payments page exports the list it shows', async () => {
      await page.goto('/payments?status=approved');
      await expectText(page.getByTestId('payment-amount').first(), '250.00');
      await page.getByTestId('payments-export').click();
      await page.getByText('CSV', { exact: true }).click();
      const response = await startExport(page);
      expect(response.status()).toBe(202);
      expect(response.request().postDataJSON()).toEqual({ entity: 'payment', format: 'csv', filter: { status: 'approved' } });
      const download = page.getByTestId('export-download');
      await download.waitFor({ timeout: 30_000 });
      const file = await page.request.fetch((await download.getAttribute('href')) ?? '');
      const text = await file.text();
      expect(text).toContain('Amount');
      expect(text).toContain(',250.00,');
    });

    expect(pageErrors).toEqual([]);
  });
});
