import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { startExport } from './pages/exports';
import { setUpWorkspace } from './pages/auth';
import { expectCount, expectText } from './pages/expect';
import { pickOption, step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Customers 好客', name: 'Ann Admin', email: 'ann@customers.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'customers', name, run);

interface Customer {
  id: string;
  name: string;
  phone: string | null;
  custom: Record<string, unknown>;
  lastFollowupContent: string | null;
}
interface Page_<T> {
  data: T[];
}

/** A CSV as Excel in China would write it: UTF-8 with BOM, Chinese headers, a quoted newline. */
function importCsv(rows: number): Buffer {
  // 联系人 on the customer's row gives it its primary contact (every tenth row has one).
  const lines = ['客户名称,电话,联系人,备注'];
  for (let i = 0; i < rows; i += 1) {
    const remark = i === 0 ? '"第一行\n带换行"' : `备注 ${i}`;
    const contact = i % 10 === 0 ? `联系人${i}` : '';
    lines.push(`导入客户 ${String(i).padStart(5, '0')},1390000${String(i).padStart(4, '0')},${contact},${remark}`);
  }
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
}

describe('customers, through the browser', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    env = await startE2e();
    ({ context, page } = await newPage(env, 'en-US'));
    // A page error or a server error anywhere in the flow fails the test, with the answer it gave.
    watchPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await context?.close();
    await env?.close();
  });

  it('custom field on a new customer → follow-up on the timeline → import with progress → merge two duplicates', async () => {
    let customerId = '';

    await step(page, 'setup and a custom field', async () => {
      await setUpWorkspace(page, admin);
      const field = await callApi(page, 'POST', '/custom-fields/customer', { key: 'region', label: 'Sales region', type: 'text' });
      expect(field.status).toBe(201);
    });

    await step(page, 'create a customer with the custom field', async () => {
      await page.getByTestId('nav-customers').click();
      await page.waitForURL('**/customers');
      await page.getByTestId('customers-create').click();
      await page.getByTestId('customer-form-name').fill('上海好客贸易有限公司');
      await page.getByTestId('customer-form-phone').fill('13812345678');
      await page.getByTestId('customer-form-cf-region').fill('East China');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/customers') && r.request().method() === 'POST');
      await page.getByTestId('customer-form-submit').click();
      const response = await saved;
      expect(response.status()).toBe(201);
      customerId = ((await response.json()) as Customer).id;
      const stored = await callApi<Customer>(page, 'GET', `/customers/${customerId}`);
      expect(stored.body.custom.region).toBe('East China');
      await expectText(page.getByTestId('customers-table'), '上海好客贸易有限公司');
    });

    await step(page, 'follow-up shows on the timeline', async () => {
      await page.getByTestId('customer-row-name').filter({ hasText: '上海好客贸易有限公司' }).click();
      await page.waitForURL(`**/customers/${customerId}`);
      await expectText(page.getByTestId(`customer-detail-cf-region`), 'East China');
      await pickOption(page, 'follow-up-type');
      await page.getByTestId('follow-up-content').fill('Called the buyer: wants a quote for 200 units');
      await page.getByTestId('follow-up-submit').click();
      const item = page.getByTestId('timeline-item').filter({ hasText: 'wants a quote for 200 units' });
      await item.first().waitFor();
      await expectText(page.getByTestId('customer-last-followup-content'), 'wants a quote for 200 units');
      const stored = await callApi<Customer>(page, 'GET', `/customers/${customerId}`);
      expect(stored.body.lastFollowupContent).toBe('Called the buyer: wants a quote for 200 units');
      // The author corrects it from the timeline; the entry and the customer's summary follow.
      await item.first().getByTestId('follow-up-edit').click();
      const content = page.getByTestId('follow-up-edit-content');
      await content.fill('Called the buyer: wants a quote for 250 units');
      await page.getByTestId('follow-up-edit-save').click();
      await page.getByTestId('timeline-item').filter({ hasText: 'wants a quote for 250 units' }).first().waitFor();
      await expectCount(page.getByTestId('timeline-item').filter({ hasText: 'wants a quote for 200 units' }), 0);
      await expectText(page.getByTestId('customer-last-followup-content'), 'wants a quote for 250 units');
      // A follow-up logged by mistake is deleted from the timeline, after a confirmation.
      const mistake = await callApi(page, 'POST', '/follow-ups', { entity: 'customer', recordId: customerId, type: 'call', content: 'logged on the wrong customer' });
      expect(mistake.status).toBe(201);
      await page.reload();
      const wrong = page.getByTestId('timeline-item').filter({ hasText: 'logged on the wrong customer' });
      await wrong.first().getByTestId('follow-up-delete').click();
      await page.getByTestId('follow-up-delete-confirm').click();
      await expectCount(wrong, 0);
      expect((await callApi(page, 'GET', `/follow-ups?customerId=${customerId}`)).body).toMatchObject({ data: [{ content: 'Called the buyer: wants a quote for 250 units' }] });
    });

    await step(page, 'follow-up records: search the team\'s follow-ups, keep the filter in the URL, export them', async () => {
      const visit = await callApi(page, 'POST', '/follow-ups', { entity: 'customer', recordId: customerId, type: 'visit', content: 'Visited the plant with the engineer' });
      expect(visit.status).toBe(201);
      await page.getByTestId('nav-follow-up-records').click();
      await page.waitForURL('**/follow-ups/records');
      const records = page.getByTestId('follow-up-record-row');
      await expectCount(records, 2);
      await expectText(page.getByTestId('follow-up-records-total'), 'Follow-ups: 2');
      await expectText(records.first(), 'Visited the plant');
      await expectText(records.first(), '上海好客贸易有限公司');
      const search = page.locator('input[data-testid="follow-up-records-search"], [data-testid="follow-up-records-search"] input').first();
      await search.fill('250 units');
      await search.press('Enter');
      await expectCount(records, 1);
      await expectText(records.first(), 'wants a quote for 250 units');
      await page.reload();
      await expectCount(records, 1);
      expect(new URL(page.url()).searchParams.get('q')).toBe('250 units');
      await page.getByTestId('follow-up-records-export').click();
      await page.getByTestId('export-format').getByText('CSV').click();
      const request = (await startExport(page)).request().postDataJSON() as { entity: string; filter: Record<string, unknown> };
      expect(request).toMatchObject({ entity: 'followUp', filter: { q: '250 units' } });
      const href = await page.getByTestId('export-download').getAttribute('href');
      const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href ?? '');
      expect(csv).toContain('wants a quote for 250 units');
      expect(csv).not.toContain('Visited the plant');
      await page.getByTestId('export-close').click();
    });

    await step(page, 'a search and a filter survive opening a customer, Back and a reload', async () => {
      const field = await callApi(page, 'POST', '/custom-fields/customer', { key: 'employees', label: 'Employees', type: 'number' });
      expect(field.status).toBe(201);
      const ids: Record<string, string> = {};
      for (const [name, employees] of [['好客科技有限公司', 500], ['远航科技有限公司', 120], ['好客食品有限公司', 800]] as const) {
        const created = await callApi<Customer>(page, 'POST', '/customers', { name, custom: { employees } });
        expect(created.status).toBe(201);
        ids[name] = created.body.id;
      }
      await page.goto('/customers');
      const listRows = page.locator('[data-testid="customers-table"] .ant-table-row');
      await expectCount(listRows, 4);
      // antd puts the test id on the input itself or on its wrapper, depending on the component.
      const search = page.locator('input[data-testid="customers-search"], [data-testid="customers-search"] input').first();
      await search.fill('科技');
      await search.press('Enter');
      await expectCount(listRows, 2);
      await page.getByTestId('customers-add-filter').click();
      // The field list is virtualized: type to bring the custom field into view.
      await page.getByTestId('filter-condition-field').click();
      await page.keyboard.type('Employees');
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'Employees' }).first().click();
      await pickOption(page, 'filter-condition-op', 'greater than');
      await page.locator('input[data-testid="filter-condition-value"], [data-testid="filter-condition-value"] input').first().fill('300');
      await page.getByTestId('filter-builder-apply').click();
      await expectCount(listRows, 1);
      await expectText(listRows.first(), '好客科技有限公司');
      const listUrl = new URL(page.url());
      expect(listUrl.searchParams.get('q')).toBe('科技');
      expect(listUrl.searchParams.get('cf.employees[gt]')).toBe('300');

      const expectFilteredList = async () => {
        await expectCount(listRows, 1);
        await expectText(listRows.first(), '好客科技有限公司');
        await expectText(page.getByTestId('customers-condition-tag'), 'Employees greater than 300');
        await expect.poll(() => search.inputValue()).toBe('科技');
      };
      await listRows.first().getByTestId('customer-row-name').click();
      await page.waitForURL(`**/customers/${ids['好客科技有限公司'] ?? ''}`);
      await page.goBack();
      await page.waitForURL((url) => url.pathname === '/customers' && url.searchParams.get('q') === '科技');
      await expectFilteredList();
      await page.reload();
      await expectFilteredList();
      // Removing the condition is one step back in history; the search stays.
      await page.getByTestId('customers-condition-tag').locator('.ant-tag-close-icon').click();
      await expectCount(listRows, 2);
      await page.goBack();
      await expectFilteredList();
    });

    await step(page, "the header search's 'see all' opens the list filtered by the term", async () => {
      await page.locator('.ant-select-auto-complete input').first().fill('科技');
      await page.getByTestId('search-all-customers').click();
      await page.waitForURL((url) => url.pathname === '/customers' && url.searchParams.get('q') === '科技' && !url.searchParams.has('cf.employees[gt]'));
      const listRows = page.locator('[data-testid="customers-table"] .ant-table-row');
      await expectCount(listRows, 2);
    });

    const rows = 6000;
    await step(page, 'import through the wizard and watch the progress', async () => {
      await page.getByTestId('nav-imports').click();
      await page.waitForURL('**/customers/import');
      // The template to fill in: the link downloads an Excel file with the user's columns.
      const template = await page.getByTestId('import-template-xlsx').getAttribute('href');
      const downloaded = await page.evaluate(async (url) => {
        const res = await fetch(url);
        return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
      }, template ?? '');
      expect(downloaded).toMatchObject({ status: 200, type: expect.stringContaining('spreadsheetml') as unknown });
      expect(downloaded.bytes).toBeGreaterThan(1000);
      await page.locator('[data-testid="import-file"] input[type="file"]').setInputFiles({
        name: '客户导入.csv',
        mimeType: 'text/csv',
        buffer: importCsv(rows),
      });
      await expectText(page.getByTestId('import-file-name'), '客户导入.csv');
      await expectText(page.getByTestId('import-mapping-2'), 'Contact name');
      await page.getByTestId('import-mapping-next').click();
      await page.getByTestId('import-step-preview').waitFor();
      await page.getByTestId('import-preview-table').locator('[data-testid="import-preview-row"]').first().waitFor();
      expect(pageErrors).toEqual([]);
      await page.getByTestId('import-start').click();
      // The run step polls once a second: at least one reading of the bar while the job runs,
      // unless the job beat the first poll.
      const seen: number[] = [];
      const started = Date.now();
      while (!(await page.getByTestId('import-result').isVisible())) {
        const bar = page.getByTestId('import-progress');
        if (await bar.isVisible()) {
          const text = await bar.innerText().catch(() => '');
          const percent = Number.parseInt(text, 10);
          if (Number.isFinite(percent)) {
            seen.push(percent);
          }
        }
        expect(Date.now() - started).toBeLessThan(90_000);
        await page.waitForTimeout(200);
      }
      for (let i = 1; i < seen.length; i += 1) {
        expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] ?? 0);
      }
      await expectText(page.getByTestId('import-result-created'), String(rows).replace(/\B(?=(\d{3})+(?!\d))/g, ','));
      await expectText(page.getByTestId('import-result-failed'), '0');
      const imported = await callApi<{ data: Customer[]; total?: number }>(page, 'GET', '/customers?name[contains]=导入客户&limit=1&count=true');
      expect(imported.body.total).toBe(rows);
      const first = await callApi<Page_<Customer & { primaryContactName: string | null }>>(page, 'GET', `/customers?name=${encodeURIComponent('导入客户 00000')}`);
      expect(first.body.data).toHaveLength(1);
      expect(first.body.data[0]?.primaryContactName).toBe('联系人0');
    });

    await step(page, 'merge two duplicates', async () => {
      // Two records of one company, written differently (suffix, case, spacing).
      const a = await callApi<Customer>(page, 'POST', '/customers', { name: 'Dup Trading Co., Ltd.', phone: '021-5555-0101' });
      const b = await callApi<Customer>(page, 'POST', '/customers', { name: 'DUP trading', phone: '02155550101' });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      const note = await callApi(page, 'POST', '/follow-ups', { entity: 'customer', recordId: b.body.id, type: 'call', content: 'follow-up on the second record' });
      expect(note.status).toBe(201);

      await page.getByTestId('nav-duplicates').click();
      await page.waitForURL('**/customers/duplicates');
      const group = page.getByTestId('duplicate-group').filter({ hasText: 'Dup Trading Co., Ltd.' }).first();
      await group.getByTestId('duplicate-merge').click();
      // The modal's root is a zero-size wrapper: wait for its content instead.
      await page.getByTestId('merge-step-target').waitFor();
      await page.getByTestId(`merge-target-${a.body.id}`).click();
      await page.getByTestId('merge-preview').click();
      await page.getByTestId('merge-step-fields').waitFor();
      await expectText(page.getByTestId('merge-count-followUps'), '1');
      await page.getByTestId('merge-confirm').click();
      await page.getByTestId('merge-step-fields').waitFor({ state: 'detached' });

      const merged = await callApi<Customer>(page, 'GET', `/customers/${a.body.id}`);
      expect(merged.status).toBe(200);
      const gone = await callApi(page, 'GET', `/customers/${b.body.id}`);
      expect(gone.status).toBe(404);
      const timeline = await callApi<Page_<{ kind: string; data: unknown }>>(page, 'GET', `/customers/${a.body.id}/timeline`);
      const kinds = timeline.body.data.map((entry) => entry.kind);
      expect(kinds).toContain('merged');
      expect(kinds).toContain('follow_up');
      await page.goto(`/customers/${a.body.id}`);
      await expectCount(page.getByTestId('timeline-item').filter({ hasText: 'follow-up on the second record' }), 1);
    });

    await step(page, 'bulk restore two customers from the recycle bin', async () => {
      const names = ['回收站甲有限公司', '回收站乙有限公司'];
      const ids: string[] = [];
      for (const name of names) {
        const created = await callApi<Customer>(page, 'POST', '/customers', { name });
        expect(created.status).toBe(201);
        ids.push(created.body.id);
        expect((await callApi(page, 'DELETE', `/customers/${created.body.id}`)).status).toBe(204);
      }
      await page.goto('/customers');
      await page.getByTestId('customers-bin').click();
      const binRows = page.locator('[data-testid="customers-table"] .ant-table-row');
      for (const name of names) {
        await binRows.filter({ hasText: name }).locator('.ant-checkbox-input').check();
      }
      const restored = page.waitForResponse((r) => r.url().endsWith('/api/v1/customers/restore') && r.request().method() === 'POST');
      await page.getByTestId('bulk-restore').click();
      const response = await restored;
      expect(response.status()).toBe(200);
      expect(((response.request().postDataJSON() as { ids: string[] }).ids).sort()).toEqual([...ids].sort());
      await expectCount(binRows.filter({ hasText: '回收站' }), 0);
      for (const id of ids) {
        expect((await callApi(page, 'GET', `/customers/${id}`)).status).toBe(200);
      }
    });

    expect(pageErrors).toEqual([]);
  });
});
