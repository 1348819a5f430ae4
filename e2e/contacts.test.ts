import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { setUpWorkspace } from './pages/auth';
import { expectCount, expectText, fillSteady } from './pages/expect';
import { startExport } from './pages/exports';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Contacts 好客', name: 'Cora Admin', email: 'cora@contacts.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'contacts', name, run);

interface Json {
  id: string;
  [key: string]: unknown;
}

describe('contacts list and recycle bin, through the browser', () => {
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

  const rows = (list: string): Locator => page.locator(`[data-testid="${list}-table"] .ant-table-row`);
  const row = (name: string): Locator => rows('contacts').filter({ hasText: name });

  it('finds a contact, deletes it, restores it from the bin; bulk delete and restore; retention setting', async () => {
    let customerId = '';
    const contactIds: Record<string, string> = {};

    await step(page, 'setup and contacts', async () => {
      await setUpWorkspace(page, admin);
      customerId = (await callApi<Json>(page, 'POST', '/customers', { name: '北京好客科技有限公司' })).body.id;
      const other = (await callApi<Json>(page, 'POST', '/customers', { name: 'Other Trading' })).body.id;
      for (const [name, phone, owner] of [
        ['张三', '13811112222', customerId],
        ['李四', '13933334444', customerId],
        ['王五', '13755556666', other],
      ] as const) {
        const created = await callApi<Json>(page, 'POST', '/contacts', { customerId: owner, name, phone });
        expect(created.status).toBe(201);
        contactIds[name] = created.body.id;
      }
    });

    await step(page, 'open the contacts list from the navigation', async () => {
      await page.getByTestId('nav-contacts').click();
      await page.waitForURL('**/contacts');
      await expectCount(rows('contacts'), 3);
      await expectText(page.getByTestId('contacts-total'), '3 contacts');
      // The customer column links to the customer's 360° view.
      const link = row('李四').getByTestId('contact-row-customer');
      expect(await link.getAttribute('href')).toBe(`/customers/${customerId}`);
    });

    await step(page, 'find a contact by phone digits', async () => {
      // antd puts the test id on the input itself or on its wrapper, depending on the component.
      const search = page.locator('input[data-testid="contacts-search"], [data-testid="contacts-search"] input').first();
      await search.fill('3933');
      await search.press('Enter');
      await expectCount(rows('contacts'), 1);
      await expectText(rows('contacts').first(), '李四');
    });

    await step(page, 'export the filtered list to CSV: the shown columns, the one matching contact', async () => {
      await page.getByTestId('contacts-export').click();
      await expectText(page.getByTestId('export-modal'), '1');
      await page.getByTestId('export-format').getByText('CSV').click();
      const request = (await startExport(page)).request().postDataJSON() as { entity: string; format: string; filter: Record<string, unknown>; columns: string[] };
      expect(request).toMatchObject({ entity: 'contact', format: 'csv' });
      expect(Object.values(request.filter)).toContain('3933');
      expect(request.columns).toContain('customerName');
      expect(request.columns).not.toContain('owner');
      const href = await page.getByTestId('export-download').getAttribute('href');
      const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
      expect(csv).toContain('李四');
      expect(csv).toContain('北京好客科技有限公司');
      expect(csv).not.toContain('张三');
      await page.getByTestId('export-close').click();
    });

    await step(page, 'save the search as a view, clear it, apply the view again', async () => {
      await page.getByTestId('saved-view-menu').click();
      await page.getByTestId('saved-view-save-as').click();
      await fillSteady(page.getByTestId('saved-view-form-name'), '尾号3933');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/saved-views') && r.request().method() === 'POST');
      await page.getByTestId('saved-view-form-submit').click();
      const view = (await saved).request().postDataJSON() as { entity: string; definition: { filters: Record<string, unknown> } };
      expect(view).toMatchObject({ entity: 'contact', definition: { filters: { q: '3933' } } });
      await page.getByTestId('contacts-filter-reset').click();
      await expectCount(rows('contacts'), 3);
      await page.getByTestId('saved-view-select').click();
      await page.locator('.ant-select-item-option').filter({ hasText: '尾号3933' }).click();
      await expectCount(rows('contacts'), 1);
      await expectText(rows('contacts').first(), '李四');
      const search = page.locator('input[data-testid="contacts-search"], [data-testid="contacts-search"] input').first();
      expect(await search.inputValue()).toBe('3933');
    });

    await step(page, 'delete it', async () => {
      const deleted = page.waitForResponse((r) => r.url().endsWith(`/api/v1/contacts/${contactIds['李四'] ?? ''}`) && r.request().method() === 'DELETE');
      await row('李四').getByTestId('contact-delete').click();
      await page.getByTestId('confirm-ok').filter({ visible: true }).click();
      expect((await deleted).status()).toBe(204);
      await expectCount(rows('contacts'), 0);
      expect((await callApi(page, 'GET', `/contacts/${contactIds['李四'] ?? ''}`)).status).toBe(404);
    });

    await step(page, 'restore it from the recycle bin', async () => {
      await page.getByTestId('contacts-bin').click();
      await expectCount(rows('contacts'), 1);
      await expectText(rows('contacts').first(), '李四');
      const restored = page.waitForResponse((r) => r.url().endsWith('/api/v1/contacts/restore') && r.request().method() === 'POST');
      await row('李四').getByTestId('contact-restore').click();
      expect((await restored).status()).toBe(200);
      await expectCount(rows('contacts'), 0);
      await page.getByTestId('contacts-live').click();
      await expectCount(rows('contacts'), 1);
      expect((await callApi<Json>(page, 'GET', `/contacts/${contactIds['李四'] ?? ''}`)).body).toMatchObject({ name: '李四', isPrimary: false });
    });

    await step(page, 'bulk delete two, bulk restore them', async () => {
      await page.getByTestId('contacts-filter-reset').click();
      await expectCount(rows('contacts'), 3);
      for (const name of ['张三', '王五']) {
        await row(name).locator('.ant-checkbox-input').check();
      }
      await expectText(page.getByTestId('contacts-selected-count'), '2 selected');
      await page.getByTestId('bulk-delete').click();
      await page.getByTestId('confirm-ok').filter({ visible: true }).click();
      await expectCount(rows('contacts'), 1);
      await page.getByTestId('contacts-bin').click();
      await expectCount(rows('contacts'), 2);
      await rows('contacts').first().locator('.ant-checkbox-input').check();
      await rows('contacts').nth(1).locator('.ant-checkbox-input').check();
      const restored = page.waitForResponse((r) => r.url().endsWith('/api/v1/contacts/restore'));
      await page.getByTestId('bulk-restore').click();
      expect((await restored).status()).toBe(200);
      await expectCount(rows('contacts'), 0);
      await page.getByTestId('contacts-live').click();
      await expectCount(rows('contacts'), 3);
    });

    await step(page, 'set the recycle-bin retention', async () => {
      await page.getByTestId('nav-workspace-settings').click();
      await page.waitForURL('**/settings/workspace');
      const days = page.locator('input[data-testid="workspace-recycle-days"], [data-testid="workspace-recycle-days"] input').first();
      await expect.poll(() => days.inputValue()).toBe('30');
      await days.fill('14');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/workspace') && r.request().method() === 'PATCH');
      await page.getByTestId('workspace-settings-save').click();
      expect((await saved).status()).toBe(200);
      expect((await callApi<{ settings: { recycleBinDays: number } }>(page, 'GET', '/workspace')).body.settings.recycleBinDays).toBe(14);
    });

    expect(pageErrors).toEqual([]);
  });
});
