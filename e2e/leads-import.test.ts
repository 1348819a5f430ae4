import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { showColumn } from './pages/columns';
import { setUpWorkspace } from './pages/auth';
import { expectCount, expectText, fillSteady } from './pages/expect';
import { startExport } from './pages/exports';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Leads 好客', name: 'Lee Admin', email: 'lee@leads.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'leads-import', name, run);

interface Lead {
  id: string;
  name: string;
  company: string | null;
  phone: string | null;
  source: string | null;
}

/** A leads sheet as people in China keep it: UTF-8 with BOM, Chinese headers, one row with a broken email. */
function leadsCsv(): Buffer {
  const lines = [
    '姓名,公司名称,电话,邮箱,线索来源,备注',
    '张伟,杭州云帆科技有限公司,13700000001,zhangwei@yunfan.test,展会,春季展会名片',
    '王芳,成都蜀锦贸易有限公司,13700000002,,官网,',
    '刘洋,深圳前海物流有限公司,13700000003,not-an-email,展会,',
  ];
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

describe('lead import through the wizard', () => {
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

  it('imports a leads CSV with Chinese headers from the leads page and shows the rows in the leads list', async () => {

    await step(page, 'setup', async () => {
      await setUpWorkspace(page, admin);
    });

    await step(page, 'open the wizard from the leads page, preset to leads', async () => {
      await page.getByTestId('nav-leads').click();
      await page.waitForURL('**/leads');
      await page.getByTestId('leads-import').click();
      await page.waitForURL('**/customers/import?entity=lead');
      await expectText(page.getByTestId('import-wizard'), 'Import Leads');
      await expect.poll(() => page.locator('[data-testid="import-entity"] .ant-radio-button-wrapper-checked').innerText()).toBe('Leads');
      await expectText(page.getByTestId('import-entity-hint'), 'One row per lead');
    });

    await step(page, 'upload: the columns are matched from the Chinese headers', async () => {
      const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/imports') && r.request().method() === 'POST');
      await page.locator('[data-testid="import-file"] input[type="file"]').setInputFiles({ name: '展会线索.csv', mimeType: 'text/csv', buffer: leadsCsv() });
      const response = await uploaded;
      expect(response.status()).toBe(201);
      const body = (await response.json()) as { entity: string; guesses: Record<string, string>; fields: string[] };
      expect(body.entity).toBe('lead');
      expect(body.guesses).toEqual({ '0': 'name', '1': 'company', '2': 'phone', '3': 'email', '4': 'source', '5': 'remark' });
      await expectText(page.getByTestId('import-file-name'), '展会线索.csv');
      await expectText(page.getByTestId('import-mapping-0'), 'Name');
      await expectText(page.getByTestId('import-mapping-1'), 'Company');
      await expectText(page.getByTestId('import-mapping-4'), 'Source');
      await expect(page.getByTestId('import-mapping-missing').count()).resolves.toBe(0);
      await page.getByTestId('import-mapping-next').click();
    });

    await step(page, 'preview: two valid rows, the broken email flagged', async () => {
      await page.getByTestId('import-step-preview').waitFor();
      await expectCount(page.locator('[data-testid="import-preview-row"]'), 3);
      await expectText(page.getByTestId('import-preview-valid'), '2 valid');
      await expectText(page.getByTestId('import-preview-invalid'), '1 with errors');
      await expectCount(page.locator('[data-testid="import-preview-row"][data-has-errors="true"]'), 1);
      await expectText(page.getByTestId('import-matched-by'), 'same phone or email');
      await page.getByTestId('import-start').click();
    });

    await step(page, 'run and report: 2 created, 1 failed with a downloadable reason', async () => {
      await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
      await expectText(page.getByTestId('import-result-created'), '2');
      await expectText(page.getByTestId('import-result-failed'), '1');
      const href = await page.getByTestId('import-errors-download').getAttribute('href');
      expect(href).toMatch(/^\/api\/v1\/imports\/[^/]+\/errors$/);
      const errors = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
      expect(errors).toContain('刘洋');
      expect(errors).toContain('email');
    });

    await step(page, 'the leads list shows the imported rows', async () => {
      await page.getByTestId('import-to-list').click();
      await page.waitForURL('**/leads');
      const table = page.getByTestId('leads-table');
      await expectText(table, '张伟');
      await expectText(table, '王芳');
      await expectText(table, '杭州云帆科技有限公司');
      await expectText(table, 'Trade show');
      expect(await table.innerText()).not.toContain('刘洋');
      const stored = await callApi<{ data: Lead[] }>(page, 'GET', '/leads?sort=name');
      expect(stored.body.data.map((l) => [l.name, l.company, l.phone, l.source]).sort()).toEqual([
        ['张伟', '杭州云帆科技有限公司', '13700000001', 'exhibition'],
        ['王芳', '成都蜀锦贸易有限公司', '13700000002', 'web'],
      ]);
    });

    await step(page, 'a saved view of the list keeps its filter and columns', async () => {
      await showColumn(page, 'leads-columns', 'lead-column-toggle-remark');
      await expectText(page.getByTestId('leads-table'), '春季展会名片');
      await page.getByTestId('leads-search').fill('张伟');
      await expectCount(page.locator('[data-testid="leads-table"] tbody tr.ant-table-row'), 1);
      await page.getByTestId('saved-view-menu').click();
      await page.getByTestId('saved-view-save-as').click();
      await fillSteady(page.getByTestId('saved-view-form-name'), '展会线索');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/saved-views') && r.request().method() === 'POST');
      await page.getByTestId('saved-view-form-submit').click();
      expect((await saved).status()).toBe(201);
      const views = await callApi<{ data: { name: string; definition: { filters: Record<string, unknown>; columns: string[] } }[] }>(page, 'GET', '/saved-views?entity=lead');
      expect(views.body.data).toHaveLength(1);
      expect(views.body.data[0]?.definition.filters).toEqual({ q: '张伟' });
      expect(views.body.data[0]?.definition.columns).toContain('remark');
    });

    await step(page, 'export: the filtered leads go to a CSV file with the shared export dialog', async () => {
      await page.getByTestId('leads-export').click();
      await expectText(page.getByTestId('export-modal'), 'CSV');
      await page.getByTestId('export-format').getByText('CSV').click();
      const response = await startExport(page);
      expect(response.status()).toBe(202);
      expect(response.request().postDataJSON()).toMatchObject({ entity: 'lead', format: 'csv', filter: { q: '张伟' } });
      const href = await page.getByTestId('export-download').getAttribute('href', { timeout: 30_000 });
      const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
      expect(csv).toContain('张伟');
      expect(csv).not.toContain('王芳');
      await page.getByTestId('export-close').click();
    });

    await step(page, 'a converted lead shows on the new customer\'s timeline with its source', async () => {
      const leads = await callApi<{ data: Lead[] }>(page, 'GET', `/leads?q=${encodeURIComponent('张伟')}`);
      const lead = leads.body.data[0];
      expect(lead?.name).toBe('张伟');
      const converted = await callApi<{ customerId: string }>(page, 'POST', `/leads/${lead?.id ?? ''}/convert`, {});
      expect(converted.status).toBe(200);
      await page.goto(`/customers/${converted.body.customerId}`);
      const entry = page.getByTestId('timeline-lead-converted');
      await expectText(entry, 'Converted from lead 张伟');
      await expectText(page.getByTestId('timeline-lead-source'), 'Trade show');
      await page.getByTestId('timeline-lead-link').click();
      await page.waitForURL(`**/leads/${lead?.id ?? ''}`);
    });

    await step(page, 'conversion by source counts the converted trade-show lead', async () => {
      await page.goto('/leads');
      await page.getByTestId('leads-by-source-open').click();
      await expectText(page.getByTestId('leads-by-source-summary'), '2 leads, 1 converted (50%)');
      const rows = page.locator('[data-testid="leads-by-source-table"] tbody tr.ant-table-row');
      await expectCount(rows, 2);
      const cells = async (label: string) => (await rows.filter({ hasText: label }).locator('td').allInnerTexts()).map((text) => text.trim());
      await expect.poll(() => cells('Trade show')).toEqual(['Trade show', '1', '1', '0', '100%']);
      await expect.poll(() => cells('Website')).toEqual(['Website', '1', '0', '0', '0%']);
      await page.keyboard.press('Escape');
    });

    await step(page, 'a required lead custom field is offered in the new-lead form and sent with it', async () => {
      expect((await callApi(page, 'POST', '/custom-fields/lead', { key: 'budget_band', label: 'Budget band', type: 'text', required: true })).status).toBe(201);
      // A fresh load: the list page above cached the lead field definitions from before this one.
      await page.goto('/leads');
      await page.getByTestId('leads-create').click();
      await page.getByTestId('lead-form-name').fill('赵敏');
      // Left empty, the form stops the save itself instead of the server answering 400.
      await page.getByTestId('lead-form-submit').click();
      await expectText(page.getByTestId('lead-form-cf-item-budget_band'), 'Required');
      await page.getByTestId('lead-form-cf-budget_band').fill(' 50k+ ');
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST');
      await page.getByTestId('lead-form-submit').click();
      const response = await created;
      expect(response.status()).toBe(201);
      expect(response.request().postDataJSON()).toMatchObject({ name: '赵敏', custom: { budget_band: '50k+' } });
      const saved = (await response.json()) as { id: string; custom: Record<string, unknown> };
      expect(saved.custom).toEqual({ budget_band: '50k+' });
      await page.getByTestId('lead-form-drawer').waitFor({ state: 'detached' });
      await page.goto(`/leads/${saved.id}`);
      await expectText(page.getByTestId('lead-detail-cf-budget_band'), '50k+');
    });

    await step(page, "a lead's follow-up is corrected and then deleted from the lead page", async () => {
      const url = new URL(page.url());
      const leadId = url.pathname.split('/').pop() ?? '';
      const logged = await callApi<{ id: string }>(page, 'POST', `/leads/${leadId}/follow-ups`, { type: 'call', content: 'Asked for a quote on 20 units' });
      expect(logged.status).toBe(201);
      await page.reload();
      const item = page.locator(`[data-follow-up-id="${logged.body.id}"]`);
      await item.getByTestId('follow-up-edit').click();
      await page.getByTestId('follow-up-edit-content').fill('Asked for a quote on 25 units');
      const saved = page.waitForResponse((r) => r.url().includes(`/follow-ups/${logged.body.id}`) && r.request().method() === 'PATCH');
      await page.getByTestId('follow-up-edit-save').click();
      expect((await saved).status()).toBe(200);
      await expectText(item, 'Asked for a quote on 25 units');
      const stored = await callApi<{ data: { content: string }[] }>(page, 'GET', `/leads/${leadId}/follow-ups`);
      expect(stored.body.data.map((f) => f.content)).toEqual(['Asked for a quote on 25 units']);
      await item.getByTestId('follow-up-delete').click();
      await page.getByTestId('follow-up-delete-confirm').click();
      await expectCount(page.locator(`[data-follow-up-id="${logged.body.id}"]`), 0);
      expect((await callApi<{ data: unknown[] }>(page, 'GET', `/leads/${leadId}/follow-ups`)).body.data).toEqual([]);

      // A long history shows a page at a time: 20, then the rest on "load more".
      for (let i = 1; i <= 23; i += 1) {
        expect((await callApi(page, 'POST', `/leads/${leadId}/follow-ups`, { type: 'call', content: `Call #${i}` })).status).toBe(201);
      }
      await page.reload();
      const items = page.getByTestId('lead-follow-up-item');
      await expectCount(items, 20);
      await expectText(items.first(), 'Call #23');
      await page.getByTestId('lead-follow-ups-more').click();
      await expectCount(items, 23);
      await expectText(items.last(), 'Call #1');
      await expectCount(page.getByTestId('lead-follow-ups-more'), 0);
    });

    expect(pageErrors).toEqual([]);
  });
});
