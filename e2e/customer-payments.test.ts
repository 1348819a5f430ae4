import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { AppShell } from './pages/app-shell';
import { LoginPage, setUpWorkspace } from './pages/auth';
import { expectCount, expectText } from './pages/expect';
import { pickOption, step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke 回款 360', name: 'Cora Cashier', email: 'cora@customer-payments.test', password: 'admin-pass-2024!' };
const agent = { name: 'Sam Service', email: 'sam@customer-payments.test', password: 'agent-pass-2024!' };
const marketer = { name: 'Mia Market', email: 'mia@customer-payments.test', password: 'market-pass-2024!' };
const customerName = '苏州回款三六零有限公司';
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'customer-payments', name, run);

describe("a customer's contracts and payments on its 360° page, and recording a payment from the payments page", () => {
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

  it('360° shows the contract and the money; a payment recorded on the payments page is listed in approval; cards follow permissions', async () => {
    const shell = new AppShell(page);
    const login = new LoginPage(page);
    let customerId = '';
    let contractNumber = '';

    await step(page, 'setup: a customer with an approved contract, a payment flow, a service agent and a marketer', async () => {
      await setUpWorkspace(page, admin);
      const me = await callApi<{ user: { id: string } }>(page, 'GET', '/auth/me');
      const customer = await callApi<{ id: string }>(page, 'POST', '/customers', { name: customerName });
      expect(customer.status).toBe(201);
      customerId = customer.body.id;
      const contract = await callApi<{ id: string; number: string }>(page, 'POST', '/contracts', { name: 'Support plan 2027', customerId, total: '1000.00' });
      expect(contract.status).toBe(201);
      contractNumber = contract.body.number;
      const plan = await callApi(page, 'POST', '/payment-plans', { contractId: contract.body.id, amount: '500.00', dueDate: '2099-12-31' });
      expect(plan.status).toBe(201);
      // No contract flow: submitting approves it at once.
      expect((await callApi(page, 'POST', `/contracts/${contract.body.id}/submit`)).status).toBe(200);
      // A payment flow keeps the recorded payment in approval (pending).
      const flow = await callApi(page, 'POST', '/approval-flows', { subjectType: 'payment', name: 'Finance', steps: [{ name: 'Finance', mode: 'any', approvers: [{ kind: 'user', userId: me.body.user.id }] }] });
      expect(flow.status).toBe(201);
      const roles = await callApi<{ data: { id: string; key: string | null }[] }>(page, 'GET', '/roles');
      for (const [user, key] of [
        [agent, 'service_agent'],
        [marketer, 'marketer'],
      ] as const) {
        const roleId = roles.body.data.find((r) => r.key === key)?.id;
        expect(roleId).toBeTruthy();
        expect((await callApi(page, 'POST', '/users', { ...user, roleIds: [roleId] })).status).toBe(201);
      }
    });

    await step(page, "the 360° page shows the customer's contract, its money and a prefilled 'new contract'", async () => {
      await page.goto(`/customers/${customerId}`);
      const contracts = page.getByTestId('customer-contracts');
      await expectText(contracts, contractNumber);
      await expectText(contracts, 'Support plan 2027');
      await expectText(contracts, 'Approved');
      await expectText(page.getByTestId('customer-payments-received'), '0.00');
      await expectText(page.getByTestId('customer-payments-outstanding'), /1,?000\.00/);
      await expectText(page.getByTestId('customer-payments-card'), '1 approved contract, ');
      // "New contract" opens the contract form with this customer already chosen.
      await contracts.getByTestId('contract-create-from').click();
      await page.waitForURL(`**/contracts?new=1&customerId=${customerId}`);
      await expectText(page.getByTestId('contract-customer'), customerName);
      await page.getByTestId('contract-cancel').click();
    });

    await step(page, 'record a payment from the payments page, picking the contract by search', async () => {
      await page.goto('/payments');
      await page.getByTestId('payments-page').waitFor();
      await page.getByTestId('payments-record').click();
      await page.getByTestId('payment-form-contract').click();
      await page.keyboard.type(contractNumber.slice(-4));
      await page.locator('.ant-select-item-option', { hasText: contractNumber }).click();
      // The contract's room shows once it is picked.
      await expectText(page.getByTestId('payment-form'), 'At most 1000.00 can still be recorded');
      // The instalments offered are those of the picked contract.
      // The plan list loads after the contract is picked; pick again until the choice has stuck.
      const planSelect = page.getByTestId('payment-form-plan');
      await expect
        .poll(
          async () => {
            if (!(await planSelect.innerText()).includes('Period 1')) {
              await pickOption(page, 'payment-form-plan', 'Period 1');
            }
            return planSelect.innerText();
          },
          { timeout: 20_000 },
        )
        .toContain('Period 1');
      await page.getByTestId('payment-form-amount').fill('300.5');
      await page.getByTestId('payment-form-remark').fill('首付款');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/payments') && r.request().method() === 'POST');
      await page.getByTestId('payment-form-submit').click();
      const answer = await saved;
      expect(answer.status()).toBe(201);
      expect(((await answer.json()) as { status: string }).status).toBe('pending');
      expect((answer.request().postDataJSON() as { planId?: string | null }).planId).toBeTruthy();
      await page.getByTestId('payment-form').waitFor({ state: 'detached' });
      const row = page.getByTestId('payment-row').filter({ hasText: contractNumber });
      await expectCount(row, 1);
      await expectText(row, '300.50');
      await expectText(row, 'In approval');
      await expectText(row, customerName);
      await expectText(row, 'Period 1');
    });

    await step(page, 'the 360° page shows it in approval, and its link lists only this customer', async () => {
      await page.goto(`/customers/${customerId}`);
      await expectText(page.getByTestId('customer-payments-pending'), '300.50');
      await expectText(page.getByTestId('customer-payments-received'), '0.00');
      await page.getByTestId('customer-payments-all').click();
      await page.waitForURL(`**/payments?customerId=${customerId}`);
      await page.getByTestId('payments-customer-filter').waitFor();
      await expectText(page.getByTestId('payment-row').first(), '300.50');
      await shell.signOut();
    });

    await step(page, 'a service agent sees contracts and payments but may not create either', async () => {
      await login.goto();
      expect(await login.signIn(agent.email, agent.password)).toBe(200);
      await shell.waitUntilSignedIn(agent.name);
      await page.goto(`/customers/${customerId}`);
      await expectText(page.getByTestId('customer-contracts'), contractNumber);
      await expectText(page.getByTestId('customer-payments-pending'), '300.50');
      await expectCount(page.getByTestId('contract-create-from'), 0);
      await expectCount(page.getByTestId('customer-record-payment'), 0);
      await page.goto('/payments');
      await page.getByTestId('payment-row').first().waitFor();
      await expectCount(page.getByTestId('payments-record'), 0);
      await shell.signOut();
    });

    await step(page, 'a marketer (no contract or payment rights) gets neither card', async () => {
      await login.goto();
      expect(await login.signIn(marketer.email, marketer.password)).toBe(200);
      await shell.waitUntilSignedIn(marketer.name);
      await page.goto(`/customers/${customerId}`);
      await page.getByTestId('customer-360').waitFor();
      await page.getByTestId('composer-card').waitFor();
      await expectCount(page.getByTestId('customer-contracts'), 0);
      await expectCount(page.getByTestId('customer-payments-card'), 0);
    });

    expect(pageErrors).toEqual([]);
  });
});
