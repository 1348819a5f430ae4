import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { expectCount, expectText } from './pages/expect';
import { startExport } from './pages/exports';
import { setUpWorkspace } from './pages/auth';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Deals 商机', name: 'Dora Admin', email: 'dora@deals.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'deals', name, run);

interface Json {
  [key: string]: unknown;
}
interface Pipeline {
  id: string;
  stages: { id: string; name: string }[];
}

describe('deals 商机 kanban, through the browser', () => {
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

  it('creates a deal with a product line, drags it to the next stage and onto "won"; the customer page shows it', async () => {
    let customerId = '';
    let pipeline: Pipeline = { id: '', stages: [] };
    let dealId = '';

    await step(page, 'setup: a customer and a product', async () => {
      await setUpWorkspace(page, admin);
      const customer = await callApi<Json>(page, 'POST', '/customers', { name: 'Kanban Trading Co' });
      expect(customer.status).toBe(201);
      customerId = String(customer.body.id);
      expect((await callApi(page, 'POST', '/products', { name: 'CRM seat', unit: 'seat', price: '500.00' })).status).toBe(201);
      pipeline = (await callApi<{ data: Pipeline[] }>(page, 'GET', '/pipelines')).body.data[0] as Pipeline;
      // A required custom field: the deal form must offer it, or no deal could be created.
      expect((await callApi(page, 'POST', '/custom-fields/deal', { key: 'competitor', label: 'Competitor', type: 'text', required: true })).status).toBe(201);
    });

    await step(page, 'a new deal from the deals page, with a product line', async () => {
      await page.getByTestId('nav-deals').click();
      await page.getByTestId('kanban').waitFor();
      await page.getByTestId('deal-create').click();
      await page.getByTestId('deal-form-name').fill('Kanban rollout');
      await page.getByTestId('deal-form-customer').click();
      await page.keyboard.type('Kanban');
      await page.locator('.ant-select-item-option', { hasText: 'Kanban Trading Co' }).click();
      await page.getByTestId('deal-line-add').click();
      await page.getByTestId('deal-line-product-0').click();
      await page.locator('.ant-select-item-option', { hasText: 'CRM seat' }).click();
      await page.getByTestId('deal-line-quantity-0').fill('3');
      await page.getByTestId('deal-line-discount-0').fill('10');
      await expect.poll(() => page.getByTestId('deal-line-amount-0').textContent()).toBe('1,350.00');
      await page.getByTestId('deal-form-cf-competitor').fill('Acme CRM');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/deals') && r.request().method() === 'POST');
      await page.getByTestId('deal-form-submit').click();
      const body = (await (await created).json()) as Json;
      dealId = String(body.id);
      expect(body).toMatchObject({ amount: '1350.00', stageId: pipeline.stages[0]?.id, custom: { competitor: 'Acme CRM' } });
      await page.getByTestId('deal-drawer').waitFor();
      expect(await page.getByTestId('deal-detail-cf-competitor').textContent()).toBe('Acme CRM');
      // Editing sends only what changed in the custom fields.
      await page.getByTestId('deal-edit').click();
      await expect.poll(() => page.getByTestId('deal-form-cf-competitor').inputValue()).toBe('Acme CRM');
      await page.getByTestId('deal-form-cf-competitor').fill('Beta CRM');
      const edited = page.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}`) && r.request().method() === 'PATCH');
      await page.getByTestId('deal-form-submit').last().click();
      const patch = await edited;
      expect(patch.status()).toBe(200);
      expect((patch.request().postDataJSON() as Json).custom).toEqual({ competitor: 'Beta CRM' });
      await expect.poll(() => page.getByTestId('deal-detail-cf-competitor').textContent()).toBe('Beta CRM');
      await page.getByTestId('deal-form').waitFor({ state: 'detached' });
      // The drawer lists the deal's contracts, with "new contract" prefilled from the deal.
      const contracts = page.getByTestId('deal-contracts');
      await contracts.waitFor();
      expect(await contracts.getByTestId('contract-create-from').getAttribute('href')).toBe(`/contracts?new=1&dealId=${dealId}`);
    });

    await step(page, "log a follow-up in the deal's drawer, correct it, delete it", async () => {
      const followUps = page.getByTestId('deal-follow-ups');
      await followUps.getByTestId('deal-follow-up-content').fill('Called the buyer about seats');
      // With a file: uploaded as it is picked, sent with the follow-up, downloadable through the deal.
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST');
      await followUps.getByTestId('deal-follow-up-attachments').locator('input[type=file]').setInputFiles({ name: '报价单.txt', mimeType: 'text/plain', buffer: Buffer.from('quote: 3 seats') });
      expect((await uploaded).status()).toBe(201);
      const logged = page.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}/follow-ups`) && r.request().method() === 'POST');
      await followUps.getByTestId('deal-follow-up-submit').click();
      expect((await logged).status()).toBe(201);
      const item = followUps.getByTestId('deal-follow-up-item').first();
      await expect.poll(() => item.textContent()).toContain('Called the buyer about seats');
      const link = item.getByTestId('deal-follow-up-attachment');
      await expectText(link, '报价单.txt');
      const href = (await link.getAttribute('href')) ?? '';
      expect(href).toMatch(new RegExp(`^/api/v1/deals/${dealId}/follow-ups/[^/]+/files/[^/]+$`));
      const download = await page.request.get(href);
      expect(download.status()).toBe(200);
      expect(await download.text()).toBe('quote: 3 seats');
      await expectCount(followUps.getByTestId('deal-follow-up-attachments').locator('.ant-upload-list-item'), 0);
      await item.getByTestId('follow-up-edit').click();
      await page.getByTestId('follow-up-edit-content').fill('Called the buyer: 3 seats confirmed');
      // The dialog shows the file on it; taking it off sends the (now empty) list.
      const editFiles = page.getByTestId('follow-up-edit-attachments');
      await expectText(editFiles, '报价单.txt');
      await editFiles.locator('.ant-upload-list-item').hover();
      await editFiles.locator('.ant-upload-list-item button').click();
      await expectCount(editFiles.locator('.ant-upload-list-item'), 0);
      const saved = page.waitForResponse((r) => r.url().includes(`/api/v1/deals/${dealId}/follow-ups/`) && r.request().method() === 'PATCH');
      await page.getByTestId('follow-up-edit-save').click();
      const savedResponse = await saved;
      expect(savedResponse.status()).toBe(200);
      expect(savedResponse.request().postDataJSON()).toMatchObject({ content: 'Called the buyer: 3 seats confirmed', attachmentIds: [] });
      await expect.poll(() => item.textContent()).toContain('3 seats confirmed');
      await expectCount(item.getByTestId('deal-follow-up-attachment'), 0);
      const deal = await callApi<Json>(page, 'GET', `/deals/${dealId}`);
      expect(deal.body.lastFollowupAt).not.toBeNull();
      const removed = page.waitForResponse((r) => r.url().includes(`/api/v1/deals/${dealId}/follow-ups/`) && r.request().method() === 'DELETE');
      await item.getByTestId('follow-up-delete').click();
      await page.getByTestId('follow-up-delete-confirm').click();
      expect((await removed).status()).toBe(204);
      await followUps.getByTestId('deal-follow-up-item').waitFor({ state: 'detached' });
      expect((await callApi<Json>(page, 'GET', `/deals/${dealId}`)).body.lastFollowupAt).toBeNull();
      await page.keyboard.press('Escape');
      // The drawer's closing animation keeps its mask over the board for a moment; a drag started under it goes nowhere.
      await page.getByTestId('deal-drawer').waitFor({ state: 'hidden' });
      await page.getByTestId(`kanban-column-${pipeline.stages[0]?.id ?? ''}`).getByTestId(`deal-card-${dealId}`).waitFor();
    });

    await step(page, "the open deal's next follow-up is on 我的跟进 and opens the deal", async () => {
      const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
      expect((await callApi(page, 'POST', `/deals/${dealId}/follow-ups`, { type: 'call', content: 'Call back about the rollout date', nextFollowupAt: nextWeek })).status).toBe(201);
      await page.goto('/follow-ups?bucket=upcoming');
      const row = page.getByTestId('my-follow-ups-table-upcoming').getByTestId('my-follow-up-row').filter({ hasText: 'Kanban rollout' });
      await expect.poll(() => row.textContent()).toContain('Kanban Trading Co');
      await row.getByTestId('my-follow-up-link').click();
      await page.waitForURL(`**/deals?deal=${dealId}`);
      await page.getByTestId('deal-drawer').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('deal-drawer').waitFor({ state: 'hidden' });
      await page.getByTestId(`deal-card-${dealId}`).waitFor();
    });

    await step(page, 'drag the card to the next stage', async () => {
      const moved = page.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}/move`));
      await page.getByTestId(`deal-card-${dealId}`).dragTo(page.getByTestId(`kanban-column-${pipeline.stages[1]?.id ?? ''}`));
      expect((await moved).status()).toBe(200);
      await page.getByTestId(`kanban-column-${pipeline.stages[1]?.id ?? ''}`).getByTestId(`deal-card-${dealId}`).waitFor();
      const deal = await callApi<Json>(page, 'GET', `/deals/${dealId}`);
      expect(deal.body.stageId).toBe(pipeline.stages[1]?.id);
    });

    await step(page, 'drag the card onto "won"', async () => {
      const closed = page.waitForResponse((r) => r.url().endsWith(`/api/v1/deals/${dealId}/close`));
      await page.getByTestId(`deal-card-${dealId}`).dragTo(page.getByTestId('kanban-drop-won'));
      expect((await closed).status()).toBe(200);
      await page.getByTestId(`deal-card-${dealId}`).waitFor({ state: 'detached' });
      const deal = await callApi<Json>(page, 'GET', `/deals/${dealId}`);
      expect(deal.body.status).toBe('won');
    });

    await step(page, "the customer's page lists the won deal and its timeline the stage change, the win and the deal's follow-up", async () => {
      expect((await callApi(page, 'POST', `/deals/${dealId}/follow-ups`, { type: 'call', content: 'Thanked them for the order' })).status).toBe(201);
      await page.goto(`/customers/${customerId}`);
      await expect.poll(() => page.getByTestId('timeline-follow-up-deal').first().textContent()).toBe('on deal Kanban rollout');
      const card = page.getByTestId(`customer-deal-${dealId}`);
      await card.waitFor();
      await expect.poll(() => card.textContent()).toContain('Won');
      await page.locator('[data-testid="timeline-item"][data-kind="deal_won"]').first().waitFor();
      await page.locator('[data-testid="timeline-item"][data-kind="deal_stage_changed"]').first().waitFor();
      // Money on the timeline: the API's decimal string, shown in the workspace currency (CNY).
      const won = page.locator('[data-testid="timeline-item"][data-kind="deal_won"]').first();
      expect(await won.getByTestId('timeline-amount').textContent()).toBe('CN¥1,350.00');
      expect(await won.getByTestId('timeline-money-subject').textContent()).toBe('Kanban rollout');
      expect(await page.getByTestId('timeline-card').textContent()).not.toContain('Cents');
    });

    await step(page, "the contracts page exports the list it shows", async () => {
      const contract = await callApi<Json>(page, 'POST', '/contracts', { name: 'Kanban contract', dealId });
      expect(contract.status).toBe(201);
      await page.goto('/contracts?status=draft');
      await page.getByTestId(`contract-link-${String(contract.body.id)}`).waitFor();
      await page.getByTestId('contracts-export').click();
      const response = await startExport(page);
      expect(response.status()).toBe(202);
      expect(response.request().postDataJSON()).toMatchObject({ entity: 'contract', filter: { status: 'draft' } });
      await page.getByTestId('export-download').waitFor({ timeout: 30_000 });
    });

    await step(page, "跟进记录 lists the deal's follow-ups, filtered to deals, each linking to its deal", async () => {
      await page.goto('/follow-ups/records?about=deal');
      const link = page.getByTestId('follow-up-record-deal').first();
      await expectText(link, 'Deal: Kanban rollout');
      expect(await page.getByTestId('follow-up-record-lead').count()).toBe(0);
      await link.click();
      await page.waitForURL(`**/deals?deal=${dealId}`);
      await page.getByTestId('deal-drawer').waitFor();
    });

    await step(page, 'the audit log names what happened to the deal and links to it', async () => {
      await page.goto('/settings/audit-log');
      const won = page.getByTestId('audit-action').filter({ hasText: 'Deal won' });
      await won.first().waitFor();
      // Every action is named; no raw code such as "deal.won" shows.
      expect(await page.getByTestId('audit-action').allTextContents()).not.toContainEqual(expect.stringMatching(/^[a-z_]+\.[a-z_]+$/));
      const row = page.locator('tr').filter({ has: won.first() });
      await row.getByTestId('audit-target-link').click();
      await page.waitForURL(`**/deals?deal=${dealId}`);
      await page.getByTestId('deal-drawer').waitFor();
    });

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
