import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { setUpWorkspace } from './pages/auth';
import { expectText } from './pages/expect';
import { startExport } from './pages/exports';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Products 好客', name: 'Pia Product', email: 'pia@products.test', password: 'admin-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'products', name, run);

interface Product {
  id: string;
  name: string;
  code: string | null;
  price: string;
  categoryName: string | null;
  custom: Record<string, unknown>;
}

describe('products through the browser: detail, export and import back', () => {
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

  it('shows a product with its custom fields, exports the list and imports the file back', async () => {
    let productId = '';
    let exported = Buffer.alloc(0);

    await step(page, 'setup: a category, a custom field and a product', async () => {
      await setUpWorkspace(page, admin);
      const category = await callApi<{ id: string }>(page, 'POST', '/product-categories', { name: 'Software' });
      expect(category.status).toBe(201);
      expect((await callApi(page, 'POST', '/custom-fields/product', { key: 'warranty_months', label: 'Warranty months', type: 'number' })).status).toBe(201);
      const product = await callApi<Product>(page, 'POST', '/products', { name: 'CRM 旗舰版', code: 'CRM-PRO', unit: '套', price: '9800.50', categoryId: category.body.id, custom: { warranty_months: 24 } });
      expect(product.status).toBe(201);
      productId = product.body.id;
    });

    await step(page, 'the product detail shows its fields and custom values, and survives a reload', async () => {
      await page.goto('/products');
      await page.getByTestId(`product-row-${productId}`).click();
      await expectText(page.getByTestId('product-detail-name'), 'CRM 旗舰版');
      await expectText(page.getByTestId('product-detail-code'), 'CRM-PRO');
      await expectText(page.getByTestId('product-detail-price'), '9,800.50');
      await expectText(page.getByTestId('product-detail-cf-warranty_months'), '24');
      await page.waitForURL(`**/products?product=${productId}`);
      await page.reload();
      await expectText(page.getByTestId('product-detail-cf-warranty_months'), '24');
      await page.getByTestId('product-detail-edit').click();
      await expect.poll(() => page.getByTestId('product-form-name').inputValue()).toBe('CRM 旗舰版');
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
    });

    await step(page, 'export the list as CSV', async () => {
      await page.goto('/products');
      await page.getByTestId('products-export').click();
      await page.getByText('CSV', { exact: true }).click();
      const response = await startExport(page);
      expect(response.status()).toBe(202);
      expect(response.request().postDataJSON()).toMatchObject({ entity: 'product', format: 'csv', filter: { active: 'true' } });
      const download = page.getByTestId('export-download');
      await download.waitFor({ timeout: 30_000 });
      exported = Buffer.from(await (await page.request.fetch((await download.getAttribute('href')) ?? '')).body());
      const text = exported.toString('utf8');
      expect(text).toContain('Warranty months');
      expect(text).toMatch(/CRM 旗舰版,CRM-PRO,套,9800\.50,Software,yes,/);
      await page.getByTestId('export-close').click();
    });

    await step(page, 'the exported file imports back through the wizard', async () => {
      expect((await callApi(page, 'DELETE', `/products/${productId}`)).status).toBe(204);
      await page.getByTestId('products-import').click();
      await page.waitForURL('**/customers/import?entity=product');
      await page.locator('[data-testid="import-file"] input[type="file"]').setInputFiles({ name: 'products.csv', mimeType: 'text/csv', buffer: exported });
      await expectText(page.getByTestId('import-file-name'), 'products.csv');
      await page.getByTestId('import-mapping-next').click();
      await page.getByTestId('import-step-preview').waitFor();
      await page.getByTestId('import-start').click();
      await page.getByTestId('import-result').waitFor({ timeout: 60_000 });
      await expectText(page.getByTestId('import-result-created'), '1');
      await page.getByTestId('import-to-list').click();
      await page.waitForURL('**/products');
      await expectText(page.getByTestId('products-table'), 'CRM 旗舰版');
      const stored = await callApi<{ data: Product[] }>(page, 'GET', '/products');
      expect(stored.body.data.map((p) => [p.name, p.code, p.price, p.categoryName, p.custom])).toEqual([['CRM 旗舰版', 'CRM-PRO', '9800.50', 'Software', { warranty_months: 24 }]]);
    });

    expect(pageErrors).toEqual([]);
  }, 120_000);
});
