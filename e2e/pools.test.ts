import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callApi } from './pages/api';
import { AppShell } from './pages/app-shell';
import { LoginPage, setUpWorkspace } from './pages/auth';
import { expectText } from './pages/expect';
import { step as runStep } from './pages/step';
import { type E2eEnv, newPage, startE2e, watchPageErrors } from './support';

const admin = { workspaceName: 'Haoke Pools 公海', name: 'Ada Admin', email: 'ada@pools.test', password: 'admin-pass-2024!' };
const rep = { name: 'Rita Rep', email: 'rita@pools.test', password: 'rep-pass-2024!' };
const other = { name: 'Otto Other', email: 'otto@pools.test', password: 'otto-pass-2024!' };
const step = (page: Page, name: string, run: () => Promise<void>) => runStep(page, 'pools', name, run);

interface Json {
  [key: string]: unknown;
}

describe('public pool 公海, through the browser', () => {
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

  it('a rep releases a customer with a reason, another member claims it, the timeline shows both changes', async () => {
    const shell = new AppShell(page);
    const login = new LoginPage(page);
    let customerId = '';
    let repId = '';
    let otherId = '';

    await step(page, 'setup: two sales reps and a customer of the first', async () => {
      await setUpWorkspace(page, admin);
      const roles = await callApi<{ data: { id: string; key: string | null }[] }>(page, 'GET', '/roles');
      const sales = roles.body.data.find((r) => r.key === 'sales')?.id;
      expect(sales).toBeTruthy();
      for (const [user, set] of [
        [rep, (id: string) => (repId = id)],
        [other, (id: string) => (otherId = id)],
      ] as const) {
        const created = await callApi<Json>(page, 'POST', '/users', { ...user, roleIds: [sales] });
        expect(created.status).toBe(201);
        set(String(created.body.id));
      }
      const customer = await callApi<Json>(page, 'POST', '/customers', { name: '杭州公海测试有限公司' });
      expect(customer.status).toBe(201);
      customerId = String(customer.body.id);
      const moved = await callApi(page, 'POST', `/customers/${customerId}/transfer`, { ownerId: repId });
      expect(moved.status).toBeLessThan(300);
      await shell.signOut();
    });

    await step(page, 'the rep puts the customer into the pool with a reason', async () => {
      await login.goto();
      expect(await login.signIn(rep.email, rep.password)).toBe(200);
      await shell.waitUntilSignedIn(rep.name);
      await page.goto(`/customers/${customerId}`);
      await page.getByTestId('pool-release').click();
      // The reason is required.
      await page.getByTestId('release-confirm').click();
      await page.locator('.ant-form-item-explain-error').first().waitFor();
      await page.getByTestId('release-reason').fill('Budget frozen until next year');
      const released = page.waitForResponse((r) => r.url().endsWith('/api/v1/pools/release'));
      await page.getByTestId('release-confirm').click();
      const answer = (await (await released).json()) as { done: string[] };
      expect(answer.done).toEqual([customerId]);
      await page.getByTestId('pool-release').waitFor({ state: 'detached' });
      await shell.signOut();
    });

    await step(page, 'another member claims it from the pool page', async () => {
      await login.goto();
      expect(await login.signIn(other.email, other.password)).toBe(200);
      await shell.waitUntilSignedIn(other.name);
      await page.getByTestId('nav-pool').click();
      await page.waitForURL('**/pools');
      await page.getByTestId('pool-picker').waitFor();
      await page.getByTestId('pool-usage').waitFor();
      const row = page.getByTestId('pool-row').filter({ hasText: '杭州公海测试有限公司' });
      await expectText(row, 'Rita Rep');
      const claimed = page.waitForResponse((r) => r.url().includes('/claim') && r.request().method() === 'POST');
      await row.getByTestId('pool-claim').click();
      expect((await claimed).status()).toBe(200);
      await row.waitFor({ state: 'detached' });
      const stored = await callApi<Json>(page, 'GET', `/customers/${customerId}`);
      expect(stored.body.ownerId).toBe(otherId);
    });

    await step(page, 'the timeline shows the release (with its reason) and the claim', async () => {
      await page.goto(`/customers/${customerId}`);
      const changes = page.getByTestId('timeline-item').filter({ has: page.getByTestId('timeline-owner-change') });
      await expectText(changes.filter({ hasText: 'claimed' }).first(), 'claimed');
      const release = changes.filter({ hasText: 'released to pool' }).first();
      await expectText(release, 'Budget frozen until next year');
      await expectText(release, 'Rita Rep');
      const history = await callApi<{ data: { action: string; reason: string | null }[] }>(page, 'GET', `/customers/${customerId}/ownership-history`);
      expect(history.body.data.slice(0, 2).map((h) => h.action)).toEqual(['claim', 'release']);
      expect(history.body.data[1]?.reason).toBe('Budget frozen until next year');
      expect(pageErrors).toEqual([]);
    });

    await step(page, 'about to be recycled: the to-do list page opens', async () => {
      await page.goto('/pools/expiring');
      await page.getByTestId('expiring-table').waitFor();
      expect(pageErrors).toEqual([]);
      await shell.signOut();
    });

    await step(page, 'an admin creates a pool with a recycling rule and sets an ownership limit', async () => {
      await login.goto();
      expect(await login.signIn(admin.email, admin.password)).toBe(200);
      await shell.waitUntilSignedIn(admin.name);
      await page.getByTestId('nav-pool-settings').click();
      await page.waitForURL('**/settings/pools');
      await page.getByTestId('pool-settings-create').click();
      await page.getByTestId('pool-settings-name').fill('华东公海');
      await page.getByTestId('pool-settings-all-users').check();
      await page.getByTestId('pool-settings-quota').fill('5');
      await page.getByTestId('pool-settings-cooldown').fill('7');
      await page.getByTestId('pool-settings-recycle').click();
      await page.getByTestId('pool-settings-rule-add').click();
      await page.getByTestId('pool-settings-rule-no-followup').fill('30');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/pools') && r.request().method() === 'POST');
      await page.getByTestId('pool-settings-save').click();
      expect((await saved).status()).toBe(201);
      await expectText(page.getByTestId('pool-settings-row').filter({ hasText: '华东公海' }), '1 rule');
      const pools = await callApi<{ data: { name: string; claimDailyLimit: number | null; cooldownDays: number | null; recycleEnabled: boolean; rules: unknown[] }[] }>(page, 'GET', '/pools');
      expect(pools.body.data.find((p) => p.name === '华东公海')).toMatchObject({
        claimDailyLimit: 5,
        cooldownDays: 7,
        recycleEnabled: true,
        rules: [{ level: null, noFollowupDays: 30, noDealDays: null, notDealtDays: null }],
      });
      await page.getByTestId('pool-settings-limit-add').click();
      await page.getByTestId('pool-settings-limit-type').getByText('Everyone').click();
      await page.getByTestId('pool-settings-limit-max-owned').fill('100');
      const limit = page.waitForResponse((r) => r.url().endsWith('/api/v1/ownership-limits') && r.request().method() === 'PUT');
      await page.getByTestId('pool-settings-limit-save').click();
      expect((await limit).status()).toBe(200);
      await expectText(page.getByTestId('pool-settings-limit-row').first(), '100');
      expect(pageErrors).toEqual([]);
    });

    await step(page, 'the admin previews how many customers the rules would take back, without saving', async () => {
      await page.getByTestId('pool-settings-row').filter({ hasText: 'Public pool' }).getByTestId('pool-settings-edit').click();
      await page.getByTestId('pool-settings-recycle').click();
      await page.getByTestId('pool-settings-rule-add').click();
      await page.getByTestId('pool-settings-rule-no-followup').fill('1');
      const previewed = page.waitForResponse((r) => r.url().endsWith('/recycle-preview') && r.request().method() === 'POST');
      await page.getByTestId('pool-settings-recycle-preview').click();
      expect((await previewed).status()).toBe(200);
      // The customers were all followed up or claimed today: none is due yet.
      await expectText(page.getByTestId('pool-settings-recycle-preview-result'), 'If the job ran now with these settings, 0 customers would go back');
      await page.keyboard.press('Escape');
      const pools = await callApi<{ data: { name: string; recycleEnabled: boolean }[] }>(page, 'GET', '/pools');
      expect(pools.body.data.find((p) => p.name === 'Public pool')?.recycleEnabled).toBe(false);
      expect(pageErrors).toEqual([]);
    });

    await step(page, 'the admin runs the recycling job now and sees the run finish with its count', async () => {
      await page.getByTestId('recycle-runs').waitFor();
      const started = page.waitForResponse((r) => r.url().endsWith('/api/v1/pools/recycle-runs') && r.request().method() === 'POST');
      await page.getByTestId('recycle-run-now').click();
      expect((await started).status()).toBe(202);
      const run = page.getByTestId('recycle-run-row').first();
      await expectText(run, 'Ada Admin');
      // The list polls while the run is queued or running; the server's job runner finishes it.
      await expectText(run.getByTestId('recycle-run-status'), 'Done');
      await expectText(run.getByTestId('recycle-run-count'), '0');
      await expect.poll(() => page.getByTestId('recycle-run-now').isEnabled()).toBe(true);
      expect(pageErrors).toEqual([]);
    });
  }, 240_000);
});
